/**
 * Issue 11 through the real binary: backups started at the same moment by separate processes
 * with separate event logs (separate phones), on one local-folder cloud account. Every process
 * that says a backup is done (exit 0) is right: another device restores it. A process that lost
 * the race to bind the account's password is told so and ends with exit 3 (its password is not
 * the account's), never with a done backup that cannot be restored.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN, cliEnv, runBinary, sandbox, walletIdOf, type CliResult } from './cli-sandbox.ts';

const ACCOUNT = 'alice@example.com';
const PHRASES = [
  'legal winner thank year wave sausage worth useful legal winner thank yellow',
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
  'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
];

const box = sandbox();
afterAll(() => box.cleanup());

function backupArgs(cloud: string, db: string, phrase: string, extra: string[] = []): string[] {
  const file = box.file(`phrase-${Math.random().toString(36).slice(2)}.txt`, `${phrase}\n`);
  return ['backup', '--provider', 'gdrive', '--account', ACCOUNT, '--mnemonic-file', file, '--name', 'Main', '--db', db, '--cloud', cloud, ...extra];
}

function backupAt(cloud: string, db: string, phrase: string, password: string, extra: string[] = []): Promise<CliResult> {
  return runBinary(backupArgs(cloud, db, phrase, extra), cliEnv({ WALLET_BACKUP_PASSWORD: password }));
}

/** Every wallet the account lists restores with one of these passwords (nothing listed is unrestorable). */
async function everyListedRestores(cloud: string, passwords: string[], tag: string): Promise<number> {
  const listed = await runBinary(['list', '--provider', 'gdrive', '--account', ACCOUNT, '--json', '--limit', '1000', '--db', join(box.dir, `${tag}-lister.db`), '--cloud', cloud], cliEnv());
  expect(listed.code, listed.stderr).toBe(0);
  const wallets = (JSON.parse(listed.stdout) as { wallets: Array<{ walletId: string; source: string }> }).wallets.filter((w) => w.source === 'entry');
  for (const [i, wallet] of wallets.entries()) {
    let restored = false;
    for (const password of passwords) {
      const out = join(box.dir, `${tag}-${i}-${passwords.indexOf(password)}.txt`);
      const result = await runBinary(
        ['restore', '--provider', 'gdrive', '--account', ACCOUNT, '--wallet', wallet.walletId, '--out', out, '--db', join(box.dir, `${tag}-${i}.db`), '--cloud', cloud],
        cliEnv({ WALLET_BACKUP_PASSWORD: password }),
      );
      if (result.code === 0) {
        restored = true;
        break;
      }
      expect(result.code, result.stderr).toBe(3);
    }
    expect(restored, `${wallet.walletId} is listed but restores with none of the passwords`).toBe(true);
  }
  return wallets.length;
}

async function restoresTo(cloud: string, walletId: string, password: string, phrase: string, tag: string): Promise<void> {
  const out = join(box.dir, `restored-${tag}.txt`);
  const result = await runBinary(
    ['restore', '--provider', 'gdrive', '--account', ACCOUNT, '--wallet', walletId, '--out', out, '--db', join(box.dir, `fresh-${tag}.db`), '--cloud', cloud],
    cliEnv({ WALLET_BACKUP_PASSWORD: password }),
  );
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  expect(readFileSync(out, 'utf8').trim()).toBe(phrase);
}

