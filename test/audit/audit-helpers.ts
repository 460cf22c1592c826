/**
 * Helpers of the audit tests: synthetic histories (scripts/synthetic-log.ts, through the real
 * machines), checkpoints ("anchors") at a given row for every account that made backups, and
 * the first error finding of a report.
 */
import { auditLog, type AuditReport, type RowInput } from '../../src/audit/audit-log.ts';
import type { CheckpointEntry } from '../../src/audit/anchor-check.ts';
import type { Finding } from '../../src/audit/findings.ts';
import { sealCheckpoint } from '../../src/log/checkpoint.ts';
import type { StoredRow } from '../../src/ports/event-store.ts';
import { nobleDigest } from '../../src/audit/chain-tracker.ts';
import { chainRows, syntheticLog } from '../../scripts/synthetic-log.ts';

export function history(seed: number, rows: number, concurrency = 2): StoredRow[] {
  return syntheticLog({ seed, rows, concurrency, reuseStates: false }).rows;
}

const KEY = new Uint8Array(32).fill(7);

/**
 * Verified checkpoints naming `at` (a row of the log): one in every account the log made
 * backups in (so none is missing), and one in an account of its own (so there is always one).
 */
export async function anchorsAt(rows: readonly StoredRow[], at: StoredRow): Promise<CheckpointEntry[]> {
  const logId = rows[0]!.hash;
  const report = await auditLog(rows.slice(0, rows.indexOf(at) + 1));
  const places = report.history.accounts
    .filter((a) => a.account !== null && a.lastBackupSeq !== null)
    .map((a) => ({ provider: a.provider, account: a.account! }));
  places.push({ provider: 'icloud', account: 'anchor@example.com' });
  return places.map(({ provider, account }) => ({
    provider,
    account,
    path: `${provider}/${account}/wallet-backup/checkpoints/${logId}.json`,
    authenticity: 'verified' as const,
    checkpoint: sealCheckpoint(
      { logId, deviceId: 'synthetic-phone', provider, account, epoch: 1, seq: at.seq, flowId: at.flowId, position: at.position, hash: at.hash, writtenAt: at.at },
      KEY,
    ),
  }));
}

export function errors(report: AuditReport): Finding[] {
  return report.findings.filter((f) => f.severity === 'error');
}

export function firstError(report: AuditReport): Finding | undefined {
  return errors(report)[0];
}

export async function audit(rows: readonly RowInput[], checkpoints?: CheckpointEntry[]): Promise<AuditReport> {
  return auditLog(rows, checkpoints ? { checkpoints } : {});
}

/** A row's string fields, numbers and hashes: what a byte flip can hit. */
export const FIELDS = ['seq', 'flowId', 'position', 'machineId', 'machineVersion', 'fromState', 'eventType', 'payload', 'toState', 'at', 'prevHash', 'hash'] as const;
export type Field = (typeof FIELDS)[number];

/** The row with one bit of one byte of one field flipped (numbers: one bit of the value). Null when the field is null. */
export function flipByte(row: StoredRow, field: Field, byteChoice: number, bit: number): StoredRow | null {
  const value = row[field];
  if (value === null) return null;
  if (typeof value === 'number') return { ...row, [field]: value ^ (1 << (bit % 16)) };
  const bytes = new TextEncoder().encode(value);
  if (bytes.length === 0) return null;
  bytes[byteChoice % bytes.length]! ^= 1 << (bit % 8);
  const flipped = new TextDecoder().decode(bytes);
  return flipped === value ? null : { ...row, [field]: flipped };
}

/** Recomputes seq and every hash, as someone who edits rows and rebuilds the chain would. */
export function rechain(rows: readonly StoredRow[]): StoredRow[] {
  return [...chainRows(rows.map((record) => ({ record, tags: {} })), nobleDigest)];
}
