/**
 * The SQLite driver port: the few operations the SQLite event log needs from a platform's SQLite
 * (adapters/store/sql-event-store.ts holds the schema, migrations, hash chain and position checks
 * once, above every driver).
 *
 * Statements run synchronously on the connection, inside a call the driver makes asynchronous:
 * `write` runs its function in one IMMEDIATE transaction (committed when it returns, rolled back
 * when it throws), `read` runs its function outside any write transaction, and the driver runs
 * them one at a time. A durable append is therefore one awaited `write`, on every platform, and a
 * transaction's reads and writes can never interleave with another's. Every platform this targets
 * has synchronous statements in the thread that runs the engine: better-sqlite3 in Node, SQLite
 * compiled to WebAssembly in a browser's worker (the engine runs in that worker), op-sqlite's
 * `executeSync` and expo-sqlite's `*Sync` calls in React Native.
 *
 * The connection itself is set up by the driver (journal mode, synchronous, foreign keys on, temp
 * store in memory where the platform allows): `durability` says in words what a committed
 * transaction survives there.
 */

/** A value the log's STRICT tables hold (TEXT, INTEGER) or a statement binds. */
export type SqlValue = string | number | null;

/** The result of a statement that changes rows. */
export interface SqlRunResult {
  changes: number;
  /** The rowid of the last row inserted on this connection. */
  lastInsertRowid: number;
}

/** Statements on the driver's one connection, each run to completion before it returns. */
export interface SqlConnection {
  /** One or more statements without parameters (schema, pragmas). */
  exec(sql: string): void;
  run(sql: string, params?: readonly SqlValue[]): SqlRunResult;
  /** Every row, as an object keyed by column name (or alias). */
  all<Row extends object>(sql: string, params?: readonly SqlValue[]): Row[];
  /** The first row, or undefined. */
  get<Row extends object>(sql: string, params?: readonly SqlValue[]): Row | undefined;
}

export interface SqliteDriver {
  /** e.g. 'better-sqlite3', 'sqlite-wasm (opfs-sahpool)'. */
  readonly name: string;
  /** What a committed write survives on this platform, in words (the README's table). */
  readonly durability: string;
  /** Runs `work` in one IMMEDIATE transaction: committed when it returns, rolled back if it throws. */
  write<T>(work: (connection: SqlConnection) => T): Promise<T>;
  /** Runs `work` outside any write transaction. */
  read<T>(work: (connection: SqlConnection) => T): Promise<T>;
  /** The database file's bytes, where the platform can hand them out (to copy a log off a device). */
  exportBytes?(): Promise<Uint8Array>;
  close(): Promise<void>;
}
