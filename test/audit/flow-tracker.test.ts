/**
 * src/audit/flow-tracker.ts, its memory of finished flows (E4): a row added after its flow's
 * final row is named as such for the most recent finished flows; an older finished flow is
 * forgotten (memory stays bounded), and its stray row still fails, as a flow that does not start
 * at position 0.
 */
import { describe, expect, it } from 'vitest';
import { FlowTracker } from '../../src/audit/flow-tracker.ts';
import type { StoredRow } from '../../src/ports/event-store.ts';
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
