/**
 * Local-folder CloudDrive: the embedded default, standing in for a synced cloud drive.
 *
 * Layout under `root`:
 *   <root>/<provider>/device.json                     the simulated device (see local-sim-state.ts)
 *   <root>/<provider>/accounts/<account>/<path>       each account's app folder; the account id
 *                                                     (an email, say) is URI-encoded into one name
 * Only the signed-in account's folder is reachable, so signing in to another account hides the
 * backups of the first (R11). Writes are atomic and checked against the account's quota before
 * anything touches the disk (R12); HMS Core (R13) and sign-in are checked on every call.
 *
 * Nothing outside the account folder is ever touched: the adapter never follows a symlink and
 * only ever reads, writes, creates or deletes regular files, through real folders.
 * - read, write, create, delete: a symlink, FIFO, device or socket at the path, or a symlink (or
 *   anything but a real folder) on the way to it, the account folder itself included, is refused
 *   with CloudError('not-a-file') naming the path; the link's target is never opened, written or
 *   removed. A regular file where a folder is needed (or a folder where a file is) stays the plain
 *   Error both adapters throw for it. A regular file over the read's cap is refused with
 *   CloudError('too-large') from its size, before a byte is read; the cap is also enforced while
 *   reading (the file may grow).
 * - list and quota: a prefix that is, or passes through, a symlink is refused with 'not-a-file'
 *   as read refuses it. Inside the listed folder, entries that are not regular files or real
 *   folders (symlinks, FIFOs, devices, sockets) are skipped: they are not files of the account, a
 *   read of them would be refused, and one stray entry must not hide every backup. They count
 *   for nothing in the quota.
 * The folders above the account folder (root, provider, accounts/) are the operator's choice and
 * may be links. A folder swapped for a symlink between the check and the write is not caught
 * (Node has no openat): the check stops a link that is there, not a race with a local attacker.
 * Node only.
 */
