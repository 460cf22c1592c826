/**
 * The log checkpoints in a local-folder cloud (the layout of local-folder.ts), for
 * `audit --cloud DIR`: every account of every provider under DIR, read straight from the files,
 * whoever is "signed in" on the simulated device. Node only.
 *
 * As the local-folder adapter, it never follows a link inside an account folder and reads only
 * regular files, each bounded while reading (READ_LIMITS: a checkpoint or keyring over 64 KiB is
 * not one the engine wrote). A checkpoint that cannot be read so (too large, a symlink, a FIFO, a
 * device, or its folder reached through a symlink) is handed to audit with its problem, which
 * reports it as an unreadable checkpoint and goes on; a keyring that cannot be read is a problem
 * of that epoch's key, so its checkpoints stay unverified.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PROVIDERS, type ProviderId } from '../../src/ports/providers.ts';
import { CHECKPOINTS_FOLDER } from '../../src/log/checkpoint.ts';
import { READ_LIMITS, keyringPath } from '../../src/format/layout.ts';
import type { CheckpointFile, KeyringBytes } from '../../src/audit/checkpoint-auth.ts';
import { NotRegularFileError, TooLargeError, fileKind, readFileBounded } from '../fs/read-bounded.ts';
import { accountFolder } from './local-folder.ts';
import { folderChain, hasErrorCode } from './local-files.ts';
import { providerFolder } from './local-sim-state.ts';
import { enclosingFolders, isTempName } from './paths.ts';

async function names(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).sort();
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
}

/** A file of an account folder, bounded and without following links: its bytes, null when absent, or why it cannot be read. */
async function readAccountFile(folder: string, path: string, maxBytes: number, what: string): Promise<Uint8Array | null | { problem: string }> {
  const chain = await folderChain(folder, ['', ...enclosingFolders(path)]);
  if (chain.kind === 'missing' || chain.kind === 'file') return null;
  if (chain.kind === 'not-a-folder') {
    const at = chain.at === '' ? 'the account folder' : JSON.stringify(chain.at);
    return { problem: `${at} is ${fileKind(chain.stats)}, not a folder; it was not followed` };
  }
  try {
    return await readFileBounded(join(folder, ...path.split('/')), maxBytes, { noFollow: true });
  } catch (error) {
    if (error instanceof TooLargeError) return { problem: `it is larger than ${maxBytes} bytes, the most a ${what} may hold` };
    if (error instanceof NotRegularFileError) return { problem: `it is ${error.kind}, not a regular file` };
    throw error;
  }
}

/** Every checkpoint file under the cloud folder `root`, with its bytes or why they cannot be read. */
export async function listLocalCheckpoints(root: string): Promise<CheckpointFile[]> {
  const files: CheckpointFile[] = [];
  for (const provider of PROVIDERS) {
    for (const folderName of await names(join(providerFolder(root, provider), 'accounts'))) {
      let account: string;
      try {
        account = decodeURIComponent(folderName);
      } catch (error) {
        if (!(error instanceof URIError)) throw error;
        continue; // not a folder name this app made for an account
      }
      const folder = accountFolder(root, provider, account);
      const chain = await folderChain(folder, ['', ...enclosingFolders(`${CHECKPOINTS_FOLDER}/x`)]);
      if (chain.kind === 'missing' || chain.kind === 'file') continue;
      if (chain.kind === 'not-a-folder') {
        const path = chain.at === '' ? folder : join(folder, ...chain.at.split('/'));
        files.push({ provider, account, path, bytes: null, problem: `it is ${fileKind(chain.stats)} where the checkpoints' folder should be; it was not followed` });
        continue;
      }
      for (const name of await names(join(folder, ...CHECKPOINTS_FOLDER.split('/')))) {
        if (isTempName(name) || !name.endsWith('.json')) continue;
        const path = join(folder, ...CHECKPOINTS_FOLDER.split('/'), name);
        const read = await readAccountFile(folder, `${CHECKPOINTS_FOLDER}/${name}`, READ_LIMITS.checkpoint.maxBytes, 'checkpoint');
        if (read === null) continue; // removed since it was listed
        files.push(read instanceof Uint8Array ? { provider, account, path, bytes: read } : { provider, account, path, bytes: null, problem: read.problem });
      }
    }
  }
  return files;
}

/** An account's keyring of one epoch: its bytes, null when there is none, or why it cannot be read. */
export async function readLocalKeyring(root: string, provider: string, account: string, epoch: number): Promise<KeyringBytes> {
  if (!(PROVIDERS as readonly string[]).includes(provider)) return null;
  const folder = accountFolder(root, provider as ProviderId, account);
  return readAccountFile(folder, keyringPath(epoch), READ_LIMITS.keyring.maxBytes, 'keyring');
}