describe('backups started at once by separate processes on one account (issue 11)', () => {
  it('two new password epochs started at once: each exit 0 restores with its password; everything listed restores', async () => {
    const cloud = join(box.dir, 'epochs');
    const bound = await backupAt(cloud, join(box.dir, 'epochs-binder.db'), PHRASES[0]!, 'first password');
    expect(bound.code, bound.stderr).toBe(0);
    const [a, b] = await Promise.all([
      backupAt(cloud, join(box.dir, 'epochs-a.db'), PHRASES[1]!, 'password of device a', ['--new-password']),
      backupAt(cloud, join(box.dir, 'epochs-b.db'), PHRASES[2]!, 'password of device b', ['--new-password']),
    ]);
    for (const [i, [result, password, phrase]] of ([[a, 'password of device a', PHRASES[1]], [b, 'password of device b', PHRASES[2]]] as const).entries()) {
      if (result.code === 0) await restoresTo(cloud, walletIdOf(result), password, phrase!, `epochs-${i}`);
      else expect(result.code, result.stderr).toBe(3);
    }
    expect(await everyListedRestores(cloud, ['first password', 'password of device a', 'password of device b'], 'epochs-all')).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('backups killed with SIGKILL at random moments beside ones that finish: every exit 0 restores, everything listed restores', async () => {
    const cloud = join(box.dir, 'kills');
    const bound = await backupAt(cloud, join(box.dir, 'kills-binder.db'), PHRASES[0]!, 'the shared password');
    expect(bound.code, bound.stderr).toBe(0);
    for (let round = 0; round < 3; round++) {
      const killed = spawn(process.execPath, [BIN, ...backupArgs(cloud, join(box.dir, `kills-${round}-k.db`), PHRASES[1 + (round % 3)]!)], {
        env: cliEnv({ WALLET_BACKUP_PASSWORD: 'the shared password' }),
        stdio: 'ignore',
      });
      const ended = new Promise((done) => killed.on('exit', done));
      const survivor = backupAt(cloud, join(box.dir, `kills-${round}-s.db`), PHRASES[(round + 2) % 4]!, 'the shared password');
      setTimeout(() => killed.kill('SIGKILL'), 300 + 250 * round);
      const [result] = await Promise.all([survivor, ended]);
      expect(result.code, result.stderr).toBe(0);
      await restoresTo(cloud, walletIdOf(result), 'the shared password', PHRASES[(round + 2) % 4]!, `kills-${round}`);
    }
    expect(await everyListedRestores(cloud, ['the shared password'], 'kills-all')).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('binding race, different passwords: each exit 0 restores with its password; the loser exits 3 (wrong password), never done', async () => {
    for (let trial = 0; trial < 4; trial++) {
      const cloud = join(box.dir, `race-${trial}`);
      const [a, b] = await Promise.all([
        backupAt(cloud, join(box.dir, `race-${trial}-a.db`), PHRASES[0]!, 'password of device a'),
        backupAt(cloud, join(box.dir, `race-${trial}-b.db`), PHRASES[1]!, 'password of device b'),
      ]);
      const results = [
        { result: a, phrase: PHRASES[0]!, password: 'password of device a' },
        { result: b, phrase: PHRASES[1]!, password: 'password of device b' },
      ];
      const done = results.filter((r) => r.result.code === 0);
      expect(done.length, `${a.stderr}\n${b.stderr}`).toBeGreaterThanOrEqual(1);
      for (const [i, r] of results.entries()) {
        if (r.result.code === 0) await restoresTo(cloud, walletIdOf(r.result), r.password, r.phrase, `race-${trial}-${i}`);
        else {
          // Lost the race: its own keyring was refused by create-if-absent (then the message names
          // the other device), or it started after the winner's keyring was there (an ordinary
          // later backup). Either way its password is not the account's: exit 3, nothing done.
          expect(r.result.code, r.result.stderr).toBe(3);
          expect(r.result.stderr).toMatch(/The backup password is wrong/);
        }
      }
    }
  }, 180_000);

  it('binding race, the same password: both exit 0 and both wallets restore', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const cloud = join(box.dir, `same-${trial}`);
      const results = await Promise.all(PHRASES.slice(0, 2).map((phrase, i) => backupAt(cloud, join(box.dir, `same-${trial}-${i}.db`), phrase, 'the shared password')));
      for (const [i, result] of results.entries()) {
        expect(result.code, result.stderr).toBe(0);
        await restoresTo(cloud, walletIdOf(result), 'the shared password', PHRASES[i]!, `same-${trial}-${i}`);
      }
    }
  }, 180_000);

  it('four backups at once into a bound account: all exit 0, all four are listed, each restores', async () => {
    const cloud = join(box.dir, 'four');
    const first = await backupAt(cloud, join(box.dir, 'four-binder.db'), PHRASES[0]!, 'the shared password');
    expect(first.code, first.stderr).toBe(0);
    const results = await Promise.all(PHRASES.map((phrase, i) => backupAt(cloud, join(box.dir, `four-${i}.db`), phrase, 'the shared password')));
    const ids = results.map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return walletIdOf(r);
    });
    const listed = await runBinary(['list', '--provider', 'gdrive', '--account', ACCOUNT, '--json', '--db', join(box.dir, 'four-lister.db'), '--cloud', cloud], cliEnv());
    expect(listed.code, listed.stderr).toBe(0);
    const wallets = (JSON.parse(listed.stdout) as { wallets: Array<{ walletId: string; source: string }> }).wallets;
    for (const id of ids) expect(wallets.find((w) => w.walletId === id)?.source).toBe('entry');
    for (const [i, id] of ids.entries()) await restoresTo(cloud, id, 'the shared password', PHRASES[i]!, `four-${i}`);
  }, 180_000);
});
