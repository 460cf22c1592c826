/**
 * Realistic synthetic event logs, for the audit's property tests and the 1,000,000-row benchmark
 * (scripts/generate-log.ts). The flows are what the engine records: backups (binding, verify,
 * wrong passwords with hints, forgotten password and new epoch, storage full, HMS Core missing,
 * network failures, cancels, an inactive provider), offline-copy confirmations, restores (with
 * wrong passwords, or no backups in the account) and provider switches; a few run at once, and
 * the last ones may be left open (interrupted). Every state comes from the released machines
 * through xstate's pure `transition`, so every flow replays (E5); the rows are chained with the
 * v1 row hash (E4).
 *
 * For speed the state sequence of each flow *shape* (the choices that steer the machine) is
 * computed once and reused (`reuseStates`, default on); payload values never steer a machine.
 * Deterministic for a given seed.
 */
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';
import { findMachine } from '../machines/registry.ts';
import { GENESIS_HASH, type FlowSummary, type FlowTags, type StoredRow, type TransitionRecord } from '../src/ports/event-store.ts';
import { canonicalText, hashRow } from '../src/log/row-hash.ts';

export interface SyntheticOptions {
  seed: number;
  /** Stop after this many rows (flows still open then stay open: interrupted). */
  rows: number;
  /** Most flows open at once (default 3). */
  concurrency?: number;
  /** Reuse each flow shape's states (default true); false runs xstate for every row. */
  reuseStates?: boolean;
  startAt?: Date;
  deviceId?: string;
}

/** A small, fast, seedable PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
type Provider = 'icloud' | 'gdrive' | 'huawei';
type Event = { type: string; [field: string]: unknown };

interface FlowPlan {
  machineId: string;
  /** The choices that steer the machine: flows with the same shape go through the same states. */
  shape: string;
  input: Record<string, unknown>;
  events: Event[];
  /** Flows to start right after this one ends (an offline-copy confirmation). */
  then?: FlowPlan[];
}

interface AccountWorld {
  epoch: number;
  wallets: Array<{ walletId: string; name: string; epoch: number }>;
}

const PROVIDERS: readonly Provider[] = ['icloud', 'gdrive', 'huawei'];
const ACCOUNTS = ['alice@example.com', 'bob@example.com', 'carol@example.org', 'dave@example.net'];
const NAMES = ['Everyday', 'Savings', 'Travel', 'Family', 'Gaming', 'Trading', 'Cold storage', 'Kids'];
const HINTS = ['caps-lock', 'leading-or-trailing-space', 'look-alike-characters'];

const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const hex = (r: Rand, n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
/** A stable 64-bit id from a text (FNV-1a twice): stands in for the engine's HMAC wallet id. */
function walletIdOf(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ text.charCodeAt(i), 0x811c9dc5) >>> 0;
  }
  return `w-${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}
const uuid = (r: Rand) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-${pick(r, ['8', '9', 'a', 'b'])}${hex(r, 3)}-${hex(r, 12)}`;

class World {
  readonly accounts = new Map<string, AccountWorld>();
  active: Provider | null = null;
  constructor(
    readonly r: Rand,
    readonly deviceId: string,
  ) {}

  account(provider: Provider, account: string): AccountWorld {
    const key = `${provider}|${account}`;
    let world = this.accounts.get(key);
    if (!world) {
      world = { epoch: 0, wallets: [] };
      this.accounts.set(key, world);
    }
    return world;
  }

  /** The next flow to start. */
  plan(): FlowPlan {
    const r = this.r;
    const roll = r();
    if (this.active === null || roll < 0.03) return this.switchPlan();
    if (roll < 0.2) return this.restorePlan();
    return this.backupPlan();
  }

  private providerCheck(provider: Provider, account: string, shape: string[], events: Event[]): void {
    const r = this.r;
    if (provider === 'huawei' && r() < 0.08) {
      events.push({ type: r() < 0.5 ? 'PROVIDER.HMS_MISSING' : 'PROVIDER.HMS_OUTDATED' }, { type: 'RETRY' });
      shape.push('hms');
    }
    if (r() < 0.04) {
      events.push({ type: 'NETWORK.FAILED', operation: 'checkProvider' }, { type: 'RETRY' });
      shape.push('net0');
    }
    events.push({ type: 'PROVIDER.READY', account });
  }

