/**
 * Who is signed in, to what, and where backups go: R11 (wrong account, account switched
 * mid-backup), R13 (HMS Core on Huawei), signing in, R15 (one active provider).
 */
import { describe, expect, it } from 'vitest';
import { createMemoryClouds } from '../../adapters/cloud/memory.ts';
import { ALICE, BOB, bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_24, PASSWORD } from './engine-helpers.ts';
import { allRows, expectLogConsistent, listedWalletIds } from './scenario-helpers.ts';

describe('R11: the wrong account', () => {
  it("R11: signed in to BOB, restore ends at noBackups naming ALICE, whose backup this device's log remembers; signing in to ALICE and RETRY lists it", async () => {
    const { engine, store, clouds } = engineOn();
    const backup = await bindFirstBackup(engine);
    clouds.gdrive.device.setAccount(BOB);

    const restore = await engine.restore({ provider: 'gdrive' });
    expect(restore.view().state).toBe('noBackups');
    expect(restore.view().meta.reason).toBe('no-backups');
    expect(restore.context()).toMatchObject({ account: BOB, knownAccounts: [ALICE], wallets: [] });
    const none = (await allRows(store)).find((r) => r.eventType === 'BACKUPS.NONE')!;
    expect(JSON.parse(none.payload)).toEqual({ knownAccounts: [ALICE] });

    clouds.gdrive.device.setAccount(ALICE);
    expect((await restore.retry()).state).toBe('choosingWallet');
    // Restore v2 lists ids and epochs from the file names; names stay in the cloud (never in the log).
    expect(restore.context()).toMatchObject({ account: ALICE });
    expect(restore.context().wallets).toEqual([{ walletId: backup.result().walletId, epoch: 1 }]);
    await restore.chooseWallet(backup.result().walletId!);
    await restore.enterPassword(PASSWORD);
    expect(restore.result()).toMatchObject({ outcome: 'done', account: ALICE, mnemonic: MNEMONIC_12 });
    await expectLogConsistent(store);
  });

  it('R11/R14: on a fresh install (empty log) signed in to BOB, noBackups has no account to suggest', async () => {
    const { engine, clouds } = engineOn();
    await bindFirstBackup(engine);
    clouds.gdrive.device.setAccount(BOB);
    const fresh = engineOn({ clouds });
    const restore = await fresh.engine.restore({ provider: 'gdrive' });
    expect(restore.view().state).toBe('noBackups');
    expect(restore.context().knownAccounts).toEqual([]);
    await expectLogConsistent(fresh.store);
  });

  it('R11: expectedAccount ALICE while BOB is signed in waits at wrongAccount; switching to ALICE and RETRY proceeds (backup and restore)', async () => {
    const { engine, store, clouds } = engineOn();
    const first = await bindFirstBackup(engine);
    clouds.gdrive.device.setAccount(BOB);

    const backup = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, expectedAccount: ALICE });
    expect(backup.view().state).toBe('wrongAccount');
    expect(backup.view().meta.reason).toBe('wrong-account');
    expect(backup.context()).toMatchObject({ expectedAccount: ALICE, actualAccount: BOB, account: null });
    const wrong = (await allRows(store)).find((r) => r.eventType === 'PROVIDER.WRONG_ACCOUNT')!;
    expect(JSON.parse(wrong.payload)).toEqual({ expected: ALICE, actual: BOB });
    // Still BOB: RETRY comes back to wrongAccount.
    expect((await backup.retry()).state).toBe('wrongAccount');

    const restore = await engine.restore({ provider: 'gdrive', expectedAccount: ALICE });
    expect(restore.view().state).toBe('wrongAccount');

    clouds.gdrive.device.setAccount(ALICE);
    expect((await backup.retry()).state).toBe('enteringPassword');
    expect(backup.context()).toMatchObject({ account: ALICE, actualAccount: null });
    await backup.enterPassword(PASSWORD);
    expect(backup.result()).toMatchObject({ outcome: 'done', account: ALICE });

    expect((await restore.retry()).state).toBe('choosingWallet');
    await restore.chooseWallet(first.result().walletId!);
    await restore.enterPassword(PASSWORD);
    expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
    expect(clouds.gdrive.files.snapshot()[BOB]).toBeUndefined();
    await expectLogConsistent(store);
  });

  it('R11: the account switched to BOB while the backup waits (storage full) ends accountChanged, and nothing is written to BOB', async () => {
    const { engine, store, clouds } = engineOn();
    await bindFirstBackup(engine);
    const before = clouds.gdrive.files.snapshot()[ALICE];

    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    clouds.gdrive.faults.quotaFull();
    await flow.enterPassword(PASSWORD);
    expect(flow.view().state).toEqual({ uploading: 'storageFull' });

    clouds.gdrive.device.setAccount(BOB);
    clouds.gdrive.device.setQuotaBytes(10_000_000); // BOB has room: only the account check stops the write
    const writes = clouds.gdrive.opCounts().write;
    const view = await flow.spaceFreed();
    expect(view.state).toBe('accountChanged');
    expect(view.status).toBe('done');
    expect(flow.result()).toMatchObject({ outcome: 'failed', reason: 'account-changed', account: ALICE });
    const changed = (await allRows(store)).find((r) => r.eventType === 'ACCOUNT.CHANGED')!;
    expect(JSON.parse(changed.payload)).toEqual({ account: BOB });

    expect(clouds.gdrive.opCounts().write).toBe(writes);
    expect(clouds.gdrive.files.snapshot()[BOB]).toBeUndefined();
    expect(clouds.gdrive.files.snapshot()[ALICE]).toEqual(before);
    await expectLogConsistent(store);
  });

  it('R11: signed out while the backup waits at the password ends accountChanged with account null; nothing is written', async () => {
    const { engine, store, clouds } = engineOn();
    await bindFirstBackup(engine);
    const before = clouds.gdrive.files.snapshot();
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    clouds.gdrive.device.setAccount(null);
    await flow.enterPassword(PASSWORD);
    expect(flow.view().state).toBe('accountChanged');
    expect(clouds.gdrive.files.snapshot()).toEqual(before);
    await expectLogConsistent(store);
  });
});

