/**
 * `wallet-backup audit` and `export` through the real binary (issue 4, done-when): the log that
 * `npm start` leaves behind audits clean and tells the guide's whole story as history; after
 * `sqlite3` edits one row by hand (the sqlite3 shell, or where it is not installed the same SQL
 * through better-sqlite3), audit exits 8 and names the row. A person tampering with the
 * log must first drop the append-only triggers (events_no_update, events_no_delete): SQLite
 * refuses UPDATE and DELETE on `events` otherwise.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { cliEnv, expectExit, runBinary } from '../cli/cli-sandbox.ts';
import { expectInOrder } from '../expect-in-order.ts';

const OLD_PASSWORD = 'Blue-harbour 2024';
const NEW_PASSWORD = 'quiet lantern 88';

let dir: string;
let db: string;
let cloud: string;

/** A copy of the story's log, to edit. */
function copyOfLog(name: string): string {
  const path = join(dir, name);
  copyFileSync(db, path);
  for (const suffix of ['-wal', '-shm']) if (existsSync(`${db}${suffix}`)) copyFileSync(`${db}${suffix}`, `${path}${suffix}`);
  return path;
}

/** The sqlite3 shell when installed (CI installs it); else the same SQL through better-sqlite3. */
const SQLITE3_SHELL = spawnSync('sqlite3', ['-version']).status === 0;

