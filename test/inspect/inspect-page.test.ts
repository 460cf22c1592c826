/**
 * The inspector page in a real browser: Debian's Chromium (/usr/bin/chromium), else the one inside
 * the npm package @sparticuz/chromium (src/inspect/chromium.ts), driven by playwright-core. With
 * neither usable, each test is skipped with the reason and what to install (requireOrSkip); under
 * CI=true it fails instead. Replay: filters, picking the "storage full, then retry" flow, stepping it with the
 * buttons, keyboard and slider while checking the highlighted state, the taken edge and the event
 * list (payload, time, chain mark) at every step. Live: an engine connected with
 * @statelyai/inspect's createWebSocketInspector runs a backup, and the page follows it as it
 * happens. Every request the page makes stays on 127.0.0.1. Screenshots are kept in the test's
 * temp folder (its path is printed).
 */
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWebSocketInspector } from '@statelyai/inspect';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalFolderClouds, writeSimState } from '../../adapters/cloud/local-folder.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { createBackupEngine } from '../../src/engine/index.ts';
import type { FlowDetail } from '../../src/inspect/flow-api.ts';
import { makeSampleLog, SAMPLE_ACCOUNT, type SampleLog } from '../../src/inspect/sample-log.ts';
import { startInspectServer, type InspectServer } from '../../src/inspect/server.ts';
import { launchChromiumOrRequirement } from '../support/chromium.ts';
import { requireOrSkip, type Requirement } from '../support/requirements.ts';

const STORAGE_FULL = 'backup.uploading.storageFull';
/** Generous: CI runs the test files in parallel on two cores. */
const poll = <T>(read: () => Promise<T>, message?: string) => expect.poll(read, { timeout: 20_000, interval: 50, ...(message ? { message } : {}) });

let dir: string;
let sample: SampleLog;
let server: InspectServer;
let browser: Browser;
let chromiumRequirement: Requirement;
let page: Page;
const requests: string[] = [];
const pageErrors: string[] = [];

const currentStates = () => page.$$eval('#replay-diagram g.node.state.current', (nodes) => nodes.map((n) => n.id));
const listedFlows = () => page.$$eval('#flow-list li[data-flow-id]', (items) => items.map((i) => (i as HTMLElement).dataset.flowId));
const currentRow = () => page.$eval('#event-list li.current', (li) => ({ position: (li as HTMLElement).dataset.position, text: li.textContent ?? '', chain: li.querySelector('.chain')?.className }));

