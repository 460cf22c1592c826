/**
 * The HUAWEI Drive Kit adapter over real HTTP on 127.0.0.1, against the emulator of
 * test/support/huawei-drive-emulator.ts (the CloudDrive contract itself runs in
 * huawei-drive-contract.test.ts): HMS ConnectionResult codes, each Drive fault
 * mapped, retries, duplicate names, create races, bounded downloads, and one engine backup and
 * restore through it.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createHuaweiDriveCloud, fileNameOf, HMS_CONNECTION_RESULT, pathOfFileName, type HuaweiDriveOptions } from '../../adapters/cloud/huawei-drive.ts';
import { createNobleScrypt } from '../../adapters/kdf/noble-scrypt.ts';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { createBackupEngine } from '../../src/engine/index.ts';
import type { CloudDrive } from '../../src/ports/cloud-drive.ts';
import { HUAWEI_CODES, startHuaweiDriveEmulator, type HuaweiDriveEmulator } from '../support/huawei-drive-emulator.ts';
import { bytesOf, cloudErrorOf, everyCloudCall } from './cloud-drive-contract.ts';

const ALICE = 'alice@example.com';
const TOKEN = 'AT-alice-secret-1';
const CAP = { maxBytes: 1 << 20 };

const emulators: HuaweiDriveEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

async function setup(overrides: Partial<HuaweiDriveOptions> = {}) {
  const emulator = await startHuaweiDriveEmulator();
  emulators.push(emulator);
  emulator.addToken(TOKEN, ALICE);
  let hmsCode: number = HMS_CONNECTION_RESULT.SUCCESS;
  let token: string | null = TOKEN;
  let rejections = 0;
  const drive = createHuaweiDriveCloud({
    getAccessToken: async () => token,
    onTokenRejected: () => {
      rejections += 1;
    },
    checkHmsCore: async () => hmsCode,
    baseUrl: emulator.url,
    ...overrides,
  });
  return {
    emulator,
    drive,
    setHms: (code: number) => {
      hmsCode = code;
    },
    setToken: (next: string | null) => {
      token = next;
    },
    rejections: () => rejections,
  };
}

/** A second device on the same account (its own token). */
function secondDrive(emulator: HuaweiDriveEmulator, token = 'AT-alice-device-2', client = 'device-2'): CloudDrive {
  emulator.addToken(token, ALICE, client);
  return createHuaweiDriveCloud({ getAccessToken: async () => token, checkHmsCore: async () => 0, baseUrl: emulator.url });
}

describe('HUAWEI Drive adapter: names', () => {
  it('a port path maps to one flat applicationData file name and back; foreign names are ignored', () => {
    expect(fileNameOf('wallet-backup/keyrings/epoch-1.age')).toBe('wallet-backup~2Fkeyrings~2Fepoch-1.age');
    for (const path of ['a', 'wallet-backup/wallets/w1.age', 'dir with space/é~x']) expect(pathOfFileName(fileNameOf(path))).toBe(path);
    expect(pathOfFileName('photo.jpg')).toBe('photo.jpg');
    expect(pathOfFileName('a/b')).toBeNull();
    expect(pathOfFileName('~2F')).toBeNull(); // "/" alone is not a valid path
    expect(pathOfFileName('a~2f')).toBeNull(); // lower-case escape: not one this adapter makes
  });
});

// The port's promises (reads, writes, create, list, delete, accounts, HMS Core, interrupted uploads,
// lost answers, no token in a URL or message) are the shared contract: huawei-drive-contract.test.ts.
describe('HUAWEI Drive adapter: foreign names and paths over HTTP', () => {
  it('list(prefix) is recursive, sorted and only under the folder; files this app did not name are left out', async () => {
    const { drive, emulator } = await setup();
    emulator.put(ALICE, 'a/b', bytesOf('foreign name with a slash'));
    for (const path of ['wallet-backup/wallets/b.age', 'wallet-backup/manifest.json', 'wallet-backup/wallets/a.age', 'wallet-backupX/other', 'top']) {
      await drive.write(path, bytesOf(path));
    }
    const expected = ['wallet-backup/manifest.json', 'wallet-backup/wallets/a.age', 'wallet-backup/wallets/b.age'];
    expect(await drive.list('wallet-backup')).toEqual(expected);
    expect(await drive.list('wallet-backup/')).toEqual(expected);
    expect(await drive.list('')).toEqual(['top', ...expected, 'wallet-backupX/other']);
    expect(await drive.list('top')).toEqual([]);
  });

  it('paths that climb out are refused with a plain Error before any request', async () => {
    const { drive, emulator } = await setup();
    await expect(drive.read('../x', CAP)).rejects.toThrow(/Invalid cloud path/);
    await expect(drive.create('/abs', bytesOf('x'))).rejects.toThrow(/Invalid cloud path/);
    expect(emulator.log).toEqual([]);
  });
});