  private switchPlan(): FlowPlan {
    const r = this.r;
    const provider = pick(r, PROVIDERS);
    const from = this.active;
    const input = { provider, from, expectedAccount: null, deviceId: this.deviceId };
    if (from === provider) return { machineId: 'providerSwitch', shape: 'same', input, events: [] };
    const shape: string[] = ['switch'];
    const events: Event[] = [];
    this.providerCheck(provider, pick(r, ACCOUNTS), shape, events);
    if (r() < 0.1) {
      events.push({ type: 'CANCEL' });
      shape.push('cancel');
    } else {
      events.push({ type: 'CONFIRM' });
      this.active = provider;
    }
    return { machineId: 'providerSwitch', shape: shape.join(','), input, events };
  }

  private restorePlan(): FlowPlan {
    const r = this.r;
    const provider = this.active ?? 'icloud';
    const account = pick(r, ACCOUNTS);
    const world = this.account(provider, account);
    const shape: string[] = ['restore'];
    const events: Event[] = [];
    this.providerCheck(provider, account, shape, events);
    if (world.wallets.length === 0) {
      events.push({ type: 'BACKUPS.NONE', knownAccounts: ACCOUNTS.filter((a) => this.account(provider, a).wallets.length > 0) }, { type: 'CANCEL' });
      shape.push('none');
    } else {
      const listed = world.wallets.slice(-20);
      const wallet = pick(r, listed);
      events.push({ type: 'BACKUPS.FOUND', wallets: listed });
      events.push({ type: 'WALLET.CHOSEN', walletId: wallet.walletId }, { type: 'PASSWORD.ENTERED' });
      const wrong = r() < 0.2 ? 1 + Math.floor(r() * 2) : 0;
      for (let i = 0; i < wrong; i++) events.push({ type: 'KEYRING.WRONG_PASSWORD', hints: [pick(r, HINTS)] }, { type: 'PASSWORD.ENTERED' });
      events.push({ type: 'KEYRING.UNLOCKED', epoch: wallet.epoch }, { type: 'WALLET.DECRYPTED' }, { type: 'MNEMONIC.VALID', words: pick(r, [12, 24]) });
      shape.push(`found,wrong${wrong}`);
    }
    return { machineId: 'restore', shape: shape.join(','), input: { provider, expectedAccount: null, deviceId: this.deviceId }, events };
  }

