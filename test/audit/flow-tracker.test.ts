/**
 * src/audit/flow-tracker.ts. Its memory of finished flows (E4): a row added after its flow's
 * final row is named as such for the most recent finished flows; an older finished flow is
 * forgotten (memory stays bounded), and its stray row still fails, as a flow that does not start
 * at position 0. Its check of the flows table (E4, R17): an entry that agrees with the rows gives
 * no finding; each field an edit changes gives its own.
 */
import { describe, expect, it } from 'vitest';
import { FlowTracker, type FlowEntry } from '../../src/audit/flow-tracker.ts';
import type { Finding } from '../../src/audit/findings.ts';
import type { FlowSummary, StoredRow } from '../../src/ports/event-store.ts';
import { syntheticLog } from '../../scripts/synthetic-log.ts';
import { history } from './audit-helpers.ts';

/** Pushes rows in order; returns the finished flows' last rows, in the order they finished. */
function pushAll(tracker: FlowTracker, rows: readonly StoredRow[]): StoredRow[] {
  const finished: StoredRow[] = [];
  rows.forEach((row, i) => {
    const step = tracker.push(row, i + 1, JSON.parse(row.payload));
    expect(step.findings).toEqual([]);
    if (step.ended !== null) finished.push(row);
  });
  return finished;
}

/** A copy of a flow's last row one position further on: a row added after the flow ended. */
const strayAfter = (last: StoredRow): StoredRow => ({ ...last, seq: last.seq + 100_000, position: last.position + 1 });

const kindsOf = (tracker: FlowTracker, row: StoredRow) =>
  tracker.push(row, 0, JSON.parse(row.payload)).findings.map((f) => [f.kind, f.severity]);

describe('finished flows remembered by the flow tracker', () => {
  const rows = history(5, 600);

  it('names a row after a recently finished flow ended: row-after-final, an error', () => {
    const tracker = new FlowTracker(null, 3);
    const finished = pushAll(tracker, rows);
    expect(finished.length).toBeGreaterThan(6);
    for (const last of finished.slice(-3)) expect(kindsOf(tracker, strayAfter(last))).toEqual([['row-after-final', 'error']]);
  });

  it('forgets all but the last `recentClosed` finished flows; an older one\'s stray row is a position gap, still an error', () => {
    const tracker = new FlowTracker(null, 3);
    const finished = pushAll(tracker, rows);
    const forgotten = finished.at(-4)!;
    expect(kindsOf(tracker, strayAfter(forgotten))).toEqual([['position-gap', 'error']]);
  });
});

describe("the flow tracker's check of the flows table", () => {
  const { rows, flows } = syntheticLog({ seed: 9, rows: 600, concurrency: 2, reuseStates: false });
  // A finished backup that learned every tag: each of its fields can be edited.
  const target = flows.find((f) => f.machineId === 'backup' && f.state === '"done"' && f.walletId !== undefined && f.epoch !== undefined)!;

  /** Every finding of a pass over the rows, the flows table answering from `entries`. */
  function findingsWith(entries: Map<string, FlowEntry>): Finding[] {
    const tracker = new FlowTracker({ lookup: (id) => entries.get(id) ?? null, count: () => entries.size, withoutRows: () => [] });
    const found = rows.flatMap((row, i) => tracker.push(row, i + 1, JSON.parse(row.payload)).findings);
    return [...found, ...tracker.finishSummaries()];
  }

  const withTarget = (entry: FlowEntry | null) => {
    const entries = new Map<string, FlowEntry>(flows.map((f) => [f.flowId, f]));
    if (entry === null) entries.delete(target.flowId);
    else entries.set(target.flowId, entry);
    return entries;
  };

  it('finds nothing when every entry agrees with its rows', () => {
    expect(target).toBeDefined();
    expect(findingsWith(withTarget(target))).toEqual([]);
  });

  const edits: Array<[string, Partial<FlowSummary> | null, { expected: string; actual: string }]> = [
    ['no entry', null, { expected: '"done"', actual: '(missing)' }],
    ['another machine version', { machineVersion: 2 }, { expected: 'backup@1', actual: 'backup@2' }],
    ['another machine', { machineId: 'restore' }, { expected: 'backup@1', actual: 'restore@1' }],
    ['another last position', { lastPosition: 999 }, { expected: 'LAST', actual: '999' }],
    ['another state', { state: '"cancelled"' }, { expected: '"done"', actual: '"cancelled"' }],
    ['another provider', { provider: 'icloud-edited' }, { expected: 'PROVIDER', actual: 'icloud-edited' }],
    ['another account', { account: 'mallory@example.com' }, { expected: 'ACCOUNT', actual: 'mallory@example.com' }],
    ['another wallet', { walletId: 'w-0000000000000000' }, { expected: 'WALLET', actual: 'w-0000000000000000' }],
    ['another epoch', { epoch: 77 }, { expected: 'EPOCH', actual: '77' }],
  ];
  it.each(edits)('names an entry with %s: one flows-table-mismatch error, rows against table', (_name, edit, { expected, actual }) => {
    const truth: Record<string, string> = {
      LAST: String(target.lastPosition),
      PROVIDER: String(target.provider),
      ACCOUNT: String(target.account),
      WALLET: String(target.walletId),
      EPOCH: String(target.epoch),
    };
    const found = findingsWith(withTarget(edit === null ? null : { ...target, ...edit }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'flows-table-mismatch', severity: 'error', flowId: target.flowId, expected: truth[expected] ?? expected, actual });
  });
});
