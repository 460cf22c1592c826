/**
 * Shared fixtures for the event-log tests: record builders, fast-check arbitraries for random
 * interleaved histories and random tampering, and a tamper function on row arrays.
 */
import fc from 'fast-check';
import { hashRow } from '../../src/log/row-hash.ts';
import type { EventStore, StoredRow, TransitionRecord } from '../../src/ports/event-store.ts';

export function record(flowId: string, position: number, overrides: Partial<TransitionRecord> = {}): TransitionRecord {
  return {
    flowId,
    position,
    machineId: 'backup',
    machineVersion: 1,
    fromState: position === 0 ? null : JSON.stringify(`s${position - 1}`),
    eventType: position === 0 ? 'xstate.init' : `EVENT.${position}`,
    payload: JSON.stringify({ n: position }),
    toState: JSON.stringify(`s${position}`),
    at: new Date(Date.UTC(2025, 0, 1, 0, 0, position)).toISOString(),
    ...overrides,
  };
}

/** One step of a random history: which flow moves, and free text for its event and payload. */
export interface Step {
  flow: number;
  eventType: string;
  note: string;
}

const text = fc.string({ unit: 'grapheme', maxLength: 12 });

export const historyArb: fc.Arbitrary<Step[]> = fc.array(
  fc.record({ flow: fc.nat({ max: 3 }), eventType: text.filter((s) => s !== ''), note: text }),
  { minLength: 1, maxLength: 30 },
);

/** Turns steps into records with per-flow positions 0, 1, 2, ... in step order. */
export function recordsOf(steps: readonly Step[]): TransitionRecord[] {
  const next = new Map<number, number>();
  return steps.map((step) => {
    const position = next.get(step.flow) ?? 0;
    next.set(step.flow, position + 1);
    return record(`flow-${step.flow}`, position, {
      eventType: position === 0 ? 'xstate.init' : step.eventType,
      payload: JSON.stringify({ note: step.note }),
    });
  });
}

export async function appendAll(store: EventStore, records: readonly TransitionRecord[]): Promise<StoredRow[]> {
  const rows: StoredRow[] = [];
  for (const r of records) {
    const result = await store.append(r);
    if (!result.ok) throw new Error(`append refused at ${r.flowId}#${r.position}: expected ${result.expectedPosition}`);
    rows.push(result.row);
  }
  return rows;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export const HASHED_COLUMNS = [
  'flowId', 'position', 'machineId', 'machineVersion', 'fromState', 'eventType', 'payload', 'toState', 'at',
  'prevHash', 'hash',
] as const;
export type HashedColumn = (typeof HASHED_COLUMNS)[number];

export type Tamper =
  | { kind: 'flip'; row: number; column: HashedColumn; at: number }
  | { kind: 'delete'; row: number }
  | { kind: 'swap'; row: number; other: number }
  | { kind: 'insert'; row: number; source: number; forged: boolean };

/** A tampering applicable to a log of `n` rows, never one a chain cannot see (cutting the tail). */
export function tamperArb(n: number): fc.Arbitrary<Tamper> {
  const index = fc.nat({ max: n - 1 });
  const options: fc.Arbitrary<Tamper>[] = [
    fc.record({ kind: fc.constant('flip' as const), row: index, column: fc.constantFrom(...HASHED_COLUMNS), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), row: index, source: index, forged: fc.boolean() }),
  ];
  if (n >= 2) {
    options.push(fc.record({ kind: fc.constant('delete' as const), row: fc.nat({ max: n - 2 }) }));
    options.push(
      fc
        .tuple(index, index)
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => ({ kind: 'swap' as const, row: Math.min(a, b), other: Math.max(a, b) })),
    );
  }
  return fc.oneof(...options);
}

/** Changes one character (or the value) of a column, always to something different. */
export function flipValue(value: string | number | null, at: number): string | number | null {
  if (value === null) return '"tampered"';
  if (typeof value === 'number') return value + 1 + (at % 3);
  if (value === '') return 'x';
  const chars = [...value];
  const i = at % chars.length;
  const c = chars[i]!;
  chars[i] = c === 'a' ? 'b' : /^[0-9a-f]$/.test(c) ? (c === '0' ? '1' : '0') : 'a';
  return chars.join('');
}

/**
 * Applies a tampering to a copy of `rows` (seq values of inserted rows are fresh) and returns the
 * seqs at which verifyChain may legitimately report the first break.
 */
export function tamperRows(rows: readonly StoredRow[], t: Tamper): { rows: StoredRow[]; breakAt: number[] } {
  const out = rows.map((r) => ({ ...r }));
  switch (t.kind) {
    case 'flip': {
      const row = out[t.row]!;
      (row as unknown as Record<string, unknown>)[t.column] = flipValue(row[t.column], t.at);
      return { rows: out, breakAt: [row.seq] };
    }
    case 'delete': {
      out.splice(t.row, 1);
      return { rows: out, breakAt: [out[t.row]!.seq] };
    }
    case 'swap': {
      const a = out[t.row]!;
      const b = out[t.other]!;
      out[t.row] = { ...b, seq: a.seq };
      out[t.other] = { ...a, seq: b.seq };
      return { rows: out, breakAt: [a.seq] };
    }
    case 'insert': {
      const source = rows[t.source]!;
      const prevHash = t.row === 0 ? '0'.repeat(64) : rows[t.row - 1]!.hash;
      const extra: StoredRow = t.forged
        ? { ...source, seq: 1_000_000, eventType: 'FORGED', prevHash, hash: hashRow(prevHash, { ...source, eventType: 'FORGED' }) }
        : { ...source, seq: 1_000_000 };
      out.splice(t.row, 0, extra);
      return { rows: out, breakAt: [extra.seq, rows[t.row]!.seq] };
    }
  }
}