function sqlite(path: string, sql: string): string {
  if (SQLITE3_SHELL) return execFileSync('sqlite3', [path, sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  // A fresh machine with only Node and npm has no sqlite3 shell: the SQLite inside better-sqlite3
  // runs the statements instead, printing rows as the shell does (columns joined by |).
  const connection = new Database(path);
  try {
    if (/^\s*SELECT\b/i.test(sql) && !sql.includes(';')) {
      return (connection.prepare(sql).raw().all() as unknown[][]).map((row) => row.join('|')).join('\n');
    }
    connection.exec(sql);
    return '';
  } finally {
    connection.close();
  }
}

function audit(args: string[], env: Record<string, string> = {}) {
  return runBinary(['audit', ...args], cliEnv(env));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wbe-audit-cli-'));
  execFileSync('npx', ['tsx', 'src/story/main.ts', '--quiet'], { env: { ...process.env, WALLET_BACKUP_STORY_DIR: dir }, timeout: 120_000 });
  db = join(dir, 'wallet-backup.db');
  cloud = join(dir, 'wallet-cloud');
}, 150_000);

describe('wallet-backup audit on the log npm start leaves behind', () => {
  it('E4 E5 R4 R5 R8 R10 R11 R12 R13 R15 R17: exits 0 and tells the guide\'s whole story as history', async () => {
    const result = await audit(['--db', db, '--cloud', cloud], { WALLET_BACKUP_PASSWORD: NEW_PASSWORD });
    expectExit(result, 0);
    const out = result.stdout;
    expect(out).toContain('Hash chain: intact over');
    expect(out).toContain('Replay: every flow reaches its recorded states through the machine version that recorded it (E5).');
    expect(out).toContain('Flows table: agrees with the rows.');
    expect(out).toMatch(/Checkpoint Huawei Cloud\/alice@example.com: seq \d+, written .*: ok, MAC verified\./);
    expect(out).toMatch(/Checkpoint Google Drive\/alice@example.com: seq \d+, written .*: ok, MAC verified\./);
    // Restore v2 logs the listed wallets' ids and epochs, not their names: the restore is told by
    // the wallet's id, and the wallet table names it (from its backup) with one restore.
    const everyday = /backup "Everyday" (w-[0-9a-f]{16}): done/.exec(out)?.[1];
    expect(everyday, out).toBeDefined();
    expect(out).toMatch(new RegExp(`│ ${everyday} │ Everyday +│ 1 +│ 1 +│ [^│]+│ 1 +│ NO +│`));
    // The chapters, in the order they happened (the reinstall's restore is in its own, new log).
    const story = [
      'Huawei Cloud, alice@example.com: password epochs 1, 2',
      'backup "Everyday"', 'Password set and bound to the account (first backup, R4). Problems: password too short',
      'backup "Savings"', 'Offline copy confirmed (R17)',
      'backup "Travel"', 'wrong password ×2 (hints: leading-or-trailing-space',
      'backup "Family"', 'Space freed, retried. Problems: storage full (',
      'backup "Gaming"', 'HMS Core missing; HMS Core outdated',
      'backup "New phone wallet"', 'password epoch 2. Password forgotten; New password epoch 2 (R8)',
      `restore ${everyday}: done, password epoch 1. Problems: wrong password`,
      'restore (no wallet chosen): cancelled. Problems: no backups (none in bob@example.com; this device backed up under alice@example.com)',
      'Google Drive, alice@example.com', 'backup "Travel"',
      'backup "Travel": refused: not the active provider (R15)',
      'switch Huawei Cloud → Google Drive (alice@example.com): done',
      'switch Google Drive → Google Drive: already the active provider',
      'Active provider at the end of the log: Google Drive.',
      'Relying on the cloud alone, with no confirmed offline copy (R17): 6 wallet(s)',
      'Result: the log verifies.',
    ];
    expectInOrder(out, story);
    expect(out).not.toContain(OLD_PASSWORD);
    expect(out).not.toContain(NEW_PASSWORD);
    expect(out).not.toContain('legal winner thank');
  });

  it('E4: --json gives the same findings and history as data', async () => {
    const result = await audit(['--db', db, '--json']);
    expectExit(result, 0);
    const json = JSON.parse(result.stdout) as { ok: boolean; command: string; audit: { ok: boolean; rows: number; findings: unknown[]; history: { accounts: unknown[]; cloudOnly: unknown[] }; chain: { ok: boolean } } };
    expect(json).toMatchObject({ ok: true, exitCode: 0, command: 'audit' });
    expect(json.audit.ok).toBe(true);
    expect(json.audit.chain.ok).toBe(true);
    expect(json.audit.history.cloudOnly).toHaveLength(6);
    expect(json.audit.history.accounts.length).toBeGreaterThanOrEqual(2);
    expect(result.stderr).toBe(''); // no progress bar without a terminal
  });

  it('E5: WALLET_BACKUP_AUDIT_MEMO=off replays every row through xstate and reports the same; another value is bad input (exit 2)', async () => {
    type Report = { audit: { replay: { memo: boolean; rows: number; remembered: number } } & Record<string, unknown> };
    const withMemo = JSON.parse((await audit(['--db', db, '--json'])).stdout) as Report;
    const off = await audit(['--db', db, '--json'], { WALLET_BACKUP_AUDIT_MEMO: 'off' });
    expectExit(off, 0);
    const without = JSON.parse(off.stdout) as Report;
    expect(without.audit.replay).toEqual({ memo: false, rows: withMemo.audit.replay.rows, remembered: 0 });
    expect(withMemo.audit.replay.memo).toBe(true);
    expect(withMemo.audit.replay.remembered).toBeGreaterThan(0);
    expect({ ...without.audit, replay: null }).toEqual({ ...withMemo.audit, replay: null });

    const bad = await audit(['--db', db], { WALLET_BACKUP_AUDIT_MEMO: 'maybe\u001b[2J' });
    expectExit(bad, 2);
    expect(bad.stderr).toContain('WALLET_BACKUP_AUDIT_MEMO=maybe');
    expect(bad.stderr).not.toContain('\u001b');
  });

  it('E4: after sqlite3 edits one row by hand (triggers dropped first), audit exits 8 and names the row', async () => {
    const path = copyOfLog('edited.db');
    const seq = sqlite(path, `SELECT seq FROM events WHERE payload LIKE '%"Travel"%' ORDER BY seq LIMIT 1`);
    const flowId = sqlite(path, `SELECT flow_id FROM events WHERE seq = ${seq}`);
    // The log is append-only: without dropping the trigger, SQLite refuses the edit.
    expect(() => sqlite(path, `UPDATE events SET payload = replace(payload, 'Travel', 'Trave1') WHERE seq = ${seq}`)).toThrow(/append-only/);
    sqlite(path, `DROP TRIGGER events_no_update; UPDATE events SET payload = replace(payload, 'Travel', 'Trave1') WHERE seq = ${seq}`);
    const result = await audit(['--db', path]);
    expectExit(result, 8);
    expect(result.stderr).toContain(`Row seq ${seq} (flow ${flowId}, position 0) was changed after it was written`);
    const json = JSON.parse((await audit(['--db', path, '--json'])).stdout) as { exitCode: number; problem: string; audit: { findings: Array<{ kind: string; seq: number }> } };
    expect(json).toMatchObject({ exitCode: 8, problem: 'log-broken' });
    expect(json.audit.findings[0]).toMatchObject({ kind: 'hash-mismatch', seq: Number(seq) });
  });

  it('E4: a deleted row (trigger dropped) is named by the row that no longer chains', async () => {
    const path = copyOfLog('deleted.db');
    sqlite(path, 'DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 30');
    const result = await audit(['--db', path]);
    expectExit(result, 8);
    expect(result.stderr).toMatch(/Row seq 31 \(flow [0-9a-f-]+, position \d+\) follows seq 29/);
  });

  it('E4 R17: an edit of the flows table (not hash-chained, but the device\'s history reads it) exits 8', async () => {
    const path = copyOfLog('flows.db');
    sqlite(path, `UPDATE flows SET wallet_id = 'w-0000000000000000' WHERE machine_id = 'offlineCopy'`);
    const result = await audit(['--db', path]);
    expectExit(result, 8);
    expect(result.stderr).toMatch(/The flows table says flow [0-9a-f-]+ has walletId w-0000000000000000, but its rows say w-/);
  });

  it('E5: a flow recorded by a machine version this build lacks is refused (exit 8), not a crash', async () => {
    const path = join(dir, 'future.db');
    const store = openSqliteEventStore({ path });
    const base = { flowId: 'f-future', machineId: 'backup', machineVersion: 99, at: '2030-01-01T00:00:00.000Z' };
    await store.append({ ...base, position: 0, fromState: null, eventType: 'xstate.init', payload: '{"provider":"icloud","walletName":"W"}', toState: '"checkingMnemonic"' });
    await store.append({ ...base, position: 1, fromState: '"checkingMnemonic"', eventType: 'TELEPORT', payload: '{}', toState: '"beamed"' });
    await store.close();
    const result = await audit(['--db', path, '--json']);
    expectExit(result, 8);
    const json = JSON.parse(result.stdout) as { audit: { chain: { ok: boolean }; findings: Array<{ kind: string; severity: string; message: string }> } };
    expect(json.audit.chain.ok).toBe(true);
    const errors = json.audit.findings.filter((f) => f.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ kind: 'unknown-version' })]);
    expect(errors[0]!.message).toContain('backup@99');
    expect(errors[0]!.message).toContain('known versions: 1, 2');
  });

  it('E6: a log that does not exist is refused (exit 4, no log yet) and not created', async () => {
    const path = join(dir, 'nothing-here.db');
    const result = await audit(['--db', path]);
    expectExit(result, 4);
    expect(result.stderr).toContain('No event log yet');
    expect(existsSync(path)).toBe(false);
  });
});

