/**
 * Bad input exits 2 with a message naming the problem and the fix (E6): invalid phrases (R16),
 * short passwords (R3), flags commander refuses, missing files, no password source. Also the
 * password file rule: one trailing newline removed, nothing else (R3, E1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExit, expectNoSecrets, PHRASES, runBinary, cliEnv, sandbox, type Sandbox } from './cli-sandbox.ts';

const PASSWORD = 'correct battery';
const account = ['--provider', 'icloud', '--account', 'carol'];

describe('wallet-backup input errors', () => {
  let box: Sandbox;
  beforeAll(() => {
    box = sandbox();
  });
  afterAll(() => box.cleanup());

  it('R16: a phrase with a bad checksum is refused with exit 2, naming the reason', async () => {
    const bad = 'abandon '.repeat(12).trim();
    const result = await box.run(['backup', ...account, '--mnemonic-file', box.file('bad.txt', bad)], { password: PASSWORD });
    expectExit(result, 2);
    expect(result.stderr).toContain('bad-checksum');
    expect(result.stderr).toContain('Nothing was derived or uploaded');
    expectNoSecrets(result, { password: PASSWORD, phrase: bad });
  });

  it('R16: an unknown word is named by position, never by the word', async () => {
    const typo = PHRASES.legal.replace('sausage', 'sausagge');
    const result = await box.run(['backup', ...account, '--mnemonic-file', box.file('typo.txt', typo), '--json'], { password: PASSWORD });
    expectExit(result, 2);
    expect(result.stderr).toContain('Word 6 is not in the BIP39 English word list');
    expect(result.stderr).not.toContain('sausagge');
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ ok: false, exitCode: 2, problem: 'invalid-mnemonic', outcome: 'failed', reason: 'invalid-mnemonic' });
  });

  it('R3: a first-backup password under 6 characters exits 2', async () => {
    const result = await box.run(['backup', ...account, '--mnemonic-file', box.file('ok.txt', PHRASES.zoo)], { password: 'abc12' });
    expectExit(result, 2);
    expect(result.stderr).toContain('at least 6 characters');
    expectNoSecrets(result, { password: 'abc12', phrase: PHRASES.zoo });
  });

  it('no password source without a terminal exits 2 and names the three ways', async () => {
    const result = await box.run(['backup', ...account, '--mnemonic-file', box.file('ok.txt', PHRASES.zoo)]);
    expectExit(result, 2);
    expect(result.stderr).toContain('WALLET_BACKUP_PASSWORD');
    expect(result.stderr).toContain('--password-file');
  });

  it('commander parse errors exit 2, not 1: unknown flag, bad choice, missing required flag', async () => {
    const env = cliEnv();
    const unknown = await runBinary(['list', '--provider', 'icloud', '--account', 'carol', '--frobnicate'], env);
    expectExit(unknown, 2);
    expect(unknown.stderr).toContain("unknown option '--frobnicate'");
    expectExit(await runBinary(['list', '--provider', 'dropbox', '--account', 'carol'], env), 2);
    expectExit(await runBinary(['restore', '--provider', 'icloud', '--account', 'carol', '--wallet', 'w-1'], env), 2);
    const json = await runBinary(['sim', '--provider', 'icloud', '--quota', '12abc', '--json'], env);
    expectExit(json, 2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: 2, problem: 'bad-flags' });
  });

  it('a missing phrase file or password file exits 2 naming the path', async () => {
    const noPhrase = await box.run(['backup', ...account, '--mnemonic-file', 'no-such-phrase.txt'], { password: PASSWORD });
    expectExit(noPhrase, 2);
    expect(noPhrase.stderr).toContain('no-such-phrase.txt');
    const noPassword = await box.run(['backup', ...account, '--mnemonic-file', box.file('ok.txt', PHRASES.zoo), '--password-file', 'no-such-pw']);
    expectExit(noPassword, 2);
    expect(noPassword.stderr).toContain('no-such-pw');
  });

  it('R3/E1: --password-file drops one trailing newline only; spaces stay part of the password', async () => {
    const withNewline = box.file('pw.txt', ` ${PASSWORD}\n`);
    const backup = await box.run(['backup', ...account, '--mnemonic-file', box.file('ok.txt', PHRASES.zoo), '--password-file', withNewline]);
    expectExit(backup, 0);
    expectNoSecrets(backup, { password: PASSWORD, phrase: PHRASES.zoo });
    // The leading space is part of the password: without it the password is wrong (R10 hint-free).
    const phrase = box.file('second.txt', PHRASES.letter);
    expectExit(await box.run(['backup', ...account, '--mnemonic-file', phrase], { password: PASSWORD }), 3);
    // Two newlines: only one is removed, so the second is part of the password and it is wrong.
    const twoNewlines = box.file('pw2.txt', ` ${PASSWORD}\n\n`);
    const wrong = await box.run(['backup', ...account, '--mnemonic-file', phrase, '--password-file', twoNewlines]);
    expectExit(wrong, 3);
    expect(wrong.stderr).toContain('Check for spaces before or after');
    expectExit(await box.run(['backup', ...account, '--mnemonic-file', phrase], { password: ` ${PASSWORD}` }), 0);
  });
});
