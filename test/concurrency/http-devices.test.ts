/**
 * Issue 13 item 5: the issue 11 interleaving properties over real HTTP on 127.0.0.1, against the
 * CloudKit and the HUAWEI Drive emulators. Two or three devices, each with its own engine, SQLite
 * log and connection (its own web auth token / access token) to one account, back up at once;
 * the fast-check scheduler orders their port calls (each a whole HTTP exchange, or several: a
 * Huawei create is an upload then a list) and some devices crash after any call. Each run gets a
 * fresh account on one emulator per file. Whatever the order, every done backup restores,
 * everything listed restores, each epoch's keyring is created once and never overwritten, and the
 * binding race's loser is asked for the winner's password.
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudKitCloud } from '../../adapters/cloud/cloudkit.ts';
import { createHuaweiDriveCloud, HMS_CONNECTION_RESULT } from '../../adapters/cloud/huawei-drive.ts';
import { startCloudKitEmulator, type CloudKitEmulator } from '../support/cloudkit-emulator.ts';
import { startHuaweiDriveEmulator, type HeldRequest, type HuaweiDriveEmulator } from '../support/huawei-drive-emulator.ts';
import { scheduledDrive } from './devices.ts';
import { interleavingProperty, LOST_BACKUP, overwritingCreate, runDirs, type Cloud, type InterleavingOf } from './interleavings.ts';

const TWO = { min: 2, max: 2 };
const THREE = { min: 3, max: 3 };

let ck: CloudKitEmulator;
let huawei: HuaweiDriveEmulator;
beforeAll(async () => {
  [ck, huawei] = await Promise.all([startCloudKitEmulator(), startHuaweiDriveEmulator()]);
});
afterAll(async () => {
  await Promise.all([ck.close(), huawei.close()]);
  for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
});

let accounts = 0;

/** A fresh iCloud user; each device signs in on its own (its own web auth token, rotated per answer). */
function cloudKitCloud(): Cloud {
  const user = `user-${++accounts}@example.com`;
  const open = () => createCloudKitCloud({ container: ck.container, environment: 'development', apiToken: ck.apiToken, webAuthToken: ck.signIn(user), baseUrl: ck.url });
  return { provider: 'icloud', account: ck.userRecordName(user), driveFor: open, checker: open };
}

/** A fresh HUAWEI ID; each device has its own access token. */
function huaweiCloud(): Cloud {
  const account = `user-${++accounts}@example.com`;
  let tokens = 0;
  const open = (client: string) => {
    const token = `AT-${account}-${++tokens}`;
    huawei.addToken(token, account, client);
    return createHuaweiDriveCloud({ getAccessToken: async () => token, checkHmsCore: async () => HMS_CONNECTION_RESULT.SUCCESS, baseUrl: huawei.url });
  };
  return { provider: 'huawei', account, driveFor: (i) => open(clientOf(account, i)), checker: () => open('checker') };
}

const clientOf = (account: string, device: number) => `${account} device ${device}`;

/**
 * The scheduler orders the devices' HTTP requests, not just their port calls: the emulator's
 * gate holds every request at the door, and one is let in only when each live device has one
 * waiting (so a Huawei create's upload and its list can fall either side of another device's).
 * A device with a crash plan dies once its N-th request took effect: it hears nothing back, and
 * its later requests are never let in.
 */
const huaweiRequests: InterleavingOf = (s, devicePlans, turns, cloud) => {
  const dead = new Set<number>();
  const crashes: Array<() => void> = [];
  const seen = new Set<HeldRequest>();
  const letIn = devicePlans.map(() => 0);
  const deviceOf = (held: HeldRequest) => devicePlans.findIndex((_plan, i) => held.client === clientOf(cloud.account, i));
  const admit = (held: HeldRequest, device: number) => {
    const turn = turns.of(device);
    turn.arrive();
    void s.schedule(Promise.resolve(), `device ${device} ${held.op}`).then(() => {
      turn.leave();
      turn.answered();
      if (dead.has(device)) return;
      held.release();
      letIn[device]!++;
      const crashAfter = devicePlans[device]!.crashAfter;
      if (crashAfter !== null && letIn[device]! >= crashAfter) {
        dead.add(device);
        crashes[device]!();
      }
    });
  };
  return {
    drive: (i, base, onCrash, observe) => {
      crashes[i] = onCrash;
      return scheduledDrive(base, null, `device ${i}`, null, onCrash, observe, null, () => dead.has(i));
    },
    start() {
      let polling = true;
      huawei.gate(() => true);
      const poll = () => {
        if (!polling) return;
        for (const held of huawei.waiting()) {
          if (seen.has(held)) continue;
          const device = deviceOf(held);
          if (device < 0) continue; // a request of an earlier run's dead device: never let in
          seen.add(held);
          admit(held, device);
        }
        setTimeout(poll, 1);
      };
      poll();
      return () => {
        polling = false;
        huawei.gate(null);
      };
    },
  };
};

/**
 * Shrinking replays runs over HTTP: stop it before the test's timeout so a failure is still
 * reported with its seed and path (pass both to fc.assert to replay that interleaving).
 */
const REPORT_IN_TIME = { interruptAfterTimeLimit: 90_000, markInterruptAsFailure: true };

const RUNS = { two: 6, three: 4, crashes: 8, requests: 12, requestsWithCrashes: 8 };

describe.each([
  ['CloudKit', cloudKitCloud],
  ['HUAWEI Drive', huaweiCloud],
] as const)('%s over HTTP: two or three devices on one account, every interleaving of their port calls', (_name, cloud) => {
  it('two devices: every done backup restores, everything listed restores, one keyring per epoch', async () => {
    await fc.assert(interleavingProperty(cloud, false, undefined, TWO), { numRuns: RUNS.two, ...REPORT_IN_TIME });
  }, 120_000);

  it('three devices: the same holds', async () => {
    await fc.assert(interleavingProperty(cloud, false, undefined, THREE), { numRuns: RUNS.three, ...REPORT_IN_TIME });
  }, 120_000);

  it('two or three devices crashing after any port call: the same holds for what survives', async () => {
    await fc.assert(interleavingProperty(cloud, true), { numRuns: RUNS.crashes, ...REPORT_IN_TIME });
  }, 120_000);

  it('the property fails when create overwrites through the provider (so it can fail over HTTP)', async () => {
    const result = await fc.check(interleavingProperty(cloud, false, overwritingCreate, TWO), { numRuns: 100, endOnFailure: true });
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance)).toMatch(LOST_BACKUP);
  }, 120_000);
});

describe('HUAWEI Drive over HTTP: every interleaving of the devices\' requests (inside port calls)', () => {
  const requests = { of: huaweiRequests, crashAfterMax: 40 };

  it('two or three devices whose uploads and listings interleave: every done backup restores, everything listed restores, one keyring per epoch', async () => {
    await fc.assert(interleavingProperty(huaweiCloud, false, undefined, undefined, requests), { numRuns: RUNS.requests, ...REPORT_IN_TIME });
  }, 120_000);

  it('the same with devices dying after any request (a create uploaded but not yet resolved, a duplicate left behind)', async () => {
    await fc.assert(interleavingProperty(huaweiCloud, true, undefined, undefined, requests), { numRuns: RUNS.requestsWithCrashes, ...REPORT_IN_TIME });
  }, 120_000);
});
