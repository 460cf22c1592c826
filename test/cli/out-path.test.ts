/**
 * Issue 11: --out refuses anything but a new file or (with --force) an existing regular file,
 * before the flow starts, with exit 2 and a message naming what is there; `export` says export.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runBinary, sandbox, walletIdOf } from './cli-sandbox.ts';

const ACCOUNT = 'alice@example.com';
const PASSWORD = 'correct horse 7';
const box = sandbox();
let walletId = '';
afterAll(() => box.cleanup());
beforeAll(async () => {
  const phrase = box.file('phrase.txt', 'legal winner thank year wave sausage worth useful legal winner thank yellow\n');
  const backup = await box.run(['backup', '--provider', 'gdrive', '--account', ACCOUNT, '--mnemonic-file', phrase], { password: PASSWORD });
  expect(backup.code, backup.stderr).toBe(0);
  walletId = walletIdOf(backup);
});

const restoreTo = (out: string, force: boolean) =>
  box.run(['restore', '--provider', 'gdrive', '--account', ACCOUNT, '--wallet', walletId, '--out', out, ...(force ? ['--force'] : [])], { password: PASSWORD });

describe('restore --out', () => {
  const folder = () => {
    const dir = join(box.dir, 'a-folder');
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const fifo = () => {
    const path = join(box.dir, 'a-fifo');
    execFileSync('mkfifo', [path]);
    return path;
  };
  const link = () => {
    const target = join(box.dir, 'link-target.txt');
    writeFileSync(target, 'keep me\n');
    const path = join(box.dir, 'a-link');
    symlinkSync(target, path);
    return path;
  };
  it.each([
    ['a folder', folder, 'a folder'],
    ['the current folder', () => '.', 'a folder'],
    ['/dev/null', () => '/dev/null', 'a device'],
    ['a FIFO', fifo, 'a pipe'],
    ['a symlink to a file', link, 'a symbolic link'],
  ])('%s is refused with exit 2, with and without --force, before the flow starts', async (_what, make, kind) => {
    const out = make();
    for (const force of [false, true]) {
      const result = await restoreTo(out, force);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`is ${kind}`);
      expect(result.stderr).not.toMatch(/Backup password/);
    }
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it("'' is refused as a flag problem", async () => {
    const result = await restoreTo('', false);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--out is empty');
  });

  it('an existing regular file: refused without --force, replaced with it', async () => {
    const out = box.file('existing.txt', 'old\n');
    expect((await restoreTo(out, false)).code).toBe(2);
    const forced = await restoreTo(out, true);
    expect(forced.code, forced.stderr).toBe(0);
  });
});

describe('export --out', () => {
  it('an existing file is refused naming export, not restore', async () => {
    const out = box.file('export.jsonl', 'old\n');
    const result = await runBinary(['export', '--format', 'jsonl', '--out', out, '--db', box.db], cliEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('export never overwrites a file');
  });
});
