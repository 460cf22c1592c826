/**
 * How a snapshot is named in the explored graph (xstate/graph's `serializeState`).
 *
 * The machines' contexts would make the graph infinite (wrongPasswordAttempts counts up with
 * every wrong password) and needlessly large (hints, accounts, byte counts, failure reasons are
 * kept for display). A snapshot is therefore named by its state value plus the context facts its
 * guards read (MachineModel.guardFacts), and nothing else.
 *
 * Why that is sound: which transition an event takes depends only on the state value, the event
 * and the guards; the guards of every machine read only the event and the facts kept here (the
 * models say which, and test/model/projection-is-sound.test.ts checks it on every explored
 * state). Every assign either copies event fields, sets constants or counts attempts, and no
 * guard reads those fields. So two snapshots with the same name accept the same events and go
 * to states with the same names: merging them loses no state, no transition and no guard branch.
 *
 * Two names are used:
 * - `edgeKey` adds the event and the source state value, so every (source, event variant) pair
 *   is its own vertex and the shortest paths reach every transition with every payload variant;
 * - `stateKey` is the state alone, for the simple paths (no state twice on a path).
 * Browser-safe.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { MachineModel } from './model-types.ts';
import type { ModelEvent } from './variants-common.ts';

export function stateKey(model: MachineModel, snapshot: AnyMachineSnapshot): string {
  return JSON.stringify({ value: snapshot.value, facts: model.guardFacts(snapshot.context as Record<string, unknown>) });
}

export function edgeKey(model: MachineModel) {
  return (snapshot: AnyMachineSnapshot, event: ModelEvent | undefined, previous?: AnyMachineSnapshot): string => {
    const facts = model.variantFacts?.(snapshot.context as Record<string, unknown>);
    const here = facts === undefined ? stateKey(model, snapshot) : `${stateKey(model, snapshot)} ${JSON.stringify(facts)}`;
    if (event === undefined || previous === undefined) return here;
    return `${here} via ${JSON.stringify(event)} from ${JSON.stringify(previous.value)}`;
  };
}
