/**
 * The CloudKit Web Services adapter over real HTTP on 127.0.0.1, against the emulator in
 * test/support/cloudkit-emulator.ts (the port's contract itself runs in cloudkit-contract.test.ts): zones, paging, create races and write interleavings
 * forced by held requests, web auth token rotation, each fault mapped, and a whole engine backup
 * and restore through this adapter.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOUDKIT_ZONE, createCloudKitCloud, pathOfRecordName, recordNameOf, type CloudKitCloudOptions } from '../../adapters/cloud/cloudkit.ts';
import { createNobleScrypt } from '../../adapters/kdf/noble-scrypt.ts';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { createBackupEngine } from '../../src/engine/index.ts';
import { isCloudError } from '../../src/ports/cloud-drive.ts';
import { startCloudKitEmulator, type CloudKitEmulator } from '../support/cloudkit-emulator.ts';
import { bytesOf, cloudErrorOf } from './cloud-drive-contract.ts';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const BIG = { maxBytes: 1 << 20 };

const emulators: CloudKitEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

async function emulator(): Promise<CloudKitEmulator> {
  const started = await startCloudKitEmulator();
  emulators.push(started);
  return started;
}

function driveOn(ck: CloudKitEmulator, token: string | null, extra: Partial<CloudKitCloudOptions> = {}) {
  return createCloudKitCloud({
    container: ck.container,
    environment: 'development',
    apiToken: ck.apiToken,
    webAuthToken: token,
    baseUrl: ck.url,
    ...extra,
  });
}

async function open(user = ALICE, extra: Partial<CloudKitCloudOptions> = {}) {
  const ck = await emulator();
  return { ck, drive: driveOn(ck, ck.signIn(user), extra) };
}

/** No message may hold a token, the API token or a URL carrying them. */
function expectNoSecrets(ck: CloudKitEmulator, text: string) {
  expect(text).not.toContain(ck.apiToken);
  expect(text).not.toMatch(/wat\+|ckWebAuthToken|ckAPIToken|127\.0\.0\.1/);
}

