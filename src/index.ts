/**
 * wallet-backup-engine: the core entry (package root), for browsers, React Native and Node.
 *
 * The engine and its flows, the record format, the log's hashing, redaction and checkpoints, the
 * ports an app implements, and the in-memory adapters and pure-JS scrypt. Its declarations need
 * neither the DOM's nor Node's types and name no xstate, RxJS or age-encryption type (their
 * declarations need AbortSignal, setTimeout, ReadableStream): the consumer suite in
 * test/package/ type-checks an app against it with lib ES2022 alone.
 *
 * The other entries: ./machines (the machines, replay and audit of logs: xstate's types),
 * ./records (the age files: age-encryption's types) and ./node (SQLite log, node:crypto scrypt,
 * local-folder clouds: needs the optional peer better-sqlite3). docs/packages.md has the table.
 */
export * from './engine/index.ts';
export * from './ports/cloud-drive.ts';
export * from './ports/event-store.ts';
export * from './ports/kdf.ts';
export * from './ports/providers.ts';
export * from './ports/retry.ts';
export type { StateMeta, Outcome } from '../machines/state-meta.ts';
export type { PasswordHint, MnemonicProblem, RecordProblem, PhraseWordCount } from '../machines/events.ts';

// The record format's checks and layout (the age files are in ./records), and the log's hash
// chain, redaction and checkpoints (replay is in ./machines).
export * from './format/plain.ts';
export * from './log/chain.ts';

// Adapters that run anywhere.
export { createMemoryCloud, createMemoryClouds, type MemoryCloud, type MemoryCloudOptions, type FaultControl } from '../adapters/cloud/memory.ts';
export { openMemoryEventStore, type MemoryEventStore } from '../adapters/store/memory-event-store.ts';
// The SQLite event log over any driver (better-sqlite3: ./node; SQLite in WebAssembly:
// ./sqlite-wasm; an app's own, e.g. op-sqlite's executeSync, through the SqliteDriver port).
export * from './ports/sqlite-driver.ts';
export { createSqlEventStore, openSqlEventStore, type SqlEventStore, type SqlEventStoreOptions } from '../adapters/store/sql-event-store.ts';
export { LATEST_SCHEMA_VERSION, SchemaVersionError } from '../adapters/store/sqlite-migrations.ts';
export { createNobleScrypt } from '../adapters/kdf/noble-scrypt.ts';

// The platform: the globals the core needs beyond ECMAScript (README, "React Native and browsers").
export { EnvironmentError } from './platform/environment-error.ts';
export { PLATFORM_REQUIREMENTS, missingGlobals, assertPlatform, type PlatformRequirement } from './platform/requirements.ts';
