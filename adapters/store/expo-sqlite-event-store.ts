/**
 * The SQLite event log in React Native on expo-sqlite: the store of sql-event-store.ts (schema,
 * migrations, chain, position checks: the same as Node's) over the expo-sqlite driver. The app
 * opens the database (`openDatabaseSync('wallet-backup.db')` from expo-sqlite) and passes it in;
 * this sets WAL, synchronous=FULL, foreign keys and temp store in memory, after refusing a database
 * newer than this code, before any pragma writes to it.
 */
import { openSqlEventStore, type SqlEventStore } from './sql-event-store.ts';
import { LATEST_SCHEMA_VERSION, SchemaVersionError } from './sqlite-migrations.ts';
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
  const { db } = options;
  const label = options.label ?? 'wallet-backup.db (expo-sqlite)';
  const found = Number(db.getFirstSync<{ user_version: number }>('PRAGMA user_version', [])?.user_version ?? 0);
  if (found > LATEST_SCHEMA_VERSION) {
    throw new SchemaVersionError(
      found,
      LATEST_SCHEMA_VERSION,
      `The event log ${label} has schema version ${found}, newer than this build supports (${LATEST_SCHEMA_VERSION}). Use a newer wallet-backup-engine; the log was not changed.`,
    );
  }
  db.execSync('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;');
  const driver = createExpoSqliteDriver(db, { durability: 'WAL, synchronous=FULL: a committed row is fsynced into the app sandbox before append resolves' });
  return openSqlEventStore(driver, { label, ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}) });
}
