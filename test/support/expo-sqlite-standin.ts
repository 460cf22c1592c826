/**
 * A stand-in for an expo-sqlite database (expo-sqlite 16, `SQLiteDatabase`), for the conformance
 * suite: its synchronous calls with their documented contract (src/SQLiteDatabase.ts): `execSync`
 * runs every statement of a script; `runSync` answers `changes` and `lastInsertRowId`;
 * `getAllSync` and `getFirstSync` (null when there is none) answer rows as objects;
 * `serializeSync` the database's bytes; over better-sqlite3 on a file. expo-sqlite's native module
 * does not run in Node.
 */
import Database from 'better-sqlite3';
import type { ExpoSqliteDatabase } from '../../adapters/store/expo-sqlite-driver.ts';
import type { SqlValue } from '../../src/ports/sqlite-driver.ts';

export function openExpoSqliteStandIn(path: string): ExpoSqliteDatabase {
  const db = new Database(path);
  return {
    execSync(source: string) {
      db.exec(source);
    },
    runSync(source: string, params: SqlValue[]) {
      const info = db.prepare<SqlValue[]>(source).run(...params);
      return { changes: info.changes, lastInsertRowId: Number(info.lastInsertRowid) };
    },
    getAllSync<T>(source: string, params: SqlValue[]) {
      return db.prepare<SqlValue[]>(source).all(...params) as T[];
    },
    getFirstSync<T>(source: string, params: SqlValue[]) {
      return (db.prepare<SqlValue[]>(source).get(...params) as T | undefined) ?? null;
    },
    serializeSync() {
      return new Uint8Array(db.serialize());
    },
    closeSync() {
      db.close();
    },
  };
}
