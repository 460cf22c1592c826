/**
 * A later release of a machine, made from a released one: the released config is copied, never
 * edited (E5: a log names the version it ran, and replay needs that version as it was).
 *
 * What every version-2 machine adds: an effect that fails in a way no step expects (a disk
 * error, an unreadable file, a bug) no longer leaves its flow stuck in `X.running`. The engine
 * answers EFFECT.FAILED with the cause (the error's name, code and message, no secret), and the
 * flow ends in the final state `failed` (outcome failed, reason 'unexpected'), logged, with the
 * cause in its context for the app, the CLI and audit.
 */
import { assign, createMachine, type AnyStateMachine } from 'xstate';
import { outcome } from './state-meta.ts';

export const FAILED_STATE = 'failed';

/** What EFFECT.FAILED carries: enough to name the problem; never a secret (the engine checks). */
export interface EffectFailure {
  effect: string;
  /** The error's name (Error, TypeError, SqliteError...). */
  error: string;
  /** A system error code (EACCES, ENOSPC...) when it has one. */
  code: string | null;
  message: string;
}

/** A state's config as the version helpers copy it (xstate checks the assembled machine). */
export type StateConfig = {
  meta?: { effect?: string };
  on?: Record<string, unknown>;
  states?: Record<string, StateConfig>;
  [key: string]: unknown;
};

const rememberFailure = assign(({ event }) => {
  const failure = event as unknown as { type: string } & EffectFailure;
  return {
    failure: 'unexpected',
    cause: { effect: failure.effect, error: failure.error, code: failure.code, message: failure.message },
  };
});

/** A copy of a state tree in which every state that runs an effect can take EFFECT.FAILED. */
function withFailureTransitions(states: Record<string, StateConfig>, machineId: string): Record<string, StateConfig> {
  return Object.fromEntries(
    Object.entries(states).map(([key, state]) => {
      const copy: StateConfig = { ...state };
      if (state.states) copy.states = withFailureTransitions(state.states, machineId);
      if (state.meta?.effect !== undefined) {
        copy.on = { ...(state.on ?? {}), 'EFFECT.FAILED': { target: `#${machineId}.${FAILED_STATE}`, actions: rememberFailure } };
      }
      return [key, copy];
    }),
  );
}

export interface NextVersion {
  /** The new release's version number. */
  version: number;
  /** Further changes to the copied state tree (new transitions), applied after the failure ones. */
  states?: (states: Record<string, StateConfig>) => Record<string, StateConfig>;
  /** Context fields the new version adds, with their initial values. */
  context?: Record<string, unknown>;
}

/** Derives the next release of `released`: same states and implementations, plus EFFECT.FAILED and `failed`, plus `next`'s changes. */
export function nextVersion(released: AnyStateMachine, next: NextVersion): AnyStateMachine {
  const config = released.config as unknown as { id: string; context: unknown; states: Record<string, StateConfig> } & Record<string, unknown>;
  const id = config.id;
  if (config.states[FAILED_STATE]) throw new Error(`Machine ${id} already has a state named ${FAILED_STATE}`);
  let states = withFailureTransitions(config.states, id);
  states = { ...states, [FAILED_STATE]: outcome('failed', 'unexpected') as unknown as StateConfig };
  if (next.states) states = next.states(states);
  const added = { cause: null, ...(next.context ?? {}) };
  const initial = config.context;
  const context =
    typeof initial === 'function'
      ? (args: unknown) => ({ ...(initial as (a: unknown) => Record<string, unknown>)(args), ...added })
      : { ...(initial as Record<string, unknown>), ...added };
  return createMachine(
    { ...config, version: String(next.version), context, states } as Parameters<typeof createMachine>[0],
    released.implementations as Parameters<typeof createMachine>[1],
  ) as unknown as AnyStateMachine;
}

/** Adds transitions to one state of a copied tree, by its path of keys (e.g. ['uploading', 'running']). */
export function addTransitions(states: Record<string, StateConfig>, path: readonly string[], on: Record<string, unknown>): Record<string, StateConfig> {
  const [key, ...rest] = path;
  if (key === undefined) throw new Error('addTransitions needs a state path');
  const state = states[key];
  if (!state) throw new Error(`No state ${key} to add transitions to`);
  const copy: StateConfig =
    rest.length === 0 ? { ...state, on: { ...(state.on ?? {}), ...on } } : { ...state, states: addTransitions(state.states ?? {}, rest, on) };
  return { ...states, [key]: copy };
}

/** Removes transitions from one state of a copied tree (an event the new version's effect no longer answers). */
export function removeTransitions(states: Record<string, StateConfig>, path: readonly string[], events: readonly string[]): Record<string, StateConfig> {
  const [key, ...rest] = path;
  if (key === undefined) throw new Error('removeTransitions needs a state path');
  const state = states[key];
  if (!state) throw new Error(`No state ${key} to remove transitions from`);
  if (rest.length > 0) return { ...states, [key]: { ...state, states: removeTransitions(state.states ?? {}, rest, events) } };
  const on = { ...(state.on ?? {}) };
  for (const event of events) {
    if (!(event in on)) throw new Error(`State ${key} has no ${event} transition to remove`);
    delete on[event];
  }
  return { ...states, [key]: { ...state, on } };
}
