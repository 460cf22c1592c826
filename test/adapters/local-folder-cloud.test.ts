/**
 * The local-folder cloud: the CloudDrive contract in a temp folder, plus what only a real file
 * system shows: file modes, the on-disk layout, device.json seen across adapter instances, that
 * temp files of interrupted writes are never visible, that nothing outside the account folder is
 * ever touched (symlinked files and folders, FIFOs, devices), that huge files are refused from
 * their size, and that create() is exclusive across processes.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
import { MAX_DEVICE_FILE_BYTES, SimStateError } from '../../adapters/cloud/local-sim-state.ts';
import { writeFileAtomic } from '../../adapters/cloud/local-files.ts';
import { TEMP_NAME_PREFIX } from '../../adapters/cloud/paths.ts';
import type { ProviderId } from '../../src/ports/providers.ts';
import { bytesOf, cloudErrorOf, describeCloudDriveContract, everyCloudCall } from './cloud-drive-contract.ts';

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
    // On disk, an interrupted upload is the upload call failing (failNextOps) before it writes.
    interruptNextUpload: async () => void (await writeSimState(root, provider, { failNextOps: 1 })),
  };
}, {
  exceptions: {
    'lost-create-answer': 'on disk: a call that stored the file always returns its answer',
    'no-secret-in-urls': 'no network and no token: the local folder requests no URL',
  },
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

describe('local folder cloud: nothing outside the account folder is ever touched', () => {
  const ALICE = 'alice@example.com';
  const LIMIT = { maxBytes: 64 * 1024 };
  const roots: string[] = [];
  afterEach(async () => {
    await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
  });

  /** A drive with a keyring already stored, and a folder outside the account holding a file that must stay as it is. */
  async function setup() {
    const root = await makeRoot();
    roots.push(root);
    const drive = createLocalFolderCloud({ root, provider: 'gdrive', account: ALICE });
    await drive.write('wallet-backup/keyrings/epoch-1.age', bytesOf('keyring'));
    const account = accountFolder(root, 'gdrive', ALICE);
    const outside = join(root, 'outside');
    await mkdir(join(outside, 'wallets'), { recursive: true });
    await writeFile(join(outside, 'secret.txt'), 'outside secret');
    await writeFile(join(outside, 'wallets', 'w-1.age'), 'outside record');
    return { root, drive, account, outside };
  }

  async function outsideFiles(outside: string): Promise<Record<string, string>> {
    const found: Record<string, string> = {};
    for (const entry of await readdir(outside, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) found[join(entry.parentPath, entry.name).slice(outside.length + 1)] = await readFile(join(entry.parentPath, entry.name), 'utf8');
    }
    return found;
  }

  const OUTSIDE_AS_CREATED = { 'secret.txt': 'outside secret', [join('wallets', 'w-1.age')]: 'outside record' };

  it('a file symlinked out of the account folder is refused by read, write, create and delete with not-a-file naming the path; the target is never read or changed, list and quota ignore the link', async () => {
    const { drive, account, outside } = await setup();
    const linkPath = 'wallet-backup/keyrings/epoch-2.age';
    await symlink(join(outside, 'secret.txt'), join(account, linkPath));

    const read = await cloudErrorOf(drive.read(linkPath, LIMIT), 'not-a-file');
    expect(read.message).toContain(`"${linkPath}"`);
    expect(read.message).toMatch(/a symbolic link/);
    expect(read.message).not.toContain('outside secret');
    await cloudErrorOf(drive.write(linkPath, bytesOf('overwrite')), 'not-a-file');
    await cloudErrorOf(drive.create(linkPath, bytesOf('created')), 'not-a-file');
    await cloudErrorOf(drive.delete(linkPath), 'not-a-file');

    expect(await outsideFiles(outside)).toEqual(OUTSIDE_AS_CREATED);
    expect((await lstat(join(account, linkPath))).isSymbolicLink()).toBe(true);
    expect(await drive.list('')).toEqual(['wallet-backup/keyrings/epoch-1.age']);
    expect((await drive.quota()).usedBytes).toBe('keyring'.length);
  });

  it('a record symlinked to /dev/zero is refused at once with not-a-file, never read', async () => {
    const { drive, account } = await setup();
    await symlink('/dev/zero', join(account, 'wallet-backup/keyrings/epoch-2.age'));
    const started = Date.now();
    await cloudErrorOf(drive.read('wallet-backup/keyrings/epoch-2.age', { maxBytes: 1 << 30 }), 'not-a-file');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await drive.list('')).toEqual(['wallet-backup/keyrings/epoch-1.age']);
  });

  it('a folder symlinked out of the account folder (wallets/) is refused by read, write, create, delete and a list of it; a list of its parent skips it; nothing outside is read, written or removed', async () => {
    const { drive, account, outside } = await setup();
    await symlink(join(outside, 'wallets'), join(account, 'wallet-backup/wallets'));

    const read = await cloudErrorOf(drive.read('wallet-backup/wallets/w-1.age', LIMIT), 'not-a-file');
    expect(read.message).toContain('"wallet-backup/wallets"');
    expect(read.message).toMatch(/a symbolic link .* where this app keeps a folder/);
    await cloudErrorOf(drive.write('wallet-backup/wallets/w-2.age', bytesOf('through the link')), 'not-a-file');
    await cloudErrorOf(drive.create('wallet-backup/wallets/w-2.age', bytesOf('through the link')), 'not-a-file');
    await cloudErrorOf(drive.delete('wallet-backup/wallets/w-1.age'), 'not-a-file');
    await cloudErrorOf(drive.list('wallet-backup/wallets'), 'not-a-file');
    // Deeper paths are refused at the same link.
    await cloudErrorOf(drive.write('wallet-backup/wallets/deeper/w-3.age', bytesOf('x')), 'not-a-file');

    expect(await drive.list('wallet-backup')).toEqual(['wallet-backup/keyrings/epoch-1.age']);
    expect(await drive.list('')).toEqual(['wallet-backup/keyrings/epoch-1.age']);
    expect((await drive.quota()).usedBytes).toBe('keyring'.length);
    expect(await outsideFiles(outside)).toEqual(OUTSIDE_AS_CREATED);
  });

  it('an account folder that is a symlink is refused by every cloud call', async () => {
    const { drive, account, outside } = await setup();
    await rm(account, { recursive: true });
    await symlink(outside, account);
    for (const call of everyCloudCall(drive, 'wallets/w-1.age')) {
      const error = await cloudErrorOf(call(), 'not-a-file');
      expect(error.message).toMatch(/a symbolic link as the account folder/);
    }
    expect(await outsideFiles(outside)).toEqual(OUTSIDE_AS_CREATED);
  });

  it('a FIFO where a record belongs is refused at once by read, write, create and delete (no hang waiting for a writer) and skipped by list and quota', async () => {
    const { drive, account } = await setup();
    const fifo = 'wallet-backup/wallets/w-1.age';
    await mkdir(join(account, 'wallet-backup/wallets'), { recursive: true });
    execFileSync('mkfifo', [join(account, fifo)]);

    const read = await cloudErrorOf(drive.read(fifo, LIMIT), 'not-a-file');
    expect(read.message).toContain(`"${fifo}"`);
    expect(read.message).toMatch(/a pipe/);
    await cloudErrorOf(drive.write(fifo, bytesOf('x')), 'not-a-file');
    await cloudErrorOf(drive.create(fifo, bytesOf('x')), 'not-a-file');
    await cloudErrorOf(drive.delete(fifo), 'not-a-file');
    expect(await drive.list('')).toEqual(['wallet-backup/keyrings/epoch-1.age']);
    expect((await drive.quota()).usedBytes).toBe('keyring'.length);
    expect((await lstat(join(account, fifo))).isFIFO()).toBe(true);
  }, 5_000);

  for (const [label, size] of [
    ['500 MB', 500 * 1024 * 1024],
    ['3 GB', 3 * 1024 * 1024 * 1024],
  ] as const) {
    it(`a ${label} record (a sparse file) is refused with too-large at once, naming the path and the cap, without being read into memory`, async () => {
      const { drive, account } = await setup();
      const path = 'wallet-backup/wallets/w-1.age';
      await mkdir(join(account, 'wallet-backup/wallets'), { recursive: true });
      await writeFile(join(account, path), '');
      await truncate(join(account, path), size);
      const rssBefore = process.memoryUsage().rss;
      const started = Date.now();
      const error = await cloudErrorOf(drive.read(path, LIMIT), 'too-large');
      expect(Date.now() - started).toBeLessThan(1000);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
      expect(error.message).toContain(`"${path}"`);
      expect(error.message).toMatch(/larger than 65536 bytes/);
    });
  }
});

