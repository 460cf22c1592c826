/**
 * Path generation with xstate/graph (createTestModel, getShortestPaths, getSimplePaths).
 *
 * For each scenario (input) of a machine's model:
 * - the shortest path to every (state, incoming transition, event variant), so every transition
 *   is reached with every payload variant the model has for it (projection.ts, `edgeKey`);
 * - for the scenarios that ask for it (all of them today), every simple path with every
 *   variant: no projected state twice on a path, which is what bounds them (a few hundred per
 *   scenario). Loops (retry, wrong password, storage full) are taken by the shortest paths: each
 *   loop edge, with each of its variants, at least once.
 * A path that ends where the engine would go on by itself (a state running an effect) is
 * extended by the shortest continuation to a state that waits for the person or is final, then
 * the paths are deduplicated (a path that is a prefix of another is dropped).
 * Browser-safe.
 */
import { createTestModel, getShortestPaths } from 'xstate/graph';
import type { AnyMachineSnapshot, StateValue } from 'xstate';
import { isQuiescent } from './machine-graph.ts';
import type { MachineModel, Scenario } from './model-types.ts';
import { MODELS } from './models.ts';
import { edgeKey, stateKey } from './projection.ts';
import { DISCRIMINATING_FIELDS, type ModelEvent } from './variants-common.ts';

export interface ModelStep {
  /** The event of this step; the first step's is 'xstate.init'. */
  event: ModelEvent;
  /** The state value after it. */
  state: StateValue;
}

export interface ModelPath {
  /** machine:scenario:kind#n, stable for a given machine definition. */
  id: string;
  machineId: string;
  scenario: string;
  kind: 'shortest' | 'simple';
  input: Record<string, unknown>;
  steps: ModelStep[];
  description: string;
}

interface RawPath {
  kind: ModelPath['kind'];
  steps: Array<{ event: ModelEvent; snapshot: AnyMachineSnapshot }>;
}

type GraphPath = { state: AnyMachineSnapshot; steps: Array<{ event: unknown; state: AnyMachineSnapshot }> };

function toRaw(kind: RawPath['kind'], path: GraphPath): RawPath {
  return { kind, steps: path.steps.map((s) => ({ event: s.event as ModelEvent, snapshot: s.state })) };
}

/** The model's variants that the snapshot accepts (a refused variant is no transition). */
function acceptedEvents(model: MachineModel) {
  return (snapshot: AnyMachineSnapshot): ModelEvent[] => model.events(snapshot).filter((e) => snapshot.can(e as never));
}

/** The same, without the event types the model keeps to the shortest paths. */
function simplePathEvents(model: MachineModel) {
  const accepted = acceptedEvents(model);
  const excluded = model.shortestPathsOnly;
  return (snapshot: AnyMachineSnapshot): ModelEvent[] => (excluded ? accepted(snapshot).filter((e) => !excluded(e)) : accepted(snapshot));
}

/** Appends the shortest continuation to a state that waits for the person or is final. */
function extendToRest(model: MachineModel, path: RawPath): RawPath {
  const last = path.steps[path.steps.length - 1]!.snapshot;
  if (isQuiescent(last)) return path;
  const continuations = getShortestPaths(model.machine, {
    events: acceptedEvents(model),
    serializeState: (s: AnyMachineSnapshot) => stateKey(model, s),
    fromState: last,
    toState: (s: AnyMachineSnapshot) => isQuiescent(s),
  } as never) as unknown as GraphPath[];
  const best = continuations.reduce<GraphPath | null>((a, b) => (a === null || b.steps.length < a.steps.length ? b : a), null);
  if (best === null) throw new Error(`No way to rest from ${JSON.stringify(last.value)} in ${model.id}`);
  return { kind: path.kind, steps: [...path.steps, ...toRaw(path.kind, best).steps.slice(1)] };
}

/** Drops every path whose event sequence is a prefix of another's (longest kept first). */
function deduplicate(paths: RawPath[]): RawPath[] {
  const encoded = paths
    .map((path) => ({ path, events: path.steps.map((s) => JSON.stringify(s.event)) }))
    .sort((a, b) => b.events.length - a.events.length);
  const kept: typeof encoded = [];
  for (const candidate of encoded) {
    const isPrefix = kept.some((k) => candidate.events.every((e, i) => k.events[i] === e));
    if (!isPrefix) kept.push(candidate);
  }
  return kept.map((k) => k.path);
}

/** An event as a person reads it: its type and its discriminating payload. */
export function describeEvent(event: ModelEvent): string {
  const shown = DISCRIMINATING_FIELDS.filter((f) => f in event).map((f) => `${f}=${JSON.stringify(event[f])}`);
  return shown.length > 0 ? `${event.type}(${shown.join(',')})` : event.type;
}

function scenarioPaths(model: MachineModel, scenario: Scenario): RawPath[] {
  // The events are passed to each generator: createTestModel's own `events` option would add a
  // bare { type } for every event type the state accepts that the model has no variant for.
  const testModel = createTestModel(model.machine);
  const shortest = testModel
    .getShortestPaths({
      input: scenario.input,
      events: acceptedEvents(model),
      serializeState: edgeKey(model),
      allowDuplicatePaths: true,
    } as never)
    .map((p) => toRaw('shortest', p as unknown as GraphPath));
  const simple = scenario.simplePaths
    ? testModel
        .getSimplePaths({
          input: scenario.input,
          events: simplePathEvents(model),
          serializeState: (s: AnyMachineSnapshot) => stateKey(model, s),
          allowDuplicatePaths: true,
        } as never)
        .map((p) => toRaw('simple', p as unknown as GraphPath))
    : [];
  return deduplicate([...shortest, ...simple].map((p) => extendToRest(model, p)));
}

/** Every path of one machine's model, over all its scenarios. */
export function generateModelPaths(model: MachineModel): ModelPath[] {
  const out: ModelPath[] = [];
  for (const scenario of model.scenarios) {
    const raw = scenarioPaths(model, scenario).sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'shortest' ? -1 : 1));
    raw.forEach((path, n) => {
      const steps = path.steps.map((s) => ({ event: s.event, state: s.snapshot.value }));
      out.push({
        id: `${model.id}:${scenario.name}:${path.kind}#${n + 1}`,
        machineId: model.id,
        scenario: scenario.name,
        kind: path.kind,
        input: scenario.input,
        steps,
        description: steps.slice(1).map((s) => describeEvent(s.event)).join(' → ') || '(initial state)',
      });
    });
  }
  return out;
}

/** Every path of a released machine, by machine id ('backup', 'restore', 'providerSwitch', 'offlineCopy'). */
export function generatePaths(machineId: string): ModelPath[] {
  const model = MODELS.find((m) => m.id === machineId);
  if (!model) throw new Error(`No test model for machine "${machineId}"; known: ${MODELS.map((m) => m.id).join(', ')}`);
  return generateModelPaths(model);
}
