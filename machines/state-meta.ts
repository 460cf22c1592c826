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

/**
 * The meta of the deepest active state that has one: what the flow does now (its effect, what it
 * waits for, or its outcome). Nested states inherit nothing from their parents' meta.
 */
export function leafMeta(snapshot: { getMeta(): Record<string, unknown> }): StateMeta {
  let best: StateMeta = {};
  let depth = -1;
  for (const [id, meta] of Object.entries(snapshot.getMeta())) {
    const d = id.split('.').length;
    if (meta && d > depth) {
      best = meta as StateMeta;
      depth = d;
    }
  }
  return best;
}
