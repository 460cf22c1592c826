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
 *   2. by transition: xstate's own `getTransitionData` chooses the transition (guards evaluated on
 *      this flow's context and event; asked once per state and event type where no active state
 *      has a guarded transition, since the choice is then the same for every flow); if that transition was taken before from the same state,
 *      its actions are all `assign`s or none (assign-actions.ts), and nothing else acts (no entry,
 *      exit, eventless `always` transition or invoke on any state left or entered, no child
 *      actors, a machine without history states), the next snapshot is the remembered one with
 *      this flow's context run through those assignments, as xstate's resolveAssign runs them:
 *      what xstate's own `cloneMachineSnapshot` builds. Into a top-level final state, the
 *      machine's output is computed as xstate's getMachineOutput does. The first time, the
 *      context (and output) are compared with xstate's, and a transition where they differ is
 *      never answered here. This serves the tail of flows whose context is unique to them (a
 *      wallet id), which 1 cannot.
 *
 *   What is left to xstate: initial snapshots with a new input, nested final states, and anything
 *   with other actions.
 *
 * Memory is bounded: past `limit` remembered snapshots the memos start again (misses are only
 * slower). The memo reads xstate's public StateNode fields (states, transitions, entry, exit,
 * always, invoke); `test/audit/transition-memo.test.ts` checks its answers against uncached
 * replay on every row of generated logs, intact and tampered. Browser-safe.
 */
import type { AnyMachineSnapshot, AnyStateMachine, EventObject, StateValue } from 'xstate';
import { applyAssignments, assignmentsOf, sameValue } from './assign-actions.ts';
import { inertScope } from './inert-scope.ts';

type AnyStateNode = AnyStateMachine['root'];
type TransitionDefinition = ReturnType<AnyStateMachine['getTransitionData']>[number];

/** A replayed transition: the snapshot reached, its state as stored JSON, and whether it is final. */
export interface Advanced {
  snapshot: AnyMachineSnapshot;
  state: string;
  final: boolean;
}