// The port's promises (reads, writes, create, list, delete, accounts, interrupted uploads, lost
// answers, no token in a URL or message) are the shared contract: cloudkit-contract.test.ts.
describe('CloudKit adapter: zones, paging, quota and sign-in over HTTP', () => {
  it('the first call creates the custom zone after CloudKit answers ZONE_NOT_FOUND, and the records live in it', async () => {
    const { ck, drive } = await open();
    expect(ck.zones(ALICE)).toEqual(['_defaultZone']);
    expect(await drive.read('wallet-backup/keyring.age', BIG)).toBeNull();
    expect(ck.zones(ALICE)).toContain(CLOUDKIT_ZONE);
    await drive.write('wallet-backup/keyring.age', bytesOf('k'));
    expect(ck.records(ALICE, CLOUDKIT_ZONE)).toEqual({ [recordNameOf('wallet-backup/keyring.age')]: bytesOf('k') });
  });

  it('a zone deleted after the adapter made it (ZONE_NOT_FOUND inside a modify answer) is made again and the write lands', async () => {
    const { ck, drive } = await open();
    await drive.write('a', bytesOf('a'));
    ck.dropZone(ALICE, CLOUDKIT_ZONE);
    await drive.delete('a');
    expect(await drive.create('b', bytesOf('b'))).toBe('created');
    expect(await drive.list('')).toEqual(['b']);
    expect(ck.log.filter((entry) => entry.operation === 'zones/modify')).toHaveLength(2);
  });

  it('list(prefix) is recursive, sorted and only under the folder, across many query pages', async () => {
    const { ck, drive } = await open();
    for (const path of ['wallet-backup/wallets/b.age', 'wallet-backup/manifest.json', 'wallet-backup/wallets/a.age', 'wallet-backupX/other', 'top']) {
      await drive.write(path, bytesOf(path));
    }
    const expected = ['wallet-backup/manifest.json', 'wallet-backup/wallets/a.age', 'wallet-backup/wallets/b.age'];
    expect(await drive.list('wallet-backup')).toEqual(expected);
    expect(await drive.list('wallet-backup/')).toEqual(expected);
    expect(await drive.list('')).toEqual(['top', ...expected, 'wallet-backupX/other']);
    expect(await drive.list('absent')).toEqual([]);
    ck.partialPages(true);
    expect(await drive.list('')).toEqual(['top', ...expected, 'wallet-backupX/other']);
    expect(ck.log.filter((entry) => entry.operation === 'records/query').length).toBeGreaterThan(10);
  });

  it('quota() reports the bytes of this app\'s records and an unbounded total (CloudKit has no quota endpoint)', async () => {
    const { drive } = await open();
    await drive.write('x', new Uint8Array(100));
    await drive.write('y/z', new Uint8Array(23));
    expect(await drive.quota()).toEqual({ usedBytes: 123, totalBytes: Number.MAX_SAFE_INTEGER });
  });

  it('status() names the account by its userRecordName; signed out it says null without throwing', async () => {
    const { ck, drive } = await open();
    expect(await drive.status()).toEqual({ account: ck.userRecordName(ALICE), hms: 'ok' });
    const signedOut = driveOn(ck, null);
    expect(await signedOut.status()).toEqual({ account: null, hms: 'ok' });
    for (const call of [() => signedOut.read('a', BIG), () => signedOut.write('a', bytesOf('x')), () => signedOut.create('a', bytesOf('x')), () => signedOut.list(''), () => signedOut.delete('a'), () => signedOut.quota()]) {
      const error = await cloudErrorOf(call(), 'not-signed-in');
      expect(error.message).toMatch(/iCloud/);
    }
  });

  it('refuses bad paths with a plain Error before any request', async () => {
    const { ck, drive } = await open();
    for (const bad of ['../x', '/abs', '', 'a//b', '.wbe-partial-1']) {
      const error = await drive.read(bad, BIG).then(() => undefined, (thrown: unknown) => thrown);
      expect(isCloudError(error)).toBe(false);
      expect((error as Error).message).toMatch(/Invalid cloud path/);
    }
    await expect(drive.write(`${'é'.repeat(50)}`, bytesOf('x'))).rejects.toThrow(/too long for a CloudKit record name/);
    expect(ck.log).toEqual([]);
  });

  it('record names escape paths injectively and reversibly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }), (a, b) => {
        const nameA = recordNameOf(a);
        expect(pathOfRecordName(nameA)).toBe(a);
        expect(nameA).toMatch(/^[A-Za-z0-9._-]*$/);
        if (a !== b) expect(recordNameOf(b)).not.toBe(nameA);
      }),
    );
  });
});

