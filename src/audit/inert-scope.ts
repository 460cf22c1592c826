/**
 * The inert actor scope that xstate's pure functions (`transition`, `initialTransition`) build on
 * every call, built once per machine instead (issue 6: audit replays a million rows).
 *
 * Building it costs about half of a step: it computes (and, without input, fails) an initial
 * snapshot. Actions that xstate would hand to the scope are collected and never run, exactly as
 * in the pure functions. Browser-safe.
 */
import { createActor, type AnyActorScope, type AnyStateMachine } from 'xstate';

const scopes = new WeakMap<AnyStateMachine, AnyActorScope>();

export function inertScope(machine: AnyStateMachine): AnyActorScope {
  let scope = scopes.get(machine);
  if (scope === undefined) {
    const self = createActor(machine);
    scope = {
      self,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      system: self.system,
      emit: () => {},
      actionExecutor: () => {},
    } as unknown as AnyActorScope;
    scopes.set(machine, scope);
  }
  return scope;
}
