/**
 * The JSONL export of the event log: one row per line, every column of the `events` table under
 * its SQL name, in schema order:
 *
 *   {"seq":1,"flow_id":"...","position":0,"machine_id":"backup","machine_version":1,
 *    "from_state":null,"event_type":"xstate.init","payload":"{...}","to_state":"\"checkingMnemonic\"",
 *    "at":"2026-...Z","prev_hash":"000...","hash":"..."}
 *
 * Values are exactly the stored ones (payload and states stay JSON text), so `audit --from-jsonl`
 * recomputes the same hashes. Browser-safe.
 *
 * The export goes to stdout when there is no --out, so a terminal may print it: the DEL, C1 and
 * format characters (bidi overrides...) that JSON.stringify leaves raw in a wallet name are
 * written as \u escapes (jsonTerminalSafe). JSON.parse reads the very same strings back.
 */
import type { StoredRow } from '../ports/event-store.ts';
import { jsonTerminalSafe } from '../text/terminal-safe.ts';
import type { UnreadableRow } from './audit-log.ts';

export const JSONL_COLUMNS = [
  'seq',
  'flow_id',
  'position',
  'machine_id',
  'machine_version',
  'from_state',
  'event_type',
  'payload',
  'to_state',
  'at',
  'prev_hash',
  'hash',
] as const;

/** One row as one line of JSONL (no trailing newline). */
export function rowToJsonl(row: StoredRow): string {
  const line = JSON.stringify({
    seq: row.seq,
    flow_id: row.flowId,
    position: row.position,
    machine_id: row.machineId,
    machine_version: row.machineVersion,
    from_state: row.fromState,
    event_type: row.eventType,
    payload: row.payload,
    to_state: row.toState,
    at: row.at,
    prev_hash: row.prevHash,
    hash: row.hash,
  });
  return jsonTerminalSafe(line);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Reads one line back; anything that is not exactly a row is an UnreadableRow naming why. */
export function jsonlToRow(line: string): StoredRow | UnreadableRow {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { unreadable: true, problem: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { unreadable: true, problem: 'not a JSON object' };
  const v = value as Record<string, unknown>;
  const missing = JSONL_COLUMNS.filter((column) => !Object.hasOwn(v, column));
  if (missing.length > 0) return { unreadable: true, problem: `missing column(s) ${missing.join(', ')}` };
  const extra = Object.keys(v).filter((key) => !(JSONL_COLUMNS as readonly string[]).includes(key));
  if (extra.length > 0) return { unreadable: true, problem: `unknown column(s) ${extra.join(', ')}` };
  for (const column of ['seq', 'position', 'machine_version'] as const) {
    if (!isInt(v[column])) return { unreadable: true, problem: `${column} must be a whole number` };
  }
  for (const column of ['flow_id', 'machine_id', 'event_type', 'payload', 'to_state', 'at', 'prev_hash', 'hash'] as const) {
    if (typeof v[column] !== 'string') return { unreadable: true, problem: `${column} must be a string` };
  }
  if (v.from_state !== null && typeof v.from_state !== 'string') return { unreadable: true, problem: 'from_state must be a string or null' };
  return {
    seq: v.seq as number,
    flowId: v.flow_id as string,
    position: v.position as number,
    machineId: v.machine_id as string,
    machineVersion: v.machine_version as number,
    fromState: v.from_state as string | null,
    eventType: v.event_type as string,
    payload: v.payload as string,
    toState: v.to_state as string,
    at: v.at as string,
    prevHash: v.prev_hash as string,
    hash: v.hash as string,
  };
}
