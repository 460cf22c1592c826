/**
 * Interop with the reference `age` tool (Debian package "age"), E1: a user can always recover
 * without this software. The test lays the records out as in the cloud (layout.ts) and does
 * exactly the README's manual recovery, in the downloaded wallet-backup folder:
 *
 *   age -d -o identity.txt keyrings/epoch-1.age         (asks for the backup password)
 *   age -d -i identity.txt wallets/epoch-1/<walletId>.age   (prints the JSON with the mnemonic)
 *
 * and the one-step form, since age accepts a passphrase-encrypted identity file:
 *
 *   age -d -i keyrings/epoch-1.age wallets/epoch-1/<walletId>.age
 *
 * age reads the passphrase from the terminal (/dev/tty), never from stdin, so the test runs it
 * inside a pseudo-terminal made by util-linux `script` and types the password when age prompts.
 * Keyrings here use scrypt 2^10 for speed; production uses 2^17 (PRODUCTION_SCRYPT_LOG_N).
 *
 * Without `age` (or util-linux `script`) these tests are skipped with the reason printed, through
 * test/support/requirements.ts; under CI=true they fail instead (.ci/run installs age). The same
 * recovery is checked on every machine against rage from npm (rage-interop.test.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKUP_FOLDER,
  deriveWalletId,
  keyringPath,
  keyringText,
  openKeyring,
  openWallet,
  sealWallet,
  walletRecordPath,
  type EpochIdentity,
} from '../../src/format/index.ts';
import { requireOrSkip, type Requirement } from '../support/requirements.ts';
import { ACCOUNT, makeEpoch, MNEMONIC_24, nodeKdf, NOW, PASSWORD } from './helpers.ts';

/** Why `command args` cannot run here (not on PATH, not executable, fails), or undefined. */
function whyNotRunnable(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error !== undefined) return `\`${command} ${args.join(' ')}\` failed: ${result.error.message}`;
  if (result.status !== 0) return `\`${command} ${args.join(' ')}\` exited ${result.status}: ${result.stderr.trim()}`;
  return undefined;
}

const AGE_CLI: Requirement = {
  what: "the `age` tool (Go's age, Debian package age)",
  missing: whyNotRunnable('age', ['--version']),
  install: 'apt-get install age',
};
const PSEUDO_TERMINAL: Requirement = {
  what: 'util-linux `script` (runs age in a pseudo-terminal to type the password)',
  missing: whyNotRunnable('script', ['--version']),
  install: 'apt-get install bsdutils',
};

/** Stands for the user's download of the cloud folder; commands run inside wallet-backup/. */
const downloadDir = mkdtempSync(join(tmpdir(), 'wallet-backup-age-cli-'));
const workDir = join(downloadDir, BACKUP_FOLDER);
afterAll(() => rmSync(downloadDir, { recursive: true, force: true }));

function writeCloudFile(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(join(downloadDir, path)), { recursive: true });
  writeFileSync(join(downloadDir, path), bytes);
}

/** A cloud path as seen from inside wallet-backup/. */
function local(path: string): string {
  return path.slice(BACKUP_FOLDER.length + 1);
}

interface TerminalRun {
  code: number | null;
  output: string;
}

/**
 * Runs a shell command in a pseudo-terminal and types each answer (followed by Enter) when
 * `prompt` next appears in the terminal output.
 */
function runInTerminal(command: string, answers: string[], prompt = /passphrase/i, timeoutMs = 30_000): Promise<TerminalRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: workDir, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let promptsSeen = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out running ${command}; terminal output so far:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const prompts = output.match(new RegExp(prompt.source, 'gi'))?.length ?? 0;
      while (promptsSeen < prompts && promptsSeen < answers.length) {
        child.stdin.write(`${answers[promptsSeen]}\n`);
        promptsSeen += 1;
      }
    };
    // age may exit before an answer is written (a wrong password): a closed pipe is not an error.
    child.stdin.on('error', () => {});
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, output });
    });
  });
}