import { mkdir, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { CloudError, type CloudDrive, type DriveStatus } from '../../src/ports/cloud-drive.ts';
import { PROVIDERS, type ProviderId } from '../../src/ports/providers.ts';
import { networkError, notAFileError, quotaExceededError, requireUsableDrive, tooLargeError } from './drive-errors.ts';
import { FOLDER_MODE, createFileExclusive, folderChain, hasErrorCode, listStoredFiles, lstatOrNull, writeFileAtomic } from './local-files.ts';
import { NotRegularFileError, TooLargeError, fileKind, readFileBounded } from '../fs/read-bounded.ts';
import { providerFolder, readSimState, writeSimState } from './local-sim-state.ts';
import { checkDrivePath, checkDrivePrefix, enclosingFolders } from './paths.ts';

export {
  DEFAULT_QUOTA_BYTES,
  DEFAULT_SIM_STATE,
  deviceFile,
  readSimState,
  writeSimState,
  type LocalSimPatch,
  type LocalSimState,
} from './local-sim-state.ts';

export interface LocalFolderCloudOptions {
  /** The folder standing in for the cloud; created on first write. */
  root: string;
  provider: ProviderId;
  /** The account signed in when device.json names none. */
  account?: string;
}

/** The folder holding an account's files. */
export function accountFolder(root: string, provider: ProviderId, account: string): string {
  return join(providerFolder(root, provider), 'accounts', accountFolderName(account));
}

/**
 * One safe folder name per account id. encodeURIComponent removes '/', '\\' and ':', but keeps
 * '.', so "." and ".." would still name other folders: a leading dot is encoded too (which also
 * keeps account folders from being hidden); '*' is encoded because Windows refuses it.
 */
export function accountFolderName(account: string): string {
  if (typeof account !== 'string' || account === '') throw new Error(`Invalid cloud account ${JSON.stringify(account)}: expected a non-empty string`);
  return encodeURIComponent(account).replace(/^\./, '%2E').replace(/\*/g, '%2A');
}

export function createLocalFolderCloud(options: LocalFolderCloudOptions): CloudDrive {
  const { root, provider } = options;
  providerFolder(root, provider); // refuses an unknown provider now rather than on first use
  if (options.account !== undefined) accountFolderName(options.account);

  async function currentStatus() {
    const state = await readSimState(root, provider);
    const status: DriveStatus = {
      account: state.signedIn ? (state.account ?? options.account ?? null) : null,
      hms: provider === 'huawei' ? state.hms : 'ok',
    };
    return { state, status };
  }

  /** The account folder and quota for a cloud call, or the CloudError that stops it (HMS, sign-in, then the scripted network). */
  async function begin(): Promise<{ folder: string; quotaBytes: number }> {
    const { state, status } = await currentStatus();
    const account = requireUsableDrive(provider, status);
    if (state.failNextOps > 0) {
      await writeSimState(root, provider, { failNextOps: state.failNextOps - 1 });
      // A simulated dropped connection: transient, as a real one is, so the engine's retry policy applies.
      const failed = networkError(provider, 'the connection failed (simulated by failNextOps in device.json)');
      throw new CloudError('network', failed.message, undefined, { transient: true, reason: 'connection failed (simulated)' });
    }
    return { folder: accountFolder(root, provider, account), quotaBytes: state.quotaBytes };
  }

  return {
    provider,

    async status() {
      return (await currentStatus()).status;
    },

    async read(path, limit) {
      checkDrivePath(path);
      const { folder } = await begin();
      if ((await realFolders(provider, folder, foldersOnTheWay(path))) !== 'real') return null;
      try {
        return await readFileBounded(join(folder, path), limit.maxBytes, { noFollow: true });
      } catch (error) {
        if (error instanceof TooLargeError) throw tooLargeError(provider, path, limit.maxBytes);
        if (error instanceof NotRegularFileError) {
          // A folder is not a file: reading one reads a missing file, as in the memory cloud.
          if (error.kind === 'a folder') return null;
          throw notAFileError(provider, path, error.kind);
        }
        throw error;
      }
    },

    async create(path, bytes) {
      checkDrivePath(path);
      const content = bytes.slice();
      const { folder, quotaBytes } = await begin();
      if ((await checkTarget(provider, folder, path)) !== null) return 'exists';
      const stored = await listStoredFiles(folder);
      const afterWrite = stored.reduce((sum, file) => sum + file.size, 0) + content.length;
      if (afterWrite > quotaBytes) {
        throw quotaExceededError(provider, afterWrite - quotaBytes, { usedBytes: afterWrite - content.length, totalBytes: quotaBytes });
      }
      const target = join(folder, path);
      let created: boolean;
      try {
        await mkdir(dirname(target), { recursive: true, mode: FOLDER_MODE });
        created = await createFileExclusive(target, content);
      } catch (error) {
        if (!hasErrorCode(error, 'ENOSPC')) throw error;
        throw diskFullError(root, content.length);
      }
      if (created) return 'created';
      // Another creator won the race, or something that is not a file appeared there meanwhile.
      const found = await lstatOrNull(target);
      if (found !== null && !found.isFile()) throw notAFileError(provider, path, fileKind(found));
      return 'exists';
    },

    async write(path, bytes) {
      checkDrivePath(path);
      // Our own copy: the caller may reuse its buffer while the write is in flight.
      const content = bytes.slice();
      const { folder, quotaBytes } = await begin();
      await checkTarget(provider, folder, path);
      const stored = await listStoredFiles(folder);
      const usedBytes = stored.reduce((sum, file) => sum + file.size, 0);
      const replacedBytes = stored.find((file) => file.path === path)?.size ?? 0;
      const afterWrite = usedBytes - replacedBytes + content.length;
      if (afterWrite > quotaBytes) {
        throw quotaExceededError(provider, afterWrite - quotaBytes, { usedBytes, totalBytes: quotaBytes });
      }
      const target = join(folder, path);
      try {
        await mkdir(dirname(target), { recursive: true, mode: FOLDER_MODE });
        await writeFileAtomic(target, content);
      } catch (error) {
        if (!hasErrorCode(error, 'ENOSPC')) throw error;
        throw diskFullError(root, content.length);
      }
    },

    async list(prefix) {
      const prefixFolder = checkDrivePrefix(prefix);
      const { folder } = await begin();
      const folders = prefixFolder === '' ? [''] : [...foldersOnTheWay(prefixFolder), prefixFolder];
      // A missing prefix, or a file where it names a folder, lists nothing.
      if ((await realFolders(provider, folder, folders)) !== 'real') return [];
      const stored = await listStoredFiles(prefixFolder === '' ? folder : join(folder, prefixFolder), { sizes: false });
      return stored.map((file) => (prefixFolder === '' ? file.path : `${prefixFolder}/${file.path}`)).sort();
    },

    async delete(path) {
      checkDrivePath(path);
      const { folder } = await begin();
      if ((await realFolders(provider, folder, foldersOnTheWay(path))) !== 'real') return;
      const target = join(folder, path);
      const found = await lstatOrNull(target);
      // A folder is not a file: deleting it is deleting a missing file, a no-op (as in the memory cloud).
      if (found === null || found.isDirectory()) return;
      if (!found.isFile()) throw notAFileError(provider, path, fileKind(found));
      try {
        await unlink(target);
      } catch (error) {
        if (hasErrorCode(error, 'ENOENT', 'ENOTDIR')) return;
        throw error;
      }
    },

    async quota() {
      const { folder, quotaBytes } = await begin();
      const stored = (await realFolders(provider, folder, [''])) === 'real' ? await listStoredFiles(folder) : [];
      return { usedBytes: stored.reduce((sum, file) => sum + file.size, 0), totalBytes: quotaBytes };
    },
  };
}

/** One local-folder drive per provider, all under the same root (each with its own device.json). */
export function createLocalFolderClouds(options: { root: string; account?: string }): Record<ProviderId, CloudDrive> {
  const drives = PROVIDERS.map((provider) => [provider, createLocalFolderCloud({ ...options, provider })] as const);
  return Object.fromEntries(drives) as Record<ProviderId, CloudDrive>;
}

function diskFullError(root: string, bytes: number): CloudError {
  return new CloudError('quota-exceeded', `The disk holding the local cloud folder ${root} is full: free at least ${bytes} bytes, then retry.`, bytes);
}

/** The folders from the account folder ('') down to the one holding `path`, outermost first. */
function foldersOnTheWay(path: string): string[] {
  return ['', ...enclosingFolders(path)];
}

/**
 * Whether the folders (relative to the account folder, outermost first; '' is the account folder
 * itself) are real: 'real' when each is a real folder, 'missing' when one does not exist, 'file'
 * when a regular file stands where a folder is needed. A symlink or any other non-folder on the
 * way is refused with not-a-file: the adapter never follows a link.
 */
async function realFolders(provider: ProviderId, folder: string, folders: readonly string[]): Promise<'real' | 'missing' | 'file'> {
  const chain = await folderChain(folder, folders);
  if (chain.kind === 'not-a-folder') throw notAFileError(provider, chain.at === '' ? null : chain.at, fileKind(chain.stats), 'a folder');
  return chain.kind;
}

/**
 * Before a write or create: the regular file already at `path` (its stats), or null when there
 * is none. Refused: a symlink or other non-folder on the way or a non-regular file at the path
 * (not-a-file), a regular file where a folder is needed or a folder at the path (plain Error, as
 * the memory cloud refuses them).
 */
async function checkTarget(provider: ProviderId, folder: string, path: string): Promise<Stats | null> {
  const chain = await folderChain(folder, foldersOnTheWay(path));
  if (chain.kind === 'missing') return null;
  if (chain.kind === 'file') throw new Error(`Cannot write cloud file ${JSON.stringify(path)}: ${JSON.stringify(chain.at)} is a file, not a folder`);
  if (chain.kind === 'not-a-folder') throw notAFileError(provider, chain.at === '' ? null : chain.at, fileKind(chain.stats), 'a folder');
  const info = await lstatOrNull(join(folder, path));
  if (info === null || info.isFile()) return info;
  if (info.isDirectory()) throw new Error(`Cannot write cloud file ${JSON.stringify(path)}: it is a folder`);
  throw notAFileError(provider, path, fileKind(info));
}
