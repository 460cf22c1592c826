/**
 * Where a recorded or live state sits on a machine's diagram: the node ids a state value makes
 * active, the outcome of a final state, and the edges a transition was drawn as (ids from
 * statechart-dot.ts). Read from the machine definition; browser-safe.
 *
 * State values come from outside (the log's rows, a live app's snapshots): a key is looked up only
 * among a node's own states (never "constructor" or "__proto__" through the prototype), and a
 * part that is not a string or an object names no node.
 */
import type { AnyStateMachine, AnyStateNode, StateValue } from 'xstate';
import type { StateMeta } from '../../machines/state-meta.ts';
import { edgeElementId } from './statechart-dot.ts';

/** A node's own child state named `key`, if it has one. */
function childState(node: AnyStateNode, key: string): AnyStateNode | undefined {
  return Object.hasOwn(node.states, key) ? (node.states[key] as AnyStateNode) : undefined;
}

/** The ids of the nodes a state value makes active, outermost first (unknown keys are skipped). */
export function activeNodeIds(machine: AnyStateMachine, value: StateValue | null): string[] {
  const ids: string[] = [];
  const walk = (node: AnyStateNode, part: unknown) => {
    if (typeof part === 'string') {
      const child = childState(node, part);
      if (child) ids.push(child.id);
      return;
    }
    if (part === null || typeof part !== 'object' || Array.isArray(part)) return;
    for (const [key, inner] of Object.entries(part)) {
      const child = childState(node, key);
      if (!child) continue;
      ids.push(child.id);
      walk(child, inner);
    }
  };
  walk(machine.root as AnyStateNode, value);
  return ids;
}

/** The active leaves: the ids no other active id nests under. */
export function leafIds(ids: readonly string[]): string[] {
  return ids.filter((id) => !ids.some((other) => other.startsWith(`${id}.`)));
}

/** The node with this id, found by walking the definition (getStateNodeById throws for an unknown id). */
function nodeById(machine: AnyStateMachine, id: string): AnyStateNode | null {
  const search = (node: AnyStateNode): AnyStateNode | null => {
    if (node.id === id) return node;
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      const found = search(child);
      if (found) return found;
    }
    return null;
  };
  return search(machine.root as AnyStateNode);
}

/** 'done' | 'cancelled' | 'failed' when the state value is a final state, else null. */
export function outcomeOf(machine: AnyStateMachine, value: StateValue | null): string | null {
  for (const id of leafIds(activeNodeIds(machine, value))) {
    const meta = (nodeById(machine, id)?.meta ?? {}) as StateMeta;
    if (meta.outcome) return meta.outcome;
  }
  return null;
}

/**
 * The diagram edges a recorded transition can have taken: transitions for `eventType` from a node
 * active before it whose targets are all active after it (a targetless one stays in its node).
 */
export function takenEdgeIds(machine: AnyStateMachine, from: StateValue | null, eventType: string, to: StateValue): string[] {
  const before = activeNodeIds(machine, from);
  const after = new Set(activeNodeIds(machine, to));
  const edges = new Set<string>();
  for (const id of before) {
    const node = nodeById(machine, id);
    const candidates = node?.transitions.get(eventType) ?? [];
    for (const t of candidates) {
      const targets = (t.target ?? [node]) as AnyStateNode[];
      if (targets.every((target) => after.has(target.id))) {
        for (const target of targets) edges.add(edgeElementId(id, target.id));
      }
    }
  }
  return [...edges];
}
