/**
 * A machine's generated paths with the coverage they give when replayed through the pure
 * machine: what a `paths` command can print without running the engine. (The tests measure
 * coverage from runs of the real engine instead; see test/model.) Browser-safe.
 */
import { coverageRow, machineCoverage, stepsOfPath, type CoverageRow, type MachineCoverage } from './coverage.ts';
import { MODELS } from './models.ts';
import { generateModelPaths, type ModelPath } from './paths.ts';

export interface MachineReport {
  paths: ModelPath[];
  coverage: MachineCoverage;
  row: CoverageRow;
}

export function machineReport(machineId: string): MachineReport {
  const model = MODELS.find((m) => m.id === machineId);
  if (!model) throw new Error(`No test model for machine "${machineId}"; known: ${MODELS.map((m) => m.id).join(', ')}`);
  const paths = generateModelPaths(model);
  const coverage = machineCoverage(model.machine, paths.flatMap((path) => stepsOfPath(model.machine, path)));
  return { paths, coverage, row: coverageRow(coverage, paths.length) };
}
