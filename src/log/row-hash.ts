/**
 * Row hashing and chain verification for the event log (E4).
 *
 * INTEGRITY FORMAT v1. A row's hash is the lowercase hex SHA-256 of the UTF-8 bytes of
 *
 *   JSON.stringify([prevHash, flowId, position, machineId, machineVersion,
 *                   fromState, eventType, payload, toState, at])
 *
 * a JSON array of exactly these ten values in this order: strings as JSON strings, `position` and
 * `machineVersion` as JSON integers, `fromState` as a JSON string or `null`. `seq` is NOT hashed:
 * order is carried by the chain (each row's prevHash is the previous row's hash; the first row's is
 * GENESIS_HASH). Every stored log depends on this exact byte layout: changing anything here (field
 * order, encoding, hash function) breaks every existing chain and needs a schema migration that
 * re-verifies old rows under v1 and records where v2 starts.
 *
 * Strings must be well-formed UTF-16 (no lone surrogates): SQLite would store U+FFFD instead and the
 * stored row would no longer match its hash, so such records are refused up front.
 *
 * Browser-safe: @noble/hashes and TextEncoder only.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { GENESIS_HASH, type FlowTags, type StoredRow, type TransitionRecord } from '../ports/event-store.ts';
import { encodeUtf8 } from '../text/utf8.ts';

export const ROW_HASH_FORMAT_VERSION = 1;

const HASH_RE = /^[0-9a-f]{64}$/;
/** With the `u` flag a surrogate class matches only *unpaired* surrogates. */
const LONE_SURROGATE_RE = /[\uD800-\uDFFF]/u;

function isWellFormedString(value: unknown): value is string {
  return typeof value === 'string' && !LONE_SURROGATE_RE.test(value);
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Names what is wrong with a record, or returns null when it can be hashed and stored. */
export function recordProblem(record: TransitionRecord): string | null {
  if (record === null || typeof record !== 'object') return 'the record is not an object';
  const strings = ['flowId', 'machineId', 'eventType', 'payload', 'toState', 'at'] as const;
  for (const field of strings) {
    if (!isWellFormedString(record[field])) return `${field} must be a well-formed string`;
  }
  if (record.flowId === '') return 'flowId must not be empty';
  if (record.eventType === '') return 'eventType must not be empty';
  if (record.fromState !== null && !isWellFormedString(record.fromState)) {
    return 'fromState must be a well-formed string or null';
  }
  if (!isIndex(record.position)) return 'position must be a non-negative safe integer';
  if (!isIndex(record.machineVersion)) return 'machineVersion must be a non-negative safe integer';
  return null;
}

/** Names what is wrong with flow tags, or returns null when they can be stored. */
export function tagsProblem(tags: FlowTags | undefined): string | null {
  if (tags === undefined) return null;
  if (tags === null || typeof tags !== 'object') return 'tags must be an object';
  for (const field of ['provider', 'account', 'walletId'] as const) {
    const value = tags[field];
    if (value !== undefined && !isWellFormedString(value)) return `tags.${field} must be a well-formed string`;
  }
  if (tags.epoch !== undefined && !isIndex(tags.epoch)) return 'tags.epoch must be a non-negative safe integer';
  return null;
}

/** The v1 canonical text of a row (see the module header). No validation; audit hashes it with its own SHA-256. */
export function canonicalText(prevHash: unknown, r: TransitionRecord): string {
  return JSON.stringify([
    prevHash,
    r.flowId,
    r.position,
    r.machineId,
    r.machineVersion,
    r.fromState,
    r.eventType,
    r.payload,
    r.toState,
    r.at,
  ]);
}

/**
 * canonicalText, or null for a row JSON cannot render: a BigInt or a cycle where a value should
 * be, as a foreign store may hand back (JSON.stringify's TypeError). Other errors are thrown.
 */
export function canonicalTextOrNull(prevHash: unknown, r: TransitionRecord): string | null {
  try {
    return canonicalText(prevHash, r);
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}

/** SHA-256 of a row's canonical text (UTF-8), as lowercase hex: the row hash (@noble/hashes). */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(encodeUtf8(text)));
}

