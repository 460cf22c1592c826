/**
 * The SQLite driver port (src/ports/sqlite-driver.ts) on SQLite compiled to WebAssembly
 * (`@sqlite.org/sqlite-wasm`, the SQLite project's own build, its "oo1" API): for browsers and
 * extensions, where the engine runs in a worker and the log persists in the Origin Private File
 * System; in Node (tests, tools) in memory.
 *
 * Statements are prepared once per SQL text and finalized on close; `write` is the oo1 API's
 * `transaction('IMMEDIATE', …)`. Rows come back as objects keyed by column name, as
 * better-sqlite3 gives them. Integers outside JavaScript's safe range cannot occur in the log
 * (seq, positions, versions and epochs are small), and are refused if they do.
 *
 * Where it persists (sqlite.org/wasm/doc/trunk/persistence.md): the "opfs-sahpool" VFS keeps the
 * database in OPFS through synchronous access handles, needs no cross-origin isolation headers,
 * runs only in a worker, and is not shareable between tabs (one connection per origin at a time;
 * a second tab waits or fails). It has no shared memory, so no WAL: the journal is a rollback
 * journal, and `synchronous=FULL` makes SQLite flush (FileSystemSyncAccessHandle.flush) the
 * journal and the database at every commit. That is what "durable" means there: committed rows
 * survive a reload, a crash of the tab and a browser restart, as far as the browser's own storage
 * does (site data can be cleared by the person or evicted under storage pressure unless the page
 * asked for persistent storage: navigator.storage.persist()).
 */
import type init from '@sqlite.org/sqlite-wasm';
import type { SqlConnection, SqlValue, SqliteDriver } from '../../src/ports/sqlite-driver.ts';

export type Sqlite3Static = Awaited<ReturnType<typeof init>>;
export type WasmDatabase = InstanceType<Sqlite3Static['oo1']['DB']>;
type WasmStatement = ReturnType<WasmDatabase['prepare']>;

function safeNumber(value: number | bigint): number {
  if (typeof value === 'number') return value;
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`SQLite returned the integer ${value}, outside JavaScript's safe range`);
  return number;
}

/** Statements on an oo1 database, each prepared the first time its SQL is seen. */
function wasmConnection(sqlite3: Sqlite3Static, db: WasmDatabase, prepared: Map<string, WasmStatement>): SqlConnection {
  const statement = (sql: string, params: readonly SqlValue[]) => {
    let found = prepared.get(sql);
    if (found === undefined) {
      found = db.prepare(sql);
      prepared.set(sql, found);
    }
    if (params.length > 0) found.bind(params as SqlValue[]);
    return found;
  };
  const rowsOf = <Row extends object>(sql: string, params: readonly SqlValue[], limit: number): Row[] => {
    const stmt = statement(sql, params);
    const rows: Row[] = [];
    try {
      while (rows.length < limit && stmt.step()) rows.push(stmt.get({}) as Row);
    } finally {
      stmt.reset(true);
    }
    return rows;
  };
  return {
    exec(sql) {
      db.exec(sql);
    },
    run(sql, params = []) {
      const stmt = statement(sql, params);
      try {
        stmt.step();
      } finally {
        stmt.reset(true);
      }
      return { changes: db.changes(), lastInsertRowid: safeNumber(sqlite3.capi.sqlite3_last_insert_rowid(db.pointer!)) };
    },
    all: <Row extends object>(sql: string, params: readonly SqlValue[] = []) => rowsOf<Row>(sql, params, Number.POSITIVE_INFINITY),
    get: <Row extends object>(sql: string, params: readonly SqlValue[] = []) => rowsOf<Row>(sql, params, 1)[0] as Row | undefined,
  };
}

export interface SqliteWasmDriverOptions {
  /** What a commit survives on this database's VFS (the README's table). */
  durability: string;
  /** The database file's bytes (the opfs-sahpool VFS's exportFile; default sqlite3_js_db_export). */
  exportBytes?: () => Promise<Uint8Array>;
}

/** The driver over an open oo1 database; closing the driver closes the database. */
export function createSqliteWasmDriver(sqlite3: Sqlite3Static, db: WasmDatabase, options: SqliteWasmDriverOptions): SqliteDriver {
  const prepared = new Map<string, WasmStatement>();
  const connection = wasmConnection(sqlite3, db, prepared);
  return {
    name: 'sqlite-wasm',
    durability: options.durability,
    async write(work) {
      return db.transaction('IMMEDIATE', () => work(connection));
    },
    async read(work) {
      return work(connection);
    },
    exportBytes: options.exportBytes ?? (async () => sqlite3.capi.sqlite3_js_db_export(db.pointer!)),
    async close() {
      for (const stmt of prepared.values()) stmt.finalize();
      prepared.clear();
      if (db.isOpen()) db.close();
    },
  };
}
