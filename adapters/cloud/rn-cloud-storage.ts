/**
 * A CloudDrive over `react-native-cloud-storage`'s fs-like CloudStorage API: the file bridge many
 * React Native wallets use for the iCloud container (iOS) and Google Drive (Android).
 *
 * The API (react-native-cloud-storage 3.1.0, dist/typescript/cloud-storage.d.ts and
 * types/native.d.ts; MIT) is typed structurally here (`CloudStorageFiles`), so this adapter pulls
 * no code of the package, or of React Native, into an app: the app passes its `CloudStorage`
 * instance (or `new CloudStorage(provider, options)`), which has these methods.
 *
 * Layout: each port path P is the file `<root>/P` in the storage's default scope (the app's
 * `AppData`, `app_data`, is the one to configure), its bytes base64 text, as the API reads and
 * writes strings only.
 *
 * What the API offers, and what the adapter does with it:
 *   read    `exists`, `stat` (the cap is checked on the size before reading), `readFile`. iCloud
 *           may list a file it has not downloaded yet: `ERR_FILE_NOT_DOWNLOADABLE` makes the
 *           adapter `triggerSync` once and read again; still not there, a transient network error
 *           (the engine's retry policy waits and tries again).
 *   write   `mkdir` for each enclosing folder, then `writeFile`: the package writes a whole string;
 *           whether a reader can see a part of it is the platform's (iCloud writes through
 *           NSFileCoordinator; Drive uploads in one request).
 *   create  NO conditional create exists in the API: `exists`, then `writeFile`, serialised within
 *           this adapter instance. Two DEVICES creating one path at once can both be told
 *           `created`: the port's cross-device promise is not kept (docs/rn-cloud-storage.md).
 *   quota   no quota in the API: the bytes of this app's files, total unknown (MAX_SAFE_INTEGER).
 *           A full iCloud or Drive fails the write with `ERR_WRITE_ERROR`, which names no cause:
 *           it is a network error saying storage may be full, never quota-exceeded with bytes.
 *   status  `isCloudAvailable` (false: nobody signed in to iCloud, or iCloud off for the app),
 *           and the account from the app (`getAccount`): the API names none.
 * Errors: `CloudStorageError.code` strings mapped to CloudError codes (errorOf below).
 */
import { base64nopad } from '@scure/base';
import { CloudError, type CloudDrive, type CreateResult, type DriveQuota, type DriveStatus, type ReadLimit } from '../../src/ports/cloud-drive.ts';
import type { ProviderId } from '../../src/ports/providers.ts';
import { networkError, notSignedInError, tooLargeError } from './drive-errors.ts';
import { checkDrivePath, checkDrivePrefix, enclosingFolders } from './paths.ts';

/** What the adapter calls of react-native-cloud-storage's CloudStorage (3.1.0), structurally. */
export interface CloudStorageFiles {
  isCloudAvailable(): Promise<boolean>;
  exists(path: string): Promise<boolean>;
  readFile(path: string): Promise<string>;
  writeFile(path: string, data: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  unlink(path: string): Promise<void>;
  stat(path: string): Promise<{ size: number; isDirectory(): boolean; isFile(): boolean }>;
  triggerSync(path: string): Promise<void>;
}

export interface RnCloudStorageOptions {
  storage: CloudStorageFiles;
  /** 'icloud' for CloudStorageProvider.ICloud, 'gdrive' for CloudStorageProvider.GoogleDrive. */
  provider: Extract<ProviderId, 'icloud' | 'gdrive'>;
  /** The account signed in on the device (the API names none), or null when signed out. */
  getAccount(): Promise<string | null>;
  /** The folder the port's paths live under (default /wallet-backup-engine). */
  root?: string;
}

/** The error codes of react-native-cloud-storage 3.1.0 (types/native.d.ts) the adapter maps. */
const CODES = {
  FILE_NOT_FOUND: 'ERR_FILE_NOT_FOUND',
  DIRECTORY_NOT_FOUND: 'ERR_DIRECTORY_NOT_FOUND',
  FILE_NOT_DOWNLOADABLE: 'ERR_FILE_NOT_DOWNLOADABLE',
  AUTHENTICATION_FAILED: 'ERR_AUTHENTICATION_FAILED',
  ACCESS_TOKEN_MISSING: 'ERR_ACCESS_TOKEN_MISSING',
  NETWORK_ERROR: 'ERR_NETWORK_ERROR',
  WRITE_ERROR: 'ERR_WRITE_ERROR',
  PATH_IS_FILE: 'ERR_PATH_IS_FILE',
  PATH_IS_DIRECTORY: 'ERR_PATH_IS_DIRECTORY',
} as const;

/** The package's CloudStorageError, or anything else carrying one of its string codes. */
function codeOf(error: unknown): string | null {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_') ? code : null;
}

export function createRnCloudStorageDrive(options: RnCloudStorageOptions): CloudDrive {
  const { storage, provider } = options;
  const root = (options.root ?? '/wallet-backup-engine').replace(/\/+$/, '');
  const full = (path: string) => (path === '' ? root : `${root}/${path}`);
  let creating: Promise<unknown> = Promise.resolve();

  /** A CloudError for the package's error; an error without one of its codes is a bug and propagates. */
  function errorOf(error: unknown, operation: string): unknown {
    const code = codeOf(error);
    switch (code) {
      case null:
        return error;
      case CODES.AUTHENTICATION_FAILED:
      case CODES.ACCESS_TOKEN_MISSING:
        return notSignedInError(provider);
      case CODES.NETWORK_ERROR:
        return new CloudError('network', networkError(provider, `${operation} failed (${code})`).message, undefined, { cause: error, transient: true, retryAfterMs: null, reason: code });
      case CODES.FILE_NOT_DOWNLOADABLE:
        return new CloudError('network', networkError(provider, `${operation}: the file is not downloaded to this device yet`).message, undefined, { cause: error, transient: true, retryAfterMs: null, reason: code });
      case CODES.WRITE_ERROR:
        return new CloudError('network', networkError(provider, `${operation} failed (${code}: the storage may be full)`).message, undefined, { cause: error });
      case CODES.PATH_IS_FILE:
      case CODES.PATH_IS_DIRECTORY:
        return new Error(`Cloud path clash during ${operation}: a file where a folder is needed, or a folder where a file is (${code})`, { cause: error });
      default:
        return new CloudError('network', networkError(provider, `${operation} failed (${code})`).message, undefined, { cause: error });
    }
  }

  /** Signed in and iCloud on for the app, or not-signed-in; then the call, its errors mapped. */
  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    if ((await options.getAccount()) === null || !(await storage.isCloudAvailable())) throw notSignedInError(provider);
    try {
      return await run();
    } catch (error) {
      throw errorOf(error, operation);
    }
  }

