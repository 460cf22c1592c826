/** The machines: pure XState v5 statecharts, no I/O, no clock, no randomness. */
export * from './events.ts';
export * from './state-meta.ts';
export { providerCheckStates, cloudStep } from './provider-check.ts';
export * from './backup.machine.ts';
export * from './restore.machine.ts';
export * from './provider-switch.machine.ts';
export * from './offline-copy.machine.ts';
export * from './unexpected-failure.ts';
export * from './backup-v2.machine.ts';
export * from './restore-v2.machine.ts';
export * from './provider-switch-v2.machine.ts';
export * from './retry-states.ts';
export * from './backup-v3.machine.ts';
export * from './restore-v3.machine.ts';
export * from './provider-switch-v3.machine.ts';
export * from './registry.ts';
