/**
 * A log's flow entries, looked up one flow at a time as audit finishes each flow (schema v2 and
 * later; Node only).
 *
 * A primary-key lookup per flow cost about 10 us on a large log (a B-tree descent through pages
 * SQLite's small cache no longer holds), a tenth of audit's time. But the store inserts a flow's
 * entry with the flow's first row, so in rowid order the entries come in the order flows start,
 * and flows finish in about that order. So the entries are read ahead in rowid order, a page at a
 * time, and held until their flow asks for them. An entry that is not among the next
 * `readAhead` entries (missing, moved by hand, or read long ago and dropped) is looked up by
 * primary key: the answers are the same, only slower.
 *
 * Memory: at most `held` entries (past it they are dropped, and their flows looked up by key).
 * A flows table without rowids (remade by hand) is looked up by key alone.
 */
import type Database from 'better-sqlite3';
import type { FlowEntry } from '../../src/audit/flow-tracker.ts';
import { FLOW_ENTRY_COLUMNS, FLOW_ENTRY_SELECT, toEntry, type FlowEntryRow } from './sqlite-flow-row.ts';

export interface FlowEntryReadOptions {
  /** Entries per read (default 512). */
  page?: number;
  /** Entries read ahead for one lookup before it falls back to the primary key (default 4096). */
  readAhead?: number;
  /** Entries held at most (default 16,384). */
  held?: number;
}

/** FLOW_ENTRY_COLUMNS in their order, then the entry's rowid. */
type EntryArray = [string, string, number, string, string | null, string | null, string | null, number | null, number];

/** Returns `lookup(flowId)`: the flow's entry, or null when the table has none. */
export function flowEntryLookup(db: Database.Database, options: FlowEntryReadOptions = {}): (flowId: string) => FlowEntry | null {
  const pageSize = options.page ?? 512;
  const readAhead = options.readAhead ?? 4096;
  const heldLimit = options.held ?? 16_384;
  const byKey = db.prepare<[string], FlowEntryRow>(`${FLOW_ENTRY_SELECT} WHERE flow_id = ?`);
  const lookUpByKey = (flowId: string): FlowEntry | null => {
    const row = byKey.get(flowId);
    return row === undefined ? null : toEntry(row);
  };
  // Pages come as arrays (better-sqlite3's raw mode): an entry becomes an object only when asked for.
  let nextPage: Database.Statement<[number, number], EntryArray>;
  try {
    nextPage = db
      .prepare<[number, number], EntryArray>(`SELECT ${FLOW_ENTRY_COLUMNS}, rowid FROM flows WHERE rowid > ? ORDER BY rowid LIMIT ?`)
      .raw(true);
  } catch (error) {
    // A flows table remade by hand WITHOUT ROWID ("no such column: rowid"): no start order to read in.
    if (error instanceof Error && error.name === 'SqliteError') return lookUpByKey;
    throw error;
  }

  const held = new Map<string, EntryArray>();
  let after = Number.MIN_SAFE_INTEGER;
  let exhausted = false;

  const take = (flowId: string): FlowEntry | undefined => {
    const entry = held.get(flowId);
    if (entry === undefined) return undefined;
    held.delete(flowId);
    return toEntry({
      flowId: entry[0], machineId: entry[1], machineVersion: entry[2], startedAt: entry[3],
      provider: entry[4], account: entry[5], walletId: entry[6], epoch: entry[7],
    });
  };

  return (flowId) => {
    const ready = take(flowId);
    if (ready !== undefined) return ready;
    for (let read = 0; !exhausted && read < readAhead; ) {
      const rows = nextPage.all(after, pageSize);
      if (rows.length < pageSize) exhausted = true;
      for (const row of rows) {
        if (held.size >= heldLimit) held.clear();
        held.set(row[0], row);
        after = row[8];
      }
      read += rows.length;
      const found = take(flowId);
      if (found !== undefined) return found;
    }
    return lookUpByKey(flowId);
  };
}
