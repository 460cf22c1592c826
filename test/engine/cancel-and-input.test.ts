/**
 * Every waiting state has a way out (an invariant of docs/design.md, E6): CANCEL ends the flow at `cancelled`,
 * after which the flow refuses all input (EngineError 'flow-finished'); input a state cannot
 * take is refused (EngineError 'unexpected-input') without a log row or a change of state.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryClouds } from '../../adapters/cloud/memory.ts';
import type { BackupFlow, FlowBase, ProviderSwitchFlow, RestoreFlow } from '../../src/engine/index.ts';
import { ALICE, BOB, bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_24, PASSWORD } from './engine-helpers.ts';
import { allCloudFiles, eventIs, expectEngineError, expectLogConsistent, failNextStatus, listedWalletIds, rowCount, whenRow } from './scenario-helpers.ts';

type Setup = ReturnType<typeof engineOn>;

interface WaitingCase {
  name: string;
  /** The state value the flow waits in. */
  state: unknown;
  reach: () => Promise<{ setup: Setup; flow: FlowBase }>;
}

/** A second-wallet backup (the account has a keyring), at the password prompt. */
async function verifyingBackup(setup: Setup): Promise<BackupFlow> {
  await bindFirstBackup(setup.engine);
  return setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, walletName: 'Savings' });
}

async function backedUp(): Promise<{ setup: Setup; walletId: string }> {
  const setup = engineOn();
  const flow = await bindFirstBackup(setup.engine);
  return { setup, walletId: flow.result().walletId! };
}

const backupCases: WaitingCase[] = [
  {
    name: 'notSignedIn',
    state: 'notSignedIn',
    reach: async () => {
      const setup = engineOn({ account: null });
      return { setup, flow: await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 }) };
    },
  },
  {
    name: 'wrongAccount',
    state: 'wrongAccount',
    reach: async () => {
      const setup = engineOn({ account: BOB });
      return { setup, flow: await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12, expectedAccount: ALICE }) };
    },
  },
  {
    name: 'hmsUnavailable',
    state: 'hmsUnavailable',
    reach: async () => {
      const setup = engineOn({ clouds: createMemoryClouds({ account: ALICE, hms: 'missing' }) });
      return { setup, flow: await setup.engine.backup({ provider: 'huawei', mnemonic: MNEMONIC_12 }) };
    },
  },
  {
    name: 'checkingProvider.networkError',
    state: { checkingProvider: 'networkError' },
    reach: async () => {
      const setup = engineOn();
      failNextStatus(setup.clouds.gdrive);
      return { setup, flow: await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 }) };
    },
  },
  {
    name: 'loadingKeyring.networkError',
    state: { loadingKeyring: 'networkError' },
    reach: async () => {
      const setup = engineOn();
      setup.clouds.gdrive.faults.networkDown(true);
      const flow = await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
      setup.clouds.gdrive.faults.networkDown(false);
      return { setup, flow };
    },
  },
  {
    name: 'choosingPassword',
    state: 'choosingPassword',
    reach: async () => {
      const setup = engineOn();
      return { setup, flow: await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 }) };
    },
  },
  {
    name: 'enteringPassword',
    state: 'enteringPassword',
    reach: async () => {
      const setup = engineOn();
      return { setup, flow: await verifyingBackup(setup) };
    },
  },
  {
    name: 'enteringPassword after a wrong password',
    state: 'enteringPassword',
    reach: async () => {
      const setup = engineOn();
      const flow = await verifyingBackup(setup);
      await flow.enterPassword('not the password');
      return { setup, flow };
    },
  },
  {
    name: 'uploading.storageFull',
    state: { uploading: 'storageFull' },
    reach: async () => {
      const setup = engineOn();
      const flow = await verifyingBackup(setup);
      setup.clouds.gdrive.faults.quotaFull();
      await flow.enterPassword(PASSWORD);
      return { setup, flow };
    },
  },
  {
    name: 'uploading.networkError',
    state: { uploading: 'networkError' },
    reach: async () => {
      const setup = engineOn();
      const flow = await verifyingBackup(setup);
      setup.clouds.gdrive.faults.failNext('write', 'network');
      await flow.enterPassword(PASSWORD);
      return { setup, flow };
    },
  },
  {
    name: 'verifying.networkError',
    state: { verifying: 'networkError' },
    reach: async () => {
      const setup = engineOn();
      const flow = await verifyingBackup(setup);
      whenRow(setup.engine, eventIs('UPLOAD.DONE'), () => setup.clouds.gdrive.faults.failNext('read', 'network'));
      await flow.enterPassword(PASSWORD);
      return { setup, flow };
    },
  },
  {
    name: 'verifyFailed',
    state: 'verifyFailed',
    reach: async () => {
      const setup = engineOn();
      const flow = await verifyingBackup(setup);
      setup.clouds.gdrive.faults.tornWrite();
      await flow.enterPassword(PASSWORD);
      return { setup, flow };
    },
  },
  {
    name: 'publishing.storageFull',
    state: { publishing: 'storageFull' },
    reach: async () => {
      const setup = engineOn();
      const flow = await verifyingBackup(setup);
      whenRow(setup.engine, eventIs('VERIFY.OK'), () => setup.clouds.gdrive.faults.failNext('write', 'quota-exceeded', { neededBytes: 300 }));
      await flow.enterPassword(PASSWORD);
      expect(flow.context().neededBytes).toBe(300);
      return { setup, flow };
    },
  },
  {
    name: 'publishing.networkError',
    state: { publishing: 'networkError' },
    reach: async () => {
      const setup = engineOn();
      const flow = await verifyingBackup(setup);
      whenRow(setup.engine, eventIs('VERIFY.OK'), () => setup.clouds.gdrive.faults.failNext('write', 'network'));
      await flow.enterPassword(PASSWORD);
      return { setup, flow };
    },
  },
];

