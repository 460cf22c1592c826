/**
 * A transition's `assign` actions, applied to a context the way xstate v5's `resolveAssign` does
 * (issue 6: the transition memo's third kind, see transition-memo.ts).
 *
 * xstate resolves each action of a transition in order: an inline action is itself; a string or
 * `{ type }` names one of the machine's implementations. An `assign` action carries its
 * `assignment`: a function of `{ context, event, spawn, self, system }` returning a partial
 * context, or an object whose function values are called with the same arguments. Each assign
 * sees the context the one before it produced, and the result is
 * `Object.assign({}, context, partial)`.
 *
 * `assignmentsOf` accepts only what that covers: assign actions without params. Anything else
 * (a custom action, raise, sendTo, enqueueActions, params) returns null, and the transition is
 * left to xstate. An assignment that spawns an actor throws here; the caller treats that as a miss.
 * Browser-safe.
 */
import type { AnyActorScope, AnyStateMachine, EventObject } from 'xstate';

type Assigner = (args: AssignArgs, params: undefined) => unknown;
type Assignment = Assigner | Record<string, unknown>;

interface AssignArgs {
  context: Record<string, unknown>;
  event: EventObject;
  spawn: () => never;
  self: AnyActorScope['self'];
  system: AnyActorScope['system'];
}

const ASSIGN = 'xstate.assign';

function noSpawn(): never {
  throw new Error('assign-actions: an assignment that spawns an actor is left to xstate');
}

/** The assignments of a transition's actions, in order; null unless every action is a plain assign. */
export function assignmentsOf(machine: AnyStateMachine, actions: readonly unknown[] | undefined): Assignment[] | null {
  const out: Assignment[] = [];
  for (const action of actions ?? []) {
    let resolved: unknown;
    if (typeof action === 'function') resolved = action;
    else if (typeof action === 'string') resolved = machine.implementations.actions[action];
    else if (action !== null && typeof action === 'object' && !('params' in action) && typeof (action as { type?: unknown }).type === 'string') {
      resolved = machine.implementations.actions[(action as { type: string }).type];
    } else return null;
    if (typeof resolved !== 'function') return null;
    const { type, assignment } = resolved as { type?: unknown; assignment?: unknown };
    if (type !== ASSIGN || (typeof assignment !== 'function' && (assignment === null || typeof assignment !== 'object'))) return null;
    out.push(assignment as Assignment);
  }
  return out;
}

/** The context after the assignments, as xstate's resolveAssign computes it. */
export function applyAssignments(
  assignments: readonly Assignment[],
  context: Record<string, unknown>,
  event: EventObject,
  scope: AnyActorScope,
): Record<string, unknown> {
  let current = context;
  for (const assignment of assignments) {
    const args: AssignArgs = { context: current, event, spawn: noSpawn, self: scope.self, system: scope.system };
    let partial: Record<string, unknown>;
    if (typeof assignment === 'function') partial = assignment(args, undefined) as Record<string, unknown>;
    else {
      partial = {};
      for (const key of Object.keys(assignment)) {
        const value = assignment[key];
        partial[key] = typeof value === 'function' ? (value as Assigner)(args, undefined) : value;
      }
    }
    current = Object.assign({}, current, partial);
  }
  return current;
}

/** Structural equality of JSON-like values (contexts), to check applyAssignments against xstate once per transition. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key, i) => key === keysB[i] && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
