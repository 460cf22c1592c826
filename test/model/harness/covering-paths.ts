/**
 * The shortest set of a machine's paths that takes every transition any of them takes (greedy set
 * cover, shortest first), for the runs that cannot afford every path (over HTTP, on the wasm
 * driver). `all`: every path instead. A machine whose paths take no transition keeps them all.
 */
import { MODELS, stepsOfPath, type ModelPath } from '../../../src/model/index.ts';

export function coveringPaths(machineId: string, candidates: readonly ModelPath[], all: boolean): { paths: ModelPath[]; transitions: Set<string>; of: number } {
  const model = MODELS.find((candidate) => candidate.id === machineId)!;
  const taken = new Map(candidates.map((path) => [path, new Set(stepsOfPath(model.machine, path).flatMap((step) => step.transitions))]));
  const transitions = new Set([...taken.values()].flatMap((keys) => [...keys]));
  if (all) return { paths: [...candidates], transitions, of: candidates.length };
  const chosen: ModelPath[] = [];
  const left = new Set(transitions);
  const byLength = [...candidates].sort((a, b) => a.steps.length - b.steps.length);
  while (left.size > 0) {
    let best: ModelPath | null = null;
    let gain = 0;
    for (const path of byLength) {
      const adds = [...taken.get(path)!].filter((key) => left.has(key)).length;
      if (adds > gain) [best, gain] = [path, adds];
    }
    chosen.push(best!);
    for (const key of taken.get(best!)!) left.delete(key);
  }
  return { paths: chosen.length > 0 ? chosen : [...candidates], transitions, of: candidates.length };
}
