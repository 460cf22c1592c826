/**
 * One machine's model-based suite: every generated path run against the real system, one fresh
 * system per path (run-path.ts) and checked (check-run.ts); then the coverage check over the
 * steps those runs executed. The coverage row rides on the test's meta to the reporter that
 * prints the table at the end of `npm test` (coverage-reporter.ts).
 */
import { describe, expect, it } from 'vitest';
import { coverageRow, generatePaths, machineCoverage, MODELS, type CoverageRow, type ExecutedStep, type MachineModel, type ModelPath } from '../../../src/model/index.ts';
import { checkRun, disposeRun } from './check-run.ts';
import { runPath } from './run-path.ts';

declare module 'vitest' {
  interface TaskMeta {
    /** Set by a model suite's coverage test; read by test/model/coverage-reporter.ts. */
    modelCoverage?: CoverageRow;
  }
}

export interface ModelSuite {
  model: MachineModel;
  paths: ModelPath[];
  /** Steps the real engine executed on paths that passed every check. */
  executed: ExecutedStep[];
}

export function modelSuite(machineId: string): ModelSuite {
  const model = MODELS.find((m) => m.id === machineId);
  if (!model) throw new Error(`no model for ${machineId}`);
  const suite: ModelSuite = { model, paths: generatePaths(machineId), executed: [] };

  describe(`${machineId}: every generated path, run against the real engine, SQLite log and scripted cloud`, () => {
    it.each(suite.paths)('$id: $description', async (path) => {
      const run = await runPath(path);
      try {
        await checkRun(run);
        suite.executed.push(...run.executed);
      } finally {
        await disposeRun(run);
      }
    });
  });

  describe(`${machineId}: coverage by the executed paths`, () => {
    it('every state and every transition (each guard branch) was taken by a run of the real engine', ({ task }) => {
      const coverage = machineCoverage(model.machine, suite.executed);
      task.meta.modelCoverage = coverageRow(coverage, suite.paths.length);
      expect(coverage.states.missing, 'states no executed path reached').toEqual([]);
      expect(coverage.transitions.missing, 'transitions no executed path took').toEqual([]);
    });
  });
  return suite;
}
