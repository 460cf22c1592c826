/**
 * The machine modules load: building a statechart resolves every target and initial state, so a
 * definition that names a state that does not exist (or breaks an id) throws when the module is
 * imported. Imported here inside a test, not at the top of the file, so such a failure is a
 * failing test with the machine's own error. (Stryker's vitest runner counts only failing tests:
 * a test file that cannot even be imported is not one, stryker-js#6150; this makes a mutant that
 * stops the machines from loading count as killed, as it is for `npm test`.)
 */
import { describe, expect, it } from 'vitest';

describe('machine modules', () => {
  it('E5: every released machine builds when its module is imported', async () => {
    const machines = await import('../../machines/index.ts');
    expect(machines.MACHINE_RELEASES.map((r) => `${r.machine.id}@${r.machine.version}`)).toEqual([
      'backup@1',
      'restore@1',
      'providerSwitch@1',
      'offlineCopy@1',
      'backup@2',
      'restore@2',
      'providerSwitch@2',
      'backup@3',
      'restore@3',
      'providerSwitch@3',
    ]);
  });
});
