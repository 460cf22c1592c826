/**
 * The SQLite driver port (src/ports/sqlite-driver.ts) on expo-sqlite (Expo's SQLite for React
 * Native), through its synchronous calls: `execSync` (a script), `runSync` (`changes`,
 * `lastInsertRowId`), `getAllSync`, `getFirstSync`, `serializeSync` (the database's bytes, to copy
 * a log off the device), `closeSync`. A write is `BEGIN IMMEDIATE` … `COMMIT` (`ROLLBACK` when the
 * work throws), one at a time (begin-commit-driver.ts).
 *
 * Typed structurally from expo-sqlite 16's declarations (src/SQLiteDatabase.ts,
 * src/NativeStatement.ts `SQLiteRunResult`), so the package is not a dependency of this one: the
 * app opens the database (`openDatabaseSync('wallet-backup.db')`) and passes it in. expo-sqlite's
 * native module cannot run in Node: test/support/expo-sqlite-standin.ts gives the same calls the
 * same contract over better-sqlite3 for the conformance suite.
 */
import type { SqlConnection, SqlValue, SqliteDriver } from '../../src/ports/sqlite-driver.ts';
import { createBeginCommitDriver } from './begin-commit-driver.ts';

/** What this driver uses of expo-sqlite's SQLiteDatabase. */
export interface ExpoSqliteDatabase {
  execSync(source: string): void;
  runSync(source: string, params: SqlValue[]): { lastInsertRowId: number; changes: number };
  getAllSync<T>(source: string, params: SqlValue[]): T[];
  getFirstSync<T>(source: string, params: SqlValue[]): T | null;
  serializeSync(databaseName?: string): Uint8Array;
  closeSync(): void;
}

function connectionOf(db: ExpoSqliteDatabase): SqlConnection {
  return {
    exec(sql) {
      db.execSync(sql);
    },
    run(sql, params = []) {
      const result = db.runSync(sql, [...params]);
      return { changes: result.changes, lastInsertRowid: result.lastInsertRowId };
    },
    all: <Row extends object>(sql: string, params: readonly SqlValue[] = []) => db.getAllSync<Row>(sql, [...params]),
    get: <Row extends object>(sql: string, params: readonly SqlValue[] = []) => db.getFirstSync<Row>(sql, [...params]) ?? undefined,
  };
}

export interface ExpoSqliteDriverOptions {
  /** What a commit survives with the pragmas the opener set (the README's table). */
  durability: string;
}

/** The driver over an open expo-sqlite database; closing the driver closes it. */
export function createExpoSqliteDriver(db: ExpoSqliteDatabase, options: ExpoSqliteDriverOptions): SqliteDriver {
  return createBeginCommitDriver({
    name: 'expo-sqlite',
    durability: options.durability,
    connection: connectionOf(db),
    execute: (sql) => db.execSync(sql),
    close: () => db.closeSync(),
    exportBytes: async () => db.serializeSync('main'),
  });
}
