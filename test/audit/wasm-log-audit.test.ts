/**
 * Issue 15, audit across platforms: a log written by the SQLite-in-WebAssembly driver (as a
 * browser wallet writes it; here in memory, since Node has no OPFS), exported as a database file
 * the way it is copied off a device (the driver's exportBytes: sqlite3_js_db_export, or the
 * opfs-sahpool VFS's exportFile in a browser), is audited by the real `wallet-backup audit`:
 * clean as written, with the same findings as its JSONL export, and a byte edited in one row is
 * reported with exit 8 naming that row.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteWasmEventStore } from '../../adapters/store/sqlite-wasm-event-store.ts';
import type { StoredRow } from '../../src/ports/event-store.ts';
import { cliEnv, expectExit, runBinary } from '../cli/cli-sandbox.ts';
import { bindFirstBackup, engineOn, MNEMONIC_24, PASSWORD } from '../engine/engine-helpers.ts';

let dir: string;
let logFile: string;
let rows: StoredRow[];

type AuditJson = { exitCode: number; audit: { ok: boolean; rows: number; flows: number; findings: Array<{ kind: string; seq: number | null; severity: string }>; chain: { ok: boolean; firstBreak: { seq: number } | null } } };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wbe-wasm-audit-'));
  const sqlite3 = await sqlite3InitModule({ print: () => {}, printErr: () => {} });
  const store = await openSqliteWasmEventStore({ sqlite3 });
  const { engine } = engineOn({ store });
  expect((await bindFirstBackup(engine)).result().outcome).toBe('done');
  const second = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, walletName: 'Savings' });
  await second.enterPassword(PASSWORD);
  const restore = await engine.restore({ provider: 'gdrive', walletId: second.result().walletId! });
  await restore.enterPassword(PASSWORD);
  expect(restore.result().outcome).toBe('done');
  rows = [];
  for await (const row of store.readAll()) rows.push(row);
  logFile = join(dir, 'browser-log.db');
  writeFileSync(logFile, await store.driver.exportBytes!());
  await store.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const audit = async (args: string[]) => runBinary(['audit', ...args, '--json'], cliEnv());

describe('a log written by the sqlite-wasm driver, copied off the device', () => {
  it('E4 E5: audits clean with wallet-backup audit, every row and flow of it', async () => {
    const result = await audit(['--db', logFile]);
    expectExit(result, 0);
    const report = (JSON.parse(result.stdout) as AuditJson).audit;
    expect(report).toMatchObject({ ok: true, rows: rows.length, flows: 3 });
    expect(report.chain.ok).toBe(true);
  });

  it('E4: its JSONL export (wallet-backup export) audits with the same findings', async () => {
    const jsonl = join(dir, 'browser-log.jsonl');
    expectExit(await runBinary(['export', '--format', 'jsonl', '--db', logFile, '--out', jsonl], cliEnv()), 0);
    const fromFile = (JSON.parse((await audit(['--db', logFile])).stdout) as AuditJson).audit;
    const fromJsonl = (JSON.parse((await audit(['--from-jsonl', jsonl])).stdout) as AuditJson).audit;
    expect(fromJsonl.findings).toEqual(fromFile.findings);
    expect(fromJsonl.rows).toBe(fromFile.rows);
  });

  it('E4: a byte edited in one row of the file is reported (exit 8), naming that row', async () => {
    // The row with the longest payload no other row has; one letter of it changed wherever the
    // file holds that text (SQLite leaves stale copies in free pages after splitting a page: only
    // one copy is the row).
    const bytes = readFileSync(logFile);
    const target = [...rows]
      .filter((row) => rows.filter((other) => other.payload === row.payload).length === 1)
      .sort((a, b) => b.payload.length - a.payload.length)[0]!;
    expect(target.payload.length).toBeGreaterThan(40);
    const needle = Buffer.from(target.payload);
    let copies = 0;
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
      const middle = at + Math.floor(needle.length / 2);
      bytes[middle] = bytes[middle] === 0x41 ? 0x42 : 0x41;
      copies += 1;
    }
    expect(copies).toBeGreaterThan(0);
    const edited = join(dir, 'edited.db');
    writeFileSync(edited, bytes);
    const result = await audit(['--db', edited]);
    expectExit(result, 8);
    const report = (JSON.parse(result.stdout) as AuditJson).audit;
    expect(report.ok).toBe(false);
    expect(report.chain.firstBreak?.seq).toBe(target.seq);
  });
});
