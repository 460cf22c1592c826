/**
 * What an account's cloud folder holds, read from the file names (layout 2) and the legacy
 * manifest (layout 1), never from one shared index: a lost or damaged listing entry or manifest
 * loses no wallet, because every record's path names its wallet id and epoch.
 *
 * A wallet is found through, in this order of trust:
 *   entry     its listing entry (listing/epoch-<n>/<id>.json): a finished, verified backup;
 *   manifest  the layout-1 manifest (an account backed up before layout 2);
 *   record    a record with neither (a backup that did not finish, or whose entry was lost):
 *             still restorable; `list` names it as such.
 * Entries and the manifest give names and word counts; `names` reads them for one page of the
 * listing (one bounded read per entry, a few at a time), so a listing costs one list() call plus
 * at most a page of reads, however many wallets the account holds.
 */
import { isCloudError, type CloudDrive } from '../ports/cloud-drive.ts';
import {
  BACKUP_FOLDER,
  decodeListingEntry,
  decodeManifest,
  MANIFEST_PATH,
  parseRecordPath,
  READ_LIMITS,
  RecordError,
  listingEntryPath,
  walletRecordPath,
} from '../format/index.ts';
// Named from their modules, not the format's index: this file's declarations are part of the
// core entry's, which must not reach the age file helpers' (age-encryption's types).
import type { MnemonicWordCount } from '../format/mnemonic.ts';
import type { RecordErrorCode } from '../format/errors.ts';

export type ListedSource = 'entry' | 'manifest' | 'record';

export interface ListedWallet {
  walletId: string;
  /** Null only for a layout-1 record that no manifest lists while the account has several epochs. */
  epoch: number | null;
  source: ListedSource;
  recordPath: string;
  /** From the entry or the manifest, when read (details) and readable. */
  name: string | null;
  words: MnemonicWordCount | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface ListingProblem {
  path: string;
  reason: RecordErrorCode;
}

export interface AccountListing {
  /** Password epochs with a keyring file, sorted. */
  epochs: number[];
  /** Sorted by epoch, then wallet id. */
  wallets: ListedWallet[];
  /** Entries or a manifest that could not be read: reported, never fatal (their wallets are still listed). */
  problems: ListingProblem[];
}

const PARALLEL_READS = 16;

export interface ListingPage {
  /** Index of the first wallet whose entry is read, in the listing's order. */
  offset: number;
  limit: number;
}

export async function readAccountListing(drive: CloudDrive, account: string, options: { names: ListingPage | null }): Promise<AccountListing> {
  const epochs = new Set<number>();
  const records = new Map<string, { epoch: number | null; layout: 1 | 2 }>();
  const entries = new Map<string, number>();
  let hasManifest = false;
  for (const path of await drive.list(BACKUP_FOLDER)) {
    const found = parseRecordPath(path);
    if (found === null) continue;
    if (found.kind === 'manifest') hasManifest = true;
    else if (found.kind === 'keyring') epochs.add(found.epoch);
    else if (found.kind === 'listing') entries.set(found.walletId, found.epoch);
    else if (found.layout === 2 || !records.has(found.walletId)) records.set(found.walletId, { epoch: found.epoch, layout: found.layout });
  }

  const problems: ListingProblem[] = [];
  const wallets = new Map<string, ListedWallet>();
  const blank = { name: null, words: null, createdAt: null, updatedAt: null };
  for (const [walletId, epoch] of entries) {
    wallets.set(walletId, { walletId, epoch, source: 'entry', recordPath: walletRecordPath(walletId, epoch), ...blank });
  }
  if (hasManifest) {
    try {
      const bytes = await drive.read(MANIFEST_PATH, READ_LIMITS.legacyManifest);
      if (bytes !== null) {
        for (const w of decodeManifest(bytes, account).wallets) {
          if (wallets.has(w.walletId)) continue;
          const record = records.get(w.walletId);
          const layout = record?.layout === 2 && record.epoch === w.epoch ? 2 : 1;
          wallets.set(w.walletId, {
            walletId: w.walletId,
            epoch: w.epoch,
            source: 'manifest',
            recordPath: walletRecordPath(w.walletId, w.epoch, layout),
            name: w.name,
            words: w.words,
            createdAt: w.createdAt,
            updatedAt: w.updatedAt,
          });
        }
      }
    } catch (error) {
      problems.push({ path: MANIFEST_PATH, reason: unreadableReason(error) });
    }
  }
  const onlyEpoch = epochs.size === 1 ? [...epochs][0]! : null;
  for (const [walletId, record] of records) {
    if (wallets.has(walletId)) continue;
    const epoch = record.epoch ?? onlyEpoch;
    wallets.set(walletId, {
      walletId,
      epoch,
      source: 'record',
      recordPath: record.layout === 2 ? walletRecordPath(walletId, record.epoch!) : walletRecordPath(walletId, 0, 1),
      ...blank,
    });
  }

  const listed = [...wallets.values()].sort((a, b) => (a.epoch ?? 0) - (b.epoch ?? 0) || (a.walletId < b.walletId ? -1 : a.walletId > b.walletId ? 1 : 0));
  if (options.names) await readEntries(drive, account, listed.slice(options.names.offset, options.names.offset + options.names.limit), problems);
  return { epochs: [...epochs].sort((a, b) => a - b), wallets: listed, problems };
}

async function readEntries(drive: CloudDrive, account: string, wallets: ListedWallet[], problems: ListingProblem[]): Promise<void> {
  const pending = wallets.filter((w) => w.source === 'entry');
  let next = 0;
  const worker = async () => {
    while (next < pending.length) {
      const wallet = pending[next++]!;
      const path = listingEntryPath(wallet.walletId, wallet.epoch!);
      try {
        const bytes = await drive.read(path, READ_LIMITS.listingEntry);
        if (bytes === null) continue;
        const entry = decodeListingEntry(bytes, { accountId: account, walletId: wallet.walletId, epoch: wallet.epoch! });
        Object.assign(wallet, { name: entry.name, words: entry.words, createdAt: entry.createdAt, updatedAt: entry.updatedAt });
      } catch (error) {
        problems.push({ path, reason: unreadableReason(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, pending.length) }, worker));
}

/** Why a clear file could not be read: its RecordError, or 'malformed' for a file over its cap or not a file; anything else is rethrown. */
function unreadableReason(error: unknown): RecordErrorCode {
  if (error instanceof RecordError) return error.code;
  if (isCloudError(error, 'too-large') || isCloudError(error, 'not-a-file')) return 'malformed';
  throw error;
}