function runAge(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync('age', args, { cwd: workDir, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('age CLI interop', () => {
  beforeEach((ctx) => {
    requireOrSkip(ctx, AGE_CLI);
    requireOrSkip(ctx, PSEUDO_TERMINAL);
  });

  let epoch: EpochIdentity;
  let walletId = '';
  let walletFile = '';
  const keyringFile = local(keyringPath(1));

  beforeAll(async () => {
    const keyring = await makeEpoch(); // cheap, and the tests that use it skip or fail without age
    epoch = keyring.identity;
    walletId = deriveWalletId(epoch, MNEMONIC_24);
    walletFile = local(walletRecordPath(walletId, 1));
    writeCloudFile(keyringPath(1), keyring.bytes);
    writeCloudFile(
      walletRecordPath(walletId, 1),
      await sealWallet({ walletId, accountId: ACCOUNT, epoch: 1, name: 'Savings', mnemonic: MNEMONIC_24, createdAt: NOW.toISOString() }, epoch),
    );
  });

  it('E1: manual recovery with age: the keyring decrypts with the password, the wallet with the identity', async () => {
    expect(keyringFile).toBe('keyrings/epoch-1.age');
    expect(walletFile).toBe(`wallets/epoch-1/${walletId}.age`); // cloud layout 2: the record in its epoch's folder
    // (1) age -d -o identity.txt keyrings/epoch-1.age, typing the password at the prompt.
    const step1 = await runInTerminal(`age -d -o identity.txt ${keyringFile}`, [PASSWORD]);
    expect(step1.code, step1.output).toBe(0);
    const identityFile = readFileSync(join(workDir, 'identity.txt'), 'utf8');
    expect(identityFile).toContain('# format: wallet-backup-engine/keyring v1');
    expect(identityFile).toContain(epoch.identity);

    // (2) age -d -i identity.txt wallets/epoch-1/<walletId>.age prints the JSON with the mnemonic.
    const step2 = runAge(['-d', '-i', 'identity.txt', walletFile]);
    expect(step2.code, step2.stderr).toBe(0);
    const record = JSON.parse(step2.stdout) as { mnemonic: string; walletId: string; name: string };
    expect(record.mnemonic).toBe(MNEMONIC_24);
    expect(record.walletId).toBe(walletId);
    expect(record.name).toBe('Savings');
  });

  it('E1: one-step recovery: age -d -i keyrings/epoch-1.age wallets/epoch-1/<id>.age asks for the password, prints the wallet', async () => {
    rmSync(join(workDir, 'wallet.json'), { force: true });
    const run = await runInTerminal(`age -d -i ${keyringFile} -o wallet.json ${walletFile}`, [PASSWORD]);
    expect(run.code, run.output).toBe(0);
    const record = JSON.parse(readFileSync(join(workDir, 'wallet.json'), 'utf8')) as { mnemonic: string };
    expect(record.mnemonic).toBe(MNEMONIC_24);
  });

  it('R10: age refuses a wrong password too', async () => {
    const run = await runInTerminal(`age -d -o wrong.txt ${keyringFile}`, [`${PASSWORD}!`]);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/incorrect passphrase|no identity matched/i);
  });

  it('E1: files the age tool writes open with our code (age -p keyring, age -r wallet record)', async () => {
    // A keyring written by hand with `age -p` (age's default work factor, 2^18) opens with openKeyring.
    writeFileSync(join(workDir, 'keyring.txt'), keyringText(ACCOUNT, 1, NOW.toISOString(), epoch.identity));
    const encrypt = await runInTerminal('age -p -o by-age-keyring.age keyring.txt', [PASSWORD, PASSWORD]);
    expect(encrypt.code, encrypt.output).toBe(0);
    const opened = await openKeyring(readFileSync(join(workDir, 'by-age-keyring.age')), PASSWORD, { accountId: ACCOUNT, epoch: 1 }, nodeKdf);
    expect(opened).toEqual(epoch);

    // A wallet record re-encrypted by age to the epoch recipient opens with openWallet.
    const json = runAge(['-d', '-i', 'identity.txt', walletFile]).stdout;
    writeFileSync(join(workDir, 'wallet-plain.json'), json);
    const reencrypt = runAge(['-r', epoch.recipient, '-o', 'by-age-wallet.age', 'wallet-plain.json']);
    expect(reencrypt.code, reencrypt.stderr).toBe(0);
    const payload = await openWallet(readFileSync(join(workDir, 'by-age-wallet.age')), epoch, { walletId, accountId: ACCOUNT, epoch: 1 });
    expect(payload.mnemonic).toBe(MNEMONIC_24);
  });
});
