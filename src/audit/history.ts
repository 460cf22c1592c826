/**
 * The per-account history an audit tells, folded from the rows as they stream past: which
 * wallets were backed up, when, to which provider and account, under which password epoch;
 * every failure and its cause (wrong password, storage full, HMS Core, network, ...); restores;
 * provider switches (R15); and the wallets that rely on the cloud alone (R17).
 *
 * Only facts the log holds are used (redacted payloads, states): no secret is ever involved.
 * Memory: one small record per open flow, one per wallet, and at most `limit` recent flows per
 * account (older ones are counted, not kept). Browser-safe.
 */
import type { StoredRow } from '../ports/event-store.ts';

export type ProblemCause =
  | 'wrong-password'
  | 'storage-full'
  | 'hms-missing'
  | 'hms-outdated'
  | 'network'
  | 'not-signed-in'
  | 'wrong-account'
  | 'account-changed'
  | 'provider-inactive'
  | 'password-too-short'
  | 'password-mismatch'
  | 'invalid-mnemonic'
  | 'corrupt-record'
  | 'verify-mismatch'
  | 'no-backups';

export interface FlowProblem {
  cause: ProblemCause;
  count: number;
  /** The last occurrence's facts (hints, bytes needed, the operation, ...). */
  detail: string | null;
}

export interface FlowRecord {
  flowId: string;
  /** Machine id: backup, restore, providerSwitch, offlineCopy. */
  kind: string;
  machine: string;
  provider: string | null;
  account: string | null;
  walletId: string | null;
  walletName: string | null;
  epoch: number | null;
  startedAt: string;
  endedAt: string;
  /** The final state ("done", "cancelled", "providerInactive", ...), or the state it was interrupted in. */
  outcome: string;
  finished: boolean;
  /** For provider switches: the provider before. */
  from: string | null;
  notes: string[];
  problems: FlowProblem[];
}

export interface WalletHistory {
  provider: string;
  account: string;
  walletId: string;
  name: string | null;
  epoch: number | null;
  backups: number;
  firstBackupAt: string | null;
  lastBackupAt: string | null;
  restores: number;
  lastRestoreAt: string | null;
  offlineCopyConfirmed: boolean;
}

export interface AccountHistory {
  provider: string;
  /** null: flows that never learned which account was signed in (e.g. HMS Core missing, then cancelled). */
  account: string | null;
  epochs: number[];
  backupsDone: number;
  restoresDone: number;
  failures: Partial<Record<ProblemCause, number>>;
  /** seq of the last completed backup's final row: its checkpoint must be at or after it. */
  lastBackupSeq: number | null;
  /** seq of the completed backup before that one. */
  previousBackupSeq: number | null;
  /** The most recent flows, oldest first. */
  flows: FlowRecord[];
  flowsOmitted: number;
  wallets: WalletHistory[];
}

export interface AuditHistory {
  accounts: AccountHistory[];
  /** Provider switch flows (R15), device-wide: `from` → `provider`. */
  switches: FlowRecord[];
  switchesOmitted: number;
  activeProvider: string | null;
  /** R17: wallets backed up with no confirmed offline copy. */
  cloudOnly: Array<{ provider: string; account: string; walletId: string; name: string | null; lastBackupAt: string | null }>;
}

interface OpenRecord extends FlowRecord {
  /** The state JSON of the flow's last row; named (stateName) only when the flow ends. */
  lastState: string;
  binding: boolean;
  /** Restore version 1 logged names with the listing; version 2 logs ids and epochs only (name null). */
  listed: Map<string, { name: string | null; epoch: number }>;
  offlineCopyRequested: boolean;
}

interface AccountBucket {
  provider: string;
  account: string | null;
  epochs: Set<number>;
  backupsDone: number;
  restoresDone: number;
  failures: Partial<Record<ProblemCause, number>>;
  lastBackupSeq: number | null;
  previousBackupSeq: number | null;
  flows: FlowRecord[];
  flowsOmitted: number;
  wallets: Map<string, WalletHistory>;
}

