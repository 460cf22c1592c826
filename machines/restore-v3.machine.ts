/**
 * The restore flow, version 3: version 2 (restore-v2.machine.ts, unchanged) plus the engine's
 * logged retries in every cloud step (retry-states.ts): NETWORK.RETRYING -> backingOff ->
 * BACKOFF.DONE -> running, CANCEL while it waits; context.retry says which try and how long.
 */
import type { AnyStateMachine } from 'xstate';
import { restoreMachineV2 } from './restore-v2.machine.ts';
import { retryingVersion } from './retry-states.ts';

export const RESTORE_MACHINE_V3_VERSION = 3;

export const restoreMachineV3: AnyStateMachine = retryingVersion(restoreMachineV2, RESTORE_MACHINE_V3_VERSION);
