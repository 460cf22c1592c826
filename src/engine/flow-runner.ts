/**
 * Runs one flow: an XState actor of a pure machine, the effects its states name, and the
 * log row of every transition (E4, E5).
 *
 * The loop: send an event to the actor -> append (from, redacted event, to) to the event
 * store, durably -> if the new state names an effect, run it and send its outcome. Events
 * reach the actor one at a time, in order; a person's input is refused unless the machine
 * can take it in its current state. Secrets live in the flow's private slot and are checked
 * against every row's payload before it is appended (R6).
 */
import { createActor, type AnyActorRef, type AnyStateMachine, type InspectionEvent, type Observer, type SnapshotFrom } from 'xstate';
import { BehaviorSubject, type Observable } from 'rxjs';
import type { EventStore, FlowTags, StoredRow } from '../ports/event-store.ts';
import { leafMeta, type StateMeta } from '../../machines/state-meta.ts';
import { assertNoSecrets, findSecret } from '../log/redact.ts';
import { MIN_PASSWORD_LENGTH, passwordLength } from '../format/index.ts';
import { EngineError } from './engine-error.ts';
import type { FlowView, RetryView } from './flow-types.ts';
import type { RetryPolicy } from '../ports/retry.ts';
import { BACKOFF_EFFECT } from '../../machines/retry-states.ts';
import { networkRetryHint } from './cloud-outcome.ts';
import { nextRetry } from './retry-schedule.ts';
import { createInterrupt, type Interrupt } from './backoff-sleep.ts';


export interface MachineEvent {
  type: string;
  [field: string]: unknown;
}

/** What an effect answers: the event to send next. */
export type Effect<Slot> = (flow: FlowHandle<Slot>) => Promise<MachineEvent>;

export interface FlowHandle<Slot> {
  readonly flowId: string;
  readonly slot: Slot;
  context(): Record<string, unknown>;
  /** Fired when a person's CANCEL interrupts this effect (only the backoff effect listens). */
  readonly interrupt: Interrupt;
}

/** The engine's retry policy, and the clock and jitter it is applied with. */
export interface RunnerRetry {
  policy: RetryPolicy;
  /** Milliseconds, for the total-time bound. */
  clock: () => number;
  /** A number in [0, 1): the jitter. */
  random: () => number;
}

export interface FlowRunnerOptions<Slot> {
  flowId: string;
  machine: AnyStateMachine;
  machineVersion: number;
  input: Record<string, unknown>;
  /** The input as logged: no secret, only the fields replay needs. */
  loggedInput: Record<string, unknown>;
  slot: Slot;
  effects: Record<string, Effect<Slot>>;
  store: EventStore;
  redact: (event: MachineEvent) => Record<string, unknown>;
  /** The secret strings this flow holds, for the last check before a row is written. */
  secrets: (slot: Slot) => string[];
  tags: (context: Record<string, unknown>) => FlowTags;
  /** Forget every secret; called when the flow reaches a final state. */
  wipe: (slot: Slot) => void;
  /** Runs once when the flow reaches a final state, after the wipe, before the flow settles. */
  onFinal?: (context: Record<string, unknown>, meta: StateMeta) => Promise<void>;
  now: () => Date;
  onRow: (row: StoredRow) => void;
  /** Runs before each effect, inside it: what it throws ends the flow as the effect's own failure would (tests inject faults with it). */
  beforeEffect?: (effect: string) => void | Promise<void>;
  /** Transient network failures of a step become NETWORK.RETRYING while this budget lasts (machines version 3). */
  retry?: RunnerRetry;
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

export class FlowRunner<Slot> {
  readonly flowId: string;
  readonly actor: AnyActorRef;
  private readonly options: FlowRunnerOptions<Slot>;
  private position = 0;
  /** The last recorded state value and its JSON: the next row's fromState, not serialised twice. */
  private recordedValue: unknown = undefined;
  private recordedJson: string | null = null;
  private queue: Promise<void> = Promise.resolve();
  private running = 0;
  private failure: unknown = null;
  private readonly snapshots: BehaviorSubject<SnapshotFrom<AnyStateMachine>>;
  private idleWaiters: Array<() => void> = [];
  private unexpected: unknown = null;
  /** The effect running now, and how to interrupt it. */
  private current: { effect: string; interrupt: () => void } | null = null;
  /** The retry budget of the step that keeps failing: its state, when its first try began, tries failed. */
  private budget: { step: string; startedAt: number; failed: number } | null = null;

  private constructor(options: FlowRunnerOptions<Slot>) {
    this.options = options;
    this.flowId = options.flowId;
    this.actor = createActor(options.machine, {
      input: options.input,
      id: options.flowId,
      ...(options.inspect ? { inspect: options.inspect } : {}),
    });
    this.snapshots = new BehaviorSubject(this.actor.getSnapshot());
  }