describe('HUAWEI Drive adapter: sign-in and HMS Core (R11, R13)', () => {
  it('status() names the HUAWEI ID from About.get user; signed out it says null without throwing, and every call fails not-signed-in', async () => {
    const harness = await setup();
    expect(await harness.drive.status()).toEqual({ account: ALICE, hms: 'ok' });
    harness.setToken(null);
    expect(await harness.drive.status()).toEqual({ account: null, hms: 'ok' });
    for (const call of everyCloudCall(harness.drive)) {
      const error = await cloudErrorOf(call(), 'not-signed-in');
      expect(error.message).toMatch(/Huawei Cloud/);
    }
  });

  for (const [name, code, state] of [
    ['SUCCESS', 0, 'ok'],
    ['SERVICE_MISSING', 1, 'missing'],
    ['SERVICE_VERSION_UPDATE_REQUIRED', 2, 'outdated'],
    ['SERVICE_DISABLED', 3, 'missing'],
    ['SERVICE_INVALID', 9, 'missing'],
    ['SERVICE_UNSUPPORTED', 21, 'outdated'],
    ['an unknown code', 99, 'missing'],
  ] as const) {
    it(`R13: HMS ConnectionResult ${code} (${name}) is hms '${state}'`, async () => {
      const harness = await setup();
      harness.setHms(code);
      expect((await harness.drive.status()).hms).toBe(state);
    });
  }

  for (const [code, error, fix] of [
    [1, 'hms-missing', /Install HMS Core from Huawei AppGallery, restart the phone, then retry/],
    [2, 'hms-outdated', /Update HMS Core .*Huawei AppGallery, restart the phone, then retry/],
  ] as const) {
    it(`R13: with HMS Core ${error.slice(4)}, every cloud call fails ${error} with the guide's fix and sends nothing; after the fix it works`, async () => {
      const harness = await setup();
      harness.setHms(code);
      for (const call of everyCloudCall(harness.drive, 'wallet-backup/keyring.age')) {
        expect((await cloudErrorOf(call(), error)).message).toMatch(fix);
      }
      expect(harness.emulator.log).toEqual([]);
      harness.setHms(0);
      await harness.drive.write('wallet-backup/keyring.age', bytesOf('k'));
    });
  }

  it('an expired token (401 21004016) is reported once through onTokenRejected and the call goes on with the new token', async () => {
    const harness = await setup();
    await harness.drive.write('k', bytesOf('old'));
    harness.emulator.expireToken(TOKEN);
    harness.emulator.addToken('AT-alice-secret-2', ALICE);
    const drive = createHuaweiDriveCloud({
      getAccessToken: async () => (refreshed ? 'AT-alice-secret-2' : TOKEN),
      onTokenRejected: () => {
        refreshed = true;
        calls += 1;
      },
      checkHmsCore: async () => 0,
      baseUrl: harness.emulator.url,
    });
    let refreshed = false;
    let calls = 0;
    expect(await drive.read('k', CAP)).toEqual(bytesOf('old'));
    expect(calls).toBe(1);
    expect(harness.emulator.log.filter((entry) => entry.status === 401)).toHaveLength(1);
  });

  it('a token refused again after the refresh (401 21004011) is not-signed-in, and the token is in no message', async () => {
    const harness = await setup();
    harness.emulator.expireToken(TOKEN);
    const error = await cloudErrorOf(harness.drive.list(''), 'not-signed-in');
    expect(harness.rejections()).toBe(1);
    expect(error.message).not.toContain(TOKEN);
  });
});

