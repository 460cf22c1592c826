/**
 * The SQLite event log in React Native on op-sqlite: the store of sql-event-store.ts (schema,
 * migrations, chain, position checks: the same as Node's) over the op-sqlite driver. The app opens
 * the database (`open({ name: 'wallet-backup.db' })` from @op-engineering/op-sqlite) and passes it
 * in; this sets WAL, synchronous=FULL, foreign keys and temp store in memory, after refusing a
 * database newer than this code, before any pragma writes to it.
 */
import { openSqlEventStore, type SqlEventStore } from './sql-event-store.ts';
import { LATEST_SCHEMA_VERSION, SchemaVersionError } from './sqlite-migrations.ts';
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
  const { db } = options;
  const label = options.label ?? 'wallet-backup.db (op-sqlite)';
  const found = Number(db.executeSync('PRAGMA user_version').rows[0]?.user_version ?? 0);
  if (found > LATEST_SCHEMA_VERSION) {
    throw new SchemaVersionError(
      found,
      LATEST_SCHEMA_VERSION,
      `The event log ${label} has schema version ${found}, newer than this build supports (${LATEST_SCHEMA_VERSION}). Use a newer wallet-backup-engine; the log was not changed.`,
    );
  }
  for (const pragma of ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'temp_store = MEMORY']) db.executeSync(`PRAGMA ${pragma}`);
  const driver = createOpSqliteDriver(db, { durability: 'WAL, synchronous=FULL: a committed row is fsynced into the app sandbox before append resolves' });
  return openSqlEventStore(driver, { label, ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}) });
}