  async function existing(path: string): Promise<'file' | 'folder' | null> {
    if (!(await storage.exists(path))) return null;
    return (await storage.stat(path)).isDirectory() ? 'folder' : 'file';
  }

  const fileInTheWay = (folder: string) => new Error(`Cloud path clash: "${folder}" is a file where a folder is needed`);
  const folderInTheWay = (path: string) => new Error(`Cloud path clash: "${path}": it is a folder where a file is needed`);

  async function ensureFolders(path: string): Promise<void> {
    if ((await existing(root)) === null) await storage.mkdir(root);
    for (const folder of enclosingFolders(path)) {
      const kind = await existing(full(folder));
      if (kind === 'file') throw fileInTheWay(folder);
      if (kind === null) await storage.mkdir(full(folder));
    }
    if ((await existing(full(path))) === 'folder') throw folderInTheWay(path);
  }

  async function readText(path: string): Promise<string> {
    try {
      return await storage.readFile(path);
    } catch (error) {
      if (codeOf(error) !== CODES.FILE_NOT_DOWNLOADABLE) throw error;
      // iCloud lists files it has not downloaded: ask for it, and read once more.
      await storage.triggerSync(path);
      return storage.readFile(path);
    }
  }

  async function listFiles(folder: string): Promise<Array<{ path: string; size: number }>> {
    const found: Array<{ path: string; size: number }> = [];
    const walk = async (relative: string): Promise<void> => {
      for (const name of await storage.readdir(full(relative))) {
        const path = relative === '' ? name : `${relative}/${name}`;
        const stats = await storage.stat(full(path));
        if (stats.isDirectory()) await walk(path);
        // Unpadded base64 of n bytes is ceil(4n/3) ASCII characters: n = floor(3 * length / 4).
        else if (stats.isFile()) found.push({ path, size: Math.floor((stats.size * 3) / 4) });
      }
    };
    // A file is not a folder: it lists nothing, as an absent folder does.
    if ((await existing(full(folder))) === 'folder') await walk(folder);
    return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  return {
    provider,

    async status(): Promise<DriveStatus> {
      const account = await options.getAccount();
      if (account === null || !(await storage.isCloudAvailable())) return { account: null, hms: 'ok' };
      return { account, hms: 'ok' };
    },

    async read(path: string, limit: ReadLimit): Promise<Uint8Array | null> {
      checkDrivePath(path);
      return call('read', async () => {
        const kind = await existing(full(path));
        if (kind === null) return null;
        if (kind === 'folder') throw folderInTheWay(path);
        // base64 of n bytes is 4*ceil(n/3) characters: refuse from the size before reading.
        const maxText = 4 * Math.ceil(limit.maxBytes / 3);
        if ((await storage.stat(full(path))).size > maxText) throw tooLargeError(provider, path, limit.maxBytes);
        const text = await readText(full(path));
        if (text.length > maxText) throw tooLargeError(provider, path, limit.maxBytes);
        let bytes: Uint8Array;
        try {
          bytes = base64nopad.decode(text);
        } catch (error) {
          throw new CloudError('corrupt', `${path} on ${provider} is not the base64 this adapter writes`, undefined, { cause: error });
        }
        if (bytes.length > limit.maxBytes) throw tooLargeError(provider, path, limit.maxBytes);
        return bytes;
      });
    },

    async write(path: string, bytes: Uint8Array): Promise<void> {
      checkDrivePath(path);
      const text = base64nopad.encode(bytes);
      return call('write', async () => {
        await ensureFolders(path);
        await storage.writeFile(full(path), text);
      });
    },

    async create(path: string, bytes: Uint8Array): Promise<CreateResult> {
      checkDrivePath(path);
      const text = base64nopad.encode(bytes);
      // Serialised within this instance: the API has no create-if-absent (see the header).
      const result = creating.then(() =>
        call('create', async (): Promise<CreateResult> => {
          await ensureFolders(path);
          if ((await existing(full(path))) !== null) return 'exists';
          await storage.writeFile(full(path), text);
          return 'created';
        }),
      );
      creating = result.catch(() => undefined);
      return result;
    },

    async list(prefix: string): Promise<string[]> {
      const folder = checkDrivePrefix(prefix);
      return call('list', async () => (await listFiles(folder)).map((file) => file.path));
    },

    async delete(path: string): Promise<void> {
      checkDrivePath(path);
      return call('delete', async () => {
        if ((await existing(full(path))) === 'file') await storage.unlink(full(path));
      });
    },

    quota(): Promise<DriveQuota> {
      return call('quota', async () => {
        const files = await listFiles('');
        return { usedBytes: files.reduce((sum, file) => sum + file.size, 0), totalBytes: Number.MAX_SAFE_INTEGER };
      });
    },
  };
}
