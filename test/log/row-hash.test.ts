import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { hashRow, verifyChain } from '../../src/log/row-hash.ts';
import { GENESIS_HASH, type StoredRow } from '../../src/ports/event-store.ts';
import { appendAll, collect, historyArb, record, recordsOf, tamperArb, tamperRows } from './log-fixtures.ts';

function chain(records = [record('a', 0), record('b', 0), record('a', 1), record('b', 1), record('a', 2)]): StoredRow[] {
  let prevHash = GENESIS_HASH;
  return records.map((r, i) => {
    const hash = hashRow(prevHash, r);
    const row = { ...r, seq: i + 1, prevHash, hash };
    prevHash = hash;
    return row;
  });
}

describe('hashRow: integrity format v1 (E4)', () => {
  it('is the SHA-256 of the canonical JSON array of the ten fields, in order', () => {
    const r = record('flow-1', 0, { payload: '{"provider":"icloud"}' });
    const canonical = JSON.stringify([
      GENESIS_HASH, 'flow-1', 0, 'backup', 1, null, 'xstate.init', '{"provider":"icloud"}', '"s0"', r.at,
    ]);
    expect(hashRow(GENESIS_HASH, r)).toBe(bytesToHex(sha256(new TextEncoder().encode(canonical))));
  });

  it('is pinned by a golden vector (changing it needs a schema migration)', () => {
    const r = {
      flowId: 'f', position: 1, machineId: 'm', machineVersion: 2, fromState: '"a"', eventType: 'GO',
      payload: '{"x":"é✓"}', toState: '{"b":"c"}', at: '2025-01-01T00:00:00.000Z',
    };
    expect(hashRow(GENESIS_HASH, r)).toBe('6a091f27a7216809fc75a2e2c9a19a4e16497b2f7a43efadd49144afde00997d');
  });

  it('changes when any field or the previous hash changes', () => {
    const base = record('f', 1);
    const h = hashRow(GENESIS_HASH, base);
    const variants = [
      { ...base, flowId: 'g' }, { ...base, position: 2 }, { ...base, machineId: 'restore' },
      { ...base, machineVersion: 2 }, { ...base, fromState: null }, { ...base, eventType: 'X' },
      { ...base, payload: '{}' }, { ...base, toState: '"z"' }, { ...base, at: '2025-01-02T00:00:00.000Z' },
    ];
    for (const v of variants) expect(hashRow(GENESIS_HASH, v)).not.toBe(h);
    expect(hashRow('1'.repeat(64), base)).not.toBe(h);
  });

  it('cannot be confused by moving text between fields (JSON framing)', () => {
    const a = record('f', 1, { eventType: 'A","B', payload: 'C' });
    const b = record('f', 1, { eventType: 'A', payload: 'B","C' });
    expect(hashRow(GENESIS_HASH, a)).not.toBe(hashRow(GENESIS_HASH, b));
  });

  it('refuses malformed records with a TypeError naming the field', () => {
    expect(() => hashRow('xyz', record('f', 0))).toThrow(/prevHash/);
    expect(() => hashRow(GENESIS_HASH, record('f', -1))).toThrow(/position/);
    expect(() => hashRow(GENESIS_HASH, record('f', 1.5))).toThrow(/position/);
    expect(() => hashRow(GENESIS_HASH, record('f', 0, { machineVersion: Number.NaN }))).toThrow(/machineVersion/);
    expect(() => hashRow(GENESIS_HASH, record('f', 0, { payload: 'a\uD800b' }))).toThrow(/payload must be a well-formed/);
    expect(() => hashRow(GENESIS_HASH, record('', 0))).toThrow(/flowId/);
    expect(() => hashRow(GENESIS_HASH, record('f', 0, { fromState: undefined as unknown as null }))).toThrow(/fromState/);
    // A well-formed surrogate pair is fine.
    expect(hashRow(GENESIS_HASH, record('f', 0, { payload: '"😀"' }))).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('verifyChain (E4)', () => {
  it('accepts a valid chain over interleaved flows, from an iterable or an async iterable', async () => {
    const rows = chain();
    expect(await verifyChain(rows)).toEqual({ ok: true, rows: 5 });
    async function* stream() {
      yield* rows;
    }
    expect(await verifyChain(stream())).toEqual({ ok: true, rows: 5 });
    expect(await verifyChain([])).toEqual({ ok: true, rows: 0 });
  });

  it('reports a first row not chained to GENESIS_HASH', async () => {
    const rows = chain().slice(1);
    const result = await verifyChain(rows);
    expect(result).toMatchObject({ ok: false, problem: 'prev-hash-mismatch', seq: 2, expected: GENESIS_HASH });
  });

  it('reports a rehashed row with a position gap or duplicate (a forger who recomputes hashes)', async () => {
    const gap = chain([record('a', 0), record('a', 2)]);
    expect(await verifyChain(gap)).toMatchObject({
      ok: false, problem: 'position-gap', seq: 2, flowId: 'a', position: 2, expected: 1, actual: 2,
    });
    const duplicate = chain([record('a', 0), record('a', 1), record('a', 1)]);
    expect(await verifyChain(duplicate)).toMatchObject({
      ok: false, problem: 'position-duplicate', seq: 3, expected: 2, actual: 1,
    });
    const lateStart = chain([record('a', 0), record('b', 3)]);
    expect(await verifyChain(lateStart)).toMatchObject({ ok: false, problem: 'position-gap', flowId: 'b', expected: 0 });
  });

  it('reports a row whose hash does not recompute, with both hashes', async () => {
    const rows = chain();
    rows[2] = { ...rows[2]!, payload: '{"n":99}' };
    const result = await verifyChain(rows);
    expect(result).toMatchObject({ ok: false, problem: 'hash-mismatch', seq: 3, actual: rows[2]!.hash });
    if (!result.ok && result.problem === 'hash-mismatch') expect(result.expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports a row of the wrong shape as a hash mismatch instead of throwing', async () => {
    const rows = chain();
    rows[1] = { ...rows[1]!, position: 10n as unknown as number };
    expect(await verifyChain(rows)).toMatchObject({ ok: false, problem: 'hash-mismatch', seq: 2 });
  });

  it('E4 limit: cutting rows off the end leaves a valid chain (keep the head hash elsewhere to see it)', async () => {
    expect(await verifyChain(chain().slice(0, 3))).toEqual({ ok: true, rows: 3 });
  });

  it('E4: random interleaved histories verify; any flipped column, deleted, swapped or inserted row is found where it happened', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb.chain((steps) => fc.tuple(fc.constant(steps), tamperArb(steps.length))),
        async ([steps, tamper]) => {
          const store = openMemoryEventStore();
          await appendAll(store, recordsOf(steps));
          const rows = await collect(store.readAll());
          expect(await verifyChain(rows)).toEqual({ ok: true, rows: steps.length });
          const tampered = tamperRows(rows, tamper);
          const result = await verifyChain(tampered.rows);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(tampered.breakAt).toContain(result.seq);
        },
      ),
      { numRuns: 300 },
    );
  });
});
