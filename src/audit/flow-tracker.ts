/**
 * Per-flow checks, one row at a time: positions continuous from 0, one machine id and version
 * per flow, that version known to machines/registry.ts (else a clear refusal, never a crash),
 * and the incremental replay of every flow through the pure machine that recorded it (E5).
 * When the source has a flows summary table (SQLite), each flow's entry is looked up and checked
 * as the flow finishes (and open flows at the end).
 *
 * Memory: one XState snapshot per OPEN flow (dropped when the flow reaches a final state), and
 * the last RECENT_CLOSED finished flows (to name a row appended after its flow's end; an older
 * finished flow's stray row still fails as a flow that does not start at position 0). Nothing
 * grows with the number of rows or of finished flows. Browser-safe.
 */
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import type { FlowSummary, FlowTags, StoredRow } from '../ports/event-store.ts';
import { findMachine } from '../../machines/registry.ts';
import { leafMeta } from '../../machines/state-meta.ts';
import { NO_FINDINGS, placeOf, rowName, type Finding } from './findings.ts';
import { replayStep } from './flow-replayer.ts';
import { createTransitionMemo, type TransitionMemo } from './transition-memo.ts';

type ReplayMode = 'live' | 'refused' | 'diverged';

interface OpenFlow {
  machineId: string;
  machineVersion: number;
  lastPosition: number;
  state: string;
  mode: ReplayMode;
  machine: AnyStateMachine | null;
  snapshot: AnyMachineSnapshot | undefined;
  tags: FlowTags;
  lastSeq: number;
  lastAt: string;
}

interface ClosedFlow {
  lastPosition: number;
  state: string;
}

/**
 * A flow's entry in the flows table. Schema v1 also stored the flow's last state, position and
 * time there; from v2 they are the last row's own, so there is nothing to compare and they are
 * absent.
 */
export type FlowEntry = Omit<FlowSummary, 'state' | 'lastPosition' | 'updatedAt'> &
  Partial<Pick<FlowSummary, 'state' | 'lastPosition' | 'updatedAt'>>;

/** The flows table of a source (SQLite), looked up one flow at a time. */
export interface FlowSummaries {
  lookup(flowId: string): FlowEntry | null;
  /** Number of entries in the table. */
  count(): number;
  /** Some entries whose flow has no rows at all (at most `limit`). */
  withoutRows(limit: number): string[];
}

const RECENT_CLOSED = 10_000;

/** What a row did to its flow, for the history. */
export interface FlowStep {
  findings: Finding[];
  /** The row opened a flow (position 0). */
  started: boolean;
  /** The row brought the flow to a final state: its replayed context. */
  ended: { state: string; context: Record<string, unknown> } | null;
  /** The flow's replayed context after this row, when replay is live. */
  context: Record<string, unknown> | null;
}

export interface OpenFlowReport {
  flowId: string;
  machine: string;
  state: string;
  lastSeq: number;
  lastPosition: number;
  lastAt: string;
  /** What the flow was doing: waiting for the person, or running an effect. */
  waitingFor: readonly string[] | null;
  effect: string | null;
  replayed: boolean;
}

const TAG_FIELDS = ['provider', 'account', 'walletId', 'epoch'] as const;

/** `found` with `finding` added (a list of its own when `found` is the shared NO_FINDINGS). */
function withFinding(found: Finding[], finding: Finding): Finding[] {
  if (found === NO_FINDINGS) return [finding];
  found.push(finding);
  return found;
}

/** The flow's tags after a transition: its context's, where set; the same object when none changed. */
function tagsOf(context: Record<string, unknown>, previous: FlowTags): FlowTags {
  let tags = previous;
  for (const field of TAG_FIELDS) {
    const value = context[field];
    if (typeof value !== (field === 'epoch' ? 'number' : 'string') || value === previous[field]) continue;
    if (tags === previous) tags = { ...previous };
    (tags as Record<string, unknown>)[field] = value;
  }
  return tags;
}

function addFinding(step: FlowStep, row: StoredRow, index: number, finding: Omit<Finding, 'index' | 'seq' | 'flowId' | 'position' | 'machine'>): void {
  step.findings = withFinding(step.findings, { ...placeOf(row, index), ...finding });
}

/** The finding for an entry of the flows table that its rows contradict. */
function summaryMismatch(flowId: string, what: string, expected: string, actual: string): Finding {
  return {
    kind: 'flows-table-mismatch',
    severity: 'error',
    rule: 'E4',
    flowId,
    expected,
    actual,
    message: `The flows table says flow ${flowId} has ${what} ${actual}, but its rows say ${expected}: the table was edited (it is not hash-chained, and the device's history reads it).`,
  };
}