const restoreCases: WaitingCase[] = [
  {
    name: 'notSignedIn',
    state: 'notSignedIn',
    reach: async () => {
      const { setup } = await backedUp();
      setup.clouds.gdrive.device.setAccount(null);
      return { setup, flow: await setup.engine.restore({ provider: 'gdrive' }) };
    },
  },
  {
    name: 'wrongAccount',
    state: 'wrongAccount',
    reach: async () => {
      const { setup } = await backedUp();
      return { setup, flow: await setup.engine.restore({ provider: 'gdrive', expectedAccount: BOB }) };
    },
  },
  {
    name: 'hmsUnavailable',
    state: 'hmsUnavailable',
    reach: async () => {
      const setup = engineOn({ clouds: createMemoryClouds({ account: ALICE, hms: 'outdated' }) });
      return { setup, flow: await setup.engine.restore({ provider: 'huawei' }) };
    },
  },
  {
    name: 'checkingProvider.networkError',
    state: { checkingProvider: 'networkError' },
    reach: async () => {
      const { setup } = await backedUp();
      failNextStatus(setup.clouds.gdrive);
      return { setup, flow: await setup.engine.restore({ provider: 'gdrive' }) };
    },
  },
  {
    name: 'listing.networkError',
    state: { listing: 'networkError' },
    reach: async () => {
      const { setup } = await backedUp();
      setup.clouds.gdrive.faults.failNext('list', 'network'); // layout 2: the listing is one list() call
      return { setup, flow: await setup.engine.restore({ provider: 'gdrive' }) };
    },
  },
  {
    name: 'noBackups',
    state: 'noBackups',
    reach: async () => {
      const setup = engineOn();
      return { setup, flow: await setup.engine.restore({ provider: 'gdrive' }) };
    },
  },
  {
    name: 'choosingWallet',
    state: 'choosingWallet',
    reach: async () => {
      const { setup } = await backedUp();
      return { setup, flow: await setup.engine.restore({ provider: 'gdrive' }) };
    },
  },
  {
    name: 'enteringPassword',
    state: 'enteringPassword',
    reach: async () => {
      const { setup, walletId } = await backedUp();
      return { setup, flow: await setup.engine.restore({ provider: 'gdrive', walletId }) };
    },
  },
  {
    name: 'unlockingKeyring.networkError',
    state: { unlockingKeyring: 'networkError' },
    reach: async () => {
      const { setup, walletId } = await backedUp();
      const flow = await setup.engine.restore({ provider: 'gdrive', walletId });
      setup.clouds.gdrive.faults.failNext('read', 'network');
      await flow.enterPassword(PASSWORD);
      return { setup, flow };
    },
  },
  {
    name: 'decrypting.networkError',
    state: { decrypting: 'networkError' },
    reach: async () => {
      const { setup, walletId } = await backedUp();
      const flow = await setup.engine.restore({ provider: 'gdrive', walletId });
      whenRow(setup.engine, eventIs('KEYRING.UNLOCKED'), () => setup.clouds.gdrive.faults.failNext('read', 'network'));
      await flow.enterPassword(PASSWORD);
      return { setup, flow };
    },
  },
];

