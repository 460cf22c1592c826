/**
 * The SQLite event log in Node, on better-sqlite3: the store of sql-event-store.ts (schema,
 * migrations, chain, position checks) over the better-sqlite3 driver, on a file.
 *
 * Opening sets `journal_mode=WAL`, `synchronous=FULL` (each commit is fsynced: a row is on disk
 * when append resolves; 'NORMAL' trades the last commits on power loss for speed),
 * `foreign_keys=ON` and `temp_store=MEMORY` (sorts never spill to temp files, R6), then brings the
 * schema up to date (sqlite-migrations.ts). A database newer than this code is refused untouched,
 * before any pragma writes to it. Hashes are node:crypto's SHA-256 (the same as @noble/hashes's,
 * four times as fast). `db` is the connection, for tests and benchmarks; a write through it is
 * seen by the store at its next append (it reads the log's last row under the write lock).
 */
import Database from 'better-sqlite3';
import { openReadOnlyDatabase } from './sqlite-read-only.ts';
import { hash as nodeHash } from 'node:crypto';
import { createBetterSqliteDriver, migrate } from './better-sqlite3-driver.ts';
import { createSqlEventStore, type SqlEventStore } from './sql-event-store.ts';
import { LATEST_SCHEMA_VERSION, SchemaVersionError, refuseNewerSchema } from './sqlite-migrations.ts';

export interface SqliteEventStoreOptions {
  /** File path, or ':memory:'. */
  path: string;
  /** Default 'FULL'. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Rows per page of readAll (default 256). */
  pageSize?: number;
  /** Open for reading only (read-only media included: sqlite-read-only.ts); every append fails. */
  readOnly?: boolean;
}

export type SqliteEventStore = SqlEventStore & {
  /** The better-sqlite3 connection (tests and benchmarks reach pragmas through it). */
  readonly db: Database.Database;
};

function openDatabase(path: string, readOnly: boolean): Database.Database {
  const db = readOnly ? openReadOnlyDatabase(path) : new Database(path);
  try {
    // Refuse a too-new database before any pragma below writes to it.
    refuseNewerSchema(path, db.pragma('user_version', { simple: true }) as number);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Opens (creating and migrating if needed) the SQLite event log at `path`. */
export function openSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  const synchronous = options.synchronous ?? 'FULL';
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new TypeError(`synchronous must be 'FULL' or 'NORMAL', got ${String(synchronous)}`);
  }
  const readOnly = options.readOnly === true;
  const db = openDatabase(options.path, readOnly);
  try {
    let schemaVersion: number;
    if (readOnly) {
      // Read-only (history, inspect): nothing is set or migrated; a log that needs a migration
      // must be opened once by a command that writes (createSqlEventStore refuses it).
      schemaVersion = db.pragma('user_version', { simple: true }) as number;
      db.pragma('temp_store = MEMORY');
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      db.pragma('foreign_keys = ON');
      db.pragma('temp_store = MEMORY');
      schemaVersion = migrate(db).to;
    }
    const driver = createBetterSqliteDriver(db, {
      durability: readOnly
        ? 'read-only'
        : synchronous === 'FULL'
          ? 'WAL, synchronous=FULL: a committed row is on disk (fsynced) before append resolves'
          : 'WAL, synchronous=NORMAL: a power loss may take the last commits',
    });
    const store = createSqlEventStore(driver, {
      label: options.path,
      schemaVersion,
      readOnly,
      digest: (text) => nodeHash('sha256', text, 'hex'),
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    });
    return Object.assign(store, { db });
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens a log for a command that only reads it (history, inspect): read-only, so it works on
 * read-only media; a log of an older schema is migrated first, as any opening did before.
 */
export function openSqliteEventStoreForReading(path: string): SqliteEventStore {
  try {
    return openSqliteEventStore({ path, readOnly: true });
  } catch (error) {
    if (!(error instanceof SchemaVersionError) || error.found > LATEST_SCHEMA_VERSION) throw error;
  }
  openSqliteEventStore({ path }).db.close();
  return openSqliteEventStore({ path, readOnly: true });
}