describe('CloudKit adapter: two devices at once', () => {
  it('two drives creating one path at once: exactly one created, and the record holds its bytes (forced interleaving)', async () => {
    const ck = await emulator();
    const first = driveOn(ck, ck.signIn(ALICE));
    const second = driveOn(ck, ck.signIn(ALICE));
    await first.list(''); // the zone exists, so both creates go straight to records/modify
    const held = ck.hold((operation) => operation === 'records/modify');
    const firstCreate = first.create('wallet-backup/keyrings/epoch-1.age', bytesOf('first device'));
    await held.arrived;
    expect(await second.create('wallet-backup/keyrings/epoch-1.age', bytesOf('second device'))).toBe('created');
    held.release();
    expect(await firstCreate).toBe('exists');
    expect(await first.read('wallet-backup/keyrings/epoch-1.age', BIG)).toEqual(bytesOf('second device'));
  });

  it('any number of devices racing to create one path: exactly one created, and the record holds the winner\'s bytes', async () => {
    const ck = await emulator();
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { minLength: 2, maxLength: 5 }), async (contenders) => {
        const path = `wallet-backup/keyrings/epoch-${++round}.age`;
        const drives = contenders.map(() => driveOn(ck, ck.signIn(ALICE)));
        const results = await Promise.all(drives.map((drive, index) => drive.create(path, contenders[index]!)));
        expect(results.filter((result) => result === 'created')).toHaveLength(1);
        expect(await drives[0]!.read(path, BIG)).toEqual(contenders[results.indexOf('created')]);
      }),
      { numRuns: 15 },
    );
  });

  it('a write that loses the recordChangeTag race looks again and lands whole: the later write wins, never a mix', async () => {
    const ck = await emulator();
    const first = driveOn(ck, ck.signIn(ALICE));
    const second = driveOn(ck, ck.signIn(ALICE));
    await first.write('wallet-backup/wallets/w.age', bytesOf('original'));
    const held = ck.hold((operation, body) => operation === 'records/modify' && JSON.stringify(body).includes('"update"'));
    const firstWrite = first.write('wallet-backup/wallets/w.age', bytesOf('from the first device'));
    await held.arrived; // the first write has read the tag and is about to update with it
    await second.write('wallet-backup/wallets/w.age', bytesOf('from the second device, longer'));
    held.release();
    await firstWrite;
    expect(await second.read('wallet-backup/wallets/w.age', BIG)).toEqual(bytesOf('from the first device'));
    const modifies = ck.log.filter((entry) => entry.operation === 'records/modify');
    expect(modifies.length).toBe(4); // original, second, first (CONFLICT), first again
  });
});

describe('CloudKit adapter: web auth tokens', () => {
  it('keeps the new web auth token each response carries, so it still works once older tokens expire', async () => {
    const ck = await emulator();
    const seen: string[] = [];
    const initial = ck.signIn(ALICE);
    const drive = driveOn(ck, initial, { onWebAuthToken: (token) => seen.push(token) });
    await drive.write('a', bytesOf('a'));
    expect(seen.length).toBeGreaterThan(1);
    expect(drive.currentWebAuthToken()).toBe(seen.at(-1));
    ck.expireSupersededTokens();
    expect(await drive.read('a', BIG)).toEqual(bytesOf('a'));
    // Each request carried the token the answer before it handed out.
    const sent = ck.log.map((entry) => entry.webAuthToken);
    expect(sent[0]).toBe(initial);
    expect(sent.slice(1)).toEqual(seen.slice(0, sent.length - 1));
  });

  it('a refused token (401) is traded once for the app\'s fresh one; with none it is not-signed-in', async () => {
    const ck = await emulator();
    let asked = 0;
    const drive = driveOn(ck, 'stale-token', { getWebAuthToken: async () => (++asked, ck.signIn(ALICE)) });
    await drive.write('a', bytesOf('a'));
    expect(asked).toBe(1);
    const noRenewal = driveOn(ck, 'stale-token');
    await cloudErrorOf(noRenewal.read('a', BIG), 'not-signed-in');
  });
});

