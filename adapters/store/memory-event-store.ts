/**
 * The EventStore port in memory: plain arrays, for tests and browsers (no persistence).
 *
 * Same semantics as the SQLite store: positions checked per flow (a wrong one answers
 * `position-conflict` with the expected position), one hash chain over the whole log, tags merged
 * (an undefined tag keeps the old value), flows listed in creation order, a malformed record
 * rejected with a TypeError. Rows are copied in and out, so callers cannot edit the log through a
 * returned object. Browser-safe.
 */
import {
  GENESIS_HASH,
  type AppendResult,
  type EventStore,
  type FlowFilter,
  type FlowSummary,
  type FlowTags,
  type StoredRow,
  type TransitionRecord,
} from '../../src/ports/event-store.ts';
import { hashRow, recordProblem, storedRow, tagsProblem } from '../../src/log/row-hash.ts';

export type MemoryEventStore = EventStore;

const FILTER_FIELDS = ['machineId', 'provider', 'account', 'walletId', 'state'] as const;

function mergeTags(summary: FlowSummary, previous: FlowTags | undefined, tags: FlowTags): FlowSummary {
  for (const field of ['provider', 'account', 'walletId'] as const) {
    const value = tags[field] ?? previous?.[field];
    if (value !== undefined) summary[field] = value;
  }
  const epoch = tags.epoch ?? previous?.epoch;
  if (epoch !== undefined) summary.epoch = epoch;
  return summary;
}

/** A fresh, empty in-memory event log. */
export function openMemoryEventStore(): MemoryEventStore {
  const rows: StoredRow[] = [];
  const flows = new Map<string, FlowSummary>();
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new Error('The event store is closed');
  }

  return {
    async append(record: TransitionRecord, tags?: FlowTags): Promise<AppendResult> {
      assertOpen();
      const problem = recordProblem(record) ?? tagsProblem(tags);
      if (problem !== null) throw new TypeError(`Invalid transition record: ${problem}`);
      const previous = flows.get(record.flowId);
      const expectedPosition = previous === undefined ? 0 : previous.lastPosition + 1;
      if (record.position !== expectedPosition) return { ok: false, reason: 'position-conflict', expectedPosition };
      const prevHash = rows[rows.length - 1]?.hash ?? GENESIS_HASH;
      const row = storedRow(record, rows.length + 1, prevHash, hashRow(prevHash, record));
      rows.push(row);
      flows.set(
        record.flowId,
        mergeTags(
          {
            flowId: record.flowId,
            machineId: record.machineId,
            machineVersion: record.machineVersion,
            state: record.toState,
            lastPosition: record.position,
            startedAt: previous?.startedAt ?? record.at,
            updatedAt: record.at,
          },
          previous,
          tags ?? {},
        ),
      );
      return { ok: true, row: { ...row } };
    },

    async readFlow(flowId) {
      assertOpen();
      return rows.filter((row) => row.flowId === flowId).map((row) => ({ ...row }));
    },

    async *readAll() {
      assertOpen();
      for (let i = 0; i < rows.length; i++) yield { ...rows[i]! };
    },

    async flows(filter: FlowFilter = {}) {
      assertOpen();
      const result: FlowSummary[] = [];
      for (const summary of flows.values()) {
        if (FILTER_FIELDS.every((field) => filter[field] === undefined || summary[field] === filter[field])) {
          result.push({ ...summary });
        }
      }
      return result;
    },

    async close() {
      closed = true;
    },
  };
}
