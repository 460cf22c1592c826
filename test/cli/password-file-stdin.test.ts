/**
 * `--password-file -` reads the backup password from standard input, through the same bounded
 * reader and UTF-8 check as a password file, with the same line-end rule (one trailing LF or CRLF
 * removed, nothing else). Standard input is read once: a new password from it is its own
 * confirmation. `--mnemonic-file -` and `--password-file -` cannot both have it (exit 2).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/cli-error.ts';
import { MAX_PASSWORD_FILE_BYTES, openPasswordSource } from '../../src/cli/password-source.ts';
import type { Terminal } from '../../src/cli/terminal.ts';
import { cliEnv, expectExit, expectNoSecrets, PHRASES, readText, runBinary, sandbox, walletIdOf, type Sandbox } from './cli-sandbox.ts';

const PASSWORD = ' stdin battery staple';
const account = ['--provider', 'gdrive', '--account', 'dana'];

describe('wallet-backup --password-file -', () => {
  let box: Sandbox;
  beforeAll(() => {
    box = sandbox();
  });
  afterAll(() => box.cleanup());

  it('reads the password from stdin once: a first backup (new password and its confirmation) and a restore, one trailing newline removed', async () => {
    const phrase = box.file('phrase.txt', PHRASES.legal);
    const backup = await box.run(['backup', ...account, '--mnemonic-file', phrase, '--password-file', '-'], { stdin: `${PASSWORD}\n` });
    expectExit(backup, 0);
    expectNoSecrets(backup, { password: PASSWORD, phrase: PHRASES.legal });
    const walletId = walletIdOf(backup);

    // CRLF is one line end too; the leading space stays part of the password.
    const out = join(box.dir, 'restored.txt');
    const restore = await box.run(['restore', ...account, '--wallet', walletId, '--out', out, '--password-file', '-'], { stdin: `${PASSWORD}\r\n` });
    expectExit(restore, 0);
    expect(readText(out).trim()).toBe(PHRASES.legal);

    // The same bytes as a file and on stdin are the same password: without the space it is wrong.
    const trimmed = await box.run(['restore', ...account, '--wallet', walletId, '--out', join(box.dir, 'no.txt'), '--password-file', '-'], { stdin: `${PASSWORD.trim()}\n` });
    expectExit(trimmed, 3);
    expect(trimmed.stderr).toContain('The backup password is wrong');
    // Two line ends: only one is removed, so the password is wrong, as with a file.
    const twoNewlines = await box.run(['restore', ...account, '--wallet', walletId, '--out', join(box.dir, 'no.txt'), '--password-file', '-'], { stdin: `${PASSWORD}\n\n` });
    expectExit(twoNewlines, 3);
    expect(existsSync(join(box.dir, 'no.txt'))).toBe(false);
  });

  it('a new password epoch from stdin: asked as new password and confirmation, read once (exit 0, not a mismatch)', async () => {
    const phrase = box.file('second.txt', PHRASES.letter);
    const result = await box.run(['backup', ...account, '--mnemonic-file', phrase, '--new-password', '--password-file', '-'], { stdin: 'a whole new password\n' });
    expectExit(result, 0);
    expect(result.stdout).toContain('password epoch 2');
    expectNoSecrets(result, { password: 'a whole new password', phrase: PHRASES.letter });
  });

  it('bytes on stdin that are not UTF-8 are refused (exit 2, naming standard input), never decoded lossily nor shown', async () => {
    const phrase = box.file('third.txt', PHRASES.zoo);
    const raw = await box.run(['backup', ...account, '--mnemonic-file', phrase, '--password-file', '-'], { stdin: Uint8Array.from([...Buffer.from('qxzv'), 0xff, ...Buffer.from('secret\n')]) });
    expectExit(raw, 2);
    expect(raw.stderr).toContain('password file on standard input (--password-file -)');
    expect(raw.stderr).toContain('not UTF-8 text (the first invalid byte sequence starts at byte 4)');
    expect(`${raw.stdout}${raw.stderr}`).not.toMatch(/qxzv|secret/);
  });

  it('stdin longer than the cap is refused as it arrives: exit 2 naming standard input and the cap', async () => {
    const phrase = box.file('fourth.txt', PHRASES.zoo);
    const result = await box.run(['backup', ...account, '--mnemonic-file', phrase, '--password-file', '-'], { stdin: 'x'.repeat(MAX_PASSWORD_FILE_BYTES + 1) });
    expectExit(result, 2);
    expect(result.stderr).toContain('password file on standard input (--password-file -)');
    expect(result.stderr).toContain('4 KiB');
  });

  it('--mnemonic-file - and --password-file - together are refused before anything is read: exit 2, a usage error, no log created', async () => {
    const fresh = sandbox();
    try {
      const result = await fresh.run(['backup', ...account, '--mnemonic-file', '-', '--password-file', '-'], { stdin: `${PHRASES.abandon}\n` });
      expectExit(result, 2);
      expect(result.stderr).toContain('--mnemonic-file - and --password-file - both read standard input');
      expect(result.stderr).toContain('wallet-backup help');
      expect(existsSync(fresh.db)).toBe(false);
      expectNoSecrets(result, { phrase: PHRASES.abandon });
      // /dev/stdin is standard input under another name.
      const alias = await fresh.run(['backup', ...account, '--mnemonic-file', '/dev/stdin', '--password-file', '-', '--json'], { stdin: `${PHRASES.abandon}\n` });
      expectExit(alias, 2);
      expect(JSON.parse(alias.stdout)).toMatchObject({ ok: false, exitCode: 2, problem: 'bad-flags' });
    } finally {
      fresh.cleanup();
    }
  });

  it('audit: --from-jsonl /dev/stdin and --password-file - together are refused too (exit 2)', async () => {
    const result = await runBinary(['audit', '--from-jsonl', '/dev/stdin', '--password-file', '-'], cliEnv(), 'pw\n');
    expectExit(result, 2);
    expect(result.stderr).toContain('--from-jsonl /dev/stdin and --password-file - both read standard input');
  });

  it('standard input that is a terminal is refused (exit 2): typed there the password would show; the masked prompt is the way', async () => {
    const terminal: Terminal = {
      interactive: true,
      askSecret: async () => 'never asked',
      pressEnter: async () => undefined,
      confirm: async () => false,
    };
    const descriptor = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');
    Object.defineProperty(process.stdin, 'isTTY', { value: true, configurable: true });
    try {
      const refused = await openPasswordSource('-', {}, terminal).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(CliError);
      expect(refused).toMatchObject({ problem: 'bad-flags', exitCode: 2 });
      expect((refused as CliError).message).toContain('standard input is a terminal');
    } finally {
      if (descriptor) Object.defineProperty(process.stdin, 'isTTY', descriptor);
      else delete (process.stdin as { isTTY?: boolean }).isTTY;
    }
  });
});