describe('wallet-backup export --format jsonl, and audit --from-jsonl', () => {
  it('E4: the export has one row per line with every column, and audits exactly like the log', async () => {
    const out = join(dir, 'log.jsonl');
    expectExit(await runBinary(['export', '--format', 'jsonl', '--db', db, '--out', out], cliEnv()), 0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const rows = Number(sqlite(db, 'SELECT COUNT(*) FROM events'));
    expect(lines).toHaveLength(rows);
    expect(Object.keys(JSON.parse(lines[0]!) as object)).toEqual([
      'seq', 'flow_id', 'position', 'machine_id', 'machine_version', 'from_state', 'event_type', 'payload', 'to_state', 'at', 'prev_hash', 'hash',
    ]);
    expectExit(await runBinary(['export', '--format', 'jsonl', '--db', db, '--out', out], cliEnv()), 2); // never overwritten

    const fromLog = JSON.parse((await audit(['--db', db, '--json'])).stdout) as { audit: { rows: number; chain: unknown; history: unknown } };
    const fromExport = JSON.parse((await audit(['--from-jsonl', out, '--json'])).stdout) as { audit: { rows: number; chain: unknown; history: unknown; source: { kind: string } } };
    expect(fromExport.audit.source.kind).toBe('jsonl');
    expect(fromExport.audit.rows).toBe(fromLog.audit.rows);
    expect(fromExport.audit.chain).toEqual(fromLog.audit.chain);
    expect(fromExport.audit.history).toEqual(fromLog.audit.history);

    // Stdout export: the same bytes.
    const piped = await runBinary(['export', '--format', 'jsonl', '--db', db], cliEnv());
    expectExit(piped, 0);
    expect(piped.stdout).toBe(readFileSync(out, 'utf8'));
  });

  it('E4 E6: an edited line, a line that is not a row, and a cut export are each reported (exit 8)', async () => {
    const out = join(dir, 'log.jsonl');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const edited = join(dir, 'edited.jsonl');
    writeFileSync(edited, [...lines.slice(0, 5), lines[5]!.replace('"at":"2', '"at":"3'), ...lines.slice(6)].join('\n'));
    let result = await audit(['--from-jsonl', edited]);
    expectExit(result, 8);
    expect(result.stderr).toMatch(/Row seq 6 \(flow [0-9a-f-]+, position \d+\) was changed after it was written/);

    const garbled = join(dir, 'garbled.jsonl');
    writeFileSync(garbled, [...lines.slice(0, 7), '{"seq": 8, "oops"', ...lines.slice(8)].join('\n'));
    result = await audit(['--from-jsonl', garbled]);
    expectExit(result, 8);
    expect(result.stderr).toContain('Line 8 is not a log row: not JSON');

    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, lines.slice(0, 40).join('\n'));
    result = await audit(['--from-jsonl', cut, '--cloud', cloud]);
    expectExit(result, 8);
    expect(result.stderr).toMatch(/The log ends at seq 40, but the checkpoint in huawei\/alice@example.com written .* names seq \d+: rows 41\.\.\d+ were cut off its end/);
  });
});
