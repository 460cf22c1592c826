/**
 * The EventStore contract, run against both stores (SQLite in a temp file, and memory).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { verifyChain } from '../../src/log/row-hash.ts';
import { GENESIS_HASH, type EventStore } from '../../src/ports/event-store.ts';
import { appendAll, collect, record } from './log-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'wbe-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;

const factories: [string, () => EventStore][] = [
  ['sqlite', () => openSqliteEventStore({ path: join(dir, `contract-${fileCounter++}.db`), pageSize: 3 })],
  ['memory', () => openMemoryEventStore()],
];

describe.each(factories)('EventStore contract: %s', (_name, open) => {
  async function withStore(fn: (store: EventStore) => Promise<void>): Promise<void> {
    const store = open();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  }

  it('E4: appends across interleaved flows form one valid chain in seq order', () =>
    withStore(async (store) => {
      const rows = await appendAll(store, [
        record('a', 0), record('b', 0), record('a', 1), record('c', 0), record('b', 1), record('a', 2), record('c', 1),
      ]);
      expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
      rows.slice(1).forEach((row, i) => expect(row.prevHash).toBe(rows[i]!.hash));
      expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((x, y) => x - y));
      const all = await collect(store.readAll());
      expect(all).toEqual(rows);
      expect(await verifyChain(store.readAll())).toEqual({ ok: true, rows: 7 });
    }));

  it('E4: readFlow returns one flow in position order', () =>
    withStore(async (store) => {
      await appendAll(store, [record('a', 0), record('b', 0), record('a', 1), record('a', 2)]);
      const flow = await store.readFlow('a');
      expect(flow.map((r) => [r.flowId, r.position])).toEqual([['a', 0], ['a', 1], ['a', 2]]);
      expect(await store.readFlow('nope')).toEqual([]);
    }));

  it('E4: a duplicate position is refused with the expected position, and nothing is written', () =>
    withStore(async (store) => {
      await appendAll(store, [record('a', 0), record('a', 1)]);
      expect(await store.append(record('a', 1))).toEqual({ ok: false, reason: 'position-conflict', expectedPosition: 2 });
      expect(await store.append(record('a', 0))).toEqual({ ok: false, reason: 'position-conflict', expectedPosition: 2 });
      expect((await collect(store.readAll())).length).toBe(2);
    }));

  it('E4: a position gap is refused with the expected position; a new flow must start at 0', () =>
    withStore(async (store) => {
      await appendAll(store, [record('a', 0)]);
      expect(await store.append(record('a', 3))).toEqual({ ok: false, reason: 'position-conflict', expectedPosition: 1 });
      expect(await store.append(record('new', 1))).toEqual({ ok: false, reason: 'position-conflict', expectedPosition: 0 });
      expect(await store.flows()).toHaveLength(1);
      const ok = await store.append(record('a', 1));
      expect(ok.ok).toBe(true);
    }));

  it('E4: concurrent appends of the same position: exactly one wins', () =>
    withStore(async (store) => {
      await appendAll(store, [record('a', 0)]);
      const results = await Promise.all([store.append(record('a', 1)), store.append(record('a', 1, { eventType: 'OTHER' }))]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: 'position-conflict', expectedPosition: 2 });
    }));

  it('rejects a malformed record with a TypeError and writes nothing', () =>
    withStore(async (store) => {
      await expect(store.append(record('a', 0, { payload: 'x\uDC00' }))).rejects.toThrow(/payload/);
      await expect(store.append(record('a', 0), { epoch: -1 })).rejects.toThrow(/epoch/);
      expect(await collect(store.readAll())).toEqual([]);
    }));

  it('keeps flow summaries: state, positions, times; tags merge (undefined keeps the old value)', () =>
    withStore(async (store) => {
      const t0 = record('a', 0, { at: '2025-01-01T00:00:00.000Z' });
      await store.append(t0, { provider: 'icloud', account: 'alice@example.com' });
      await store.append(record('a', 1, { at: '2025-01-01T00:01:00.000Z' }), { walletId: 'w1', epoch: 0 });
      await store.append(record('a', 2, { at: '2025-01-01T00:02:00.000Z', machineVersion: 2 }), { account: 'bob@example.com' });
      expect(await store.flows()).toEqual([
        {
          flowId: 'a', machineId: 'backup', machineVersion: 2, state: '"s2"', lastPosition: 2,
          startedAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:02:00.000Z',
          provider: 'icloud', account: 'bob@example.com', walletId: 'w1', epoch: 0,
        },
      ]);
    }));

  it('filters flows by machine, provider, account, wallet and state, in creation order', () =>
    withStore(async (store) => {
      await store.append(record('f1', 0), { provider: 'icloud', account: 'alice', walletId: 'w1' });
      await store.append(record('f2', 0, { machineId: 'restore' }), { provider: 'gdrive', account: 'alice' });
      await store.append(record('f3', 0), { provider: 'icloud', account: 'bob', walletId: 'w2' });
      await store.append(record('f1', 1));
      const ids = async (filter: Parameters<EventStore['flows']>[0]) => (await store.flows(filter)).map((f) => f.flowId);
      expect(await ids(undefined)).toEqual(['f1', 'f2', 'f3']);
      expect(await ids({})).toEqual(['f1', 'f2', 'f3']);
      expect(await ids({ machineId: 'backup' })).toEqual(['f1', 'f3']);
      expect(await ids({ provider: 'icloud' })).toEqual(['f1', 'f3']);
      expect(await ids({ account: 'alice' })).toEqual(['f1', 'f2']);
      expect(await ids({ provider: 'icloud', account: 'alice' })).toEqual(['f1']);
      expect(await ids({ walletId: 'w2' })).toEqual(['f3']);
      expect(await ids({ state: '"s1"' })).toEqual(['f1']);
      expect(await ids({ state: '"s0"', machineId: 'restore' })).toEqual(['f2']);
      expect(await ids({ account: 'carol' })).toEqual([]);
      const f2 = (await store.flows({ machineId: 'restore' }))[0]!;
      expect(f2).not.toHaveProperty('walletId');
      expect(f2).not.toHaveProperty('epoch');
    }));

  it('readAll streams: it can be read while appending, and sees rows appended meanwhile', () =>
    withStore(async (store) => {
      await appendAll(store, [record('a', 0), record('a', 1), record('a', 2), record('a', 3), record('a', 4)]);
      let next = 5;
      const seen: number[] = [];
      for await (const row of store.readAll()) {
        seen.push(row.position);
        if (next < 8) {
          const result = await store.append(record('a', next++));
          expect(result.ok).toBe(true);
        }
      }
      expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(await verifyChain(store.readAll())).toEqual({ ok: true, rows: 8 });
    }));

  it('returns copies: editing a returned row does not edit the log', () =>
    withStore(async (store) => {
      const [row] = await appendAll(store, [record('a', 0)]);
      row!.payload = 'changed';
      (await store.readFlow('a'))[0]!.payload = 'changed';
      expect((await store.readFlow('a'))[0]!.payload).toBe(record('a', 0).payload);
    }));
});