export class FlowTracker {
  private readonly open = new Map<string, OpenFlow>();
  /** Recently finished flows. */
  private readonly closed = new Map<string, ClosedFlow>();
  /**
   * Their ids in the order they finished, a ring of `recentClosed`: the oldest is forgotten in
   * O(1). (A Map's first key is not: V8 walks past every deleted entry to reach it, which cost
   * about a microsecond per row on a long log.)
   */
  private readonly closedOrder: string[] = [];
  private closedNext = 0;
  private checkedSummaries = 0;
  /** Flows per machine id@version, as found in the rows. */
  readonly machines = new Map<string, number>();
  flows = 0;
  /** Replayed transitions remembered for this audit (exact; transition-memo.ts); null: switched off. */
  readonly memo: TransitionMemo | null;
  /** Rows replayed through their flow's machine (by xstate or answered by the memo). */
  replayed = 0;

  /**
   * `recentClosed`: finished flows remembered, to name a row appended after its flow's end.
   * `memo`: false replays every row through xstate (what the memo buys: bench/audit.ts).
   */
  constructor(
    private readonly summaries: FlowSummaries | null = null,
    private readonly recentClosed: number = RECENT_CLOSED,
    memo = true,
  ) {
    this.memo = memo ? createTransitionMemo() : null;
  }

  push(row: StoredRow, index: number, payload: unknown): FlowStep {
    const step: FlowStep = { findings: NO_FINDINGS, started: false, ended: null, context: null };

    const closed = this.closed.get(row.flowId);
    if (closed !== undefined) {
      addFinding(step, row, index, {
        kind: 'row-after-final',
        severity: 'error',
        rule: 'E4',
        expected: 'no row',
        actual: row.eventType,
        message: `Row ${rowName(placeOf(row, index))} belongs to a flow that had already finished at position ${closed.lastPosition} (${closed.state}): a row was added or moved.`,
      });
      closed.lastPosition = Math.max(closed.lastPosition, row.position);
      return step;
    }

    let flow = this.open.get(row.flowId);
    if (flow === undefined) {
      this.flows += 1;
      const machine = `${row.machineId}@${row.machineVersion}`;
      this.machines.set(machine, (this.machines.get(machine) ?? 0) + 1);
      step.started = true;
      flow = {
        machineId: row.machineId,
        machineVersion: row.machineVersion,
        lastPosition: -1,
        state: 'null',
        mode: 'live',
        machine: null,
        snapshot: undefined,
        tags: {},
        lastSeq: row.seq,
        lastAt: row.at,
      };
      this.open.set(row.flowId, flow);
      const found = findMachine(row.machineId, row.machineVersion);
      if (!found.ok) {
        flow.mode = 'refused';
        const known = found.known.length > 0 ? `known versions: ${found.known.join(', ')}` : 'no machine of that id is released';
        addFinding(step, row, index, {
          kind: found.reason,
          severity: 'error',
          rule: 'E5',
          expected: found.known.length > 0 ? found.known.map((v) => `${row.machineId}@${v}`).join(', ') : 'a released machine',
          actual: machine,
          message:
            `Flow ${row.flowId} was recorded by machine ${machine}, which this build does not have (${known}; machines/registry.ts). ` +
            'Its rows cannot be replayed: audit refuses to vouch for them. Use a build that has that machine version.',
        });
      } else {
        flow.machine = found.machine;
      }
    }

    if (row.machineId !== flow.machineId || row.machineVersion !== flow.machineVersion) {
      addFinding(step, row, index, {
        kind: 'machine-changed',
        severity: 'error',
        rule: 'E5',
        expected: `${flow.machineId}@${flow.machineVersion}`,
        actual: `${row.machineId}@${row.machineVersion}`,
        message: `Row ${rowName(placeOf(row, index))} names machine ${row.machineId}@${row.machineVersion}, but the flow started on ${flow.machineId}@${flow.machineVersion}.`,
      });
      if (flow.mode === 'live') flow.mode = 'diverged';
    }

    const expectedPosition = flow.lastPosition + 1;
    if (row.position !== expectedPosition) {
      const duplicate = row.position < expectedPosition;
      addFinding(step, row, index, {
        kind: duplicate ? 'position-duplicate' : 'position-gap',
        severity: 'error',
        rule: 'E4',
        expected: String(expectedPosition),
        actual: String(row.position),
        message: duplicate
          ? `Row ${rowName(placeOf(row, index))} repeats or goes back in its flow: the next position is ${expectedPosition}.`
          : `Row ${rowName(placeOf(row, index))} skips positions in its flow: the next position is ${expectedPosition}, so rows are missing.`,
      });
      if (flow.mode === 'live') flow.mode = 'diverged';
    }
    flow.lastPosition = row.position;
    flow.lastSeq = row.seq;
    flow.lastAt = row.at;

    let final = false;
    if (flow.mode === 'live' && flow.machine !== null) {
      this.replayed += 1;
      const result = replayStep(flow.machine, flow.snapshot, flow.state, row, payload, this.memo ?? undefined);
      if (result.ok) {
        const context = result.snapshot.context as Record<string, unknown>;
        if (context !== flow.snapshot?.context) flow.tags = tagsOf(context, flow.tags);
        flow.snapshot = result.snapshot;
        final = result.final;
        step.context = context;
      } else {
        flow.mode = 'diverged';
        flow.snapshot = undefined;
        addFinding(step, row, index, {
          kind: 'replay-mismatch',
          severity: 'error',
          rule: 'E5',
          expected: result.expected,
          actual: result.actual,
          message: `Row ${rowName(placeOf(row, index))} does not replay through ${row.machineId}@${row.machineVersion} (${result.problem}): the machine requires ${result.expected}, the log holds ${result.actual}.`,
        });
      }
    }
    flow.state = row.toState;

    if (final) {
      step.ended = { state: row.toState, context: step.context ?? {} };
      this.open.delete(row.flowId);
      this.rememberClosed(row.flowId, { lastPosition: flow.lastPosition, state: flow.state });
      const summary = this.checkSummary(row.flowId, flow);
      if (summary !== NO_FINDINGS) step.findings = [...step.findings, ...summary];
    }
    return step;
  }

