/**
 * The CLI's main path through the real binary: first backup (R4), a second wallet verified
 * against the bound password (R5), restore on a fresh device (R14), wrong password (R10),
 * R17 bookkeeping, --json, history (E4). Nothing secret is ever printed (R6).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExit, expectNoSecrets, PHRASES, readText, sandbox, walletIdOf, type Sandbox } from './cli-sandbox.ts';

const PASSWORD = 'Tr0ub4dor&3 horse';
const account = ['--provider', 'gdrive', '--account', 'alice@example.com'];

describe('wallet-backup backup / restore', () => {
  let box: Sandbox;
  let firstWallet = '';
  let secondWallet = '';

  beforeAll(() => {
    box = sandbox();
  });
  afterAll(() => box.cleanup());

  it('R4: the first backup binds the password to the account and exits 0', async () => {
    const phrase = box.file('first.txt', `${PHRASES.abandon}\n`);
    const result = await box.run(['backup', ...account, '--mnemonic-file', phrase, '--name', 'Main'], { password: PASSWORD });
    expectExit(result, 0);
    expect(result.stdout).toContain('password epoch 1');
    expect(result.stdout).toContain('now bound to alice@example.com');
    // R17: a backup without a confirmed offline copy is flagged.
    expect(result.stderr).toContain('relies on the Google Drive backup alone');
    expectNoSecrets(result, { password: PASSWORD, phrase: PHRASES.abandon });
    firstWallet = walletIdOf(result);
  });

  it('R5: a second wallet is verified against the bound password, --json parses', async () => {
    const phrase = box.file('second.txt', PHRASES.legal);
    const result = await box.run(['backup', ...account, '--mnemonic-file', phrase, '--name', 'Savings', '--offline-copy-confirmed', '--json'], {
      password: PASSWORD,
    });
    expectExit(result, 0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ ok: true, exitCode: 0, command: 'backup', outcome: 'done', account: 'alice@example.com', epoch: 1, binding: false });
    expect(json.flowId).toMatch(/^[0-9a-f-]{36}$/);
    expect(json.walletId).toMatch(/^w-/);
    expectNoSecrets(result, { password: PASSWORD, phrase: PHRASES.legal });
    secondWallet = json.walletId as string;
  });

  it('R10: a wrong password (trailing space) exits 3 with the spaces hint', async () => {
    const phrase = box.file('third.txt', PHRASES.letter);
    const wrong = `${PASSWORD} `;
    const result = await box.run(['backup', ...account, '--mnemonic-file', phrase], { password: wrong });
    expectExit(result, 3);
    expect(result.stderr).toContain('Check for spaces before or after');
    expect(result.stderr).toContain('--new-password');
    expectNoSecrets(result, { password: PASSWORD, phrase: PHRASES.letter });
  });

  it('R10: --json reports the wrong-password hints as codes', async () => {
    const phrase = box.file('third.txt', PHRASES.letter);
    const result = await box.run(['backup', ...account, '--mnemonic-file', phrase, '--json'], { password: PASSWORD.toUpperCase() });
    expectExit(result, 3);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ ok: false, exitCode: 3, problem: 'wrong-password', outcome: 'cancelled', reason: null });
    expect(json.hints).toContain('caps-lock');
  });

  it('R17: list shows both wallets and which lack an offline copy; confirm-offline records one', async () => {
    const before = await box.run(['list', ...account]);
    expectExit(before, 0);
    expect(before.stdout).toContain(firstWallet);
    expect(before.stdout).toContain(secondWallet);
    expect(before.stdout).toContain('Savings');
    expect(before.stderr).toContain(`Wallet ${firstWallet} relies`);

    expectExit(await box.run(['confirm-offline', ...account, '--wallet', firstWallet]), 0);
    const after = await box.run(['list', ...account, '--json']);
    const json = JSON.parse(after.stdout) as { wallets: Array<{ walletId: string; offlineCopyConfirmed: boolean }>; cloudOnlyWallets: string[] };
    expect(json.wallets.every((w) => w.offlineCopyConfirmed)).toBe(true);
    expect(json.cloudOnlyWallets).toEqual([]);

    expectExit(await box.run(['confirm-offline', ...account, '--wallet', 'w-0000000000000000']), 4);
  });

  it('R14: restore on a fresh device (empty --db) writes the same phrase to a 0600 file', async () => {
    const out = join(box.dir, 'restored.txt');
    const fresh = join(box.dir, 'fresh-install.db');
    const result = await box.run(['restore', ...account, '--wallet', firstWallet, '--out', out, '--db', fresh], { password: PASSWORD });
    expectExit(result, 0);
    expect(readText(out)).toBe(`${PHRASES.abandon}\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(result.stdout).toContain('"Main"');
    expectNoSecrets(result, { password: PASSWORD, phrase: PHRASES.abandon });
  });

  it('E6: restore refuses to overwrite --out (exit 2) unless --force', async () => {
    const out = box.file('keep-me.txt', 'precious');
    const refused = await box.run(['restore', ...account, '--wallet', secondWallet, '--out', out], { password: PASSWORD });
    expectExit(refused, 2);
    expect(refused.stderr).toContain('--force');
    expect(readText(out)).toBe('precious');

    const forced = await box.run(['restore', ...account, '--wallet', secondWallet, '--out', out, '--force'], { password: PASSWORD });
    expectExit(forced, 0);
    expect(readText(out)).toBe(`${PHRASES.legal}\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('R11: restoring a wallet the account does not hold exits 4 naming the wallets it has', async () => {
    const result = await box.run(['restore', ...account, '--wallet', 'w-ffffffffffffffff', '--out', join(box.dir, 'none.txt')], { password: PASSWORD });
    expectExit(result, 4);
    expect(result.stderr).toContain(firstWallet);
  });

  it('E4: history prints the flows and their transitions from the log', async () => {
    const result = await box.run(['history']);
    expectExit(result, 0);
    // New flows run the current releases: backup and restore version 2, offlineCopy version 1.
    expect(result.stdout).toContain('backup@3');
    expect(result.stdout).toContain('restore@3');
    expect(result.stdout).toContain('offlineCopy@1');
    expect(result.stdout).not.toContain('backup@1');
    expect(result.stdout).not.toContain('restore@1');
    expect(result.stdout).toMatch(/checkingProvider\.running\s*│\s*PROVIDER\.READY\(account=alice@example\.com\)\s*│\s*loadingKeyring\.running/);
    expect(result.stdout).toContain('MANIFEST.PUBLISHED');
    expect(result.stdout).toContain('KEYRING.WRONG_PASSWORD');
    expectNoSecrets(result, { password: PASSWORD, phrase: PHRASES.abandon });

    const json = JSON.parse((await box.run(['history', '--json'])).stdout) as { flows: Array<{ flowId: string; transitions: unknown[] }> };
    const first = json.flows[0]!;
    const one = await box.run(['history', '--flow', first.flowId.slice(0, 8)]);
    expectExit(one, 0);
    expect(one.stdout).toContain(first.flowId);
    expect(one.stdout).not.toContain(json.flows[1]!.flowId);
  });
});
