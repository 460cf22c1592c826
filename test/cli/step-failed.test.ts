/**
 * Issue 11, lost causes through the real binary: a step that fails in a way none expects (here a
 * cloud folder replaced by a symlink, which the local-folder cloud refuses to follow) ends the
 * backup with exit 12, the step and the cause in the message and in --json, never exit 1 or a
 * "cannot take CANCEL now" that hides the cause.
 */
import { renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sandbox } from './cli-sandbox.ts';

const ACCOUNT = 'alice@example.com';
const PASSWORD = 'correct horse 7';
const box = sandbox();
afterAll(() => box.cleanup());

describe('a step that fails unexpectedly', () => {
  it('exit 12, naming the step and the cause, in the message and in --json', async () => {
    const phrase = (name: string, text: string) => box.file(name, `${text}\n`);
    const first = await box.run(['backup', '--provider', 'gdrive', '--account', ACCOUNT, '--mnemonic-file', phrase('a.txt', 'legal winner thank year wave sausage worth useful legal winner thank yellow')], { password: PASSWORD });
    expect(first.code, first.stderr).toBe(0);
    const wallets = join(box.cloud, 'gdrive', 'accounts', encodeURIComponent(ACCOUNT), 'wallet-backup', 'wallets');
    renameSync(wallets, join(box.dir, 'elsewhere'));
    symlinkSync(join(box.dir, 'elsewhere'), wallets);

    const second = await box.run(
      ['backup', '--provider', 'gdrive', '--account', ACCOUNT, '--json', '--mnemonic-file', phrase('b.txt', 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about')],
      { password: PASSWORD },
    );
    expect(second.code, second.stderr).toBe(12);
    expect(second.stderr).toMatch(/its step "upload" failed with CloudError \(not-a-file\): .*symbolic link/);
    const report = JSON.parse(second.stdout) as { problem: string; outcome: string; cause: { effect: string; code: string } };
    expect(report).toMatchObject({ problem: 'step-failed', outcome: 'failed', cause: { effect: 'upload', code: 'not-a-file' } });
    const history = await box.run(['history']);
    expect(history.stdout).toContain('EFFECT.FAILED');
  }, 60_000);
});
