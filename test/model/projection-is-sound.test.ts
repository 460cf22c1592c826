/**
 * The projection that keeps the explored graphs finite (src/model/projection.ts) names a
 * snapshot by its state value and the context facts its guards read. That is sound only if the
 * guards read nothing else: here, at every snapshot the shortest paths pass, every variant the
 * model sends takes the same transitions when every other context field is scrambled.
 */
import { describe, expect, it } from 'vitest';
import { createActor, type AnyMachineSnapshot } from 'xstate';
import { generatePaths, MODELS, transitionKey } from '../../src/model/index.ts';

function scrambled(value: unknown): unknown {
  if (typeof value === 'number') return value + 7;
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string') return `${value}-scrambled`;
  if (Array.isArray(value)) return value.length === 0 ? ['scrambled'] : [];
  return 'scrambled';
}

describe.each(MODELS.filter((m) => m.id !== 'offlineCopy').map((m) => [m.id, m] as const))('%s: the guards read only the projected facts', (_id, model) => {
  it('every variant takes the same transitions with every unprojected context field scrambled', () => {
    let compared = 0;
    // The shortest paths reach every (state, incoming transition, variant) of the explored graph.
    for (const path of generatePaths(model.id).filter((p) => p.kind === 'shortest')) {
      const actor = createActor(model.machine, { input: path.input }).start();
      for (const step of path.steps.slice(1)) {
        const snapshot = actor.getSnapshot() as AnyMachineSnapshot;
        const context = snapshot.context as Record<string, unknown>;
        const facts = JSON.stringify(model.guardFacts(context));
        const other = Object.fromEntries(Object.entries(context).map(([k, v]) => [k, scrambled(v)]));
        // Keep the projected facts: put each original field back while the facts differ.
        for (const key of Object.keys(context)) if (JSON.stringify(model.guardFacts(other)) !== facts) other[key] = context[key];
        expect(JSON.stringify(model.guardFacts(other))).toBe(facts);
        const twin = model.machine.resolveState({ value: snapshot.value, context: other });
        for (const event of model.events(snapshot)) {
          const taken = model.machine.getTransitionData(snapshot as never, event as never).map(transitionKey);
          const twinTaken = model.machine.getTransitionData(twin as never, event as never).map(transitionKey);
          expect(twinTaken, `${JSON.stringify(snapshot.value)} ${event.type}`).toEqual(taken);
          compared++;
        }
        actor.send(step.event);
      }
      actor.stop();
    }
    expect(compared).toBeGreaterThan(0);
  });
});
