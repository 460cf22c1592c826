/**
 * `npm start` must keep telling the guide's whole story, in order, and end with a log that
 * verifies and replays. Runs the real script (production scrypt cost) in a temp folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectInOrder } from '../expect-in-order.ts';

describe('npm start', () => {
  // '--http': the same story over the Google Drive and Drive Kit adapters against their emulators on 127.0.0.1.
  it.each([[''], ['--http']])('R4 R5 R8 R10 R11 R12 R13 R14 R15: narrates the guide in order and ends with an intact, replayable log %s', (mode) => {
    const dir = mkdtempSync(join(tmpdir(), 'wbe-story-'));
    const out = execFileSync('npx', ['tsx', 'src/story/main.ts', ...(mode ? [mode] : [])], {
      encoding: 'utf8',
      env: { ...process.env, WALLET_BACKUP_STORY_DIR: dir },
      timeout: 120_000,
    });
    const chapters = [
      'First backup',
      'second wallet',
      'wrong password',
      'Storage full',
      'HMS Core missing',
      'forgets her backup password',
      'recalls the old password',
      'reinstalls',
      'wrong account',
      'Switching provider',
      'Summary of the event log',
    ];
    expectInOrder(out, chapters);
    expect(out).toContain('--KEYRING.NONE--> choosingPassword');
    expect(out).toContain('--UPLOAD.QUOTA_EXCEEDED');
    expect(out).toContain('--PROVIDER.HMS_MISSING--> hmsUnavailable');
    expect(out).toContain('--KEYRING.CREATED {epoch: 2}-->');
    expect(out).toContain('Hash chain: intact');
    expect(out).toContain('Replay: every flow reaches the same states');
    expect(out).not.toContain('Blue-harbour 2024');
    expect(out).not.toContain('legal winner thank');
    if (mode === '--http') expect(out).toMatch(/Google Drive at http:\/\/127\.0\.0\.1:\d+ .*HUAWEI Drive Kit at http:\/\/127\.0\.0\.1:\d+/);
  });
});
