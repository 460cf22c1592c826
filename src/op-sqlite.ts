/**
 * Package entry "./op-sqlite": the SQLite event log in React Native on op-sqlite
 * (@op-engineering/op-sqlite, which the app installs; nothing of it is imported here: the app
 * passes its open database in, typed structurally).
 */
export { openOpSqliteEventStore, type OpSqliteEventStoreOptions } from '../adapters/store/op-sqlite-event-store.ts';
export { createOpSqliteDriver, type OpSqliteDatabase, type OpSqliteDriverOptions, type OpSqliteQueryResult } from '../adapters/store/op-sqlite-driver.ts';
