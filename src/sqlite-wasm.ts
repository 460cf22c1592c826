/**
 * Package entry "./sqlite-wasm": the SQLite event log on SQLite compiled to WebAssembly
 * (@sqlite.org/sqlite-wasm, an optional peer the app installs and loads itself), for browsers
 * and extensions (in a worker, persisted in the Origin Private File System) and for tools in
 * memory. Imports nothing of the WebAssembly package at run time: the app passes the module in.
 */
export { openSqliteWasmEventStore, type SqliteWasmEventStoreOptions } from '../adapters/store/sqlite-wasm-event-store.ts';
export { createSqliteWasmDriver, type Sqlite3Static, type SqliteWasmDriverOptions, type WasmDatabase } from '../adapters/store/sqlite-wasm-driver.ts';