describe('local folder cloud: create() across processes', () => {
  const CHILD = resolve(import.meta.dirname, 'create-child.ts');
  const REPO = resolve(import.meta.dirname, '../..');
  let children: ChildProcessWithoutNullStreams[] = [];
  let root = '';
  afterEach(async () => {
    for (const child of children) child.kill();
    children = [];
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** A child process's stdout, one line at a time. */
  function lineReader(child: ChildProcessWithoutNullStreams): () => Promise<string> {
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    return async () => {
      const next = await lines.next();
      if (next.done) throw new Error('the child process ended early');
      return next.value;
    };
  }

  it('R4/R5: processes creating one path at the same moment get exactly one created, and the file holds the winner\'s bytes (link(2) of a synced temp file)', async () => {
    root = await makeRoot();
    const count = 4;
    children = Array.from({ length: count }, () => spawn(process.execPath, ['--import', 'tsx', CHILD, root], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] }));
    const readers = children.map(lineReader);
    expect(await Promise.all(readers.map((next) => next()))).toEqual(Array(count).fill('ready'));

    const drive = createLocalFolderCloud({ root, provider: 'gdrive', account: 'alice@example.com' });
    for (let round = 0; round < 5; round += 1) {
      const path = `wallet-backup/keyrings/epoch-${round + 1}.age`;
      // Every child gets its line in the same tick; each fills the file with its own byte.
      children.forEach((child, index) => child.stdin.write(`${path} ${index + 1}\n`));
      const results = await Promise.all(readers.map((next) => next()));
      expect(results.filter((result) => result === 'created'), results.join(', ')).toHaveLength(1);
      expect(results.filter((result) => result === 'exists')).toHaveLength(count - 1);
      const winner = results.indexOf('created') + 1;
      expect(await drive.read(path, { maxBytes: 1 << 20 })).toEqual(new Uint8Array(4096).fill(winner));
    }
    // No temp file of a loser is left behind.
    const onDisk = await filesOnDisk(root, 'gdrive');
    expect(Object.keys(onDisk['alice@example.com'] ?? {})).toHaveLength(5);
  }, 30_000);
});

