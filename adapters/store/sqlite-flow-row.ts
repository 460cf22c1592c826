/**
 * A flow's summary as the SQL selects it (camel-cased aliases), and its mapping to the port's
 * FlowSummary: absent tags are left out rather than null. Shared by the store and the read-only
 * log reader.
 *
 * Schema v1 kept state, last position and update time in `flows`; from v2 they are the flow's last
 * row's (sqlite-migrations.ts), found through the UNIQUE(flow_id, position) index.
 */
import type { FlowSummary, FlowTags } from '../../src/ports/event-store.ts';
import type { FlowEntry } from '../../src/audit/flow-tracker.ts';

/** `SELECT … FROM …` of the summaries (schema v2 and later: f, the entry; e, the flow's last row); callers add WHERE and ORDER BY f.rowid. */
export const FLOW_SUMMARY_SELECT = `SELECT f.flow_id AS flowId, f.machine_id AS machineId, f.machine_version AS machineVersion,
  e.to_state AS state, e.position AS lastPosition, f.started_at AS startedAt, e.at AS updatedAt,
  f.provider AS provider, f.account AS account, f.wallet_id AS walletId, f.epoch AS epoch
  FROM flows f JOIN events e ON e.flow_id = f.flow_id
    AND e.position = (SELECT MAX(position) FROM events WHERE flow_id = f.flow_id)`;

/** The same for a schema v1 log, which kept state, last position and update time in `flows`. */
export const V1_FLOW_SUMMARY_SELECT = `SELECT f.flow_id AS flowId, f.machine_id AS machineId, f.machine_version AS machineVersion,
  f.state AS state, f.last_position AS lastPosition, f.started_at AS startedAt, f.updated_at AS updatedAt,
  f.provider AS provider, f.account AS account, f.wallet_id AS walletId, f.epoch AS epoch
  FROM flows f`;

/** A FlowSummary as the SQL returns it: a tag the flow does not have is a NULL column. */
export type FlowRow = Omit<FlowSummary, keyof FlowTags> & { [K in keyof FlowTags]-?: NonNullable<FlowTags[K]> | null };

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
  return withTags(summary, row);
}

/** The flows table's own columns (schema v2 and later): no state, position or update time. */
export type FlowEntryRow = Omit<FlowRow, 'state' | 'lastPosition' | 'updatedAt'>;

/** The columns of a flow's entry alone (v2 and later), as FlowEntryRow names them. */
export const FLOW_ENTRY_COLUMNS = `flow_id AS flowId, machine_id AS machineId, machine_version AS machineVersion,
  started_at AS startedAt, provider, account, wallet_id AS walletId, epoch`;

/** `SELECT … FROM flows` of a flow's entry alone (v2 and later); callers add WHERE. */
export const FLOW_ENTRY_SELECT = `SELECT ${FLOW_ENTRY_COLUMNS} FROM flows`;

export function toEntry(row: FlowEntryRow): FlowEntry {
  return withTags({ flowId: row.flowId, machineId: row.machineId, machineVersion: row.machineVersion, startedAt: row.startedAt }, row);
}

function withTags<T extends Partial<FlowSummary>>(summary: T, row: Pick<FlowRow, 'provider' | 'account' | 'walletId' | 'epoch'>): T {
  if (row.provider !== null) summary.provider = row.provider;
  if (row.account !== null) summary.account = row.account;
  if (row.walletId !== null) summary.walletId = row.walletId;
  if (row.epoch !== null) summary.epoch = row.epoch;
  return summary;
}
