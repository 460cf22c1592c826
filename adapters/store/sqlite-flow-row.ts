/**
 * A row of the `flows` table as the SQL selects it (camel-cased aliases), and its mapping to the
 * port's FlowSummary: absent tags are left out rather than null. Shared by the store and the
 * read-only log reader.
 */
import type { FlowSummary } from '../../src/ports/event-store.ts';

export interface FlowRow {
  flowId: string;
  machineId: string;
  machineVersion: number;
  state: string;
  lastPosition: number;
  startedAt: string;
  updatedAt: string;
  provider: string | null;
  account: string | null;
  walletId: string | null;
  epoch: number | null;
}

export function toSummary(row: FlowRow): FlowSummary {
  const summary: FlowSummary = {
    flowId: row.flowId,
    machineId: row.machineId,
    machineVersion: row.machineVersion,
    state: row.state,
    lastPosition: row.lastPosition,
    startedAt: row.startedAt,
    updatedAt: row.updatedAt,
  };
  if (row.provider !== null) summary.provider = row.provider;
  if (row.account !== null) summary.account = row.account;
  if (row.walletId !== null) summary.walletId = row.walletId;
  if (row.epoch !== null) summary.epoch = row.epoch;
  return summary;
}
