/**
 * What a machine definition declares, read from the definition itself: every state node and
 * every transition, one per (source state, event, guard branch, target). The coverage check
 * (coverage.ts) compares this list with what executed runs took, so a state or a transition
 * added to a machine is counted without anyone listing it by hand.
 *
 * A transition's key names its source node id, its event ('always' for an eventless one), its
 * index among the candidates for that event in that node (the guard branch, tried in order) and
 * its target node ids ('(stay)' for a targetless one). Browser-safe.
 */
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition, StateValue } from 'xstate';
import { leafMeta, type StateMeta } from '../../machines/state-meta.ts';

export const ALWAYS_EVENT = 'always';

export interface DeclaredTransition {
  key: string;
  source: string;
  event: string;
  /** Index among the candidates for this event in the source node: the guard branch. */
  branch: number;
  /** The guard's name, when the branch has a named guard. */
  guard: string | null;
  targets: string[];
}

/** Every state node below the root, depth first, in definition order. */
export function stateNodesOf(machine: AnyStateMachine): AnyStateNode[] {
  const out: AnyStateNode[] = [];
  const walk = (node: AnyStateNode) => {
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      out.push(child);
      walk(child);
    }
  };
  walk(machine.root);
  return out;
}

function keyOf(source: string, event: string, branch: number, targets: string[]): string {
  return `${source} --${event}[${branch}]--> ${targets.length > 0 ? targets.join(',') : '(stay)'}`;
}

function targetsOf(t: AnyTransitionDefinition): string[] {
  return (t.target ?? []).map((node: AnyStateNode) => node.id);
}

function guardName(t: AnyTransitionDefinition): string | null {
  const guard = t.guard as unknown;
  if (typeof guard === 'string') return guard;
  if (guard && typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') return guard.type;
  return guard ? '(inline)' : null;
}

/** The coverage key of a transition definition, as found in a node or in an inspection event. */
export function transitionKey(t: AnyTransitionDefinition): string {
  const source = t.source as AnyStateNode;
  if (t.eventType === '') return keyOf(source.id, ALWAYS_EVENT, source.always?.indexOf(t) ?? -1, targetsOf(t));
  const candidates = source.transitions.get(t.eventType) ?? [];
  return keyOf(source.id, t.eventType, candidates.indexOf(t), targetsOf(t));
}

/** Every transition the machine declares: `on` (each guard branch) and `always`, of every node. */
export function transitionsOf(machine: AnyStateMachine): DeclaredTransition[] {
  const out: DeclaredTransition[] = [];
  for (const node of stateNodesOf(machine)) {
    for (const [event, candidates] of node.transitions) {
      candidates.forEach((t, branch) => {
        out.push({ key: transitionKey(t), source: node.id, event, branch, guard: guardName(t), targets: targetsOf(t) });
      });
    }
    (node.always ?? []).forEach((t, branch) => {
      out.push({ key: transitionKey(t), source: node.id, event: ALWAYS_EVENT, branch, guard: guardName(t), targets: targetsOf(t) });
    });
  }
  return out;
}

/** The ids of the state nodes a state value makes active (each compound and its active leaf). */
export function stateIdsOfValue(machine: AnyStateMachine, value: StateValue): string[] {
  const ids: string[] = [];
  const walk = (node: AnyStateNode, v: StateValue) => {
    if (typeof v === 'string') {
      const child = node.states[v] as AnyStateNode | undefined;
      if (child) ids.push(child.id);
      return;
    }
    for (const [key, sub] of Object.entries(v)) {
      const child = node.states[key] as AnyStateNode | undefined;
      if (!child) continue;
      ids.push(child.id);
      if (sub !== undefined) walk(child, sub as StateValue);
    }
  };
  walk(machine.root, value);
  return ids;
}

/** The ids of a node and its ancestors below the root. */
export function withAncestors(machine: AnyStateMachine, id: string): string[] {
  const out: string[] = [];
  let node: AnyStateNode | undefined = machine.getStateNodeById(id);
  while (node && node !== machine.root) {
    out.push(node.id);
    node = node.parent;
  }
  return out;
}


/** A state that waits for the person or has finished: where a run of the engine comes to rest. */
export function isQuiescent(snapshot: { status: string; getMeta(): Record<string, unknown> }): boolean {
  return snapshot.status !== 'active' || leafMeta(snapshot).waitsFor !== undefined;
}
