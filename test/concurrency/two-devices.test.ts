/**
 * Issue 11: two or three devices backing up to one cloud account at once, their cloud calls
 * interleaved every way fast-check's scheduler finds, some devices crashing in between, on the
 * memory cloud, on the local-folder cloud and on the Google Drive adapter over HTTP (the emulator of
 * test/support/drive-fault-proxy.ts, a fresh account per run). Whatever the order:
 * - every backup a device was told is done restores on a new device with the password it used;
 * - every wallet the account lists restores (nothing listed is unrestorable);
 * - each epoch's keyring was created once and never written over (exactly one keyring per epoch);
 *   the device that lost a binding race was asked for the winner's password (R4, R5).
 * And the same property fails on a cloud whose create overwrites, as the keyring write of cloud
 * layout 1 did: so the property can fail, and what makes it hold is create-if-absent.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleDriveCloud } from '../../adapters/cloud/google-drive.ts';
import { startDriveEmulator, type DriveEmulator } from '../support/drive-fault-proxy.ts';
import { createLocalFolderCloud } from '../../adapters/cloud/local-folder.ts';
import { createMemoryCloud } from '../../adapters/cloud/memory.ts';
import { parseRecordPath } from '../../src/format/index.ts';
import type { CloudDrive } from '../../src/ports/cloud-drive.ts';
import {
  ACCOUNT,
  closeDevices,
  openDevice,
  passwordOf,
  personBacksUp,
  PHRASES,
  PROVIDER,
  restoreOnNewDevice,
  scheduledDrive,
  tempDir,
  type DevicePlan,
  type DoneBackup,
  type DriveCall,
} from './devices.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const plans = (crashes: boolean) =>
  fc.integer({ min: 2, max: 3 }).chain((devices) =>
    fc.array(
      fc.record({
        ops: fc.array(fc.record({ phrase: fc.integer({ min: 0, max: PHRASES.length - 1 }), newEpoch: fc.boolean() }), { minLength: 1, maxLength: 2 }),
        crashAfter: crashes ? fc.option(fc.integer({ min: 1, max: 14 }), { freq: 2 }) : fc.constant(null),
      }),
      { minLength: devices, maxLength: devices },
    ),
  );

interface Cloud {
  /** A drive for device i (its own connection to the one account). */
  driveFor(device: number): CloudDrive;
  /** A plain drive on the same account, for the checks. */
  checker(): CloudDrive;
}

function memoryCloud(): Cloud {
  const first = createMemoryCloud({ provider: PROVIDER, account: ACCOUNT });
  return {
    driveFor: (i) => (i === 0 ? first : createMemoryCloud({ provider: PROVIDER, account: ACCOUNT, sameCloudAs: first })),
    checker: () => createMemoryCloud({ provider: PROVIDER, account: ACCOUNT, sameCloudAs: first }),
  };
}

function localFolderCloud(): Cloud {
  const root = tempDir();
  dirs.push(root);
  const open = () => createLocalFolderCloud({ root, provider: PROVIDER, account: ACCOUNT });
  return { driveFor: open, checker: open };
}

let driveEmulator: DriveEmulator;
beforeAll(async () => {
  driveEmulator = await startDriveEmulator();
});
afterAll(async () => {
  await driveEmulator.close();
});
let driveRuns = 0;

/** Google Drive over HTTP: each run a fresh, empty Drive of the account, each device its own token. */
function googleDriveCloud(): Cloud {
  driveRuns += 1;
  const run = `run-${driveRuns}`;
  const open = () => {
    const token = driveEmulator.issueToken(ACCOUNT, { drive: run });
    return createGoogleDriveCloud({
      getAccessToken: async () => token,
      baseUrl: driveEmulator.url,
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, totalMs: 2000 },
    });
  };
  return { driveFor: open, checker: open };
}

