/**
 * Opens the engine a command runs on: the SQLite event log at --db, the local-folder clouds
 * under --cloud (signed in as --account unless `sim` says otherwise), node:crypto scrypt. The
 * log is closed when the command ends, however it ends.
 *
 * WALLET_BACKUP_SCRYPT_LOG_N is for TESTS ONLY: it lowers the scrypt work factor of new keyrings
 * below the production 2^17 (E1) so that a test suite runs in seconds. Keyrings made with it are
 * weak; a warning says so on every command that can create one.
 */
import { hostname } from 'node:os';
import { createNodeBackupEngine, type NodeBackupEngine } from '../node.ts';
import { createBackupEngine, type BackupEngine } from '../engine/index.ts';
import type { EventStore } from '../ports/event-store.ts';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { openSqliteEventStoreForReading } from '../../adapters/store/sqlite-event-store.ts';
import { createLocalFolderClouds } from '../../adapters/cloud/local-folder.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { logExists } from './log-presence.ts';
import type { CloudDrives } from '../ports/cloud-drive.ts';
import type { ProviderId } from '../ports/providers.ts';
import { assertProviderServed, parseCloudTarget } from './cloud-target.ts';
import { openHttpClouds } from './http-clouds.ts';
import { PRODUCTION_SCRYPT_LOG_N } from '../ports/kdf.ts';
import { MAX_SCRYPT_LOG_N } from '../format/index.ts';
import { CliError } from './cli-error.ts';
import { isTerminalSafe, terminalSafe } from '../text/terminal-safe.ts';
import { DEVICE_ID_ENV, SCRYPT_LOG_N_ENV } from './env-vars.ts';
import { retryPolicyFromEnv } from './retry-env.ts';

export { SCRYPT_LOG_N_ENV };

export interface EngineOptions {
  db: string;
  /** A local folder, or a provider's HTTP endpoint (cloud-target.ts). */
  cloud: string;
  tokenFile?: string;
  /** The provider the command uses: a --cloud URL must serve it. */
  provider?: ProviderId;
  account?: string;
}

/** The drives --cloud names: the local folders, or one provider's adapter over HTTP (and what to save when the command ends). */
async function openClouds(options: EngineOptions, env: NodeJS.ProcessEnv): Promise<{ clouds: CloudDrives; finish(): Promise<void> }> {
  const target = parseCloudTarget(options.cloud);
  if (target.kind === 'folder') {
    if (options.tokenFile !== undefined) throw new CliError('bad-flags', { problem: '--token-file goes with a --cloud URL (gdrive+https://…); a local-folder cloud needs no token.' });
    const clouds = createLocalFolderClouds({ root: target.path, ...(options.account !== undefined ? { account: options.account } : {}) });
    return { clouds, finish: async () => undefined };
  }
  if (options.provider !== undefined) assertProviderServed(target, options.provider);
  return openHttpClouds(target, options.tokenFile, env);
}

/** The test-only work factor from the environment, or undefined for production's. */
export function scryptLogNFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const text = env[SCRYPT_LOG_N_ENV];
  if (text === undefined || text === '') return undefined;
  const logN = Number(text);
  if (!/^\d+$/.test(text) || logN < 1 || logN > MAX_SCRYPT_LOG_N) {
    throw new CliError('bad-flags', { problem: `${SCRYPT_LOG_N_ENV}=${text} is not a whole number from 1 to ${MAX_SCRYPT_LOG_N}.` });
  }
  return logN;
}

/** The warning for a lowered work factor, or null at production strength. */
export function weakScryptWarning(env: NodeJS.ProcessEnv): string | null {
  const logN = scryptLogNFromEnv(env);
  if (logN === undefined || logN >= PRODUCTION_SCRYPT_LOG_N) return null;
  return `Warning: ${SCRYPT_LOG_N_ENV}=${logN} makes new keyrings with scrypt 2^${logN}, weaker than the production 2^${PRODUCTION_SCRYPT_LOG_N}. It is for tests only.`;
}

/** This device's id in the log: WALLET_BACKUP_DEVICE_ID, else the host name. Logged and printed, so printable. */
function deviceIdFromEnv(env: NodeJS.ProcessEnv): string {
  const text = env[DEVICE_ID_ENV];
  if (text === undefined) return hostname();
  if (text === '' || !isTerminalSafe(text)) {
    throw new CliError('bad-flags', {
      problem: `${DEVICE_ID_ENV}=${terminalSafe(text)} is not a device id: it must be non-empty, without line breaks, control, bidi or other invisible format characters.`,
    });
  }
  return text;
}

