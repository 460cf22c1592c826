/**
 * The SQLite driver port (src/ports/sqlite-driver.ts) on better-sqlite3, Node's synchronous
 * SQLite: what the CLI and Node apps use. Statements are prepared once per SQL text and kept for
 * the connection's life; `write` is better-sqlite3's IMMEDIATE transaction.
 *
 * The connection is set up by the caller (sqlite-event-store.ts: WAL, synchronous=FULL, foreign
 * keys, temp store in memory; or read-only).
 */
import type Database from 'better-sqlite3';
import type { SqlConnection, SqlValue, SqliteDriver } from '../../src/ports/sqlite-driver.ts';
import { checkList, MIGRATIONS, migrateConnection, type Migration, type MigrationOutcome } from './sqlite-migrations.ts';

/** Statements on a better-sqlite3 database, each prepared the first time its SQL is seen. */
export function betterSqliteConnection(db: Database.Database): SqlConnection {
  const prepared = new Map<string, Database.Statement<SqlValue[]>>();
  const statement = (sql: string) => {
    let found = prepared.get(sql);
    if (found === undefined) {
      found = db.prepare<SqlValue[]>(sql);
      prepared.set(sql, found);
    }
    return found;
  };
  return {
    exec(sql) {
      db.exec(sql);
    },
    run(sql, params = []) {
      const result = statement(sql).run(...params);
      return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
    },
    all<Row extends object>(sql: string, params: readonly SqlValue[] = []) {
      return statement(sql).all(...params) as Row[];
    },
    get<Row extends object>(sql: string, params: readonly SqlValue[] = []) {
      return statement(sql).get(...params) as Row | undefined;
    },
  };
}

export interface BetterSqliteDriverOptions {
  /** What a commit survives with the pragmas the caller set (the README's table). */
  durability: string;
}

/** The driver over an open better-sqlite3 database; closing the driver closes the database. */
export function createBetterSqliteDriver(db: Database.Database, options: BetterSqliteDriverOptions): SqliteDriver {
  const connection = betterSqliteConnection(db);
  const transaction = db.transaction(<T>(work: (connection: SqlConnection) => T): T => work(connection));
  return {
    name: 'better-sqlite3',
    durability: options.durability,
    async write(work) {
      return transaction.immediate(work) as ReturnType<typeof work>;
    },
    async read(work) {
      return work(connection);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

/** The log's migrations (sqlite-migrations.ts) on a better-sqlite3 database, in one IMMEDIATE transaction of their own. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): MigrationOutcome {
  checkList(migrations);
  const connection = betterSqliteConnection(db);
  return db.transaction(() => migrateConnection(connection, db.name, migrations)).immediate();
}
