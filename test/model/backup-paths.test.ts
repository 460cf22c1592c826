/**
 * Issue 3: every generated path of the backup machine (R3..R5, R8, R10..R13, R15..R17, E3)
 * runs against the real engine; every state and transition must be covered by those runs. Then
 * proof that the coverage check bites: a machine with one more state, or one more transition,
 * than the runs exercised is reported.
 */
import { describe, expect, it } from 'vitest';
import { backupMachine } from '../../machines/index.ts';
import { generateModelPaths, machineCoverage, stepsOfPath } from '../../src/model/index.ts';
import { mutateMachine } from './harness/mutate.ts';
import { modelSuite } from './harness/path-suite.ts';

const suite = modelSuite('backup');

describe('backup: the coverage check bites', () => {
  const original = () => machineCoverage(backupMachine, suite.executed);

  it('a state added without a path that reaches it is reported, even after generating paths for it', () => {
    const variant = mutateMachine(backupMachine, ['states'], (states) => ({ ...(states as object), orphan: { type: 'final', meta: { outcome: 'failed' } } }));
    const coverage = machineCoverage(variant, suite.executed);
    expect(coverage.complete).toBe(false);
    expect(coverage.states.missing).toEqual([...original().states.missing, 'backup.orphan']);
    // No event leads there, so no generated path does either.
    const generated = generateModelPaths({ ...suite.model, machine: variant }).flatMap((p) => stepsOfPath(variant, p));
    expect(machineCoverage(variant, generated).states.missing).toEqual(['backup.orphan']);
  });

  it('a transition that no run took is reported', () => {
    const variant = mutateMachine(backupMachine, ['states', 'enteringPassword', 'on'], (on) => ({ ...(on as object), 'SPACE.FREED': 'cancelled' }));
    const coverage = machineCoverage(variant, suite.executed);
    expect(coverage.complete).toBe(false);
    expect(coverage.transitions.missing).toEqual([...original().transitions.missing, 'backup.enteringPassword --SPACE.FREED[0]--> backup.cancelled']);
  });

  it('a guard branch that no run took is reported, though its source and event were covered', () => {
    const variant = mutateMachine(backupMachine, ['states', 'choosingPassword', 'on', 'PASSWORD.CHOSEN'], (branches) => [
      ...(branches as unknown[]),
      { guard: 'newEpochRequested', target: 'cancelled' },
    ]);
    const coverage = machineCoverage(variant, suite.executed);
    expect(coverage.transitions.missing).toEqual([...original().transitions.missing, 'backup.choosingPassword --PASSWORD.CHOSEN[3]--> backup.cancelled']);
  });
});
