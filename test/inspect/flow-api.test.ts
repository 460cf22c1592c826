/**
 * The inspector's JSON view of the log (src/inspect/flow-api.ts, chain-status.ts): flows filtered
 * by account, wallet, machine and outcome; a flow's rows with their place on the diagram, their
 * redacted payloads and their hash-chain status, which names an edited row and a broken link.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { rowStatuses } from '../../src/inspect/chain-status.ts';
import { flowDetail, listFlows } from '../../src/inspect/flow-api.ts';
import { makeSampleLog, SAMPLE_ACCOUNT, type SampleLog } from '../../src/inspect/sample-log.ts';
import type { StoredRow } from '../../src/ports/event-store.ts';

let sample: SampleLog;
let store: SqliteEventStore;

beforeAll(async () => {
  sample = await makeSampleLog(mkdtempSync(join(tmpdir(), 'wbe-flow-api-')));
  store = openSqliteEventStore({ path: sample.dbPath });
});
afterAll(() => store.close());

const ids = async (query: Parameters<typeof listFlows>[1]) => (await listFlows(store, query)).flows.map((f) => f.flowId);

describe('listFlows', () => {
  it('lists every flow, newest first, with the values each filter can take', async () => {
    const { flows, facets } = await listFlows(store, {});
    expect(flows.map((f) => f.flowId)).toEqual([sample.cancelledFlowId, sample.storageFullFlowId, sample.firstBackupFlowId]);
    expect(flows.map((f) => f.outcome)).toEqual(['cancelled', 'done', 'done']);
    expect(facets.accounts).toEqual([SAMPLE_ACCOUNT]);
    expect(facets.machines).toEqual(['backup']);
    expect(facets.outcomes).toEqual(['cancelled', 'done']);
    expect(facets.wallets).toHaveLength(2);
  });

  it('filters by outcome, machine, account and wallet', async () => {
    expect(await ids({ outcome: 'cancelled' })).toEqual([sample.cancelledFlowId]);
    expect(await ids({ outcome: 'done' })).toEqual([sample.storageFullFlowId, sample.firstBackupFlowId]);
    expect(await ids({ outcome: 'failed' })).toEqual([]);
    expect(await ids({ machine: 'restore' })).toEqual([]);
    expect(await ids({ machine: 'backup', account: SAMPLE_ACCOUNT })).toHaveLength(3);
    expect(await ids({ account: 'bob@example.com' })).toEqual([]);
    const wallet = (await flowDetail(store, sample.storageFullFlowId))!.flow.walletId!;
    expect(await ids({ wallet })).toEqual([sample.storageFullFlowId]);
  });
});

describe('flowDetail', () => {
  it("places each row of the storage-full flow on the diagram, with payload, time and chain status", async () => {
    const detail = (await flowDetail(store, sample.storageFullFlowId))!;
    expect(detail.known).toBe(true);
    expect(detail.chain).toMatchObject({ ok: true, brokenAt: null });
    expect(detail.rows.every((row) => row.chain === 'ok')).toBe(true);
    expect(detail.rows.map((row) => row.event)).toEqual([
      'xstate.init',
      'MNEMONIC.VALID',
      'PROVIDER.READY',
      'KEYRING.FOUND',
      'PASSWORD.ENTERED',
      'KEYRING.UNLOCKED',
      'WALLET.ENCRYPTED',
      'UPLOAD.QUOTA_EXCEEDED',
      'SPACE.FREED',
      'UPLOAD.DONE',
      'VERIFY.OK',
      'MANIFEST.PUBLISHED',
    ]);
    const full = detail.rows[7]!;
    expect(full.payload).toEqual({ neededBytes: expect.any(Number) });
    expect(full.leafIds).toEqual(['backup.uploading.storageFull']);
    expect(full.activeIds).toEqual(['backup.uploading', 'backup.uploading.storageFull']);
    expect(full.edgeIds).toEqual(['edge:backup.uploading.running->backup.uploading.storageFull']);
    expect(detail.rows[8]!.edgeIds).toEqual(['edge:backup.uploading.storageFull->backup.uploading.running']);
    expect(detail.rows[0]!.payload).toMatchObject({ provider: 'huawei', walletName: 'Family', deviceId: 'sample-phone' });
    expect(detail.rows[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(detail.rows.at(-1)!.leafIds).toEqual(['backup.done']);
  });

  it('answers null for an unknown flow', async () => {
    expect(await flowDetail(store, 'no-such-flow')).toBeNull();
  });

  it('passes payloads through the redaction allowlist again, and flags edited and unlinked rows', async () => {
    const memory = openMemoryEventStore();
    const base = { machineId: 'backup', machineVersion: 1, at: '2026-01-01T00:00:00.000Z' };
    await memory.append({ ...base, flowId: 'f', position: 0, fromState: null, eventType: 'xstate.init', payload: '{"provider":"icloud"}', toState: '"checkingMnemonic"' });
    // A log not written by this engine: a payload field outside the allowlist must not show.
    await memory.append({ ...base, flowId: 'f', position: 1, fromState: '"checkingMnemonic"', eventType: 'MNEMONIC.VALID', payload: '{"words":12,"password":"hunter22!"}', toState: '{"checkingProvider":"running"}' });
    await memory.append({ ...base, flowId: 'f', position: 2, fromState: '{"checkingProvider":"running"}', eventType: 'CANCEL', payload: '{}', toState: '"cancelled"' });
    const detail = (await flowDetail(memory, 'f'))!;
    expect(detail.rows[1]!.payload).toEqual({ words: 12 });
    expect(JSON.stringify(detail)).not.toContain('hunter22');
    expect(detail.flow.outcome).toBe('cancelled');

    const rows: StoredRow[] = [];
    for await (const row of memory.readAll()) rows.push(row);
    expect([...rowStatuses(rows).values()]).toEqual(['ok', 'ok', 'ok']);
    const edited = rows.map((row, i) => (i === 1 ? { ...row, payload: '{"words":24}' } : row));
    expect([...rowStatuses(edited).values()]).toEqual(['ok', 'hash-mismatch', 'ok']);
    const removed = [rows[0]!, rows[2]!];
    expect([...rowStatuses(removed).values()]).toEqual(['ok', 'link-broken']);
  });
});
