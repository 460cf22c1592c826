/**
 * Reads a SQLite event log for audit and export, read-only (Node only).
 *
 * Unlike openSqliteEventStore it never creates, migrates or writes anything (not even a pragma),
 * so auditing a log cannot change it, and a log a person edited by hand is read as it is. Rows
 * stream from one `iterate()` cursor in seq order: constant memory whatever the log's size.
 * better-sqlite3 allows no other statement on a connection while a cursor is open, so the flows
 * table is looked up through a second read-only connection.
 */
import Database from 'better-sqlite3';
import type { FlowSummary, StoredRow } from '../../src/ports/event-store.ts';
import type { FlowEntry, FlowSummaries } from '../../src/audit/flow-tracker.ts';
import { LATEST_SCHEMA_VERSION } from './sqlite-migrations.ts';
import { flowEntryLookup } from './sqlite-flow-entries.ts';
import { V1_FLOW_SUMMARY_SELECT, toSummary, type FlowRow } from './sqlite-flow-row.ts';

export interface SqliteLogReader {
  readonly path: string;
  /** Number of rows (for a progress bar). */
  rowCount(): number;
  /** Every row, in seq order. */
  rows(): IterableIterator<StoredRow>;
  /** The flows summary table, one flow at a time. */
  readonly summaries: FlowSummaries;
  close(): void;
}

/** The file is not a readable event log of this build; the message says why. */
export class LogReadError extends Error {
  override readonly name = 'LogReadError';
}

const ROW_COLUMNS = 'seq, flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash';

type RowArray = [number, string, number, string, number, string | null, string, string, string, string, string, string];

/**
 * Rows come from the cursor as arrays (better-sqlite3's raw mode) and are built here as object
 * literals: half the cost of the objects better-sqlite3 builds, which is most of audit's reading.
 */
function* asRows(arrays: IterableIterator<RowArray>): IterableIterator<StoredRow> {
  for (const a of arrays) {
    yield { seq: a[0], flowId: a[1], position: a[2], machineId: a[3], machineVersion: a[4], fromState: a[5], eventType: a[6], payload: a[7], toState: a[8], at: a[9], prevHash: a[10], hash: a[11] };
  }
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
    db = new Database(path, { readonly: true, fileMustExist: true });
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
    const count = db.prepare<[], number>('SELECT COUNT(*) FROM events').pluck();
    const rows = db.prepare<[], RowArray>(`SELECT ${ROW_COLUMNS} FROM events ORDER BY seq`).raw(true);
    side = new Database(path, { readonly: true, fileMustExist: true });
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
      rowCount: () => count.get() ?? 0,
      rows: () => asRows(rows.iterate() as IterableIterator<RowArray>),
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
