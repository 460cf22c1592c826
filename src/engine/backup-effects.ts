/**
 * The effects of the backup machine: what each state with `meta.effect` does in the world,
 * and the event it answers with. One KDF run per backup: createKeyring (binding or new
 * epoch) or unlockKeyring (verify); verification reuses the identity in memory (E1, E3).
 *
 * Cloud layout 2 (src/format/layout.ts, docs/cloud-layout.md): a keyring is created only if
 * absent and never replaced or deleted; a wallet's record and listing entry are its own files.
 * So two devices backing up to one account at once can neither overwrite a keyring the other
 * verified against nor lose the other's listing, and a backup is done only after its wallet was
 * listed and read back as restorable. Nothing is deleted when a backup does not finish: every
 * file it wrote is whole (atomic writes), and deleting one could delete another device's backup
 * of the same wallet.
 */
import { isCloudError, type CloudDrive } from '../ports/cloud-drive.ts';
import type { ScryptKdf } from '../ports/kdf.ts';
import type { ProviderId } from '../ports/providers.ts';
import {
  checkMnemonic,
  createKeyring,
  decodeListingEntry,
  deriveWalletId,
  encodeListingEntry,
  keyringPath,
  KEYRINGS_FOLDER,
  LISTING_FOLDER,
  looksLikeWholeAgeFile,
  listingEntryPath,
  openKeyring,
  openWallet,
  parseRecordPath,
  passwordHints,
  READ_LIMITS,
  RecordError,
  sealWallet,
  walletRecordPath,
  type EpochIdentity,
  type ListingEntry,
  type MnemonicWordCount,
} from '../format/index.ts';
import { withCloud } from './cloud-outcome.ts';
import type { Effect, MachineEvent } from './flow-runner.ts';
import { checkProvider } from './provider-check.ts';

/** Secrets and bytes of one backup, never in machine context or the log. */
export interface BackupSlot {
  mnemonic: string | null;
  /** Held only between the person typing it and the one KDF run. */
  password: string | null;
  /** The keyring this backup encrypts under: created here (newKeyring) or read from the cloud. */
  keyringBytes: Uint8Array | null;
  newKeyring: boolean;
  identity: EpochIdentity | null;
  walletBytes: Uint8Array | null;
  createdAt: string | null;
}

export function emptyBackupSlot(mnemonic: string): BackupSlot {
  return { mnemonic, password: null, keyringBytes: null, newKeyring: false, identity: null, walletBytes: null, createdAt: null };
}

export function wipeBackupSlot(slot: BackupSlot): void {
  slot.mnemonic = null;
  slot.password = null;
  slot.identity = null;
  slot.keyringBytes = null;
  slot.walletBytes = null;
}

export interface BackupEffectDeps {
  drive: CloudDrive;
  kdf: ScryptKdf;
  scryptLogN: number;
  now: () => Date;
  activeProvider: () => Promise<ProviderId | null>;
}

interface BackupContextView {
  account: string;
  epoch: number | null;
  walletName: string;
  walletId: string;
  expectedAccount: string | null;
}

/**
 * The account's newest password epoch and whether its keyring file is there: the highest epoch
 * that a keyring file or a listing entry names (0 when none does). An epoch whose keyring is gone
 * while wallets are listed under it is never bound again (a new keyring there would make those
 * wallets unrestorable for good, and take the place a kept copy of the old keyring belongs in).
 * A layout-1 manifest is not consulted, so a damaged one cannot stop a backup.
 */
export async function latestEpoch(drive: CloudDrive): Promise<{ epoch: number; keyring: boolean }> {
  const keyrings = new Set<number>();
  let latest = 0;
  for (const path of [...(await drive.list(KEYRINGS_FOLDER)), ...(await drive.list(LISTING_FOLDER))]) {
    const record = parseRecordPath(path);
    if (record?.kind === 'keyring') keyrings.add(record.epoch);
    if ((record?.kind === 'keyring' || record?.kind === 'listing') && record.epoch > latest) latest = record.epoch;
  }
  return { epoch: latest, keyring: keyrings.has(latest) };
}

/**
 * Whether the cloud's record of this wallet opens with the epoch identity and holds this phrase:
 * what another device (or a person with the password) restoring it would get.
 */
async function holdsWallet(drive: CloudDrive, walletId: string, account: string, slot: BackupSlot): Promise<boolean> {
  const identity = slot.identity!;
  let bytes: Uint8Array | null;
  try {
    bytes = await drive.read(walletRecordPath(walletId, identity.epoch), READ_LIMITS.walletRecord);
  } catch (error) {
    // A record over its cap holds no wallet of ours (this backup replaces it); a symlink or a
    // folder in its place is not ours to replace: that error ends the flow with its cause.
    if (isCloudError(error, 'too-large')) return false;
    throw error;
  }
  if (bytes === null) return false;
  try {
    const payload = await openWallet(bytes, identity, { walletId, accountId: account, epoch: identity.epoch });
    return payload.mnemonic === slot.mnemonic;
  } catch (error) {
    if (error instanceof RecordError) return false;
    throw error;
  }
}

