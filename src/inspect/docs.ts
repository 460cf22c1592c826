/**
 * `npm run docs`: regenerates the pictures docs/inspector.md shows.
 *
 *   docs/machines/<machine id>.svg   every released machine's statechart (the newest version of
 *                                    each id), the same SVGs the inspector serves
 *   docs/replay-storage-full.png     the inspector's replay view of the "storage full, then
 *                                    retry" flow, stopped where it waits in uploading.storageFull
 *
 * The screenshot's flow is made fresh by the engine on a local-folder cloud with a small quota
 * (sample-log.ts) in a temp folder, served by the inspect server and shot by Debian's Chromium.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium } from './chromium.ts';
import { machineDiagrams } from './render-svg.ts';
import { makeSampleLog } from './sample-log.ts';
import { startInspectServer } from './server.ts';
import type { FlowDetail } from './flow-api.ts';

const DOCS = resolve(import.meta.dirname, '../../docs');
export const STORAGE_FULL_STATE = 'backup.uploading.storageFull';

async function writeDiagrams(): Promise<string[]> {
  const dir = join(DOCS, 'machines');
  mkdirSync(dir, { recursive: true });
  const newest = new Map<string, { version: number; svg: string }>();
  for (const d of await machineDiagrams()) {
    if ((newest.get(d.id)?.version ?? -1) < d.version) newest.set(d.id, d);
  }
  return [...newest].map(([id, { svg }]) => {
    const path = join(dir, `${id}.svg`);
    writeFileSync(path, `${svg.trim()}\n`);
    return path;
  });
}

async function writeReplayScreenshot(): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'wallet-backup-docs-'));
  const sample = await makeSampleLog(work);
  const server = await startInspectServer({ dbPath: sample.dbPath });
  const browser = await launchChromium();
  try {
    const flowId = sample.storageFullFlowId;
    const detail = (await (await fetch(`${server.url}api/flows/${flowId}`)).json()) as FlowDetail;
    const step = detail.rows.findIndex((row) => row.leafIds.includes(STORAGE_FULL_STATE));
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`${server.url}?flow=${flowId}#view=replay&step=${step}`);
    await page.waitForSelector(`#replay-diagram g[id="state:${STORAGE_FULL_STATE}"].current`);
    await page.waitForTimeout(300);
    const path = join(DOCS, 'replay-storage-full.png');
    await page.screenshot({ path });
    return path;
  } finally {
    await browser.close();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

const written = [...(await writeDiagrams()), await writeReplayScreenshot()];
for (const path of written) console.log(`wrote ${path}`);
