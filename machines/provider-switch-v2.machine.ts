/**
 * The provider switch, version 2: version 1 (provider-switch.machine.ts, unchanged) plus
 * EFFECT.FAILED -> failed on its provider check (unexpected-failure.ts).
 */
import type { AnyStateMachine } from 'xstate';
import { providerSwitchMachine } from './provider-switch.machine.ts';
import { nextVersion } from './unexpected-failure.ts';

export const PROVIDER_SWITCH_MACHINE_V2_VERSION = 2;

export const providerSwitchMachineV2: AnyStateMachine = nextVersion(providerSwitchMachine, { version: PROVIDER_SWITCH_MACHINE_V2_VERSION });