function open(options: EngineOptions, env: NodeJS.ProcessEnv, clouds: CloudDrives): NodeBackupEngine {
  const scryptLogN = scryptLogNFromEnv(env);
  const deviceId = deviceIdFromEnv(env);
  const retry = retryPolicyFromEnv(env);
  try {
    return createNodeBackupEngine({
      db: options.db,
      cloud: options.cloud,
      clouds,
      ...(options.account !== undefined ? { account: options.account } : {}),
      ...(scryptLogN !== undefined ? { scryptLogN } : {}),
      // The device is this computer: its host name, unless WALLET_BACKUP_DEVICE_ID names it.
      deviceId,
      retry,
    });
  } catch (error) {
    const unwritable = logUnwritable(error, options.db, false);
    if (unwritable) throw unwritable;
    throw new CliError('unreadable-file', { what: 'event log', path: options.db, cause: (error as Error).message });
  }
}

/** SQLite's answers that mean the log's file cannot be written: read-only media or file, a full disk, an I/O error. */
const UNWRITABLE = /^SQLITE_(READONLY|FULL|IOERR|CANTOPEN|PERM)/;

/** The SQLite error in an error's cause chain that says the log cannot be written, if any. */
export function sqliteWriteFailure(error: unknown): { code: string; message: string } | null {
  for (let at: unknown = error, depth = 0; at instanceof Error && depth < 8; at = at.cause, depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string' && UNWRITABLE.test(code)) return { code, message: at.message };
  }
  return null;
}

/** CliError 'log-unwritable' (exit 11) for such an error, or null for any other. */
export function logUnwritable(error: unknown, db: string, backupInCloud: boolean): CliError | null {
  const failure = sqliteWriteFailure(error);
  if (failure === null) return null;
  return new CliError('log-unwritable', { path: db, cause: `${failure.code}: ${failure.message}`, backupInCloud });
}

export async function withEngine<T>(options: EngineOptions, env: NodeJS.ProcessEnv, run: (engine: NodeBackupEngine) => Promise<T>): Promise<T> {
  // Clouds first: they refuse a bad URL, token file or account id before the log is opened.
  const { clouds, finish } = await openClouds(options, env);
  const engine = open(options, env, clouds);
  try {
    return await run(engine);
  } catch (error) {
    throw logUnwritable(error, options.db, false) ?? error;
  } finally {
    try {
      await engine.close().catch((error: unknown) => {
        // Closing a log whose disk is full or read-only can fail too: the error above already says why.
        if (sqliteWriteFailure(error) === null) throw error;
      });
    } finally {
      await finish();
    }
  }
}

/**
 * The engine for a command that only reads (list): the cloud, and this device's history from the
 * log at --db opened read-only (so read-only media work too), or, when there is no log yet, an
 * empty history in memory. No database file, -wal, -shm or folder is ever created. The command
 * must start no flow: nothing it does is logged.
 */
export async function withReadingEngine<T>(options: EngineOptions, env: NodeJS.ProcessEnv, run: (engine: BackupEngine) => Promise<T>): Promise<T> {
  const scryptLogN = scryptLogNFromEnv(env);
  const deviceId = deviceIdFromEnv(env);
  const retry = retryPolicyFromEnv(env);
  // Clouds first: they refuse a bad URL, token file or account id before the log is opened (nothing to close then).
  const { clouds, finish } = await openClouds(options, env);
  let eventLog: EventStore;
  if (!logExists(options.db)) eventLog = openMemoryEventStore();
  else {
    try {
      eventLog = openSqliteEventStoreForReading(options.db);
    } catch (error) {
      // An older schema is migrated first, which writes: a read-only log then fails here.
      throw logUnwritable(error, options.db, false) ?? new CliError('unreadable-file', { what: 'event log', path: options.db, cause: (error as Error).message });
    }
  }
  const engine = createBackupEngine({
    eventLog,
    clouds,
    kdf: createNodeScrypt(),
    ...(scryptLogN !== undefined ? { scryptLogN } : {}),
    device: { id: deviceId },
    retry,
  });
  try {
    return await run(engine);
  } finally {
    try {
      await eventLog.close();
    } finally {
      await finish();
    }
  }
}
