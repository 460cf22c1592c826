/**
 * Issue 11: an account with 100,000 wallets. Listing costs one list() call plus one read per
 * wallet of the page asked for (never one per wallet of the account), and a restore's listing
 * row in the append-only log keeps ids and epochs, not every name.
 */
import { describe, expect, it } from 'vitest';
import { encodeListingEntry, listingEntryPath, walletRecordPath } from '../../src/format/index.ts';
import { expectLogConsistent } from './scenario-helpers.ts';
import { ALICE, bindFirstBackup, engineOn, MNEMONIC_12, PASSWORD } from './engine-helpers.ts';

const WALLETS = 100_000;
const TIME = '2026-01-01T00:00:00.000Z';
const NAME = 'a long wallet name that must not be copied into every restore row';

describe('an account with 100,000 wallets', () => {
  it('list reads one page of names; a restore logs ids and epochs only, and restores', async () => {
    const setup = engineOn();
    const { engine, clouds, store } = setup;
    const first = await bindFirstBackup(engine);
    const cloud = clouds.gdrive;
    for (let i = 0; i < WALLETS; i++) {
      const walletId = `w-${i.toString(16).padStart(16, '0')}`;
      cloud.files.put(ALICE, listingEntryPath(walletId, 1), encodeListingEntry({ accountId: ALICE, walletId, epoch: 1, name: NAME, words: 12, createdAt: TIME, updatedAt: TIME }));
      cloud.files.put(ALICE, walletRecordPath(walletId, 1), new Uint8Array(1));
    }

    const before = cloud.opCounts();
    const listing = await engine.listBackups({ provider: 'gdrive', offset: 500, limit: 100 });
    if (!listing.ok) throw new Error(listing.problem);
    expect(listing.total).toBe(WALLETS + 1);
    expect(listing.wallets).toHaveLength(100);
    expect(listing.wallets.every((w) => w.name === NAME && w.source === 'entry')).toBe(true);
    const after = cloud.opCounts();
    expect(after.list - before.list).toBe(1);
    expect(after.read - before.read).toBe(100);

    const restore = await engine.restore({ provider: 'gdrive', walletId: first.result().walletId! });
    expect((await restore.enterPassword(PASSWORD)).state).toBe('done');
    expect(restore.result().mnemonic).toBe(MNEMONIC_12);
    const rows = await expectLogConsistent(store);
    const found = rows.find((r) => r.flowId === restore.id && r.eventType === 'BACKUPS.FOUND')!;
    expect(found.payload).not.toContain(NAME);
    expect(JSON.parse(found.payload).wallets).toHaveLength(WALLETS + 1);
    expect(found.payload.length / (WALLETS + 1)).toBeLessThan(48); // {"walletId":"w-…","epoch":1}, one per wallet
  }, 120_000);
});