  private backupPlan(): FlowPlan {
    const r = this.r;
    const inactive = r() < 0.02 ? pick(r, PROVIDERS.filter((p) => p !== this.active)) : null;
    const provider = inactive ?? this.active ?? 'icloud';
    const account = pick(r, ACCOUNTS);
    const offline = r() < 0.3;
    // A person has a few wallets and backs them up again now and then: the same phrase in the
    // same epoch keeps its wallet id (as the engine's HMAC ids do).
    const walletIndex = Math.floor(r() * NAMES.length);
    const walletName = NAMES[walletIndex]!;
    const input = { provider, walletName, newEpoch: false, expectedAccount: null, offlineCopyConfirmed: offline, deviceId: this.deviceId };
    const events: Event[] = [{ type: 'MNEMONIC.VALID', words: pick(r, [12, 24]) }];
    const shape: string[] = ['backup'];
    if (inactive) {
      events.push({ type: 'PROVIDER.INACTIVE', active: this.active });
      return { machineId: 'backup', shape: 'backup,inactive', input, events };
    }
    this.providerCheck(provider, account, shape, events);
    const world = this.account(provider, account);
    if (world.epoch === 0) {
      events.push({ type: 'KEYRING.NONE' });
      if (r() < 0.15) {
        events.push({ type: 'PASSWORD.CHOSEN', tooShort: true, mismatch: false });
        shape.push('short');
      }
      events.push({ type: 'PASSWORD.CHOSEN', tooShort: false, mismatch: false }, { type: 'KEYRING.CREATED', epoch: 1 });
      world.epoch = 1;
      shape.push('bind');
    } else {
      events.push({ type: 'KEYRING.FOUND', epoch: world.epoch });
      const wrong = r() < 0.25 ? 1 + Math.floor(r() * 3) : 0;
      for (let i = 0; i < wrong; i++) events.push({ type: 'PASSWORD.ENTERED' }, { type: 'KEYRING.WRONG_PASSWORD', hints: r() < 0.5 ? [] : [pick(r, HINTS)] });
      shape.push(`wrong${wrong}`);
      if (r() < 0.05) {
        events.push({ type: 'CANCEL' });
        shape.push('cancel');
        return { machineId: 'backup', shape: shape.join(','), input, events };
      }
      if (wrong > 0 && r() < 0.03) {
        world.epoch += 1;
        events.push({ type: 'PASSWORD.FORGOTTEN' }, { type: 'PASSWORD.CHOSEN', tooShort: false, mismatch: false }, { type: 'KEYRING.CREATED', epoch: world.epoch });
        shape.push('newEpoch');
      } else {
        events.push({ type: 'PASSWORD.ENTERED' }, { type: 'KEYRING.UNLOCKED', epoch: world.epoch });
      }
    }
    const walletId = walletIdOf(`${provider}|${account}|${world.epoch}|${walletIndex}|${this.deviceId}`);
    events.push({ type: 'WALLET.ENCRYPTED', walletId, bytes: 400 + Math.floor(r() * 200) });
    if (r() < 0.05) {
      events.push({ type: 'UPLOAD.QUOTA_EXCEEDED', neededBytes: 100 + Math.floor(r() * 5000) }, { type: 'SPACE.FREED' });
      shape.push('full');
    }
    if (r() < 0.04) {
      events.push({ type: 'NETWORK.FAILED', operation: 'upload' }, { type: 'RETRY' });
      shape.push('net1');
    }
    events.push({ type: 'UPLOAD.DONE' }, { type: 'VERIFY.OK' }, { type: 'MANIFEST.PUBLISHED' });
    if (!world.wallets.some((w) => w.walletId === walletId)) world.wallets.push({ walletId, name: walletName, epoch: world.epoch });
    const then: FlowPlan[] = offline
      ? [{ machineId: 'offlineCopy', shape: 'offline', input: { provider, account, walletId, deviceId: this.deviceId }, events: [] }]
      : [];
    return { machineId: 'backup', shape: shape.join(','), input, events, then };
  }
}

interface Cursor {
  flowId: string;
  plan: FlowPlan;
  machine: AnyStateMachine;
  /** from/to state JSON per position. */
  states: Array<[string | null, string]>;
  position: number;
  tags: FlowTags;
  startedAt: string;
  /** The wallets a restore was shown (its WALLET.CHOSEN takes the epoch from them). */
  listed: Array<{ walletId: string; epoch: number }>;
}

function statesOf(machine: AnyStateMachine, plan: FlowPlan): Array<[string | null, string]> {
  let [snapshot] = (initialTransition as unknown as (m: AnyStateMachine, i: unknown) => [AnyMachineSnapshot])(machine, plan.input);
  const states: Array<[string | null, string]> = [[null, JSON.stringify(snapshot.value)]];
  for (const event of plan.events) {
    const from = JSON.stringify(snapshot.value);
    if (!snapshot.can(event as EventObject)) throw new Error(`synthetic ${plan.machineId} flow (${plan.shape}): ${event.type} does not fit ${from}`);
    [snapshot] = transition(machine, snapshot, event as EventObject);
    states.push([from, JSON.stringify(snapshot.value)]);
  }
  return states;
}

/** The flow tags the engine would record, from the payloads (as each machine assigns its context). */
function foldTags(cursor: Cursor, event: Event): FlowTags {
  const next = { ...cursor.tags };
  if (event.type === 'PROVIDER.READY') next.account = event.account as string;
  if (event.type === 'WALLET.ENCRYPTED') next.walletId = event.walletId as string;
  if (event.type === 'KEYRING.FOUND' || event.type === 'KEYRING.CREATED' || event.type === 'KEYRING.UNLOCKED') next.epoch = event.epoch as number;
  if (event.type === 'BACKUPS.FOUND') cursor.listed = event.wallets as Cursor['listed'];
  if (event.type === 'WALLET.CHOSEN') {
    next.walletId = event.walletId as string;
    const epoch = cursor.listed.find((w) => w.walletId === event.walletId)?.epoch;
    if (epoch !== undefined) next.epoch = epoch;
  }
  return next;
}

