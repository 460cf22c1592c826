/**
 * R16: an invalid recovery phrase is refused before anything is derived or uploaded.
 * R17: the engine reports wallets that rely on the cloud backup alone.
 */
import { describe, expect, it } from 'vitest';
import { ALICE, bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_12B, MNEMONIC_24, PASSWORD } from './engine-helpers.ts';
import { allRows, expectLogConsistent } from './scenario-helpers.ts';

const BAD_CHECKSUM = 'legal winner thank year wave sausage worth useful legal winner thank year';
const UNKNOWN_WORD = 'legal winner thank year wave sausage worth useful legal winner thank notaword';
/** Thirteen words: no BIP39 length (12, 15, 18, 21, 24). */
const THIRTEEN_WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

describe('R16: invalid mnemonics', () => {
  it.each([
    ['a bad checksum', BAD_CHECKSUM, 'bad-checksum'],
    ['an unknown word', UNKNOWN_WORD, 'unknown-word'],
    ['13 words', THIRTEEN_WORDS, 'wrong-length'],
    ['an empty phrase', '', 'wrong-length'],
  ])('R16: %s ends invalidMnemonic before any cloud call or KDF run', async (_what, mnemonic, reason) => {
    const { engine, store, clouds, kdf } = engineOn();
    const flow = await engine.backup({ provider: 'gdrive', mnemonic });
    expect(flow.view()).toMatchObject({ state: 'invalidMnemonic', status: 'done', meta: { outcome: 'failed', reason: 'invalid-mnemonic' } });
    expect(flow.context().failure).toBe(reason);
    expect(flow.result()).toMatchObject({ outcome: 'failed', reason: 'invalid-mnemonic', walletId: null, account: null });
    expect(kdf.runs).toBe(0);
    for (const cloud of Object.values(clouds)) {
      expect(cloud.opCounts()).toEqual({ status: 0, read: 0, write: 0, create: 0, list: 0, delete: 0, quota: 0 });
      expect(cloud.files.snapshot()).toEqual({});
    }
    const rows = await allRows(store);
    expect(rows.map((r) => r.eventType)).toEqual(['xstate.init', 'MNEMONIC.INVALID']);
    expect(JSON.parse(rows[1]!.payload)).toEqual({ reason });
    if (mnemonic !== '') expect(rows.some((r) => JSON.stringify(r).includes(mnemonic))).toBe(false);
    expect(await engine.cloudOnlyWallets()).toEqual([]);
    expect(await engine.activeProvider()).toBeNull();
    await expectLogConsistent(store);
  });

  it('R16: a valid phrase typed with extra spaces and capitals is accepted and restored normalised; 24 words too', async () => {
    const { engine, store } = engineOn();
    const messy = `  ${MNEMONIC_12.toUpperCase().split(' ').join('   ')} `;
    const first = await engine.backup({ provider: 'gdrive', mnemonic: messy });
    expect(first.view().state).toBe('choosingPassword');
    expect(first.context().words).toBe(12);
    await first.choosePassword(PASSWORD, PASSWORD);
    const second = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    expect(second.context().words).toBe(24);
    await second.enterPassword(PASSWORD);

    const restore = await engine.restore({ provider: 'gdrive', walletId: first.result().walletId! });
    await restore.enterPassword(PASSWORD);
    expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
    expect(restore.context().words).toBe(12);
    await expectLogConsistent(store);
  });
});

describe('R17: cloud backup is not the only backup', () => {
  it('R17: a wallet backed up without an offline copy is listed by cloudOnlyWallets until confirmOfflineCopy', async () => {
    const { engine, store } = engineOn();
    const first = await bindFirstBackup(engine);
    const walletId = first.result().walletId!;
    expect(await engine.cloudOnlyWallets()).toEqual([
      { provider: 'gdrive', account: ALICE, walletId, lastBackupAt: expect.any(String) as string },
    ]);
    const listing = await engine.listBackups({ provider: 'gdrive' });
    expect(listing).toMatchObject({ ok: true, account: ALICE, wallets: [{ walletId, offlineCopyConfirmed: false }] });

    await engine.confirmOfflineCopy({ provider: 'gdrive', account: ALICE, walletId });
    expect(await engine.cloudOnlyWallets()).toEqual([]);
    expect(await engine.listBackups({ provider: 'gdrive' })).toMatchObject({ ok: true, wallets: [{ walletId, offlineCopyConfirmed: true }] });

    const offline = (await store.flows({ machineId: 'offlineCopy' }))[0]!;
    expect(offline).toMatchObject({ state: '"confirmed"', provider: 'gdrive', account: ALICE, walletId });
    const rows = await store.readFlow(offline.flowId);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({ provider: 'gdrive', account: ALICE, walletId });
    await expectLogConsistent(store);
  });

  it('R17: a backup made with offlineCopyConfirmed: true is never listed as cloud-only; other wallets still are', async () => {
    const { engine, store } = engineOn();
    const first = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12, offlineCopyConfirmed: true });
    await first.choosePassword(PASSWORD, PASSWORD);
    expect(first.result().outcome).toBe('done');
    expect(await engine.cloudOnlyWallets()).toEqual([]);

    const second = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    await second.enterPassword(PASSWORD);
    expect((await engine.cloudOnlyWallets()).map((w) => w.walletId)).toEqual([second.result().walletId]);

    // A confirmed backup that did not finish records nothing.
    const cancelled = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12B, offlineCopyConfirmed: true });
    await cancelled.cancel();
    expect(await store.flows({ machineId: 'offlineCopy' })).toHaveLength(1);
    await expectLogConsistent(store);
  });
});