describe('CloudKit adapter: faults mapped', () => {
  it('421 AUTHENTICATION_REQUIRED and 401 AUTHENTICATION_FAILED are not-signed-in, with no token or URL in the message', async () => {
    const { ck, drive } = await open();
    // Node's fetch (undici) itself sends a request again once on a new connection after a 421
    // (Misdirected Request), so the emulator answers 421 to both.
    ck.failNext('any', { kind: 'http', status: 421, code: 'AUTHENTICATION_REQUIRED' });
    ck.failNext('any', { kind: 'http', status: 421, code: 'AUTHENTICATION_REQUIRED' });
    expectNoSecrets(ck, (await cloudErrorOf(drive.read('a', BIG), 'not-signed-in')).message);
    ck.failNext('records/lookup', { kind: 'http', status: 401, code: 'AUTHENTICATION_FAILED' });
    expectNoSecrets(ck, (await cloudErrorOf(drive.read('a', BIG), 'not-signed-in')).message);
  });

  it('a user signed out elsewhere: status says null, calls say not-signed-in', async () => {
    const { ck, drive } = await open();
    await drive.write('a', bytesOf('a'));
    ck.signOut(ALICE);
    expect(await drive.status()).toEqual({ account: null, hms: 'ok' });
    await cloudErrorOf(drive.list(''), 'not-signed-in');
  });

  it('a full iCloud (413 QUOTA_EXCEEDED) is quota-exceeded, and the old record stays whole', async () => {
    const { ck, drive } = await open();
    await drive.write('wallet-backup/keyring.age', bytesOf('old keyring'));
    ck.setQuotaBytes(ALICE, 20);
    const error = await cloudErrorOf(drive.write('wallet-backup/keyring.age', new Uint8Array(50)), 'quota-exceeded');
    expect(error.neededBytes).toBe(50);
    expect(error.message).toMatch(/iCloud storage is full/);
    expect(await drive.read('wallet-backup/keyring.age', BIG)).toEqual(bytesOf('old keyring'));
    await cloudErrorOf(drive.create('wallet-backup/keyrings/epoch-1.age', new Uint8Array(50)), 'quota-exceeded');
    expect(await drive.list('')).toEqual(['wallet-backup/keyring.age']);
    ck.setQuotaBytes(ALICE, 1000);
    expect(await drive.create('wallet-backup/keyrings/epoch-1.age', new Uint8Array(50))).toBe('created');
  });

  it('QUOTA_EXCEEDED as a per-record error inside a 200 answer is quota-exceeded too', async () => {
    const { ck, drive } = await open();
    await drive.list('');
    ck.failNext('records/modify', { kind: 'record', code: 'QUOTA_EXCEEDED' });
    await cloudErrorOf(drive.create('a', bytesOf('abc')), 'quota-exceeded');
  });

  for (const [status, code] of [[429, 'THROTTLED'], [503, 'TRY_AGAIN_LATER']] as const) {
    it(`${status} ${code} is transient with its retryAfter (seconds) as the wait, tried once; the next call succeeds`, async () => {
      const { ck, drive } = await open();
      await drive.write('a', bytesOf('a'));
      ck.failNext('records/lookup', { kind: 'http', status, code, retryAfter: 0.05 });
      const error = await cloudErrorOf(drive.read('a', BIG), 'network');
      expect([error.transient, error.retryAfterMs]).toEqual([true, 50]);
      expect(error.retryReason).toContain(code);
      expectNoSecrets(ck, `${error.message} ${error.retryReason}`);
      expect(await drive.read('a', BIG)).toEqual(bytesOf('a'));
    });
  }

  it('a per-record THROTTLED inside a 200 answer is transient; the next create lands once', async () => {
    const { ck, drive } = await open();
    await drive.list('');
    ck.failNext('records/modify', { kind: 'record', code: 'THROTTLED', retryAfter: 0.01 });
    const error = await cloudErrorOf(drive.create('a', bytesOf('abc')), 'network');
    expect([error.transient, error.retryAfterMs, error.retryReason]).toEqual([true, 10, 'records.modify: THROTTLED']);
    expect(await drive.create('a', bytesOf('abc'))).toBe('created');
    expect(await drive.read('a', BIG)).toEqual(bytesOf('abc'));
  });

  it('a dropped connection is transient; a create whose answer was lost answers exists on the next call, the record holding its bytes', async () => {
    const { ck, drive } = await open();
    await drive.write('a', bytesOf('a'));
    ck.failNext('records/lookup', { kind: 'drop', when: 'before' });
    expect((await cloudErrorOf(drive.read('a', BIG), 'network')).transient).toBe(true);
    expect(await drive.read('a', BIG)).toEqual(bytesOf('a'));
    ck.failNext('records/modify', { kind: 'drop', when: 'after' });
    expect((await cloudErrorOf(drive.create('k', bytesOf('keyring')), 'network')).transient).toBe(true);
    expect(await drive.create('k', bytesOf('keyring'))).toBe('exists');
    expect(await drive.read('k', BIG)).toEqual(bytesOf('keyring'));
    expect(await drive.list('')).toEqual(['a', 'k']);
  });

  it('each call is tried once: transient failures name the fault but no token or URL, and the adapter does not try again', async () => {
    const { ck, drive } = await open();
    await drive.write('a', bytesOf('a'));
    for (let index = 0; index < 2; index++) ck.failNext('records/lookup', { kind: 'http', status: 503, code: 'TRY_AGAIN_LATER', retryAfter: 0 });
    const error = await cloudErrorOf(drive.read('a', BIG), 'network');
    expect(error.message).toMatch(/TRY_AGAIN_LATER/);
    expectNoSecrets(ck, error.message);
    expect((await cloudErrorOf(drive.read('a', BIG), 'network')).transient).toBe(true);
    ck.failNext('any', { kind: 'drop', when: 'before' });
    expectNoSecrets(ck, (await cloudErrorOf(drive.list(''), 'network')).message);
    expect(await drive.read('a', BIG)).toEqual(bytesOf('a'));
  });

  it('a record over the read\'s cap is refused as too-large, the answer read no further than the cap', async () => {
    let pulled = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const counted = response.body!.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform: (chunk, out) => void ((pulled += chunk.length), out.enqueue(chunk)) }));
      return new Response(counted, { status: response.status, headers: response.headers });
    };
    const { ck, drive } = await open(ALICE, { fetch: countingFetch });
    await drive.list('');
    const huge = new Uint8Array(3 * 1024 * 1024).fill(1);
    ck.putRecord(ALICE, CLOUDKIT_ZONE, {
      recordName: recordNameOf('wallet-backup/wallets/huge.age'),
      recordType: 'WalletBackupFile',
      fields: { path: { value: 'wallet-backup/wallets/huge.age' }, bytes: { value: Buffer.from(huge).toString('base64'), type: 'BYTES' } },
    });
    const error = await cloudErrorOf(drive.read('wallet-backup/wallets/huge.age', { maxBytes: 64 * 1024 }), 'too-large');
    expect(error.message).toContain('"wallet-backup/wallets/huge.age"');
    expect(pulled).toBeLessThan(512 * 1024); // of a 4 MB answer
    await drive.write('exact', new Uint8Array(1000));
    expect(await drive.read('exact', { maxBytes: 1000 })).toEqual(new Uint8Array(1000));
    await cloudErrorOf(drive.read('exact', { maxBytes: 999 }), 'too-large');
  });
});

describe('CloudKit adapter under the engine', () => {
  it('a whole backup and a restore on a second engine run through CloudKit Web Services', async () => {
    const ck = await emulator();
    const mnemonic = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
    const engineFor = (token: string) =>
      createBackupEngine({ eventLog: openMemoryEventStore(), clouds: { icloud: driveOn(ck, token) }, kdf: createNobleScrypt(), scryptLogN: 10, device: { id: 'ck-test' } });
    const backup = await engineFor(ck.signIn(ALICE)).backup({ provider: 'icloud', mnemonic, walletName: 'Main' });
    await backup.choosePassword('correct horse 7', 'correct horse 7');
    expect(backup.result()).toMatchObject({ outcome: 'done', account: ck.userRecordName(ALICE), epoch: 1 });
    expect(Object.keys(ck.records(ALICE, CLOUDKIT_ZONE)).map((name) => pathOfRecordName(name)).sort()).toEqual(
      expect.arrayContaining(['wallet-backup/keyrings/epoch-1.age']),
    );
    const restore = await engineFor(ck.signIn(ALICE)).restore({ provider: 'icloud', walletId: backup.result().walletId! });
    await restore.enterPassword('correct horse 7');
    expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic });
  }, 30_000);
});
