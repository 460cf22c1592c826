/**
 * The effects of the backup machine: what each state with `meta.effect` does in the world,
 * and the event it answers with. One KDF run per backup: createKeyring (binding or new
 * epoch) or unlockKeyring (verify); verification reuses the identity in memory (E1, E3).
 */
import type { CloudDrive } from '../ports/cloud-drive.ts';
import type { ScryptKdf } from '../ports/kdf.ts';
import type { ProviderId } from '../ports/providers.ts';
import {
  checkMnemonic,
  createKeyring,
  decodeManifest,
  deriveWalletId,
  emptyManifest,
  encodeManifest,
  keyringPath,
  KEYRINGS_FOLDER,
  MANIFEST_PATH,
  openKeyring,
  openWallet,
  parseRecordPath,
  passwordHints,
  RecordError,
  sealWallet,
  walletRecordPath,
  READ_LIMITS,
  withEpoch,
  withWallet,
  type EpochIdentity,
  type Manifest,
} from '../format/index.ts';
import { withCloud } from './cloud-outcome.ts';
import type { Effect, MachineEvent } from './flow-runner.ts';
import { checkProvider } from './provider-check.ts';

/** Secrets and bytes of one backup, never in machine context or the log. */
export interface BackupSlot {
  mnemonic: string | null;
  /** Held only between the person typing it and the one KDF run. */
  password: string | null;
  keyringBytes: Uint8Array | null;
  newKeyring: boolean;
  identity: EpochIdentity | null;
  walletBytes: Uint8Array | null;
  createdAt: string | null;
  /** The manifest this flow wrote whose read-back did not match (torn); a retry builds on it. Not secret. */
  unconfirmedManifest: Uint8Array | null;
  /** Files this flow wrote that no manifest lists yet: removed if the flow ends without done (R12). Not secret. */
  unpublished: string[];
  /** The manifest as it was before this flow's unconfirmed write (null: there was none). Not secret. */
  manifestRollback: { bytes: Uint8Array | null } | null;
}

export function emptyBackupSlot(mnemonic: string): BackupSlot {
  return {
    mnemonic,
    password: null,
    keyringBytes: null,
    newKeyring: false,
    identity: null,
    walletBytes: null,
    createdAt: null,
    unconfirmedManifest: null,
    unpublished: [],
    manifestRollback: null,
  };
}

export function wipeBackupSlot(slot: BackupSlot): void {
  slot.mnemonic = null;
  slot.password = null;
  slot.identity = null;
  slot.keyringBytes = null;
  slot.walletBytes = null;
  slot.unconfirmedManifest = null;
}

/**
 * A backup that ends without done (cancelled, account changed) takes back what it wrote and no
 * manifest lists: a fresh keyring would otherwise bind a password with no backup under it, and
 * a lone wallet record is half a backup (R12). A manifest write that never read back right is
 * replaced by the manifest as it was. Best effort: the cloud may be unreachable by now.
 */
