/**
 * State and transition coverage of a machine by executed steps.
 *
 * What counts is read from the machine definition (machine-graph.ts): every state node and every
 * transition (source, event, guard branch, target), `always` included. What was covered comes
 * from runs: a step recorder plugged into an actor's `inspect` (the engine passes it to every
 * flow) keeps each snapshot and the transitions of each microstep, so an eventless transition
 * taken on the way counts too. `stepsOfPath` replays a generated path through the pure machine
 * the same way, for reports of what the generated paths would cover. Browser-safe.
 */
import { createActor, type AnyStateMachine, type InspectionEvent, type StateValue } from 'xstate';
import { stateIdsOfValue, stateNodesOf, transitionKey, transitionsOf, withAncestors } from './machine-graph.ts';
import type { ModelPath } from './paths.ts';

export interface ExecutedStep {
  machineId: string;
  /** The state value after the step. */
  state: StateValue;
  /** Keys (machine-graph.ts) of the transitions taken in the step. */
  transitions: string[];
}

export interface CoverageCount {
  covered: number;
  total: number;
  /** What the machine declares and no step covered. */
  missing: string[];
}

export interface MachineCoverage {
  machineId: string;
  states: CoverageCount;
  transitions: CoverageCount;
  complete: boolean;
}

export interface StepRecorder {
  /** Pass as an actor's (or the engine's) `inspect`. */
  inspect(event: InspectionEvent): void;
  readonly steps: ExecutedStep[];
  /** Recording is on unless paused (e.g. while a test sets its world up). */
  paused: boolean;
}

function sourceMachineId(t: { source: { machine: { id: string } } }): string {
  return t.source.machine.id;
}

export function createStepRecorder(): StepRecorder {
  const recorder: StepRecorder = {
    steps: [],
    paused: false,
    inspect(event) {
      if (recorder.paused) return;
      if (event.type === '@xstate.microstep') {
        const first = event._transitions[0];
        if (first === undefined) return;
        const snapshot = event.snapshot as unknown as { value: StateValue };
        recorder.steps.push({
          machineId: sourceMachineId(first as never),
          state: snapshot.value,
          transitions: event._transitions.map(transitionKey),
        });
      } else if (event.type === '@xstate.snapshot') {
        const logic = (event.actorRef as { logic?: { id?: string; root?: unknown } }).logic;
        if (!logic?.root || typeof logic.id !== 'string') return;
        recorder.steps.push({ machineId: logic.id, state: (event.snapshot as unknown as { value: StateValue }).value, transitions: [] });
      }
    },
  };
  return recorder;
}

/** The steps a generated path takes through the pure machine (no engine, no world). */
export function stepsOfPath(machine: AnyStateMachine, path: Pick<ModelPath, 'input' | 'steps'>): ExecutedStep[] {
  const recorder = createStepRecorder();
  const actor = createActor(machine, { input: path.input, inspect: recorder.inspect });
  actor.start();
  for (const step of path.steps.slice(1)) actor.send(step.event);
  actor.stop();
  return recorder.steps;
}

/** Which of the machine's states and transitions the steps cover (steps of other machines are ignored). */
export function machineCoverage(machine: AnyStateMachine, executedSteps: readonly ExecutedStep[]): MachineCoverage {
  const coveredStates = new Set<string>();
  const coveredTransitions = new Set<string>();
  const declared = transitionsOf(machine);
  const byKey = new Map(declared.map((t) => [t.key, t]));
  for (const step of executedSteps) {
    if (step.machineId !== machine.id) continue;
    for (const id of stateIdsOfValue(machine, step.state)) coveredStates.add(id);
    for (const key of step.transitions) {
      coveredTransitions.add(key);
      // A transition's source was active when it was taken, even a transient one (always).
      const t = byKey.get(key);
      if (t) for (const id of [t.source, ...t.targets]) for (const a of withAncestors(machine, id)) coveredStates.add(a);
    }
  }
  const stateIds = stateNodesOf(machine).map((n) => n.id);
  const missingStates = stateIds.filter((id) => !coveredStates.has(id));
  const missingTransitions = declared.map((t) => t.key).filter((key) => !coveredTransitions.has(key));
  return {
    machineId: machine.id,
    states: { covered: stateIds.length - missingStates.length, total: stateIds.length, missing: missingStates },
    transitions: { covered: declared.length - missingTransitions.length, total: declared.length, missing: missingTransitions },
    complete: missingStates.length === 0 && missingTransitions.length === 0,
  };
}

export interface CoverageRow {
  machine: string;
  statesCovered: number;
  statesTotal: number;
  transitionsCovered: number;
  transitionsTotal: number;
  paths: number;
}

export function coverageRow(coverage: MachineCoverage, paths: number): CoverageRow {
  return {
    machine: coverage.machineId,
    statesCovered: coverage.states.covered,
    statesTotal: coverage.states.total,
    transitionsCovered: coverage.transitions.covered,
    transitionsTotal: coverage.transitions.total,
    paths,
  };
}

function ratio(covered: number, total: number): string {
  const percent = total === 0 ? 100 : Math.floor((covered / total) * 1000) / 10;
  return `${covered}/${total} (${percent}%)`;
}

/** A plain-text table: machine, states covered/total, transitions covered/total, path count. */
export function formatCoverageTable(rows: readonly CoverageRow[]): string {
  const header = ['machine', 'states', 'transitions', 'paths'];
  const body = rows.map((r) => [r.machine, ratio(r.statesCovered, r.statesTotal), ratio(r.transitionsCovered, r.transitionsTotal), String(r.paths)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
