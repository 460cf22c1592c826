/**
 * wallet-backup-engine: the browser-safe and React Native-safe entry point.
 *
 * Everything here runs without Node: the machines, the engine, the age record format, the
 * log's hashing, redaction and replay, and the in-memory and portable adapters. Node-only
 * parts (SQLite store, node:crypto scrypt, local-folder cloud, CLI) are in ./node.ts.
 */
export * from '../machines/index.ts';
export * from './engine/index.ts';
export * from './format/index.ts';
export * from './log/index.ts';
export * from './audit/index.ts';
export * from './ports/cloud-drive.ts';
export * from './ports/event-store.ts';
export * from './ports/kdf.ts';
export * from './ports/providers.ts';
export { createMemoryCloud, createMemoryClouds, type MemoryCloud, type FaultControl } from '../adapters/cloud/memory.ts';
export { openMemoryEventStore } from '../adapters/store/memory-event-store.ts';
export { createNobleScrypt } from '../adapters/kdf/noble-scrypt.ts';
// Both machines/ and the format or ports name these; they are the same types.
export type { PasswordHint } from './format/index.ts';
export type { ProviderId } from './ports/providers.ts';
export { EnvironmentError } from './platform/environment-error.ts';
export { PLATFORM_REQUIREMENTS, missingGlobals, assertPlatform, type PlatformRequirement } from './platform/requirements.ts';