describe('HUAWEI Drive adapter: faults', () => {
  it('R12: storage full (403 21004039) is quota-exceeded naming the bytes missing (from About.get), and nothing is stored', async () => {
    const { drive, emulator } = await setup();
    emulator.setCapacity(ALICE, 100);
    await drive.write('photos/big.jpg', new Uint8Array(80));
    const error = await cloudErrorOf(drive.create('wallet-backup/keyrings/epoch-1.age', new Uint8Array(30)), 'quota-exceeded');
    expect(error.neededBytes).toBe(10);
    expect(error.message).toMatch(/10 more bytes/);
    const overwrite = await cloudErrorOf(drive.write('photos/big.jpg', new Uint8Array(150)), 'quota-exceeded');
    expect(overwrite.neededBytes).toBe(50);
    expect(await drive.list('')).toEqual(['photos/big.jpg']);
    expect((await drive.read('photos/big.jpg', CAP))?.length).toBe(80);
    emulator.setCapacity(ALICE, 110);
    expect(await drive.create('wallet-backup/keyrings/epoch-1.age', new Uint8Array(30))).toBe('created');
  });

  for (const [name, fault, reason] of [
    ['DATA_MIGRATING (403 21084031)', { kind: 'error', status: 403, code: HUAWEI_CODES.DATA_MIGRATING }, 'HTTP 403 21084031'],
    ['APP_REQUEST_TOO_MANY (429 22074292)', { kind: 'error', status: 429, code: HUAWEI_CODES.APP_REQUEST_TOO_MANY }, 'HTTP 429 22074292'],
    ['a server error (500)', { kind: 'error', status: 500, code: '21005006' }, 'HTTP 500 21005006'],
    ['a dropped connection', { kind: 'drop' }, null],
  ] as const) {
    it(`${name} is a transient network error, tried once, naming no token; the next call succeeds`, async () => {
      const { drive, emulator } = await setup();
      await drive.write('k', bytesOf('v'));
      emulator.failNext('files.list', fault);
      const error = await cloudErrorOf(drive.read('k', CAP), 'network');
      expect(error.transient).toBe(true);
      if (reason !== null) expect(error.retryReason).toBe(reason);
      expect(`${error.message} ${error.retryReason}`).not.toContain(TOKEN);
      expect(await drive.read('k', CAP)).toEqual(bytesOf('v'));
    });
  }

  it('a 429 with Retry-After carries that wait for the engine', async () => {
    const { drive, emulator } = await setup();
    emulator.failNext('about.get', { kind: 'error', status: 429, code: HUAWEI_CODES.APP_REQUEST_TOO_MANY, retryAfterSeconds: 3 });
    const error = await cloudErrorOf(drive.quota(), 'network');
    expect([error.transient, error.retryAfterMs, error.retryReason]).toEqual([true, 3000, 'HTTP 429 22074292']);
    expect((await drive.quota()).usedBytes).toBe(0);
  });

  it('dropped connections end in network, not a hang or a TypeError', async () => {
    const { drive, emulator } = await setup();
    emulator.failNext('any', { kind: 'drop' });
    expect((await cloudErrorOf(drive.quota(), 'network')).transient).toBe(true);
  });

  it('storage full and an unexpected refusal (400) are not transient', async () => {
    const { drive, emulator } = await setup();
    emulator.failNext('files.list', { kind: 'error', status: 400, code: HUAWEI_CODES.PARAM_INVALID });
    expect((await cloudErrorOf(drive.list(''), 'network')).transient).toBe(false);
    emulator.setCapacity(ALICE, 0);
    expect((await cloudErrorOf(drive.create('k', bytesOf('x')), 'quota-exceeded')).transient).toBe(false);
  });

  it('partial and empty pages before the end (nextCursor) still list every file', async () => {
    const { drive, emulator } = await setup();
    const paths = Array.from({ length: 7 }, (_, index) => `wallet-backup/wallets/w${index}.age`);
    for (const path of paths) emulator.put(ALICE, fileNameOf(path), bytesOf(path));
    emulator.setPaging({ pageSize: 2, emptyPages: true });
    expect(await drive.list('wallet-backup')).toEqual(paths);
    expect(emulator.log.filter((entry) => entry.op === 'files.list').length).toBeGreaterThanOrEqual(7);
  });
});

