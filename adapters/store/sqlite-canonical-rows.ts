/**
 * A log's rows for audit, each with its v1 canonical text (src/log/row-hash.ts) as SQLite
 * renders it (Node only).
 *
 * The canonical text is `JSON.stringify([prevHash, flowId, position, machineId, machineVersion,
 * fromState, eventType, payload, toState, at])`, and SQLite's `json_array` renders TEXT and
 * INTEGER values byte for byte as JSON.stringify does (every Unicode code point is checked in
 * test/log/sqlite-canonical-rows.test.ts). So audit reads three values a row (seq, that text,
 * hash) instead of twelve, gets the ten hashed values back with one JSON.parse, and hashes the
 * text without building it again: about 1 us less a row, a quarter of what reading and
 * hashing cost before.
 *
 * Where the two renderings could differ, the row is read column by column instead, exactly as
 * `rows()` reads it, without a canonical text (the chain then builds it):
 *   - a text holding U+FFFD: bytes that are not UTF-8 decode to it, and json_array may draw the
 *     boundaries of such bytes differently than decoding each column does;
 *   - a position or machine version past 2^53, which JSON.parse cannot hold exactly;
 *   - a text json_array refuses or that does not parse back (none is known);
 *   - an events table that is not STRICT (REAL or BLOB values): every row (the caller decides).
 * If SQLite stops the cursor with an error, the rows after the last one read come column by
 * column.
 */
import type Database from 'better-sqlite3';
import type { ChainRow } from '../../src/audit/chain-tracker.ts';
import type { StoredRow } from '../../src/ports/event-store.ts';

const ROW_COLUMNS = 'seq, flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash';

/** A row as the column query returns it (better-sqlite3's raw mode). */
export type RowArray = [number, string, number, string, number, string | null, string, string, string, string, string, string];

/** The ten hashed values, in canonical order. */
type CanonicalValues = [string, string, number, string, number, string | null, string, string, string, string];

export interface RowQueries {
  /** Rows after a seq, column by column. */
  columnsAfter: Database.Statement<[number], RowArray>;
  /** Rows after a seq, as (seq, canonical text, hash). */
  canonicalAfter: Database.Statement<[number], [number, string, string]>;
  /** One row by seq, column by column (on a connection that has no open cursor). */
  columnsAt: Database.Statement<[number], RowArray>;
}

/** The statements `canonicalRows` needs: `db` runs the cursors, `side` the lookups of single rows. */
export function rowQueries(db: Database.Database, side: Database.Database): RowQueries {
  return {
    columnsAfter: db.prepare<[number], RowArray>(`SELECT ${ROW_COLUMNS} FROM events WHERE seq > ? ORDER BY seq`).raw(true),
    canonicalAfter: db
      .prepare<[number], [number, string, string]>(
        `SELECT seq, json_array(prev_hash, flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at), hash
         FROM events WHERE seq > ? ORDER BY seq`,
      )
      .raw(true),
    columnsAt: side.prepare<[number], RowArray>(`SELECT ${ROW_COLUMNS} FROM events WHERE seq = ?`).raw(true),
  };
}

/** Whether the log's events table is STRICT: its values are only TEXT, INTEGER and NULL. */
export function eventsTableIsStrict(db: Database.Database): boolean {
  const strict = db.prepare<[], number>(`SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name = 'events'`).pluck().get();
  return strict === 1;
}

/**
 * Rows come from the cursor as arrays and are built here as object literals: half the cost of
 * the objects better-sqlite3 builds.
 */
export function toStoredRow(a: RowArray): StoredRow {
  return { seq: a[0], flowId: a[1], position: a[2], machineId: a[3], machineVersion: a[4], fromState: a[5], eventType: a[6], payload: a[7], toState: a[8], at: a[9], prevHash: a[10], hash: a[11] };
}

/** Every row column by column, in seq order, after `after`. */
export function* columnRows(queries: RowQueries, after = Number.MIN_SAFE_INTEGER): Generator<StoredRow> {
  for (const a of queries.columnsAfter.iterate(after)) yield toStoredRow(a);
}

/** The values of a canonical text, or null where its rendering may differ from v1's (see the header). */
function valuesOf(text: string): CanonicalValues | null {
  if (text.includes('\uFFFD')) return null;
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
  const v = values as CanonicalValues;
  return Array.isArray(values) && values.length === 10 && Number.isSafeInteger(v[2]) && Number.isSafeInteger(v[4]) ? v : null;
}

/** Every row in seq order, each with its canonical text where SQLite's is exactly v1's. */
export function* canonicalRows(queries: RowQueries): Generator<ChainRow> {
  let after = Number.MIN_SAFE_INTEGER;
  try {
    for (const [seq, text, hash] of queries.canonicalAfter.iterate(after)) {
      after = seq;
      const v = valuesOf(text);
      if (v === null) {
        const row = queries.columnsAt.get(seq);
        if (row !== undefined) yield toStoredRow(row);
        continue;
      }
      yield { seq, flowId: v[1], position: v[2], machineId: v[3], machineVersion: v[4], fromState: v[5], eventType: v[6], payload: v[7], toState: v[8], at: v[9], prevHash: v[0], hash, canonicalText: text };
    }
    return;
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'SqliteError') throw error;
  }
  yield* columnRows(queries, after);
}