  /** Starts the actor, logs its initial transition (position 0) and runs the first effect. */
  static async start<Slot>(options: FlowRunnerOptions<Slot>): Promise<FlowRunner<Slot>> {
    const runner = new FlowRunner(options);
    runner.actor.start();
    const snapshot = runner.actor.getSnapshot();
    runner.snapshots.next(snapshot);
    await runner.record(null, { type: 'xstate.init', ...options.loggedInput }, snapshot, options.loggedInput);
    runner.schedule(() => runner.afterTransition());
    await runner.idle();
    return runner;
  }

  get snapshot(): SnapshotFrom<AnyStateMachine> {
    return this.actor.getSnapshot();
  }

  get state$(): Observable<SnapshotFrom<AnyStateMachine>> {
    return this.snapshots.asObservable();
  }

  view(): FlowView {
    const snapshot = this.snapshot;
    const retry = (snapshot.context as { retry?: RetryView | null }).retry ?? null;
    return { state: snapshot.value, status: snapshot.status, meta: activeMeta(snapshot), busy: this.running > 0, retry };
  }

  /** Sends a person's input. Refused (EngineError) when the machine cannot take it now. */
  async send(event: MachineEvent, beforeSend?: () => void): Promise<void> {
    // A person's CANCEL while a step backs off does not wait for the delay and the next try: it
    // interrupts the wait, whose effect answers CANCEL (backoff-effect.ts). If the wait had just
    // ended, the CANCEL is taken where the flow rests next, like any input.
    if (event.type === 'CANCEL' && this.current?.effect === BACKOFF_EFFECT) {
      this.current.interrupt();
      await this.idle();
      if (this.snapshot.status !== 'active' && activeMeta(this.snapshot).outcome === 'cancelled') return;
    }
    await this.idle();
    if (this.snapshot.status !== 'active') {
      throw new EngineError('flow-finished', `This flow has already finished (${JSON.stringify(this.snapshot.value)}); start a new one.`);
    }
    if (!this.snapshot.can(event)) {
      const waits = activeMeta(this.snapshot).waitsFor ?? [];
      throw new EngineError(
        'unexpected-input',
        `The flow is at ${JSON.stringify(this.snapshot.value)} and cannot take ${event.type} now; it waits for ${waits.join(', ') || 'nothing'}.`,
      );
    }
    beforeSend?.();
    const checked = this.snapshot;
    this.schedule(() => this.dispatch(event, checked));
    await this.idle();
  }

