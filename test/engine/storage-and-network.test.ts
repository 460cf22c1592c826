/**
 * The cloud failing under a flow: R12 (storage full, at upload and when the listing entry is
 * published), a
 * network failure at every cloud step of backup, restore and provider switch (each waits for
 * RETRY, and RETRY continues), E3 (torn uploads are caught by the read-back, never listed).
 */
import { describe, expect, it } from 'vitest';
import { keyringPath, listingEntryPath, walletRecordPath } from '../../src/format/index.ts';
import { ALICE, bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_24, PASSWORD } from './engine-helpers.ts';
import { allRows, eventIs, expectLogConsistent, failNextStatus, listedWalletIds, storedFile, whenRow } from './scenario-helpers.ts';

type Setup = ReturnType<typeof engineOn>;

async function restoreDone(setup: Setup, walletId: string, mnemonic: string) {
  const restore = await setup.engine.restore({ provider: 'gdrive', walletId });
  await restore.enterPassword(PASSWORD);
  expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic });
}

async function networkRows(setup: Setup) {
  return (await allRows(setup.store)).filter((r) => r.eventType === 'NETWORK.FAILED').map((r) => JSON.parse(r.payload).operation);
}

describe('R12: storage full', () => {
  it('R12: storage full at the first upload waits at uploading.storageFull with neededBytes; nothing is listed; SPACE.FREED after raising the quota finishes', async () => {
    const setup = engineOn();
    const { engine, clouds, store, kdf } = setup;
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    clouds.gdrive.faults.quotaFull(); // nothing stored yet: the quota is now 0 bytes
    await flow.choosePassword(PASSWORD, PASSWORD);

    expect(flow.view().state).toEqual({ uploading: 'storageFull' });
    expect(flow.view().meta).toEqual({ waitsFor: ['SPACE.FREED', 'RETRY', 'CANCEL'], reason: 'storage-full' });
    const needed = flow.context().neededBytes as number;
    expect(needed).toBeGreaterThan(0);
    const quotaRow = (await allRows(store)).find(eventIs('UPLOAD.QUOTA_EXCEEDED'))!;
    expect(JSON.parse(quotaRow.payload)).toEqual({ neededBytes: needed });
    expect(clouds.gdrive.files.snapshot()).toEqual({}); // atomic writes: not even part of a file
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([]);

    // Freeing too little space: back to storageFull.
    clouds.gdrive.device.setQuotaBytes(needed - 1);
    expect((await flow.spaceFreed()).state).toEqual({ uploading: 'storageFull' });

    clouds.gdrive.device.setQuotaBytes(1_000_000);
    expect((await flow.spaceFreed()).state).toBe('done');
    expect(flow.result()).toMatchObject({ outcome: 'done', epoch: 1 });
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([flow.result().walletId]);
    expect(kdf.runs).toBe(1);
    await restoreDone(setup, flow.result().walletId!, MNEMONIC_12);
    await expectLogConsistent(store);
  });

  it('R12: storage full for a second wallet leaves the first listed alone and the second unlisted until RETRY succeeds', async () => {
    const setup = engineOn();
    const { engine, clouds, store } = setup;
    const first = await bindFirstBackup(engine);
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    clouds.gdrive.faults.quotaFull();
    await flow.enterPassword(PASSWORD);
    expect(flow.view().state).toEqual({ uploading: 'storageFull' });
    const walletId = flow.context().walletId as string;
    expect(storedFile(clouds.gdrive, ALICE, walletRecordPath(walletId, 1))).toBeUndefined();
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([first.result().walletId]);

    clouds.gdrive.device.setQuotaBytes(1_000_000);
    expect((await flow.retry()).state).toBe('done');
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([first.result().walletId!, walletId].sort());
    await restoreDone(setup, walletId, MNEMONIC_24);
    await expectLogConsistent(store);
  });

  it('R12: storage full when the listing entry is published waits at publishing.storageFull; the wallet is not listed until SPACE.FREED publishes it', async () => {
    const setup = engineOn();
    const { engine, clouds, store } = setup;
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    whenRow(engine, eventIs('VERIFY.OK'), () => clouds.gdrive.faults.quotaFull());
    await flow.choosePassword(PASSWORD, PASSWORD);

    expect(flow.view().state).toEqual({ publishing: 'storageFull' });
    expect(flow.context().neededBytes as number).toBeGreaterThan(0);
    const walletId = flow.context().walletId as string;
    expect(storedFile(clouds.gdrive, ALICE, walletRecordPath(walletId, 1))).toBeDefined(); // verified record
    expect(storedFile(clouds.gdrive, ALICE, listingEntryPath(walletId, 1))).toBeUndefined(); // not listed
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([]);

    clouds.gdrive.device.setQuotaBytes(1_000_000);
    expect((await flow.spaceFreed()).state).toBe('done');
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([walletId]);
    await restoreDone(setup, walletId, MNEMONIC_12);
    await expectLogConsistent(store);
  });
});

