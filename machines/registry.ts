/**
 * Every released machine version a log can reference. A log row names its machine id and
 * version; replay and audit look the definition up here. Never remove or edit a released
 * version: add a new one beside it (E5).
 */
import type { AnyStateMachine } from 'xstate';
import { BACKUP_MACHINE_ID, BACKUP_MACHINE_VERSION, backupMachine } from './backup.machine.ts';
import { OFFLINE_COPY_MACHINE_ID, OFFLINE_COPY_MACHINE_VERSION, offlineCopyMachine } from './offline-copy.machine.ts';
import {
  PROVIDER_SWITCH_MACHINE_ID,
  PROVIDER_SWITCH_MACHINE_VERSION,
  providerSwitchMachine,
} from './provider-switch.machine.ts';
import { RESTORE_MACHINE_ID, RESTORE_MACHINE_VERSION, restoreMachine } from './restore.machine.ts';
import { BACKUP_MACHINE_V2_VERSION, backupMachineV2 } from './backup-v2.machine.ts';
import { RESTORE_MACHINE_V2_VERSION, restoreMachineV2 } from './restore-v2.machine.ts';
import { PROVIDER_SWITCH_MACHINE_V2_VERSION, providerSwitchMachineV2 } from './provider-switch-v2.machine.ts';
import { BACKUP_MACHINE_V3_VERSION, backupMachineV3 } from './backup-v3.machine.ts';
import { RESTORE_MACHINE_V3_VERSION, restoreMachineV3 } from './restore-v3.machine.ts';
import { PROVIDER_SWITCH_MACHINE_V3_VERSION, providerSwitchMachineV3 } from './provider-switch-v3.machine.ts';

export interface MachineRelease {
  id: string;
  version: number;
  machine: AnyStateMachine;
}

export const MACHINE_RELEASES: readonly MachineRelease[] = [
  { id: BACKUP_MACHINE_ID, version: BACKUP_MACHINE_VERSION, machine: backupMachine },
  { id: RESTORE_MACHINE_ID, version: RESTORE_MACHINE_VERSION, machine: restoreMachine },
  { id: PROVIDER_SWITCH_MACHINE_ID, version: PROVIDER_SWITCH_MACHINE_VERSION, machine: providerSwitchMachine },
  { id: OFFLINE_COPY_MACHINE_ID, version: OFFLINE_COPY_MACHINE_VERSION, machine: offlineCopyMachine },
  { id: BACKUP_MACHINE_ID, version: BACKUP_MACHINE_V2_VERSION, machine: backupMachineV2 },
  { id: RESTORE_MACHINE_ID, version: RESTORE_MACHINE_V2_VERSION, machine: restoreMachineV2 },
  { id: PROVIDER_SWITCH_MACHINE_ID, version: PROVIDER_SWITCH_MACHINE_V2_VERSION, machine: providerSwitchMachineV2 },
  { id: BACKUP_MACHINE_ID, version: BACKUP_MACHINE_V3_VERSION, machine: backupMachineV3 },
  { id: RESTORE_MACHINE_ID, version: RESTORE_MACHINE_V3_VERSION, machine: restoreMachineV3 },
  { id: PROVIDER_SWITCH_MACHINE_ID, version: PROVIDER_SWITCH_MACHINE_V3_VERSION, machine: providerSwitchMachineV3 },
];

/** The release new flows run: the highest version of each machine. */
export function currentRelease(id: string): MachineRelease {
  const releases = MACHINE_RELEASES.filter((r) => r.id === id);
  const latest = releases.reduce<MachineRelease | undefined>((best, r) => (best === undefined || r.version > best.version ? r : best), undefined);
  if (!latest) throw new Error(`No released machine ${id}`);
  return latest;
}

export type MachineLookup =
  | { ok: true; machine: AnyStateMachine }
  | { ok: false; reason: 'unknown-machine' | 'unknown-version'; known: number[] };

export function findMachine(id: string, version: number): MachineLookup {
  const releases = MACHINE_RELEASES.filter((r) => r.id === id);
  if (releases.length === 0) return { ok: false, reason: 'unknown-machine', known: [] };
  const release = releases.find((r) => r.version === version);
  if (!release) return { ok: false, reason: 'unknown-version', known: releases.map((r) => r.version) };
  return { ok: true, machine: release.machine };
}
