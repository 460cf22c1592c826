/**
 * The effects of the restore machine. Everything comes from the cloud, so a fresh install
 * with an empty log restores (R14). One KDF run per restore: unlockKeyring (E1).
 */
import { isCloudError, type CloudDrive } from '../ports/cloud-drive.ts';
import type { ScryptKdf } from '../ports/kdf.ts';
import {
  checkMnemonic,
  keyringPath,
  openKeyring,
  openWallet,
  passwordHints,
  RecordError,
  walletRecordPath,
  READ_LIMITS,
  type EpochIdentity,
} from '../format/index.ts';
import type { BackupEntry } from '../../machines/events.ts';
import { withCloud } from './cloud-outcome.ts';
import type { Effect } from './flow-runner.ts';
import { checkProvider } from './provider-check.ts';
import { accountUnchanged } from './backup-effects.ts';
import { readAccountListing } from './cloud-listing.ts';

export interface RestoreSlot {
  password: string | null;
  identity: EpochIdentity | null;
  /** The restored phrase, handed to the app through the flow's result only. */
  mnemonic: string | null;
  walletName: string | null;
}

export function emptyRestoreSlot(): RestoreSlot {
  return { password: null, identity: null, mnemonic: null, walletName: null };
}

export function wipeRestoreSecrets(slot: RestoreSlot): void {
  slot.password = null;
  slot.identity = null;
}

export interface RestoreEffectDeps {
  drive: CloudDrive;
  kdf: ScryptKdf;
  /** Accounts this device's log saw backing up to the provider (R11 guidance). */
  knownAccounts: () => Promise<string[]>;
}

interface RestoreContextView {
  account: string;
  walletId: string;
  epoch: number;
  wallets: BackupEntry[];
  expectedAccount: string | null;
}

export function restoreEffects(deps: RestoreEffectDeps): Record<string, Effect<RestoreSlot>> {
  const { drive, kdf } = deps;
  const view = (context: Record<string, unknown>) => context as unknown as RestoreContextView;

  return {
    async checkProvider({ context }) {
      return checkProvider({ drive, expectedAccount: view(context()).expectedAccount });
    },

    async listBackups({ context }) {
      const { account } = view(context());
      return withCloud('listBackups', async () => {
        // R11: after a wait (network RETRY) the person may have signed in to another account.
        const changed = await accountUnchanged(drive, account);
        if (changed) return changed;
        // Ids and epochs from the file names (one list call); names stay in the cloud, so the
        // logged row grows by about 40 bytes a wallet, never by what a name holds.
        const listing = await readAccountListing(drive, account, { names: null });
        const wallets = listing.wallets.flatMap((w) => (w.epoch === null ? [] : [{ walletId: w.walletId, epoch: w.epoch }]));
        if (wallets.length === 0) {
          const knownAccounts = (await deps.knownAccounts()).filter((a) => a !== account);
          return { type: 'BACKUPS.NONE', knownAccounts };
        }
        return { type: 'BACKUPS.FOUND', wallets };
      });
    },

    async unlockKeyring({ slot, context }) {
      const { account, epoch } = view(context());
      const outcome = await withCloud('unlockKeyring', async () => {
        const changed = await accountUnchanged(drive, account);
        if (changed) return changed;
        let bytes: Uint8Array | null;
        try {
          bytes = await readBoundedRecord(drive, keyringPath(epoch), READ_LIMITS.keyring);
        } catch (error) {
          if (error instanceof RecordError) return { type: 'KEYRING.CORRUPT', reason: error.code };
          throw error;
        }
        if (bytes === null) return { type: 'KEYRING.CORRUPT', reason: 'missing' };
        const password = slot.password ?? '';
        slot.password = null;
        try {
          slot.identity = await openKeyring(bytes, password, { accountId: account, epoch }, kdf);
          return { type: 'KEYRING.UNLOCKED', epoch };
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          if (error.code === 'wrong-password') return { type: 'KEYRING.WRONG_PASSWORD', hints: passwordHints(password) };
          return { type: 'KEYRING.CORRUPT', reason: error.code };
        }
      });
      // Signed out or switched: the flow checks the provider again and asks for the password anew.
      if (outcome.type === 'ACCOUNT.CHANGED') slot.password = null;
      return outcome;
    },

    async decryptWallet({ slot, context }) {
      const { account, walletId, epoch } = view(context());
      const outcome = await withCloud('decryptWallet', async () => {
        const changed = await accountUnchanged(drive, account);
        if (changed) return changed;
        try {
          const bytes = await readWalletRecord(drive, walletId, epoch);
          if (bytes === null) return { type: 'RECORD.CORRUPT', reason: 'missing' };
          const payload = await openWallet(bytes, slot.identity!, { walletId, accountId: account, epoch });
          slot.mnemonic = payload.mnemonic;
          slot.walletName = payload.name;
          slot.identity = null;
          return { type: 'WALLET.DECRYPTED' };
        } catch (error) {
          if (error instanceof RecordError) return { type: 'RECORD.CORRUPT', reason: error.code };
          throw error;
        }
      });
      if (outcome.type === 'ACCOUNT.CHANGED') slot.identity = null;
      return outcome;
    },

    async validateMnemonic({ slot }) {
      const result = checkMnemonic(slot.mnemonic ?? '');
      if (!result.ok) {
        slot.mnemonic = null;
        return { type: 'MNEMONIC.INVALID', reason: result.reason };
      }
      return { type: 'MNEMONIC.VALID', words: result.words };
    },
  };
}

/** A record's bytes, or null; a file over its cap (or not a file) is a malformed record. */
async function readBoundedRecord(drive: CloudDrive, path: string, limit: { maxBytes: number }): Promise<Uint8Array | null> {
  try {
    return await drive.read(path, limit);
  } catch (error) {
    if (isCloudError(error, 'too-large') || isCloudError(error, 'not-a-file')) throw new RecordError('malformed', error.message, { cause: error });
    throw error;
  }
}

/** The wallet's record in its epoch's folder (layout 2), else where layout 1 kept it. */
async function readWalletRecord(drive: CloudDrive, walletId: string, epoch: number): Promise<Uint8Array | null> {
  return (
    (await readBoundedRecord(drive, walletRecordPath(walletId, epoch), READ_LIMITS.walletRecord)) ??
    (await readBoundedRecord(drive, walletRecordPath(walletId, epoch, 1), READ_LIMITS.walletRecord))
  );
}