describe('signing in', () => {
  it('R11: not signed in waits at notSignedIn; signing in and RETRY proceeds (backup, restore, provider switch)', async () => {
    const { engine, store, clouds } = engineOn({ account: null });
    const backup = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect(backup.view().state).toBe('notSignedIn');
    expect(backup.view().meta).toEqual({ waitsFor: ['RETRY', 'CANCEL'], reason: 'not-signed-in' });
    expect(clouds.gdrive.opCounts()).toMatchObject({ read: 0, write: 0, list: 0 });
    expect((await backup.retry()).state).toBe('notSignedIn');

    clouds.gdrive.device.setAccount(ALICE);
    expect((await backup.retry()).state).toBe('choosingPassword');
    await backup.choosePassword(PASSWORD, PASSWORD);
    expect(backup.result()).toMatchObject({ outcome: 'done', account: ALICE });

    clouds.gdrive.device.setAccount(null);
    const restore = await engine.restore({ provider: 'gdrive' });
    expect(restore.view().state).toBe('notSignedIn');
    const change = await engine.switchProvider({ to: 'icloud' });
    expect(change.view().state).toBe('notSignedIn');

    clouds.gdrive.device.setAccount(ALICE);
    clouds.icloud.device.setAccount(ALICE);
    expect((await restore.retry()).state).toBe('choosingWallet');
    expect((await change.retry()).state).toBe('confirming');
    await restore.cancel();
    await change.cancel();
    await expectLogConsistent(store);
  });
});

