/**
 * Anchoring: the local log against the checkpoints the engine wrote into the cloud after each
 * completed backup (src/log/checkpoint.ts). For each account, the newest checkpoint of THIS log
 * (same logId: the first row's hash) names a row by seq and hash; audit checks that the row is
 * still there with that hash. Then a log cut after the checkpoint (`checkpoint-cut`) or
 * rewritten up to it, even with every hash recomputed (`checkpoint-rewritten`), is caught.
 *
 * Which checkpoints count is decided before the rows stream (the caller reads and, given the
 * password, authenticates them); the comparison runs as the rows go by. Browser-safe.
 */
import type { StoredRow } from '../ports/event-store.ts';
import type { Checkpoint } from '../log/checkpoint.ts';
import { rowName, type Finding } from './findings.ts';
import type { AuditHistory } from './history.ts';

export type Authenticity = 'verified' | 'forged' | 'unverified';

/** A checkpoint file found in the cloud, as the caller read it. */
export interface CheckpointEntry {
  provider: string;
  account: string;
  /** Where it was read, for messages. */
  path: string;
  checkpoint: Checkpoint | null;
  /** Why it could not be read (checkpoint null). */
  problem?: string;
  authenticity: Authenticity;
  /** Why authenticity is 'unverified' (no password given, the password does not open that epoch...). */
  note?: string;
}

export interface CheckpointResult {
  provider: string;
  account: string;
  path: string;
  seq: number;
  hash: string;
  writtenAt: string;
  epoch: number;
  authenticity: Authenticity;
  note: string | null;
  /** ok: the log still holds the row; cut / rewritten: it does not; pending: not reached (an internal state). */
  status: 'ok' | 'cut' | 'rewritten' | 'forged' | 'pending';
}

const accountKey = (provider: string, account: string) => `${provider}\u0000${account}`;

export class AnchorCheck {
  private pending: Array<{ entry: CheckpointEntry; checkpoint: Checkpoint; result: CheckpointResult }> = [];
  readonly results: CheckpointResult[] = [];
  /** Newest checkpoint of this log per account (forged ones excluded). */
  private readonly newest = new Map<string, Checkpoint>();
  private started = false;
  /** Checkpoints of other logs, kept to tell a reinstall from a log rewritten from its first row. */
  private others: CheckpointEntry[] = [];
  /** Device ids the log's flows name (xstate.init payloads), and when the log starts. */
  private readonly devices = new Set<string>();
  private firstAt: string | null = null;

  constructor(private readonly entries: readonly CheckpointEntry[]) {}

  /** Called with the log's first row (its hash is the log id): picks this log's checkpoints. */
  start(logId: string | null, firstAt: string | null = null): Finding[] {
    this.started = true;
    this.firstAt = firstAt;
    const found: Finding[] = [];
    const others = new Map<string, CheckpointEntry[]>();
    for (const entry of this.entries) {
      const checkpoint = entry.checkpoint;
      if (checkpoint === null) {
        found.push({
          kind: 'checkpoint-unreadable',
          severity: 'warning',
          rule: 'E4',
          message: `The checkpoint ${entry.path} cannot be read (${entry.problem ?? 'unknown problem'}); it was ignored.`,
        });
        continue;
      }
      if (checkpoint.logId !== logId) {
        const list = others.get(checkpoint.logId) ?? [];
        list.push(entry);
        others.set(checkpoint.logId, list);
        continue;
      }
      const result: CheckpointResult = {
        provider: entry.provider,
        account: entry.account,
        path: entry.path,
        seq: checkpoint.seq,
        hash: checkpoint.hash,
        writtenAt: checkpoint.writtenAt,
        epoch: checkpoint.epoch,
        authenticity: entry.authenticity,
        note: entry.note ?? null,
        status: 'pending',
      };
      this.results.push(result);
      if (entry.authenticity === 'forged') {
        result.status = 'forged';
        found.push({
          kind: 'checkpoint-forged',
          severity: 'error',
          rule: 'E4',
          seq: checkpoint.seq,
          expected: 'a MAC made with the epoch identity',
          actual: checkpoint.mac,
          message:
            `The checkpoint in ${entry.provider}/${entry.account} (seq ${checkpoint.seq}, written ${checkpoint.writtenAt}) does not verify with the key of password epoch ${checkpoint.epoch}: ` +
            'it was not written by the engine, or was altered in the cloud. It was not used.',
        });
        continue;
      }
      const key = accountKey(entry.provider, entry.account);
      const newest = this.newest.get(key);
      if (newest === undefined || checkpoint.seq > newest.seq) this.newest.set(key, checkpoint);
      this.pending.push({ entry, checkpoint, result });
    }
    this.pending.sort((a, b) => a.checkpoint.seq - b.checkpoint.seq);
    this.others = [...others.values()].flat();
    return found;
  }

