/**
 * The restore flow, version 2: version 1 (restore.machine.ts, unchanged) plus EFFECT.FAILED ->
 * failed on every effect (unexpected-failure.ts), and without MANIFEST.CORRUPT: the listing comes
 * from the records' paths (cloud layout 2), so no damaged index can hide the wallets; a damaged
 * listing entry or layout-1 manifest only loses names. Its BACKUPS.FOUND carries each wallet's id
 * and epoch (the engine no longer logs every name of a large account; the machine never read them).
 */
import type { AnyStateMachine } from 'xstate';
import { restoreMachine } from './restore.machine.ts';
import { nextVersion, removeTransitions } from './unexpected-failure.ts';

export const RESTORE_MACHINE_V2_VERSION = 2;

export const restoreMachineV2: AnyStateMachine = nextVersion(restoreMachine, {
  version: RESTORE_MACHINE_V2_VERSION,
  states: (states) => removeTransitions(states, ['listing', 'running'], ['MANIFEST.CORRUPT']),
});