  /** Remembers a finished flow; past `recentClosed`, the one that finished first is forgotten. */
  private rememberClosed(flowId: string, closed: ClosedFlow): void {
    const oldest = this.closedOrder[this.closedNext];
    if (oldest !== undefined) this.closed.delete(oldest);
    this.closed.set(flowId, closed);
    this.closedOrder[this.closedNext] = flowId;
    this.closedNext = (this.closedNext + 1) % this.recentClosed;
  }

  get openCount(): number {
    return this.open.size;
  }

  /** The flows that never reached a final state, in the order they started. */
  openFlows(): OpenFlowReport[] {
    return [...this.open.entries()].map(([flowId, flow]) => {
      const meta = flow.snapshot ? leafMeta(flow.snapshot) : {};
      return {
        flowId,
        machine: `${flow.machineId}@${flow.machineVersion}`,
        state: flow.state,
        lastSeq: flow.lastSeq,
        lastPosition: flow.lastPosition,
        lastAt: flow.lastAt,
        waitingFor: meta.waitsFor ?? null,
        effect: meta.effect ?? null,
        replayed: flow.mode === 'live',
      };
    });
  }

  /**
   * Compares a flow's entry in the flows table (one summary per flow, not hash-chained) with what
   * its rows say: the device's history (active provider, offline copies, R15, R17) is read from
   * that table, so an edit there changes what the engine believes. Findings have no row index.
   */
  private checkSummary(flowId: string, flow: OpenFlow): Finding[] {
    if (this.summaries === null) return NO_FINDINGS;
    const summary = this.summaries.lookup(flowId);
    if (summary === null) return [summaryMismatch(flowId, 'no entry; it should have state', flow.state, '(missing)')];
    this.checkedSummaries += 1;
    // Text is built only for a mismatch: nearly every entry agrees.
    let found = NO_FINDINGS;
    if (summary.machineId !== flow.machineId || summary.machineVersion !== flow.machineVersion) {
      const machine = `${flow.machineId}@${flow.machineVersion}`;
      found = withFinding(found, summaryMismatch(flowId, 'machine', machine, `${summary.machineId}@${summary.machineVersion}`));
    }
    if (summary.lastPosition !== undefined && summary.lastPosition !== flow.lastPosition) {
      found = withFinding(found, summaryMismatch(flowId, 'last position', String(flow.lastPosition), String(summary.lastPosition)));
    }
    if (summary.state !== undefined && summary.state !== flow.state) {
      found = withFinding(found, summaryMismatch(flowId, 'state', flow.state, summary.state));
    }
    if (flow.mode === 'live') {
      for (const field of TAG_FIELDS) {
        const tag = flow.tags[field];
        if (tag !== undefined && summary[field] !== tag) {
          found = withFinding(found, summaryMismatch(flowId, field, String(tag), String(summary[field] ?? 'none')));
        }
      }
    }
    return found;
  }

  /** After the last row: the open flows' entries, and entries of flows that have no rows. */
  finishSummaries(): Finding[] {
    if (this.summaries === null) return [];
    const found: Finding[] = [];
    for (const [flowId, flow] of this.open) found.push(...this.checkSummary(flowId, flow));
    const extra = this.summaries.count() - this.checkedSummaries;
    if (extra > 0) {
      const ids = this.summaries.withoutRows(10);
      found.push({
        kind: 'flows-table-mismatch',
        severity: 'error',
        rule: 'E4',
        expected: `${this.checkedSummaries} entries, one per flow with rows`,
        actual: `${this.summaries.count()} entries`,
        message: `The flows table has ${extra} entry(ies) for flows with no rows${ids.length > 0 ? ` (${ids.join(', ')})` : ''}: added by hand, or their rows were deleted.`,
      });
    }
    return found;
  }
}
