/**
 * The log checkpoints in a local-folder cloud (the layout of local-folder.ts), for
 * `audit --cloud DIR`: every account of every provider under DIR, read straight from the files,
 * whoever is "signed in" on the simulated device. Node only.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROVIDERS } from '../../src/ports/providers.ts';
import { CHECKPOINTS_FOLDER } from '../../src/log/checkpoint.ts';
import { keyringPath } from '../../src/format/layout.ts';
import type { CheckpointFile } from '../../src/audit/checkpoint-auth.ts';
import { accountFolder } from './local-folder.ts';
import { providerFolder } from './local-sim-state.ts';
import { isTempName } from './paths.ts';

async function names(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}

/** Every checkpoint file under the cloud folder `root`. */
export async function listLocalCheckpoints(root: string): Promise<CheckpointFile[]> {
  const files: CheckpointFile[] = [];
  for (const provider of PROVIDERS) {
    for (const folderName of await names(join(providerFolder(root, provider), 'accounts'))) {
      let account: string;
      try {
        account = decodeURIComponent(folderName);
      } catch {
        continue;
      }
      const folder = join(accountFolder(root, provider, account), ...CHECKPOINTS_FOLDER.split('/'));
      for (const name of await names(folder)) {
        if (isTempName(name) || !name.endsWith('.json')) continue;
        const path = join(folder, name);
        files.push({ provider, account, path, bytes: await readFile(path) });
      }
    }
  }
  return files;
}

/** An account's keyring of one epoch, or null. */
export async function readLocalKeyring(root: string, provider: string, account: string, epoch: number): Promise<Uint8Array | null> {
  if (!(PROVIDERS as readonly string[]).includes(provider)) return null;
  const path = join(accountFolder(root, provider as (typeof PROVIDERS)[number], account), ...keyringPath(epoch).split('/'));
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
