/**
 * auditLog: one streaming pass over an event log, in seq order, that checks everything audit
 * promises (issue 4) and tells the history:
 *
 *   - the hash chain over every row, and seq continuity (chain-tracker.ts, E4);
 *   - per flow: positions continuous from 0, one machine version, known to the registry (else a
 *     refusal), replayed through the pure machine (flow-tracker.ts, E5);
 *   - optionally the flows summary table against the rows (SQLite sources);
 *   - optionally the checkpoints found in the cloud (anchor-check.ts);
 *   - the per-account history (history.ts).
 *
 * Rows may come from any source (the SQLite file, a JSONL export, an in-memory array); an
 * `UnreadableRow` stands for a line that is not a row. Memory does not grow with the number of
 * rows: only with open flows, wallets and accounts (see each part). Browser-safe.
 */
import { ChainTracker, type ChainRow, type Digest } from './chain-tracker.ts';
import { FindingList, type Finding } from './findings.ts';
import { FlowTracker, type FlowSummaries, type OpenFlowReport } from './flow-tracker.ts';
import { HistoryBuilder, type AuditHistory } from './history.ts';
import { AnchorCheck, type CheckpointEntry, type CheckpointResult } from './anchor-check.ts';

/** A line of an export that could not be read as a row. */
export interface UnreadableRow {
  unreadable: true;
  problem: string;
}

/** A row (with its canonical text where the source built it: chain-tracker.ts), or a line that is not one. */
export type RowInput = ChainRow | UnreadableRow;

export interface AuditSource {
  kind: 'sqlite' | 'jsonl' | 'memory';
  path: string | null;
}

export interface AuditOptions {
  source?: AuditSource;
  /** SHA-256 as hex; defaults to @noble/hashes (Node callers pass node:crypto's, 4x faster). */
  digest?: Digest;
  /** The cloud's checkpoints (read and authenticated by the caller); undefined: no anchoring check. */
  checkpoints?: readonly CheckpointEntry[];
  /** The flows summary table, looked up as flows finish; undefined: not checked (JSONL has none). */
  flowSummaries?: FlowSummaries;
  onProgress?: (rowsDone: number) => void;
  /** Recent flows kept per account in the history (default 200). */
  historyLimit?: number;
  /** Findings kept in the report (default 200; the rest are counted). */
  findingLimit?: number;
  /**
   * The transition memo (transition-memo.ts; default true). false: every row is replayed by xstate
   * itself: slower, the same report (to check the memo, or measure what it buys: bench/audit.ts).
   */
  memo?: boolean;
}

export interface AuditReport {
  source: AuditSource;
  /** No error finding: the log verifies. */
  ok: boolean;
  rows: number;
  flows: number;
  /** Flows per machine id@version. */
  machines: Record<string, number>;
  chain: {
    ok: boolean;
    rows: number;
    head: { seq: number; hash: string } | null;
    /** The first row's hash: names the log (its checkpoints are filed under it). */
    logId: string | null;
    breaks: number;
    firstBreak: Finding | null;
  };
  /** Flows that never reached a final state: interrupted, not errors. */
  interrupted: OpenFlowReport[];
  /** null when no --cloud was given. */
  checkpoints: CheckpointResult[] | null;
  counts: { error: number; warning: number; info: number };
  findings: Finding[];
  findingsOmitted: number;
  history: AuditHistory;
  /** How the flows were replayed: rows replayed, and how many of them the transition memo answered. */
  replay: { memo: boolean; rows: number; remembered: number };
}

const PROGRESS_EVERY = 2048;
const YIELD_EVERY = 8192;

/** Lets the event loop run (setImmediate in Node; a timer in a browser). */
const nextTurn = () =>
  new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

function isUnreadable(row: RowInput): row is UnreadableRow {
  return (row as UnreadableRow).unreadable === true;
}

function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export async function auditLog(rows: AsyncIterable<RowInput> | Iterable<RowInput>, options: AuditOptions = {}): Promise<AuditReport> {
  const findings = new FindingList(options.findingLimit ?? 200);
  const chain = new ChainTracker(options.digest);
  const flows = new FlowTracker(options.flowSummaries ?? null, undefined, options.memo ?? true);
  const history = new HistoryBuilder(options.historyLimit ?? 200);
  const anchors = options.checkpoints !== undefined ? new AnchorCheck(options.checkpoints) : null;
  const add = (list: Finding[]) => {
    for (let i = 0; i < list.length; i++) findings.add(list[i]!);
  };

  let index = 0;
  const audit = (row: RowInput) => {
    index += 1;
    if (isUnreadable(row)) {
      findings.add({
        kind: 'unreadable-row',
        severity: 'error',
        rule: 'E6',
        index,
        message: `Line ${index} is not a log row: ${row.problem}.`,
      });
      return;
    }
    add(chain.push(row, index));
    if (anchors !== null && chain.state.rows === 1) add(anchors.start(chain.state.logId, row.at));
    const payload = parsePayload(row.payload);
    if (anchors !== null && row.position === 0 && typeof (payload as { deviceId?: unknown } | null)?.deviceId === 'string') {
      anchors.noteDevice((payload as { deviceId: string }).deviceId);
    }
    const step = flows.push(row, index, payload);
    add(step.findings);
    history.push(row, payload, step.started, step.ended?.state ?? null);
    if (anchors !== null) add(anchors.push(row, index));
    if (options.onProgress && index % PROGRESS_EVERY === 0) options.onProgress(index);
  };
  if (Symbol.iterator in rows) {
    // A synchronous source (SQLite, an array) is read without a promise per row, which would cost
    // more than the rest of the row's audit; the event loop still runs every YIELD_EVERY rows
    // (progress bar, Ctrl-C).
    for (const row of rows) {
      audit(row);
      if (index % YIELD_EVERY === 0) await nextTurn();
    }
  } else {
    for await (const row of rows) audit(row);
  }
  options.onProgress?.(index);

  add(flows.finishSummaries());

  const interrupted = flows.openFlows();
  for (const flow of interrupted) {
    if (!flow.replayed) continue;
    const doing = flow.waitingFor ? `waiting for ${flow.waitingFor.join(' or ')}` : flow.effect ? `running its ${flow.effect} effect` : 'between steps';
    findings.add({
      kind: 'interrupted',
      severity: 'info',
      rule: 'E4',
      seq: flow.lastSeq,
      flowId: flow.flowId,
      position: flow.lastPosition,
      machine: flow.machine,
      message: `Flow ${flow.flowId} (${flow.machine}) stopped at ${flow.state}, ${doing}, at ${flow.lastAt}: interrupted (the app stopped or was killed). Not an error; nothing after it was lost from the log.`,
    });
  }

  const told = history.result();
  if (anchors !== null) add(anchors.finish(chain.state.head?.seq ?? null, told));

  return {
    source: options.source ?? { kind: 'memory', path: null },
    ok: findings.counts.error === 0,
    rows: chain.state.rows,
    flows: flows.flows,
    machines: Object.fromEntries(flows.machines),
    chain: {
      ok: chain.state.breaks === 0,
      rows: chain.state.rows,
      head: chain.state.head,
      logId: chain.state.logId,
      breaks: chain.state.breaks,
      firstBreak: chain.state.firstBreak,
    },
    interrupted,
    checkpoints: anchors?.results ?? null,
    counts: { ...findings.counts },
    findings: findings.items,
    findingsOmitted: findings.omitted,
    history: told,
    replay: {
      memo: flows.memo !== null,
      rows: flows.replayed,
      remembered: flows.memo === null ? 0 : flows.memo.stats.bySnapshot + flows.memo.stats.byTransition,
    },
  };
}
