/**
 * The commands that only read the event log never create it: without a log at --db, `history`,
 * `audit` and `export` say there is no log yet (exit 4, `no-log`), and `list`, which needs the
 * cloud and only reads this device's history, lists the cloud with an empty history. In every
 * case no database file, no -wal or -shm file and no folder appears. (`inspect` serves without
 * a log: test/cli/inspect-json.test.ts.)
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, expectExit, PHRASES, runBinary, sandbox, walletIdOf, type CliResult, type Sandbox } from './cli-sandbox.ts';

const PASSWORD = 'read only pw';
const account = ['--provider', 'icloud', '--account', 'olga'];

describe('read-only commands never create the event log', () => {
  let box: Sandbox;
  /** A log path in a folder that does not exist either. */
  let missing: string;
  beforeAll(() => {
    box = sandbox();
    missing = join(box.dir, 'not-yet', 'device.db');
  });
  afterAll(() => box.cleanup());

  function expectNothingCreated(): void {
    for (const path of [missing, `${missing}-wal`, `${missing}-shm`, join(box.dir, 'not-yet')]) expect(existsSync(path), path).toBe(false);
  }

  function expectNoLog(result: CliResult, verb: string): void {
    expectExit(result, 4);
    expect(result.stderr).toContain(`No event log yet: ${missing} does not exist, so there is nothing to ${verb} (it was not created).`);
    expectNothingCreated();
  }

  it('history, audit and export without a log: "no event log yet", exit 4, nothing created', async () => {
    const env = cliEnv({ WALLET_BACKUP_PASSWORD: PASSWORD });
    expectNoLog(await runBinary(['history', '--db', missing], env), 'show');
    expectNoLog(await runBinary(['history', '--db', missing, '--flow', 'abc'], env), 'show');
    expectNoLog(await runBinary(['audit', '--db', missing], env), 'audit');
    expectNoLog(await runBinary(['audit', '--db', missing, '--cloud', box.cloud], env), 'audit');
    expectNoLog(await runBinary(['export', '--format', 'jsonl', '--db', missing], env), 'export');
    const out = join(box.dir, 'export.jsonl');
    expectNoLog(await runBinary(['export', '--format', 'jsonl', '--db', missing, '--out', out], env), 'export');
    expect(existsSync(out)).toBe(false);

    for (const command of [['history'], ['audit'], ['export', '--format', 'jsonl', '--out', out]]) {
      const json = await runBinary([...command, '--db', missing, '--json'], env);
      expectExit(json, 4);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: 4, command: command[0], problem: 'no-log' });
      expectNothingCreated();
    }
  });

  it('list without a log: the cloud is listed with an empty device history (no offline copy confirmed), exit 0, nothing created', async () => {
    // Another device (another log) backs a wallet up and confirms its offline copy.
    const backup = await box.run(['backup', ...account, '--mnemonic-file', box.file('phrase.txt', PHRASES.zoo), '--offline-copy-confirmed'], { password: PASSWORD });
    expectExit(backup, 0);
    const walletId = walletIdOf(backup);

    const list = await runBinary(['list', ...account, '--db', missing, '--cloud', box.cloud, '--json'], cliEnv());
    expectExit(list, 0);
    const json = JSON.parse(list.stdout) as { wallets: Array<{ walletId: string; offlineCopyConfirmed: boolean }>; otherAccounts: string[] };
    expect(json.wallets).toEqual([expect.objectContaining({ walletId, offlineCopyConfirmed: false })]);
    expect(json.otherAccounts).toEqual([]);
    expectNothingCreated();
    // In a folder that exists, where SQLite would create it.
    const sibling = join(box.dir, 'sibling.db');
    const text = await runBinary(['list', ...account, '--db', sibling, '--cloud', box.cloud], cliEnv());
    expectExit(text, 0);
    expect(text.stdout).toContain(walletId);
    for (const path of [sibling, `${sibling}-wal`, `${sibling}-shm`]) expect(existsSync(path), path).toBe(false);

    // With the log that made it, list reads it (offline copy confirmed) and leaves it as it was.
    const before = { bytes: readFileSync(box.db), mtime: statSync(box.db).mtimeMs };
    const withLog = await box.run(['list', ...account, '--json']);
    expectExit(withLog, 0);
    expect((JSON.parse(withLog.stdout) as { wallets: Array<{ offlineCopyConfirmed: boolean }> }).wallets[0]!.offlineCopyConfirmed).toBe(true);
    expect(readFileSync(box.db).equals(before.bytes)).toBe(true);
    expect(statSync(box.db).mtimeMs).toBe(before.mtime);
  });
});
