/**
 * The Google Drive adapter over real HTTP on 127.0.0.1: google-drive-mock behind our fault proxy
 * (test/support/drive-fault-proxy.ts). The port's promises, each Drive fault mapped to its
 * CloudError, and create races between two devices forced with held requests.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleDriveCloud, type GoogleDriveOptions } from '../../adapters/cloud/google-drive.ts';
import { startDriveEmulator, type DriveEmulator } from '../support/drive-fault-proxy.ts';
import { bytesOf, cloudErrorOf } from './cloud-drive-contract.ts';

let emulator: DriveEmulator;
beforeAll(async () => {
  emulator = await startDriveEmulator();
});
afterAll(async () => {
  await emulator.close();
});

/** The transient network CloudError a call threw (tried once: the engine retries, not the adapter). */
async function transientOf(call: Promise<unknown>) {
  const error = await cloudErrorOf(call, 'network');
  expect(error.transient).toBe(true);
  return error;
}

let pathCounter = 0;
/** A fresh folder per test: the mock's store lives as long as the file's emulator. */
function folder(): string {
  pathCounter += 1;
  return `wallet-backup/t${pathCounter}`;
}

function drive(overrides: Partial<GoogleDriveOptions> & { token?: string } = {}) {
  const token = overrides.token ?? emulator.issueToken();
  const cloud = createGoogleDriveCloud({
    getAccessToken: async () => token,
    baseUrl: emulator.url,
    ...overrides,
  });
  return { cloud, token };
}

afterEach(() => {
  emulator.setQuotaLimit(15 * 1024 * 1024);
  emulator.setPageSize(null);
  emulator.setEmptyPages(false);
});

describe('Google Drive adapter: the port over HTTP', () => {
  it('a written file reads back byte for byte (binary), a missing one reads as null, and it lives in appDataFolder under its whole path', async () => {
    const { cloud } = drive();
    const dir = folder();
    const bytes = Uint8Array.from({ length: 300 }, (_, index) => (index * 37) % 256);
    await cloud.write(`${dir}/keyrings/epoch-1.age`, bytes);
    expect(await cloud.read(`${dir}/keyrings/epoch-1.age`, { maxBytes: 1000 })).toEqual(bytes);
    expect(await cloud.read(`${dir}/nothing.age`, { maxBytes: 1000 })).toBeNull();
    const stored = (await emulator.files()).filter((file) => file.name === `${dir}/keyrings/epoch-1.age`);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.parents).toEqual(['appDataFolder']);
  });

  it('write replaces the whole content of the one file of a path (a media update, same file id)', async () => {
    const { cloud } = drive();
    const path = `${folder()}/a.age`;
    await cloud.write(path, bytesOf('first version, longer'));
    const before = (await emulator.files()).filter((file) => file.name === path);
    await cloud.write(path, bytesOf('second'));
    const after = (await emulator.files()).filter((file) => file.name === path);
    expect(after.map((file) => file.id)).toEqual(before.map((file) => file.id));
    expect(await cloud.read(path, { maxBytes: 100 })).toEqual(bytesOf('second'));
  });

  it('list(prefix) is recursive, sorted, only under the prefix, and ignores files outside appDataFolder', async () => {
    const { cloud } = drive();
    const dir = folder();
    await cloud.write(`${dir}/b/2.age`, bytesOf('2'));
    await cloud.write(`${dir}/a.age`, bytesOf('1'));
    await cloud.write(`${dir}/b/1.age`, bytesOf('3'));
    await cloud.write(`${dir}x/other.age`, bytesOf('4'));
    await emulator.seed(`${dir}/in-my-drive.age`, bytesOf('user file'), { parents: ['root'] });
    expect(await cloud.list(dir)).toEqual([`${dir}/a.age`, `${dir}/b/1.age`, `${dir}/b/2.age`]);
    expect(await cloud.list(`${dir}/b/`)).toEqual([`${dir}/b/1.age`, `${dir}/b/2.age`]);
  });

  it('list reads every page, partial and empty ones included, until nextPageToken is absent', async () => {
    const { cloud } = drive();
    const dir = folder();
    const names = Array.from({ length: 7 }, (_, index) => `${dir}/w${index}.age`);
    for (const name of names) await cloud.write(name, bytesOf(name));
    emulator.setPageSize(2);
    emulator.setEmptyPages(true);
    const before = emulator.requests.length;
    expect(await cloud.list(dir)).toEqual(names);
    const pages = emulator.requests.slice(before).filter((request) => request.op === 'files.list').length;
    expect(pages).toBeGreaterThan(8);
  });

  it('delete removes every file of the path; deleting a missing path is not an error', async () => {
    const { cloud } = drive();
    const path = `${folder()}/gone.age`;
    await cloud.write(path, bytesOf('x'));
    await cloud.delete(path);
    expect(await cloud.read(path, { maxBytes: 10 })).toBeNull();
    await cloud.delete(path);
  });

  it('quota() reads about.storageQuota (int64 strings); no limit means unlimited', async () => {
    const { cloud } = drive();
    emulator.setQuotaLimit(5_000_000);
    expect(await cloud.quota()).toEqual({ usedBytes: emulator.usedBytes(), totalBytes: 5_000_000 });
    emulator.setQuotaLimit(null);
    expect((await cloud.quota()).totalBytes).toBe(Number.POSITIVE_INFINITY);
  });

  it('status() names the signed-in account from about.user; with no token it says signed out without throwing', async () => {
    expect(await drive().cloud.status()).toEqual({ account: 'alice@example.com', hms: 'ok' });
    const signedOut = drive({ getAccessToken: async () => null });
    expect(await signedOut.cloud.status()).toEqual({ account: null, hms: 'ok' });
    await cloudErrorOf(signedOut.cloud.read('wallet-backup/a', { maxBytes: 1 }), 'not-signed-in');
  });
});

