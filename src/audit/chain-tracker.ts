/**
 * The hash chain, one row at a time (E4): seq follows the previous row's (1, 2, 3, ...), the
 * row's prevHash is the previous row's hash (GENESIS_HASH for the first), and the row's content
 * gives its stored hash (INTEGRITY FORMAT v1, src/log/row-hash.ts).
 *
 * Memory: the previous row's hash and seq. After a break the check goes on from the stored
 * values (it re-synchronises), so one edited row yields one finding, not one per later row;
 * the first break is kept apart with its expected and actual hash. Browser-safe.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { GENESIS_HASH, type StoredRow } from '../ports/event-store.ts';
import { canonicalTextOrNull } from '../log/row-hash.ts';
import { NO_FINDINGS, placeOf, rowName, type Finding } from './findings.ts';
import { encodeUtf8 } from '../text/utf8.ts';

/**
 * A row as the chain reads it: with its v1 canonical text when its source built it already
 * (adapters/store/sqlite-log-reader.ts `auditRows`: SQLite renders it). That text must be exactly
 * `canonicalText(row.prevHash, row)`; a source that cannot promise it leaves it out.
 */
export type ChainRow = StoredRow & { readonly canonicalText?: string | undefined };

/** SHA-256 of a UTF-8 text, as lowercase hex. */
export type Digest = (text: string) => string;

export const nobleDigest: Digest = (text) => bytesToHex(sha256(encodeUtf8(text)));

/** Stands in for a recomputed hash when a (tampered) row cannot even be serialised. */
const UNHASHABLE = '(row cannot be hashed)';

export interface ChainState {
  rows: number;
  /** The last row's seq and hash: the log's head. */
  head: { seq: number; hash: string } | null;
  /** The first row's hash: names the log (checkpoints are filed under it). */
  logId: string | null;
  firstBreak: Finding | null;
  breaks: number;
}

export class ChainTracker {
  private previousHash = GENESIS_HASH;
  private previousSeq = 0;
  readonly state: ChainState = { rows: 0, head: null, logId: null, firstBreak: null, breaks: 0 };

  constructor(private readonly digest: Digest = nobleDigest) {}

  /** Checks one row; returns its findings (at most one per check). */
  push(row: ChainRow, index: number): Finding[] {
    const expectedSeq = this.previousSeq + 1;
    const text = row.canonicalText ?? canonicalTextOrNull(row.prevHash, row);
    const recomputed = text === null ? UNHASHABLE : this.digest(text);
    const intact = row.seq === expectedSeq && row.prevHash === this.previousHash && recomputed === row.hash;
    const found = intact ? NO_FINDINGS : this.findings(row, index, expectedSeq, recomputed);
    if (this.state.rows === 0) this.state.logId = row.hash;
    this.previousHash = row.hash;
    this.previousSeq = row.seq;
    this.state.rows += 1;
    this.state.head = { seq: row.seq, hash: row.hash };
    return found;
  }

  /** The findings of a row that does not fit the chain (at most one per check). */
  private findings(row: StoredRow, index: number, expectedSeq: number, recomputed: string): Finding[] {
    const found: Finding[] = [];
    const at = placeOf(row, index);
    if (row.seq !== expectedSeq) {
      const what = row.seq > expectedSeq ? `rows ${expectedSeq}..${row.seq - 1} are missing` : 'it repeats or goes back';
      found.push({
        ...at,
        kind: 'seq-gap',
        severity: 'error',
        rule: 'E4',
        expected: String(expectedSeq),
        actual: String(row.seq),
        message: `Row ${rowName(at)} follows seq ${this.previousSeq}: ${what}. Rows were deleted, added or moved.`,
      });
    }
    if (row.prevHash !== this.previousHash) {
      found.push({
        ...at,
        kind: 'prev-hash-mismatch',
        severity: 'error',
        rule: 'E4',
        expected: this.previousHash,
        actual: String(row.prevHash),
        message:
          `Row ${rowName(at)} does not chain to the row before it: its prev_hash is ${String(row.prevHash)}, ` +
          `the previous row's hash is ${this.previousHash}. A row before it was deleted, inserted or reordered, or this one was.`,
      });
    }
    if (recomputed !== row.hash) {
      found.push({
        ...at,
        kind: 'hash-mismatch',
        severity: 'error',
        rule: 'E4',
        expected: recomputed,
        actual: String(row.hash),
        message:
          `Row ${rowName(at)} was changed after it was written: its content hashes to ${recomputed}, ` +
          `but its stored hash is ${String(row.hash)}.`,
      });
    }
    this.state.breaks += 1;
    this.state.firstBreak ??= found[0]!;
    return found;
  }
}
