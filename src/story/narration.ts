/**
 * One readable line per logged transition, and a summary of a whole log: what `npm start`
 * prints. Reads only what the log holds, so it shows exactly what an auditor would see; what
 * it quotes from the log is shown with terminalSafe (a row's line is one field).
 */
import type { EventStore, StoredRow } from '../ports/event-store.ts';
import { checkLog } from '../log/check-log.ts';
import { safe, terminalSafe } from '../text/terminal-safe.ts';

/** A state value as a dotted path: {"uploading":"storageFull"} -> uploading.storageFull. */
export function stateLabel(json: string | null): string {
  if (json === null) return '(start)';
  const walk = (value: unknown): string =>
    typeof value === 'string'
      ? value
      : Object.entries(value as Record<string, unknown>)
          .map(([key, child]) => `${key}.${walk(child)}`)
          .join(',');
  return walk(JSON.parse(json));
}

function payloadLabel(payload: string): string {
  const fields = JSON.parse(payload) as Record<string, unknown>;
  const entries = Object.entries(fields).filter(([, v]) => v !== null && v !== false && !(Array.isArray(v) && v.length === 0));
  if (entries.length === 0) return '';
  return ` {${entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ')}}`;
}

export function narrateRow(row: StoredRow, flowNumber: number): string {
  const flow = `${row.machineId}#${flowNumber}`.padEnd(17);
  const event = row.eventType === 'xstate.init' ? 'start' : row.eventType;
  return terminalSafe(`${flow} ${String(row.position).padStart(2)}  ${stateLabel(row.fromState)} --${event}${payloadLabel(row.payload)}--> ${stateLabel(row.toState)}`);
}

export async function summarizeLog(store: EventStore): Promise<string[]> {
  const check = await checkLog(store);
  const flows = await store.flows();
  const byMachine = new Map<string, Map<string, number>>();
  for (const flow of flows) {
    const outcomes = byMachine.get(flow.machineId) ?? new Map<string, number>();
    const state = stateLabel(flow.state);
    outcomes.set(state, (outcomes.get(state) ?? 0) + 1);
    byMachine.set(flow.machineId, outcomes);
  }
  const lines = [`${check.rows} transitions in ${check.flows} flows.`];
  for (const [machine, outcomes] of byMachine) {
    lines.push(safe`  ${machine}: ${[...outcomes].map(([state, n]) => `${n} ${state}`).join(', ')}`);
  }
  lines.push(
    check.chain.ok
      ? `Hash chain: intact over ${check.chain.rows} rows (E4).`
      : `Hash chain: BROKEN at row ${check.chain.seq} (${check.chain.problem}).`,
  );
  lines.push(
    check.replayFailures.length === 0
      ? 'Replay: every flow reaches the same states through the pure machines (E5).'
      : safe`Replay: ${check.replayFailures.length} flows differ: ${check.replayFailures.map((f) => f.flowId).join(', ')}.`,
  );
  return lines;
}
