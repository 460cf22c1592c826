/**
 * A stand-in for an op-sqlite database (@op-engineering/op-sqlite 18, `DB`), for the conformance
 * suite: `executeSync(query, params)` with the native library's contract (one statement; `rows`
 * for every statement that returns rows, PRAGMA reads and INSERT … RETURNING included;
 * `rowsAffected` and `insertId` for writes) over better-sqlite3 on a file. op-sqlite's own Node
 * build cannot stand in: it does not load in Node and answers rows only for SELECT
 * (adapters/store/op-sqlite-driver.ts says what was measured).
 */
import Database from 'better-sqlite3';
import type { OpSqliteDatabase } from '../../adapters/store/op-sqlite-driver.ts';
import type { SqlValue } from '../../src/ports/sqlite-driver.ts';

export function openOpSqliteStandIn(path: string): OpSqliteDatabase & { raw: Database.Database } {
  const db = new Database(path);
  return {
    raw: db,
    executeSync(query: string, params: SqlValue[] = []) {
      const statement = db.prepare<SqlValue[]>(query); // throws on more than one statement, as op-sqlite runs one
      if (statement.reader) return { rows: statement.all(...params) as Array<Record<string, unknown>>, rowsAffected: 0 };
      const info = statement.run(...params);
      return { rows: [], rowsAffected: info.changes, insertId: Number(info.lastInsertRowid) };
    },
    close() {
      db.close();
    },
  };
}