/** Layout 1's keyring write: create that overwrites what is there (the bug the issue found). */
function overwritingCreate(drive: CloudDrive): CloudDrive {
  return Object.assign(Object.create(drive) as CloudDrive, {
    provider: drive.provider,
    status: () => drive.status(),
    read: (p: string, l: { maxBytes: number }) => drive.read(p, l),
    write: (p: string, b: Uint8Array) => drive.write(p, b),
    list: (p: string) => drive.list(p),
    delete: (p: string) => drive.delete(p),
    quota: () => drive.quota(),
    create: async (p: string, b: Uint8Array) => {
      await drive.write(p, b);
      return 'created' as const;
    },
  });
}

/** Runs the devices' plans under the scheduler; returns what went wrong (empty: the properties hold). */
async function runDevices(s: fc.Scheduler, devicePlans: DevicePlan[], cloud: Cloud, wrap: (d: CloudDrive) => CloudDrive = (d) => d): Promise<string[]> {
  const dir = tempDir();
  dirs.push(dir);
  const calls: DriveCall[] = [];
  const devices = devicePlans.map((plan, i) =>
    openDevice(i, (onCrash) => scheduledDrive(wrap(cloud.driveFor(i)), s, `device ${i}`, plan.crashAfter, onCrash, (c) => calls.push(c)), dir),
  );
  const done: DoneBackup[] = [];
  const runs = devices.map(async (device, i) => {
    for (const op of devicePlans[i]!.ops) {
      const backup = await personBacksUp(device, op, devices.length);
      if (backup) done.push(backup);
    }
  });
  await s.waitFor(Promise.all(runs.map((run, i) => Promise.race([run, devices[i]!.crashed]))));
  await closeDevices(devices);

  const problems: string[] = [];
  const checker = cloud.checker();
  for (const backup of done) {
    const restored = await restoreOnNewDevice(checker, backup.walletId, [backup.password]);
    if (!('mnemonic' in restored)) problems.push(`device ${backup.device} was told ${backup.walletId} (epoch ${backup.epoch}) is done, but ${restored.problem}`);
    else if (restored.mnemonic !== backup.mnemonic) problems.push(`${backup.walletId} restores another phrase`);
  }
  for (const path of await checker.list('wallet-backup/listing')) {
    const entry = parseRecordPath(path);
    if (entry?.kind !== 'listing') continue;
    const candidates = devices.map((d) => passwordOf(d.index, entry.epoch));
    const restored = await restoreOnNewDevice(checker, entry.walletId, candidates);
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

const property = (cloud: () => Cloud, crashes: boolean, wrap?: (d: CloudDrive) => CloudDrive) =>
  fc.asyncProperty(fc.scheduler(), plans(crashes), async (s, devicePlans) => {
    const problems = await runDevices(s, devicePlans, cloud(), wrap);
    if (problems.length > 0) throw new Error(`the devices lost backups:\n${problems.join('\n')}`);
  });

describe('two or three devices on one account, every interleaving (issue 11)', () => {
  it('memory cloud: every done backup restores, everything listed restores, one keyring per epoch', async () => {
    await fc.assert(property(memoryCloud, false), { numRuns: 40 });
  }, 240_000);

  it('memory cloud with devices crashing after any cloud call: the same holds for what survives', async () => {
    await fc.assert(property(memoryCloud, true), { numRuns: 60 });
  }, 240_000);

  it('local-folder cloud (one folder, a drive object per device): the same holds', async () => {
    await fc.assert(property(localFolderCloud, true), { numRuns: 25 });
  }, 240_000);

  it('Google Drive over HTTP (google-drive-mock + fault proxy), devices crashing after any cloud call: the same holds', async () => {
    await fc.assert(property(googleDriveCloud, true), { numRuns: 20 });
  }, 240_000);

  it('the property fails on a cloud whose create overwrites (layout 1 wrote keyrings unconditionally)', async () => {
    const result = await fc.check(property(memoryCloud, false, overwritingCreate), { numRuns: 200 });
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance)).toMatch(/was told .* is done, but|written 2 times/);
  }, 240_000);
});

