/**
 * File-system helpers of the local-folder cloud adapter: atomic writes and walking a folder.
 *
 * A write goes to a temp file in the target's own folder (so the rename stays on one file system
 * and is atomic), is fsynced, renamed over the target, and the folder is fsynced so the rename
 * itself survives a power cut. Temp files carry the reserved TEMP_NAME_PREFIX, which the walk
 * skips: a crash mid-write leaves a file nobody lists, reads or counts against the quota.
 * Node only.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { TEMP_NAME_PREFIX, isDrivePath } from './paths.ts';

export const FILE_MODE = 0o600;
export const FOLDER_MODE = 0o700;

export interface StoredFile {
  /** '/'-separated, relative to the walked folder. */
  path: string;
  size: number;
}

/** Writes `bytes` to a fresh temp file beside `target`, mode 0600, fsynced; returns its path. */
async function writeTempBeside(target: string, bytes: Uint8Array): Promise<string> {
  const temp = join(dirname(target), `${TEMP_NAME_PREFIX}${randomBytes(8).toString('hex')}`);
  const handle = await open(temp, 'wx', FILE_MODE);
  try {
    // The umask can only narrow the mode given to open(); chmod makes it exactly 0600.
    await handle.chmod(FILE_MODE);
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    await handle.close();
  }
  return temp;
}

/** Replaces `target` with `bytes` so that a reader sees the old or the new content, never a part; no temp file outlives a failure. */
export async function writeFileAtomic(target: string, bytes: Uint8Array): Promise<void> {
  const temp = await writeTempBeside(target, bytes);
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dirname(target));
}

/**
 * Creates `target` with `bytes` only if nothing is there: true when this call created it, false
 * when a file already was. The content is written and fsynced under a temp name, then hard-linked
 * to the target: link(2) fails with EEXIST atomically, across processes, so of two creators exactly
 * one wins, and a reader never sees a part of the file.
 */
export async function createFileExclusive(target: string, bytes: Uint8Array): Promise<boolean> {
  const temp = await writeTempBeside(target, bytes);
  let created = false;
  try {
    await link(temp, target);
    created = true;
  } catch (error) {
    if (!hasErrorCode(error, 'EEXIST')) throw error;
  } finally {
    await rm(temp, { force: true });
  }
  if (created) await syncFolder(dirname(target));
  return created;
}

/**
 * Every regular file under `folder`, recursively; [] when the folder does not exist. Temp files
 * and names that are not valid drive paths are skipped, and so is anything that is neither a
 * regular file nor a real folder (a symlink, to a file or a folder, a FIFO, a device, a socket):
 * the walk never follows a link. The caller checks that `folder` itself is a real folder.
 */
export async function listStoredFiles(folder: string, options: { sizes?: boolean } = {}): Promise<StoredFile[]> {
  const found: StoredFile[] = [];
  await walk(folder, '', found, options.sizes ?? true);
  return found;
}

/** How a chain of folders looks without following links: see folderChain. */
export type FolderChain =
  | { kind: 'real' }
  | { kind: 'missing' }
  /** A regular file where a folder is needed, at `at`. */
  | { kind: 'file'; at: string }
  /** A symlink, FIFO, device or socket where a folder is needed, at `at` ('' is the base folder itself). */
  | { kind: 'not-a-folder'; at: string; stats: Stats };

/**
 * Walks `folders` (relative to `base`, outermost first; '' is `base` itself) with lstat, never
 * following a link, and says whether each is a real folder, or what stops the chain first.
 */
export async function folderChain(base: string, folders: readonly string[]): Promise<FolderChain> {
  for (const folder of folders) {
    const stats = await lstatOrNull(folder === '' ? base : join(base, ...folder.split('/')));
    if (stats === null) return { kind: 'missing' };
    if (stats.isDirectory()) continue;
    if (stats.isFile()) return { kind: 'file', at: folder };
    return { kind: 'not-a-folder', at: folder, stats };
  }
  return { kind: 'real' };
}

/** lstat, or null when nothing is there (or a file stands where a folder of the path should be). */
export async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT', 'ENOTDIR')) return null;
    throw error;
  }
}

export function hasErrorCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes(String((error as { code?: unknown }).code));
}

/** `sizes: false` skips one lstat per file (list() needs names only; size is then -1). */
async function walk(folder: string, relative: string, found: StoredFile[], sizes: boolean): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT', 'ENOTDIR')) return;
    throw error;
  }
  for (const entry of entries) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (!isDrivePath(path)) continue;
    const full = join(folder, entry.name);
    // Dirent types come from lstat semantics: a symlink is neither a directory nor a file here.
    if (entry.isDirectory()) {
      await walk(full, path, found, sizes);
    } else if (entry.isFile()) {
      if (!sizes) {
        found.push({ path, size: -1 });
        continue;
      }
      const size = await fileSize(full);
      if (size !== null) found.push({ path, size });
    }
  }
}

async function fileSize(path: string): Promise<number | null> {
  try {
    const info = await lstat(path);
    // Replaced by something else between readdir and lstat: not a file of the account.
    return info.isFile() ? info.size : null;
  } catch (error) {
    // Deleted between readdir and lstat: it is simply no longer there.
    if (hasErrorCode(error, 'ENOENT')) return null;
    throw error;
  }
}

/** fsync of a folder persists the rename in it; some platforms (Windows) cannot open a folder, which is fine to skip. */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (error) {
    // Best effort: the data itself was already fsynced before the rename. A system error
    // (EISDIR, EPERM, EINVAL where a folder cannot be opened or synced) is skipped; others are not.
    if (typeof (error as { code?: unknown } | null)?.code !== 'string') throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
