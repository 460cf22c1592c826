/**
 * Issue 11, lost causes: an error no step expects (a cloud folder replaced by a symlink, a bug)
 * ends the flow in the logged final state `failed` with its cause (machines version 2), instead
 * of leaving it inside a step where the next CANCEL threw and the cause was gone.
 */
import { mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accountFolder, createLocalFolderCloud } from '../../adapters/cloud/local-folder.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { createBackupEngine } from '../../src/engine/index.ts';
import { expectLogConsistent } from './scenario-helpers.ts';
import { ALICE, MNEMONIC_12, MNEMONIC_24, PASSWORD, TEST_LOG_N, engineOn } from './engine-helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('an effect that fails in a way no step expects', () => {
  it('a wallets folder replaced by a symlink: the backup ends failed, logged with the step and the cause; the log replays', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wbe-unexpected-'));
    dirs.push(root);
    const store = openMemoryEventStore();
    const drive = createLocalFolderCloud({ root, provider: 'gdrive', account: ALICE });
    const engine = createBackupEngine({ eventLog: store, clouds: { gdrive: drive }, kdf: createNodeScrypt(), scryptLogN: TEST_LOG_N });
    const first = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect((await first.choosePassword(PASSWORD, PASSWORD)).state).toBe('done');

    const wallets = join(accountFolder(root, 'gdrive', ALICE), 'wallet-backup', 'wallets');
    const elsewhere = join(root, 'elsewhere');
    renameSync(wallets, elsewhere);
    symlinkSync(elsewhere, wallets);
    const second = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    const view = await second.enterPassword(PASSWORD);

    expect(view.state).toBe('failed');
    expect(view.meta).toMatchObject({ outcome: 'failed', reason: 'unexpected' });
    const cause = second.context().cause as { effect: string; error: string; code: string | null; message: string };
    expect(cause).toMatchObject({ effect: 'upload', error: 'CloudError', code: 'not-a-file' });
    expect(cause.message).toMatch(/symbolic link/);
    const rows = await expectLogConsistent(store);
    const last = rows.at(-1)!;
    expect(last.eventType).toBe('EFFECT.FAILED');
    expect(JSON.parse(last.payload)).toMatchObject({ effect: 'upload', code: 'not-a-file' });
    expect(last.machineVersion).toBe(3);
  });

  it('a log that refuses the final row: the error reaches the caller and the flow stands at done (the backup is in the cloud)', async () => {
    const { clouds, store } = engineOn();
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const refusing = Object.assign(Object.create(store) as typeof store, {
      append: (record: Parameters<typeof store.append>[0], tags: Parameters<typeof store.append>[1]) =>
        record.eventType === 'MANIFEST.PUBLISHED' ? Promise.reject(full) : store.append(record, tags),
    });
    const engine = createBackupEngine({ eventLog: refusing, clouds, kdf: createNodeScrypt(), scryptLogN: TEST_LOG_N });
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    await expect(flow.choosePassword(PASSWORD, PASSWORD)).rejects.toBe(full);
    expect(flow.view().state).toBe('done');
    const restored = await engineOn({ clouds }).engine.restore({ provider: 'gdrive', walletId: flow.context().walletId as string });
    expect((await restored.enterPassword(PASSWORD)).state).toBe('done');
  });

  it('R6: a cause whose message quotes the password is logged withheld, never the password', async () => {
    const { clouds, store } = engineOn();
    const engine = createBackupEngine({
      eventLog: store,
      clouds,
      kdf: createNodeScrypt(),
      scryptLogN: TEST_LOG_N,
      beforeEffect: (effect) => {
        if (effect === 'createKeyring') throw new Error(`could not use ${PASSWORD} here`);
      },
    });
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect((await flow.choosePassword(PASSWORD, PASSWORD)).state).toBe('failed');
    expect((flow.context().cause as { message: string }).message).toBe('(withheld: the message quoted a secret of this flow)');
    for (const row of await expectLogConsistent(store)) expect(row.payload).not.toContain(PASSWORD);
  });

  it('a person\'s CANCEL after a failure is refused as "finished", not as "cannot take CANCEL now": the flow is over', async () => {
    const { clouds, store } = engineOn();
    const engine = createBackupEngine({ eventLog: store, clouds, kdf: createNodeScrypt(), scryptLogN: TEST_LOG_N, beforeEffect: (effect) => {
      if (effect === 'loadKeyring') throw new TypeError('a bug in a step');
    } });
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect(flow.view().state).toBe('failed');
    await expect(flow.cancel()).rejects.toThrow(/already finished/);
  });
});
