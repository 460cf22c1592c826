/**
 * The provider switch, version 3: version 2 (provider-switch-v2.machine.ts, unchanged) plus the
 * engine's logged retries in its provider check (retry-states.ts): NETWORK.RETRYING ->
 * backingOff -> BACKOFF.DONE -> running, CANCEL while it waits.
 */
import type { AnyStateMachine } from 'xstate';
import { providerSwitchMachineV2 } from './provider-switch-v2.machine.ts';
import { retryingVersion } from './retry-states.ts';

export const PROVIDER_SWITCH_MACHINE_V3_VERSION = 3;

export const providerSwitchMachineV3: AnyStateMachine = retryingVersion(providerSwitchMachineV2, PROVIDER_SWITCH_MACHINE_V3_VERSION);
