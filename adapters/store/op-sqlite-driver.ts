/**
 * The SQLite driver port (src/ports/sqlite-driver.ts) on op-sqlite (@op-engineering/op-sqlite,
 * React Native's JSI SQLite): statements through `executeSync`, which blocks the JS thread until
 * SQLite is done (its docs: "Sync version of the execute function"); a write is
 * `BEGIN IMMEDIATE` … `COMMIT` (`ROLLBACK` when the work throws), one at a time
 * (begin-commit-driver.ts).
 *
 * Typed structurally from op-sqlite 18's declarations (src/types.ts: `DB.executeSync(query,
 * params?): QueryResult` with `rows`, `rowsAffected`, `insertId`; `DB.close()`), so the package is
 * not a dependency of this one: the app installs it and passes its database in.
 *
 * Not tested against op-sqlite itself here: its Node build (18.2.5, `node/dist/index.js`) does not
 * load in Node (it imports './database' without an extension: ERR_MODULE_NOT_FOUND), and it
 * answers rows only for statements that start with SELECT, where the native library answers them
 * for any statement (PRAGMA reads, INSERT … RETURNING). test/support/op-sqlite-standin.ts gives
 * executeSync the native library's contract over better-sqlite3 for the conformance suite.
 *
 * Durability on a phone: the opener sets WAL and synchronous=FULL; a commit is then fsynced by
 * SQLite into the app's sandbox (iOS: the app container's Library folder, excluded from nothing
 * unless the app says so; Android: the app's databases folder), as in Node.
 */
import type { SqlConnection, SqlValue, SqliteDriver } from '../../src/ports/sqlite-driver.ts';
import { createBeginCommitDriver } from './begin-commit-driver.ts';

/** What this driver uses of op-sqlite's QueryResult. */
export interface OpSqliteQueryResult {
  insertId?: number;
  rowsAffected: number;
  rows: Array<Record<string, unknown>>;
}

/** What this driver uses of op-sqlite's DB (the object `open({ name })` returns). */
export interface OpSqliteDatabase {
  executeSync(query: string, params?: SqlValue[]): OpSqliteQueryResult;
  close(): void;
}

function connectionOf(db: OpSqliteDatabase): SqlConnection {
  return {
    exec(sql) {
      // executeSync runs one statement: split the schema's script on statement ends outside
      // trigger bodies (BEGIN … END), which is all the migrations hold.
      for (const statement of statementsOf(sql)) db.executeSync(statement);
    },
    run(sql, params = []) {
      const result = db.executeSync(sql, [...params]);
      return { changes: result.rowsAffected, lastInsertRowid: result.insertId ?? 0 };
    },
    all: <Row extends object>(sql: string, params: readonly SqlValue[] = []) => db.executeSync(sql, [...params]).rows as Row[],
    get: <Row extends object>(sql: string, params: readonly SqlValue[] = []) => db.executeSync(sql, [...params]).rows[0] as Row | undefined,
  };
}

/** The statements of a script: split on ';' at the end of a statement, not inside BEGIN … END. */
export function statementsOf(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let depth = 0;
  for (const part of script.split(/(;|\bBEGIN\b|\bEND\b)/i)) {
    current += part;
    if (/^BEGIN$/i.test(part) && /\bTRIGGER\b/i.test(current)) depth += 1;
    else if (/^END$/i.test(part) && depth > 0) depth -= 1;
    else if (part === ';' && depth === 0) {
      if (current.trim() !== ';') statements.push(current.trim());
      current = '';
    }
  }
  if (current.trim() !== '') statements.push(current.trim());
  return statements;
}

export interface OpSqliteDriverOptions {
  /** What a commit survives with the pragmas the opener set (the README's table). */
  durability: string;
}

/** The driver over an open op-sqlite database; closing the driver closes it. */
export function createOpSqliteDriver(db: OpSqliteDatabase, options: OpSqliteDriverOptions): SqliteDriver {
  return createBeginCommitDriver({
    name: 'op-sqlite',
    durability: options.durability,
    connection: connectionOf(db),
    execute: (sql) => void db.executeSync(sql),
    close: () => db.close(),
  });
}
