/**
 * The hash-chain status of every row of the log, for the inspector's event list (E4).
 *
 * Per row, on its own: `ok` when its prevHash is the hash of the row before it in the log (seq
 * order; GENESIS_HASH for the first) and its hash recomputes from its fields; `hash-mismatch`
 * when the hash does not recompute (the row was edited); `link-broken` when the hash recomputes
 * but prevHash names another row (a row before it was removed, inserted or reordered). The whole
 * log's verdict is src/log's verifyChain, the same check `npm start` and the CLI report.
 */
import { GENESIS_HASH, type EventStore, type StoredRow } from '../ports/event-store.ts';
import { hashRow, verifyChain, type ChainVerification } from '../log/row-hash.ts';

export type RowChainStatus = 'ok' | 'hash-mismatch' | 'link-broken';

export interface LogChain {
  /** Row seq → its status. */
  statuses: Map<number, RowChainStatus>;
  verdict: ChainVerification;
}

function recomputes(row: StoredRow): boolean {
  try {
    return hashRow(row.prevHash, row) === row.hash;
  } catch (error) {
    // hashRow refuses a row that is not a transition record (a bad prevHash, a missing field) with a TypeError.
    if (error instanceof TypeError) return false;
    throw error;
  }
}

export function rowStatuses(rows: readonly StoredRow[]): Map<number, RowChainStatus> {
  const statuses = new Map<number, RowChainStatus>();
  let previous = GENESIS_HASH;
  for (const row of rows) {
    statuses.set(row.seq, !recomputes(row) ? 'hash-mismatch' : row.prevHash !== previous ? 'link-broken' : 'ok');
    previous = row.hash;
  }
  return statuses;
}

/** Reads the whole log once (a local tool's log is small) and checks every row. */
export async function checkLogChain(store: EventStore): Promise<LogChain> {
  const rows: StoredRow[] = [];
  for await (const row of store.readAll()) rows.push(row);
  return { statuses: rowStatuses(rows), verdict: await verifyChain(rows) };
}
