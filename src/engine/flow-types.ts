/**
 * The flow objects' types as an app sees them. Written without xstate's or RxJS's types, so the
 * package's core entry declares nothing that needs the DOM's or Node's types (xstate's and RxJS's
 * declarations name AbortSignal and setTimeout): at run time `actor` is the XState actor and
 * `state$` an RxJS Observable, and both satisfy these shapes.
 */
import type { StateMeta } from '../../machines/state-meta.ts';

/** How an app stops listening (an RxJS Subscription is one). */
export interface Unsubscribable {
  unsubscribe(): void;
}

export interface FlowObserver<T> {
  next?(value: T): void;
  error?(error: unknown): void;
  complete?(): void;
}

/** Something that can be subscribed to: RxJS's `from()` and any Observable library accept it. */
export interface Subscribable<T> {
  subscribe(next: (value: T) => void): Unsubscribable;
  subscribe(observer?: FlowObserver<T>): Unsubscribable;
}

/** A state value: a state's name, or for nested states an object from parent to child. */
export type FlowStateValue = string | { [state: string]: FlowStateValue | undefined };

/** What an app reads of an XState snapshot of a flow. */
export interface FlowSnapshot {
  readonly value: FlowStateValue;
  readonly status: 'active' | 'done' | 'error' | 'stopped';
  readonly context: unknown;
}

/** The flow's XState actor, as far as an app needs it (events go through the flow's methods). */
export interface FlowActor {
  readonly id: string;
  readonly sessionId: string;
  getSnapshot(): FlowSnapshot;
  subscribe(next: (snapshot: FlowSnapshot) => void): Unsubscribable;
  subscribe(observer?: FlowObserver<FlowSnapshot>): Unsubscribable;
}

export interface FlowView {
  /** A snapshot of where the flow stands, and what it waits for, if anything. */
  state: unknown;
  status: 'active' | 'done' | 'error' | 'stopped';
  meta: StateMeta;
  busy: boolean;
  /**
   * Machines v3: the engine's last retry of the step that keeps failing (null when it is not
   * retrying): an app shows "retrying in {delayMs} ms (try {attempt + 1} of {policy.attempts})".
   */
  retry: RetryView | null;
}

/** NETWORK.RETRYING's facts (machines/retry-states.ts): no URL, no token. */
export interface RetryView {
  operation: string;
  /** The try that failed (1 = the first). */
  attempt: number;
  delayMs: number;
  /** An HTTP status and the provider's reason, or the connection fault. */
  reason: string;
}

export interface FlowBase {
  readonly id: string;
  /** The running XState actor (inspect it, subscribe to it; send events through the methods). */
  readonly actor: FlowActor;
  /** Every snapshot of the flow, the current one first (an RxJS Observable at run time). */
  readonly state$: Subscribable<FlowSnapshot>;
  /** Where the flow stands: state value, status, what it waits for, the final outcome. */
  view(): FlowView;
  context(): Record<string, unknown>;
  /** Resolves once the flow waits for the person or has finished. */
  settled(): Promise<FlowView>;
  retry(): Promise<FlowView>;
  cancel(): Promise<FlowView>;
  /** The error that ended the flow in `failed` (machines version 2), with its stack and causes; null otherwise. Never logged. */
  unexpectedError(): unknown;
}

export interface BackupFlow extends FlowBase {
  /** First backup or new epoch: the new backup password, twice (R3, R4, R8). */
  choosePassword(password: string, confirmation: string): Promise<FlowView>;
  /** Later backup: the account's backup password (R5). */
  enterPassword(password: string): Promise<FlowView>;
  /** The person forgot the password: start a new epoch (R8). */
  forgotPassword(): Promise<FlowView>;
  /** The person freed cloud storage (R12). */
  spaceFreed(): Promise<FlowView>;
  result(): BackupResult;
}

export interface BackupResult {
  outcome: 'done' | 'cancelled' | 'failed' | 'pending';
  reason: string | null;
  account: string | null;
  walletId: string | null;
  epoch: number | null;
}

export interface RestoreFlow extends FlowBase {
  chooseWallet(walletId: string): Promise<FlowView>;
  enterPassword(password: string): Promise<FlowView>;
  result(): RestoreResult;
}

export interface RestoreResult {
  outcome: 'done' | 'cancelled' | 'failed' | 'pending';
  reason: string | null;
  account: string | null;
  walletId: string | null;
  walletName: string | null;
  epoch: number | null;
  /** The restored phrase; only when outcome is 'done'. */
  mnemonic: string | null;
}

export interface ProviderSwitchFlow extends FlowBase {
  confirm(): Promise<FlowView>;
}
