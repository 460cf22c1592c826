/**
 * The SQLite event log on SQLite compiled to WebAssembly: the store of sql-event-store.ts
 * (schema, migrations, chain, position checks: the same as Node's) over the sqlite-wasm driver.
 *
 * In a browser or an extension, call it from a worker with `storage: 'opfs'`: the log lives in
 * the Origin Private File System through the "opfs-sahpool" VFS (no cross-origin isolation
 * needed) and survives reloads (sqlite-wasm-driver.ts says what durable means there). In Node, and
 * anywhere with `storage: 'memory'`, the log is in memory: for tests and tools, never for an app
 * that must keep its history.
 *
 * The caller loads the module (`await sqlite3InitModule()` from `@sqlite.org/sqlite-wasm`) and
 * passes it in: the app decides how its bundler serves sqlite3.wasm, and this file imports no
 * WebAssembly itself. SHA-256 is @noble/hashes's (no node:crypto in a browser).
 */
import { openSqlEventStore, type SqlEventStore } from './sql-event-store.ts';
import { createSqliteWasmDriver, type Sqlite3Static, type WasmDatabase } from './sqlite-wasm-driver.ts';

export interface SqliteWasmEventStoreOptions {
  /** The initialised module: `await sqlite3InitModule()`. */
  sqlite3: Sqlite3Static;
  /** 'opfs': persisted in OPFS (a worker in a browser); 'memory' (default): gone when closed. */
  storage?: 'opfs' | 'memory';
  /** The database's name in the OPFS pool (default '/wallet-backup.db'). */
  filename?: string;
  /** The opfs-sahpool VFS's name, which is also its OPFS directory (default 'wallet-backup'). */
  vfsName?: string;
  /** Rows per page of readAll (default 256). */
  pageSize?: number;
}

const OPFS_DURABILITY =
  'OPFS (opfs-sahpool VFS), rollback journal, synchronous=FULL: a committed row is flushed to the ' +
  "origin's private file system before append resolves, and survives reloads and browser restarts " +
  'unless the site data is cleared or evicted';
const MEMORY_DURABILITY = 'in memory: nothing survives closing the store';
const COMMON_PRAGMAS = 'PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;';

/** Opens (creating and migrating if needed) the event log in SQLite compiled to WebAssembly. */
export async function openSqliteWasmEventStore(options: SqliteWasmEventStoreOptions): Promise<SqlEventStore> {
  const { sqlite3 } = options;
  const filename = options.filename ?? '/wallet-backup.db';
  let db: WasmDatabase;
  let exportBytes: (() => Promise<Uint8Array>) | undefined;
  if (options.storage === 'opfs') {
    const pool = await sqlite3.installOpfsSAHPoolVfs({ name: options.vfsName ?? 'wallet-backup' });
    db = new pool.OpfsSAHPoolDb(filename);
    exportBytes = () => pool.exportFile(filename);
  } else {
    db = new sqlite3.oo1.DB(':memory:', 'c');
  }
  const driver = createSqliteWasmDriver(sqlite3, db, {
    durability: options.storage === 'opfs' ? OPFS_DURABILITY : MEMORY_DURABILITY,
    ...(exportBytes !== undefined ? { exportBytes } : {}),
  });
  try {
    return await openSqlEventStore(driver, {
      label: options.storage === 'opfs' ? `${filename} (OPFS)` : ':memory: (sqlite-wasm)',
      // opfs-sahpool has no shared memory, so no WAL: a rollback journal, flushed at every commit.
      pragmas: `PRAGMA journal_mode = ${options.storage === 'opfs' ? 'DELETE' : 'MEMORY'}; ${COMMON_PRAGMAS}`,
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    });
  } catch (error) {
    await driver.close(); // this opener made the database: it does not outlive a failed open
    throw error;
  }
}