describe('HUAWEI Drive adapter: bounded downloads', () => {
  it('a file over the cap is refused as too-large from its size, without downloading it', async () => {
    const { drive, emulator } = await setup();
    await drive.write('wallet-backup/wallets/w1.age', new Uint8Array(1000).fill(7));
    expect(await drive.read('wallet-backup/wallets/w1.age', { maxBytes: 1000 })).toEqual(new Uint8Array(1000).fill(7));
    const gets = emulator.log.filter((entry) => entry.op === 'files.get').length;
    const error = await cloudErrorOf(drive.read('wallet-backup/wallets/w1.age', { maxBytes: 999 }), 'too-large');
    expect(error.message).toContain('"wallet-backup/wallets/w1.age"');
    expect(emulator.log.filter((entry) => entry.op === 'files.get').length).toBe(gets);
  });

  it('a huge download whose size the listing understated is cut off at the cap and refused as too-large', async () => {
    const { drive, emulator } = await setup();
    await drive.write('wallet-backup/keyring.age', bytesOf('small'));
    emulator.failNext('files.get', { kind: 'oversize', bytes: 64 * 1024 * 1024 });
    await cloudErrorOf(drive.read('wallet-backup/keyring.age', { maxBytes: 4096 }), 'too-large');
  });
});

describe('HUAWEI Drive adapter: duplicate names and create races (R4, R5)', () => {
  it('duplicates of one name: reads and writes use the oldest (createdTime, then id); create says exists', async () => {
    const { drive, emulator } = await setup();
    const name = fileNameOf('wallet-backup/keyring.age');
    emulator.put(ALICE, name, bytesOf('newer'), { createdTime: '2026-01-02T00:00:00.000Z', id: 'A' });
    emulator.put(ALICE, name, bytesOf('oldest, id B'), { createdTime: '2026-01-01T00:00:00.000Z', id: 'B' });
    emulator.put(ALICE, name, bytesOf('oldest, id C'), { createdTime: '2026-01-01T00:00:00.000Z', id: 'C' });
    expect(await drive.read('wallet-backup/keyring.age', CAP)).toEqual(bytesOf('oldest, id B'));
    expect(await drive.create('wallet-backup/keyring.age', bytesOf('mine'))).toBe('exists');
    await drive.write('wallet-backup/keyring.age', bytesOf('written'));
    expect(emulator.files(ALICE).find((file) => file.id === 'B')?.bytes).toEqual(bytesOf('written'));
    expect(await drive.read('wallet-backup/keyring.age', CAP)).toEqual(bytesOf('written'));
    expect(await drive.list('')).toEqual(['wallet-backup/keyring.age']);
  });

  it('two devices creating one path with both uploads landing before either lists: exactly one created, the file holds its bytes, the loser\'s copy is deleted', async () => {
    const { drive, emulator } = await setup();
    const other = secondDrive(emulator);
    const firstHeld = emulator.hold((op) => op === 'files.create');
    const secondHeld = emulator.hold((op) => op === 'files.create');
    const path = 'wallet-backup/keyrings/epoch-1.age';
    const racing = Promise.all([drive.create(path, bytesOf('device one')), other.create(path, bytesOf('device two'))]);
    const [first, second] = await Promise.all([firstHeld, secondHeld]);
    first.release();
    second.release();
    const results = await racing;
    expect([...results].sort()).toEqual(['created', 'exists']);
    const winnerBytes = results[0] === 'created' ? bytesOf('device one') : bytesOf('device two');
    expect(await drive.read(path, CAP)).toEqual(winnerBytes);
    expect(await other.read(path, CAP)).toEqual(winnerBytes);
    expect(emulator.files(ALICE)).toHaveLength(1);
  });

  it('of 10 concurrent creates of one path from two devices exactly one says created and the file holds its bytes', async () => {
    const { drive, emulator } = await setup();
    const other = secondDrive(emulator);
    const contenders = Array.from({ length: 10 }, (_, index) => new Uint8Array(512).fill(index + 1));
    const results = await Promise.all(contenders.map((bytes, index) => (index % 2 === 0 ? drive : other).create('wallet-backup/keyrings/epoch-1.age', bytes)));
    expect(results.filter((result) => result === 'created')).toHaveLength(1);
    expect(await drive.read('wallet-backup/keyrings/epoch-1.age', CAP)).toEqual(contenders[results.indexOf('created')]);
    expect(emulator.files(ALICE)).toHaveLength(1);
  });

  it('R4/R5: under any order in which the server takes two or three devices\' uploads and their listings, exactly one create says created and the one file left holds its bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 3 }).chain((devices) =>
          fc.record({
            devices: fc.constant(devices),
            uploadOrder: fc.shuffledSubarray([...Array(devices).keys()], { minLength: devices, maxLength: devices }),
            listOrder: fc.option(fc.shuffledSubarray([...Array(devices).keys()], { minLength: devices, maxLength: devices })),
          }),
        ),
        async ({ devices, uploadOrder, listOrder }) => {
          const emulator = await startHuaweiDriveEmulator();
          emulators.push(emulator);
          const drives = Array.from({ length: devices }, (_, index) => secondDrive(emulator, `AT-device-${index}`));
          const path = 'wallet-backup/keyrings/epoch-1.age';
          const uploads = Array.from({ length: devices }, () => emulator.hold((op) => op === 'files.create'));
          const results = Promise.all(drives.map((drive, index) => drive.create(path, bytesOf(`keyring of device ${index}`))));
          const heldUploads = await Promise.all(uploads);
          // Every device has passed its "is it there?" check: the next lists are the ones after the uploads.
          const lists = listOrder === null ? [] : Array.from({ length: devices }, () => emulator.hold((op) => op === 'files.list'));
          for (const index of uploadOrder) {
            heldUploads[index]!.release();
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
          if (listOrder !== null) {
            const heldLists = await Promise.all(lists);
            for (const index of listOrder) {
              heldLists[index]!.release();
              await new Promise((resolve) => setTimeout(resolve, 1));
            }
          }
          const outcome = await results;
          expect(outcome.filter((result) => result === 'created')).toHaveLength(1);
          const winner = outcome.indexOf('created');
          const left = emulator.files(ALICE);
          expect(left).toHaveLength(1);
          expect(left[0]!.bytes).toEqual(bytesOf(`keyring of device ${winner}`));
          for (const drive of drives) expect(await drive.read(path, CAP)).toEqual(bytesOf(`keyring of device ${winner}`));
          await emulator.close();
          emulators.splice(emulators.indexOf(emulator), 1);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('R4/R5: under any interleaving of two or three devices\' requests (checks, uploads, listings, deletes), exactly one create says created and the one file left holds its bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 3 }), fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), async (devices, choices) => {
        const emulator = await startHuaweiDriveEmulator();
        emulators.push(emulator);
        const drives = Array.from({ length: devices }, (_, index) => secondDrive(emulator, `AT-device-${index}`, `device-${index}`));
        const path = 'wallet-backup/keyrings/epoch-1.age';
        emulator.gate(() => true);
        let pending = devices;
        const results = Promise.all(
          drives.map((drive, index) =>
            drive.create(path, bytesOf(`keyring of device ${index}`)).finally(() => {
              pending -= 1;
            }),
          ),
        );
        // The scheduler: each device has one request in flight at a time; once every device still
        // running waits at the door, the next choice picks which one goes on.
        for (let step = 0; pending > 0; ) {
          const waiting = emulator.waiting();
          if (waiting.length < pending) {
            await new Promise((resolve) => setTimeout(resolve, 1));
            continue;
          }
          waiting[choices[step % choices.length]! % waiting.length]!.release();
          step += 1;
        }
        emulator.gate(null);
        const outcome = await results;
        expect(outcome.filter((result) => result === 'created')).toHaveLength(1);
        const winner = outcome.indexOf('created');
        const left = emulator.files(ALICE);
        expect(left).toHaveLength(1);
        expect(left[0]!.bytes).toEqual(bytesOf(`keyring of device ${winner}`));
        for (const drive of drives) expect(await drive.read(path, CAP)).toEqual(bytesOf(`keyring of device ${winner}`));
      }),
      { numRuns: 30 },
    );
  });

  it('a create whose response was lost (dropped after the upload) is transient; the next create finds it: one file, exists', async () => {
    const { drive, emulator } = await setup();
    // The first upload is stored, then its connection drops before the answer: the adapter tries
    // once; the engine's retry creates again and finds the file (its upload effect then reads the
    // keyring back and knows its own bytes, backup-effects.ts).
    emulator.failNext('files.create', { kind: 'drop', afterApplying: true });
    expect((await cloudErrorOf(drive.create('k', bytesOf('mine')), 'network')).transient).toBe(true);
    expect(await drive.create('k', bytesOf('mine'))).toBe('exists');
    expect(emulator.files(ALICE)).toHaveLength(1);
    expect(await drive.read('k', CAP)).toEqual(bytesOf('mine'));
  });
});

