/**
 * Reads a SQLite event log for audit and export, read-only (Node only).
 *
 * Unlike openSqliteEventStore it never creates, migrates or writes anything (not even a pragma),
 * so auditing a log cannot change it, and a log a person edited by hand is read as it is. Rows
 * stream from one `iterate()` cursor in seq order: constant memory whatever the log's size.
 * `auditRows` reads them with the canonical text SQLite renders (sqlite-canonical-rows.ts).
 * better-sqlite3 allows no other statement on a connection while a cursor is open, so the flows
 * table is looked up through a second read-only connection.
 */
import type Database from 'better-sqlite3';
import { openReadOnlyDatabase } from './sqlite-read-only.ts';
import type { StoredRow } from '../../src/ports/event-store.ts';
import type { FlowEntry, FlowSummaries } from '../../src/audit/flow-tracker.ts';
import type { ChainRow } from '../../src/audit/chain-tracker.ts';
import { canonicalRows, columnRows, eventsTableIsStrict, rowQueries } from './sqlite-canonical-rows.ts';
import { LATEST_SCHEMA_VERSION } from './sqlite-migrations.ts';
import { flowEntryLookup } from './sqlite-flow-entries.ts';
import { V1_FLOW_SUMMARY_SELECT, toSummary, type FlowRow } from './sqlite-flow-row.ts';

export interface SqliteLogReader {
  readonly path: string;
  /**
   * The number of rows an intact log has: its last seq (seqs run 1, 2, 3, ...), read from the end
   * of the table. For a progress bar: COUNT(*) would read the whole file first (half a second
   * for a million rows).
   */
  expectedRows(): number;
  /** Every row, in seq order. */
  rows(): IterableIterator<StoredRow>;
  /** Every row, in seq order, with its canonical text where SQLite renders it as v1 does (sqlite-canonical-rows.ts). */
  auditRows(): IterableIterator<ChainRow>;
  /** The flows summary table, one flow at a time. */
  readonly summaries: FlowSummaries;
  close(): void;
}

/** The file is not a readable event log of this build; the message says why. */
export class LogReadError extends Error {
  override readonly name = 'LogReadError';
}

function v1Lookup(byKey: Database.Statement<[string], FlowRow>): (flowId: string) => FlowEntry | null {
  return (flowId) => {
    const row = byKey.get(flowId);
    return row === undefined ? null : toSummary(row);
  };
}

export function openSqliteLogReader(path: string): SqliteLogReader {
  let db: Database.Database;
  try {
    db = openReadOnlyDatabase(path);
  } catch (error) {
    throw new LogReadError((error as Error).message);
  }
  let side: Database.Database | undefined;
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0) throw new LogReadError('it is not a wallet-backup event log (no schema)');
    if (version > LATEST_SCHEMA_VERSION) {
      throw new LogReadError(`its schema version ${version} is newer than this build supports (${LATEST_SCHEMA_VERSION}); use a newer wallet-backup-engine`);
    }
    const lastSeq = db.prepare<[], number | null>('SELECT MAX(seq) FROM events').pluck();
    side = openReadOnlyDatabase(path);
    const queries = rowQueries(db, side);
    const strict = eventsTableIsStrict(db);
    // A log keeps the schema it was written with. A v1 entry holds the flow's last state and
    // position, which audit compares with the rows; from v2 those are the last row's own, and the
    // entry alone is read (read ahead in the order flows start: sqlite-flow-entries.ts).
    const lookup: (flowId: string) => FlowEntry | null =
      version <= 1 ? v1Lookup(side.prepare<[string], FlowRow>(`${V1_FLOW_SUMMARY_SELECT} WHERE f.flow_id = ?`)) : flowEntryLookup(side);
    const flowCount = side.prepare<[], number>('SELECT COUNT(*) FROM flows').pluck();
    const withoutRows = side
      .prepare<[number], string>('SELECT flow_id FROM flows WHERE NOT EXISTS (SELECT 1 FROM events WHERE events.flow_id = flows.flow_id) LIMIT ?')
      .pluck();
    const sideDb = side;
    return {
      path,
      expectedRows: () => lastSeq.get() ?? 0,
      rows: () => columnRows(queries),
      auditRows: () => (strict ? canonicalRows(queries) : columnRows(queries)),
      summaries: {
        lookup,
        count: () => flowCount.get() ?? 0,
        withoutRows: (limit) => withoutRows.all(limit),
      },
      close: () => {
        sideDb.close();
        db.close();
      },
    };
  } catch (error) {
    side?.close();
    db.close();
    if (error instanceof LogReadError) throw error;
    throw new LogReadError((error as Error).message);
  }
}
