/**
 * R12: a backup that ends without done takes back what it wrote, so the cloud never holds a
 * keyring binding a password with no backup under it, nor a lone or torn wallet record.
 */
import { describe, expect, it } from 'vitest';
import { ALICE, bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_24, PASSWORD } from './engine-helpers.ts';

function files(cloud: ReturnType<typeof engineOn>['clouds']['gdrive']): string[] {
  return Object.keys(cloud.files.snapshot()[ALICE] ?? {}).sort();
}

describe('nothing half-written stays behind', () => {
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

  it('R12, E3: a torn wallet record cancelled at verifyFailed is removed; published backups stay', async () => {
    const { engine, clouds } = engineOn();
    await bindFirstBackup(engine);
    const before = files(clouds.gdrive);
    clouds.gdrive.faults.tornWrite();
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    expect((await flow.enterPassword(PASSWORD)).state).toBe('verifyFailed');
    await flow.cancel();
    expect(files(clouds.gdrive)).toEqual(before);
  });

  it('E3: re-backing up a published wallet keeps its sound record untouched, even when writes would tear', async () => {
    const { engine, clouds } = engineOn();
    const first = await bindFirstBackup(engine);
    const record = clouds.gdrive.files.snapshot()[ALICE]![`wallet-backup/wallets/${first.result().walletId}.age`]!;
    clouds.gdrive.faults.tornWrite();
    const again = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    // The torn write lands on the manifest instead, whose read-back catches it; a retry publishes.
    expect((await again.enterPassword(PASSWORD)).state).toEqual({ publishing: 'networkError' });
    expect((await again.retry()).state).toBe('done');
    const after = clouds.gdrive.files.snapshot()[ALICE]![`wallet-backup/wallets/${first.result().walletId}.age`]!;
    expect(Buffer.from(after).equals(Buffer.from(record))).toBe(true);
    const restore = await engine.restore({ provider: 'gdrive', walletId: first.result().walletId! });
    await restore.enterPassword(PASSWORD);
    expect(restore.result().mnemonic).toBe(MNEMONIC_12);
  });
});