describe('network failures: each cloud step waits for RETRY, and RETRY continues', () => {
  const backupSteps = [
    {
      step: 'checkProvider',
      state: { checkingProvider: 'networkError' },
      arm: (s: Setup) => failNextStatus(s.clouds.gdrive),
      before: 'start' as const,
    },
    { step: 'loadKeyring', state: { loadingKeyring: 'networkError' }, arm: (s: Setup) => s.clouds.gdrive.faults.failNext('any', 'network'), before: 'start' as const },
    { step: 'upload', state: { uploading: 'networkError' }, arm: (s: Setup) => s.clouds.gdrive.faults.failNext('write', 'network'), before: 'password' as const },
    {
      step: 'verifyUpload',
      state: { verifying: 'networkError' },
      arm: (s: Setup) => whenRow(s.engine, eventIs('UPLOAD.DONE'), () => s.clouds.gdrive.faults.failNext('read', 'network')),
      before: 'password' as const,
    },
    {
      step: 'publishManifest',
      state: { publishing: 'networkError' },
      arm: (s: Setup) => whenRow(s.engine, eventIs('VERIFY.OK'), () => s.clouds.gdrive.faults.failNext('any', 'network')),
      before: 'password' as const,
    },
  ];

  for (const binding of [true, false]) {
    for (const { step, state, arm, before } of backupSteps) {
      it(`R1/E6: backup (${binding ? 'binding' : 'verify'}): a network failure at ${step} waits at ${JSON.stringify(state)}; RETRY finishes the backup`, async () => {
        const setup = engineOn();
        const { engine, clouds, store, kdf } = setup;
        if (!binding) await bindFirstBackup(engine);
        const runsBefore = kdf.runs;
        const mnemonic = binding ? MNEMONIC_12 : MNEMONIC_24;
        if (before === 'start') arm(setup);
        const flow = await engine.backup({ provider: 'gdrive', mnemonic });
        if (before === 'password') {
          arm(setup);
          if (binding) await flow.choosePassword(PASSWORD, PASSWORD);
          else await flow.enterPassword(PASSWORD);
        }
        expect(flow.view().state).toEqual(state);
        expect(flow.view().meta).toEqual({ waitsFor: ['RETRY', 'CANCEL'], reason: 'network' });
        expect(await networkRows(setup)).toEqual([step]);
        const walletId = flow.context().walletId as string | null;
        if (walletId) expect(listedWalletIds(clouds.gdrive, ALICE)).not.toContain(walletId);

        await flow.retry();
        if (before === 'start') {
          expect(flow.view().state).toBe(binding ? 'choosingPassword' : 'enteringPassword');
          if (binding) await flow.choosePassword(PASSWORD, PASSWORD);
          else await flow.enterPassword(PASSWORD);
        }
        expect(flow.result()).toMatchObject({ outcome: 'done', epoch: 1 });
        expect(kdf.runs - runsBefore).toBe(1); // a retry never runs the KDF again
        expect(listedWalletIds(clouds.gdrive, ALICE)).toContain(flow.result().walletId);
        await restoreDone(setup, flow.result().walletId!, mnemonic);
        await expectLogConsistent(store);
      });
    }
  }

  it('R1/E6: restore: a network failure at checkProvider, listing, unlock and decrypt each waits for RETRY; the retries finish with one KDF run', async () => {
    const setup = engineOn();
    const { engine, clouds, store } = setup;
    const backup = await bindFirstBackup(engine);
    const walletId = backup.result().walletId!;
    const fresh = engineOn({ clouds });

    failNextStatus(clouds.gdrive);
    const flow = await fresh.engine.restore({ provider: 'gdrive', walletId });
    expect(flow.view().state).toEqual({ checkingProvider: 'networkError' });

    clouds.gdrive.faults.failNext('any', 'network');
    expect((await flow.retry()).state).toEqual({ listing: 'networkError' });
    expect((await flow.retry()).state).toBe('choosingWallet');
    await flow.chooseWallet(walletId);

    clouds.gdrive.faults.failNext('read', 'network');
    expect((await flow.enterPassword(PASSWORD)).state).toEqual({ unlockingKeyring: 'networkError' });
    expect(fresh.kdf.runs).toBe(0); // the keyring never arrived

    whenRow(fresh.engine, eventIs('KEYRING.UNLOCKED'), () => clouds.gdrive.faults.failNext('read', 'network'));
    expect((await flow.retry()).state).toEqual({ decrypting: 'networkError' });
    expect((await flow.retry()).state).toBe('done');
    expect(flow.result()).toMatchObject({ outcome: 'done', walletId, epoch: 1, mnemonic: MNEMONIC_12, walletName: 'Main' });
    expect(fresh.kdf.runs).toBe(1);
    expect(await networkRows(fresh)).toEqual(['checkProvider', 'listBackups', 'unlockKeyring', 'decryptWallet']);
    await expectLogConsistent(fresh.store);
    await expectLogConsistent(store);
  });

  it('R15/E6: provider switch: a network failure at checkProvider waits for RETRY, then confirms', async () => {
    const setup = engineOn();
    failNextStatus(setup.clouds.icloud);
    const change = await setup.engine.switchProvider({ to: 'icloud' });
    expect(change.view().state).toEqual({ checkingProvider: 'networkError' });
    expect((await change.retry()).state).toBe('confirming');
    expect((await change.confirm()).state).toBe('done');
    expect(await setup.engine.activeProvider()).toBe('icloud');
    await expectLogConsistent(setup.store);
  });
});

