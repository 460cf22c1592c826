/**
 * Issue 15 in a real browser: Chromium (Debian's, via playwright-core) loads a page whose worker
 * runs the engine with the event log in SQLite compiled to WebAssembly, persisted in the Origin
 * Private File System (opfs-sahpool VFS; test/browser/opfs-log-worker.ts, bundled by esbuild as an
 * app's bundler would). The worker backs up a wallet; the page is reloaded (the worker and its
 * SQLite are gone); a new worker opens the log from OPFS and finds the flow, done, and audits the
 * log in place in the browser (the streaming audit of ./machines over the store's rows). The log
 * is then copied off as a database file, and `wallet-backup audit` and the inspector's replay
 * read it, with the same rows.
 *
 * Everything is served from 127.0.0.1 by a static server of this test (the page, the bundle and
 * sqlite3.wasm); nothing is downloaded. Without a usable Chromium the test is skipped with the
 * reason and what to install (requireOrSkip); under CI=true it fails instead.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startInspectServer } from '../../src/inspect/server.ts';
import { cliEnv, expectExit, runBinary } from '../cli/cli-sandbox.ts';
import { launchChromiumOrRequirement } from '../support/chromium.ts';
import { requireOrSkip, type Requirement } from '../support/requirements.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const WASM = join(dirname(createRequire(import.meta.url).resolve('@sqlite.org/sqlite-wasm/package.json')), 'sqlite-wasm/jswasm/sqlite3.wasm');

const PAGE = `<!doctype html><meta charset="utf-8"><title>wallet</title>
<script>
  // One command to a fresh worker, its one answer back (the worker closes the log after each).
  window.ask = (command) => new Promise((resolve, reject) => {
    const worker = new Worker('/worker.js', { type: 'module' });
    worker.onmessage = (message) => { worker.terminate(); message.data.ok ? resolve(message.data.result) : reject(new Error(message.data.error)); };
    worker.onerror = (event) => { worker.terminate(); reject(new Error(event.message || 'worker error')); };
    worker.postMessage(command);
  });
</script>`;

let dir: string;
let server: Server;
let origin: string;
let browser: Browser | undefined;
let page: Page;
let requirement: Requirement;
const requests: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wbe-opfs-'));
  const bundled = await build({
    entryPoints: [join(ROOT, 'test/browser/opfs-log-worker.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const files: Record<string, { type: string; body: Buffer }> = {
    '/': { type: 'text/html', body: Buffer.from(PAGE) },
    '/worker.js': { type: 'text/javascript', body: Buffer.from(bundled.outputFiles[0]!.contents) },
    '/sqlite3.wasm': { type: 'application/wasm', body: readFileSync(WASM) },
  };
  server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://x').pathname];
    if (file === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const launched = await launchChromiumOrRequirement();
  requirement = launched.requirement;
  browser = launched.browser;
  if (browser === undefined) return;
  page = await browser.newPage();
  page.on('request', (request) => requests.push(request.url()));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
  rmSync(dir, { recursive: true, force: true });
});

const ask = <T>(command: string) => page.evaluate((c) => (window as unknown as { ask(c: string): Promise<unknown> }).ask(c), command) as Promise<T>;

describe('the event log in OPFS, in Chromium', () => {
  beforeEach((ctx) => requireOrSkip(ctx, requirement));

  it('E4 E5: a flow the worker logged is found in the OPFS log after the page reloads and audits clean in place; the copied-off file audits clean and replays in the inspector', async () => {
    await page.goto(origin);
    const backup = await ask<{ flowId: string; outcome: string; durability: string }>('backup');
    expect(backup.outcome).toBe('done');
    expect(backup.durability).toMatch(/^OPFS \(opfs-sahpool VFS\)/);

    await page.reload();
    const flows = await ask<Array<{ flowId: string; machineId: string; state: string }>>('flows');
    expect(flows).toEqual([expect.objectContaining({ flowId: backup.flowId, machineId: 'backup', state: JSON.stringify('done') })]);

    const inPlace = await ask<{ ok: boolean; rows: number; flows: number; chain: boolean; errors: number }>('audit');
    expect(inPlace).toMatchObject({ ok: true, flows: 1, chain: true, errors: 0 });
    expect(inPlace.rows).toBeGreaterThan(5);

    const bytes = await ask<number[]>('export');
    const logFile = join(dir, 'from-the-browser.db');
    writeFileSync(logFile, Uint8Array.from(bytes));
    const audit = await runBinary(['audit', '--db', logFile, '--json'], cliEnv());
    expectExit(audit, 0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ audit: { ok: true, flows: 1, rows: inPlace.rows } });

    const inspector = await startInspectServer({ dbPath: logFile });
    try {
      const detail = (await (await fetch(`${inspector.url}api/flows/${backup.flowId}`)).json()) as { rows: Array<{ position: number }> };
      expect(detail.rows.length).toBeGreaterThan(5);
      expect(detail.rows.map((row) => row.position)).toEqual(detail.rows.map((_, i) => i));
    } finally {
      await inspector.close();
    }
    expect(requests.filter((url) => !url.startsWith(origin))).toEqual([]);
  }, 120_000);
});
