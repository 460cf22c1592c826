/**
 * Issue 11: two or three devices backing up to one cloud account at once, their cloud calls
 * interleaved every way fast-check's scheduler finds, some devices crashing in between, on the
 * memory cloud, on the local-folder cloud and on the Google Drive adapter over HTTP (the emulator of
 * test/support/drive-fault-proxy.ts, a fresh account per run; the CloudKit and HUAWEI Drive
 * adapters are in http-devices.test.ts). Whatever the order:
 * - every backup a device was told is done restores on a new device with the password it used;
 * - every wallet the account lists restores (nothing listed is unrestorable);
 * - each epoch's keyring was created once and never written over (exactly one keyring per epoch);
 *   the device that lost a binding race was asked for the winner's password (R4, R5).
 * And the same property fails on a cloud whose create overwrites, as the keyring write of cloud
 * layout 1 did: so the property can fail, and what makes it hold is create-if-absent.
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleDriveCloud } from '../../adapters/cloud/google-drive.ts';
import { createLocalFolderCloud } from '../../adapters/cloud/local-folder.ts';
import { createMemoryCloud } from '../../adapters/cloud/memory.ts';
import { startDriveEmulator, type DriveEmulator } from '../support/drive-fault-proxy.ts';
import { ACCOUNT, MEMORY_TARGET, PROVIDER, tempDir } from './devices.ts';
import { interleavingProperty as property, LOST_BACKUP, overwritingCreate, runDirs, type Cloud } from './interleavings.ts';

afterAll(() => {
  for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
});

function memoryCloud(): Cloud {
  const first = createMemoryCloud({ provider: PROVIDER, account: ACCOUNT });
  return {
    ...MEMORY_TARGET,
    driveFor: (i) => (i === 0 ? first : createMemoryCloud({ provider: PROVIDER, account: ACCOUNT, sameCloudAs: first })),
    checker: () => createMemoryCloud({ provider: PROVIDER, account: ACCOUNT, sameCloudAs: first }),
  };
}

function localFolderCloud(): Cloud {
  const root = tempDir();
  runDirs.push(root);
  const open = () => createLocalFolderCloud({ root, provider: PROVIDER, account: ACCOUNT });
  return { ...MEMORY_TARGET, driveFor: open, checker: open };
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
    });
  };
  return { ...MEMORY_TARGET, driveFor: open, checker: open };
}

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
    expect(String(result.errorInstance)).toMatch(LOST_BACKUP);
  }, 240_000);
});

