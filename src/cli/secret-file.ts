/**
 * Writes the restored phrase to --out: mode 0600 from the first byte (never readable by others,
 * whatever the umask), and never over an existing file unless --force (E6: lose no data). With
 * --force the file is replaced atomically (temp file + rename), so a failed write leaves the old
 * one intact.
 */
import { constants } from 'node:fs';
import { access, lstat, open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { fileKind } from '../../adapters/fs/read-bounded.ts';
import { CliError } from './cli-error.ts';

const SECRET_FILE_MODE = 0o600;

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * Refuses early, before any password is asked or flow started: --out must be a new path in a
 * writable folder, or (with --force only) an existing regular file. A folder, a symlink, a device,
 * a pipe or a socket is never written, --force or not.
 */
export async function assertOutFree(path: string, force: boolean, command = 'restore'): Promise<void> {
  if (path === '') throw new CliError('bad-flags', { problem: '--out is empty: name the file to write.' });
  let kind: string | null;
  try {
    const stats = await lstat(path);
    kind = stats.isFile() ? null : fileKind(stats);
  } catch (error) {
    if (!hasCode(error, 'ENOENT')) throw new CliError('unwritable-file', { what: 'output file', path, cause: (error as Error).message });
    kind = 'new';
  }
  if (kind !== null && kind !== 'new') throw new CliError('out-not-a-file', { path, kind });
  try {
    await access(dirname(path), constants.W_OK);
  } catch (error) {
    throw new CliError('unwritable-file', { what: 'output file', path, cause: (error as Error).message });
  }
  if (kind === null && !force) throw new CliError('out-exists', { path, command });
}

/** Creates `path` exclusively ('wx'), mode 0600; a failed write removes the partial file. */
async function writeExclusive(path: string, text: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'wx', SECRET_FILE_MODE);
  } catch (error) {
    if (hasCode(error, 'EEXIST')) throw new CliError('out-exists', { path, command: 'restore' });
    throw new CliError('unwritable-file', { what: 'output file', path, cause: (error as Error).message });
  }
  try {
    // The umask can only narrow open()'s mode; chmod makes it exactly 0600.
    await handle.chmod(SECRET_FILE_MODE);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
}

export async function writeSecretFile(path: string, text: string, force: boolean): Promise<void> {
  if (!force) return writeExclusive(path, text);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeExclusive(temp, text);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
