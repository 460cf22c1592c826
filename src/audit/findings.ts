/**
 * What audit finds: one Finding per problem (or notable fact), in log order, each naming the
 * row it is about. `error` findings make the log broken or inconsistent (exit 8); `warning`
 * and `info` do not. A FindingList keeps at most `limit` findings (memory stays bounded on a
 * log that is broken everywhere) and counts the rest. Browser-safe.
 */
import type { StoredRow } from '../ports/event-store.ts';

export type Severity = 'error' | 'warning' | 'info';

export type FindingKind =
  // E4: the rows themselves
  | 'unreadable-row' // a line of an export that is not a row
  | 'seq-gap' // seq does not follow the previous row's (rows missing, added or moved)
  | 'prev-hash-mismatch' // the row does not chain to the row before it
  | 'hash-mismatch' // the row's content does not give its stored hash (edited)
  // per flow
  | 'position-gap'
  | 'position-duplicate'
  | 'row-after-final' // a row for a flow that had already finished
  | 'machine-changed' // a flow's rows name different machines or versions
  | 'unknown-machine' // refusal: no released machine of that id (machines/registry.ts)
  | 'unknown-version' // refusal: the machine id is known, that version is not
  | 'replay-mismatch' // E5: the pure machine does not reach the recorded state
  | 'flows-table-mismatch' // the flows summary table disagrees with the events
  | 'interrupted' // info: the flow never reached a final state (crash, app closed)
  // anchoring (--cloud)
  | 'checkpoint-cut' // the log ends before the checkpoint's row: its tail was cut
  | 'checkpoint-rewritten' // the row the checkpoint names has another hash: rewritten
  | 'checkpoint-forged' // the checkpoint's MAC does not verify: not made by the engine
  | 'checkpoint-unreadable'
  | 'checkpoint-missing' // completed backups to an account, but no checkpoint of this log there
  | 'checkpoint-stale' // the newest checkpoint predates the last completed backup to that account
  | 'checkpoint-ok'
  | 'checkpoint-unverified' // compared, but its MAC could not be checked (no password, or another one)
  | 'checkpoint-other-log' // a checkpoint of another log (another device, a reinstall)
  | 'checkpoint-log-replaced' // a checkpoint of this device, written after this log began, names another first row
  // the backups themselves (--cloud)
  | 'backup-missing' // a backup the log calls done that the account no longer has
  | 'backup-unlisted'; // its record is there, its listing entry is not

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** The rule the check keeps: E4, E5, R15... */
  rule: string;
  /** 1-based ordinal of the row in the stream (the line of an export). */
  index?: number;
  seq?: number;
  flowId?: string;
  position?: number;
  machine?: string;
  /** What the check requires (a hash, a state, a seq) and what the log holds instead. */
  expected?: string;
  actual?: string;
  message: string;
}

/**
 * What a check returns for a row without findings: one shared, frozen array, so that the
 * million intact rows of a log allocate nothing (a caller that adds to it makes its own).
 */
export const NO_FINDINGS: Finding[] = Object.freeze([]) as unknown as Finding[];

export class FindingList {
  readonly items: Finding[] = [];
  omitted = 0;
  readonly counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };

  constructor(private readonly limit = 200) {}

  add(finding: Finding): void {
    this.counts[finding.severity] += 1;
    if (this.items.length < this.limit) this.items.push(finding);
    else this.omitted += 1;
  }
}

/** "seq 17 (flow 1a2b3c4d, position 3)": how a message names a row. */
/** Where a row's finding is: its index in the source, seq, flow, position and machine. Built only for a row that has one. */
export function placeOf(row: StoredRow, index: number): Required<Pick<Finding, 'index' | 'seq' | 'flowId' | 'position' | 'machine'>> {
  return { index, seq: row.seq, flowId: row.flowId, position: row.position, machine: `${row.machineId}@${row.machineVersion}` };
}

export function rowName(at: { seq?: number; index?: number; flowId?: string; position?: number }): string {
  const where = at.seq !== undefined ? `seq ${at.seq}` : `row ${at.index ?? '?'}`;
  const flow = at.flowId !== undefined ? `flow ${at.flowId}` : '';
  const position = at.position !== undefined ? `position ${at.position}` : '';
  const detail = [flow, position].filter((part) => part !== '').join(', ');
  return detail === '' ? where : `${where} (${detail})`;
}
