/**
 * The EventStore port: an append-only, hash-chained log of machine transitions (E4).
 *
 * One row per transition. Rows form one chain across the whole log in `seq` order: each row's
 * `prevHash` is the previous row's `hash` (the first row's is GENESIS_HASH). Within a flow,
 * `position` starts at 0 (the machine's initial transition, event 'xstate.init') and has no gaps.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** A row as the engine hands it to the store: no seq, no hashes yet. */
export interface TransitionRecord {
  flowId: string;
  position: number;
  machineId: string;
  machineVersion: number;
  /** JSON of the XState state value before the event; null for position 0. */
  fromState: string | null;
  eventType: string;
  /** JSON of the redacted event payload (no secret, see src/log/redact.ts). */
  payload: string;
  /** JSON of the XState state value after the event. */
  toState: string;
  /** ISO-8601 UTC time of the transition. */
  at: string;
}

export interface StoredRow extends TransitionRecord {
  seq: number;
  prevHash: string;
  hash: string;
}

/** Non-secret facts about a flow, kept beside its rows so history queries need no full scan. */
export interface FlowTags {
  provider?: string;
  account?: string;
  walletId?: string;
  epoch?: number;
}

export interface FlowSummary extends FlowTags {
  flowId: string;
  machineId: string;
  machineVersion: number;
  /** JSON state value of the flow's last row. */
  state: string;
  lastPosition: number;
  startedAt: string;
  updatedAt: string;
}

export interface FlowFilter {
  machineId?: string;
  provider?: string;
  account?: string;
  walletId?: string;
  /** Only flows whose last state equals this JSON state value. */
  state?: string;
}

export type AppendResult =
  | { ok: true; row: StoredRow }
  | { ok: false; reason: 'position-conflict'; expectedPosition: number };

export interface EventStore {
  /**
   * Appends one row in one transaction: checks that `record.position` is the flow's next
   * position (0 for a new flow), chains it to the log's last row, merges `tags` into the
   * flow's summary. Durable when it resolves.
   */
  append(record: TransitionRecord, tags?: FlowTags): Promise<AppendResult>;
  /** A flow's rows in position order. */
  readFlow(flowId: string): Promise<StoredRow[]>;
  /** Every row in seq order, streamed. */
  readAll(): AsyncIterable<StoredRow>;
  flows(filter?: FlowFilter): Promise<FlowSummary[]>;
  close(): Promise<void>;
}
