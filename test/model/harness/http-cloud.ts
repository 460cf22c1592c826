/**
 * The model world's cloud over real HTTP: the MemoryCloud surface the scripted world (world.ts,
 * corruptions.ts) arranges, backed by the Google Drive adapter (adapters/cloud/google-drive.ts)
 * talking to google-drive-mock behind our fault proxy (test/support/drive-fault-proxy.ts). Each
 * outcome the world scripts is produced at the proxy, as a real Drive would produce it:
 *   NETWORK.RETRYING        the next request's connection is dropped before it reaches the mock
 *                           (transient: the engine's policy retries it, logged; BACKOFF.DONE follows)
 *   NETWORK.FAILED          after BACKOFF.DONE, a dropped connection again (the world's 2-try budget is
 *                           spent); elsewhere an answer no retry helps (400 badRequest, not transient)
 *   UPLOAD.QUOTA_EXCEEDED   the proxy's storage limit set below the account's usage: 403 storageQuotaExceeded
 *                           (https://developers.google.com/drive/api/guides/handle-errors)
 *   ACCOUNT.CHANGED, PROVIDER.NOT_SIGNED_IN / WRONG_ACCOUNT   the device's sign-in (the adapter's
 *                           getAccount and getAccessToken) names Bob, or nobody
 *   VERIFY.MISMATCH         the next download of a wallet record comes with one bit flipped
 *   corruptions, backups made elsewhere   files stored in or deleted from the mock directly
 * What it cannot produce: HMS Core states (Drive has none: those paths are Huawei's and keep the
 * scripted memory cloud), the memory cloud's torn writes and network-down switch (not used by the
 * model world) and its call gate.
 *
 * One emulator serves a whole test file (google-drive-mock keeps one store per process); each run
 * gets its own Drive per account (the proxy's `drive` namespace) and deletes its files when done.
 * files.snapshot() is synchronous, as the world reads it: it answers the mock's files as read back
 * after the last call through this cloud finished.
 */
import { createGoogleDriveCloud } from '../../../adapters/cloud/google-drive.ts';
import type { MemoryCloud } from '../../../adapters/cloud/memory.ts';
import { MEMORY_DEFAULT_QUOTA_BYTES } from '../../../adapters/cloud/memory.ts';
import type { CloudDrive, HmsCoreState } from '../../../src/ports/cloud-drive.ts';
import type { DriveEmulator } from '../../support/drive-fault-proxy.ts';

export interface HttpCloud extends MemoryCloud {
  /** The access tokens the adapter was given (item 8: none may reach the log). */
  tokens(): string[];
  /** Deletes the run's files from the mock. */
  dispose(): Promise<void>;
}


export function createHttpDriveCloud(emulator: DriveEmulator, options: { run: string; account: string | null }): HttpCloud {
  const driveOf = (account: string) => `${options.run}~${account}`;
  const tokens = new Map<string, string>();
  const tokenOf = (account: string): string => {
    let token = tokens.get(account);
    if (token === undefined) {
      token = emulator.issueToken(account, { drive: driveOf(account) });
      tokens.set(account, token);
    }
    return token;
  };
  let signedIn = options.account;
  const adapter = createGoogleDriveCloud({
    getAccessToken: async () => (signedIn === null ? null : tokenOf(signedIn)),
    getAccount: async () => signedIn,
    baseUrl: emulator.url,
  });
  const counts = { read: 0, write: 0, create: 0, list: 0, delete: 0, quota: 0, status: 0 };
  let mirror: Record<string, Record<string, Uint8Array>> = {};
  const ids = new Map<string, string>();
  let background: Promise<void> = Promise.resolve();

  async function refresh(): Promise<void> {
    const next: Record<string, Record<string, Uint8Array>> = {};
    ids.clear();
    for (const file of await emulator.files()) {
      if (!file.account.startsWith(`${options.run}~`)) continue;
      const account = file.account.slice(options.run.length + 1);
      (next[account] ??= {})[file.name] = file.bytes;
      ids.set(`${account}\n${file.name}`, file.id);
    }
    mirror = Object.fromEntries(Object.entries(next).sort().map(([account, files]) => [account, Object.fromEntries(Object.entries(files).sort())]));
  }

  /** Every call waits for direct stores still on their way, then reads the mock's files back. */
  async function call<T>(op: keyof typeof counts, run: (drive: CloudDrive) => Promise<T>): Promise<T> {
    counts[op] += 1;
    await background;
    try {
      return await run(adapter);
    } finally {
      if (op !== 'status' && op !== 'read' && op !== 'list' && op !== 'quota') await refresh();
    }
  }

  const unsupported = (what: string) => () => {
    throw new Error(`the HTTP model world cannot produce ${what}`);
  };

  return {
    provider: adapter.provider,
    status: () => call('status', (drive) => drive.status()),
    read: (path, limit) => call('read', (drive) => drive.read(path, limit)),
    write: (path, bytes) => call('write', (drive) => drive.write(path, bytes)),
    create: (path, bytes) => call('create', (drive) => drive.create(path, bytes)),
    list: (prefix) => call('list', (drive) => drive.list(prefix)),
    delete: (path) => call('delete', (drive) => drive.delete(path)),
    quota: () => call('quota', (drive) => drive.quota()),
    device: {
      setAccount(account) {
        signedIn = account;
      },
      setQuotaBytes(bytes) {
        emulator.setQuotaLimit(bytes);
      },
      setHms(state: HmsCoreState) {
        if (state !== 'ok') unsupported('an HMS Core state on Google Drive')();
      },
    },
    gate: { hold: unsupported('a held call') },
    faults: {
      failNext(op, code, scripted = {}) {
        if (op !== 'any' || code !== 'network') unsupported(`a scripted ${code} on ${op}`)();
        if (scripted.transient === undefined) {
          // No retry helps: an answer the adapter does not handle (400 badRequest) is a network
          // failure that is not transient, so the engine waits for the person at once.
          emulator.fail('any', { kind: 'status', status: 400, reason: 'badRequest' });
          return;
        }
        // Transient: the connection dropped before the request reached the mock. The adapter
        // names it 'connection dropped', the reason the model's NETWORK.RETRYING carries.
        if (scripted.transient.reason !== 'connection dropped') unsupported(`a transient failure named ${scripted.transient.reason}`)();
        emulator.fail('any', { kind: 'drop-before' });
      },
      quotaFull: unsupported('quotaFull'),
      networkDown: unsupported('networkDown'),
      tornWrite: unsupported('a torn write'),
      corruptRead(target) {
        const matches = typeof target === 'string' ? (path: string) => path === target : target;
        emulator.corruptNextDownload(matches);
      },
      clear() {
        emulator.clearFaults();
      },
    },
    files: {
      snapshot: () => structuredClone(mirror),
      put(account, path, bytes) {
        ((mirror[account] ??= {})[path] = bytes.slice());
        const copy = bytes.slice();
        background = background.then(async () => {
          const old = ids.get(`${account}\n${path}`);
          if (old !== undefined) await emulator.removeFile(old);
          await emulator.seed(path, copy, { account: driveOf(account) });
          await refresh();
        });
      },
    },
    opCounts: () => ({ ...counts }),
    tokens: () => [...tokens.values()],
    async dispose() {
      await background;
      await refresh();
      for (const id of ids.values()) await emulator.removeFile(id);
      emulator.clearFaults();
      emulator.setQuotaLimit(MEMORY_DEFAULT_QUOTA_BYTES);
    },
  };
}