describe('local folder cloud: device.json is read bounded', () => {
  const roots: string[] = [];
  afterEach(async () => {
    await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
  });
  async function withDeviceFile(make: (file: string) => Promise<void>) {
    const root = await makeRoot();
    roots.push(root);
    await mkdir(join(root, 'gdrive'), { recursive: true });
    await make(deviceFile(root, 'gdrive'));
    return createLocalFolderCloud({ root, provider: 'gdrive', account: 'alice@example.com' });
  }
  async function simStateErrorOf(call: Promise<unknown>): Promise<SimStateError> {
    const error = await call.then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SimStateError);
    return error as SimStateError;
  }

  it('E6: a device.json over 64 KiB (a 1 GB sparse file) is a SimStateError naming the file and the cap, refused at once', async () => {
    const drive = await withDeviceFile(async (file) => {
      await writeFile(file, '');
      await truncate(file, 1024 * 1024 * 1024);
    });
    const started = Date.now();
    const error = await simStateErrorOf(drive.status());
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/device\.json" is larger than 65536 bytes \(64 KiB\)/);
    expect(MAX_DEVICE_FILE_BYTES).toBe(64 * 1024);
  });

  it('E6: a device.json symlinked to /dev/zero, a FIFO or a folder in its place is a SimStateError naming what it is, never read', async () => {
    for (const [make, kind] of [
      [(file: string) => symlink('/dev/zero', file), 'a symbolic link'],
      [async (file: string) => void execFileSync('mkfifo', [file]), 'a pipe'],
      [(file: string) => mkdir(file), 'a folder'],
    ] as const) {
      const drive = await withDeviceFile(make);
      const error = await simStateErrorOf(drive.list(''));
      expect(error.code).toBe('not-a-file');
      expect(error.message).toContain(`is ${kind}, not a regular file`);
    }
  }, 10_000);

  it('E6: a device.json that is not UTF-8 or not JSON is a SimStateError; the parser\'s quote of the file shows control characters escaped', async () => {
    const notUtf8 = await withDeviceFile((file) => writeFile(file, Uint8Array.of(0x7b, 0xff, 0x7d)));
    expect((await simStateErrorOf(notUtf8.status())).message).toMatch(/is not UTF-8 text \(the first invalid byte sequence starts at byte 1\)/);
    const escapes = await withDeviceFile((file) => writeFile(file, '\u001b[2J{'));
    const error = await simStateErrorOf(escapes.status());
    expect(error.code).toBe('malformed');
    expect(error.message).toMatch(/is not valid JSON/);
    expect(error.message).not.toContain('\u001b');
    expect(error.message).toContain('\\u001b');
  });
});
