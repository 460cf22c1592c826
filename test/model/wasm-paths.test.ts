/**
 * The model-based paths with the device's event log in SQLite compiled to WebAssembly (issue 15:
 * the sqlite-wasm driver, in memory here; the same store code as better-sqlite3's, over another
 * driver). For each machine, the shortest set of paths that takes every transition any of its
 * paths takes (greedy set cover, shortest first), run and checked exactly as the better-sqlite3
 * runs are (test/model/harness: the engine follows the path, the rows chain and replay, no secret
 * in the database's bytes, a done backup restores on a second device), so that every transition is
 * recorded through the wasm driver at least once. WBE_WASM_PATHS=all runs every path.
 */
import { describe, expect, it } from 'vitest';
import { generatePaths, MODELS, type ExecutedStep } from '../../src/model/index.ts';
import { coveringPaths } from './harness/covering-paths.ts';
import { checkRun, disposeRun } from './harness/check-run.ts';
import { runPath } from './harness/run-path.ts';

const ALL = process.env.WBE_WASM_PATHS === 'all';

for (const machineId of MODELS.map((model) => model.id)) {
  const { paths, transitions, of } = coveringPaths(machineId, generatePaths(machineId), ALL);
  const executed: ExecutedStep[] = [];

  describe(`${machineId} with the log in sqlite-wasm: ${paths.length} of its ${of} paths, covering its transitions`, () => {
    it.each(paths)('$id: $description', async (path) => {
      const run = await runPath(path, { storeKind: 'sqlite-wasm' });
      try {
        expect(run.store.driver.name).toBe('sqlite-wasm');
        await checkRun(run);
        executed.push(...run.executed);
      } finally {
        await disposeRun(run);
      }
    });

    it('every transition of the machine was recorded through the wasm driver', () => {
      const covered = new Set(executed.filter((step) => step.machineId === machineId).flatMap((step) => step.transitions));
      expect(executed.length).toBeGreaterThan(0);
      expect([...transitions].filter((key) => !covered.has(key)), 'transitions no wasm run took').toEqual([]);
    });
  });
}
