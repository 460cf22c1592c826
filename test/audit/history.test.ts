/**
 * The per-account history audit tells from a log the engine wrote (issue 4): what was backed
 * up, when, where, under which password epoch; failures and their causes; restores; provider
 * switches; wallets relying on the cloud alone (R17), as the engine itself counts them.
 */
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/audit-log.ts';
import { ALICE, bindFirstBackup, engineOn, MNEMONIC_12B, MNEMONIC_24, PASSWORD } from '../engine/engine-helpers.ts';
import { allRows } from '../engine/scenario-helpers.ts';

describe('audit history', () => {
  it('R8 R10 R12 R15 R17: backups, failures by cause, restores, a switch and the cloud-only wallets, per account', async () => {
    const { engine, clouds, store } = engineOn();
    const first = await bindFirstBackup(engine);

    // Network down during the upload, then retried (R12's sibling: nothing half-written).
    const second = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, walletName: 'Savings' });
    clouds.gdrive.faults.failNext('write', 'network');
    await second.enterPassword('Correct horse 7');
    await second.enterPassword(PASSWORD);
    expect(second.view().state).toEqual({ uploading: 'networkError' });
    await second.retry();

    // Forgotten password: a new epoch (R8).
    const third = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12B, walletName: 'Spare' });
    await third.forgotPassword();
    await third.choosePassword('a new password', 'a new password');

    await engine.confirmOfflineCopy({ provider: 'gdrive', account: ALICE, walletId: second.result().walletId! });
    const restore = await engine.restore({ provider: 'gdrive', walletId: first.result().walletId! });
    await restore.enterPassword(PASSWORD);
    const move = await engine.switchProvider({ to: 'icloud' });
    await move.confirm();

    const report = await auditLog(await allRows(store));
    expect(report.ok).toBe(true);
    const history = report.history;
    const gdrive = history.accounts.find((a) => a.provider === 'gdrive' && a.account === ALICE)!;
    expect(gdrive).toMatchObject({ epochs: [1, 2], backupsDone: 3, restoresDone: 1 });
    expect(gdrive.failures).toMatchObject({ 'wrong-password': 1, network: 1 });
    const savings = gdrive.flows.find((f) => f.walletName === 'Savings')!;
    expect(savings.problems).toEqual([
      { cause: 'wrong-password', count: 1, detail: expect.stringMatching(/^hints: /) },
      { cause: 'network', count: 1, detail: 'upload' },
    ]);
    expect(gdrive.flows.find((f) => f.walletName === 'Spare')).toMatchObject({ epoch: 2, outcome: 'done', notes: ['Password forgotten', 'New password epoch 2 (R8)'] });
    expect(gdrive.wallets.find((w) => w.walletId === first.result().walletId)).toMatchObject({ name: 'Main', epoch: 1, backups: 1, restores: 1, offlineCopyConfirmed: false });

    expect(history.switches).toEqual([expect.objectContaining({ kind: 'providerSwitch', from: 'gdrive', provider: 'icloud', outcome: 'done', finished: true })]);
    expect(history.activeProvider).toBe(await engine.activeProvider());

    // R17: exactly the engine's own list of wallets that rely on the cloud alone.
    const engineList = (await engine.cloudOnlyWallets()).map((w) => w.walletId).sort();
    expect(history.cloudOnly.map((w) => w.walletId).sort()).toEqual(engineList);
    expect(engineList).toHaveLength(2);
    expect(history.cloudOnly.map((w) => w.walletId)).not.toContain(second.result().walletId);
  });
});
