/**
 * Every cloud-side error branch of the guide, reproduced from the terminal with `sim`: wrong
 * account (R11: exit 4 naming the account with backups, exit 9 when the expected one is not
 * signed in), storage full (R12: exit 5, then success after freeing space), HMS Core (R13: exit
 * 6, then success), a tampered record (E2: exit 7), signed out (exit 9), network (exit 10).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExit, expectNoSecrets, PHRASES, sandbox, walletIdOf, type Sandbox } from './cli-sandbox.ts';

const PASSWORD = 'hunter22 staple';

describe('wallet-backup cloud errors', () => {
  let box: Sandbox;
  let walletId = '';
  const alice = ['--provider', 'gdrive', '--account', 'alice'];

  beforeAll(async () => {
    box = sandbox();
    const result = await box.run(['backup', ...alice, '--mnemonic-file', box.file('phrase.txt', PHRASES.legal)], { password: PASSWORD });
    expectExit(result, 0);
    walletId = walletIdOf(result);
  });
  afterAll(() => box.cleanup());

  it('R11: signed in to another account, restore exits 4 naming the account that has backups', async () => {
    expectExit(await box.run(['sim', '--provider', 'gdrive', '--sign-in', 'bob']), 0);
    const result = await box.run(['restore', '--provider', 'gdrive', '--account', 'bob', '--wallet', walletId, '--out', join(box.dir, 'r.txt')], {
      password: PASSWORD,
    });
    expectExit(result, 4);
    expect(result.stderr).toContain('No backup in Google Drive account bob. This device made backups under alice: sign in to it and retry.');
  });

  it('R11: expecting alice while bob is signed in exits 9 and says which account is signed in', async () => {
    const result = await box.run(['restore', ...alice, '--wallet', walletId, '--out', join(box.dir, 'r.txt'), '--json'], { password: PASSWORD });
    expectExit(result, 9);
    expect(result.stderr).toContain('signed in as bob, not alice');
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, exitCode: 9, problem: 'wrong-account', reason: 'wrong-account', outcome: 'cancelled' });
  });

  it('not signed in (sim --sign-out) exits 9', async () => {
    expectExit(await box.run(['sim', '--provider', 'gdrive', '--sign-out']), 0);
    const result = await box.run(['list', ...alice]);
    expectExit(result, 9);
    expect(result.stderr).toContain('No Google Drive account is signed in on this device. Sign in with alice');
    expectExit(await box.run(['sim', '--provider', 'gdrive', '--reset']), 0);
  });

  it('R12: storage full exits 5 with the bytes needed, then succeeds after raising the quota', async () => {
    const phrase = box.file('second.txt', PHRASES.letter);
    expectExit(await box.run(['sim', '--provider', 'gdrive', '--quota', '1000']), 0);
    const full = await box.run(['backup', ...alice, '--mnemonic-file', phrase], { password: PASSWORD });
    expectExit(full, 5);
    expect(full.stderr).toMatch(/Google Drive storage is full: the backup needs \d+ more bytes/);
    expectNoSecrets(full, { password: PASSWORD, phrase: PHRASES.letter });

    const sim = await box.run(['sim', '--provider', 'gdrive', '--quota', '1000000', '--json']);
    expect(JSON.parse(sim.stdout)).toMatchObject({ device: { quotaBytes: 1_000_000 } });
    expectExit(await box.run(['backup', ...alice, '--mnemonic-file', phrase], { password: PASSWORD }), 0);
  });

  it('R12: storage full on a first backup leaves nothing behind, so a retry may choose any password', async () => {
    const zed = ['--provider', 'gdrive', '--account', 'zed'];
    const phrase = box.file('zed.txt', PHRASES.abandon);
    expectExit(await box.run(['sim', '--provider', 'gdrive', '--quota', '600']), 0);
    const full = await box.run(['backup', ...zed, '--mnemonic-file', phrase], { password: PASSWORD });
    expectExit(full, 5);
    expect(existsSync(join(box.cloud, 'gdrive', 'accounts', 'zed', 'wallet-backup', 'keyrings'))
      ? readdirSync(join(box.cloud, 'gdrive', 'accounts', 'zed', 'wallet-backup', 'keyrings'))
      : []).toEqual([]);
    expectExit(await box.run(['sim', '--provider', 'gdrive', '--quota', '1000000']), 0);
    expectExit(await box.run(['backup', ...zed, '--mnemonic-file', phrase], { password: 'another password 2' }), 0);
  });

  it('R13: Huawei Cloud without HMS Core exits 6 with the AppGallery fix, then works after --hms ok', async () => {
    const huawei = ['--provider', 'huawei', '--account', 'alice'];
    expectExit(await box.run(['sim', '--provider', 'huawei', '--hms', 'missing']), 0);
    const missing = await box.run(['switch', ...huawei, '--yes']);
    expectExit(missing, 6);
    expect(missing.stderr).toContain('Install HMS Core from Huawei AppGallery, restart the phone, then retry.');
    expectExit(await box.run(['sim', '--provider', 'huawei', '--hms', 'outdated']), 0);
    const outdated = await box.run(['list', ...huawei]);
    expectExit(outdated, 6);
    expect(outdated.stderr).toContain('Update HMS Core');
    expectExit(await box.run(['sim', '--provider', 'huawei', '--hms', 'ok']), 0);
    expectExit(await box.run(['list', ...huawei]), 0);
  });

  it('E2: a tampered wallet record (one flipped payload byte) exits 7 naming the record', async () => {
    const record = box.walletRecord('gdrive', 'alice', walletId);
    const bytes = readFileSync(record);
    const at = bytes.length - 20;
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(record, bytes);
    const result = await box.run(['restore', ...alice, '--wallet', walletId, '--out', join(box.dir, 'tampered.txt')], { password: PASSWORD });
    expectExit(result, 7);
    expect(result.stderr).toContain(`wallet record wallet-backup/wallets/epoch-1/${walletId}.age failed authentication`);
  });

  /** A retry policy with no waits: 3 tries per step (the engine's, set through the environment). */
  const FAST_RETRY = { WALLET_BACKUP_RETRY_ATTEMPTS: '3', WALLET_BACKUP_RETRY_BASE_MS: '0', WALLET_BACKUP_RETRY_MAX_MS: '0' };

  it('a dropped connection is retried by the engine, as logged transitions, and the backup finishes', async () => {
    expectExit(await box.run(['sim', '--provider', 'gdrive', '--fail-next', '2']), 0);
    const result = await box.run(['backup', ...alice, '--mnemonic-file', box.file('retried.txt', PHRASES.zoo)], { password: PASSWORD, env: FAST_RETRY });
    expectExit(result, 0);
    const sim = await box.run(['sim', '--provider', 'gdrive', '--json']);
    expect(JSON.parse(sim.stdout)).toMatchObject({ device: { failNextOps: 0 } });
    const history = await box.run(['history']);
    expect(history.stdout).toContain('NETWORK.RETRYING');
    expect(history.stdout).toContain('BACKOFF.DONE');
  });

  it('network failures beyond the engine\'s retry policy exit 10, naming the tries; the CLI retries nothing itself', async () => {
    expectExit(await box.run(['sim', '--provider', 'gdrive', '--fail-next', '5']), 0);
    const result = await box.run(['backup', ...alice, '--mnemonic-file', box.file('third.txt', PHRASES.zoo)], { password: PASSWORD, env: FAST_RETRY });
    expectExit(result, 10);
    expect(result.stderr).toContain('Could not reach Google Drive (3 attempts)');
    // Three calls failed (the first try and the engine's two retries); two failures remain scripted.
    const sim = await box.run(['sim', '--provider', 'gdrive', '--json']);
    expect(JSON.parse(sim.stdout)).toMatchObject({ device: { failNextOps: 2 } });
  });

  it('a retry policy from the environment that is not whole numbers, or cannot be applied, is bad input', async () => {
    const words = await box.run(['list', ...alice], { env: { WALLET_BACKUP_RETRY_ATTEMPTS: 'many' } });
    expect(words.stderr).toContain('WALLET_BACKUP_RETRY_ATTEMPTS=many is not a whole number');
    const none = await box.run(['list', ...alice], { env: { WALLET_BACKUP_RETRY_ATTEMPTS: '0' } });
    expect(none.stderr).toContain('attempts must be at least 1');
    expect(words.code).toBe(none.code);
    expect(words.code).toBe((await box.run(['list', '--no-such-flag'])).code);
  });
});
