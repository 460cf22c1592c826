/**
 * The SQLite event log in React Native on op-sqlite: the store of sql-event-store.ts (schema,
 * migrations, chain, position checks: the same as Node's) over the op-sqlite driver. The app opens
 * the database (`open({ name: 'wallet-backup.db' })` from @op-engineering/op-sqlite) and passes it
 * in; openSqlEventStore refuses a database newer than this code, then sets WAL, synchronous=FULL,
 * foreign keys and temp store in memory (WAL_FULL_PRAGMAS).
 */
import { openSqlEventStore, WAL_FULL_PRAGMAS, type SqlEventStore } from './sql-event-store.ts';
import { createOpSqliteDriver, type OpSqliteDatabase } from './op-sqlite-driver.ts';

export interface OpSqliteEventStoreOptions {
  /** The open database: op-sqlite's `open({ name })`. */
  db: OpSqliteDatabase;
  /** Names the log in errors (default 'wallet-backup.db (op-sqlite)'). */
  label?: string;
  /** Rows per page of readAll (default 256). */
  pageSize?: number;
}

export async function openOpSqliteEventStore(options: OpSqliteEventStoreOptions): Promise<SqlEventStore> {
  const driver = createOpSqliteDriver(options.db, { durability: 'WAL, synchronous=FULL: a committed row is fsynced into the app sandbox before append resolves' });
  return openSqlEventStore(driver, {
    label: options.label ?? 'wallet-backup.db (op-sqlite)',
    pragmas: WAL_FULL_PRAGMAS,
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
  });
}
