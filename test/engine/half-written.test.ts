/**
 * R12, E3: a backup that ends without done deletes nothing (a delete could remove another
 * device's concurrent backup of the same wallet), and every file it wrote is whole or caught by
 * its read-back. What it leaves is never listed: a wallet is listed only by the entry its backup
 * publishes after reading the record back, so the cloud lists no wallet that does not restore,
 * and published backups are never touched.
 */
import { describe, expect, it } from 'vitest';
import { keyringPath, listingEntryPath, walletRecordPath } from '../../src/format/index.ts';
import { ALICE, bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_24, PASSWORD } from './engine-helpers.ts';
import { listedWalletIds, storedFile } from './scenario-helpers.ts';

function files(cloud: ReturnType<typeof engineOn>['clouds']['gdrive']): string[] {
  return Object.keys(cloud.files.snapshot()[ALICE] ?? {}).sort();
}

describe('nothing half-written is listed', () => {
  it('R12: a first backup cancelled at storage full leaves no keyring, so the next one binds afresh', async () => {
    const { engine, clouds } = engineOn();
    clouds.gdrive.device.setQuotaBytes(300);
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    const view = await flow.choosePassword(PASSWORD, PASSWORD);
    expect(view.state).toEqual({ uploading: 'storageFull' });
    expect(files(clouds.gdrive)).toEqual([]);
    await flow.cancel();
    expect(files(clouds.gdrive)).toEqual([]);
    clouds.gdrive.device.setQuotaBytes(1_000_000);
    const again = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect(again.view().state).toBe('choosingPassword');
  });

  it('R12, E3: a torn wallet record cancelled at verifyFailed is kept but never listed; the keyring and published backups are untouched, and a later backup of the wallet replaces it and restores', async () => {
    const { engine, clouds } = engineOn();
    const first = await bindFirstBackup(engine);
    const published = first.result().walletId!;
    const before = clouds.gdrive.files.snapshot()[ALICE]!;
    clouds.gdrive.faults.tornWrite();
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    expect((await flow.enterPassword(PASSWORD)).state).toBe('verifyFailed');
    const torn = flow.context().walletId as string;
    await flow.cancel();

    // Nothing deleted, nothing of the published backup changed; only the torn record was added.
    const after = clouds.gdrive.files.snapshot()[ALICE]!;
    expect(Object.keys(after).sort()).toEqual([...Object.keys(before), walletRecordPath(torn, 1)].sort());
    for (const [path, bytes] of Object.entries(before)) expect(after[path], path).toEqual(bytes);
    const tornBytes = after[walletRecordPath(torn, 1)]!;
    // Not listed: no entry; the listing names the record as found only by its path (unfinished).
    expect(after[listingEntryPath(torn, 1)]).toBeUndefined();
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([published]);
    const listing = await engine.listBackups({ provider: 'gdrive' });
    expect(listing.ok && listing.wallets.map((w) => [w.walletId, w.source])).toEqual(
      [
        [published, 'entry'],
        [torn, 'record'],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    const restore = await engine.restore({ provider: 'gdrive', walletId: published });
    await restore.enterPassword(PASSWORD);
    expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });

    // The cut record protects nothing and blocks nothing: the next backup of the wallet writes it whole.
    const again = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    await again.enterPassword(PASSWORD);
    expect(again.result()).toMatchObject({ outcome: 'done', walletId: torn });
    expect(tornBytes.length).toBeLessThan(storedFile(clouds.gdrive, ALICE, walletRecordPath(torn, 1))!.length); // it was cut short
    expect(storedFile(clouds.gdrive, ALICE, keyringPath(1))).toEqual(before[keyringPath(1)]);
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([published, torn].sort());
    const restored = await engine.restore({ provider: 'gdrive', walletId: torn });
    await restored.enterPassword(PASSWORD);
    expect(restored.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_24 });
  });

  it('E3: re-backing up a published wallet keeps its sound record untouched, even when writes would tear', async () => {
    const { engine, clouds } = engineOn();
    const first = await bindFirstBackup(engine);
    const walletId = first.result().walletId!;
    const record = storedFile(clouds.gdrive, ALICE, walletRecordPath(walletId, 1))!;
    clouds.gdrive.faults.tornWrite();
    const again = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    // The torn write lands on the listing entry instead, whose read-back catches it; a retry publishes.
    expect((await again.enterPassword(PASSWORD)).state).toEqual({ publishing: 'networkError' });
    expect((await again.retry()).state).toBe('done');
    const after = storedFile(clouds.gdrive, ALICE, walletRecordPath(walletId, 1))!;
    expect(Buffer.from(after).equals(Buffer.from(record))).toBe(true);
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([walletId]);
    const restore = await engine.restore({ provider: 'gdrive', walletId });
    await restore.enterPassword(PASSWORD);
    expect(restore.result().mnemonic).toBe(MNEMONIC_12);
  });
});
