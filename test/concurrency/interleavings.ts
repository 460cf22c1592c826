/**
 * The issue 11 interleaving properties, for any cloud (memory, local folder, the HTTP adapters
 * against their emulators): two or three devices, each with its own engine and SQLite log, back
 * up to one account while a fast-check scheduler orders their cloud calls (and some crash after
 * any call). Whatever the order:
 * - every backup a device was told is done restores on a new device with the password it used;
 * - every wallet the account lists restores (nothing listed is unrestorable);
 * - each epoch's keyring was created once and never written over (exactly one keyring per epoch);
 *   the device that lost a binding race was asked for the winner's password (R4, R5).
 */
import fc from 'fast-check';
import { parseRecordPath } from '../../src/format/index.ts';
import type { CloudDrive } from '../../src/ports/cloud-drive.ts';
import {
  closeDevices,
  openDevice,
  passwordOf,
  personBacksUp,
  PHRASES,
  restoreOnNewDevice,
  scheduledDrive,
  tempDir,
  Turns,
  type DevicePlan,
  type DoneBackup,
  type DriveCall,
  type Target,
} from './devices.ts';

export const plans = (crashes: boolean, devices: { min: number; max: number } = { min: 2, max: 3 }, crashAfterMax = 14) =>
  fc.integer(devices).chain((count) =>
    fc.array(
      fc.record({
        ops: fc.array(fc.record({ phrase: fc.integer({ min: 0, max: PHRASES.length - 1 }), newEpoch: fc.boolean() }), { minLength: 1, maxLength: 2 }),
        crashAfter: crashes ? fc.option(fc.integer({ min: 1, max: crashAfterMax }), { freq: 2 }) : fc.constant(null),
      }),
      { minLength: count, maxLength: count },
    ),
  );

/** One account on one cloud, reached by several devices. */
export interface Cloud extends Target {
  /** A drive for device i (its own connection to the one account). */
  driveFor(device: number): CloudDrive;
  /** A plain drive on the same account, for the checks. */
  checker(): CloudDrive;
}

/** Directories the runs made, for the test file to remove afterwards. */
export const runDirs: string[] = [];

/**
 * Layout 1's keyring write: create that overwrites what is there (the bug issue 11 found). Goes
 * through the adapter's own write, so over HTTP it is the provider's overwrite.
 */
export function overwritingCreate(drive: CloudDrive): CloudDrive {
  return {
    provider: drive.provider,
    status: () => drive.status(),
    read: (p, l) => drive.read(p, l),
    write: (p, b) => drive.write(p, b),
    list: (p) => drive.list(p),
    delete: (p) => drive.delete(p),
    quota: () => drive.quota(),
    create: async (p, b) => {
      await drive.write(p, b);
      return 'created' as const;
    },
  };
}

/**
 * What the scheduler orders. By default each device's port calls (scheduledDrive). Another
 * interleaving may order finer steps (an emulator's HTTP requests): it makes device i's drive
 * from its connection, and runs while the devices run (started, then stopped before the checks).
 */
export interface Interleaving {
  drive(device: number, base: CloudDrive, onCrash: () => void, observe: (call: DriveCall) => void): CloudDrive;
  start?(): () => void;
}

export const portCalls = (s: fc.Scheduler, devicePlans: DevicePlan[], turns: Turns): Interleaving => ({
  drive: (i, base, onCrash, observe) => scheduledDrive(base, s, `device ${i}`, devicePlans[i]!.crashAfter, onCrash, observe, turns.of(i)),
});

export type InterleavingOf = (s: fc.Scheduler, devicePlans: DevicePlan[], turns: Turns, cloud: Cloud) => Interleaving;

/** Runs the devices' plans under the scheduler; returns what went wrong (empty: the properties hold). */
export async function runDevices(
  s: fc.Scheduler,
  devicePlans: DevicePlan[],
  cloud: Cloud,
  wrap: (d: CloudDrive) => CloudDrive = (d) => d,
  interleavingOf: InterleavingOf = portCalls,
): Promise<string[]> {
  const dir = tempDir();
  runDirs.push(dir);
  const calls: DriveCall[] = [];
  const turns = new Turns(s, devicePlans.length);
  const interleaving = interleavingOf(s, devicePlans, turns, cloud);
  const devices = devicePlans.map((_plan, i) => openDevice(i, (onCrash) => interleaving.drive(i, wrap(cloud.driveFor(i)), onCrash, (c) => calls.push(c)), dir, cloud));
  const done: DoneBackup[] = [];
  const runs = devices.map(async (device, i) => {
    for (const op of devicePlans[i]!.ops) {
      const backup = await personBacksUp(device, op, devices.length);
      if (backup) done.push(backup);
    }
  });
  const ends = runs.map((run, i) => Promise.race([run, devices[i]!.crashed]).finally(() => turns.finish(i)));
  const stop = interleaving.start?.() ?? (() => {});
  try {
    await Promise.all([turns.run(), ...ends]);
  } finally {
    stop();
  }
  await closeDevices(devices);

  const problems: string[] = [];
  const checker = cloud.checker();
  for (const backup of done) {
    const restored = await restoreOnNewDevice(checker, backup.walletId, [backup.password], cloud);
    if (!('mnemonic' in restored)) problems.push(`device ${backup.device} was told ${backup.walletId} (epoch ${backup.epoch}) is done, but ${restored.problem}`);
    else if (restored.mnemonic !== backup.mnemonic) problems.push(`${backup.walletId} restores another phrase`);
  }
  for (const path of await checker.list('wallet-backup/listing')) {
    const entry = parseRecordPath(path);
    if (entry?.kind !== 'listing') continue;
    const candidates = devices.map((d) => passwordOf(d.index, entry.epoch));
    const restored = await restoreOnNewDevice(checker, entry.walletId, candidates, cloud);
    if (!('mnemonic' in restored)) problems.push(`${entry.walletId} is listed but ${restored.problem}`);
  }
  const keyringWrites = new Map<string, number>();
  for (const call of calls) {
    if (parseRecordPath(call.path)?.kind !== 'keyring') continue;
    const wrote = call.method === 'write' || (call.method === 'create' && call.result === 'created');
    if (wrote) keyringWrites.set(call.path, (keyringWrites.get(call.path) ?? 0) + 1);
  }
  for (const [path, count] of keyringWrites) if (count > 1) problems.push(`${path} was written ${count} times`);
  return problems;
}

/** The properties as one fast-check property: a fresh cloud (account) per run. */
export const interleavingProperty = (
  cloud: () => Cloud,
  crashes: boolean,
  wrap?: (d: CloudDrive) => CloudDrive,
  devices?: { min: number; max: number },
  interleaving?: { of: InterleavingOf; crashAfterMax: number },
) =>
  fc.asyncProperty(fc.scheduler(), plans(crashes, devices, interleaving?.crashAfterMax), async (s, devicePlans) => {
    const problems = await runDevices(s, devicePlans, cloud(), wrap, interleaving?.of);
    if (problems.length > 0) throw new Error(`the devices lost backups:\n${problems.join('\n')}`);
  });

/** What a failure of the properties says (to check that a broken cloud fails them). */
export const LOST_BACKUP = /was told .* is done, but|is listed but|written 2 times/;
