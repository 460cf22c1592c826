/**
 * Reading and authenticating the checkpoints found in the cloud, before audit compares them.
 *
 * A checkpoint's MAC is keyed by its password epoch's identity (src/log/checkpoint.ts), which
 * only the backup password unlocks: without the password audit still compares the log against
 * the checkpoints, but marks them 'unverified' (a provider could have written one). With it,
 * each epoch's keyring is opened once (one scrypt run per account and epoch) and every
 * checkpoint is 'verified' or 'forged'. Browser-safe: files come through callbacks.
 */
import type { ScryptKdf } from '../ports/kdf.ts';
import { checkpointKey, checkpointMacValid, decodeCheckpoint } from '../log/checkpoint.ts';
import { openKeyring } from '../format/keyring.ts';
import { RecordError } from '../format/errors.ts';
import type { CheckpointEntry } from './anchor-check.ts';

/** A checkpoint file as the caller found it: its bytes, or (bytes null) why they could not be read (too large, not a regular file). */
export type CheckpointFile = { provider: string; account: string; path: string } & ({ bytes: Uint8Array; problem?: undefined } | { bytes: null; problem: string });

/** A keyring as the caller read it: its bytes, null when there is none, or why it cannot be read. */
export type KeyringBytes = Uint8Array | null | { problem: string };

export interface AuthenticateOptions {
  /** The backup password, or null: compare without checking MACs. */
  password: string | null;
  kdf: ScryptKdf;
  /** The keyring of an account's epoch, null when there is none, or why it cannot be read. */
  readKeyring(provider: string, account: string, epoch: number): Promise<KeyringBytes>;
}

export async function readCheckpoints(files: readonly CheckpointFile[], options: AuthenticateOptions): Promise<CheckpointEntry[]> {
  const keys = new Map<string, { key: Uint8Array } | { note: string }>();
  const keyFor = async (provider: string, account: string, epoch: number, password: string) => {
    const id = `${provider}\u0000${account}\u0000${epoch}`;
    let found = keys.get(id);
    if (found === undefined) {
      const bytes = await options.readKeyring(provider, account, epoch);
      if (bytes === null) {
        found = { note: `the keyring of epoch ${epoch} is missing from ${provider}/${account}` };
      } else if (!(bytes instanceof Uint8Array)) {
        found = { note: `the keyring of epoch ${epoch} in ${provider}/${account} cannot be read (${bytes.problem})` };
      } else {
        try {
          const identity = await openKeyring(bytes, password, { accountId: account, epoch }, options.kdf);
          found = { key: checkpointKey(identity.identity) };
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          found = {
            note:
              error.code === 'wrong-password'
                ? `the password given does not open epoch ${epoch} of ${provider}/${account}`
                : `the keyring of epoch ${epoch} in ${provider}/${account} cannot be opened (${error.code})`,
          };
        }
      }
      keys.set(id, found);
    }
    return found;
  };

  const entries: CheckpointEntry[] = [];
  for (const file of files) {
    const base = { provider: file.provider, account: file.account, path: file.path };
    if (file.bytes === null) {
      entries.push({ ...base, checkpoint: null, problem: file.problem, authenticity: 'unverified' });
      continue;
    }
    const decoded = decodeCheckpoint(file.bytes);
    if (!decoded.ok) {
      entries.push({ ...base, checkpoint: null, problem: decoded.problem, authenticity: 'unverified' });
      continue;
    }
    const checkpoint = decoded.checkpoint;
    if (checkpoint.provider !== file.provider || checkpoint.account !== file.account) {
      entries.push({
        ...base,
        checkpoint: null,
        problem: `it names ${checkpoint.provider}/${checkpoint.account} but lies in ${file.provider}/${file.account} (copied or moved)`,
        authenticity: 'unverified',
      });
      continue;
    }
    if (options.password === null) {
      entries.push({ ...base, checkpoint, authenticity: 'unverified', note: 'no backup password given' });
      continue;
    }
    const key = await keyFor(file.provider, file.account, checkpoint.epoch, options.password);
    if ('note' in key) entries.push({ ...base, checkpoint, authenticity: 'unverified', note: key.note });
    else entries.push({ ...base, checkpoint, authenticity: checkpointMacValid(checkpoint, key.key) ? 'verified' : 'forged' });
  }
  for (const key of keys.values()) if ('key' in key) key.key.fill(0);
  return entries;
}