describe('R13: HMS Core on Huawei', () => {
  it.each([
    ['missing', 'PROVIDER.HMS_MISSING'],
    ['outdated', 'PROVIDER.HMS_OUTDATED'],
  ] as const)('R13: HMS Core %s: the Huawei backup waits at hmsUnavailable, touches nothing, and proceeds after the fix and RETRY', async (hms, eventType) => {
    const clouds = createMemoryClouds({ account: ALICE, hms });
    const { engine, store } = engineOn({ clouds });
    const flow = await engine.backup({ provider: 'huawei', mnemonic: MNEMONIC_12 });
    expect(flow.view().state).toBe('hmsUnavailable');
    expect(flow.view().meta).toEqual({ waitsFor: ['RETRY', 'CANCEL'], reason: 'hms' });
    expect(flow.context().hmsProblem).toBe(hms);
    expect(clouds.huawei.opCounts()).toMatchObject({ read: 0, write: 0, list: 0 });
    expect((await allRows(store)).map((r) => r.eventType)).toContain(eventType);

    expect((await flow.retry()).state).toBe('hmsUnavailable');
    clouds.huawei.device.setHms('ok');
    expect((await flow.retry()).state).toBe('choosingPassword');
    expect(flow.context().hmsProblem).toBeNull();
    await flow.choosePassword(PASSWORD, PASSWORD);
    expect(flow.result()).toMatchObject({ outcome: 'done', account: ALICE, epoch: 1 });

    // Restore needs HMS Core too.
    clouds.huawei.device.setHms(hms);
    const restore = await engine.restore({ provider: 'huawei' });
    expect(restore.view().state).toBe('hmsUnavailable');
    expect(restore.context().hmsProblem).toBe(hms);
    clouds.huawei.device.setHms('ok');
    expect((await restore.retry()).state).toBe('choosingWallet');
    await restore.chooseWallet(flow.result().walletId!);
    await restore.enterPassword(PASSWORD);
    expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
    await expectLogConsistent(store);
  });

  it('R13: Google Drive and iCloud ignore the HMS Core state', async () => {
    for (const provider of ['gdrive', 'icloud'] as const) {
      const clouds = createMemoryClouds({ account: ALICE, hms: 'missing' });
      const { engine, store } = engineOn({ clouds });
      const flow = await engine.backup({ provider, mnemonic: MNEMONIC_12 });
      expect(flow.view().state).toBe('choosingPassword');
      await flow.choosePassword(PASSWORD, PASSWORD);
      expect(flow.result()).toMatchObject({ outcome: 'done' });
      clouds[provider].device.setHms('outdated');
      const restore = await engine.restore({ provider, walletId: flow.result().walletId! });
      await restore.enterPassword(PASSWORD);
      expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
      await expectLogConsistent(store);
    }
  });

  it('R13: switching to Huawei without HMS Core waits at hmsUnavailable and confirms after the fix', async () => {
    const clouds = createMemoryClouds({ account: ALICE, hms: 'outdated' });
    const { engine, store } = engineOn({ clouds });
    await bindFirstBackup(engine);
    const change = await engine.switchProvider({ to: 'huawei' });
    expect(change.view().state).toBe('hmsUnavailable');
    expect(change.context().hmsProblem).toBe('outdated');
    clouds.huawei.device.setHms('ok');
    expect((await change.retry()).state).toBe('confirming');
    expect((await change.confirm()).state).toBe('done');
    expect(await engine.activeProvider()).toBe('huawei');
    await expectLogConsistent(store);
  });
});

describe('R15: one active provider', () => {
  it('R15: the first backup makes gdrive active; icloud is refused until a confirmed switch, then gdrive is refused; restore from gdrive still works', async () => {
    const { engine, store, clouds } = engineOn();
    expect(await engine.activeProvider()).toBeNull();
    const first = await bindFirstBackup(engine, 'gdrive');
    expect(await engine.activeProvider()).toBe('gdrive');

    const refused = await engine.backup({ provider: 'icloud', mnemonic: MNEMONIC_24 });
    expect(refused.view().state).toBe('providerInactive');
    expect(refused.result()).toMatchObject({ outcome: 'failed', reason: 'provider-inactive' });
    const inactive = (await allRows(store)).find((r) => r.eventType === 'PROVIDER.INACTIVE')!;
    expect(JSON.parse(inactive.payload)).toEqual({ active: 'gdrive' });
    expect(clouds.icloud.opCounts()).toMatchObject({ read: 0, write: 0, list: 0 });

    const change = await engine.switchProvider({ to: 'icloud' });
    expect(change.view().state).toBe('confirming');
    expect(change.context()).toMatchObject({ from: 'gdrive', provider: 'icloud', account: ALICE });
    expect(await engine.activeProvider()).toBe('gdrive'); // not before the person confirms
    expect((await change.confirm()).state).toBe('done');
    expect(await engine.activeProvider()).toBe('icloud');

    const toIcloud = await engine.backup({ provider: 'icloud', mnemonic: MNEMONIC_24 });
    expect(toIcloud.view().state).toBe('choosingPassword'); // a new binding in the iCloud account
    await toIcloud.choosePassword(PASSWORD, PASSWORD);
    expect(toIcloud.result()).toMatchObject({ outcome: 'done', epoch: 1 });
    expect(listedWalletIds(clouds.icloud, ALICE)).toEqual([toIcloud.result().walletId]);

    const toGdrive = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    expect(toGdrive.view().state).toBe('providerInactive');
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([first.result().walletId]);

    const again = await engine.switchProvider({ to: 'icloud' });
    expect(again.view().state).toBe('alreadyActive');
    expect(again.view().meta).toEqual({ outcome: 'done', reason: 'already-active' });

    const restore = await engine.restore({ provider: 'gdrive', walletId: first.result().walletId! });
    await restore.enterPassword(PASSWORD);
    expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
    expect(await engine.activeProvider()).toBe('icloud');
    await expectLogConsistent(store);
  });

  it('R15: a cancelled switch changes nothing', async () => {
    const { engine, store } = engineOn();
    await bindFirstBackup(engine, 'gdrive');
    const change = await engine.switchProvider({ to: 'huawei' });
    expect((await change.cancel()).state).toBe('cancelled');
    expect(await engine.activeProvider()).toBe('gdrive');
    await expectLogConsistent(store);
  });
});