export async function discardUnpublished(drive: CloudDrive, slot: BackupSlot): Promise<void> {
  const undo = async (step: () => Promise<void>) => {
    try {
      await step();
    } catch {
      // Unreachable cloud: what stays is unlisted, so no listing shows it as a backup.
    }
  };
  if (slot.manifestRollback !== null) {
    const before = slot.manifestRollback.bytes;
    await undo(() => (before === null ? drive.delete(MANIFEST_PATH) : drive.write(MANIFEST_PATH, before)));
  }
  for (const path of slot.unpublished) await undo(() => drive.delete(path));
  slot.unpublished = [];
  slot.manifestRollback = null;
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

/** Reads the account's manifest; a missing one is an empty manifest. */
export async function readManifest(drive: CloudDrive, account: string): Promise<Manifest> {
  const bytes = await drive.read(MANIFEST_PATH, READ_LIMITS.legacyManifest);
  return bytes === null ? emptyManifest(account) : decodeManifest(bytes, account);
}

/**
 * The account's password epochs, sorted: those the manifest lists and those with a keyring file
 * (a keyring is the source of truth, even if the manifest update that followed it was lost).
 */
export async function knownEpochs(drive: CloudDrive, manifest: Manifest): Promise<number[]> {
  const epochs = new Set(manifest.epochs.map((e) => e.epoch));
  for (const path of await drive.list(KEYRINGS_FOLDER)) {
    const record = parseRecordPath(path);
    if (record?.kind === 'keyring') epochs.add(record.epoch);
  }
  return [...epochs].sort((a, b) => a - b);
}

/** Whether the cloud's record of this wallet opens with the epoch identity and holds this phrase. */
async function holdsWallet(drive: CloudDrive, walletId: string, account: string, slot: BackupSlot): Promise<boolean> {
  const identity = slot.identity!;
  const bytes = await drive.read(walletRecordPath(walletId), READ_LIMITS.walletRecord);
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
          const manifest = await readManifest(drive, account);
          const latest = Math.max(0, ...(await knownEpochs(drive, manifest)));
          if (latest === 0) return { type: 'KEYRING.NONE' };
          const bytes = await drive.read(keyringPath(latest), READ_LIMITS.keyring);
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
        // R12: ask for the space of every record up front, so a full drive refuses the backup
        // before any file of it is written (the adapters still refuse a single write over quota).
        const needed = (slot.newKeyring ? slot.keyringBytes!.length : 0) + slot.walletBytes!.length;
        const quota = await drive.quota();
        const missing = quota.usedBytes + needed - quota.totalBytes;
        if (missing > 0) return { type: 'UPLOAD.QUOTA_EXCEEDED', neededBytes: missing };
        const listed = (await readManifest(drive, account)).wallets.some((w) => w.walletId === walletId);
        // The same wallet already backed up under this epoch: a sound record is kept as it is,
        // never overwritten, so a failed re-upload cannot damage a published backup.
        if (listed && (await holdsWallet(drive, walletId, account, slot))) return { type: 'UPLOAD.DONE' };
        const written: string[] = [];
        if (slot.newKeyring) written.push(keyringPath(slot.identity!.epoch));
        if (!listed) written.push(walletRecordPath(walletId));
        slot.unpublished = [...new Set([...slot.unpublished, ...written])];
        if (slot.newKeyring) await drive.write(keyringPath(slot.identity!.epoch), slot.keyringBytes!);
        await drive.write(walletRecordPath(walletId), slot.walletBytes!);
        return { type: 'UPLOAD.DONE' };
      });
    },

    async verifyUpload({ slot, context }) {
      const { account, walletId } = view(context());
      const identity = slot.identity!;
      return withCloud('verifyUpload', async () => {
        const changed = await accountUnchanged(drive, account);
        if (changed) return changed;
        const keyringAt = keyringPath(identity.epoch);
        if (slot.newKeyring) {
          const keyring = await drive.read(keyringAt, READ_LIMITS.keyring);
          if (keyring === null || !sameBytes(keyring, slot.keyringBytes!)) return { type: 'VERIFY.MISMATCH', path: keyringAt };
        }
        const at = walletRecordPath(walletId);
        const record = await drive.read(at, READ_LIMITS.walletRecord);
        if (record === null) return { type: 'VERIFY.MISMATCH', path: at };
        try {
          const payload = await openWallet(record, identity, { walletId, accountId: account, epoch: identity.epoch });
          if (payload.mnemonic !== slot.mnemonic) return { type: 'VERIFY.MISMATCH', path: at };
        } catch (error) {
          if (error instanceof RecordError) return { type: 'VERIFY.MISMATCH', path: at };
          throw error;
        }
        return { type: 'VERIFY.OK' };
      });
    },

    async publishManifest({ slot, context }) {
      const { account, walletId, walletName } = view(context());
      const identity = slot.identity!;
      return withCloud('publishManifest', async () => {
        const changed = await accountUnchanged(drive, account);
        if (changed) return changed;
        // loadKeyring already refused a broken manifest; one broken since then fails the flow loudly,
        // unless it is this flow's own write that landed torn: then build on what was meant (E3).
        // The bytes read are also what a failed flow puts back (one cloud read, not two).
        const current = await drive.read(MANIFEST_PATH, READ_LIMITS.legacyManifest);
        let manifest: Manifest;
        try {
          manifest = current === null ? emptyManifest(account) : decodeManifest(current, account);
        } catch (error) {
          if (!(error instanceof RecordError) || slot.unconfirmedManifest === null) throw error;
          manifest = decodeManifest(slot.unconfirmedManifest, account);
        }
        const at = now().toISOString();
        if (!manifest.epochs.some((e) => e.epoch === identity.epoch)) manifest = withEpoch(manifest, identity.epoch, slot.createdAt ?? at);
        const previous = manifest.wallets.find((w) => w.walletId === walletId);
        manifest = withWallet(manifest, {
          walletId,
          name: walletName,
          epoch: identity.epoch,
          words: slot.mnemonic!.split(' ').length as 12 | 24,
          createdAt: previous?.createdAt ?? at,
          updatedAt: at,
        });
        const bytes = encodeManifest(manifest);
        slot.manifestRollback ??= { bytes: current };
        await drive.write(MANIFEST_PATH, bytes);
        const readBack = await drive.read(MANIFEST_PATH, READ_LIMITS.legacyManifest);
        if (readBack === null || !sameBytes(readBack, bytes)) {
          slot.unconfirmedManifest = bytes;
          return { type: 'NETWORK.FAILED', operation: 'publishManifest' };
        }
        slot.unconfirmedManifest = null;
        slot.manifestRollback = null;
        slot.unpublished = [];
        return { type: 'MANIFEST.PUBLISHED' };
      });
    },
  };
}
