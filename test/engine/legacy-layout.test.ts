/**
 * Issue 11, migration: an account backed up in cloud layout 1 (one manifest.json listing every
 * wallet, records at wallets/<id>.age) keeps working. Its wallets are listed with their names and
 * restore; a new backup verifies the same password and is listed beside them; the manifest is read,
 * never rewritten.
 */
import { describe, expect, it } from 'vitest';
import {
  emptyManifest,
  encodeManifest,
  listingEntryPath,
  MANIFEST_PATH,
  walletRecordPath,
  withEpoch,
  withWallet,
} from '../../src/format/index.ts';
import { expectLogConsistent, storedFile } from './scenario-helpers.ts';
import { ALICE, bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_24, PASSWORD } from './engine-helpers.ts';

const TIME = '2026-01-01T00:00:00.000Z';

describe('an account in cloud layout 1', () => {
  it('lists and restores its wallets, takes a new backup beside them, and never rewrites its manifest', async () => {
    const setup = engineOn();
    const { engine, clouds, store } = setup;
    const cloud = clouds.gdrive;
    const first = await bindFirstBackup(engine);
    const walletId = first.result().walletId!;
    // Turn the account into what layout 1 left: the record at its old place, a manifest, no entry.
    cloud.files.put(ALICE, walletRecordPath(walletId, 1, 1), storedFile(cloud, ALICE, walletRecordPath(walletId, 1))!);
    await cloud.delete(walletRecordPath(walletId, 1));
    await cloud.delete(listingEntryPath(walletId, 1));
    const manifest = encodeManifest(
      withWallet(withEpoch(emptyManifest(ALICE), 1, TIME), { walletId, name: 'Old main', epoch: 1, words: 12, createdAt: TIME, updatedAt: TIME }),
    );
    cloud.files.put(ALICE, MANIFEST_PATH, manifest);

    const before = await engine.listBackups({ provider: 'gdrive' });
    if (!before.ok) throw new Error(before.problem);
    expect(before.wallets).toEqual([expect.objectContaining({ walletId, name: 'Old main', source: 'manifest', recordPath: walletRecordPath(walletId, 1, 1) })]);

    const restore = await engineOn({ clouds }).engine.restore({ provider: 'gdrive', walletId });
    expect((await restore.enterPassword(PASSWORD)).state).toBe('done');
    expect(restore.result().mnemonic).toBe(MNEMONIC_12);

    const second = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, walletName: 'New' });
    expect(second.view().state).toBe('enteringPassword');
    expect((await second.enterPassword(PASSWORD)).state).toBe('done');
    const after = await engine.listBackups({ provider: 'gdrive' });
    if (!after.ok) throw new Error(after.problem);
    expect(new Map(after.wallets.map((w) => [w.walletId, [w.name, w.source]]))).toEqual(
      new Map([
        [walletId, ['Old main', 'manifest']],
        [second.result().walletId!, ['New', 'entry']],
      ]),
    );
    expect(storedFile(cloud, ALICE, MANIFEST_PATH)).toEqual(manifest);
    await expectLogConsistent(store);
  });
});
