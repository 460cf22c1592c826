/**
 * `wallet-backup inspect` through the real binary: prints its 127.0.0.1 URL at once, serves the
 * page (with a Content-Security-Policy keeping it to itself), the machines and the log's flows,
 * refuses a foreign Host header, stops cleanly on Ctrl-C; a bad --port is exit code 2.
 */
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { makeSampleLog } from '../../src/inspect/sample-log.ts';
import { BIN, cliEnv, expectExit, runBinary } from '../cli/cli-sandbox.ts';

function startInspect(db: string) {
  const child = spawn(process.execPath, [BIN, 'inspect', '--db', db, '--port', '0'], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const found = /Inspector: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1];
      if (found) resolve(found);
    });
    child.on('close', (code) => reject(new Error(`inspect exited ${code}\n${stdout}\n${stderr}`)));
  });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return { child, url, exited, output: () => stdout };
}

/** fetch() does not let a caller set Host; node:http does. */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('wallet-backup inspect', () => {
  it('serves the page and the log on 127.0.0.1 until Ctrl-C', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbe-cli-inspect-'));
    mkdirSync(join(dir, 'log'));
    const sample = await makeSampleLog(join(dir, 'log'));
    const run = startInspect(sample.dbPath);
    onTestFinished(() => {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    });
    const url = await run.url;

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('/assets/app.js');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    expect((await fetch(`${url}assets/style.css`)).status).toBe(200);
    const machines = (await (await fetch(`${url}api/machines`)).json()) as { machines: Array<{ id: string; version: number }> };
    // Every released version, the ones old logs name and the version 3 new flows run.
    expect(machines.machines.map((m) => `${m.id}@${m.version}`)).toEqual([
      'backup@1',
      'restore@1',
      'providerSwitch@1',
      'offlineCopy@1',
      'backup@2',
      'restore@2',
      'providerSwitch@2',
      'backup@3',
      'restore@3',
      'providerSwitch@3',
    ]);
    for (const version of [1, 2, 3]) {
      const svg = await fetch(`${url}api/machines/backup/${version}.svg`);
      expect(svg.status).toBe(200);
      expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    }
    const flows = (await (await fetch(`${url}api/flows?outcome=cancelled`)).json()) as { flows: Array<{ flowId: string }> };
    expect(flows.flows.map((f) => f.flowId)).toEqual([sample.cancelledFlowId]);
    expect((await fetch(`${url}api/flows/nope`)).status).toBe(404);
    // DNS rebinding: a request naming another host is refused.
    expect(await statusWithHost(`${url}api/flows`, 'attacker.example')).toBe(421);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('Inspector stopped (SIGINT).');
  });

  it('refuses a port that is not a TCP port', async () => {
    const result = await runBinary(['inspect', '--port', '70000'], cliEnv());
    expectExit(result, 2);
    expect(result.stderr).toContain('--port 70000 is not a TCP port');
  });
});
