/**
 * In-memory CloudDrive with fault injection, for tests.
 *
 * One instance is one provider's cloud as seen from one device: it holds files per account, and
 * the signed-in account decides which files are visible (so the wrong-account case, R11, is real).
 * A test steers the simulated device (`device`), scripts failures (`faults`: storage full, network
 * down, torn uploads, bit flips on read) and inspects what is stored (`files`, `opCounts`), so
 * every error branch of the engine can be reached deterministically.
 * Browser-safe: no node imports.
 */
import { CloudError, type CloudDrive, type CloudErrorCode, type DriveQuota, type DriveStatus, type HmsCoreState } from '../../src/ports/cloud-drive.ts';
import type { ProviderId } from '../../src/ports/providers.ts';
import { cloudErrorFor, networkError, quotaExceededError, requireUsableDrive, tooLargeError } from './drive-errors.ts';
import { checkDrivePath, checkDrivePrefix, enclosingFolders, isUnderFolder } from './paths.ts';

export const MEMORY_DEFAULT_QUOTA_BYTES = 15 * 1024 * 1024;

/** The drive calls that reach the cloud (status() only asks the device). */
export type DriveOp = 'read' | 'write' | 'create' | 'list' | 'delete' | 'quota';

export interface MemoryCloudOptions {
  provider: ProviderId;
  /** The account signed in on the device; null or absent means signed out. */
  account?: string | null;
  /** Storage limit of each account, in bytes. */
  quotaBytes?: number;
  /** HMS Core state; only a huawei drive reports or enforces it. */
  hms?: HmsCoreState;
  /**
   * Another device on the same cloud: this drive sees and changes the same files, with its own
   * sign-in, faults, gate and counts (two phones on one account).
   */
  sameCloudAs?: MemoryCloud;
}

/** The files of each cloud, so that a second device can be opened on the same one. */
const cloudFiles = new WeakMap<MemoryCloud, Map<string, Map<string, Uint8Array>>>();

export interface ScriptedFaultOptions {
  message?: string;
  /** For 'quota-exceeded': the bytes the error says are missing (default 1). */
  neededBytes?: number;
  /**
   * For 'network': a transient failure (a dropped connection, a 503) with this reason, which the
   * engine's retry policy retries; without it a network fault is one no retry helps.
   */
  transient?: { reason: string; retryAfterMs?: number | null };
}

export interface FaultControl {
  /** Queues a one-shot failure: the next call of `op` (or of any op) throws CloudError(code). Queued faults fire in order. */
  failNext(op: DriveOp | 'any', code: CloudErrorCode, options?: ScriptedFaultOptions): void;
  /** Sets the quota to what the signed-in account uses now: growing writes fail until space is freed or the quota raised. */
  quotaFull(): void;
  /** While down, every cloud call throws CloudError('network'). */
  networkDown(down: boolean): void;
  /** The next write stores only a prefix of its bytes (default: half) yet reports success, like a broken sync. */
  tornWrite(options?: { keepBytes?: number }): void;
  /** The next read of a matching path returns its bytes with one bit flipped (default: lowest bit of the middle byte); the stored file is untouched. */
  corruptRead(target: string | ((path: string) => boolean), options?: { bitIndex?: number }): void;
  /** Drops every pending fault and brings the network back up. */
  clear(): void;
}

/** A call the test holds at the drive's door (before it touches any file), to force an interleaving. */
export interface HeldCall {
  readonly op: DriveOp;
  readonly path: string;
  /** Lets the call go on; it then runs against the files as they are at that moment. */
  release(): void;
}

export interface CallGate {
  /**
   * Every later call for which `matches` is true waits until released; the promise resolves with
   * the first such call once it is waiting. Several holds may be armed; each catches one call.
   */
  hold(matches: (op: DriveOp, path: string) => boolean): Promise<HeldCall>;
}

export interface MemoryDevice {
  /** Signs in another account, or signs out with null. */
  setAccount(account: string | null): void;
  setQuotaBytes(bytes: number): void;
  setHms(state: HmsCoreState): void;
}

export interface MemoryFiles {
  /** Copies of every stored file, per account then per path, both sorted. */
  snapshot(): Record<string, Record<string, Uint8Array>>;
  /** Stores a file directly, bypassing faults, sign-in and quota (test setup). */
  put(account: string, path: string, bytes: Uint8Array): void;
}

export interface MemoryCloud extends CloudDrive {
  readonly device: MemoryDevice;
  readonly gate: CallGate;
  readonly faults: FaultControl;
  readonly files: MemoryFiles;
  /** How many times each call was made, failed ones included. */
  opCounts(): Record<DriveOp | 'status', number>;
}