const digest = sha256Hex;

/**
 * The v1 hash of a record chained to `prevHash`. Throws a TypeError naming the field when the
 * record or prevHash is malformed (a programming error, never a runtime condition).
 */
export function hashRow(prevHash: string, record: TransitionRecord): string {
  if (typeof prevHash !== 'string' || !HASH_RE.test(prevHash)) {
    throw new TypeError('Invalid transition record: prevHash must be 64 lowercase hex digits');
  }
  const problem = recordProblem(record);
  if (problem !== null) throw new TypeError(`Invalid transition record: ${problem}`);
  return digest(canonicalText(prevHash, record));
}

/**
 * The stored row for a record: exactly the record's columns (a record carrying extra fields does
 * not smuggle them into the log), with its place in the log and its chain hashes.
 */
export function storedRow(record: TransitionRecord, seq: number, prevHash: string, hash: string): StoredRow {
  return {
    seq,
    flowId: record.flowId,
    position: record.position,
    machineId: record.machineId,
    machineVersion: record.machineVersion,
    fromState: record.fromState,
    eventType: record.eventType,
    payload: record.payload,
    toState: record.toState,
    at: record.at,
    prevHash,
    hash,
  };
}

export type ChainProblem = 'hash-mismatch' | 'prev-hash-mismatch' | 'position-gap' | 'position-duplicate';

interface ChainBreakAt {
  ok: false;
  /** The first row found broken. */
  seq: number;
  position: number;
  flowId: string;
}

/**
 * Where and how a chain breaks. For hash problems `expected` is the hash the chain requires
 * (recomputed, or the previous row's) and `actual` the stored one; for position problems they are
 * the flow's next position and the row's position.
 */
export type ChainBreak = ChainBreakAt &
  (
    | { problem: 'hash-mismatch' | 'prev-hash-mismatch'; expected: string; actual: string }
    | { problem: 'position-gap' | 'position-duplicate'; expected: number; actual: number }
  );

export type ChainVerification = { ok: true; rows: number } | ChainBreak;

/** Stands in for a recomputed hash when a (tampered) row cannot even be serialised. */
const UNHASHABLE = '(row cannot be hashed)';

/**
 * Verifies rows in log (seq) order, streaming: constant memory apart from a map
 * flowId → last position. Per row, in this order: prevHash equals the previous row's hash
 * (GENESIS_HASH for the first row), the hash recomputes, and the flow's positions continue
 * 0, 1, 2, ... Stops at the first break.
 *
 * Limit: a chain cannot show that rows were cut off its *end*; compare the head hash with one
 * kept elsewhere to detect that.
 */
export async function verifyChain(
  rows: AsyncIterable<StoredRow> | Iterable<StoredRow>,
): Promise<ChainVerification> {
  const lastPositions = new Map<string, number>();
  let previousHash = GENESIS_HASH;
  let count = 0;
  for await (const row of rows) {
    const at = { ok: false as const, seq: row.seq, position: row.position, flowId: row.flowId };
    if (row.prevHash !== previousHash) {
      return { ...at, problem: 'prev-hash-mismatch', expected: previousHash, actual: row.prevHash };
    }
    const text = canonicalTextOrNull(row.prevHash, row);
    const recomputed = text === null ? UNHASHABLE : digest(text);
    if (recomputed !== row.hash) {
      return { ...at, problem: 'hash-mismatch', expected: recomputed, actual: row.hash };
    }
    const last = lastPositions.get(row.flowId);
    const expectedPosition = last === undefined ? 0 : last + 1;
    if (row.position !== expectedPosition) {
      const duplicate = last !== undefined && row.position <= last;
      return {
        ...at,
        problem: duplicate ? 'position-duplicate' : 'position-gap',
        expected: expectedPosition,
        actual: row.position,
      };
    }
    lastPositions.set(row.flowId, row.position);
    previousHash = row.hash;
    count += 1;
  }
  return { ok: true, rows: count };
}
