/**
 * The JSONL export of the event log: one row per line, every column of the `events` table under
 * its SQL name, in schema order:
 *
 *   {"seq":1,"flow_id":"...","position":0,"machine_id":"backup","machine_version":1,
 *    "from_state":null,"event_type":"xstate.init","payload":"{...}","to_state":"\"checkingMnemonic\"",
 *    "at":"2026-...Z","prev_hash":"000...","hash":"..."}
 *
 * Values are exactly the stored ones (payload and states stay JSON text), so `audit --from-jsonl`
 * recomputes the same hashes.
 *
 * The export goes to stdout when there is no --out, so a terminal may print it: the DEL, C1 and
 * format characters (bidi overrides...) that JSON.stringify leaves raw in a wallet name are
 * written as \u escapes (jsonTerminalSafe). JSON.parse reads the very same strings back.
 *
 * Reading an export back is bounded per line, while reading (jsonlLines): a line over
 * MAX_JSONL_LINE_BYTES ends the read with JsonlLineTooLongError as soon as its bytes arrive, so a
 * 600 MB line (or a file with no line end at all) costs at most the cap plus one chunk of memory.
 * A line that is not UTF-8 is an unreadable row, never decoded lossily. Browser-safe.
 */
import type { StoredRow } from '../ports/event-store.ts';
import { jsonTerminalSafe } from '../text/terminal-safe.ts';
import type { UnreadableRow } from './audit-log.ts';
import { decodeUtf8Strict } from '../text/utf8.ts';

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

/**
 * The most bytes one line may take. A row is a transition of one flow: its payload is redacted
 * facts (ids, counts, a wallet list of a restore), a few KB at most; 1 MiB is far above any row the
 * engine writes and far below what could hurt.
 */
export const MAX_JSONL_LINE_BYTES = 1024 * 1024;

/** A line longer than the cap: `line` is its number (from 1). */
export class JsonlLineTooLongError extends Error {
  override readonly name = 'JsonlLineTooLongError';
  constructor(
    readonly line: number,
    readonly maxBytes: number,
  ) {
    super(`line ${line} is longer than ${maxBytes} bytes, the most one row of the log may take`);
  }
}

export interface JsonlLine {
  /** The line's number, from 1. */
  number: number;
  /** Its bytes, without the line end ('\n', or '\r\n'). */
  bytes: Uint8Array;
  /** How many bytes of the input were read up to the end of this line (for progress). */
  endOffset: number;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines ('\n'; a '\r' just before it is dropped), refusing a line
 * longer than maxLineBytes (JsonlLineTooLongError) as soon as that many bytes of it arrived.
 * A last line without a line end is a line.
 */
export async function* jsonlLines(chunks: AsyncIterable<Uint8Array>, maxLineBytes: number = MAX_JSONL_LINE_BYTES): AsyncGenerator<JsonlLine> {
  let pieces: Uint8Array[] = [];
  let pending = 0;
  let offset = 0;
  let number = 1;
  const line = (): JsonlLine => {
    let bytes = pieces.length === 1 ? pieces[0]! : concat(pieces, pending);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    return { number: number++, bytes, endOffset: offset };
  };
  for await (const chunk of chunks) {
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(LF, start);
      const stop = end === -1 ? chunk.length : end;
      // The cap counts the line's bytes without its '\n' (a '\r' before it may take one more).
      if (pending + (stop - start) > maxLineBytes + 1) throw new JsonlLineTooLongError(number, maxLineBytes);
      if (stop > start) pieces.push(chunk.slice(start, stop));
      pending += stop - start;
      if (end === -1) {
        offset += chunk.length - start;
        break;
      }
      offset += stop - start + 1;
      const done = line();
      if (done.bytes.length > maxLineBytes) throw new JsonlLineTooLongError(done.number, maxLineBytes);
      yield done;
      pieces = [];
      pending = 0;
      start = end + 1;
    }
  }
  if (pending > 0) {
    const done = line();
    if (done.bytes.length > maxLineBytes) throw new JsonlLineTooLongError(done.number, maxLineBytes);
    yield done;
  }
}

function concat(pieces: readonly Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    joined.set(piece, at);
    at += piece.length;
  }
  return joined;
}

/** A line's bytes back to a row: null for a blank line, an UnreadableRow for bytes that are not UTF-8 or not a row. */
export function jsonlBytesToRow(bytes: Uint8Array): StoredRow | UnreadableRow | null {
  const text = decodeUtf8Strict(bytes, { ignoreBOM: true });
  if (text === null) return { unreadable: true, problem: 'not UTF-8 text' };
  if (text.trim() === '') return null;
  return jsonlToRow(text);
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