const switchCases: WaitingCase[] = [
  {
    name: 'notSignedIn',
    state: 'notSignedIn',
    reach: async () => {
      const setup = engineOn({ account: null });
      return { setup, flow: await setup.engine.switchProvider({ to: 'icloud' }) };
    },
  },
  {
    name: 'wrongAccount',
    state: 'wrongAccount',
    reach: async () => {
      const setup = engineOn({ account: BOB });
      return { setup, flow: await setup.engine.switchProvider({ to: 'icloud', expectedAccount: ALICE }) };
    },
  },
  {
    name: 'hmsUnavailable',
    state: 'hmsUnavailable',
    reach: async () => {
      const setup = engineOn({ clouds: createMemoryClouds({ account: ALICE, hms: 'missing' }) });
      return { setup, flow: await setup.engine.switchProvider({ to: 'huawei' }) };
    },
  },
  {
    name: 'checkingProvider.networkError',
    state: { checkingProvider: 'networkError' },
    reach: async () => {
      const setup = engineOn();
      failNextStatus(setup.clouds.icloud);
      return { setup, flow: await setup.engine.switchProvider({ to: 'icloud' }) };
    },
  },
  {
    name: 'confirming',
    state: 'confirming',
    reach: async () => {
      const setup = engineOn();
      return { setup, flow: await setup.engine.switchProvider({ to: 'icloud' }) };
    },
  },
];

async function expectCancelledAndClosed(setup: Setup, flow: FlowBase, state: unknown) {
  const view = flow.view();
  expect(view.state).toEqual(state);
  expect(view.status).toBe('active');
  expect(view.meta.waitsFor).toContain('CANCEL');

  const cancelled = await flow.cancel();
  expect(cancelled).toMatchObject({ state: 'cancelled', status: 'done', meta: { outcome: 'cancelled' } });
  const rows = await setup.store.readFlow(flow.id);
  expect(rows.at(-1)).toMatchObject({ eventType: 'CANCEL', fromState: JSON.stringify(state), toState: '"cancelled"' });

  const count = await rowCount(setup.store);
  const error = await expectEngineError(flow.retry(), 'flow-finished');
  expect(error.message).toContain('cancelled');
  await expectEngineError(flow.cancel(), 'flow-finished');
  expect(await rowCount(setup.store)).toBe(count);
  await expectLogConsistent(setup.store);
}

describe('CANCEL at every waiting state', () => {
  it.each(backupCases.map((c) => [c.name, c] as const))('E6: backup waiting at %s: CANCEL ends it cancelled, deletes and replaces nothing, lists nothing new (what is listed restores), and the flow takes no more input', async (_name, c) => {
    const { setup, flow } = await c.reach();
    const backup = flow as BackupFlow;
    const walletId = backup.context().walletId as string | null;
    const before = allCloudFiles(setup.clouds);
    await expectCancelledAndClosed(setup, flow, c.state);
    // Cloud layout 2: a backup that does not finish deletes nothing (a delete could remove another
    // device's backup of the same wallet); every file it wrote is whole, and none is listed.
    expect(allCloudFiles(setup.clouds)).toEqual(before);
    expect(backup.result()).toMatchObject({ outcome: 'cancelled', reason: null });
    await expectEngineError(backup.enterPassword(PASSWORD), 'flow-finished');
    await expectEngineError(backup.choosePassword(PASSWORD, PASSWORD), 'flow-finished');
    await expectEngineError(backup.spaceFreed(), 'flow-finished');
    if (walletId !== null) {
      expect(listedWalletIds(setup.clouds.gdrive, ALICE)).not.toContain(walletId);
      expect(await setup.engine.cloudOnlyWallets()).not.toContainEqual(expect.objectContaining({ walletId }));
    }
    for (const listed of listedWalletIds(setup.clouds.gdrive, ALICE)) {
      const restore = await setup.engine.restore({ provider: 'gdrive', walletId: listed });
      await restore.enterPassword(PASSWORD);
      expect(restore.result()).toMatchObject({ outcome: 'done', walletId: listed, mnemonic: MNEMONIC_12 });
    }
  });

  it.each(restoreCases.map((c) => [c.name, c] as const))('E6: restore waiting at %s: CANCEL ends it cancelled with no mnemonic, and the flow takes no more input', async (_name, c) => {
    const { setup, flow } = await c.reach();
    const restore = flow as RestoreFlow;
    await expectCancelledAndClosed(setup, flow, c.state);
    expect(restore.result()).toMatchObject({ outcome: 'cancelled', mnemonic: null });
    await expectEngineError(restore.enterPassword(PASSWORD), 'flow-finished');
  });

  it.each(switchCases.map((c) => [c.name, c] as const))('E6/R15: provider switch waiting at %s: CANCEL ends it cancelled; the active provider is unchanged', async (_name, c) => {
    const { setup, flow } = await c.reach();
    const before = await setup.engine.activeProvider();
    await expectCancelledAndClosed(setup, flow, c.state);
    await expectEngineError((flow as ProviderSwitchFlow).confirm(), 'flow-finished');
    expect(await setup.engine.activeProvider()).toBe(before);
  });
});

