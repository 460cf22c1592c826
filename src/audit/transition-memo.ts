/**
 * Memo of replayed transitions for audit (issue 6): most rows of a long log repeat a transition
 * the audit already computed, and xstate's interpreter costs about ten times reading the row.
 * Everything here is exact: a remembered answer is returned only where xstate's pure
 * `transition` would return the same snapshot, and replay checks each row against it as before.
 *
 * Two memos, tried in this order:
 *
 *   1. by snapshot: (snapshot object, event type, payload text) → next snapshot. `transition` is a
 *      pure function of its snapshot and event, and flows that start with the same input and take
 *      the same events share snapshot objects (the first flow's), so the usual prefix of a flow
 *      (sign-in, keyring found, password entered, unlocked) is computed once per log, not per flow.
 *      Only steps from snapshots that a second flow reached are kept: a flow's own tail would
 *      never be asked for again.
 *   2. by state (context-free transitions): (state value, event type) → next state, for
 *      transitions whose result cannot depend on the context or the payload and that leave the
 *      context untouched: no guard and no action on any candidate transition for that event in
 *      any active state, no entry, exit, eventless (`always`) transition or invoke on any state left
 *      or entered, no child actors, a machine without history states, an active (not final)
 *      result, and xstate returned the same context object. The next snapshot is the remembered one
 *      with this flow's context: what xstate's own `cloneMachineSnapshot` builds. It serves the
 *      tail of flows whose context is unique to them (a wallet id), so memo 1 cannot.
 *
 * Memory is bounded: past `limit` remembered snapshots the memos start again (misses are only
 * slower). The memo reads xstate's public StateNode fields (states, transitions, entry, exit,
 * always, invoke); `test/audit/transition-memo.test.ts` checks its answers against uncached
 * replay on every row of generated logs, intact and tampered. Browser-safe.
 */
import type { AnyMachineSnapshot, AnyStateMachine, StateValue } from 'xstate';

type AnyStateNode = AnyStateMachine['root'];

/** A replayed transition: the snapshot reached, its state as stored JSON, and whether it is final. */
export interface Advanced {
  snapshot: AnyMachineSnapshot;
  state: string;
  final: boolean;
}

export interface TransitionMemo {
  /** The remembered result of taking event (eventType, payload text) from `snapshot`, if any. */
  lookup(machine: AnyStateMachine, snapshot: AnyMachineSnapshot | undefined, current: string, eventType: string, payload: string): Advanced | undefined;
  /** Remembers what xstate computed for that step. */
  remember(machine: AnyStateMachine, snapshot: AnyMachineSnapshot | undefined, current: string, eventType: string, payload: string, next: Advanced): void;
  /** How the lookups went, for the benchmark's notes. */
  readonly stats: { bySnapshot: number; byState: number; misses: number };
}

const DEFAULT_LIMIT = 5_000;

/** The state nodes a state value makes active, root first. */
function activeNodes(root: AnyStateNode, value: StateValue): AnyStateNode[] {
  const nodes = [root];
  const walk = (node: AnyStateNode, at: StateValue) => {
    if (typeof at === 'string') {
      const child = node.states[at];
      if (child) nodes.push(child);
      return;
    }
    for (const [key, inner] of Object.entries(at)) {
      const child = node.states[key];
      if (!child) continue;
      nodes.push(child);
      if (inner !== undefined) walk(child, inner as StateValue);
    }
  };
  walk(root, value);
  return nodes;
}

function hasHistoryState(node: AnyStateNode): boolean {
  return node.type === 'history' || Object.values(node.states).some((child) => hasHistoryState(child as AnyStateNode));
}

/** Whether an event can match a transition descriptor: itself, '*', or a partial wildcard 'A.*'. */
function mayMatch(descriptor: string, eventType: string): boolean {
  return descriptor === eventType || descriptor === '*' || (descriptor.endsWith('.*') && eventType.startsWith(descriptor.slice(0, -1)));
}

/** See the module header, memo 2. */
function isContextFree(machine: AnyStateMachine, from: AnyMachineSnapshot, to: AnyMachineSnapshot, eventType: string): boolean {
  if (to.status !== 'active' || to.context !== from.context) return false;
  if (Object.keys(from.children).length > 0 || Object.keys(to.children).length > 0) return false;
  for (const node of new Set([...activeNodes(machine.root, from.value), ...activeNodes(machine.root, to.value)])) {
    if (node.entry.length > 0 || node.exit.length > 0 || (node.always?.length ?? 0) > 0 || node.invoke.length > 0) return false;
    for (const [descriptor, candidates] of node.transitions) {
      if (!mayMatch(descriptor, eventType)) continue;
      if (candidates.some((t) => t.guard !== undefined || (t.actions?.length ?? 0) > 0)) return false;
    }
  }
  return true;
}

