/**
 * Incremental replay of one flow (E5): the same rules as src/log/replay.ts's replayFlow, one row
 * at a time, so audit keeps one snapshot per open flow instead of loading whole flows.
 *
 * Row 0 must be 'xstate.init' with fromState null and the flow's input as payload; every later
 * row's event is `{ ...payload, type: eventType }`. xstate's pure `initialTransition` /
 * `transition` compute the next snapshot (no actor, no effect runs); the recorded fromState must
 * be the state replay is in and the recorded toState the state it reaches. As in replay.ts,
 * `expected` is what the machine requires and `actual` what the log holds. Browser-safe.
 *
 * Speed: one inert actor scope per machine (inert-scope.ts), and the transitions audit already
 * computed are remembered (transition-memo.ts).
 * `replayStep` is checked against `replayFlow` (which calls the public functions) by the tests.
 */
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import type { StoredRow } from '../ports/event-store.ts';
import { INIT_EVENT_TYPE, encodeStateValue, type ReplayProblem } from '../log/replay.ts';
import { inertScope } from './inert-scope.ts';
import type { TransitionMemo } from './transition-memo.ts';

export type ReplayStep =
  | { ok: true; snapshot: AnyMachineSnapshot; state: string; final: boolean }
  | { ok: false; problem: ReplayProblem; expected: string; actual: string };

function fail(problem: ReplayProblem, expected: string, actual: string): ReplayStep {
  return { ok: false, problem, expected, actual };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Replays `row` from `snapshot` (undefined before row 0), whose state JSON is `current`.
 * `payload` is the row's parsed payload, or an Error when it is not JSON. With a `memo`
 * (transition-memo.ts), a transition it remembers is not computed again. Never throws.
 */
export function replayStep(
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot | undefined,
  current: string,
  row: StoredRow,
  payload: unknown,
  memo?: TransitionMemo,
): ReplayStep {
  if (snapshot === undefined) {
    if (row.eventType !== INIT_EVENT_TYPE) return fail('init-event', INIT_EVENT_TYPE, row.eventType);
    if (row.fromState !== null) return fail('from-state', 'null', row.fromState);
  } else if (row.fromState !== current) {
    return fail('from-state', current, String(row.fromState));
  }
  if (payload instanceof Error) return fail('bad-payload', 'a JSON payload', payload.message);
  if (snapshot !== undefined && (payload === null || typeof payload !== 'object' || Array.isArray(payload))) {
    return fail('bad-payload', 'a JSON object payload', row.payload);
  }

  let next = memo?.lookup(machine, snapshot, current, row.eventType, row.payload, payload);
  if (next === undefined) {
    let computed: AnyMachineSnapshot;
    try {
      const scope = inertScope(machine);
      computed =
        snapshot === undefined
          ? (machine.getInitialSnapshot(scope, payload === null ? undefined : payload) as AnyMachineSnapshot)
          : (machine.transition(snapshot, { ...(payload as Record<string, unknown>), type: row.eventType } as EventObject, scope) as AnyMachineSnapshot);
    } catch (error) {
      return fail('machine-error', `no error (${errorText(error)})`, row.toState);
    }
    if (computed.status === 'error') return fail('machine-error', `no error (${errorText(computed.error)})`, row.toState);
    next = { snapshot: computed, state: encodeStateValue(computed.value), final: computed.status === 'done' };
    memo?.remember(machine, snapshot, current, row.eventType, row.payload, payload, next);
  }
  if (row.toState !== next.state) return fail('to-state', next.state, row.toState);
  return { ok: true, ...next };
}