function initialTags(plan: FlowPlan): FlowTags {
  const input = plan.input;
  const tags: FlowTags = { provider: input.provider as string };
  if (typeof input.account === 'string') tags.account = input.account;
  if (typeof input.walletId === 'string') tags.walletId = input.walletId;
  return tags;
}

export interface SyntheticRow {
  record: TransitionRecord;
  tags: FlowTags;
}

/** The records of a synthetic log, in log order (no seq, no hashes), and each flow's summary at the end. */
export function* syntheticRecords(options: SyntheticOptions): Generator<SyntheticRow, FlowSummary[]> {
  const r = rng(options.seed);
  const world = new World(r, options.deviceId ?? 'synthetic-phone');
  const reuse = options.reuseStates ?? true;
  const concurrency = Math.max(1, options.concurrency ?? 3);
  const cache = new Map<string, Array<[string | null, string]>>();
  let time = (options.startAt ?? new Date('2026-01-01T00:00:00.000Z')).getTime();
  const open: Cursor[] = [];
  const queue: FlowPlan[] = [];
  const summaries = new Map<string, FlowSummary>();

  const start = (plan: FlowPlan) => {
    const machine = findMachine(plan.machineId, 1);
    if (!machine.ok) throw new Error(`no machine ${plan.machineId}@1`);
    const key = `${plan.machineId}|${plan.shape}`;
    let states = reuse ? cache.get(key) : undefined;
    if (states === undefined) {
      states = statesOf(machine.machine, plan);
      if (reuse) cache.set(key, states);
    }
    open.push({ flowId: uuid(r), plan, machine: machine.machine, states, position: 0, tags: initialTags(plan), startedAt: '', listed: [] });
  };

  for (let emitted = 0; emitted < options.rows; emitted++) {
    while (open.length === 0 || (open.length < concurrency && r() < 0.08)) start(queue.shift() ?? world.plan());
    // Mostly the oldest open flow moves on, as in an app; sometimes another one does.
    const index = r() < 0.8 ? 0 : Math.floor(r() * open.length);
    const cursor = open[index]!;
    const position = cursor.position;
    const event: Event = position === 0 ? { type: 'xstate.init', ...cursor.plan.input } : cursor.plan.events[position - 1]!;
    const { type, ...payload } = event;
    cursor.tags = foldTags(cursor, event);
    const [fromState, toState] = cursor.states[position]!;
    time += 20 + Math.floor(r() * 3000);
    const at = new Date(time).toISOString();
    if (position === 0) cursor.startedAt = at;
    const record: TransitionRecord = {
      flowId: cursor.flowId,
      position,
      machineId: cursor.plan.machineId,
      machineVersion: 1,
      fromState,
      eventType: type,
      payload: JSON.stringify(payload),
      toState,
      at,
    };
    yield { record, tags: cursor.tags };
    const tags = cursor.tags;
    summaries.set(cursor.flowId, {
      flowId: cursor.flowId,
      machineId: cursor.plan.machineId,
      machineVersion: 1,
      state: toState,
      lastPosition: position,
      startedAt: cursor.startedAt,
      updatedAt: at,
      ...tags,
    });
    cursor.position += 1;
    if (cursor.position >= cursor.states.length) {
      open.splice(index, 1);
      queue.push(...(cursor.plan.then ?? []));
    }
  }
  return [...summaries.values()];
}

/** Chains records into stored rows (seq from 1), hashing with `digest` (default: the engine's hashRow). */
export function* chainRows(records: Iterable<SyntheticRow>, digest?: (text: string) => string): Generator<StoredRow> {
  let prevHash = GENESIS_HASH;
  let seq = 0;
  for (const { record } of records) {
    const hash = digest ? digest(canonicalText(prevHash, record)) : hashRow(prevHash, record);
    seq += 1;
    yield { ...record, seq, prevHash, hash };
    prevHash = hash;
  }
}

/** A whole synthetic log in memory (for tests): rows and the flows summaries. */
export function syntheticLog(options: SyntheticOptions): { rows: StoredRow[]; flows: FlowSummary[] } {
  const generator = syntheticRecords(options);
  const records: SyntheticRow[] = [];
  let next = generator.next();
  while (!next.done) {
    records.push(next.value);
    next = generator.next();
  }
  return { rows: [...chainRows(records)], flows: next.value };
}