describe('Google Drive adapter: accounts (R11)', () => {
  it('another account signed in (a new token): status names it, the first account\'s files are invisible and untouched; back again they are there', async () => {
    const aliceToken = emulator.issueToken('alice@example.com');
    const bobToken = emulator.issueToken('bob@example.com');
    let current = aliceToken;
    const { cloud } = drive({ getAccessToken: async () => current });
    const path = `${folder()}/keyring.age`;
    await cloud.write(path, bytesOf('alice keyring'));

    current = bobToken;
    expect(await cloud.status()).toEqual({ account: 'bob@example.com', hms: 'ok' });
    expect(await cloud.read(path, { maxBytes: 100 })).toBeNull();
    expect(await cloud.list('wallet-backup')).toEqual([]);
    expect((await cloud.quota()).usedBytes).toBe(0);
    expect(await cloud.create(path, bytesOf('bob keyring'))).toBe('created');
    await cloud.delete(path);

    current = aliceToken;
    expect(await cloud.status()).toEqual({ account: 'alice@example.com', hms: 'ok' });
    expect(await cloud.read(path, { maxBytes: 100 })).toEqual(bytesOf('alice keyring'));
  });
});

describe('Google Drive adapter: the port as a map of paths', () => {
  it('behaves like a map of path to bytes under any sequence of writes, creates and deletes (quota usage included)', async () => {
    const { cloud } = drive();
    const dir = folder();
    const paths = [`${dir}/w/a`, `${dir}/w/b`, `${dir}/w/c/d`, `${dir}/x`];
    const step = fc.oneof(
      fc.record({ kind: fc.constantFrom('write' as const, 'create' as const), path: fc.constantFrom(...paths), bytes: fc.uint8Array({ maxLength: 40 }) }),
      fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...paths) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 8 }), async (steps) => {
        for (const path of await cloud.list(dir)) await cloud.delete(path);
        const usedBefore = emulator.usedBytes();
        const model = new Map<string, Uint8Array>();
        for (const next of steps) {
          if (next.kind === 'write') {
            await cloud.write(next.path, next.bytes);
            model.set(next.path, next.bytes);
          } else if (next.kind === 'create') {
            expect(await cloud.create(next.path, next.bytes)).toBe(model.has(next.path) ? 'exists' : 'created');
            if (!model.has(next.path)) model.set(next.path, next.bytes);
          } else {
            await cloud.delete(next.path);
            model.delete(next.path);
          }
        }
        expect(await cloud.list(dir)).toEqual([...model.keys()].sort());
        for (const path of paths) expect(await cloud.read(path, { maxBytes: 1 << 20 })).toEqual(model.get(path) ?? null);
        const used = [...model.values()].reduce((sum, bytes) => sum + bytes.length, 0);
        expect((await cloud.quota()).usedBytes - usedBefore).toBe(used);
      }),
      { numRuns: 12 },
    );
  });

  it('a file where a folder is needed, or a folder where a file is needed, is refused with a plain Error (as on every adapter)', async () => {
    const { cloud } = drive();
    const dir = folder();
    await cloud.write(`${dir}/a/b`, bytesOf('file'));
    await expect(cloud.write(`${dir}/a/b/c`, bytesOf('x'))).rejects.toThrow(/a\/b" is a file/);
    await expect(cloud.create(`${dir}/a`, bytesOf('x'))).rejects.toThrow(/it is a folder/);
    expect(await cloud.list(dir)).toEqual([`${dir}/a/b`]);
  });
});

