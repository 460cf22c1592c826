/**
 * `wallet-backup history`: the flows in this device's event log and each one's transitions
 * (E4), as tables: which machine and version ran, for which provider, account and wallet, where
 * it ended; then every transition: from → EVENT(payload) → to, and its time. Payloads are the redacted
 * ones the log holds: no secret is ever in them (R6).
 */
import { openSqliteEventStoreForReading } from '../../adapters/store/sqlite-event-store.ts';
import type { FlowSummary, StoredRow } from '../ports/event-store.ts';
import { CliError } from './cli-error.ts';
import { requireLog } from './log-presence.ts';
import type { CommandIo, CommandReport } from './command-io.ts';
import type { DbOption } from './options.ts';
import { renderTable, shortTime, statePath } from './tables.ts';
import { safe } from '../text/terminal-safe.ts';

export interface HistoryOptions extends DbOption {
  flow?: string;
}

const SHORT_ID = 8;
const MAX_VALUE_CHARS = 60;
/** Wide enough for most events on one line; long payloads wrap instead of widening the table. */
const EVENT_WIDTH = 60;

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** EVENT(key=value, ...) from a row's redacted payload. */
function eventText(row: StoredRow): string {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  const fields = Object.entries(payload)
    .filter(([key, value]) => key !== 'type' && value !== null)
    .map(([key, value]) => `${key}=${shown(value)}`);
  return `${row.eventType}(${fields.join(', ')})`;
}

function flowRow(flow: FlowSummary): string[] {
  return [
    flow.flowId.slice(0, SHORT_ID),
    `${flow.machineId}@${flow.machineVersion}`,
    flow.provider ?? '',
    flow.account ?? '',
    flow.walletId ?? '',
    statePath(flow.state),
    shortTime(flow.startedAt),
  ];
}

function transitionRows(rows: StoredRow[]): string[][] {
  return rows.map((row) => [String(row.position), statePath(row.fromState), eventText(row), statePath(row.toState), shortTime(row.at)]);
}

function pickFlows(flows: FlowSummary[], wanted: string | undefined): FlowSummary[] {
  if (wanted === undefined) return flows;
  const matches = flows.filter((f) => f.flowId === wanted || f.flowId.startsWith(wanted));
  if (matches.length === 1) return matches;
  const problem = matches.length === 0 ? `No flow ${wanted} in the event log.` : `Flow id ${wanted} is ambiguous: ${matches.map((f) => f.flowId).join(', ')}.`;
  throw new CliError('bad-flags', { problem: `${problem} "wallet-backup history" lists the flow ids.` });
}

export async function historyCommand(options: HistoryOptions, _io: CommandIo): Promise<CommandReport> {
  // Reading history must not create a log where there is none.
  requireLog(options.db, 'show');
  let store;
  try {
    store = openSqliteEventStoreForReading(options.db);
  } catch (error) {
    throw new CliError('unreadable-file', { what: 'event log', path: options.db, cause: (error as Error).message });
  }
  try {
    const flows = pickFlows(await store.flows(), options.flow);
    const withRows = await Promise.all(flows.map(async (flow) => ({ flow, rows: await store.readFlow(flow.flowId) })));
    const lines: string[] = [];
    if (flows.length === 0) lines.push('No flows recorded yet.');
    else lines.push(renderTable(['Flow', 'Machine', 'Provider', 'Account', 'Wallet', 'Final state', 'Started'], flows.map(flowRow)));
    for (const { flow, rows } of withRows) {
      lines.push('', safe`Flow ${flow.flowId} (${flow.machineId}@${flow.machineVersion}):`);
      lines.push(renderTable(['#', 'From', '→ Event(payload)', '→ To', 'Time'], transitionRows(rows), [null, null, EVENT_WIDTH, null, null]));
    }
    const json = withRows.map(({ flow, rows }) => ({
      ...flow,
      state: JSON.parse(flow.state) as unknown,
      transitions: rows.map((row) => ({
        position: row.position,
        from: row.fromState === null ? null : (JSON.parse(row.fromState) as unknown),
        event: row.eventType,
        payload: JSON.parse(row.payload) as unknown,
        to: JSON.parse(row.toState) as unknown,
        at: row.at,
        hash: row.hash,
      })),
    }));
    return { lines, warnings: [], json: { flows: json } };
  } finally {
    await store.close();
  }
}
