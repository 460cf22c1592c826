/**
 * One full backup and restore through createBackupEngine with the Google Drive adapter, over real
 * HTTP on 127.0.0.1 (google-drive-mock behind our fault proxy), with a 503 burst and a dropped
 * connection on the way: the engine sees only the retried successes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleDriveCloud } from '../../adapters/cloud/google-drive.ts';
import { createNobleScrypt } from '../../adapters/kdf/noble-scrypt.ts';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { createBackupEngine } from '../../src/engine/index.ts';
import { startDriveEmulator, type DriveEmulator } from '../support/drive-fault-proxy.ts';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PASSWORD = 'correct horse 7';

let emulator: DriveEmulator;
beforeAll(async () => {
  emulator = await startDriveEmulator();
});
afterAll(async () => {
  await emulator.close();
});

/** An engine whose retries wait 0 to 4 ms (the policy is the engine's: the adapter tries each call once). */
function engineOnDrive(token: string | (() => string)) {
  const drive = createGoogleDriveCloud({
    getAccessToken: async () => (typeof token === 'string' ? token : token()),
    baseUrl: emulator.url,
  });
  const store = openMemoryEventStore();
  const engine = createBackupEngine({
    eventLog: store,
    clouds: { gdrive: drive },
    kdf: createNobleScrypt(),
    scryptLogN: 10,
    device: { id: 'phone' },
    retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5, totalMs: 5_000 },
  });
  return { engine, drive, store };
}

/** The NETWORK.RETRYING rows of a store's flows, as (operation, reason). */
async function retriesLogged(store: ReturnType<typeof openMemoryEventStore>): Promise<string[][]> {
  const rows = [];
  for await (const row of store.readAll()) rows.push(row);
  return rows.filter((row) => row.eventType === 'NETWORK.RETRYING').map((row) => {
    const payload = JSON.parse(row.payload) as { operation: string; reason: string };
    return [payload.operation, payload.reason];
  });
}

describe('the engine on Google Drive over HTTP', () => {
  it('backs up a wallet to appDataFolder and a fresh engine on another device restores its mnemonic, through transient faults', async () => {
    const phone = engineOnDrive(emulator.issueToken());
    emulator.fail('files.create', { kind: 'status', status: 503, reason: 'backendError', retryAfter: '0' });
    emulator.fail('files.list', { kind: 'drop-before' });
    const backup = await phone.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC, walletName: 'Main' });
    await backup.choosePassword(PASSWORD, PASSWORD);
    expect(backup.result()).toMatchObject({ outcome: 'done', account: 'alice@example.com', epoch: 1 });
    // Each transient fault is one logged retry of the step that met it.
    expect((await retriesLogged(phone.store)).map(([, reason]) => reason).sort()).toEqual(['HTTP 503', 'connection dropped']);

    const stored = await emulator.files();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((file) => file.parents.includes('appDataFolder') && file.name.startsWith('wallet-backup/'))).toBe(true);
    expect(new Set(stored.map((file) => file.name)).size).toBe(stored.length);
    const text = stored.map((file) => new TextDecoder().decode(file.bytes)).join('\n');
    expect(text).not.toContain('legal winner');

    const tablet = engineOnDrive(emulator.issueToken());
    const restore = await tablet.engine.restore({ provider: 'gdrive', walletId: backup.result().walletId! });
    await restore.enterPassword(PASSWORD);
    expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC });
  });

  it("R11: another Google account signed in while a backup waits at the password (about.user changes) ends accountChanged; nothing is written to either account's Drive", async () => {
    const alice = emulator.issueToken('alice@example.com', { drive: 'r11-alice' });
    const bob = emulator.issueToken('bob@example.com', { drive: 'r11-bob' });
    let current = alice;
    const phone = engineOnDrive(() => current);
    const first = await phone.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC, walletName: 'Main' });
    await first.choosePassword(PASSWORD, PASSWORD);
    const before = await emulator.files();
    const second = await phone.engine.backup({ provider: 'gdrive', mnemonic: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about', walletName: 'Other' });
    current = bob;
    await second.enterPassword(PASSWORD);
    expect(second.view().state).toBe('accountChanged');
    expect(await emulator.files()).toEqual(before);
  });
});
