/**
 * The backup flow, version 2: version 1 (backup.machine.ts, unchanged) plus what cloud layout 2
 * and unexpected failures need.
 *
 *   uploading: KEYRING.TAKEN { epoch }  another device bound this epoch's password first (the
 *              keyring is created only if absent): the person is asked for that password, as in a
 *              later backup (R4, R5); `keyringTaken` tells the app why it is asked.
 *   publishing: VERIFY.MISMATCH         the wallet is listed only once it reads back restorable
 *              (E3); a record or keyring that no longer does waits in verifyFailed for RETRY.
 *   every effect: EFFECT.FAILED -> failed (unexpected-failure.ts).
 */
import { assign, type AnyStateMachine } from 'xstate';
import { BACKUP_MACHINE_ID, backupMachine } from './backup.machine.ts';
import { addTransitions, nextVersion } from './unexpected-failure.ts';

export const BACKUP_MACHINE_V2_VERSION = 2;

const ID = BACKUP_MACHINE_ID;

export const backupMachineV2: AnyStateMachine = nextVersion(backupMachine, {
  version: BACKUP_MACHINE_V2_VERSION,
  context: { keyringTaken: false },
  states: (states) => {
    const taken = addTransitions(states, ['uploading', 'running'], {
      'KEYRING.TAKEN': {
        target: `#${ID}.enteringPassword`,
        actions: assign(({ event }) => ({
          binding: false,
          keyringTaken: true,
          epoch: (event as unknown as { epoch: number }).epoch,
          hints: [],
        })),
      },
    });
    return addTransitions(taken, ['publishing', 'running'], {
      'VERIFY.MISMATCH': {
        target: `#${ID}.verifyFailed`,
        actions: assign(({ event }) => ({ failure: (event as unknown as { path: string }).path })),
      },
    });
  },
});
