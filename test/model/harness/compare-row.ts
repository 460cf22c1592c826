/**
 * The check of each row the engine appends against the path, made while the flow runs: the
 * event type and the state reached must be the path's, and every payload field the world
 * reproduces (all but WORLD_FIELDS; the flow's input for the initial row) must be equal.
 */
import { describeEvent, WORLD_FIELDS, type ModelPath } from '../../../src/model/index.ts';
import type { StoredRow } from '../../../src/ports/event-store.ts';

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A sentence saying how the row departs from the path, or null when it follows it. */
export function compareRow(path: ModelPath, row: StoredRow): string | null {
  const step = path.steps[row.position];
  if (step === undefined) return `position ${row.position}: the engine went on past the path's end: ${row.eventType} → ${row.toState}`;
  const expected = JSON.stringify(step.state);
  if (row.eventType !== step.event.type || row.toState !== expected) {
    return `step ${row.position}: the path expects ${describeEvent(step.event)} → ${expected}; the engine logged ${row.eventType} ${row.payload} → ${row.toState}`;
  }
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  const expectedFields: Record<string, unknown> = row.position === 0 ? path.input : step.event;
  const fields = Object.keys(expectedFields).filter((f) => f !== 'type' && !WORLD_FIELDS.includes(f));
  for (const field of fields) {
    if (!sameJson(payload[field], expectedFields[field])) {
      return `step ${row.position}: ${row.eventType}.${field} is ${JSON.stringify(payload[field])}, the path says ${JSON.stringify(expectedFields[field])}`;
    }
  }
  return null;
}