describe('E3: verified upload', () => {
  it('E3: a torn wallet upload fails verification (VERIFY.MISMATCH) and is never listed; RETRY uploads again and finishes', async () => {
    const setup = engineOn();
    const { engine, clouds, store, kdf } = setup;
    const first = await bindFirstBackup(engine);
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    clouds.gdrive.faults.tornWrite();
    await flow.enterPassword(PASSWORD);

    expect(flow.view().state).toBe('verifyFailed');
    expect(flow.view().meta).toEqual({ waitsFor: ['RETRY', 'CANCEL'], reason: 'verify-mismatch' });
    const walletId = flow.context().walletId as string;
    expect(flow.context().failure).toBe(walletRecordPath(walletId, 1));
    const mismatch = (await allRows(store)).find(eventIs('VERIFY.MISMATCH'))!;
    expect(JSON.parse(mismatch.payload)).toEqual({ path: walletRecordPath(walletId, 1) });
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([first.result().walletId]);

    const writes = clouds.gdrive.opCounts().write;
    expect((await flow.retry()).state).toBe('done');
    expect(clouds.gdrive.opCounts().write).toBe(writes + 3); // the record again, then its listing entry, then the log checkpoint (issue 4)
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([first.result().walletId!, walletId].sort());
    expect(kdf.runs).toBe(2); // binding + verify; the read-back needs no KDF

    // The order of the log: the record was verified before its listing entry listed it.
    const types = (await store.readFlow(flow.id)).map((r) => r.eventType);
    expect(types.slice(types.indexOf('VERIFY.MISMATCH'))).toEqual(['VERIFY.MISMATCH', 'RETRY', 'UPLOAD.DONE', 'VERIFY.OK', 'MANIFEST.PUBLISHED']);
    await restoreDone(setup, walletId, MNEMONIC_24);
    await expectLogConsistent(store);
  });

  it('E3: a torn keyring upload on binding is caught byte for byte and nothing is listed; RETRY replaces the cut keyring (it protects nothing) and the wallet restores', async () => {
    const setup = engineOn();
    const { engine, clouds, store } = setup;
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    clouds.gdrive.faults.tornWrite({ keepBytes: 40 });
    await flow.choosePassword(PASSWORD, PASSWORD);
    expect(flow.view().state).toBe('verifyFailed');
    expect(flow.context().failure).toBe(keyringPath(1));
    expect(storedFile(clouds.gdrive, ALICE, keyringPath(1))).toHaveLength(40);
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([]);

    expect((await flow.retry()).state).toBe('done');
    expect(storedFile(clouds.gdrive, ALICE, keyringPath(1))!.length).toBeGreaterThan(40);
    await restoreDone(setup, flow.result().walletId!, MNEMONIC_12);
    await expectLogConsistent(store);
  });

  it('E3: a listing entry torn on publish is caught by its read-back (network wait); RETRY publishes it whole', async () => {
    const setup = engineOn();
    const { engine, clouds, store } = setup;
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    whenRow(engine, eventIs('VERIFY.OK'), () => clouds.gdrive.faults.tornWrite());
    await flow.choosePassword(PASSWORD, PASSWORD);
    expect(flow.view().state).toEqual({ publishing: 'networkError' });
    expect((await flow.retry()).state).toBe('done');
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([flow.result().walletId]);
    await expectLogConsistent(store);
  });
});
