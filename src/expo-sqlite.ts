/**
 * Package entry "./expo-sqlite": the SQLite event log in React Native on expo-sqlite (which the
 * app installs; nothing of it is imported here: the app passes its open database in, typed
 * structurally).
 */
export { openExpoSqliteEventStore, type ExpoSqliteEventStoreOptions } from '../adapters/store/expo-sqlite-event-store.ts';
export { createExpoSqliteDriver, type ExpoSqliteDatabase, type ExpoSqliteDriverOptions } from '../adapters/store/expo-sqlite-driver.ts';
