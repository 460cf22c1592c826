/**
 * The terminal branches a child process without a TTY cannot reach, run in-process through the
 * command functions with a scripted Terminal: new password asked twice and asked again after a
 * short or mismatched one (R3), wrong password asked again showing the guide's hints (R10) up to
 * 3 times, storage full waiting for Enter (R12), Ctrl-C cancelling the flow.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupCommand, type BackupOptions } from '../../src/cli/cmd-backup.ts';
import { CliError } from '../../src/cli/cli-error.ts';
import type { CommandIo } from '../../src/cli/command-io.ts';
import type { Terminal } from '../../src/cli/terminal.ts';
import { readSimState, writeSimState } from '../../src/node.ts';
import { PHRASES } from './cli-sandbox.ts';

interface Script {
  secrets: string[];
  onEnter?: () => Promise<void>;
}

function scriptedIo(script: Script): CommandIo & { said: string[]; asked: string[] } {
  const said: string[] = [];
  const asked: string[] = [];
  const terminal: Terminal = {
    interactive: true,
    async askSecret(message) {
      asked.push(message);
      const answer = script.secrets.shift();
      if (answer === undefined) throw new CliError('cancelled'); // what Ctrl-C becomes
      return answer;
    },
    async pressEnter(message) {
      asked.push(message);
      await script.onEnter?.();
    },
    async confirm() {
      return false;
    },
  };
  return { terminal, env: { WALLET_BACKUP_SCRYPT_LOG_N: '10' }, say: (text) => said.push(text), said, asked };
}

describe('wallet-backup at a terminal', () => {
  let dir: string;
  let options: (phrase: string) => BackupOptions;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wallet-backup-tty-'));
    options = (phrase) => {
      const file = join(dir, `${phrase.split(' ')[0]}.txt`);
      writeFileSync(file, phrase);
      return { db: join(dir, 'device.db'), cloud: join(dir, 'cloud'), provider: 'gdrive', account: 'erin', mnemonicFile: file, newPassword: false, offlineCopyConfirmed: true };
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('R3: a new password is typed twice, and asked again after a short or mismatched one', async () => {
    const io = scriptedIo({ secrets: ['short', 'short', 'good pass 1', 'good pass 2', 'good pass 1', 'good pass 1'] });
    const report = await backupCommand(options(PHRASES.abandon), io);
    expect(report.json).toMatchObject({ outcome: 'done', epoch: 1, binding: true });
    expect(io.asked.filter((m) => m.startsWith('Choose the backup password'))).toHaveLength(3);
    expect(io.said.join('\n')).toContain('too short');
    expect(io.said.join('\n')).toContain('not the same');
  });

  it('R10: a wrong password is asked again with the hints, then the right one backs up', async () => {
    const io = scriptedIo({ secrets: ['good pass 1 ', 'GOOD PASS 1', 'good pass 1'] });
    const report = await backupCommand(options(PHRASES.legal), io);
    expect(report.json).toMatchObject({ outcome: 'done', epoch: 1 });
    const said = io.said.join('\n');
    expect(said).toContain('Check for spaces before or after');
    expect(said).toContain('Check Caps Lock');
    expect(said).not.toContain('good pass');
  });

  it('R10: after 3 re-prompts the command ends with exit 3', async () => {
    const io = scriptedIo({ secrets: ['nope nope 1', 'nope nope 2', 'nope nope 3', 'nope nope 4', 'good pass 1'] });
    const error = await backupCommand(options(PHRASES.letter), io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(3);
    expect((error as CliError).facts.outcome).toBe('cancelled');
  });

  it('R12: storage full waits for Enter, retries, and succeeds once space was freed', async () => {
    const { cloud } = options(PHRASES.zoo);
    await writeSimState(cloud, 'gdrive', { quotaBytes: 1500 });
    const io = scriptedIo({ secrets: ['good pass 1'], onEnter: async () => void (await writeSimState(cloud, 'gdrive', { quotaBytes: 1_000_000 })) });
    const report = await backupCommand(options(PHRASES.zoo), io);
    expect(report.json).toMatchObject({ outcome: 'done' });
    expect(io.asked.some((m) => /storage is full: free \d+ bytes, then press Enter to retry/.test(m))).toBe(true);
    expect((await readSimState(cloud, 'gdrive')).quotaBytes).toBe(1_000_000);
  });

  it('Ctrl-C at the password prompt cancels the flow (exit 130)', async () => {
    const io = scriptedIo({ secrets: [] });
    const error = await backupCommand(options(PHRASES.zoo), io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).problem).toBe('cancelled');
    expect((error as CliError).exitCode).toBe(130);
  });
});
