/**
 * The SQLite event log in React Native on expo-sqlite: the store of sql-event-store.ts (schema,
 * migrations, chain, position checks: the same as Node's) over the expo-sqlite driver. The app
 * opens the database (`openDatabaseSync('wallet-backup.db')` from expo-sqlite) and passes it in;
 * openSqlEventStore refuses a database newer than this code, then sets WAL, synchronous=FULL,
 * foreign keys and temp store in memory (WAL_FULL_PRAGMAS).
 */
import { openSqlEventStore, WAL_FULL_PRAGMAS, type SqlEventStore } from './sql-event-store.ts';
import { createExpoSqliteDriver, type ExpoSqliteDatabase } from './expo-sqlite-driver.ts';

export interface ExpoSqliteEventStoreOptions {
  /** The open database: expo-sqlite's `openDatabaseSync(name)`. */
  db: ExpoSqliteDatabase;
  /** Names the log in errors (default 'wallet-backup.db (expo-sqlite)'). */
  label?: string;
  /** Rows per page of readAll (default 256). */
  pageSize?: number;
}

export async function openExpoSqliteEventStore(options: ExpoSqliteEventStoreOptions): Promise<SqlEventStore> {
  const driver = createExpoSqliteDriver(options.db, { durability: 'WAL, synchronous=FULL: a committed row is fsynced into the app sandbox before append resolves' });
  return openSqlEventStore(driver, {
    label: options.label ?? 'wallet-backup.db (expo-sqlite)',
    pragmas: WAL_FULL_PRAGMAS,
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
  });
}
