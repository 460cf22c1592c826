/**
 * Node-only public exports (package entry "./node"): the SQLite event log, node:crypto scrypt,
 * the local-folder clouds and their simulated device, and createNodeBackupEngine, which wires
 * those defaults into one engine. Browser and React Native code imports the package root instead.
 */
import { createBackupEngine, type BackupEngine } from './engine/index.ts';
import type { CloudDrives } from './ports/cloud-drive.ts';
import type { ProviderId } from './ports/providers.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../adapters/store/sqlite-event-store.ts';
import { createNodeScrypt } from '../adapters/kdf/node-scrypt.ts';
import { createLocalFolderClouds } from '../adapters/cloud/local-folder.ts';

export { openSqliteEventStore, type SqliteEventStore, type SqliteEventStoreOptions } from '../adapters/store/sqlite-event-store.ts';
export { betterSqliteConnection, createBetterSqliteDriver, type BetterSqliteDriverOptions } from '../adapters/store/better-sqlite3-driver.ts';
export { createNodeScrypt } from '../adapters/kdf/node-scrypt.ts';
export {
  createLocalFolderCloud,
  createLocalFolderClouds,
  readSimState,
  writeSimState,
  DEFAULT_SIM_STATE,
  DEFAULT_QUOTA_BYTES,
  type LocalFolderCloudOptions,
  type LocalSimPatch,
  type LocalSimState,
} from '../adapters/cloud/local-folder.ts';

import type { RetryPolicy } from './ports/retry.ts';
export interface NodeBackupEngineOptions {
  /** Path of the SQLite event log (created and migrated if needed), or ':memory:'. */
  db: string;
  /** Folder standing in for the clouds: one sub-folder per provider (see adapters/cloud/local-folder.ts). */
  cloud: string;
  /** Drives to use instead of the local folders under `cloud` (e.g. a provider over HTTP, from ./clouds). */
  clouds?: CloudDrives;
  /** The account signed in on the simulated devices unless their device.json names another. */
  account?: string;
  /** scrypt work factor for new keyrings; default (and production) 17. Lower it in tests only. */
  scryptLogN?: number;
  /** Names this device in the log's input rows and in the cloud checkpoints (audit's log-replaced check). */
  deviceId?: string;
  /** The engine's retry policy for transient cloud failures (default DEFAULT_RETRY_POLICY). */
  retry?: RetryPolicy;
}

export interface NodeBackupEngine extends BackupEngine {
  readonly eventLog: SqliteEventStore;
  readonly clouds: CloudDrives;
  /** Closes the event log; the engine must not be used afterwards. */
  close(): Promise<void>;
}

export function createNodeBackupEngine(options: NodeBackupEngineOptions): NodeBackupEngine {
  // Clouds first: they refuse a bad account id before the log is opened (nothing to close then).
  const clouds = options.clouds ?? createLocalFolderClouds({ root: options.cloud, ...(options.account !== undefined ? { account: options.account } : {}) });
  const eventLog = openSqliteEventStore({ path: options.db });
  const engine = createBackupEngine({
    eventLog,
    clouds,
    kdf: createNodeScrypt(),
    ...(options.scryptLogN !== undefined ? { scryptLogN: options.scryptLogN } : {}),
    ...(options.deviceId !== undefined ? { device: { id: options.deviceId } } : {}),
    ...(options.retry !== undefined ? { retry: options.retry } : {}),
  });
  return Object.assign(engine, { eventLog, clouds, close: () => eventLog.close() });
}
