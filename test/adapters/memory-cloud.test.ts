/**
 * The in-memory cloud: the CloudDrive contract, plus the faults only it can inject (torn uploads,
 * bit flips on read, scripted errors) that the engine's read-back verification (E3) must catch.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryCloud, createMemoryClouds } from '../../adapters/cloud/memory.ts';
import { bytesOf, cloudErrorOf, describeCloudDriveContract, everyCloudCall } from './cloud-drive-contract.ts';

describeCloudDriveContract('memory', async ({ provider, account }) => {
  const drive = createMemoryCloud({ provider, account });
  return {
    drive,
    setAccount: async (next) => drive.device.setAccount(next),
    setQuotaBytes: async (bytes) => drive.device.setQuotaBytes(bytes),
    setHms: async (state) => drive.device.setHms(state),
    failNextOps: async (count) => {
      for (let index = 0; index < count; index += 1) drive.faults.failNext('any', 'network');
    },
    storedFiles: async () => drive.files.snapshot(),
    dispose: async () => undefined,
    // In process, an interrupted upload is the upload call failing before it stores anything.
    interruptNextUpload: async () => drive.faults.failNext('any', 'network'),
  };
}, {
  exceptions: {
    'lost-create-answer': 'in process: a call that stored the file always returns its answer',
    'no-secret-in-urls': 'no network and no token: the memory cloud requests no URL',
  },
});

const ALICE = 'alice@example.com';

describe('memory cloud faults', () => {
  it('E3: a torn write stores only a prefix yet reports success, so only a read-back can catch it', async () => {
    const drive = createMemoryCloud({ provider: 'gdrive', account: ALICE });
    const bytes = Uint8Array.from({ length: 64 }, (_, index) => index);
    drive.faults.tornWrite();
    await drive.write('wallet-backup/wallets/w1.age', bytes);
    const readBack = await drive.read('wallet-backup/wallets/w1.age', { maxBytes: 1 << 20 });
    expect(readBack).toEqual(bytes.slice(0, 32));
    expect(readBack).not.toEqual(bytes);

    // One-shot: the retry stores the whole file.
    await drive.write('wallet-backup/wallets/w1.age', bytes);
    expect(await drive.read('wallet-backup/wallets/w1.age', { maxBytes: 1 << 20 })).toEqual(bytes);
  });

  it('E3: a torn write can keep a chosen number of bytes (0: an empty file)', async () => {
    const drive = createMemoryCloud({ provider: 'gdrive', account: ALICE });
    drive.faults.tornWrite({ keepBytes: 0 });
    await drive.write('k', bytesOf('keyring'));
    expect(await drive.read('k', { maxBytes: 1 << 20 })).toEqual(new Uint8Array());
  });

  it('E2: a corrupt read flips exactly one bit of the next read of that path, leaving the stored file intact', async () => {
    const drive = createMemoryCloud({ provider: 'icloud', account: ALICE });
    const bytes = bytesOf('age-encryption.org/v1 ...');
    await drive.write('wallet-backup/keyring.age', bytes);
    await drive.write('wallet-backup/other.age', bytes);
    drive.faults.corruptRead('wallet-backup/keyring.age');

    expect(await drive.read('wallet-backup/other.age', { maxBytes: 1 << 20 })).toEqual(bytes);
    const corrupted = await drive.read('wallet-backup/keyring.age', { maxBytes: 1 << 20 });
    expect(corrupted).not.toBeNull();
    const flippedBits = corrupted!.reduce((count, byte, index) => count + popCount(byte ^ (bytes[index] ?? 0)), 0);
    expect(flippedBits).toBe(1);
    expect(drive.files.snapshot()[ALICE]?.['wallet-backup/keyring.age']).toEqual(bytes);
    expect(await drive.read('wallet-backup/keyring.age', { maxBytes: 1 << 20 })).toEqual(bytes);
  });

  it('E2: a corrupt read can target paths by predicate and a chosen bit', async () => {
    const drive = createMemoryCloud({ provider: 'icloud', account: ALICE });
    await drive.write('wallet-backup/wallets/w1.age', new Uint8Array([0, 0, 0]));
    drive.faults.corruptRead((path) => path.startsWith('wallet-backup/wallets/'), { bitIndex: 9 });
    expect(await drive.read('wallet-backup/wallets/w1.age', { maxBytes: 1 << 20 })).toEqual(new Uint8Array([0, 2, 0]));
  });

  it('R12: quotaFull() makes growing writes fail until space is freed or the quota raised', async () => {
    const drive = createMemoryCloud({ provider: 'gdrive', account: ALICE });
    await drive.write('photos/a.jpg', new Uint8Array(40));
    await drive.write('photos/b.jpg', new Uint8Array(10));
    drive.faults.quotaFull();
    expect(await drive.quota()).toEqual({ usedBytes: 50, totalBytes: 50 });
    const error = await cloudErrorOf(drive.write('wallet-backup/keyring.age', new Uint8Array(8)), 'quota-exceeded');
    expect(error.neededBytes).toBe(8);
    await cloudErrorOf(drive.write('wallet-backup/keyring.age', new Uint8Array(8)), 'quota-exceeded');
    expect(drive.files.snapshot()[ALICE]).not.toHaveProperty('wallet-backup/keyring.age');

    await drive.delete('photos/b.jpg');
    await drive.write('wallet-backup/keyring.age', new Uint8Array(8));

    drive.faults.quotaFull();
    await cloudErrorOf(drive.write('wallet-backup/w1.age', new Uint8Array(5)), 'quota-exceeded');
    drive.device.setQuotaBytes(1000);
    await drive.write('wallet-backup/w1.age', new Uint8Array(5));
  });

  it('failNext queues one-shot faults that fire in order, on the named operation or on any', async () => {
    const drive = createMemoryCloud({ provider: 'gdrive', account: ALICE });
    drive.faults.failNext('write', 'quota-exceeded', { neededBytes: 1234 });
    drive.faults.failNext('any', 'corrupt', { message: 'scripted corruption' });

    // The read skips the write-only fault and takes the 'any' one.
    const corrupt = await cloudErrorOf(drive.read('a', { maxBytes: 1 << 20 }), 'corrupt');
    expect(corrupt.message).toBe('scripted corruption');
    const full = await cloudErrorOf(drive.write('a', bytesOf('a')), 'quota-exceeded');
    expect(full.neededBytes).toBe(1234);
    expect(full.message).toMatch(/1234 more bytes/);
    await drive.write('a', bytesOf('a'));
    expect(await drive.read('a', { maxBytes: 1 << 20 })).toEqual(bytesOf('a'));
  });

  it('networkDown fails every cloud call until the network is back; status still answers', async () => {
    const drive = createMemoryCloud({ provider: 'huawei', account: ALICE });
    await drive.write('a', bytesOf('a'));
    drive.faults.networkDown(true);
    expect(await drive.status()).toEqual({ account: ALICE, hms: 'ok' });
    for (const call of everyCloudCall(drive)) {
      await cloudErrorOf(call(), 'network');
    }
    drive.faults.networkDown(false);
    expect(await drive.list('')).toEqual(['a']);
  });

  it('clear() drops every pending fault', async () => {
    const drive = createMemoryCloud({ provider: 'gdrive', account: ALICE });
    await drive.write('a', bytesOf('abc'));
    drive.faults.failNext('any', 'network');
    drive.faults.tornWrite();
    drive.faults.corruptRead('a');
    drive.faults.networkDown(true);
    drive.faults.clear();
    expect(await drive.read('a', { maxBytes: 1 << 20 })).toEqual(bytesOf('abc'));
    await drive.write('b', bytesOf('whole'));
    expect(await drive.read('b', { maxBytes: 1 << 20 })).toEqual(bytesOf('whole'));
  });

  it('counts every call, failed ones included', async () => {
    const drive = createMemoryCloud({ provider: 'gdrive', account: ALICE });
    drive.faults.failNext('write', 'network');
    await cloudErrorOf(drive.write('a', bytesOf('a')), 'network');
    await drive.write('a', bytesOf('a'));
    await drive.read('a', { maxBytes: 1 << 20 });
    await drive.status();
    expect(drive.opCounts()).toEqual({ status: 1, read: 1, write: 2, create: 0, list: 0, delete: 0, quota: 0 });
  });

  it('files.put seeds a file in any account without faults or sign-in, and snapshot shows files per account', async () => {
    const drive = createMemoryCloud({ provider: 'gdrive', account: null });
    drive.files.put(ALICE, 'wallet-backup/keyring.age', bytesOf('k'));
    expect(drive.files.snapshot()).toEqual({ [ALICE]: { 'wallet-backup/keyring.age': bytesOf('k') } });
    drive.device.setAccount(ALICE);
    expect(await drive.read('wallet-backup/keyring.age', { maxBytes: 1 << 20 })).toEqual(bytesOf('k'));
    expect(() => drive.files.put(ALICE, '../x', bytesOf('x'))).toThrow(/Invalid cloud path/);
  });

  it('R15: createMemoryClouds gives each provider its own cloud: nothing written to one shows in another', async () => {
    const clouds = createMemoryClouds({ account: ALICE });
    expect(Object.keys(clouds).sort()).toEqual(['gdrive', 'huawei', 'icloud']);
    await clouds.gdrive.write('wallet-backup/keyring.age', bytesOf('g'));
    clouds.icloud.faults.networkDown(true);
    expect(await clouds.huawei.list('')).toEqual([]);
    expect(await clouds.gdrive.list('')).toEqual(['wallet-backup/keyring.age']);
    await cloudErrorOf(clouds.icloud.list(''), 'network');
    expect(clouds.icloud.provider).toBe('icloud');
  });

  it('refuses a bad account or quota with a clear Error', () => {
    expect(() => createMemoryCloud({ provider: 'gdrive', account: '' })).toThrow(/Invalid cloud account/);
    expect(() => createMemoryCloud({ provider: 'gdrive', quotaBytes: -1 })).toThrow(/Invalid quota/);
    expect(() => createMemoryCloud({ provider: 'gdrive' }).device.setQuotaBytes(1.5)).toThrow(/Invalid quota/);
  });
});

function popCount(byte: number): number {
  let count = 0;
  for (let bits = byte; bits !== 0; bits >>= 1) count += bits & 1;
  return count;
}
