/**
 * Where records live in the cloud drive (paths relative to the signed-in account's app folder,
 * as the CloudDrive port takes them).
 *
 *   wallet-backup/manifest.json              the clear manifest (manifest.ts)
 *   wallet-backup/keyrings/epoch-<n>.age     one keyring per password epoch (keyring.ts)
 *   wallet-backup/wallets/<walletId>.age     one record per wallet (wallet-record.ts)
 *
 * Names a person can find by hand in the provider's web UI when following the manual recovery.
 */
import { assertEpoch, assertWalletId, isEpoch, isWalletId } from './identifiers.ts';

export const BACKUP_FOLDER = 'wallet-backup';
export const MANIFEST_PATH = `${BACKUP_FOLDER}/manifest.json`;
export const KEYRINGS_FOLDER = `${BACKUP_FOLDER}/keyrings`;
export const WALLETS_FOLDER = `${BACKUP_FOLDER}/wallets`;

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

export function walletRecordPath(walletId: string): string {
  assertWalletId(walletId);
  return `${WALLETS_FOLDER}/${walletId}.age`;
}

export type RecordPath =
  | { kind: 'manifest' }
  | { kind: 'keyring'; epoch: number }
  | { kind: 'wallet'; walletId: string };

/** What a path found by CloudDrive.list() is, or null for a file that is none of ours. */
export function parseRecordPath(path: string): RecordPath | null {
  if (path === MANIFEST_PATH) return { kind: 'manifest' };
  const keyring = /^wallet-backup\/keyrings\/epoch-([1-9][0-9]*)\.age$/.exec(path);
  if (keyring?.[1] !== undefined) {
    const epoch = Number(keyring[1]);
    return isEpoch(epoch) ? { kind: 'keyring', epoch } : null;
  }
  const wallet = /^wallet-backup\/wallets\/([^/]+)\.age$/.exec(path);
  if (wallet?.[1] !== undefined && isWalletId(wallet[1])) return { kind: 'wallet', walletId: wallet[1] };
  return null;
}
