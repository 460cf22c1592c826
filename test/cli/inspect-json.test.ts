/**
 * `wallet-backup inspect --json` prints one JSON line as soon as it listens: the URL it serves,
 * the apps' WebSocket URL, host and port, and the log it shows (whether it exists yet). Its
 * strings are escaped for the terminal; the line is its only output on stdout. Without a log it
 * serves anyway and never creates one.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { makeSampleLog } from '../../src/inspect/sample-log.ts';
import { BIN, cliEnv, expectExit, runBinary } from './cli-sandbox.ts';

interface Listening {
  ok: boolean;
  exitCode: number;
  command: string;
  status: string;
  url: string;
  inspectorUrl: string;
  host: string;
  port: number;
  log: { path: string; exists: boolean };
}

/** Starts `inspect --json` on a free port; resolves its first stdout line, as it arrives. */
function startInspectJson(db: string) {
  const child = spawn(process.execPath, [BIN, 'inspect', '--json', '--port', '0', '--db', db], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const end = stdout.indexOf('\n');
      if (end >= 0) resolve(stdout.slice(0, end));
    });
    child.on('close', (code) => reject(new Error(`inspect exited ${code} before printing a line\n${stdout}\n${stderr}`)));
  });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return { child, firstLine, exited, stdout: () => stdout };
}

describe('wallet-backup inspect --json', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wbe-inspect-json-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the URL it serves as one JSON line as soon as it listens; the URL answers; SIGTERM stops it (exit 0, nothing more on stdout)', async () => {
    mkdirSync(join(dir, 'log'));
    const sample = await makeSampleLog(join(dir, 'log'));
    const run = startInspectJson(sample.dbPath);
    const line = await run.firstLine;
    const listening = JSON.parse(line) as Listening;
    expect(listening).toMatchObject({ ok: true, exitCode: 0, command: 'inspect', status: 'listening', host: '127.0.0.1', log: { path: sample.dbPath, exists: true } });
    expect(listening.url).toBe(`http://127.0.0.1:${listening.port}/`);
    expect(listening.inspectorUrl).toBe(`ws://127.0.0.1:${listening.port}`);
    expect(listening.port).toBeGreaterThan(0);

    const page = await fetch(listening.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/assets/app.js');
    const flows = (await (await fetch(`${listening.url}api/flows?outcome=cancelled`)).json()) as { flows: Array<{ flowId: string }> };
    expect(flows.flows.map((f) => f.flowId)).toEqual([sample.cancelledFlowId]);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toBe(`${line}\n`);
  });

  it('without a log: serves anyway, says the log does not exist, escapes the path for the terminal, and creates nothing', async () => {
    const folder = join(dir, 'not-yet');
    const db = join(folder, 'log\u001b[2J\u202e.db');
    const run = startInspectJson(db);
    const line = await run.firstLine;
    // The escape and the bidi override are \u escapes on the line, never the raw characters.
    expect(line).not.toMatch(/[\u001b\u202e]/);
    expect(line).toContain('\\u001b[2J\\u202e.db');
    const listening = JSON.parse(line) as Listening;
    expect(listening.log).toEqual({ path: db, exists: false });
    const flows = (await (await fetch(`${listening.url}api/flows`)).json()) as { log: { exists: boolean }; flows: unknown[] };
    expect(flows).toMatchObject({ log: { exists: false }, flows: [] });
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    for (const path of [db, `${db}-wal`, `${db}-shm`, folder]) expect(existsSync(path), path).toBe(false);
  });

  it('a port it cannot use is exit 2 with the --json error object', async () => {
    const result = await runBinary(['inspect', '--json', '--port', '70000'], cliEnv());
    expectExit(result, 2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, exitCode: 2, command: 'inspect', problem: 'bad-flags' });
  });
});