/** Two-level map: no key string is built per lookup (row strings are fresh; hashing them is the cost). */
type ByEvent<V> = Map<string, Map<string, V>>;

function get2<V>(map: ByEvent<V> | undefined, first: string, second: string): V | undefined {
  return map?.get(first)?.get(second);
}

function set2<V>(map: ByEvent<V>, first: string, second: string, value: V): void {
  let inner = map.get(first);
  if (inner === undefined) map.set(first, (inner = new Map()));
  inner.set(second, value);
}

export function createTransitionMemo(limit: number = DEFAULT_LIMIT): TransitionMemo {
  /** snapshot → event type → payload text → step. */
  let bySnapshot = new Map<AnyMachineSnapshot, ByEvent<Advanced>>();
  /** machine → payload text → initial step. */
  let initial = new Map<AnyStateMachine, Map<string, Advanced>>();
  /** Snapshots more than one flow reached (or initial ones): only their steps are remembered. */
  let shared = new WeakSet<AnyMachineSnapshot>();
  let remembered = 0;
  /** machine → state JSON → event type → template step, or null: not context-free. */
  let byState = new Map<AnyStateMachine, ByEvent<Advanced | null>>();
  let templates = 0;
  const withoutHistory = new Map<AnyStateMachine, boolean>();
  const stats = { bySnapshot: 0, byState: 0, misses: 0 };

  const plainMachine = (machine: AnyStateMachine) => {
    let plain = withoutHistory.get(machine);
    if (plain === undefined) withoutHistory.set(machine, (plain = !hasHistoryState(machine.root)));
    return plain;
  };
  /**
   * Remembers a step from a shared snapshot. A step from a snapshot only one flow reached (the
   * tail of a flow with its own wallet id) is not kept: it would never be asked for again, and
   * keeping it would only churn memory.
   */
  const rememberStep = (snapshot: AnyMachineSnapshot, eventType: string, payload: string, next: Advanced) => {
    if (!shared.has(snapshot)) return;
    if (++remembered > limit) {
      bySnapshot = new Map();
      initial = new Map();
      shared = new WeakSet();
      remembered = 0;
      return;
    }
    let events = bySnapshot.get(snapshot);
    if (events === undefined) bySnapshot.set(snapshot, (events = new Map()));
    set2(events, eventType, payload, next);
  };

  return {
    stats,
    lookup(machine, snapshot, current, eventType, payload) {
      const hit = snapshot === undefined ? initial.get(machine)?.get(payload) : get2(bySnapshot.get(snapshot), eventType, payload);
      if (hit !== undefined) {
        stats.bySnapshot += 1;
        shared.add(hit.snapshot);
        return hit;
      }
      const template = snapshot === undefined ? undefined : get2(byState.get(machine), current, eventType);
      if (template) {
        stats.byState += 1;
        // What xstate's cloneMachineSnapshot(template, { context }) builds, without the interpreter.
        const next = { snapshot: { ...template.snapshot, context: snapshot!.context }, state: template.state, final: false };
        // Flows that share `snapshot` go on sharing after this step.
        rememberStep(snapshot!, eventType, payload, next);
        return next;
      }
      stats.misses += 1;
      return undefined;
    },
    remember(machine, snapshot, current, eventType, payload, next) {
      if (snapshot === undefined) {
        if (++remembered > limit) return;
        let payloads = initial.get(machine);
        if (payloads === undefined) initial.set(machine, (payloads = new Map()));
        payloads.set(payload, next);
        shared.add(next.snapshot);
        return;
      }
      rememberStep(snapshot, eventType, payload, next);
      let states = byState.get(machine);
      if (states === undefined) byState.set(machine, (states = new Map()));
      if (get2(states, current, eventType) === undefined) {
        if (++templates > limit) {
          byState = new Map();
          templates = 0;
          return;
        }
        const free = plainMachine(machine) && isContextFree(machine, snapshot, next.snapshot, eventType);
        set2(states, current, eventType, free ? next : null);
      }
    },
  };
}
