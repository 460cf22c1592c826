/**
 * The shape of a machine's test model: the machine, the inputs it is explored from, the event
 * variants it may receive in each state, and the context facts its guards read (the projection
 * that keeps the explored graph finite, see projection.ts). Browser-safe.
 */
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import type { ModelEvent } from './variants-common.ts';

export interface Scenario {
  /** Short name, part of every path id. */
  name: string;
  /** The machine's input, exactly as the engine logs it (without deviceId). */
  input: Record<string, unknown>;
  /** Also explore the simple paths from this input (shortest paths are always explored). */
  simplePaths: boolean;
}

export interface MachineModel {
  id: string;
  machine: AnyStateMachine;
  scenarios: readonly Scenario[];
  /** Every event variant the world may send in this snapshot (filtered to the ones it accepts). */
  events(snapshot: AnyMachineSnapshot): ModelEvent[];
  /** The context fields the machine's guards read: everything else is left out of the graph. */
  guardFacts(context: Record<string, unknown>): unknown;
  /**
   * Event types offered to the shortest paths only (each of their transitions and variants is
   * still taken), not to the simple paths: an ending every effect state has (EFFECT.FAILED)
   * would multiply the simple paths by the number of ways to reach each effect.
   */
  shortestPathsOnly?(event: ModelEvent): boolean;
  /**
   * Context facts that decide which of those shortest-path-only variants a snapshot offers: they
   * name a snapshot in the shortest-path graph (so each variant is reached), not in the simple one.
   */
  variantFacts?(context: Record<string, unknown>): unknown;
}
