/**
 * Replay of a recorded flow through the pure machine definition (E5).
 *
 * Row 0 is the initial transition: event type 'xstate.init', fromState null, payload the flow's
 * redacted input as JSON (`null` means no input). Every later row's event is
 * `{ ...JSON.parse(payload), type: eventType }` (the recorded type wins over a stray `type` field).
 * xstate's pure `initialTransition` / `transition` compute each snapshot; at every step the
 * recorded fromState must equal the state replay was in and the recorded toState the state it
 * reaches, both as `JSON.stringify(snapshot.value)` (see encodeStateValue).
 *
 * In a failure, as in verifyChain, `expected` is what replay (the machine definition) requires and
 * `actual` what the log holds: for a doctored toState, expected is the state the machine reaches.
 * Browser-safe.
 */
import { initialTransition, transition, type AnyStateMachine, type EventFromLogic, type SnapshotFrom, type StateValue } from 'xstate';
import type { StoredRow } from '../ports/event-store.ts';

export const INIT_EVENT_TYPE = 'xstate.init';

/** The JSON text of a state value, as the log stores fromState and toState. */
export function encodeStateValue(value: StateValue): string {
  return JSON.stringify(value);
}

export type ReplayProblem =
  | 'no-rows'
  | 'wrong-flow'
  | 'position'
  | 'init-event'
  | 'bad-payload'
  | 'from-state'
  | 'to-state'
  | 'machine-error';

export type ReplayResult<TSnapshot> =
  | { ok: true; finalSnapshot: TSnapshot }
  | {
      ok: false;
      /** Position of the first row that does not replay. */
      position: number;
      /** What replay requires (for 'to-state' and 'from-state': the machine's state JSON). */
      expected: string;
      /** What the log holds instead. */
      actual: string;
      problem: ReplayProblem;
    };

function parsePayload(payload: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(payload) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Replays one flow's rows (in position order, all of one flow) through `machine` and checks every
 * recorded state. Never throws for a bad log; a machine that throws is reported as 'machine-error'.
 */
export function replayFlow<TMachine extends AnyStateMachine>(
  machine: TMachine,
  rows: readonly StoredRow[],
): ReplayResult<SnapshotFrom<TMachine>> {
  const first = rows[0];
  if (first === undefined) {
    return { ok: false, position: 0, expected: 'a row at position 0', actual: 'no rows', problem: 'no-rows' };
  }
  if (first.eventType !== INIT_EVENT_TYPE) {
    return { ok: false, position: first.position, expected: INIT_EVENT_TYPE, actual: first.eventType, problem: 'init-event' };
  }
  if (first.fromState !== null) {
    return { ok: false, position: first.position, expected: 'null', actual: first.fromState, problem: 'from-state' };
  }

  let snapshot: SnapshotFrom<TMachine> | undefined;
  let current = 'null';
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    const fail = (problem: ReplayProblem, expected: string, actual: string) =>
      ({ ok: false, position: row.position, expected, actual, problem }) as const;

    if (row.flowId !== first.flowId) return fail('wrong-flow', first.flowId, row.flowId);
    if (row.position !== index) return fail('position', String(index), String(row.position));
    if (index > 0 && row.fromState !== current) return fail('from-state', current, String(row.fromState));

    const parsed = parsePayload(row.payload);
    if (!parsed.ok) return fail('bad-payload', 'a JSON payload', parsed.message);

    try {
      if (index === 0) {
        const input = parsed.value === null ? undefined : parsed.value;
        // The log stores input as JSON; its static type is the machine's to check, not ours.
        [snapshot] = (initialTransition as (logic: TMachine, input?: unknown) => [SnapshotFrom<TMachine>, unknown[]])(
          machine,
          input,
        );
      } else {
        const fields = parsed.value;
        if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
          return fail('bad-payload', 'a JSON object payload', row.payload);
        }
        const event = { ...(fields as Record<string, unknown>), type: row.eventType } as EventFromLogic<TMachine>;
        [snapshot] = transition(machine, snapshot!, event);
      }
    } catch (error) {
      return fail('machine-error', `no error (${errorText(error)})`, row.toState);
    }

    const status = (snapshot as { status?: string }).status;
    if (status === 'error') {
      return fail('machine-error', `no error (${errorText((snapshot as { error?: unknown }).error)})`, row.toState);
    }
    current = encodeStateValue((snapshot as { value: StateValue }).value);
    if (row.toState !== current) return fail('to-state', current, row.toState);
  }
  return { ok: true, finalSnapshot: snapshot! };
}