export interface TransitionMemo {
  /**
   * The remembered result of taking event `eventType` with payload `payload` (its text, and as
   * parsed: an object after row 0) from `snapshot`, whose state JSON is `current`, if any.
   */
  lookup(machine: AnyStateMachine, snapshot: AnyMachineSnapshot | undefined, current: string, eventType: string, payload: string, parsed: unknown): Advanced | undefined;
  /** Remembers what xstate computed for that step. */
  remember(machine: AnyStateMachine, snapshot: AnyMachineSnapshot | undefined, current: string, eventType: string, payload: string, parsed: unknown, next: Advanced): void;
  /** How the lookups went, for the benchmark's notes. */
  readonly stats: { bySnapshot: number; byTransition: number; misses: number };
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

/**
 * Whether nothing but the transition itself acts between `from` and `to`: no child actors, and
 * no entry, exit, eventless (`always`) transition or invoke on any state active before or after.
 */
function onlyTheTransitionActs(machine: AnyStateMachine, from: AnyMachineSnapshot, to: AnyMachineSnapshot): boolean {
  if (Object.keys(from.children).length > 0 || Object.keys(to.children).length > 0) return false;
  for (const node of new Set([...activeNodes(machine.root, from.value), ...activeNodes(machine.root, to.value)])) {
    if (node.entry.length > 0 || node.exit.length > 0 || (node.always?.length ?? 0) > 0 || node.invoke.length > 0) return false;
  }
  return true;
}

/** Memo 2: a transition xstate chose, with the assignments that make its context. */
interface AssignTemplate {
  next: Advanced;
  assignments: NonNullable<ReturnType<typeof assignmentsOf>>;
  /** The top-level final state it enters, whose output the machine's output reads; else null. */
  final: AnyStateNode | null;
}

/** The top-level final state a transition enters (a child of a non-parallel root), or null. */
function topLevelFinal(machine: AnyStateMachine, chosen: TransitionDefinition): AnyStateNode | null {
  const target = chosen.target?.length === 1 ? (chosen.target[0] as AnyStateNode) : null;
  return target !== null && target.type === 'final' && target.parent === machine.root && machine.root.type !== 'parallel' ? target : null;
}

/**
 * A machine's output on entering the top-level final state `final`, as xstate's getMachineOutput
 * computes it: the root's output mapper, given the final state's done event (carrying the final
 * state's own output, resolved with the event that entered it).
 */
function machineOutput(machine: AnyStateMachine, final: AnyStateNode, context: Record<string, unknown>, event: EventObject): unknown {
  const root = machine.root;
  if (root.output === undefined) return undefined;
  const self = inertScope(machine).self;
  const resolve = (mapper: unknown, by: EventObject) =>
    typeof mapper === 'function' ? (mapper as (args: object) => unknown)({ context, event: by, self }) : mapper;
  const done = { type: `xstate.done.state.${final.id}`, output: final.output !== undefined ? resolve(final.output, event) : undefined };
  return resolve(root.output, done);
}

/**
 * The transitions xstate chose from one state on one event type. xstate's choice depends on the
 * context and the event's payload only through guards, and it draws its candidates from the
 * `transitions` of the active states alone: where none of those has a guard, the choice is the
 * same for every flow (`only`), and xstate is not asked again.
 */
interface ChoicesAt {
  guardFree: boolean;
  /** The transition chosen the first time (the only one where `guardFree`). */
  only: TransitionDefinition;
  templates: Map<TransitionDefinition, AssignTemplate | null>;
}

/** Whether no transition of any state active in `value` has a guard. */
function noGuardIn(machine: AnyStateMachine, value: StateValue): boolean {
  for (const node of activeNodes(machine.root, value)) {
    for (const transitions of node.transitions.values()) {
      for (const transition of transitions) if (transition.guard !== undefined) return false;
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
  /** machine → state JSON → event type → the transitions xstate chose there, each with its template (null: not eligible). */
  let byTransition = new Map<AnyStateMachine, ByEvent<ChoicesAt>>();
  let templates = 0;
  const withoutHistory = new Map<AnyStateMachine, boolean>();
  const stats = { bySnapshot: 0, byTransition: 0, misses: 0 };

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

  /** The one transition xstate's own selection (guards included) takes, or null. */
  const chosenTransition = (machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject): TransitionDefinition | null => {
    try {
      const chosen = machine.getTransitionData(snapshot, event);
      return chosen.length === 1 ? chosen[0]! : null;
    } catch (guardError) {
      // A guard that throws: the memo steps aside, and xstate throws this same error when it
      // computes the step itself (the caller's fallback), so nothing is lost here.
      void guardError;
      return null;
    }
  };
  const eventOf = (eventType: string, parsed: unknown) => ({ ...(parsed as Record<string, unknown>), type: eventType }) as EventObject;
  const countTemplate = () => {
    if (++templates <= limit) return true;
    byTransition = new Map();
    templates = 0;
    return false;
  };

  return {
    stats,
    lookup(machine, snapshot, current, eventType, payload, parsed) {
      const hit = snapshot === undefined ? initial.get(machine)?.get(payload) : get2(bySnapshot.get(snapshot), eventType, payload);
      if (hit !== undefined) {
        stats.bySnapshot += 1;
        shared.add(hit.snapshot);
        return hit;
      }
      if (snapshot === undefined) {
        stats.misses += 1;
        return undefined;
      }
      let next: Advanced | undefined;
      const choices = get2(byTransition.get(machine), current, eventType);
      if (choices !== undefined) {
        const event = eventOf(eventType, parsed);
        const chosen = choices.guardFree ? choices.only : chosenTransition(machine, snapshot, event);
        const assigned = chosen === null ? undefined : choices.templates.get(chosen);
        if (assigned) {
          try {
            const context =
              assigned.assignments.length === 0
                ? snapshot.context
                : applyAssignments(assigned.assignments, snapshot.context as Record<string, unknown>, event, inertScope(machine));
            const reached = (
              assigned.final === null
                ? { ...assigned.next.snapshot, context }
                : { ...assigned.next.snapshot, context, output: machineOutput(machine, assigned.final, context, event) }
            ) as AnyMachineSnapshot;
            stats.byTransition += 1;
            next = { snapshot: reached, state: assigned.next.state, final: assigned.final !== null };
          } catch (assignError) {
            // An assignment that throws or spawns: the memo steps aside and xstate computes the
            // step, throwing this same error if it is one.
            void assignError;
            next = undefined;
          }
        }
      }
      if (next === undefined) {
        stats.misses += 1;
        return undefined;
      }
      // Flows that share `snapshot` go on sharing after this step.
      rememberStep(snapshot, eventType, payload, next);
      return next;
    },
    remember(machine, snapshot, current, eventType, payload, parsed, next) {
      if (snapshot === undefined) {
        if (++remembered > limit) return;
        let payloads = initial.get(machine);
        if (payloads === undefined) initial.set(machine, (payloads = new Map()));
        payloads.set(payload, next);
        shared.add(next.snapshot);
        return;
      }
      rememberStep(snapshot, eventType, payload, next);
      const event = eventOf(eventType, parsed);
      const chosen = chosenTransition(machine, snapshot, event);
      if (chosen === null) return;
      let flows = byTransition.get(machine);
      if (flows === undefined) byTransition.set(machine, (flows = new Map()));
      let choices = get2(flows, current, eventType);
      if (choices === undefined) {
        choices = { guardFree: noGuardIn(machine, snapshot.value), only: chosen, templates: new Map() };
        set2(flows, current, eventType, choices);
      }
      if (choices.templates.has(chosen) || !countTemplate()) return;
      choices.templates.set(chosen, assignTemplate(machine, snapshot, event, chosen, next));
    },
  };

  function assignTemplate(machine: AnyStateMachine, from: AnyMachineSnapshot, event: EventObject, chosen: TransitionDefinition, next: Advanced): AssignTemplate | null {
    if (!plainMachine(machine) || !onlyTheTransitionActs(machine, from, next.snapshot)) return null;
    const final = next.snapshot.status === 'done' ? topLevelFinal(machine, chosen) : null;
    if (next.snapshot.status !== 'active' && final === null) return null;
    const assignments = assignmentsOf(machine, chosen.actions);
    if (assignments === null) return null;
    try {
      const context = applyAssignments(assignments, from.context as Record<string, unknown>, event, inertScope(machine));
      if (!sameValue(context, next.snapshot.context)) return null;
      if (final !== null && !sameValue(machineOutput(machine, final, context, event), next.snapshot.output)) return null;
      return { next, assignments, final };
    } catch (templateError) {
      // Not memoizable: xstate already computed this step (next) without the error, so the
      // template is simply not kept.
      void templateError;
      return null;
    }
  }
}
