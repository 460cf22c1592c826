/**
 * Terminal injection from the cloud (issue 11), through the real binary: another device (or
 * anyone who can write the account's cloud folder) backs up wallets whose names carry escape
 * sequences (clear screen, set the window title), a forged line ("\nBackup OK"), a C1 CSI and
 * bidi overrides and isolates; they land in the cloud manifest and records. This device then
 * lists them, restores one (so the names enter its append-only log), audits and shows the
 * history: no raw ESC, BEL, C1 or bidi character ever reaches stdout or stderr, no line is
 * forged, the escaped form is what a person sees, and --json still carries the exact names.
 * Flags and device.json get the same treatment: printed escaped, and refused where they would
 * be stored (sim --sign-in, --account, --name).
 */
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeBackupEngine } from '../../src/node.ts';
import { deviceFile } from '../../adapters/cloud/local-sim-state.ts';
import { cliEnv, expectExit, PHRASES, runBinary, sandbox, type CliResult, type Sandbox } from './cli-sandbox.ts';

const PASSWORD = 'hunter22 staple';
const ACCOUNT = 'alice@example.com';
const alice = ['--provider', 'gdrive', '--account', ACCOUNT];

/** Clears the screen, sets the window title, then forges a line of output. */
const TITLE_NAME = 'Savings\x1b[2J\x1b]0;pwned\x07\nBackup OK: all wallets verified';
const TITLE_SHOWN = 'Savings\\x1b[2J\\x1b]0;pwned\\x07\\nBackup OK: all wallets verified';
/** Reads "exe.txt" backwards on a bidi terminal, then a one-byte C1 CSI and an isolate. */
const BIDI_NAME = 'Travel \u202Etxt.exe\u202C \x9B31m\u2066x\u2069';
const BIDI_SHOWN = 'Travel \\u202etxt.exe\\u202c \\x9b31m\\u2066x\\u2069';

/** Code points a terminal obeys: ESC, BEL, C1 CSI, the bidi override, pop and isolates. */
const RAW = ['\x1b', '\x07', '\x9b', '\u202e', '\u202c', '\u2066', '\u2069'];