  /** A device id named by one of the log's flows. */
  noteDevice(deviceId: string): void {
    if (this.devices.size < 100) this.devices.add(deviceId);
  }

  push(row: StoredRow, index: number): Finding[] {
    const found: Finding[] = [];
    while (this.pending.length > 0 && this.pending[0]!.checkpoint.seq <= row.seq) {
      const { entry, checkpoint, result } = this.pending.shift()!;
      const at = { index, seq: row.seq, flowId: row.flowId, position: row.position };
      const written = `the checkpoint in ${entry.provider}/${entry.account} written ${checkpoint.writtenAt}`;
      if (checkpoint.seq < row.seq) {
        result.status = 'rewritten';
        found.push({
          ...at,
          kind: 'checkpoint-rewritten',
          severity: 'error',
          rule: 'E4',
          expected: `seq ${checkpoint.seq} with hash ${checkpoint.hash}`,
          actual: `no row ${checkpoint.seq} (the log goes on at ${rowName(at)})`,
          message: `The log has no row seq ${checkpoint.seq}, which ${written} names: rows up to it were deleted or renumbered.`,
        });
      } else if (row.hash !== checkpoint.hash || row.flowId !== checkpoint.flowId || row.position !== checkpoint.position) {
        result.status = 'rewritten';
        found.push({
          ...at,
          kind: 'checkpoint-rewritten',
          severity: 'error',
          rule: 'E4',
          expected: checkpoint.hash,
          actual: row.hash,
          message:
            `Row ${rowName(at)} is not the row ${written} names (hash ${checkpoint.hash}, flow ${checkpoint.flowId}, position ${checkpoint.position}): ` +
            `the log was rewritten at or before seq ${checkpoint.seq}, its hashes recomputed.`,
        });
      } else {
        result.status = 'ok';
      }
    }
    return found;
  }