type Payload = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** An event that is a failure, with its cause and the facts worth showing. */
function problemOf(eventType: string, p: Payload): { cause: ProblemCause; detail: string | null } | null {
  switch (eventType) {
    case 'KEYRING.WRONG_PASSWORD': {
      const hints = Array.isArray(p.hints) ? (p.hints as unknown[]).map(String) : [];
      return { cause: 'wrong-password', detail: hints.length > 0 ? `hints: ${hints.join(', ')}` : null };
    }
    case 'UPLOAD.QUOTA_EXCEEDED':
      return { cause: 'storage-full', detail: num(p.neededBytes) !== null ? `${String(p.neededBytes)} more bytes needed` : null };
    case 'PROVIDER.HMS_MISSING':
      return { cause: 'hms-missing', detail: null };
    case 'PROVIDER.HMS_OUTDATED':
      return { cause: 'hms-outdated', detail: null };
    case 'NETWORK.FAILED':
      return { cause: 'network', detail: str(p.operation) };
    case 'PROVIDER.NOT_SIGNED_IN':
      return { cause: 'not-signed-in', detail: null };
    case 'PROVIDER.WRONG_ACCOUNT':
      return { cause: 'wrong-account', detail: `${String(p.actual)} signed in, ${String(p.expected)} expected` };
    case 'ACCOUNT.CHANGED':
      return { cause: 'account-changed', detail: p.account === null ? 'signed out' : `now ${String(p.account)}` };
    case 'PROVIDER.INACTIVE':
      return { cause: 'provider-inactive', detail: str(p.active) !== null ? `active provider: ${String(p.active)}` : null };
    case 'PASSWORD.CHOSEN':
      if (p.tooShort === true) return { cause: 'password-too-short', detail: null };
      if (p.mismatch === true) return { cause: 'password-mismatch', detail: null };
      return null;
    case 'MNEMONIC.INVALID':
      return { cause: 'invalid-mnemonic', detail: str(p.reason) };
    case 'KEYRING.CORRUPT':
      return { cause: 'corrupt-record', detail: `keyring: ${String(p.reason)}` };
    case 'RECORD.CORRUPT':
      return { cause: 'corrupt-record', detail: `wallet record: ${String(p.reason)}` };
    case 'MANIFEST.CORRUPT':
      return { cause: 'corrupt-record', detail: `manifest: ${String(p.reason)}` };
    case 'VERIFY.MISMATCH':
      return { cause: 'verify-mismatch', detail: str(p.path) };
    case 'BACKUPS.NONE': {
      const known = Array.isArray(p.knownAccounts) ? (p.knownAccounts as unknown[]).map(String) : [];
      return { cause: 'no-backups', detail: known.length > 0 ? `this device backed up under ${known.join(', ')}` : null };
    }
    default:
      return null;
  }
}

/** "hints: a, b" and "hints: b, c" → "hints: a, b, c": every hint a wrong password got. */
function mergeHints(before: string | null, now: string | null): string | null {
  const hints = [before, now].flatMap((text) => (text ? text.replace(/^hints: /, '').split(', ') : []));
  return hints.length > 0 ? `hints: ${[...new Set(hints)].join(', ')}` : null;
}

/** State JSON → name; a log has few distinct states, and this runs on every row. */
const stateNames = new Map<string, string>();

function stateName(json: string): string {
  let name = stateNames.get(json);
  if (name === undefined) {
    if (stateNames.size >= 4096) stateNames.clear();
    stateNames.set(json, (name = parseStateName(json)));
  }
  return name;
}

function parseStateName(json: string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    if (error instanceof SyntaxError) return json;
    throw error;
  }
  const walk = (v: unknown): string =>
    typeof v === 'string'
      ? v
      : v !== null && typeof v === 'object'
        ? Object.entries(v as Record<string, unknown>).map(([k, inner]) => `${k}.${walk(inner)}`).join(',')
        : String(v);
  return typeof value === 'string' || (value !== null && typeof value === 'object') ? walk(value) : json;
}

export class HistoryBuilder {
  private readonly open = new Map<string, OpenRecord>();
  private readonly accounts = new Map<string, AccountBucket>();
  private readonly confirmed = new Set<string>();
  private readonly switches: FlowRecord[] = [];
  private switchesOmitted = 0;
  private lastSwitchTo: string | null = null;
  private firstBackupProvider: string | null = null;

  constructor(private readonly limit = 200) {}

