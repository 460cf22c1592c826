/**
 * `npm run emulators` (scripts/emulators.ts), as a person uses it: it starts the three emulators,
 * prints the command lines to try, and a fault posted to its control port reaches the next command.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHRASES, cliEnv, runBinary } from './cli-sandbox.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/tsx/dist/cli.mjs');
const BASE = 20_000 + Math.floor(Math.random() * 400) * 100;

let child: ChildProcess;
let printed = '';
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wbe-emulators-'));
  child = spawn(process.execPath, [TSX, 'scripts/emulators.ts', '--port-base', String(BASE), '--dir', join(dir, 'tokens')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((ready, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
      if (printed.includes('Ctrl-C stops the emulators')) ready();
    });
    child.stderr!.on('data', (chunk: Buffer) => fail(new Error(chunk.toString('utf8'))));
    child.on('exit', (code) => fail(new Error(`emulators exited with ${code}`)));
  });
}, 60_000);

afterAll(() => {
  child?.kill('SIGINT');
  rmSync(dir, { recursive: true, force: true });
});

/** The flags of the printed `backup` line for a provider, without the per-run ones. */
function flagsFor(provider: string): string[] {
  const line = printed.split('\n').find((l) => l.includes('backup ') && l.includes(`--provider ${provider} `));
  expect(line, printed).toBeDefined();
  const words = line!.trim().split(/\s+/);
  const start = words.indexOf('--provider');
  return words.slice(start, words.indexOf('--mnemonic-file'));
}

describe('npm run emulators', () => {
  it('prints working command lines for every provider, and a posted fault reaches the next command', async () => {
    const phrase = join(dir, 'phrase.txt');
    writeFileSync(phrase, PHRASES.zoo);
    const env = cliEnv({ WALLET_BACKUP_PASSWORD: 'correct horse battery' });
    for (const provider of ['gdrive', 'huawei', 'icloud']) {
      const flags = flagsFor(provider);
      const ok = await runBinary(['backup', ...flags, '--mnemonic-file', phrase, '--db', join(dir, `${provider}.db`), '--json'], env);
      expect(ok.code, ok.stderr).toBe(0);

      const posted = await fetch(`http://127.0.0.1:${BASE}/faults/${provider}/storage-full`, { method: 'POST' });
      expect(posted.status).toBe(200);
      // Another wallet (one the account already holds would need no upload).
      const other = join(dir, 'other.txt');
      writeFileSync(other, PHRASES.letter);
      const full = await runBinary(['backup', ...flags, '--mnemonic-file', other, '--name', 'Second', '--db', join(dir, `${provider}-2.db`), '--json'], env);
      // Storage full (exit 5): the new wallet needs more than the account has left.
      expect(full.code, full.stderr).toBe(5);
    }
    const listed = (await (await fetch(`http://127.0.0.1:${BASE}/faults`)).json()) as Record<string, Record<string, string>>;
    expect(Object.keys(listed)).toEqual(['icloud', 'gdrive', 'huawei']);
    expect(listed.huawei!['hms-missing']).toBe('HMS Core missing');
    expect((await fetch(`http://127.0.0.1:${BASE}/faults/gdrive/no-such-fault`, { method: 'POST' })).status).toBe(400);
  }, 120_000);
});