describe('HUAWEI Drive adapter: the engine over it', () => {
  it('R1/R14: a full backup through createBackupEngine stores only age files in applicationData, and another device restores the mnemonic', async () => {
    const { drive, emulator } = await setup();
    const mnemonic = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
    const password = 'correct horse 7';
    const engine = createBackupEngine({ eventLog: openMemoryEventStore(), clouds: { huawei: drive }, kdf: createNobleScrypt(), scryptLogN: 10, device: { id: 'phone-1' } });
    const backup = await engine.backup({ provider: 'huawei', mnemonic, walletName: 'Main' });
    await backup.choosePassword(password, password);
    expect(backup.result()).toMatchObject({ outcome: 'done', account: ALICE, epoch: 1 });
    const stored = emulator.files(ALICE);
    expect(stored.length).toBeGreaterThan(0);
    for (const file of stored) expect(new TextDecoder().decode(file.bytes)).not.toContain('legal winner');

    const other = secondDrive(emulator);
    const restoring = createBackupEngine({ eventLog: openMemoryEventStore(), clouds: { huawei: other }, kdf: createNobleScrypt(), scryptLogN: 10, device: { id: 'phone-2' } });
    const restore = await restoring.restore({ provider: 'huawei', walletId: backup.result().walletId! });
    await restore.enterPassword(password);
    expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic });
  });

  it('R13: HMS ConnectionResult 3 (SERVICE_DISABLED) stops an engine backup at hmsUnavailable before any request; after the fix RETRY goes on', async () => {
    const harness = await setup();
    harness.setHms(HMS_CONNECTION_RESULT.SERVICE_DISABLED);
    const engine = createBackupEngine({ eventLog: openMemoryEventStore(), clouds: { huawei: harness.drive }, kdf: createNobleScrypt(), scryptLogN: 10, device: { id: 'phone-1' } });
    const flow = await engine.backup({ provider: 'huawei', mnemonic: 'legal winner thank year wave sausage worth useful legal winner thank yellow' });
    expect(flow.view().state).toBe('hmsUnavailable');
    expect(flow.context().hmsProblem).toBe('missing');
    expect(harness.emulator.log).toEqual([]);
    harness.setHms(HMS_CONNECTION_RESULT.SUCCESS);
    expect((await flow.retry()).state).toBe('choosingPassword');
  });

  it('R12: storage full (403 21004039) stops an engine backup at uploading.storageFull with the bytes needed; after space is freed it finishes', async () => {
    const { drive, emulator } = await setup();
    emulator.setCapacity(ALICE, 0);
    const engine = createBackupEngine({ eventLog: openMemoryEventStore(), clouds: { huawei: drive }, kdf: createNobleScrypt(), scryptLogN: 10, device: { id: 'phone-1' } });
    const flow = await engine.backup({ provider: 'huawei', mnemonic: 'legal winner thank year wave sausage worth useful legal winner thank yellow' });
    await flow.choosePassword('correct horse 7', 'correct horse 7');
    expect(flow.view().state).toEqual({ uploading: 'storageFull' });
    expect(flow.context().neededBytes).toBeGreaterThan(0);
    expect(emulator.files(ALICE)).toEqual([]);
    emulator.setCapacity(ALICE, 1_000_000);
    expect((await flow.spaceFreed()).state).toBe('done');
  });
});
