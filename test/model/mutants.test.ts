/**
 * Issue 3: a wrong target or a wrong guard in a machine is caught. Each mutant is the current
 * release of a machine (version 3) with one transition changed; the engine of the device runs the mutant (the test-only
 * `machines` option of createBackupEngine), and the generated paths of the ORIGINAL machine that
 * take the changed transition (the shortest 15 of them) are run against it: every one must fail.
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { backupMachineV3 as backupMachine, providerSwitchMachineV3 as providerSwitchMachine, restoreMachineV3 as restoreMachine } from '../../machines/index.ts';
import { generatePaths, stepsOfPath } from '../../src/model/index.ts';
import { checkRun, disposeRun } from './harness/check-run.ts';
import { mutateMachine } from './harness/mutate.ts';
import { runPath } from './harness/run-path.ts';

/** The shortest paths taking the changed transition, enough to show each is caught; keeps the suite fast. */
const MAX_PATHS_PER_MUTANT = 15;

interface Mutant {
  name: string;
  machineId: 'backup' | 'restore' | 'providerSwitch';
  original: AnyStateMachine;
  mutant: AnyStateMachine;
  /** The original transition whose behaviour the mutant changes: paths taking it must fail. */
  changed: string;
}

const MUTANTS: Mutant[] = [
  {
    name: 'backup: a wrong password goes on to encrypting (wrong target)',
    machineId: 'backup',
    original: backupMachine,
    mutant: mutateMachine(backupMachine, ['states', 'unlockingKeyring', 'on', 'KEYRING.WRONG_PASSWORD'], (t) => ({ ...(t as object), target: 'encrypting' })),
    changed: 'backup.unlockingKeyring --KEYRING.WRONG_PASSWORD[0]--> backup.enteringPassword',
  },
  {
    name: 'backup: a found keyring always starts a new epoch (guard dropped)',
    machineId: 'backup',
    original: backupMachine,
    mutant: mutateMachine(backupMachine, ['states', 'loadingKeyring', 'states', 'running', 'on', 'KEYRING.FOUND'], (branches) => {
      const [first, ...rest] = branches as Array<Record<string, unknown>>;
      const { guard: _dropped, ...unguarded } = first!;
      return [unguarded, ...rest];
    }),
    changed: 'backup.loadingKeyring.running --KEYRING.FOUND[1]--> backup.enteringPassword',
  },
  {
    name: 'backup: storage full while publishing waits in uploading (wrong target)',
    machineId: 'backup',
    original: backupMachine,
    mutant: mutateMachine(backupMachine, ['states', 'publishing', 'states', 'running', 'on', 'UPLOAD.QUOTA_EXCEEDED'], (t) => ({
      ...(t as object),
      target: '#backup.uploading.storageFull',
    })),
    changed: 'backup.publishing.running --UPLOAD.QUOTA_EXCEEDED[0]--> backup.publishing.storageFull',
  },
  {
    name: 'backup: a keyring another device created first starts a new password (wrong target)',
    machineId: 'backup',
    original: backupMachine,
    mutant: mutateMachine(backupMachine, ['states', 'uploading', 'states', 'running', 'on', 'KEYRING.TAKEN'], (t) => ({ ...(t as object), target: '#backup.choosingPassword' })),
    changed: 'backup.uploading.running --KEYRING.TAKEN[0]--> backup.enteringPassword',
  },
  {
    name: 'backup: the upload\'s backoff ends by going on to verifying, without trying the upload again (wrong target)',
    machineId: 'backup',
    original: backupMachine,
    mutant: mutateMachine(backupMachine, ['states', 'uploading', 'states', 'backingOff', 'on', 'BACKOFF.DONE'], () => ({ target: '#backup.verifying' })),
    changed: 'backup.uploading.backingOff --BACKOFF.DONE[0]--> backup.uploading.running',
  },
  {
    name: 'restore: a wrong password reads as a corrupt keyring (wrong target)',
    machineId: 'restore',
    original: restoreMachine,
    mutant: mutateMachine(restoreMachine, ['states', 'unlockingKeyring', 'states', 'running', 'on', 'KEYRING.WRONG_PASSWORD'], (t) => ({ ...(t as object), target: '#restore.recordCorrupt' })),
    changed: 'restore.unlockingKeyring.running --KEYRING.WRONG_PASSWORD[0]--> restore.enteringPassword',
  },
  {
    name: 'restore: an unexpected failure while listing reads as no backups (wrong target)',
    machineId: 'restore',
    original: restoreMachine,
    mutant: mutateMachine(restoreMachine, ['states', 'listing', 'states', 'running', 'on', 'EFFECT.FAILED'], (t) => ({ ...(t as object), target: '#restore.noBackups' })),
    changed: 'restore.listing.running --EFFECT.FAILED[0]--> restore.failed',
  },
  {
    name: 'providerSwitch: the already-active check is skipped (guard negated)',
    machineId: 'providerSwitch',
    original: providerSwitchMachine,
    mutant: mutateMachine(providerSwitchMachine, ['states', 'deciding', 'always'], () => [{ target: 'checkingProvider' }]),
    changed: 'providerSwitch.deciding --always[0]--> providerSwitch.alreadyActive',
  },
];

describe('a wrong target or guard in a machine fails the generated paths of the original', () => {
  it.each(MUTANTS)('$name', async ({ machineId, original, mutant, changed }) => {
    const crossing = generatePaths(machineId)
      .filter((path) => stepsOfPath(original, path).some((s) => s.transitions.includes(changed)))
      .sort((a, b) => a.steps.length - b.steps.length)
      .slice(0, MAX_PATHS_PER_MUTANT);
    expect(crossing.length, `paths of the original taking ${changed}`).toBeGreaterThan(0);
    const survivors: string[] = [];
    for (const path of crossing) {
      const run = await runPath(path, { machines: { [machineId]: mutant } });
      try {
        if (run.problems.length > 0) {
          // Caught while running: the engine left the original's path at some step.
          expect(run.problems[0]).toMatch(/^step \d+: the path (expects|has the person)/);
          continue;
        }
        await checkRun(run);
        survivors.push(path.id);
      } catch (error) {
        if (run.problems.length > 0) throw error;
        // Caught by a check of the log afterwards.
      } finally {
        await disposeRun(run);
      }
    }
    expect(survivors, 'paths that did not notice the mutant').toEqual([]);
  });
});