describe('input a state cannot take', () => {
  it('E6: backup refuses out-of-place input with unexpected-input, logs nothing, and still goes on', async () => {
    const setup = engineOn();
    const flow = await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    const count = await rowCount(setup.store);
    const error = await expectEngineError(flow.enterPassword(PASSWORD), 'unexpected-input');
    expect(error.message).toContain('choosingPassword');
    expect(error.message).toContain('PASSWORD.CHOSEN');
    await expectEngineError(flow.spaceFreed(), 'unexpected-input');
    await expectEngineError(flow.retry(), 'unexpected-input');
    await expectEngineError(flow.forgotPassword(), 'unexpected-input');
    expect(await rowCount(setup.store)).toBe(count);
    expect(flow.view().state).toBe('choosingPassword');
    expect(setup.kdf.runs).toBe(0);

    await flow.choosePassword(PASSWORD, PASSWORD);
    expect(flow.result().outcome).toBe('done');
    await expectEngineError(flow.choosePassword(PASSWORD, PASSWORD), 'flow-finished');

    const second = await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    const before = await rowCount(setup.store);
    await expectEngineError(second.choosePassword('new password 1', 'new password 1'), 'unexpected-input');
    await expectEngineError(second.spaceFreed(), 'unexpected-input');
    expect(await rowCount(setup.store)).toBe(before);
    expect(setup.kdf.runs).toBe(1);
    await second.enterPassword(PASSWORD);
    expect(second.result()).toMatchObject({ outcome: 'done', epoch: 1 });
    await expectLogConsistent(setup.store);
  });

  it('E6: restore refuses a password before a wallet is chosen, and an unknown wallet id (bad-input), logging nothing', async () => {
    const { setup, walletId } = await backedUp();
    const flow = await setup.engine.restore({ provider: 'gdrive' });
    const count = await rowCount(setup.store);
    await expectEngineError(flow.enterPassword(PASSWORD), 'unexpected-input');
    const bad = await expectEngineError(flow.chooseWallet('w-0000000000000000'), 'bad-input');
    expect(bad.message).toContain(walletId);
    await expectEngineError(flow.retry(), 'unexpected-input');
    expect(await rowCount(setup.store)).toBe(count);
    expect(setup.kdf.runs).toBe(1);
    await flow.chooseWallet(walletId);
    await expectEngineError(flow.chooseWallet(walletId), 'unexpected-input');
    await flow.enterPassword(PASSWORD);
    expect(flow.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
    await expectLogConsistent(setup.store);
  });

  it('E6/R15: a provider switch refuses CONFIRM before the provider check passed', async () => {
    const setup = engineOn({ account: null });
    const flow = await setup.engine.switchProvider({ to: 'icloud' });
    const count = await rowCount(setup.store);
    await expectEngineError(flow.confirm(), 'unexpected-input');
    expect(await rowCount(setup.store)).toBe(count);
    expect(flow.view().state).toBe('notSignedIn');
    await expectLogConsistent(setup.store);
  });

  it('E6: a finished alreadyActive switch and a failed backup take no input', async () => {
    const setup = engineOn();
    await bindFirstBackup(setup.engine);
    const same = await setup.engine.switchProvider({ to: 'gdrive' });
    expect(same.view()).toMatchObject({ state: 'alreadyActive', status: 'done' });
    await expectEngineError(same.confirm(), 'flow-finished');
    const invalid = await setup.engine.backup({ provider: 'gdrive', mnemonic: 'not a phrase' });
    expect(invalid.view().state).toBe('invalidMnemonic');
    await expectEngineError(invalid.retry(), 'flow-finished');
    await expectLogConsistent(setup.store);
  });
});
