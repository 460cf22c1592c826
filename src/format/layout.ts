/**
 * Where records live in the cloud drive (paths relative to the signed-in account's app folder,
 * as the CloudDrive port takes them).
 *
 *   wallet-backup/keyrings/epoch-<n>.age                one keyring per password epoch (keyring.ts),
 *                                                       created once, never replaced or deleted
 *   wallet-backup/wallets/epoch-<n>/<walletId>.age      one record per wallet (wallet-record.ts)
 *   wallet-backup/listing/epoch-<n>/<walletId>.json     its clear listing entry (listing-entry.ts),
 *                                                       written once the record was read back
 *
 * Layout 1 (before concurrency-safe backups) kept every wallet in one shared file, read and
 * rewritten by each backup; it is still read, never written:
 *   wallet-backup/manifest.json                         the clear manifest (manifest.ts)
 *   wallet-backup/wallets/<walletId>.age                the records it lists
 *
 * No file is shared between wallets, so two devices backing up at once never overwrite each
 * other's work (docs/cloud-layout.md). The epoch is in every path, so the listing can be rebuilt
 * from the file names alone.
 *
 * Names a person can find by hand in the provider's web UI when following the manual recovery.
 */
import { assertEpoch, assertWalletId, isEpoch, isWalletId } from './identifiers.ts';

export const BACKUP_FOLDER = 'wallet-backup';
export const MANIFEST_PATH = `${BACKUP_FOLDER}/manifest.json`;
export const KEYRINGS_FOLDER = `${BACKUP_FOLDER}/keyrings`;
export const WALLETS_FOLDER = `${BACKUP_FOLDER}/wallets`;
export const LISTING_FOLDER = `${BACKUP_FOLDER}/listing`;

/**
 * The most bytes each kind of cloud file may hold, enforced while reading (CloudDrive.read's
 * limit). Each is far above what the engine writes (a keyring or wallet record is under 1 KB, a
 * listing entry under 1 KB, a checkpoint under 1 KB) and far below what could hurt a phone. The
 * legacy manifest (layout v1) listed every wallet in one file: 100,000 wallets take about 20 MB.
 */
export const READ_LIMITS = {
  keyring: { maxBytes: 64 * 1024 },
  walletRecord: { maxBytes: 64 * 1024 },
  listingEntry: { maxBytes: 16 * 1024 },
  legacyManifest: { maxBytes: 64 * 1024 * 1024 },
  checkpoint: { maxBytes: 64 * 1024 },
} as const;

export function keyringPath(epoch: number): string {
  assertEpoch(epoch);
  return `${KEYRINGS_FOLDER}/epoch-${epoch}.age`;
}

/** Where a wallet's record is: layout 2 (the epoch's folder) unless `layout: 1` names the old place. */
export function walletRecordPath(walletId: string, epoch: number, layout: 1 | 2 = 2): string {
  assertWalletId(walletId);
  if (layout === 1) return `${WALLETS_FOLDER}/${walletId}.age`;
  assertEpoch(epoch);
  return `${WALLETS_FOLDER}/epoch-${epoch}/${walletId}.age`;
}

export function listingEntryPath(walletId: string, epoch: number): string {
  assertWalletId(walletId);
  assertEpoch(epoch);
  return `${LISTING_FOLDER}/epoch-${epoch}/${walletId}.json`;
}

export type RecordPath =
  | { kind: 'manifest' }
  | { kind: 'keyring'; epoch: number }
  | { kind: 'wallet'; walletId: string; epoch: number; layout: 2 }
  | { kind: 'wallet'; walletId: string; epoch: null; layout: 1 }
  | { kind: 'listing'; walletId: string; epoch: number };

/** What a path found by CloudDrive.list() is, or null for a file that is none of ours. */
export function parseRecordPath(path: string): RecordPath | null {
  if (path === MANIFEST_PATH) return { kind: 'manifest' };
  const keyring = /^wallet-backup\/keyrings\/epoch-([1-9][0-9]*)\.age$/.exec(path);
  if (keyring?.[1] !== undefined) {
    const epoch = Number(keyring[1]);
    return isEpoch(epoch) ? { kind: 'keyring', epoch } : null;
  }
  const inEpoch = /^wallet-backup\/(wallets|listing)\/epoch-([1-9][0-9]*)\/([^/]+)\.(age|json)$/.exec(path);
  if (inEpoch) {
    const [, folder, epochText, walletId, extension] = inEpoch;
    const epoch = Number(epochText);
    if (!isEpoch(epoch) || !isWalletId(walletId)) return null;
    if (folder === 'wallets' && extension === 'age') return { kind: 'wallet', walletId, epoch, layout: 2 };
    if (folder === 'listing' && extension === 'json') return { kind: 'listing', walletId, epoch };
    return null;
  }
  const legacy = /^wallet-backup\/wallets\/([^/]+)\.age$/.exec(path);
  if (legacy?.[1] !== undefined && isWalletId(legacy[1])) return { kind: 'wallet', walletId: legacy[1], epoch: null, layout: 1 };
  return null;
}
