/**
 * Model-based testing of the machines: their test models (event payload variants per state,
 * inputs), path generation with xstate/graph, and state/transition coverage read from the
 * machine definitions. Browser-safe; the CLI's `paths` command and test/model use it.
 */
export { generatePaths, generateModelPaths, describeEvent, type ModelPath, type ModelStep } from './paths.ts';
export {
  machineCoverage,
  createStepRecorder,
  stepsOfPath,
  coverageRow,
  formatCoverageTable,
  type CoverageCount,
  type CoverageRow,
  type ExecutedStep,
  type MachineCoverage,
  type StepRecorder,
} from './coverage.ts';
export { machineReport, type MachineReport } from './report.ts';
export { stateNodesOf, transitionsOf, transitionKey, isQuiescent, type DeclaredTransition } from './machine-graph.ts';
export { leafMeta } from '../../machines/state-meta.ts';
export { MODELS } from './models.ts';
export type { MachineModel, Scenario } from './model-types.ts';
export * from './variants-common.ts';
export { UNLISTED_WALLET_ID } from './restore-model.ts';
