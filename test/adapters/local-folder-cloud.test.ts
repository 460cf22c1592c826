/**
 * The local-folder cloud: the CloudDrive contract in a temp folder, plus what only a real file
 * system shows: file modes, the on-disk layout, device.json seen across adapter instances, and
 * that temp files of interrupted writes are never visible.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  accountFolder,
  accountFolderName,
  createLocalFolderCloud,
  createLocalFolderClouds,
  DEFAULT_QUOTA_BYTES,
  deviceFile,
  readSimState,
  writeSimState,
} from '../../adapters/cloud/local-folder.ts';
import { writeFileAtomic } from '../../adapters/cloud/local-files.ts';
import { TEMP_NAME_PREFIX } from '../../adapters/cloud/paths.ts';
import type { ProviderId } from '../../src/ports/providers.ts';
import { bytesOf, cloudErrorOf, describeCloudDriveContract } from './cloud-drive-contract.ts';

async function makeRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'wbe-cloud-'));
}

/** Every file on disk under each account folder, temp files included, keyed by decoded account id. */
async function filesOnDisk(root: string, provider: ProviderId): Promise<Record<string, Record<string, Uint8Array>>> {
  const accountsFolder = join(root, provider, 'accounts');
  const result: Record<string, Record<string, Uint8Array>> = {};
  let accountNames: string[] = [];
  try {
    accountNames = (await readdir(accountsFolder)).sort();
  } catch {
    return result;
  }
  for (const name of accountNames) {
    const files: Record<string, Uint8Array> = {};
    const entries = await readdir(join(accountsFolder, name), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const full = join(entry.parentPath, entry.name);
      const relative = full.slice(join(accountsFolder, name).length + 1).split(/[\\/]/).join('/');
      files[relative] = new Uint8Array(await readFile(full));
    }
    if (Object.keys(files).length > 0) result[decodeURIComponent(name)] = Object.fromEntries(Object.entries(files).sort());
  }
  return result;
}

