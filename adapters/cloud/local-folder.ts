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
 * Node only.
 */
import { lstat, mkdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CloudError, type CloudDrive, type DriveStatus } from '../../src/ports/cloud-drive.ts';
import { PROVIDERS, type ProviderId } from '../../src/ports/providers.ts';
import { networkError, notAFileError, quotaExceededError, requireUsableDrive, tooLargeError } from './drive-errors.ts';
import { FOLDER_MODE, createFileExclusive, hasErrorCode, listStoredFiles, writeFileAtomic } from './local-files.ts';
import { NotRegularFileError, TooLargeError, readFileBounded } from '../fs/read-bounded.ts';
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
      throw networkError(provider, 'the connection failed (simulated by failNextOps in device.json)');
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
      if (!(await foldersAreReal(provider, folder, path))) return null;
      try {
        return await readFileBounded(join(folder, path), limit.maxBytes, { noFollow: true });
      } catch (error) {
        if (error instanceof TooLargeError) throw tooLargeError(provider, path, limit.maxBytes);
        if (error instanceof NotRegularFileError) {
          if (error.kind === 'a folder') return null;
          throw notAFileError(provider, path, error.kind);
        }
        if (hasErrorCode(error, 'ENOENT', 'ENOTDIR', 'EISDIR')) return null;
        throw error;
      }
    },

    async create(path, bytes) {
      checkDrivePath(path);
      const content = bytes.slice();
      const { folder, quotaBytes } = await begin();
      await refuseFileFolderClash(folder, path);
      const stored = await listStoredFiles(folder);
      if (stored.some((file) => file.path === path)) return 'exists';
      const afterWrite = stored.reduce((sum, file) => sum + file.size, 0) + content.length;
      if (afterWrite > quotaBytes) {
        throw quotaExceededError(provider, afterWrite - quotaBytes, { usedBytes: afterWrite - content.length, totalBytes: quotaBytes });
      }
      const target = join(folder, path);
      try {
        await mkdir(dirname(target), { recursive: true, mode: FOLDER_MODE });
        return (await createFileExclusive(target, content)) ? 'created' : 'exists';
      } catch (error) {
        if (!hasErrorCode(error, 'ENOSPC')) throw error;
        throw diskFullError(root, content.length);
      }
    },

    async write(path, bytes) {
      checkDrivePath(path);
      // Our own copy: the caller may reuse its buffer while the write is in flight.
      const content = bytes.slice();
      const { folder, quotaBytes } = await begin();
      await refuseFileFolderClash(folder, path);
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
      const stored = await listStoredFiles(prefixFolder === '' ? folder : join(folder, prefixFolder), { sizes: false });
      return stored.map((file) => (prefixFolder === '' ? file.path : `${prefixFolder}/${file.path}`)).sort();
    },

    async delete(path) {
      checkDrivePath(path);
      const { folder } = await begin();
      const target = join(folder, path);
      try {
        // A folder is not a file: deleting it is deleting a missing file, a no-op (as in the memory cloud).
        if ((await lstat(target)).isDirectory()) return;
        await unlink(target);
      } catch (error) {
        if (hasErrorCode(error, 'ENOENT', 'ENOTDIR')) return;
        throw error;
      }
    },

    async quota() {
      const { folder, quotaBytes } = await begin();
      const stored = await listStoredFiles(folder);
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

/**
 * Whether every folder on the way to `path` inside the account folder is a real folder (false
 * when one is missing). A symlink or any other non-folder on the way is refused: the adapter never
 * follows a link out of the account folder (the account folder itself included).
 */
async function foldersAreReal(provider: ProviderId, folder: string, path: string): Promise<boolean> {
  for (const enclosing of ['', ...enclosingFolders(path)]) {
    const info = await lstatOrNull(enclosing === '' ? folder : join(folder, enclosing));
    if (info === null) return false;
    if (info.isDirectory()) continue;
    if (info.isSymbolicLink()) throw notAFileError(provider, enclosing || 'the account folder', 'a symbolic link');
    return false;
  }
  return true;
}

/** A file where the path needs a folder, or a folder where it needs a file, is refused as the memory cloud refuses it. */
async function refuseFileFolderClash(folder: string, path: string): Promise<void> {
  for (const enclosing of enclosingFolders(path)) {
    const info = await lstatOrNull(join(folder, enclosing));
    if (info === null) return;
    if (!info.isDirectory()) throw new Error(`Cannot write cloud file "${path}": "${enclosing}" is a file, not a folder`);
  }
  if ((await lstatOrNull(join(folder, path)))?.isDirectory()) throw new Error(`Cannot write cloud file "${path}": it is a folder`);
}

async function lstatOrNull(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT', 'ENOTDIR')) return null;
    throw error;
  }
}
