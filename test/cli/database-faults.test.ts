/**
 * Issue 11: an event log that cannot be written (read-only media, a full disk) is exit 11 with
 * the cause and the fix, never exit 1; read-only commands still read a log on read-only media;
 * and a backup that reached the cloud before its log row failed is reported as in the cloud.
 * The media are real: small tmpfs mounts (these tests run as root, as CI does; root ignores file
 * modes, so a read-only mount is the honest way to make a file unwritable for it).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logUnwritable } from '../../src/cli/open-engine.ts';
import { cliEnv, runBinary, walletIdOf } from './cli-sandbox.ts';

const ACCOUNT = 'alice@example.com';
const PASSWORD = 'correct horse 7';
const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const work = mkdtempSync(join(tmpdir(), 'wbe-dbfaults-'));
const mounts: string[] = [];

function mountTmpfs(name: string, size: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of mounts.reverse()) execFileSync('umount', [dir]);
  rmSync(work, { recursive: true, force: true });
});

const cli = (args: string[], db: string, cloud: string) =>
  runBinary([...args, '--db', db, ...(args[0] === 'history' || args[0] === 'export' ? [] : ['--cloud', cloud])], cliEnv({ WALLET_BACKUP_PASSWORD: PASSWORD }));

function phraseFile(): string {
  const path = join(work, `phrase-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(path, `${PHRASE}\n`);
  return path;
}

describe('an event log that cannot be written', () => {
  it('on read-only media: audit, history, export and list read it (exit 0); a backup is exit 11 naming the log, and changes nothing', async () => {
    const media = mountTmpfs('ro', '4m');
    const cloud = join(work, 'cloud-ro');
    const db = join(media, 'log.db');
    const first = await cli(['backup', '--provider', 'gdrive', '--account', ACCOUNT, '--mnemonic-file', phraseFile()], db, cloud);
    expect(first.code, first.stderr).toBe(0);
    execFileSync('mount', ['-o', 'remount,ro', media]);

    for (const args of [['audit'], ['history'], ['export', '--format', 'jsonl'], ['list', '--provider', 'gdrive', '--account', ACCOUNT]]) {
      const result = await cli(args, db, cloud);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const audit = await cli(['audit', '--json'], db, cloud);
    expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true, audit: { ok: true } });

    const second = await cli(['backup', '--provider', 'gdrive', '--account', ACCOUNT, '--mnemonic-file', phraseFile()], db, cloud);
    expect(second.code, second.stderr).toBe(11);
    expect(second.stderr).toContain(`The event log ${db} cannot be written`);
    expect(second.stderr).toContain('Nothing was marked as backed up');
    // The first backup is untouched: it restores on another device.
    const restored = await runBinary(
      ['restore', '--provider', 'gdrive', '--account', ACCOUNT, '--wallet', walletIdOf(first), '--out', join(work, 'restored.txt'), '--db', join(work, 'other.db'), '--cloud', cloud],
      cliEnv({ WALLET_BACKUP_PASSWORD: PASSWORD }),
    );
    expect(restored.code, restored.stderr).toBe(0);
  }, 60_000);

  it('on a full disk: a backup is exit 11 with SQLite\'s reason, never exit 1', async () => {
    const media = mountTmpfs('full', '1m');
    const cloud = join(work, 'cloud-full');
    const db = join(media, 'log.db');
    const first = await cli(['backup', '--provider', 'gdrive', '--account', ACCOUNT, '--mnemonic-file', phraseFile()], db, cloud);
    expect(first.code, first.stderr).toBe(0);
    // dd stops with "No space left on device" once the disk is full: that is the point.
    execFileSync('sh', ['-c', `dd if=/dev/zero of=${join(media, 'filler')} bs=4096 2>/dev/null || test -s ${join(media, 'filler')}`]);
    const second = await cli(['backup', '--provider', 'gdrive', '--account', ACCOUNT, '--mnemonic-file', phraseFile(), '--name', 'Second'], db, cloud);
    expect(second.code, second.stderr).toBe(11);
    expect(second.stderr).toMatch(/cannot be written \(SQLITE_(FULL|IOERR)/);
  }, 60_000);

  it('a backup already in the cloud when its last row failed is reported as in the cloud and restorable', () => {
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const wrapped = new Error('append failed', { cause: full });
    expect(logUnwritable(wrapped, '/x/log.db', true)?.message).toContain('The backup itself IS in the cloud, read back and restorable');
    expect(logUnwritable(wrapped, '/x/log.db', true)?.exitCode).toBe(11);
    expect(logUnwritable(new Error('another problem'), '/x/log.db', true)).toBeNull();
  });
});