  /** After the last row: checkpoints never reached mean a cut tail; accounts with backups need a recent checkpoint. */
  finish(lastSeq: number | null, history: AuditHistory): Finding[] {
    const found: Finding[] = [];
    if (!this.started) found.push(...this.start(null));
    for (const { entry, checkpoint, result } of this.pending) {
      result.status = 'cut';
      found.push({
        kind: 'checkpoint-cut',
        severity: 'error',
        rule: 'E4',
        seq: checkpoint.seq,
        flowId: checkpoint.flowId,
        position: checkpoint.position,
        expected: `rows up to seq ${checkpoint.seq} (hash ${checkpoint.hash})`,
        actual: lastSeq === null ? 'an empty log' : `the log ends at seq ${lastSeq}`,
        message:
          `The log ends at ${lastSeq === null ? 'no row at all' : `seq ${lastSeq}`}, but the checkpoint in ${entry.provider}/${entry.account} written ${checkpoint.writtenAt} names seq ${checkpoint.seq}: ` +
          `rows ${(lastSeq ?? 0) + 1}..${checkpoint.seq} were cut off its end.`,
      });
    }
    this.pending = [];
    // A checkpoint from this same device, written after this log began, that belongs to another
    // log: this log's first rows were replaced (a reinstall starts its log after the old
    // checkpoints were written). Unattributable when the device has no id.
    const byLog = new Map<string, CheckpointEntry[]>();
    for (const entry of this.others) {
      const checkpoint = entry.checkpoint!;
      const list = byLog.get(checkpoint.logId) ?? [];
      list.push(entry);
      byLog.set(checkpoint.logId, list);
      if (checkpoint.deviceId === null || !this.devices.has(checkpoint.deviceId) || this.firstAt === null || checkpoint.writtenAt < this.firstAt) continue;
      found.push({
        kind: 'checkpoint-log-replaced',
        severity: entry.authenticity === 'forged' ? 'warning' : 'error',
        rule: 'E4',
        seq: checkpoint.seq,
        expected: `log id ${checkpoint.logId}`,
        actual: 'another first row',
        message:
          `The checkpoint in ${entry.provider}/${entry.account} written ${checkpoint.writtenAt} by device ${checkpoint.deviceId} names a log whose first row ` +
          `differs from this one, which began before it (${this.firstAt}) on the same device: this log was rewritten from its first row.`,
      });
    }
    // Every flow the engine writes names its device in its first row; a log that names none was
    // not written that way (or had its device ids edited out), and cannot be told apart from a
    // log that replaced this device's: say so, as for the same device.
    // An empty log names no device either: a new install, or a log whose every row was deleted.
    const namesNoDevice = this.devices.size === 0;
    for (const [otherLog, list] of byLog) {
      const where = [...new Set(list.map((e) => `${e.provider}/${e.account}`))].join(', ');
      const devices = [...new Set(list.map((e) => e.checkpoint!.deviceId))];
      const sameDevice = devices.some((d) => d !== null && this.devices.has(d));
      found.push({
        kind: 'checkpoint-other-log',
        severity: sameDevice || namesNoDevice ? 'warning' : 'info',
        rule: 'E4',
        message:
          `${list.length} checkpoint(s) in ${where} belong to another log (log id ${otherLog.slice(0, 16)}…, device ${devices.map((d) => d ?? 'without id').join(', ')}): ` +
          (sameDevice
            ? 'this same device with another log: a reinstall, or this log was replaced from its first row. Not compared.'
            : namesNoDevice
              ? this.firstAt === null
                ? 'this log is empty: a new install, or every row of this device\'s log was deleted. Not compared.'
                : 'this log names no device in its flows, so audit cannot tell another device from a log replaced from its first row. Not compared.'
              : 'another device or an earlier install. Not compared.'),
      });
    }
    for (const result of this.results) {
      if (result.status !== 'ok') continue;
      const verified = result.authenticity === 'verified';
      found.push({
        kind: verified ? 'checkpoint-ok' : 'checkpoint-unverified',
        severity: verified ? 'info' : 'warning',
        rule: 'E4',
        seq: result.seq,
        message: verified
          ? `The log holds seq ${result.seq} as the checkpoint in ${result.provider}/${result.account} (epoch ${result.epoch}, MAC verified) names it.`
          : `The log holds seq ${result.seq} as the checkpoint in ${result.provider}/${result.account} names it, but its MAC was not checked (${result.note ?? 'no password'}): a provider could have written it.`,
      });
    }
    for (const account of history.accounts) {
      if (account.account === null || account.lastBackupSeq === null) continue;
      const newest = this.newest.get(accountKey(account.provider, account.account));
      const where = `${account.provider}/${account.account}`;
      // A crash between a backup's done row and its checkpoint loses that one checkpoint: tolerated
      // (a warning). Anything older than the backup before the last means several lost writes,
      // a deleted checkpoint or one put back from earlier: an error.
      const tolerable = newest === undefined ? account.backupsDone <= 1 : account.previousBackupSeq === null || newest.seq >= account.previousBackupSeq;
      if (newest !== undefined && newest.seq >= account.lastBackupSeq) continue;
      found.push({
        kind: newest === undefined ? 'checkpoint-missing' : 'checkpoint-stale',
        severity: tolerable ? 'warning' : 'error',
        rule: 'E4',
        seq: account.lastBackupSeq,
        expected: `a checkpoint at or after seq ${account.lastBackupSeq} (the last completed backup to ${where})`,
        actual: newest === undefined ? 'none' : `seq ${newest.seq}`,
        message:
          newest === undefined
            ? `The log records ${account.backupsDone} completed backup(s) to ${where}, but the cloud holds no checkpoint of this log there: ` +
              (tolerable ? 'the checkpoint write after the only backup did not happen (crash or network), or it was deleted.' : 'checkpoints were deleted, or the log was rewritten from its first row.')
            : `The newest checkpoint of this log in ${where} names seq ${newest.seq}, older than the last completed backup there (seq ${account.lastBackupSeq}): ` +
              (tolerable
                ? 'the checkpoint write after that backup did not happen (crash or network), or an older checkpoint was put back.'
                : 'it predates earlier backups too: checkpoints were rolled back or deleted, or several writes failed.'),
      });
    }
    return found;
  }
}