describe('Google Drive adapter: create-if-absent and duplicates', () => {
  it('create makes an absent file and says created; a second create says exists and leaves the first bytes', async () => {
    const { cloud } = drive();
    const path = `${folder()}/keyrings/epoch-1.age`;
    expect(await cloud.create(path, bytesOf('mine'))).toBe('created');
    expect(await cloud.create(path, bytesOf('theirs'))).toBe('exists');
    expect(await cloud.read(path, { maxBytes: 100 })).toEqual(bytesOf('mine'));
  });

  it('two devices creating one path at once: exactly one says created, one file remains and holds its bytes', async () => {
    const path = `${folder()}/keyrings/epoch-1.age`;
    const phone = drive();
    const tablet = drive();
    // Both uploads are held until both have arrived, so both devices saw no file before creating.
    const heldPhone = emulator.hold('files.create', (body) => body.includes('from the phone'));
    const heldTablet = emulator.hold('files.create', (body) => body.includes('from the tablet'));
    const results = Promise.all([phone.cloud.create(path, bytesOf('from the phone')), tablet.cloud.create(path, bytesOf('from the tablet'))]);
    const [first, second] = await Promise.all([heldPhone, heldTablet]);
    // The phone's upload lands first: its listing after the upload arriving proves it (no timing guess).
    const phoneList = emulator.hold('files.list');
    first.release();
    const phoneListing = await phoneList;
    second.release();
    phoneListing.release();
    const [phoneResult, tabletResult] = await results;
    // The phone's upload landed first, so its file is the older: it wins on both devices.
    expect([phoneResult, tabletResult]).toEqual(['created', 'exists']);
    const stored = (await emulator.files()).filter((file) => file.name === path);
    expect(stored).toHaveLength(1);
    const winnerBytes = phoneResult === 'created' ? bytesOf('from the phone') : bytesOf('from the tablet');
    expect(stored[0]!.bytes).toEqual(winnerBytes);
    expect(await phone.cloud.read(path, { maxBytes: 100 })).toEqual(winnerBytes);
  });

  it('a device whose file the winner deleted before its own listing says exists (its file gone is no fault)', async () => {
    const path = `${folder()}/keyrings/epoch-1.age`;
    const phone = drive();
    const tablet = drive();
    const heldPhone = emulator.hold('files.create', (body) => body.includes('from the phone'));
    const heldTablet = emulator.hold('files.create', (body) => body.includes('from the tablet'));
    const phoneDone = phone.cloud.create(path, bytesOf('from the phone'));
    const tabletDone = tablet.cloud.create(path, bytesOf('from the tablet'));
    const [phoneCreate, tabletCreate] = await Promise.all([heldPhone, heldTablet]);
    // Both have looked and seen no file; now each one's listing after its upload is held.
    const phoneList = emulator.hold('files.list');
    phoneCreate.release();
    const phoneListing = await phoneList;
    const tabletList = emulator.hold('files.list');
    tabletCreate.release();
    const tabletListing = await tabletList;
    // The phone's file is older: the phone sees both, wins, and deletes the tablet's copy ...
    phoneListing.release();
    expect(await phoneDone).toBe('created');
    // ... before the tablet's listing runs, which then shows the phone's file only.
    tabletListing.release();
    expect(await tabletDone).toBe('exists');
    const stored = (await emulator.files()).filter((file) => file.name === path);
    expect(stored.map((file) => file.bytes)).toEqual([bytesOf('from the phone')]);
  });

  it('ten concurrent creates of one path from ten devices: exactly one created, and the file holds that caller\'s bytes', async () => {
    const path = `${folder()}/keyrings/epoch-1.age`;
    const devices = Array.from({ length: 10 }, () => drive());
    const results = await Promise.all(devices.map((device, index) => device.cloud.create(path, bytesOf(`device ${index}`))));
    expect(results.filter((result) => result === 'created')).toHaveLength(1);
    const winner = results.indexOf('created');
    expect(await devices[0]!.cloud.read(path, { maxBytes: 100 })).toEqual(bytesOf(`device ${winner}`));
    expect((await emulator.files()).filter((file) => file.name === path)).toHaveLength(1);
  });

  it('duplicates left by a crash: read picks the oldest (createdTime, then id), never the newest; write cleans the others up', async () => {
    const { cloud } = drive();
    const path = `${folder()}/keyrings/epoch-1.age`;
    await emulator.seed(path, bytesOf('newer'), { createdTime: '2026-01-02T00:00:00.000Z' });
    await emulator.seed(path, bytesOf('oldest'), { createdTime: '2026-01-01T00:00:00.000Z' });
    await emulator.seed(path, bytesOf('newest'), { createdTime: '2026-01-03T00:00:00.000Z' });
    for (let index = 0; index < 3; index++) expect(await cloud.read(path, { maxBytes: 100 })).toEqual(bytesOf('oldest'));
    expect(await cloud.create(path, bytesOf('late'))).toBe('exists');
    await cloud.write(path, bytesOf('replaced'));
    const stored = (await emulator.files()).filter((file) => file.name === path);
    expect(stored.map((file) => file.bytes)).toEqual([bytesOf('replaced')]);
    expect(stored[0]!.createdTime).toBe('2026-01-01T00:00:00.000Z');
  });

  it('duplicates with the same createdTime: the smaller id wins, on every read', async () => {
    const { cloud } = drive();
    const path = `${folder()}/same-time.age`;
    const time = '2026-02-01T00:00:00.000Z';
    const ids = [await emulator.seed(path, bytesOf('one'), { createdTime: time }), await emulator.seed(path, bytesOf('two'), { createdTime: time })];
    const smaller = ids[0]! < ids[1]! ? 'one' : 'two';
    expect(await cloud.read(path, { maxBytes: 10 })).toEqual(bytesOf(smaller));
  });

  it('a listing lagging behind the create (our new file not in it yet): still created, and the file is kept', async () => {
    const { cloud } = drive();
    const path = `${folder()}/keyrings/epoch-1.age`;
    // The upload is held so that the lagging listing is the one after it, not the one before.
    const heldUpload = emulator.hold('files.create');
    const result = cloud.create(path, bytesOf('made'));
    const upload = await heldUpload;
    emulator.fail('files.list', { kind: 'lagging-list' });
    upload.release();
    expect(await result).toBe('created');
    expect((await emulator.files()).filter((file) => file.name === path).map((file) => file.bytes)).toEqual([bytesOf('made')]);
  });

  it('a create whose answer was lost (connection dropped after the file landed) is transient; the next create finds it: one file, exists', async () => {
    const { cloud } = drive();
    const path = `${folder()}/keyrings/epoch-1.age`;
    emulator.fail('files.create', { kind: 'drop-after' });
    await transientOf(cloud.create(path, bytesOf('once')));
    // The engine's upload reads an 'exists' keyring back and knows its own bytes (backup-effects.ts).
    expect(await cloud.create(path, bytesOf('once'))).toBe('exists');
    const stored = (await emulator.files()).filter((file) => file.name === path);
    expect(stored.map((file) => file.bytes)).toEqual([bytesOf('once')]);
  });
});

