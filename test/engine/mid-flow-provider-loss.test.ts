/**
 * The provider lost while a flow waits for the person (R11, R13, E6): signed out, signed in to
 * another account, or HMS Core gone. No flow may be left in a state it cannot leave, and none
 * may read another account's drive as if it were the first one's.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryClouds } from '../../adapters/cloud/memory.ts';
import { ALICE, BOB, bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_24, PASSWORD } from './engine-helpers.ts';
import { eventIs, expectLogConsistent, listedWalletIds, whenRow } from './scenario-helpers.ts';

async function backedUp(clouds = createMemoryClouds({ account: ALICE }), provider: 'gdrive' | 'huawei' = 'gdrive') {
  const setup = engineOn({ clouds });
  const flow = await bindFirstBackup(setup.engine, provider);
  return { setup, walletId: flow.result().walletId! };
}

describe('restore', () => {
  it('R11/E6: signed out while the restore waits at the password: it goes back to notSignedIn (not stuck), and after signing in it restores', async () => {
    const { setup, walletId } = await backedUp();
    const flow = await setup.engine.restore({ provider: 'gdrive', walletId });
    setup.clouds.gdrive.device.setAccount(null);
    expect((await flow.enterPassword(PASSWORD)).state).toBe('notSignedIn');
    expect(flow.view().meta.waitsFor).toEqual(['RETRY', 'CANCEL']);
    expect(setup.kdf.runs).toBe(1); // only the binding: nothing was opened
    const changed = (await setup.store.readFlow(flow.id)).find(eventIs('ACCOUNT.CHANGED'))!;
    expect(JSON.parse(changed.payload)).toEqual({ account: null });

    setup.clouds.gdrive.device.setAccount(ALICE);
    expect((await flow.retry()).state).toBe('choosingWallet');
    await flow.chooseWallet(walletId);
    // The password typed before the sign-out was dropped: the flow asks again.
    expect(flow.view().state).toBe('enteringPassword');
    await flow.enterPassword(PASSWORD);
    expect(flow.result()).toMatchObject({ outcome: 'done', account: ALICE, mnemonic: MNEMONIC_12 });
    await expectLogConsistent(setup.store);
  });

  it("R11: switched to BOB while the restore waits at the password: BOB's drive is not read as ALICE's; the flow re-checks and says BOB has no backups, naming ALICE", async () => {
    const { setup, walletId } = await backedUp();
    const flow = await setup.engine.restore({ provider: 'gdrive', walletId });
    setup.clouds.gdrive.device.setAccount(BOB);
    const before = setup.clouds.gdrive.opCounts();
    await flow.enterPassword(PASSWORD);
    expect(flow.view().state).toBe('noBackups');
    expect(flow.context()).toMatchObject({ account: BOB, knownAccounts: [ALICE] });
    // BOB's listing only (one list() call, layout 2); no file read, so no keyring of BOB's.
    expect(setup.clouds.gdrive.opCounts()).toMatchObject({ read: before.read, list: before.list + 1 });
    expect(setup.kdf.runs).toBe(1);

    setup.clouds.gdrive.device.setAccount(ALICE);
    expect((await flow.retry()).state).toBe('choosingWallet');
    await flow.chooseWallet(walletId);
    await flow.enterPassword(PASSWORD);
    expect(flow.result()).toMatchObject({ outcome: 'done', account: ALICE, mnemonic: MNEMONIC_12 });
    await expectLogConsistent(setup.store);
  });

  it('R11: signed out while the restore waits after a network failure at decrypt: RETRY re-checks the provider instead of reading', async () => {
    const { setup, walletId } = await backedUp();
    const flow = await setup.engine.restore({ provider: 'gdrive', walletId });
    whenRow(setup.engine, eventIs('KEYRING.UNLOCKED'), () => setup.clouds.gdrive.faults.failNext('read', 'network'));
    expect((await flow.enterPassword(PASSWORD)).state).toEqual({ decrypting: 'networkError' });
    setup.clouds.gdrive.device.setAccount(null);
    expect((await flow.retry()).state).toBe('notSignedIn');
    setup.clouds.gdrive.device.setAccount(ALICE);
    await flow.retry();
    await flow.chooseWallet(walletId);
    await flow.enterPassword(PASSWORD);
    expect(flow.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
    expect(setup.kdf.runs).toBe(3); // binding, the first unlock, the unlock after the re-check
    await expectLogConsistent(setup.store);
  });

  it('R13/E6: HMS Core gone while a Huawei restore waits at the password: it waits at hmsUnavailable, and RETRY after the fix restores', async () => {
    const clouds = createMemoryClouds({ account: ALICE });
    const { setup, walletId } = await backedUp(clouds, 'huawei');
    const flow = await setup.engine.restore({ provider: 'huawei', walletId });
    clouds.huawei.device.setHms('missing');
    expect((await flow.enterPassword(PASSWORD)).state).toBe('hmsUnavailable');
    expect(flow.context().hmsProblem).toBe('missing');
    clouds.huawei.device.setHms('ok');
    expect((await flow.retry()).state).toBe('choosingWallet');
    await flow.chooseWallet(walletId);
    await flow.enterPassword(PASSWORD);
    expect(flow.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
    await expectLogConsistent(setup.store);
  });
});

describe('backup', () => {
  it('R13/E6: HMS Core outdated while a Huawei backup waits at the password: it waits at hmsUnavailable (nothing written), and RETRY after the update finishes', async () => {
    const clouds = createMemoryClouds({ account: ALICE });
    const { setup, walletId: first } = await backedUp(clouds, 'huawei');
    const before = clouds.huawei.files.snapshot();
    const flow = await setup.engine.backup({ provider: 'huawei', mnemonic: MNEMONIC_24 });
    clouds.huawei.device.setHms('outdated');
    expect((await flow.enterPassword(PASSWORD)).state).toBe('hmsUnavailable');
    expect(flow.context().hmsProblem).toBe('outdated');
    expect(clouds.huawei.files.snapshot()).toEqual(before);

    clouds.huawei.device.setHms('ok');
    expect((await flow.retry()).state).toBe('enteringPassword'); // checked again from the start
    await flow.enterPassword(PASSWORD);
    expect(flow.result()).toMatchObject({ outcome: 'done', epoch: 1 });
    expect(listedWalletIds(clouds.huawei, ALICE)).toEqual([first, flow.result().walletId!].sort());
    await expectLogConsistent(setup.store);
  });

  it('R13/E6: HMS Core gone between the verified upload and the listing entry: hmsUnavailable, then RETRY finishes and lists the wallet', async () => {
    const clouds = createMemoryClouds({ account: ALICE });
    const { setup } = await backedUp(clouds, 'huawei');
    const flow = await setup.engine.backup({ provider: 'huawei', mnemonic: MNEMONIC_24 });
    whenRow(setup.engine, eventIs('VERIFY.OK'), () => clouds.huawei.device.setHms('missing'));
    expect((await flow.enterPassword(PASSWORD)).state).toBe('hmsUnavailable');
    expect(listedWalletIds(clouds.huawei, ALICE)).not.toContain(flow.context().walletId);
    clouds.huawei.device.setHms('ok');
    await flow.retry();
    await flow.enterPassword(PASSWORD);
    expect(flow.result().outcome).toBe('done');
    expect(listedWalletIds(clouds.huawei, ALICE)).toContain(flow.result().walletId);
    await expectLogConsistent(setup.store);
  });

  it('R11: switched to BOB during a network wait at loadKeyring: RETRY ends accountChanged without reading BOB\'s drive as ALICE\'s', async () => {
    const { setup } = await backedUp();
    setup.clouds.gdrive.faults.failNext('read', 'network');
    const flow = await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    expect(flow.view().state).toEqual({ loadingKeyring: 'networkError' });
    setup.clouds.gdrive.device.setAccount(BOB);
    const reads = setup.clouds.gdrive.opCounts().read;
    expect((await flow.retry()).state).toBe('accountChanged');
    expect(setup.clouds.gdrive.opCounts().read).toBe(reads);
    expect(setup.clouds.gdrive.files.snapshot()[BOB]).toBeUndefined();
    await expectLogConsistent(setup.store);
  });

  it('R11/E3: signed out during a network wait at verify: RETRY ends accountChanged, and the unverified wallet is never listed', async () => {
    const { setup } = await backedUp();
    const flow = await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    whenRow(setup.engine, eventIs('UPLOAD.DONE'), () => setup.clouds.gdrive.faults.failNext('read', 'network'));
    expect((await flow.enterPassword(PASSWORD)).state).toEqual({ verifying: 'networkError' });
    setup.clouds.gdrive.device.setAccount(null);
    expect((await flow.retry()).state).toBe('accountChanged');
    setup.clouds.gdrive.device.setAccount(ALICE);
    expect(listedWalletIds(setup.clouds.gdrive, ALICE)).not.toContain(flow.context().walletId);
    await expectLogConsistent(setup.store);
  });
});