  /** One row, with its parsed payload (an Error when it is not JSON) and whether it opened or ended its flow. */
  push(row: StoredRow, payload: unknown, started: boolean, endedState: string | null): void {
    const p: Payload = payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Payload) : {};
    let record = this.open.get(row.flowId);
    if (record === undefined) {
      if (!started) return; // a row of a finished or unknown flow: the flow checks report it
      record = {
        flowId: row.flowId,
        kind: row.machineId,
        machine: `${row.machineId}@${row.machineVersion}`,
        provider: str(p.provider),
        account: str(p.account),
        walletId: str(p.walletId),
        walletName: str(p.walletName),
        epoch: null,
        startedAt: row.at,
        endedAt: row.at,
        outcome: '',
        lastState: row.toState,
        finished: false,
        from: row.machineId === 'providerSwitch' ? str(p.from) : null,
        notes: [],
        problems: [],
        binding: false,
        listed: new Map(),
        offlineCopyRequested: p.offlineCopyConfirmed === true,
      };
      if (p.newEpoch === true) record.notes.push('Asked for a new password epoch');
      this.open.set(row.flowId, record);
    } else {
      this.applyEvent(record, row.eventType, p);
    }
    record.endedAt = row.at;
    record.lastState = row.toState;
    if (endedState !== null) this.finish(record, stateName(endedState), true, row.seq);
  }

  private applyEvent(record: OpenRecord, eventType: string, p: Payload): void {
    const problem = problemOf(eventType, p);
    if (problem?.cause === 'no-backups') problem.detail = [`none in ${record.account ?? 'the signed-in account'}`, problem.detail].filter(Boolean).join('; ');
    if (problem !== null) {
      const same = record.problems.find((x) => x.cause === problem.cause);
      if (same) {
        same.count += 1;
        same.detail = problem.cause === 'wrong-password' ? mergeHints(same.detail, problem.detail) : (problem.detail ?? same.detail);
      } else {
        record.problems.push({ cause: problem.cause, count: 1, detail: problem.detail });
      }
    }
    switch (eventType) {
      case 'PROVIDER.READY':
        record.account = str(p.account) ?? record.account;
        break;
      case 'KEYRING.NONE':
        record.binding = true;
        break;
      case 'KEYRING.FOUND':
      case 'KEYRING.UNLOCKED':
        record.epoch = num(p.epoch) ?? record.epoch;
        break;
      case 'KEYRING.CREATED':
        record.epoch = num(p.epoch) ?? record.epoch;
        record.notes.push(record.binding ? 'Password set and bound to the account (first backup, R4)' : `New password epoch ${String(p.epoch)} (R8)`);
        break;
      case 'PASSWORD.FORGOTTEN':
        record.notes.push('Password forgotten');
        break;
      case 'SPACE.FREED':
        record.notes.push('Space freed, retried');
        break;
      case 'WALLET.ENCRYPTED':
        record.walletId = str(p.walletId) ?? record.walletId;
        break;
      case 'BACKUPS.FOUND':
        if (Array.isArray(p.wallets)) {
          for (const w of p.wallets as Array<Record<string, unknown>>) {
            if (w && typeof w.walletId === 'string') record.listed.set(w.walletId, { name: typeof w.name === 'string' ? w.name : null, epoch: Number(w.epoch) });
          }
        }
        break;
      case 'WALLET.CHOSEN': {
        record.walletId = str(p.walletId) ?? record.walletId;
        const listed = record.walletId ? record.listed.get(record.walletId) : undefined;
        if (listed) {
          record.walletName = listed.name ?? record.walletName;
          record.epoch = listed.epoch;
        }
        break;
      }
      default:
        break;
    }
  }

  private bucket(provider: string, account: string | null): AccountBucket {
    const key = `${provider}\u0000${account ?? ''}`;
    let bucket = this.accounts.get(key);
    if (bucket === undefined) {
      bucket = {
        provider,
        account,
        epochs: new Set(),
        backupsDone: 0,
        restoresDone: 0,
        failures: {},
        lastBackupSeq: null,
        previousBackupSeq: null,
        flows: [],
        flowsOmitted: 0,
        wallets: new Map(),
      };
      this.accounts.set(key, bucket);
    }
    return bucket;
  }

  private wallet(bucket: AccountBucket, walletId: string): WalletHistory {
    let wallet = bucket.wallets.get(walletId);
    if (wallet === undefined) {
      wallet = {
        provider: bucket.provider,
        account: bucket.account ?? '',
        walletId,
        name: null,
        epoch: null,
        backups: 0,
        firstBackupAt: null,
        lastBackupAt: null,
        restores: 0,
        lastRestoreAt: null,
        offlineCopyConfirmed: false,
      };
      bucket.wallets.set(walletId, wallet);
    }
    return wallet;
  }

  private finish(record: OpenRecord, outcome: string, finished: boolean, seq: number | null): void {
    this.open.delete(record.flowId);
    record.outcome = outcome;
    record.finished = finished;
    const { lastState: _s, binding: _b, listed: _l, offlineCopyRequested, ...plain } = record;
    const flow: FlowRecord = plain;
    const done = finished && outcome === 'done';

    if (record.kind === 'providerSwitch') {
      // As device-history.ts: the target of the last completed switch is the active provider (R15).
      if (finished && outcome === 'done') this.lastSwitchTo = record.provider;
      this.switches.push(flow);
      if (this.switches.length > this.limit) {
        this.switches.shift();
        this.switchesOmitted += 1;
      }
      return;
    }

    const bucket = this.bucket(record.provider ?? 'unknown', record.account);
    for (const problem of record.problems) bucket.failures[problem.cause] = (bucket.failures[problem.cause] ?? 0) + problem.count;
    if (record.epoch !== null && (record.kind === 'backup' ? done : record.kind === 'restore')) bucket.epochs.add(record.epoch);

    if (record.kind === 'backup' && done && record.walletId) {
      if (offlineCopyRequested) flow.notes.push('Offline copy confirmed (R17)');
      this.firstBackupProvider ??= record.provider;
      bucket.backupsDone += 1;
      bucket.previousBackupSeq = bucket.lastBackupSeq;
      bucket.lastBackupSeq = seq;
      const wallet = this.wallet(bucket, record.walletId);
      wallet.name = record.walletName ?? wallet.name;
      wallet.epoch = record.epoch;
      wallet.backups += 1;
      wallet.firstBackupAt ??= record.endedAt;
      wallet.lastBackupAt = record.endedAt;
    }
    if (record.kind === 'restore' && done && record.walletId) {
      bucket.restoresDone += 1;
      const wallet = this.wallet(bucket, record.walletId);
      wallet.name ??= record.walletName;
      wallet.epoch ??= record.epoch;
      wallet.restores += 1;
      wallet.lastRestoreAt = record.endedAt;
    }
    if (record.kind === 'offlineCopy' && finished && record.walletId && record.account) {
      this.confirmed.add(`${record.provider}\u0000${record.account}\u0000${record.walletId}`);
      // The confirmation that a backup with --offline-copy-confirmed makes is told with that backup.
      if (bucket.flows.at(-1)?.walletId === record.walletId && bucket.flows.at(-1)?.notes.includes('Offline copy confirmed (R17)')) return;
      flow.notes.push('The person confirmed an offline (written) copy of this wallet (R17)');
    }

    bucket.flows.push(flow);
    if (bucket.flows.length > this.limit) {
      bucket.flows.shift();
      bucket.flowsOmitted += 1;
    }
  }

  /** Ends the history: flows still open were interrupted. */
  result(): AuditHistory {
    for (const record of [...this.open.values()]) this.finish(record, stateName(record.lastState), false, null);
    const accounts: AccountHistory[] = [];
    const cloudOnly: AuditHistory['cloudOnly'] = [];
    for (const bucket of this.accounts.values()) {
      const wallets = [...bucket.wallets.values()];
      for (const wallet of wallets) {
        wallet.offlineCopyConfirmed = this.confirmed.has(`${wallet.provider}\u0000${wallet.account}\u0000${wallet.walletId}`);
        if (wallet.backups > 0 && !wallet.offlineCopyConfirmed) {
          cloudOnly.push({ provider: wallet.provider, account: wallet.account, walletId: wallet.walletId, name: wallet.name, lastBackupAt: wallet.lastBackupAt });
        }
      }
      accounts.push({
        provider: bucket.provider,
        account: bucket.account,
        epochs: [...bucket.epochs].sort((a, b) => a - b),
        backupsDone: bucket.backupsDone,
        restoresDone: bucket.restoresDone,
        failures: bucket.failures,
        lastBackupSeq: bucket.lastBackupSeq,
        previousBackupSeq: bucket.previousBackupSeq,
        flows: bucket.flows,
        flowsOmitted: bucket.flowsOmitted,
        wallets,
      });
    }
    return {
      accounts,
      switches: this.switches,
      switchesOmitted: this.switchesOmitted,
      activeProvider: this.lastSwitchTo ?? this.firstBackupProvider,
      cloudOnly,
    };
  }
}