describe('Google Drive adapter: faults', () => {
  it('403 storageQuotaExceeded is quota-exceeded with the bytes needed, never retried, and stores nothing', async () => {
    const { cloud } = drive();
    const path = `${folder()}/big.age`;
    emulator.setQuotaLimit(emulator.usedBytes() + 100);
    const error = await cloudErrorOf(cloud.write(path, new Uint8Array(250)), 'quota-exceeded');
    expect(error.neededBytes).toBe(150);
    expect(error.transient).toBe(false);
    expect(await cloud.read(path, { maxBytes: 1000 })).toBeNull();
  });

  it('storage full is matched on reason, not domain: a storageQuotaExceeded with another domain is still storage full', async () => {
    const { cloud } = drive();
    emulator.fail('files.create', { kind: 'status', status: 403, reason: 'storageQuotaExceeded' });
    const error = await cloudErrorOf(cloud.create(`${folder()}/x.age`, bytesOf('x')), 'quota-exceeded');
    expect(error.transient).toBe(false);
  });

  it('replacing a file only needs the growth: storage full names the difference, and a same-size replace fits', async () => {
    const { cloud } = drive();
    const path = `${folder()}/grow.age`;
    await cloud.write(path, new Uint8Array(90));
    emulator.setQuotaLimit(emulator.usedBytes() + 5);
    await cloud.write(path, new Uint8Array(95));
    const error = await cloudErrorOf(cloud.write(path, new Uint8Array(120)), 'quota-exceeded');
    expect(error.neededBytes).toBe(25); // 120 replacing 95 grows by 25, and nothing is free
  });

  it('create of a path that exists says exists on a full drive: nothing is uploaded', async () => {
    const { cloud } = drive();
    const path = `${folder()}/keyrings/epoch-1.age`;
    await cloud.create(path, bytesOf('bound'));
    emulator.setQuotaLimit(emulator.usedBytes());
    const before = emulator.requests.length;
    expect(await cloud.create(path, new Uint8Array(500))).toBe('exists');
    expect(emulator.requests.slice(before).map((request) => request.op)).toEqual(['files.list']);
  });

  it('a write over quota leaves the old content intact', async () => {
    const { cloud } = drive();
    const path = `${folder()}/keep.age`;
    await cloud.write(path, bytesOf('old'));
    emulator.setQuotaLimit(emulator.usedBytes() + 10);
    await cloudErrorOf(cloud.write(path, new Uint8Array(100)), 'quota-exceeded');
    expect(await cloud.read(path, { maxBytes: 1000 })).toEqual(bytesOf('old'));
  });

  it('401: the app is told once, the call is retried with the fresh token and succeeds', async () => {
    const first = emulator.issueToken();
    const second = emulator.issueToken();
    emulator.expireToken(first);
    let current = first;
    let rejected = 0;
    const { cloud } = drive({
      getAccessToken: async () => current,
      onTokenRejected: () => {
        rejected += 1;
        current = second;
      },
    });
    expect(await cloud.list(folder())).toEqual([]);
    expect(rejected).toBe(1);
  });

  it('401 again after the refresh is not-signed-in (the token is in no message)', async () => {
    const token = emulator.issueToken();
    emulator.expireToken(token);
    let rejected = 0;
    const { cloud } = drive({ token, onTokenRejected: () => void (rejected += 1) });
    const error = await cloudErrorOf(cloud.read(`${folder()}/a.age`, { maxBytes: 10 }), 'not-signed-in');
    expect(rejected).toBe(1);
    expect(error.message).not.toContain(token);
    expect(await cloud.status()).toEqual({ account: null, hms: 'ok' });
  });

  it('429 and 503 are transient, with the Retry-After Drive asked for and the status as reason; the next call succeeds', async () => {
    const { cloud } = drive();
    emulator.fail('files.list', { kind: 'status', status: 429, reason: 'rateLimitExceeded', retryAfter: '3' });
    emulator.fail('files.list', { kind: 'status', status: 503, reason: 'backendError' });
    const dir = folder();
    const throttled = await transientOf(cloud.list(dir));
    expect([throttled.retryReason, throttled.retryAfterMs]).toEqual(['HTTP 429', 3000]);
    const unavailable = await transientOf(cloud.list(dir));
    expect([unavailable.retryReason, unavailable.retryAfterMs]).toEqual(['HTTP 503', null]);
    expect(await cloud.list(dir)).toEqual([]);
  });

  it('403 userRateLimitExceeded and rateLimitExceeded are transient; success follows', async () => {
    const { cloud } = drive();
    emulator.fail('about.get', { kind: 'status', status: 403, reason: 'userRateLimitExceeded' });
    emulator.fail('about.get', { kind: 'status', status: 403, reason: 'rateLimitExceeded' });
    expect((await transientOf(cloud.quota())).retryReason).toBe('HTTP 403 userRateLimitExceeded');
    expect((await transientOf(cloud.quota())).retryReason).toBe('HTTP 403 rateLimitExceeded');
    expect((await cloud.quota()).totalBytes).toBeGreaterThan(0);
  });

  it('each call is tried once: a 500 is one transient network error, with no URL or token in its message or reason', async () => {
    const { cloud, token } = drive();
    emulator.fail('files.list', { kind: 'status', status: 500 }, 2);
    const dir = folder();
    const error = await transientOf(cloud.list(dir));
    expect(error.message).not.toContain(token);
    expect(error.message).not.toContain('http');
    expect(error.retryReason).toBe('HTTP 500');
    // The second scripted 500 is still there: the adapter did not try again on its own.
    await transientOf(cloud.list(dir));
    expect(await cloud.list(dir)).toEqual([]);
  });

  it('a dropped connection is transient; the next call succeeds', async () => {
    const { cloud } = drive();
    emulator.fail('files.list', { kind: 'drop-before' });
    const dir = folder();
    expect((await transientOf(cloud.list(dir))).retryReason).toBe('connection dropped');
    expect(await cloud.list(dir)).toEqual([]);
  });

  it('a download cut off mid-body is transient; the next read returns the whole file', async () => {
    const { cloud } = drive();
    const path = `${folder()}/cut.age`;
    const bytes = Uint8Array.from({ length: 4000 }, (_, index) => index % 251);
    await cloud.write(path, bytes);
    emulator.fail('files.get', { kind: 'cut-body' });
    expect((await transientOf(cloud.read(path, { maxBytes: 10_000 }))).retryReason).toBe('connection dropped while reading');
    expect(await cloud.read(path, { maxBytes: 10_000 })).toEqual(bytes);
  });

  it('404 is never retried: a download that finds the file gone lists the path again, a delete of a gone file is done', async () => {
    const { cloud } = drive();
    const path = `${folder()}/vanishing.age`;
    await cloud.write(path, bytesOf('x'));
    emulator.fail('files.get', { kind: 'status', status: 404, reason: 'notFound' });
    emulator.fail('files.delete', { kind: 'status', status: 404, reason: 'notFound' });
    expect(await cloud.read(path, { maxBytes: 10 })).toEqual(bytesOf('x'));
    await cloud.delete(path);
  });

  it('a huge download is refused with too-large, declared or not, without reading it all', async () => {
    const { cloud } = drive();
    const path = `${folder()}/huge.age`;
    await cloud.write(path, bytesOf('small'));
    emulator.fail('files.get', { kind: 'huge', bytes: 50 * 1024 * 1024 });
    const error = await cloudErrorOf(cloud.read(path, { maxBytes: 1024 }), 'too-large');
    expect(error.message).toContain('1024');
    emulator.fail('files.get', { kind: 'huge', bytes: 50 * 1024 * 1024, declareLength: true });
    await cloudErrorOf(cloud.read(path, { maxBytes: 1024 }), 'too-large');
  });
});