function payloadText(payload: Record<string, unknown>): string {
  return Object.entries(payload)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wbe-inspect-'));
  mkdirSync(join(dir, 'sample'));
  sample = await makeSampleLog(join(dir, 'sample'));
  server = await startInspectServer({ dbPath: sample.dbPath });
  const launched = await launchChromiumOrRequirement();
  chromiumRequirement = launched.requirement;
  if (launched.browser === undefined) return; // each test then skips (or fails under CI) with the reason
  browser = launched.browser;
  page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  page.on('request', (request) => requests.push(request.url()));
  page.on('websocket', (socket) => requests.push(socket.url()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  console.log(`inspector screenshots: ${dir}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('inspector page in Chromium', () => {
  beforeEach((ctx) => requireOrSkip(ctx, chromiumRequirement));

  it('replays a recorded flow: filters, steps, highlighted state, event list, chain status', async () => {
    await page.goto(server.url);
    await poll(listedFlows).toHaveLength(3);

    // Filters: outcome, then wallet.
    await page.selectOption('#filters select[name="outcome"]', 'cancelled');
    await poll(listedFlows).toEqual([sample.cancelledFlowId]);
    await page.selectOption('#filters select[name="outcome"]', '');
    const detail = (await (await fetch(`${server.url}api/flows/${sample.storageFullFlowId}`)).json()) as FlowDetail;
    await page.selectOption('#filters select[name="wallet"]', detail.flow.walletId!);
    await poll(listedFlows).toEqual([sample.storageFullFlowId]);
    await page.selectOption('#filters select[name="account"]', SAMPLE_ACCOUNT);
    await poll(listedFlows).toEqual([sample.storageFullFlowId]);

    await page.click(`#flow-list li[data-flow-id="${sample.storageFullFlowId}"] button`);
    await poll(() => page.locator('#event-list li').count()).toBe(detail.rows.length);
    expect(await page.textContent('#chain-verdict')).toContain('log chain intact');

    // Step through every transition: Next button and → key in turn.
    for (const [index, row] of detail.rows.entries()) {
      if (index > 0) {
        if (index % 2 === 1) await page.click('#step-next');
        else await page.keyboard.press('ArrowRight');
      }
      await poll(() => page.textContent('#step-label'), `step ${index}`).toContain(`${index + 1} / ${detail.rows.length} ·`);
      expect(await currentStates()).toEqual(row.leafIds.map((id) => `state:${id}`));
      const shown = await currentRow();
      expect(shown.position).toBe(String(row.position));
      expect(shown.text).toContain(row.event);
      expect(shown.text).toContain(payloadText(row.payload));
      expect(shown.text).toContain(row.at.slice(11, 23));
      expect(shown.chain).toBe('chain ok');
    }
    expect(await currentStates()).toEqual(['state:backup.done']);

    // Back with ←, Home and the slider; the storage-full step marks its edge and cluster.
    await page.keyboard.press('ArrowLeft');
    await poll(currentStates).toEqual(detail.rows.at(-2)!.leafIds.map((id) => `state:${id}`));
    await page.keyboard.press('Home');
    await poll(currentStates).toEqual(['state:backup.checkingMnemonic']);
    const full = detail.rows.findIndex((row) => row.leafIds.includes(STORAGE_FULL));
    expect(detail.rows[full]!.event).toBe('UPLOAD.QUOTA_EXCEEDED');
    await page.locator('#step-slider').fill(String(full));
    await poll(currentStates).toEqual([`state:${STORAGE_FULL}`]);
    expect(await page.getAttribute('[id="edge:backup.uploading.running->backup.uploading.storageFull"]', 'class')).toContain('taken');
    expect(await page.getAttribute('[id="state:backup.uploading"]', 'class')).toContain('active');
    expect((await currentRow()).text).toMatch(/UPLOAD\.QUOTA_EXCEEDED.*neededBytes=\d+/);

    const shot = join(dir, 'replay-storage-full.png');
    await page.screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    expect(requests.filter((url) => !url.startsWith(server.url) && !url.startsWith(server.inspectorUrl) && !url.startsWith('data:'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('shows a live flow as it happens, sent by createWebSocketInspector', async () => {
    await page.click('.tabs button[data-view="live"]');
    await poll(() => page.textContent('#live-status')).toContain('connected');

    const liveDir = join(dir, 'live');
    mkdirSync(liveDir);
    const inspector = createWebSocketInspector({ url: server.inspectorUrl });
    const store = openSqliteEventStore({ path: join(liveDir, 'live.db') });
    const cloudDir = join(liveDir, 'cloud');
    const engine = createBackupEngine({
      eventLog: store,
      clouds: createLocalFolderClouds({ root: cloudDir, account: SAMPLE_ACCOUNT }),
      kdf: createNodeScrypt(),
      scryptLogN: 10,
      inspect: inspector.inspect,
    });
    const liveStates = () => page.$$eval('#live-diagram g.node.state.current', (nodes) => nodes.map((n) => n.id));
    try {
      const first = await engine.backup({ provider: 'huawei', mnemonic: 'legal winner thank year wave sausage worth useful legal winner thank yellow' });
      await first.choosePassword('live password 1', 'live password 1');
      await poll(liveStates).toEqual(['state:backup.done']);

      await writeSimState(cloudDir, 'huawei', { quotaBytes: 1500 });
      const second = await engine.backup({ provider: 'huawei', mnemonic: 'cat swing flag economy stadium alone churn speed unique patch report train' });
      await second.enterPassword('live password 1');
      // The flow waits for the person: the page shows it there, now.
      await poll(liveStates).toEqual([`state:${STORAGE_FULL}`]);
      await poll(() => page.textContent('#live-events li.current')).toMatch(/UPLOAD\.QUOTA_EXCEEDED.*neededBytes=\d+/);
      expect(await page.locator('#actor-list li').count()).toBe(2);
      await page.screenshot({ path: join(dir, 'live-storage-full.png') });

      await writeSimState(cloudDir, 'huawei', { quotaBytes: 15 * 1024 * 1024 });
      await second.spaceFreed();
      await poll(liveStates).toEqual(['state:backup.done']);
      const events = await page.$$eval('#live-events li .event', (nodes) => nodes.map((n) => n.textContent));
      expect(events).toEqual(expect.arrayContaining(['xstate.init', 'UPLOAD.QUOTA_EXCEEDED', 'SPACE.FREED', 'MANIFEST.PUBLISHED']));
      expect(await page.textContent('#actor-list li:first-child .badge')).toBe('done');
      // No secret reaches the page: the password never, the phrase never.
      const text = await page.textContent('body');
      expect(text).not.toContain('live password 1');
      expect(text).not.toContain('cat swing flag');
      await page.screenshot({ path: join(dir, 'live-done.png') });
    } finally {
      inspector.stop();
      await store.close();
    }
    expect(requests.filter((url) => !url.startsWith(server.url) && !url.startsWith(server.inspectorUrl) && !url.startsWith('data:'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
