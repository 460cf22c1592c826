/**
 * Figure 4, the model-based suite (information, no target): paths generated per second by
 * src/model (xstate/graph over each machine's test model), and paths executed per second by the
 * model harness of test/model: each path run against a fresh system (the real engine, a SQLite
 * log in a temp dir, a memory cloud scripted from the path, scrypt 2^10), compared row by row,
 * then checked as `npm test` checks it (check-run.ts: the log read back and its chain verified,
 * no secret in the files, replay through the released machine, a completed backup restored).
 *
 * A full run executes every generated path; --quick 10 of each machine, spread over its list. If the harness
 * cannot be loaded (it lives under test/ and may change), only generation is reported.
 */
import { generatePaths, MODELS, type ModelPath } from '../src/model/index.ts';
import { now, round, sum } from './lib/stats.ts';
import type { BenchOptions, FigureResult } from './lib/types.ts';

interface Harness {
  runPath: typeof import('../test/model/harness/run-path.ts').runPath;
  checkRun: typeof import('../test/model/harness/check-run.ts').checkRun;
  disposeRun: typeof import('../test/model/harness/check-run.ts').disposeRun;
}

async function loadHarness(): Promise<Harness | string> {
  try {
    const { runPath } = await import('../test/model/harness/run-path.ts');
    const { checkRun, disposeRun } = await import('../test/model/harness/check-run.ts');
    return { runPath, checkRun, disposeRun };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** `count` paths spread evenly over the list (all of them when there are fewer). */
function sample<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]!);
}

interface MachineResult {
  machineId: string;
  paths: number;
  generateMs: number;
  executed: number;
  executeMs: number;
  failed: string[];
}

export async function benchModel(options: BenchOptions): Promise<FigureResult> {
  const harness = await loadHarness();
  const perMachine = options.quick ? 10 : Number.POSITIVE_INFINITY;
  const results: MachineResult[] = [];
  for (const model of MODELS) {
    let t = now();
    const paths: ModelPath[] = generatePaths(model.id);
    const generateMs = now() - t;
    const chosen = sample(paths, perMachine);
    const failed: string[] = [];
    let executeMs = 0;
    if (typeof harness !== 'string') {
      options.log(`model: ${model.id}: ${paths.length} paths generated, executing ${chosen.length}`);
      t = now();
      for (const path of chosen) {
        const run = await harness.runPath(path);
        try {
          if (run.problems.length > 0) throw new Error(run.problems[0]);
          await harness.checkRun(run);
        } catch (error) {
          failed.push(`${path.id}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        } finally {
          await harness.disposeRun(run);
        }
      }
      executeMs = now() - t;
    }
    results.push({ machineId: model.id, paths: paths.length, generateMs, executed: typeof harness === 'string' ? 0 : chosen.length, executeMs, failed });
  }
  const generated = sum(results.map((r) => r.paths));
  const generateMs = sum(results.map((r) => r.generateMs));
  const executed = sum(results.map((r) => r.executed));
  const executeMs = sum(results.map((r) => r.executeMs));
  const failures = results.flatMap((r) => r.failed);
  const rows: FigureResult['rows'] = [
    {
      id: 'model.generate',
      figure: `4. Model paths generated/s (${generated} paths)`,
      unit: 'paths/s',
      engine: round((generated / generateMs) * 1000, 1),
      baseline: null,
      ratio: null,
      target: 'info',
      met: null,
    },
  ];
  const notes = [
    `4. ${results.map((r) => `${r.machineId} ${r.paths}`).join(', ')} paths generated in ${(generateMs / 1000).toFixed(1)} s.`,
  ];
  if (typeof harness === 'string') {
    notes.push(`   Paths not executed: the model harness (test/model/harness) did not load: ${harness}`);
  } else {
    rows.push({
      id: 'model.execute',
      figure: `4a. ... executed+checked/s (${executed} paths)`,
      unit: 'paths/s',
      engine: round((executed / executeMs) * 1000, 1),
      baseline: null,
      ratio: null,
      target: 'info',
      met: failures.length === 0 ? null : false,
    });
    notes.push(
      `   ${executed} paths executed against the real engine (SQLite log, scripted memory cloud, scrypt 2^10) and checked ` +
        `as npm test does, in ${(executeMs / 1000).toFixed(1)} s${options.quick ? ' (--quick: 10 per machine, spread over the list)' : ''}` +
        `${failures.length > 0 ? `; ${failures.length} FAILED: ${failures.slice(0, 3).join('; ')}` : ''}.`,
    );
  }
  return { rows, notes, detail: { machines: results } };
}