describeCloudDriveContract('local folder', async ({ provider, account }) => {
  const root = await makeRoot();
  // The factory's account is the device's default; signing out is device state, as on a phone.
  const drive = createLocalFolderCloud({ root, provider, account: account ?? 'configured@example.com' });
  if (account === null) await writeSimState(root, provider, { signedIn: false });
  return {
    drive,
    setAccount: async (next) => {
      await writeSimState(root, provider, next === null ? { signedIn: false } : { signedIn: true, account: next });
    },
    setQuotaBytes: async (quotaBytes) => void (await writeSimState(root, provider, { quotaBytes })),
    setHms: async (hms) => void (await writeSimState(root, provider, { hms })),
    failNextOps: async (failNextOps) => void (await writeSimState(root, provider, { failNextOps })),
    storedFiles: () => filesOnDisk(root, provider),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
});

describe('local folder cloud', () => {
  const roots: string[] = [];
  async function newRoot(): Promise<string> {
    const root = await makeRoot();
    roots.push(root);
    return root;
  }
  afterEach(async () => {
    await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
  });

  it('R1: files live at <root>/<provider>/accounts/<encoded account>/<path>, the account id as one folder name', async () => {
    const root = await newRoot();
    const drive = createLocalFolderCloud({ root, provider: 'icloud', account: 'alice@example.com' });
    await drive.write('wallet-backup/wallets/w1.age', bytesOf('w1'));
    const onDisk = join(root, 'icloud', 'accounts', 'alice%40example.com', 'wallet-backup', 'wallets', 'w1.age');
    expect(await readFile(onDisk, 'utf8')).toBe('w1');
    expect(accountFolder(root, 'icloud', 'alice@example.com')).toBe(join(root, 'icloud', 'accounts', 'alice%40example.com'));
  });

  it('R11: account ids that look like paths stay one folder inside accounts/', () => {
    expect(accountFolderName('..')).toBe('%2E.');
    expect(accountFolderName('.')).toBe('%2E');
    expect(accountFolderName('../../etc')).toBe('%2E.%2F..%2Fetc');
    expect(accountFolderName('a/b\\c:d*')).toBe('a%2Fb%5Cc%3Ad%2A');
    expect(() => accountFolderName('')).toThrow(/Invalid cloud account/);
  });

  it.skipIf(process.platform === 'win32')('R6: files are written with mode 0600 and folders with 0700', async () => {
    const root = await newRoot();
    const drive = createLocalFolderCloud({ root, provider: 'gdrive', account: 'alice@example.com' });
    await drive.write('wallet-backup/wallets/w1.age', bytesOf('w1'));
    await writeSimState(root, 'gdrive', { quotaBytes: 1000 });
    const account = accountFolder(root, 'gdrive', 'alice@example.com');
    expect((await stat(join(account, 'wallet-backup/wallets/w1.age'))).mode & 0o777).toBe(0o600);
    expect((await stat(deviceFile(root, 'gdrive'))).mode & 0o777).toBe(0o600);
    for (const folder of [account, join(account, 'wallet-backup'), join(account, 'wallet-backup/wallets')]) {
      expect((await stat(folder)).mode & 0o777).toBe(0o700);
    }
  });

  it('device.json: defaults when absent; changes are seen by a new adapter instance (the CLI\'s sim command)', async () => {
    const root = await newRoot();
    expect(await readSimState(root, 'huawei')).toEqual({ signedIn: true, account: null, quotaBytes: DEFAULT_QUOTA_BYTES, hms: 'ok', failNextOps: 0 });
    expect(DEFAULT_QUOTA_BYTES).toBe(15 * 1024 * 1024);
    const first = createLocalFolderCloud({ root, provider: 'huawei', account: 'alice@example.com' });
    expect(await first.status()).toEqual({ account: 'alice@example.com', hms: 'ok' });
    expect(await first.quota()).toEqual({ usedBytes: 0, totalBytes: DEFAULT_QUOTA_BYTES });

    const next = await writeSimState(root, 'huawei', { account: 'bob@example.com', quotaBytes: 4096, hms: 'outdated' });
    expect(next).toEqual({ signedIn: true, account: 'bob@example.com', quotaBytes: 4096, hms: 'outdated', failNextOps: 0 });
    expect(JSON.parse(await readFile(deviceFile(root, 'huawei'), 'utf8'))).toEqual({
      signedIn: true,
      quotaBytes: 4096,
      hms: 'outdated',
      failNextOps: 0,
      account: 'bob@example.com',
    });

    const second = createLocalFolderCloud({ root, provider: 'huawei', account: 'alice@example.com' });
    expect(await second.status()).toEqual({ account: 'bob@example.com', hms: 'outdated' });
    await cloudErrorOf(second.list(''), 'hms-outdated');

    await writeSimState(root, 'huawei', { hms: 'ok', account: null });
    expect(await second.status()).toEqual({ account: 'alice@example.com', hms: 'ok' });
    expect(await second.quota()).toEqual({ usedBytes: 0, totalBytes: 4096 });

    await writeSimState(root, 'huawei', { signedIn: false });
    expect(await first.status()).toEqual({ account: null, hms: 'ok' });
    await cloudErrorOf(first.read('x', { maxBytes: 1 << 20 }), 'not-signed-in');
  });

  it('device.json: failNextOps is counted down on disk, so a terminal can script a network failure for a running engine', async () => {
    const root = await newRoot();
    const drive = createLocalFolderCloud({ root, provider: 'gdrive', account: 'alice@example.com' });
    await writeSimState(root, 'gdrive', { failNextOps: 2 });
    await cloudErrorOf(drive.quota(), 'network');
    expect((await readSimState(root, 'gdrive')).failNextOps).toBe(1);
    await cloudErrorOf(drive.write('a', bytesOf('a')), 'network');
    expect((await readSimState(root, 'gdrive')).failNextOps).toBe(0);
    expect(await filesOnDisk(root, 'gdrive')).toEqual({});
    await drive.write('a', bytesOf('a'));
  });

  it('E6: a malformed device.json or sim change is refused with an error naming the field', async () => {
    const root = await newRoot();
    await expect(writeSimState(root, 'gdrive', { hms: 'gone' as never })).rejects.toThrow(/"hms" must be "ok", "missing" or "outdated"/);
    await expect(writeSimState(root, 'gdrive', { quotaBytes: -5 })).rejects.toThrow(/"quotaBytes" must be a whole number/);
    await expect(writeSimState(root, 'gdrive', { account: '' })).rejects.toThrow(/"account" must be a non-empty account id/);

    await mkdir(join(root, 'gdrive'), { recursive: true });
    await writeFile(deviceFile(root, 'gdrive'), '{"signedin": false}');
    await expect(readSimState(root, 'gdrive')).rejects.toThrow(/unknown field "signedin"/);
    await writeFile(deviceFile(root, 'gdrive'), '{ not json');
    const drive = createLocalFolderCloud({ root, provider: 'gdrive', account: 'a@b.c' });
    await expect(drive.status()).rejects.toThrow(/device\.json" is not valid JSON/);
  });

  it('refuses an unknown provider at construction', () => {
    expect(() => createLocalFolderCloud({ root: '/tmp/x', provider: '../evil' as ProviderId })).toThrow(/Unknown cloud provider/);
  });

  it('R12: temp files never show in list() or usage, and a crash leftover (stale temp file) stays invisible', async () => {
    const root = await newRoot();
    const drive = createLocalFolderCloud({ root, provider: 'icloud', account: 'alice@example.com' });
    await writeSimState(root, 'icloud', { quotaBytes: 100 });
    await drive.write('wallet-backup/keyring.age', bytesOf('keyring'));
    const folder = join(accountFolder(root, 'icloud', 'alice@example.com'), 'wallet-backup');
    // What a crash between write and rename leaves behind.
    await writeFile(join(folder, `${TEMP_NAME_PREFIX}deadbeef`), new Uint8Array(95));

    expect(await drive.list('')).toEqual(['wallet-backup/keyring.age']);
    expect(await drive.quota()).toEqual({ usedBytes: 7, totalBytes: 100 });
    await expect(drive.read(`wallet-backup/${TEMP_NAME_PREFIX}deadbeef`, { maxBytes: 1 << 20 })).rejects.toThrow(/reserved for in-progress writes/);
    await drive.write('wallet-backup/wallets/w1.age', new Uint8Array(90));
    expect(await drive.read('wallet-backup/keyring.age', { maxBytes: 1 << 20 })).toEqual(bytesOf('keyring'));
  });

  it('E3: a write that fails after its temp file was written (rename refused) removes the temp file', async () => {
    const root = await newRoot();
    const folder = join(root, 'files');
    await mkdir(join(folder, 'target'), { recursive: true });
    await writeFile(join(folder, 'target', 'inside'), 'x');
    // A non-empty folder where the file should go makes the final rename fail once the temp file is complete.
    await expect(writeFileAtomic(join(folder, 'target'), bytesOf('record'))).rejects.toThrow();
    expect((await readdir(folder)).sort()).toEqual(['target']);
  });

  it('a folder where the file should go is refused before anything is written', async () => {
    const root = await newRoot();
    const drive = createLocalFolderCloud({ root, provider: 'gdrive', account: 'alice@example.com' });
    const folder = accountFolder(root, 'gdrive', 'alice@example.com');
    await mkdir(join(folder, 'wallet-backup', 'w1.age'), { recursive: true });
    await expect(drive.write('wallet-backup/w1.age', bytesOf('record'))).rejects.toThrow(/it is a folder/);
    expect(await readdir(join(folder, 'wallet-backup'))).toEqual(['w1.age']);
  });

  it('E3: concurrent writes of the same file leave one whole version, never a mix, and no temp file', async () => {
    const root = await newRoot();
    const drive = createLocalFolderCloud({ root, provider: 'gdrive', account: 'alice@example.com' });
    const versions = Array.from({ length: 8 }, (_, index) => new Uint8Array(4096).fill(index + 1));
    await Promise.all(versions.map((bytes) => drive.write('wallet-backup/keyring.age', bytes)));
    const stored = await drive.read('wallet-backup/keyring.age', { maxBytes: 1 << 20 });
    expect(versions.some((bytes) => Buffer.from(bytes).equals(Buffer.from(stored!)))).toBe(true);
    const onDisk = await filesOnDisk(root, 'gdrive');
    expect(Object.keys(onDisk['alice@example.com'] ?? {})).toEqual(['wallet-backup/keyring.age']);
  });

  it('R15: createLocalFolderClouds gives each provider its own folder and device state', async () => {
    const root = await newRoot();
    const drives = createLocalFolderClouds({ root, account: 'alice@example.com' });
    await drives.gdrive.write('wallet-backup/keyring.age', bytesOf('g'));
    await writeSimState(root, 'icloud', { signedIn: false });
    expect(await drives.icloud.status()).toEqual({ account: null, hms: 'ok' });
    expect(await drives.huawei.list('')).toEqual([]);
    expect(await drives.gdrive.list('')).toEqual(['wallet-backup/keyring.age']);
  });
});