function recordProblem(error: unknown): MachineEvent | null {
  return error instanceof RecordError ? { type: 'KEYRING.CORRUPT', reason: error.code } : null;
}

/** The keyring of an epoch, or null; one over its cap is a malformed keyring. */
async function readKeyringBounded(drive: CloudDrive, epoch: number): Promise<Uint8Array | null> {
  try {
    return await drive.read(keyringPath(epoch), READ_LIMITS.keyring);
  } catch (error) {
    if (isCloudError(error, 'too-large') || isCloudError(error, 'not-a-file')) throw new RecordError('malformed', error.message, { cause: error });
    throw error;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The signed-in account must still be the one checked at the start (R11: no switch mid-flow). */
export async function accountUnchanged(drive: CloudDrive, account: string): Promise<MachineEvent | null> {
  const status = await drive.status();
  return status.account === account ? null : { type: 'ACCOUNT.CHANGED', account: status.account };
}

export function backupEffects(deps: BackupEffectDeps): Record<string, Effect<BackupSlot>> {
  const { drive, kdf, scryptLogN, now } = deps;
  const view = (context: Record<string, unknown>) => context as unknown as BackupContextView;

  return {
    async checkMnemonic({ slot }) {
      const result = checkMnemonic(slot.mnemonic ?? '');
      if (!result.ok) {
        slot.mnemonic = null;
        return { type: 'MNEMONIC.INVALID', reason: result.reason };
      }
      slot.mnemonic = result.normalized;
      return { type: 'MNEMONIC.VALID', words: result.words };
    },

    async checkProvider({ context }) {
      return checkProvider({
        drive,
        expectedAccount: view(context()).expectedAccount,
        activeProvider: deps.activeProvider,
      });
    },

    async loadKeyring({ slot, context }) {
      const { account } = view(context());
      return withCloud('loadKeyring', async () => {
        const changed = await accountUnchanged(drive, account);
        if (changed) return changed;
        try {
          const { epoch: latest, keyring } = await latestEpoch(drive);
          if (latest === 0) return { type: 'KEYRING.NONE' };
          const bytes = keyring ? await readKeyringBounded(drive, latest) : null;
          if (bytes === null) return { type: 'KEYRING.CORRUPT', reason: 'missing' };
          slot.keyringBytes = bytes;
          return { type: 'KEYRING.FOUND', epoch: latest };
        } catch (error) {
          const problem = recordProblem(error);
          if (problem) return problem;
          throw error;
        }
      });
    },

    async createKeyring({ slot, context }) {
      const { account, epoch: latest } = view(context());
      const epoch = (latest ?? 0) + 1;
      const password = slot.password ?? '';
      slot.password = null;
      const createdAt = now();
      const keyring = await createKeyring({ accountId: account, epoch, password, kdf, logN: scryptLogN, now: createdAt });
      slot.keyringBytes = keyring.bytes;
      slot.identity = keyring.identity;
      slot.newKeyring = true;
      slot.createdAt = createdAt.toISOString();
      return { type: 'KEYRING.CREATED', epoch };
    },

    async unlockKeyring({ slot, context }) {
      const { account, epoch } = view(context());
      const password = slot.password ?? '';
      slot.password = null;
      try {
        slot.identity = await openKeyring(slot.keyringBytes ?? new Uint8Array(), password, { accountId: account, epoch: epoch ?? 0 }, kdf);
        slot.newKeyring = false;
        return { type: 'KEYRING.UNLOCKED', epoch: epoch ?? 0 };
      } catch (error) {
        if (error instanceof RecordError && error.code === 'wrong-password') {
          return { type: 'KEYRING.WRONG_PASSWORD', hints: passwordHints(password) };
        }
        const problem = recordProblem(error);
        if (problem) return problem;
        throw error;
      }
    },

    async encryptWallet({ slot, context }) {
      const { account, walletName } = view(context());
      const identity = slot.identity!;
      const walletId = deriveWalletId(identity, slot.mnemonic ?? '');
      slot.createdAt ??= now().toISOString();
      slot.walletBytes = await sealWallet(
        { walletId, accountId: account, epoch: identity.epoch, name: walletName, mnemonic: slot.mnemonic ?? '', createdAt: slot.createdAt },
        identity,
      );
      return { type: 'WALLET.ENCRYPTED', walletId, bytes: slot.walletBytes.length };
    },

    async upload({ slot, context }) {
      const { account, walletId } = view(context());
      return withCloud('upload', async () => {
        const changed = await accountUnchanged(drive, account);
        if (changed) return changed;
        const identity = slot.identity!;
        // R12: ask for the space of every record up front, so a full drive refuses the backup
        // before any file of it is written (the adapters still refuse a single write over quota).
        const needed = (slot.newKeyring ? slot.keyringBytes!.length : 0) + slot.walletBytes!.length;
        const quota = await drive.quota();
        const missing = quota.usedBytes + needed - quota.totalBytes;
        if (missing > 0) return { type: 'UPLOAD.QUOTA_EXCEEDED', neededBytes: missing };
        if (slot.newKeyring) {
          // R4/R5: one keyring per account and epoch, created only if absent. Another device that
          // bound this epoch first wins; this backup then asks for that password (its own keyring
          // and record are dropped: nothing of them was written).
          const created = await drive.create(keyringPath(identity.epoch), slot.keyringBytes!);
          if (created === 'exists') {
            const theirs = await readKeyringOrNull(drive, identity.epoch);
            if (theirs === null || !looksLikeWholeAgeFile(theirs)) {
              // A keyring cut short (a torn upload, this flow's own or another's) opens for no
              // one and protects no backup: replaced by ours, then verified byte for byte.
              await drive.write(keyringPath(identity.epoch), slot.keyringBytes!);
            } else if (!sameBytes(theirs, slot.keyringBytes!)) {
              slot.keyringBytes = theirs;
              slot.newKeyring = false;
              slot.identity = null;
              slot.walletBytes = null;
              slot.createdAt = null;
              return { type: 'KEYRING.TAKEN', epoch: identity.epoch };
            }
            // Our own keyring, created by an earlier attempt of this flow whose answer was lost.
          }
        }
        // The same wallet already backed up under this epoch (by this device or another): a sound
        // record is kept as it is. Any record written here is a whole, valid record of the same
        // wallet and epoch (the wallet id is derived from both), so replacing a concurrent one loses nothing.
        if (await holdsWallet(drive, walletId, account, slot)) return { type: 'UPLOAD.DONE' };
        await drive.write(walletRecordPath(walletId, identity.epoch), slot.walletBytes!);
        return { type: 'UPLOAD.DONE' };
      });
    },

    async verifyUpload({ slot, context }) {
      const { account, walletId } = view(context());
      return withCloud('verifyUpload', async () => {
        const changed = await accountUnchanged(drive, account);
        if (changed) return changed;
        return (await restorableProblem(drive, account, walletId, slot)) ?? { type: 'VERIFY.OK' };
      });
    },

    async publishManifest({ slot, context }) {
      const { account, walletId, walletName } = view(context());
      const identity = slot.identity!;
      return withCloud('publishManifest', async () => {
        const changed = await accountUnchanged(drive, account);
        if (changed) return changed;
        // Listed only if restorable: the keyring and the record read back right now (E3).
        const before = await restorableProblem(drive, account, walletId, slot);
        if (before) return before;
        const at = listingEntryPath(walletId, identity.epoch);
        const previous = await readEntry(drive, at, { accountId: account, walletId, epoch: identity.epoch });
        const time = now().toISOString();
        const bytes = encodeListingEntry({
          accountId: account,
          walletId,
          epoch: identity.epoch,
          name: walletName,
          words: slot.mnemonic!.split(' ').length as MnemonicWordCount,
          createdAt: previous?.createdAt ?? time,
          updatedAt: time,
        });
        // The wallet's own file: no other wallet's backup ever writes it. Another device backing
        // up this same wallet may write it too; both entries are true.
        await drive.write(at, bytes);
        const readBack = await readEntry(drive, at, { accountId: account, walletId, epoch: identity.epoch });
        if (readBack === null) return { type: 'NETWORK.FAILED', operation: 'publishManifest (the listing entry did not read back)' };
        // Done means another device can restore it: read back once more after publishing.
        return (await restorableProblem(drive, account, walletId, slot)) ?? { type: 'MANIFEST.PUBLISHED' };
      });
    },
  };
}

/**
 * Why this wallet could not be restored from the cloud right now, or null when it can: the
 * epoch's keyring is byte for byte the one this backup holds (so the password opens it), and the
 * record decrypts with the epoch identity already in memory to this phrase (E3, no second KDF).
 */
async function restorableProblem(drive: CloudDrive, account: string, walletId: string, slot: BackupSlot): Promise<MachineEvent | null> {
  const identity = slot.identity!;
  const keyringAt = keyringPath(identity.epoch);
  const keyring = await readKeyringOrNull(drive, identity.epoch);
  if (keyring === null || !sameBytes(keyring, slot.keyringBytes!)) return { type: 'VERIFY.MISMATCH', path: keyringAt };
  const at = walletRecordPath(walletId, identity.epoch);
  if (!(await holdsWallet(drive, walletId, account, slot))) return { type: 'VERIFY.MISMATCH', path: at };
  return null;
}

async function readKeyringOrNull(drive: CloudDrive, epoch: number): Promise<Uint8Array | null> {
  try {
    return await readKeyringBounded(drive, epoch);
  } catch (error) {
    if (error instanceof RecordError) return null;
    throw error;
  }
}

/** A listing entry, or null when missing or unreadable (this backup rewrites it). */
async function readEntry(drive: CloudDrive, path: string, expected: { accountId: string; walletId: string; epoch: number }): Promise<ListingEntry | null> {
  try {
    const bytes = await drive.read(path, READ_LIMITS.listingEntry);
    return bytes === null ? null : decodeListingEntry(bytes, expected);
  } catch (error) {
    if (error instanceof RecordError || isCloudError(error, 'too-large') || isCloudError(error, 'not-a-file')) return null;
    throw error;
  }
}
