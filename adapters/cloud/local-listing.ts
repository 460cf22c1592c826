/**
 * What a local-folder cloud account lists, read straight from its files whoever is "signed in"
 * on the simulated device (for `audit --cloud DIR`): each wallet id with how it is found, as
 * src/engine/cloud-listing.ts finds it through a drive. Node only.
 */
import { join } from 'node:path';
import type { ProviderId } from '../../src/ports/providers.ts';
import { decodeManifest, MANIFEST_PATH, parseRecordPath, READ_LIMITS, RecordError } from '../../src/format/index.ts';
import { readFileBounded, TooLargeError } from '../fs/read-bounded.ts';
import { accountFolder } from './local-folder.ts';
import { listStoredFiles } from './local-files.ts';

/** 'entry' or 'manifest': listed; 'record': only its record is left (restorable by id, not listed). */
export type LocalListing = Map<string, 'entry' | 'manifest' | 'record'>;

export async function readLocalListing(root: string, provider: ProviderId, account: string): Promise<LocalListing> {
  const folder = accountFolder(root, provider, account);
  const listing: LocalListing = new Map();
  const records = new Set<string>();
  for (const file of await listStoredFiles(folder)) {
    const found = parseRecordPath(file.path);
    if (found?.kind === 'listing') listing.set(found.walletId, 'entry');
    else if (found?.kind === 'wallet') records.add(found.walletId);
  }
  let manifest: Uint8Array | null = null;
  try {
    manifest = await readFileBounded(join(folder, ...MANIFEST_PATH.split('/')), READ_LIMITS.legacyManifest.maxBytes, { noFollow: true });
  } catch (error) {
    if (!(error instanceof TooLargeError)) throw error;
  }
  if (manifest !== null) {
    try {
      for (const wallet of decodeManifest(manifest, account).wallets) if (!listing.has(wallet.walletId)) listing.set(wallet.walletId, 'manifest');
    } catch (error) {
      // A damaged layout-1 manifest lists nothing; its wallets' records still count below.
      if (!(error instanceof RecordError)) throw error;
    }
  }
  for (const walletId of records) if (!listing.has(walletId)) listing.set(walletId, 'record');
  return listing;
}