  /** Resolves when no effect runs: the flow waits for the person or has finished. */
  async idle(): Promise<void> {
    while (this.running > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (this.failure !== null) {
      const failure = this.failure;
      this.failure = null;
      throw failure;
    }
  }

  private schedule(step: () => Promise<void>): void {
    this.running++;
    this.queue = this.queue
      .then(step)
      .catch((error: unknown) => {
        this.failure = error;
      })
      .finally(() => {
        this.running--;
        if (this.running === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
  }

  /** `checked`: a snapshot already known to accept the event (no second look if it is still current). */
  private async dispatch(event: MachineEvent, checked?: SnapshotFrom<AnyStateMachine>): Promise<void> {
    const before = this.snapshot;
    if (before !== checked && !before.can(event)) {
      throw new EngineError('unexpected-outcome', `Effect outcome ${event.type} does not fit state ${JSON.stringify(before.value)}.`);
    }
    this.actor.send(event);
    const after = this.snapshot;
    this.snapshots.next(after);
    await this.record(before.value, event, after, this.options.redact(event));
    await this.afterTransition();
  }

  private async afterTransition(): Promise<void> {
    const snapshot = this.snapshot;
    if (snapshot.status !== 'active') {
      this.options.wipe(this.options.slot);
      this.snapshots.complete();
      await this.options.onFinal?.(snapshot.context as Record<string, unknown>, activeMeta(snapshot));
      return;
    }
    const effectName = activeMeta(snapshot).effect;
    if (effectName === undefined) return;
    const effect = this.options.effects[effectName];
    if (!effect) throw new EngineError('unknown-effect', `No effect named ${effectName} for ${this.options.machine.id}.`);
    let outcome: MachineEvent;
    const interrupt = createInterrupt();
    this.current = { effect: effectName, interrupt: interrupt.fire };
    const startedAt = this.options.retry?.clock() ?? 0;
    try {
      await this.options.beforeEffect?.(effectName);
      outcome = this.retryOrFail(
        effectName,
        startedAt,
        await effect({
          flowId: this.flowId,
          slot: this.options.slot,
          context: () => this.snapshot.context as Record<string, unknown>,
          interrupt: interrupt.interrupt,
        }),
      );
    } catch (error) {
      // No step expects this error. A machine that can take EFFECT.FAILED (version 2 and later)
      // ends the flow in `failed`, logged with the cause; an older one leaves it to the caller.
      const failed = this.effectFailed(effectName, error);
      if (!this.snapshot.can(failed)) throw error;
      this.unexpected = error;
      outcome = failed;
    } finally {
      this.current = null;
    }
    await this.dispatch(outcome);
  }

  /**
   * A transient network failure of a step whose machine backs off (version 3) becomes
   * NETWORK.RETRYING while the policy's budget lasts: tries, and total time since the step's
   * first try (retry-schedule.ts). Otherwise the outcome stands; the budget ends with any answer
   * but a failure (and a backoff's BACKOFF.DONE), so the person's RETRY starts a fresh one.
   */
  private retryOrFail(effectName: string, startedAt: number, outcome: MachineEvent): MachineEvent {
    if (outcome.type !== 'NETWORK.FAILED') {
      if (effectName !== BACKOFF_EFFECT) this.budget = null;
      return outcome;
    }
    const step = JSON.stringify(this.snapshot.value);
    const budget = this.budget?.step === step ? this.budget : { step, startedAt, failed: 0 };
    budget.failed += 1;
    this.budget = budget;
    const hint = networkRetryHint(outcome);
    const retry = this.options.retry;
    if (hint !== null && retry !== undefined) {
      const decision = nextRetry(retry.policy, { attempt: budget.failed, elapsedMs: retry.clock() - budget.startedAt, retryAfterMs: hint.retryAfterMs }, retry.random());
      if (decision.retry) {
        const retrying = { type: 'NETWORK.RETRYING', operation: outcome.operation, attempt: budget.failed, delayMs: decision.delayMs, reason: hint.reason };
        if (this.snapshot.can(retrying)) return retrying;
      }
    }
    this.budget = null;
    return outcome;
  }

  /** The error an effect threw that ended this flow in `failed`, for the app (its stack, its cause). */
  unexpectedError(): unknown {
    return this.unexpected;
  }

  /** EFFECT.FAILED for an error: its name, code and message, the message withheld if it quotes a secret of this flow. */
  private effectFailed(effectName: string, error: unknown): MachineEvent {
    const name = error instanceof Error ? error.name : typeof error;
    const rawCode = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    const code = typeof rawCode === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(rawCode) ? rawCode : null;
    let message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    const secrets = this.options.secrets(this.options.slot).filter((s) => passwordLength(s) >= MIN_PASSWORD_LENGTH);
    if (findSecret(message, secrets) !== null) message = '(withheld: the message quoted a secret of this flow)';
    return { type: 'EFFECT.FAILED', effect: effectName, error: name, code, message };
  }

  private async record(
    fromValue: unknown,
    event: MachineEvent,
    after: SnapshotFrom<AnyStateMachine>,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const { store, machine, machineVersion, now } = this.options;
    const toState = JSON.stringify(after.value);
    const record = {
      flowId: this.flowId,
      position: this.position,
      machineId: machine.id,
      machineVersion,
      fromState: fromValue === null ? null : fromValue === this.recordedValue ? this.recordedJson : JSON.stringify(fromValue),
      eventType: event.type,
      payload: JSON.stringify(payload),
      toState,
      at: now().toISOString(),
    };
    // R6 without breaking R3: only the payload's text values carry data from outside the machine;
    // the rest of the row (flow id, machine id, state names, event type, time) is the engine's own
    // vocabulary, which a valid password such as "backup" or "PASSWORD" may equal without leaking.
    // A string shorter than the shortest valid password (a mistyped attempt, a stray word) cannot
    // be told apart from ordinary text ("a" is in any row), and cannot be a password: not looked for.
    const texts = payloadTexts(payload);
    if (texts.length > 0) {
      const secrets = this.options.secrets(this.options.slot).filter((s) => passwordLength(s) >= MIN_PASSWORD_LENGTH);
      for (const text of texts) assertNoSecrets(text, secrets);
    }
    const result = await store.append(record, this.options.tags(after.context as Record<string, unknown>));
    if (!result.ok) {
      throw new EngineError(
        'log-conflict',
        `Flow ${this.flowId} expected log position ${this.position} but the log is at ${result.expectedPosition}; another writer appended to this flow.`,
      );
    }
    this.position++;
    this.recordedValue = after.value;
    this.recordedJson = toState;
    this.options.onRow(result.row);
  }
}

/** Every string value in a payload, at any depth (keys are the allowlist's own names). */
function payloadTexts(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) payloadTexts(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) payloadTexts(item, out);
  return out;
}

/** activeMeta per snapshot: a snapshot never changes, and the runner asks each one more than once. */
const metaOf = new WeakMap<object, StateMeta>();

/** The meta of the deepest active state (the leaf) that has one. */
export function activeMeta(snapshot: SnapshotFrom<AnyStateMachine>): StateMeta {
  let meta = metaOf.get(snapshot);
  if (meta === undefined) {
    meta = leafMeta(snapshot);
    metaOf.set(snapshot, meta);
  }
  return meta;
}

