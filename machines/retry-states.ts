/**
 * What every version-3 machine adds: retries of a cloud step are the engine's, and logged
 * (issue 13, item 6; backoff after AWS Architecture Blog, "Exponential Backoff And Jitter").
 *
 * In every cloud step (a `running` state that names an effect, beside a `networkError` waiting
 * state: cloudStep and the provider check in provider-check.ts) a transient failure with budget
 * left answers NETWORK.RETRYING { operation, attempt, delayMs, reason } and the step waits in a
 * new sibling `backingOff`, whose effect `backoff` sleeps delayMs and answers BACKOFF.DONE ->
 * `running` again. A person may CANCEL while it waits. NETWORK.FAILED (the budget spent, or a
 * failure no retry can help) still goes to `networkError`, whose RETRY starts a fresh budget.
 *
 * Context gains `retry`: the last NETWORK.RETRYING's facts while the step keeps failing (an app
 * shows "retrying in 2 s, try 3 of 5"), kept by NETWORK.FAILED (how many tries were made), and
 * reset to null by any other answer of the step and by the person's RETRY.
 */
import { assign, createMachine, type AnyStateMachine } from 'xstate';
import { FAILED_STATE, type StateConfig } from './unexpected-failure.ts';

export const BACKOFF_EFFECT = 'backoff';
export const BACKING_OFF_STATE = 'backingOff';

/** NETWORK.RETRYING's facts: no secret, no URL (the engine's redactor keeps these fields only). */
export interface RetryFacts {
  /** The step's effect that failed (its `running` state's effect name). */
  operation: string;
  /** The try that failed (1 = the first). */
  attempt: number;
  /** The wait before the next try, in ms. */
  delayMs: number;
  /** An HTTP status and the provider's reason, or the connection fault. */
  reason: string;
}


type TransitionObject = { target?: string; actions?: unknown; [key: string]: unknown };

const rememberRetry = assign(({ event }) => {
  const { operation, attempt, delayMs, reason } = event as unknown as RetryFacts;
  return { retry: { operation, attempt, delayMs, reason } };
});

const forgetRetry = assign({ retry: null });

function withAction(transition: unknown, action: unknown): unknown {
  if (Array.isArray(transition)) return transition.map((t) => withAction(t, action));
  const object: TransitionObject = typeof transition === 'string' ? { target: transition } : { ...(transition as TransitionObject) };
  const actions = object.actions === undefined ? [] : Array.isArray(object.actions) ? object.actions : [object.actions];
  return { ...object, actions: [...actions, action] };
}

/** A cloud step's states with the backoff: `running` retries into `backingOff`, and every other answer forgets the retry. */
function retryingStep(step: StateConfig, machineId: string): StateConfig {
  const states = step.states!;
  const running = states.running!;
  const on = Object.fromEntries(
    Object.entries(running.on ?? {}).map(([type, transition]) => [type, type === 'NETWORK.FAILED' ? transition : withAction(transition, forgetRetry)]),
  );
  on['NETWORK.RETRYING'] = { target: BACKING_OFF_STATE, actions: rememberRetry };
  const networkError = states.networkError!;
  const networkOn = { ...(networkError.on ?? {}) };
  networkOn.RETRY = withAction(networkOn.RETRY, forgetRetry);
  const backingOff: StateConfig = {
    // An effect, not a waiting state: the engine runs the sleep; a person's CANCEL interrupts it.
    meta: { effect: BACKOFF_EFFECT },
    on: {
      'BACKOFF.DONE': 'running',
      CANCEL: `#${machineId}.cancelled`,
      'EFFECT.FAILED': (running.on ?? {})['EFFECT.FAILED'] ?? `#${machineId}.${FAILED_STATE}`,
    },
  };
  return {
    ...step,
    states: { ...states, running: { ...running, on }, networkError: { ...networkError, on: networkOn }, [BACKING_OFF_STATE]: backingOff },
  };
}

function isCloudStep(state: StateConfig): boolean {
  return state.states?.running?.meta?.effect !== undefined && state.states.networkError !== undefined;
}

/** A copy of a (version 2) state tree in which every cloud step backs off as described above. */
export function withRetryStates(states: Record<string, StateConfig>, machineId: string): Record<string, StateConfig> {
  return Object.fromEntries(
    Object.entries(states).map(([key, state]) => {
      if (isCloudStep(state)) return [key, retryingStep(state, machineId)];
      if (state.states) return [key, { ...state, states: withRetryStates(state.states, machineId) }];
      return [key, state];
    }),
  );
}

/**
 * The version-3 release of a version-2 machine (which already has EFFECT.FAILED and `failed`,
 * unexpected-failure.ts): its config copied, never edited, with the backoff in every cloud step
 * and `retry: null` in its context.
 */
export function retryingVersion(released: AnyStateMachine, version: number): AnyStateMachine {
  const config = released.config as unknown as { id: string; context: unknown; states: Record<string, StateConfig> } & Record<string, unknown>;
  if (!config.states[FAILED_STATE]) throw new Error(`Machine ${config.id} has no ${FAILED_STATE} state: derive it with nextVersion first`);
  const states = withRetryStates(config.states, config.id);
  const initial = config.context;
  const context =
    typeof initial === 'function'
      ? (args: unknown) => ({ ...(initial as (a: unknown) => Record<string, unknown>)(args), retry: null })
      : { ...(initial as Record<string, unknown>), retry: null };
  return createMachine(
    { ...config, version: String(version), context, states } as Parameters<typeof createMachine>[0],
    released.implementations as Parameters<typeof createMachine>[1],
  ) as unknown as AnyStateMachine;
}
