/**
 * What a state's `meta` tells the engine. A machine never performs I/O: a state that needs
 * the outside world names an `effect`, which the engine runs and answers with an event; a
 * state that needs the person names what it `waitsFor`; a final state names its `outcome`.
 */
export type Outcome = 'done' | 'cancelled' | 'failed';

export interface StateMeta {
  effect?: string;
  waitsFor?: readonly string[];
  outcome?: Outcome;
  /** For failed outcomes and waiting states: a stable reason code the CLI maps to a message. */
  reason?: string;
}

export function effect(name: string): { meta: StateMeta } {
  return { meta: { effect: name } };
}

export function waitsFor(events: readonly string[], reason?: string): { meta: StateMeta } {
  return { meta: reason === undefined ? { waitsFor: events } : { waitsFor: events, reason } };
}

export function outcome(kind: Outcome, reason?: string): { type: 'final'; meta: StateMeta } {
  return { type: 'final', meta: reason === undefined ? { outcome: kind } : { outcome: kind, reason } };
}
