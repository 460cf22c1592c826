/**
 * adapters/store/sqlite-flow-entries.ts: a flow's entry read ahead in the order flows start is
 * the entry a primary-key lookup finds, whatever order flows ask in, and whatever a hand did to
 * the table (entries missing, moved, added). Small pages and limits make every path run.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { flowEntryLookup, type FlowEntryReadOptions } from '../../adapters/store/sqlite-flow-entries.ts';
import { FLOW_ENTRY_SELECT, toEntry, type FlowEntryRow } from '../../adapters/store/sqlite-flow-row.ts';
import { editedCopy, generatedLog } from './generated-log.ts';

let template: string;
let flowIds: string[];

beforeAll(() => {
  template = generatedLog(3_000, 11);
  const db = new Database(template, { readonly: true });
  flowIds = db.prepare<[], string>('SELECT flow_id FROM flows ORDER BY rowid').pluck().all();
  db.close();
});

/** A copy of the generated log, changed by `edit`, open read-only as audit opens it. */
const logWith = (edit?: (db: Database.Database) => void) => new Database(editedCopy(template, edit), { readonly: true });

/** What a primary-key lookup answers: the expected value. */
function byKey(db: Database.Database, flowId: string) {
  const row = db.prepare<[string], FlowEntryRow>(`${FLOW_ENTRY_SELECT} WHERE flow_id = ?`).get(flowId);
  return row === undefined ? null : toEntry(row);
}

const SMALL: FlowEntryReadOptions = { page: 7, readAhead: 20, held: 50 };

describe('flow entries read ahead in start order', () => {
  it('answers every flow, asked in the order flows start, as the primary key does', () => {
    const db = logWith();
    const lookup = flowEntryLookup(db, SMALL);
    expect(flowIds.length).toBeGreaterThan(100);
    for (const flowId of flowIds) expect(lookup(flowId)).toEqual(byKey(db, flowId));
  });

  it('answers flows asked in any order, twice, or unknown, as the primary key does', () => {
    const db = logWith();
    const asked = fc.array(fc.oneof(fc.constantFrom(...flowIds), fc.constant('no-such-flow')), { minLength: 1, maxLength: 400 });
    const limits = fc.record({ page: fc.integer({ min: 1, max: 40 }), readAhead: fc.integer({ min: 1, max: 200 }), held: fc.integer({ min: 1, max: 300 }) });
    fc.assert(
      fc.property(asked, limits, (ids, options) => {
        const lookup = flowEntryLookup(db, options);
        for (const flowId of ids) expect(lookup(flowId)).toEqual(byKey(db, flowId));
      }),
      { numRuns: 60 },
    );
  });

  it('answers null for a deleted entry, and the right entries around it and after a moved one', () => {
    const deleted = flowIds[10]!;
    const moved = flowIds[20]!;
    const db = logWith((edit) => {
      edit.prepare('DELETE FROM flows WHERE flow_id = ?').run(deleted);
      // Moved: the same entry under a new rowid, after every other.
      const row = edit.prepare('SELECT * FROM flows WHERE flow_id = ?').get(moved) as Record<string, unknown>;
      edit.prepare('DELETE FROM flows WHERE flow_id = ?').run(moved);
      const columns = Object.keys(row);
      edit.prepare(`INSERT INTO flows (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
      edit.prepare(`INSERT INTO flows (flow_id, machine_id, machine_version, started_at) VALUES ('added-by-hand', 'backup', 1, '')`).run();
    });
    const lookup = flowEntryLookup(db, SMALL);
    for (const flowId of flowIds) {
      const entry = lookup(flowId);
      expect(entry).toEqual(byKey(db, flowId));
      if (flowId === deleted) expect(entry).toBeNull();
      else expect(entry).toMatchObject({ flowId });
    }
  });

  it('looks every flow up by key in a flows table remade WITHOUT ROWID (no start order to read in)', () => {
    const db = logWith((edit) => {
      const sql = edit.prepare<[], string>(`SELECT sql FROM sqlite_schema WHERE name = 'flows'`).pluck().get()!;
      edit.exec(`ALTER TABLE flows RENAME TO old_flows;
        ${sql.replace(/\)\s*STRICT\s*$/, ') STRICT, WITHOUT ROWID')};
        INSERT INTO flows SELECT * FROM old_flows; DROP TABLE old_flows;`);
    });
    const lookup = flowEntryLookup(db, SMALL);
    for (const flowId of [...flowIds].reverse()) expect(lookup(flowId)).toEqual(byKey(db, flowId));
    expect(lookup('no-such-flow')).toBeNull();
  });

  it('answers as the primary key does when its limit makes it drop entries it read ahead', () => {
    const db = logWith();
    const lookup = flowEntryLookup(db, { page: 10, readAhead: 1_000, held: 5 });
    // The last flow first: everything before it is read ahead, and all but 5 entries dropped.
    const last = flowIds.at(-1)!;
    expect(lookup(last)).toEqual(byKey(db, last));
    for (const flowId of flowIds) expect(lookup(flowId)).toEqual(byKey(db, flowId));
  });
});
