/**
 * The inspector's view of the event log, as JSON for the page: the flows (filtered by account,
 * wallet, machine and outcome, with the values each filter can take) and one flow's rows, each
 * with its redacted payload, time, hash-chain status and where it sits on the machine's diagram
 * (active state ids, the edges taken). Payloads are the redacted ones the log holds, passed
 * through the engine's redaction allowlist once more in case the log did not come from it.
 */
import type { AnyStateMachine, StateValue } from 'xstate';
import { findMachine } from '../../machines/registry.ts';
import type { EventStore, FlowSummary, StoredRow } from '../ports/event-store.ts';
import { createRedactor } from '../log/redact.ts';
import { LOGGED_EVENT_FIELDS } from '../engine/redaction-rules.ts';
import { checkLogChain, type RowChainStatus } from './chain-status.ts';
import { activeNodeIds, leafIds, outcomeOf, takenEdgeIds } from './state-ids.ts';

/** 'open': the flow's last state is not final (it waits, or the app stopped mid-flow). */
export type FlowOutcome = 'done' | 'cancelled' | 'failed' | 'open';

export interface FlowQuery {
  account?: string;
  wallet?: string;
  machine?: string;
  outcome?: string;
}

export interface FlowItem {
  flowId: string;
  machineId: string;
  machineVersion: number;
  provider: string | null;
  account: string | null;
  walletId: string | null;
  epoch: number | null;
  state: StateValue | null;
  outcome: FlowOutcome;
  transitions: number;
  startedAt: string;
  updatedAt: string;
}

export interface FlowFacets {
  accounts: string[];
  wallets: string[];
  machines: string[];
  outcomes: FlowOutcome[];
}

export interface RowView {
  seq: number;
  position: number;
  event: string;
  payload: Record<string, unknown>;
  from: StateValue | null;
  to: StateValue | null;
  at: string;
  hash: string;
  prevHash: string;
  chain: RowChainStatus;
  /** Diagram ids: every active node after the row, its leaves, and the edges it took. */
  activeIds: string[];
  leafIds: string[];
  edgeIds: string[];
}

export interface FlowDetail {
  flow: FlowItem;
  /** False when the flow's machine version is not in machines/registry.ts (no diagram). */
  known: boolean;
  rows: RowView[];
  chain: { ok: boolean; rows: number; brokenAt: number | null; problem: string | null };
}

const redact = createRedactor(LOGGED_EVENT_FIELDS);

function parseState(text: string | null): StateValue | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as StateValue;
  } catch (error) {
    // An edited row's state that is not JSON: shown as no state (the chain status says it was edited).
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

function machineOf(flow: { machineId: string; machineVersion: number }): AnyStateMachine | null {
  const found = findMachine(flow.machineId, flow.machineVersion);
  return found.ok ? found.machine : null;
}

function toItem(flow: FlowSummary): FlowItem {
  const state = parseState(flow.state);
  const machine = machineOf(flow);
  const outcome = (machine ? outcomeOf(machine, state) : null) as FlowOutcome | null;
  return {
    flowId: flow.flowId,
    machineId: flow.machineId,
    machineVersion: flow.machineVersion,
    provider: flow.provider ?? null,
    account: flow.account ?? null,
    walletId: flow.walletId ?? null,
    epoch: flow.epoch ?? null,
    state,
    outcome: outcome ?? 'open',
    transitions: flow.lastPosition + 1,
    startedAt: flow.startedAt,
    updatedAt: flow.updatedAt,
  };
}

function distinct(values: Array<string | null>): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))].sort();
}

export async function listFlows(store: EventStore, query: FlowQuery): Promise<{ flows: FlowItem[]; facets: FlowFacets }> {
  const all = (await store.flows()).map(toItem);
  const flows = all.filter(
    (f) =>
      (!query.account || f.account === query.account) &&
      (!query.wallet || f.walletId === query.wallet) &&
      (!query.machine || f.machineId === query.machine) &&
      (!query.outcome || f.outcome === query.outcome),
  );
  const facets: FlowFacets = {
    accounts: distinct(all.map((f) => f.account)),
    wallets: distinct(all.map((f) => f.walletId)),
    machines: distinct(all.map((f) => f.machineId)),
    outcomes: distinct(all.map((f) => f.outcome)) as FlowOutcome[],
  };
  // Newest first: the flow someone just ran is the one they look for.
  flows.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  return { flows, facets };
}

function payloadOf(row: StoredRow): Record<string, unknown> {
  try {
    const parsed = JSON.parse(row.payload) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return redact({ ...(parsed as Record<string, unknown>), type: row.eventType });
  } catch (error) {
    if (error instanceof SyntaxError) return { unreadable: true };
    throw error;
  }
}

function rowView(row: StoredRow, machine: AnyStateMachine | null, chain: RowChainStatus): RowView {
  const from = parseState(row.fromState);
  const to = parseState(row.toState);
  const active = machine ? activeNodeIds(machine, to) : [];
  return {
    seq: row.seq,
    position: row.position,
    event: row.eventType,
    payload: payloadOf(row),
    from,
    to,
    at: row.at,
    hash: row.hash,
    prevHash: row.prevHash,
    chain,
    activeIds: active,
    leafIds: leafIds(active),
    edgeIds: machine && to !== null && row.fromState !== null ? takenEdgeIds(machine, from, row.eventType, to) : [],
  };
}

/** One flow's detail, or null when no flow has this id. */
export async function flowDetail(store: EventStore, flowId: string): Promise<FlowDetail | null> {
  const summary = (await store.flows()).find((f) => f.flowId === flowId);
  if (!summary) return null;
  const [rows, chain] = await Promise.all([store.readFlow(flowId), checkLogChain(store)]);
  const machine = machineOf(summary);
  const verdict = chain.verdict;
  return {
    flow: toItem(summary),
    known: machine !== null,
    rows: rows.map((row) => rowView(row, machine, chain.statuses.get(row.seq) ?? 'hash-mismatch')),
    chain: verdict.ok
      ? { ok: true, rows: verdict.rows, brokenAt: null, problem: null }
      : { ok: false, rows: chain.statuses.size, brokenAt: verdict.seq, problem: verdict.problem },
  };
}
