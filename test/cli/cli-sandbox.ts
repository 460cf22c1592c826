/**
 * Test helper: runs the REAL `wallet-backup` binary (node bin/wallet-backup.js) in a child
 * process against a temp --db and --cloud, with a low scrypt work factor for speed (the test-only
 * WALLET_BACKUP_SCRYPT_LOG_N). Stdin is not a TTY, so the CLI never prompts: every branch ends
 * with its exit code, as in a script.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';

export const BIN = resolve(import.meta.dirname, '../../bin/wallet-backup.js');

/** BIP39 test vectors (valid checksums). */
export const PHRASES = {
  abandon: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  legal: 'legal winner thank year wave sausage worth useful legal winner thank yellow',
  letter: 'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
  zoo: 'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
} as const;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  password?: string;
  env?: Record<string, string>;
  /** Text (written as UTF-8) or exact bytes. */
  stdin?: string | Uint8Array;
}

export interface Sandbox {
  dir: string;
  db: string;
  cloud: string;
  /** Runs the binary with this sandbox's --db and --cloud appended (each only where the command has it). */
  run(args: string[], options?: RunOptions): Promise<CliResult>;
  /** Writes a file in the sandbox and returns its path. */
  file(name: string, content: string): string;
  /** The file of a wallet record (layout 2, in its epoch's folder) in the cloud folder of an account. */
  walletRecord(provider: string, account: string, walletId: string): string;
  cleanup(): void;
}

export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, WALLET_BACKUP_SCRYPT_LOG_N: '10', ...extra };
  if (!('WALLET_BACKUP_PASSWORD' in extra)) delete env.WALLET_BACKUP_PASSWORD;
  delete env.DEBUG;
  return env;
}

export function runBinary(args: string[], env: NodeJS.ProcessEnv, stdin?: string | Uint8Array): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

const WITHOUT_CLOUD = new Set(['history']);
const WITHOUT_DB = new Set(['sim']);

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'wallet-backup-cli-'));
  const db = join(dir, 'device.db');
  const cloud = join(dir, 'cloud');
  return {
    dir,
    db,
    cloud,
    run(args, options = {}) {
      const command = args[0] ?? '';
      const extra = [...(WITHOUT_DB.has(command) ? [] : ['--db', db]), ...(WITHOUT_CLOUD.has(command) ? [] : ['--cloud', cloud])];
      const env = cliEnv({ ...(options.password !== undefined ? { WALLET_BACKUP_PASSWORD: options.password } : {}), ...options.env });
      return runBinary([...args, ...extra], env, options.stdin);
    },
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    walletRecord(provider, account, walletId) {
      // Cloud layout 2: wallet-backup/wallets/epoch-<n>/<walletId>.age (one wallet id is in one epoch).
      const folder = join(cloud, provider, 'accounts', encodeURIComponent(account), 'wallet-backup', 'wallets');
      const found = readdirSync(folder)
        .filter((epoch) => /^epoch-[1-9][0-9]*$/.test(epoch))
        .map((epoch) => join(folder, epoch, `${walletId}.age`))
        .filter((path) => existsSync(path));
      if (found.length !== 1) throw new Error(`${found.length === 0 ? 'no' : 'more than one'} record of ${walletId} in ${folder}`);
      return found[0]!;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The wallet id a successful backup printed. */
export function walletIdOf(result: CliResult): string {
  const id = /wallet (w-[0-9a-f]+)/.exec(result.stdout)?.[1];
  if (!id) throw new Error(`no wallet id in: ${result.stdout}\n${result.stderr}`);
  return id;
}

/**
 * R6: neither the password nor the phrase (nor any three of its words in a row) appears in what
 * a command printed.
 */
export function expectNoSecrets(result: CliResult, secrets: { password?: string; phrase?: string }): void {
  const printed = `${result.stdout}\n${result.stderr}`;
  if (secrets.password) expect(printed).not.toContain(secrets.password);
  if (secrets.phrase) {
    const words = secrets.phrase.split(' ');
    for (let i = 0; i + 3 <= words.length; i++) expect(printed).not.toContain(words.slice(i, i + 3).join(' '));
  }
}

export function expectExit(result: CliResult, code: number): void {
  if (result.code !== code) {
    throw new Error(`expected exit ${code}, got ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
