/**
 * A SqliteDriver (src/ports/sqlite-driver.ts) for a SQLite library whose statements are
 * synchronous calls but which has no transaction helper of its own to use (op-sqlite's
 * executeSync, expo-sqlite's *Sync calls): a write is `BEGIN IMMEDIATE`, the work, `COMMIT`, or
 * `ROLLBACK` when the work throws; reads run as they are. The engine awaits each call in turn, and
 * the work is synchronous, so transactions never overlap on the connection.
 */
import type { SqlConnection, SqliteDriver } from '../../src/ports/sqlite-driver.ts';

export interface BeginCommitDriverOptions {
  name: string;
  durability: string;
  connection: SqlConnection;
  /** Runs one statement without parameters (BEGIN, COMMIT, ROLLBACK). */
  execute(sql: string): void;
  close(): void;
  exportBytes?: () => Promise<Uint8Array>;
}

export function createBeginCommitDriver(options: BeginCommitDriverOptions): SqliteDriver {
  const { connection, execute } = options;
  let open = true;
  return {
    name: options.name,
    durability: options.durability,
    async write(work) {
      execute('BEGIN IMMEDIATE');
      let result: ReturnType<typeof work>;
      try {
        result = work(connection);
      } catch (error) {
        execute('ROLLBACK');
        throw error;
      }
      execute('COMMIT');
      return result;
    },
    async read(work) {
      return work(connection);
    },
    ...(options.exportBytes !== undefined ? { exportBytes: options.exportBytes } : {}),
    async close() {
      if (open) options.close();
      open = false;
    },
  };
}
