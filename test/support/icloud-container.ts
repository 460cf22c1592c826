/**
 * A stand-in for react-native-cloud-storage's CloudStorage on iOS, keeping the iCloud container's
 * file semantics the bridge adapter (adapters/cloud/rn-cloud-storage.ts) must cope with. The
 * package's own iCloud code is native (CloudKit/FileManager through a TurboModule) and cannot run
 * in Node, so the bridge is tested over this; what it models, and from where:
 *
 * - One container per iCloud account, shared by every device signed in to it; each device has
 *   its own view of which files are downloaded. A file another device wrote, or one this device
 *   evicted, is listed and `exists`, but reading it fails with ERR_FILE_NOT_DOWNLOADABLE until
 *   `triggerSync` downloads it (Apple: NSMetadataUbiquitousItemDownloadingStatusKey,
 *   FileManager.startDownloadingUbiquitousItem(at:) and evictUbiquitousItem(at:); the package's
 *   `triggerSync`: "Triggers synchronization for the file at the given path", README and
 *   cloud-storage.d.ts of 3.1.0).
 * - Signed out, or iCloud off for the app: `isCloudAvailable()` is false ("iCloud may be
 *   unavailable right after app launch or if the user is not logged in", cloud-storage.d.ts).
 * - Errors carry the package's string codes (types/native.d.ts): ERR_FILE_NOT_FOUND,
 *   ERR_DIRECTORY_NOT_FOUND, ERR_PATH_IS_DIRECTORY, ERR_FILE_NOT_DOWNLOADABLE, ERR_NETWORK_ERROR;
 *   a write over the account's storage fails with ERR_WRITE_ERROR, which is all the package says.
 * - `stat().size` is the file's size in bytes (of the UTF-8 text written).
 */
import type { CloudStorageFiles } from '../../adapters/cloud/rn-cloud-storage.ts';

export class StandInCloudStorageError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

interface Container {
  files: Map<string, string>;
  folders: Set<string>;
  quotaBytes: number;
}

export interface ICloudAccounts {
  container(account: string): Container;
}

export function createICloudAccounts(): ICloudAccounts {
  const containers = new Map<string, Container>();
  return {
    container(account) {
      let container = containers.get(account);
      if (container === undefined) {
        container = { files: new Map(), folders: new Set(['/']), quotaBytes: 50 * 1024 * 1024 };
        containers.set(account, container);
      }
      return container;
    },
  };
}

export interface ICloudDevice extends CloudStorageFiles {
  signIn(account: string | null): void;
  account(): string | null;
  /** The next `count` calls (all but isCloudAvailable) fail with ERR_NETWORK_ERROR. */
  failNext(count: number): void;
  /** The next writeFile fails before storing anything (an upload cut off). */
  failNextWrite(): void;
  /** iCloud frees local space: the file stays listed, its content must be downloaded again. */
  evict(path: string): void;
  setQuotaBytes(bytes: number): void;
}

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';
const sizeOf = (text: string) => new TextEncoder().encode(text).length;

export function createICloudDevice(accounts: ICloudAccounts, account: string | null): ICloudDevice {
  let signedIn = account;
  let failures = 0;
  let failWrite = false;
  const downloaded = new Set<string>();
  const fail = (code: string, message: string): never => {
    throw new StandInCloudStorageError(message, code);
  };
  const box = (): Container => {
    if (signedIn === null) fail('ERR_UNKNOWN', 'iCloud is not available');
    if (failures > 0) {
      failures -= 1;
      fail('ERR_NETWORK_ERROR', 'The Internet connection appears to be offline.');
    }
    return accounts.container(signedIn!);
  };
  const key = (path: string) => `${signedIn}\n${path}`;
  const used = (container: Container) => [...container.files.values()].reduce((sum, text) => sum + sizeOf(text), 0);

  return {
    async isCloudAvailable() {
      return signedIn !== null;
    },
    async exists(path) {
      const container = box();
      return container.files.has(path) || container.folders.has(path);
    },
    async readFile(path) {
      const container = box();
      const text = container.files.get(path);
      if (text === undefined) return fail(container.folders.has(path) ? 'ERR_PATH_IS_DIRECTORY' : 'ERR_FILE_NOT_FOUND', `No file at ${path}`);
      if (!downloaded.has(key(path))) return fail('ERR_FILE_NOT_DOWNLOADABLE', `${path} is not downloaded`);
      return text;
    },
    async writeFile(path, data) {
      const container = box();
      if (!container.folders.has(parentOf(path))) fail('ERR_DIRECTORY_NOT_FOUND', `No folder ${parentOf(path)}`);
      if (container.folders.has(path)) fail('ERR_PATH_IS_DIRECTORY', `${path} is a folder`);
      if (failWrite) {
        failWrite = false;
        fail('ERR_NETWORK_ERROR', 'The upload was interrupted.');
      }
      const grows = sizeOf(data) - sizeOf(container.files.get(path) ?? '');
      if (used(container) + grows > container.quotaBytes) fail('ERR_WRITE_ERROR', 'The file could not be written.');
      container.files.set(path, data);
      downloaded.add(key(path));
    },
    async mkdir(path) {
      const container = box();
      if (container.files.has(path)) fail('ERR_PATH_IS_FILE', `${path} is a file`);
      if (!container.folders.has(parentOf(path))) fail('ERR_DIRECTORY_NOT_FOUND', `No folder ${parentOf(path)}`);
      container.folders.add(path);
    },
    async readdir(path) {
      const container = box();
      if (!container.folders.has(path)) fail('ERR_DIRECTORY_NOT_FOUND', `No folder ${path}`);
      const prefix = path === '/' ? '/' : `${path}/`;
      const names = [...container.files.keys(), ...container.folders]
        .filter((entry) => entry !== path && entry.startsWith(prefix) && !entry.slice(prefix.length).includes('/'))
        .map((entry) => entry.slice(prefix.length));
      return names;
    },
    async unlink(path) {
      const container = box();
      if (!container.files.delete(path)) fail('ERR_FILE_NOT_FOUND', `No file at ${path}`);
      downloaded.delete(key(path));
    },
    async stat(path) {
      const container = box();
      const text = container.files.get(path);
      const folder = container.folders.has(path);
      if (text === undefined && !folder) return fail('ERR_FILE_NOT_FOUND', `No file at ${path}`);
      return { size: text === undefined ? 0 : sizeOf(text), isDirectory: () => folder, isFile: () => !folder };
    },
    async triggerSync(path) {
      const container = box();
      if (container.files.has(path)) downloaded.add(key(path));
    },
    signIn(next) {
      signedIn = next;
    },
    account: () => signedIn,
    failNext(count) {
      failures += count;
    },
    failNextWrite() {
      failWrite = true;
    },
    evict(path) {
      downloaded.delete(key(path));
    },
    setQuotaBytes(bytes) {
      if (signedIn !== null) accounts.container(signedIn).quotaBytes = bytes;
    },
  };
}
