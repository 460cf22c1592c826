/**
 * The backup flow, version 3: version 2 (backup-v2.machine.ts, unchanged) plus the engine's
 * logged retries in every cloud step (retry-states.ts): NETWORK.RETRYING -> backingOff ->
 * BACKOFF.DONE -> running, CANCEL while it waits; context.retry says which try and how long.
 */
import type { AnyStateMachine } from 'xstate';
import { backupMachineV2 } from './backup-v2.machine.ts';
import { retryingVersion } from './retry-states.ts';

export const BACKUP_MACHINE_V3_VERSION = 3;

export const backupMachineV3: AnyStateMachine = retryingVersion(backupMachineV2, BACKUP_MACHINE_V3_VERSION);
