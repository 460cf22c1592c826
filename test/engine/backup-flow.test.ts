import { describe, expect, it } from 'vitest';
import { ALICE, bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_24, PASSWORD } from './engine-helpers.ts';
import { EngineError } from '../../src/engine/index.ts';
import { expectLogConsistent } from './scenario-helpers.ts';

describe('backup flow on the engine', () => {
  it('R4: the first backup binds the password and ends done with epoch 1', async () => {
    const { engine, kdf, store } = engineOn();
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12, walletName: 'Main' });
    expect(flow.view().state).toBe('choosingPassword');
    const view = await flow.choosePassword(PASSWORD, PASSWORD);
    expect(view.state).toBe('done');
    expect(flow.result()).toMatchObject({ outcome: 'done', account: ALICE, epoch: 1 });
    expect(kdf.runs).toBe(1);
    await expectLogConsistent(store);
  });

  it('R5: a second wallet verifies the password and uses the same epoch', async () => {
    const { engine, kdf, store } = engineOn();
    await bindFirstBackup(engine);
    const second = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, walletName: 'Savings' });
    expect(second.view().state).toBe('enteringPassword');
    await second.enterPassword(PASSWORD);
    expect(second.result()).toMatchObject({ outcome: 'done', epoch: 1 });
    expect(kdf.runs).toBe(2);
    await expectLogConsistent(store);
  });

  it('R14: restore through a second engine on an empty log returns the mnemonic', async () => {
    const { engine, clouds, store } = engineOn();
    const backup = await bindFirstBackup(engine);
    const fresh = engineOn({ clouds });
    const restore = await fresh.engine.restore({ provider: 'gdrive', walletId: backup.result().walletId! });
    expect(restore.view().state).toBe('enteringPassword');
    await restore.enterPassword(PASSWORD);
    expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
    expect(fresh.kdf.runs).toBe(1);
    await expectLogConsistent(store);
    await expectLogConsistent(fresh.store);
  });
  it('R14: restore of a wallet id the account does not have throws bad-input and logs the flow as cancelled', async () => {
    const { engine, clouds } = engineOn();
    await bindFirstBackup(engine);
    const fresh = engineOn({ clouds });
    const attempt = fresh.engine.restore({ provider: 'gdrive', walletId: 'no-such-wallet' });
    await expect(attempt).rejects.toBeInstanceOf(EngineError);
    await expect(attempt).rejects.toMatchObject({ code: 'bad-input' });
    const rows = await expectLogConsistent(fresh.store);
    expect(rows.at(-1)?.eventType).toBe('CANCEL');
    expect(JSON.parse(rows.at(-1)!.toState)).toBe('cancelled');
    expect(fresh.kdf.runs).toBe(0);
  });
});