function expectNothingRaw(result: CliResult): void {
  const printed = `${result.stdout}\n${result.stderr}`;
  for (const char of RAW) expect(printed.includes(char), `raw U+${char.codePointAt(0)!.toString(16)} printed`).toBe(false);
  // A forged line starts with "Backup OK" (after table borders or spaces at most).
  expect(printed.split('\n').filter((line) => /^[\s│|┌└├─"]*Backup OK/.test(line))).toEqual([]);
}

describe('terminal injection through wallet names in the cloud (issue 11)', () => {
  let box: Sandbox;
  let titleId = '';
  let bidiId = '';

  beforeAll(async () => {
    box = sandbox();
    // The hostile writer: another device's engine on the same cloud folder, its own log.
    const other = createNodeBackupEngine({ db: join(box.dir, 'other-device.db'), cloud: box.cloud, account: ACCOUNT, scryptLogN: 10 });
    try {
      const first = await other.backup({ provider: 'gdrive', mnemonic: PHRASES.legal, walletName: TITLE_NAME, expectedAccount: ACCOUNT });
      await first.choosePassword(PASSWORD, PASSWORD);
      const second = await other.backup({ provider: 'gdrive', mnemonic: PHRASES.letter, walletName: BIDI_NAME, expectedAccount: ACCOUNT });
      await second.enterPassword(PASSWORD);
      titleId = first.result().walletId!;
      bidiId = second.result().walletId!;
    } finally {
      await other.close();
    }
    // The names sit in the wallets' listing entries in the cloud, exactly as the other device gave them.
    const listing = join(box.cloud, 'gdrive', 'accounts', encodeURIComponent(ACCOUNT), 'wallet-backup', 'listing', 'epoch-1');
    const names = [titleId, bidiId].map((id) => (JSON.parse(readFileSync(join(listing, `${id}.json`), 'utf8')) as { name: string }).name);
    expect(names).toEqual([TITLE_NAME, BIDI_NAME]);
  });
  afterAll(() => box.cleanup());

  it('list shows the names escaped: no escape, C1 or bidi character printed, no forged line', async () => {
    const result = await box.run(['list', ...alice]);
    expectExit(result, 0);
    expectNothingRaw(result);
    expect(result.stdout).toContain(TITLE_SHOWN);
    expect(result.stdout).toContain(BIDI_SHOWN);
  });

  it('list --json carries the exact names, with C1 and bidi characters as \\u escapes', async () => {
    const result = await box.run(['list', ...alice, '--json']);
    expectExit(result, 0);
    expectNothingRaw(result);
    expect(result.stdout).toContain('\\u202e');
    const listing = JSON.parse(result.stdout) as { wallets: Array<{ walletId: string; name: string }> };
    expect(new Map(listing.wallets.map((w) => [w.walletId, w.name]))).toEqual(
      new Map([
        [titleId, TITLE_NAME],
        [bidiId, BIDI_NAME],
      ]),
    );
  });

  it('restore prints the name escaped, and the restored phrase is the right one', async () => {
    const out = join(box.dir, 'restored.txt');
    const result = await box.run(['restore', ...alice, '--wallet', titleId, '--out', out], { password: PASSWORD });
    expectExit(result, 0);
    expectNothingRaw(result);
    expect(result.stdout).toContain(`Restored wallet "${TITLE_SHOWN}" (${titleId})`);
    expect(readFileSync(out, 'utf8')).toBe(`${PHRASES.legal}\n`);
  });

  it('E4: audit prints the names from a log escaped, in the flow lines and the wallet table', async () => {
    // Our restore logged ids only (restore v2 keeps names out of the log); the other device's
    // log holds the names its backups were given.
    const ours = await box.run(['audit']);
    expectExit(ours, 0);
    expectNothingRaw(ours);
    expect(ours.stdout).toContain(`restore ${titleId}: done`);
    const result = await runBinary(['audit', '--db', join(box.dir, 'other-device.db')], cliEnv());
    expectExit(result, 0);
    expectNothingRaw(result);
    expect(result.stdout).toContain(TITLE_SHOWN);
    const json = await runBinary(['audit', '--json', '--db', join(box.dir, 'other-device.db')], cliEnv());
    expectExit(json, 0);
    expectNothingRaw(json);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain(JSON.stringify(TITLE_NAME).slice(1, -1));
  });

  it('E4: history prints the names in a log escaped, and --json gives them back exactly', async () => {
    // The hostile device's own log: its backups' first rows carry the names it was given.
    const theirs = await runBinary(['history', '--db', join(box.dir, 'other-device.db')], cliEnv());
    expectExit(theirs, 0);
    expectNothingRaw(theirs);
    expect(theirs.stdout).toContain('walletName=Savings\\x1b[2J\\x1b]0;pwned\\x07\\nBackup');
    // (the table wraps the payload at spaces)
    expect(theirs.stdout).toContain('\\u202etxt.exe\\u202c \\x9b31m\\u2066x\\u2069');
    // This device's log: the restore's listing row holds both ids, and no name (restore v2).
    const ours = await box.run(['history']);
    expectExit(ours, 0);
    expectNothingRaw(ours);
    const json = await box.run(['history', '--json']);
    expectExit(json, 0);
    expectNothingRaw(json);
    const flows = (JSON.parse(json.stdout) as { flows: Array<{ transitions: Array<{ event: string; payload: { wallets?: Array<{ walletId: string; name?: string }> } }> }> }).flows;
    const found = flows.flatMap((f) => f.transitions).find((t) => t.event === 'BACKUPS.FOUND');
    expect(found?.payload.wallets?.map((w) => w.walletId).sort()).toEqual([titleId, bidiId].sort());
    expect(found?.payload.wallets?.some((w) => 'name' in w)).toBe(false);
  });

  it('E4: export to stdout writes the names\' C1 and bidi characters as JSON escapes, and the export still verifies', async () => {
    // The other device's log: its backups' first rows carry the names.
    const result = await runBinary(['export', '--format', 'jsonl', '--db', join(box.dir, 'other-device.db')], cliEnv());
    expectExit(result, 0);
    expectNothingRaw(result);
    expect(result.stdout).toContain('\\u202e');
    const file = join(box.dir, 'export.jsonl');
    writeFileSync(file, result.stdout);
    expectExit(await runBinary(['audit', '--from-jsonl', file], cliEnv()), 0);
  });

  it('a --db path holding an escape sequence is printed escaped by export, on stderr and stdout', async () => {
    const db = join(box.dir, 'log\x1b[2J\x1b]0;pwned\x07.db');
    copyFileSync(box.db, db);
    const toStdout = await runBinary(['export', '--format', 'jsonl', '--db', db], cliEnv());
    expectExit(toStdout, 0);
    expectNothingRaw(toStdout);
    expect(toStdout.stderr).toContain('log\\x1b[2J\\x1b]0;pwned\\x07.db as JSONL');
    const toFile = await runBinary(['export', '--format', 'jsonl', '--db', db, '--out', join(box.dir, 'out.jsonl')], cliEnv());
    expectExit(toFile, 0);
    expectNothingRaw(toFile);
    expect(toFile.stdout).toContain('log\\x1b[2J\\x1b]0;pwned\\x07.db to ');
  });

  it('an error quoting a hostile flag value shows it escaped (restore --wallet, a bad --provider)', async () => {
    const wallet = await box.run(['restore', ...alice, '--wallet', 'x\x1b[2J\nBackup OK', '--out', join(box.dir, 'never.txt')], { password: PASSWORD });
    expectExit(wallet, 4);
    expectNothingRaw(wallet);
    expect(wallet.stderr).toContain('No backup of wallet x\\x1b[2J\\nBackup OK in Google Drive');
    const provider = await box.run(['list', '--provider', 'gdrive\x1b]0;pwned\x07\nBackup OK', '--account', ACCOUNT]);
    expectExit(provider, 2);
    expectNothingRaw(provider);
    expect(provider.stderr).toContain('gdrive\\x1b]0;pwned\\x07\\nBackup OK');
  });

  it('R11: a signed-in account from a hand-edited device.json is shown escaped by sim and in the wrong-account error', async () => {
    const file = deviceFile(box.cloud, 'gdrive');
    const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
    try {
      writeFileSync(file, JSON.stringify({ signedIn: true, account: 'eve\u202E\x1b[2J\nBackup OK' }));
      const sim = await box.run(['sim', '--provider', 'gdrive']);
      expectExit(sim, 0);
      expectNothingRaw(sim);
      expect(sim.stdout).toContain('signed in:     eve\\u202e\\x1b[2J\\nBackup OK');
      const list = await box.run(['list', ...alice]);
      expectExit(list, 9);
      expectNothingRaw(list);
      expect(list.stderr).toContain('signed in as eve\\u202e\\x1b[2J\\nBackup OK, not alice@example.com');
    } finally {
      if (before === null) rmSync(file);
      else writeFileSync(file, before);
    }
  });
});

describe('flags that are stored or printed refuse what terminal-safe would escape (issue 11)', () => {
  let box: Sandbox;
  beforeAll(() => {
    box = sandbox();
  });
  afterAll(() => box.cleanup());

  it('E6: sim --sign-in refuses an account id with a line break or an escape sequence (exit 2), and stores nothing', async () => {
    for (const account of ['bob\nBackup OK', 'bob\x1b[2J', 'bob\u202E', 'bob\x85']) {
      const result = await box.run(['sim', '--provider', 'gdrive', '--sign-in', account]);
      expectExit(result, 2);
      expectNothingRaw(result);
      expect(result.stderr).toContain("option '--sign-in <account>' argument");
      expect(result.stderr).toContain('an account id must be 1 to 320 characters, without line breaks, control characters, bidi or other invisible format characters.');
    }
    const json = await box.run(['sim', '--provider', 'gdrive', '--json']);
    expect((JSON.parse(json.stdout) as { device: { account: string | null } }).device.account).toBeNull();
    expectExit(await box.run(['sim', '--provider', 'gdrive', '--sign-in', 'bob@example.com']), 0);
  });

  it('E6: --account refuses bidi and invisible format characters as it refuses controls (exit 2)', async () => {
    for (const account of ['alice\u202E@example.com', 'alice\u200B', 'alice\nBackup OK']) {
      const result = await box.run(['list', '--provider', 'gdrive', '--account', account]);
      expectExit(result, 2);
      expectNothingRaw(result);
      expect(result.stderr).toContain('an account id must be 1 to 320 characters');
    }
  });

  it('E6: backup --name refuses a bidi override (exit 2) before anything is read or uploaded', async () => {
    const result = await box.run(['backup', ...alice, '--name', 'Travel \u202Etxt.exe', '--mnemonic-file', box.file('p.txt', PHRASES.zoo)], { password: PASSWORD });
    expectExit(result, 2);
    expectNothingRaw(result);
    expect(result.stderr).toContain('a wallet name must be 1 to 100 printable characters.');
  });
});