interface QueuedFault {
  op: DriveOp | 'any';
  code: CloudErrorCode;
  options: ScriptedFaultOptions;
}

interface PendingCorruption {
  matches: (path: string) => boolean;
  bitIndex: number | undefined;
}

export function createMemoryCloud(options: MemoryCloudOptions): MemoryCloud {
  const { provider } = options;
  let account = checkAccount(options.account ?? null);
  let quotaBytes = checkQuota(options.quotaBytes ?? MEMORY_DEFAULT_QUOTA_BYTES);
  let hms: HmsCoreState = options.hms ?? 'ok';
  let networkIsDown = false;
  const queuedFaults: QueuedFault[] = [];
  const pendingTornWrites: Array<number | undefined> = [];
  const pendingCorruptions: PendingCorruption[] = [];
  const filesByAccount = options.sameCloudAs ? cloudFiles.get(options.sameCloudAs)! : new Map<string, Map<string, Uint8Array>>();
  const counts: Record<DriveOp | 'status', number> = { status: 0, read: 0, write: 0, create: 0, list: 0, delete: 0, quota: 0 };
  const holds: Array<{ matches: (op: DriveOp, path: string) => boolean; caught: (call: HeldCall) => void }> = [];

  /** Waits at the door while a test holds this call (gate.hold); no file is touched before. */
  async function door(op: DriveOp, path: string): Promise<void> {
    const index = holds.findIndex((armed) => armed.matches(op, path));
    if (index < 0) return;
    const [armed] = holds.splice(index, 1);
    await new Promise<void>((release) => armed!.caught({ op, path, release }));
  }

  function currentStatus(): DriveStatus {
    return { account, hms: provider === 'huawei' ? hms : 'ok' };
  }

  function accountFiles(owner: string): Map<string, Uint8Array> {
    let files = filesByAccount.get(owner);
    if (!files) {
      files = new Map();
      filesByAccount.set(owner, files);
    }
    return files;
  }

  function usedBytes(owner: string | null): number {
    if (owner === null) return 0;
    let total = 0;
    for (const bytes of accountFiles(owner).values()) total += bytes.length;
    return total;
  }

  /** Scripted faults first (a test that scripts one means it), then the device, then the network. */
  function begin(op: DriveOp): string {
    counts[op] += 1;
    const index = queuedFaults.findIndex((fault) => fault.op === op || fault.op === 'any');
    if (index >= 0) {
      const [fault] = queuedFaults.splice(index, 1);
      if (fault) throw scriptedError(fault);
    }
    const owner = requireUsableDrive(provider, currentStatus());
    if (networkIsDown) throw networkError(provider, 'the network is down');
    return owner;
  }

  function scriptedError(fault: QueuedFault): Error {
    const error = cloudErrorFor(fault.code, provider, fault.options.neededBytes);
    if (fault.options.message !== undefined) error.message = fault.options.message;
    const transient = fault.options.transient;
    if (fault.code === 'network' && transient !== undefined) {
      return new CloudError('network', error.message, undefined, { transient: true, retryAfterMs: transient.retryAfterMs ?? null, reason: transient.reason });
    }
    return error;
  }

  function corruptIfScripted(path: string, bytes: Uint8Array): Uint8Array {
    if (bytes.length === 0) return bytes;
    const index = pendingCorruptions.findIndex((pending) => pending.matches(path));
    if (index < 0) return bytes;
    const [pending] = pendingCorruptions.splice(index, 1);
    const bitCount = bytes.length * 8;
    const bit = pending?.bitIndex === undefined ? Math.floor(bytes.length / 2) * 8 : ((pending.bitIndex % bitCount) + bitCount) % bitCount;
    const flipped = bytes.slice();
    flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
    return flipped;
  }

  /** Stores a file as a write does: folder clashes and the quota checked, a scripted torn write applied. */
  function storeChecked(owner: string, files: Map<string, Uint8Array>, path: string, bytes: Uint8Array): void {
    refuseFileFolderClash(files, path);
    const used = usedBytes(owner);
    const afterWrite = used - (files.get(path)?.length ?? 0) + bytes.length;
    if (afterWrite > quotaBytes) {
      throw quotaExceededError(provider, afterWrite - quotaBytes, { usedBytes: used, totalBytes: quotaBytes });
    }
    const tornKeep = pendingTornWrites.length > 0 ? pendingTornWrites.shift() : null;
    const stored = tornKeep === null ? bytes.slice() : bytes.slice(0, Math.min(bytes.length, tornKeep ?? Math.floor(bytes.length / 2)));
    files.set(path, stored);
  }

  function refuseFileFolderClash(files: Map<string, Uint8Array>, path: string): void {
    const fileInTheWay = enclosingFolders(path).find((folder) => files.has(folder));
    if (fileInTheWay !== undefined) throw new Error(`Cannot write cloud file "${path}": "${fileInTheWay}" is a file, not a folder`);
    for (const existing of files.keys()) {
      if (isUnderFolder(existing, path)) throw new Error(`Cannot write cloud file "${path}": it is a folder`);
    }
  }

  const drive: MemoryCloud = {
    provider,

    async status() {
      counts.status += 1;
      return currentStatus();
    },

    async read(path, limit) {
      checkDrivePath(path);
      await door('read', path);
      const files = accountFiles(begin('read'));
      const stored = files.get(path);
      if (stored === undefined) return null;
      if (stored.length > limit.maxBytes) throw tooLargeError(provider, path, limit.maxBytes);
      return corruptIfScripted(path, stored.slice());
    },

    async create(path, bytes) {
      checkDrivePath(path);
      await door('create', path);
      const owner = begin('create');
      const files = accountFiles(owner);
      if (files.has(path)) return 'exists';
      storeChecked(owner, files, path, bytes);
      return 'created';
    },

    async write(path, bytes) {
      checkDrivePath(path);
      await door('write', path);
      const owner = begin('write');
      storeChecked(owner, accountFiles(owner), path, bytes);
    },

    async list(prefix) {
      const folder = checkDrivePrefix(prefix);
      await door('list', folder);
      const files = accountFiles(begin('list'));
      return [...files.keys()].filter((path) => isUnderFolder(path, folder)).sort();
    },

    async delete(path) {
      checkDrivePath(path);
      await door('delete', path);
      accountFiles(begin('delete')).delete(path);
    },

    async quota(): Promise<DriveQuota> {
      return { usedBytes: usedBytes(begin('quota')), totalBytes: quotaBytes };
    },

    device: {
      setAccount(next) {
        account = checkAccount(next);
      },
      setQuotaBytes(bytes) {
        quotaBytes = checkQuota(bytes);
      },
      setHms(state) {
        hms = state;
      },
    },

    faults: {
      failNext(op, code, scripted = {}) {
        queuedFaults.push({ op, code, options: scripted });
      },
      quotaFull() {
        quotaBytes = usedBytes(account);
      },
      networkDown(down) {
        networkIsDown = down;
      },
      tornWrite(torn = {}) {
        pendingTornWrites.push(torn.keepBytes);
      },
      corruptRead(target, corruption = {}) {
        const matches = typeof target === 'string' ? (path: string) => path === target : target;
        pendingCorruptions.push({ matches, bitIndex: corruption.bitIndex });
      },
      clear() {
        queuedFaults.length = 0;
        pendingTornWrites.length = 0;
        pendingCorruptions.length = 0;
        networkIsDown = false;
      },
    },

    gate: {
      hold(matches) {
        return new Promise<HeldCall>((caught) => holds.push({ matches, caught }));
      },
    },

    files: {
      snapshot() {
        const copy: Record<string, Record<string, Uint8Array>> = {};
        for (const owner of [...filesByAccount.keys()].sort()) {
          const files = filesByAccount.get(owner) ?? new Map<string, Uint8Array>();
          if (files.size === 0) continue;
          copy[owner] = Object.fromEntries([...files.keys()].sort().map((path) => [path, (files.get(path) ?? new Uint8Array()).slice()]));
        }
        return copy;
      },
      put(owner, path, bytes) {
        checkDrivePath(path);
        accountFiles(checkAccount(owner) as string).set(path, bytes.slice());
      },
    },

    opCounts() {
      return { ...counts };
    },
  };
  cloudFiles.set(drive, filesByAccount);
  return drive;
}

/** One independent memory cloud per provider: files, faults and sign-in are never shared between them. */
export function createMemoryClouds(options: Omit<MemoryCloudOptions, 'provider'> = {}): Record<ProviderId, MemoryCloud> {
  return {
    icloud: createMemoryCloud({ ...options, provider: 'icloud' }),
    gdrive: createMemoryCloud({ ...options, provider: 'gdrive' }),
    huawei: createMemoryCloud({ ...options, provider: 'huawei' }),
  };
}

function checkAccount(account: string | null): string | null {
  if (account !== null && (typeof account !== 'string' || account === '')) {
    throw new Error(`Invalid cloud account ${JSON.stringify(account)}: expected a non-empty string or null (signed out)`);
  }
  return account;
}

function checkQuota(bytes: number): number {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new Error(`Invalid quota ${bytes}: expected a whole number of bytes, 0 or more`);
  return bytes;
}
