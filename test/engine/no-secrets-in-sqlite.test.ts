/**
 * R6 on a real SQLite event log (WAL, synchronous FULL, a file in a temp dir): every flow kind
 * and branch that handles a secret runs through the engine, every password and mnemonic used is
 * collected (with the epoch identities and recipients they unlock), and then the raw bytes of the
 * database, its -wal and -shm files, and every other file in the temp dir are searched for them:
 * while the store is open (the WAL still holds the rows), and again after it is closed.
 * SQLite's own temp files are pointed into the same dir (SQLITE_TMPDIR) so they are scanned too.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { createMemoryClouds } from '../../adapters/cloud/memory.ts';
import { walletRecordPath } from '../../src/format/index.ts';
import { findBytesInFiles } from '../helpers/scan-files.ts';
import { ALICE, BOB, engineOn, MNEMONIC_12, MNEMONIC_12B, MNEMONIC_24 } from './engine-helpers.ts';
import { allRows, epochIdentity, eventIs, expectLogConsistent, failNextStatus, whenRow } from './scenario-helpers.ts';

const dirs = await vi.hoisted(async () => {
  // Before better-sqlite3 loads: SQLite reads SQLITE_TMPDIR when it initialises.
  const { mkdtempSync, mkdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const root = mkdtempSync(path.join(tmpdir(), 'wbe-r6-'));
  const sqliteTmp = path.join(root, 'sqlite-tmp');
  mkdirSync(sqliteTmp);
  process.env.SQLITE_TMPDIR = sqliteTmp;
  return { root, sqliteTmp };
});

afterAll(() => rmSync(dirs.root, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const MNEMONIC_24B = entropyToMnemonic(new Uint8Array(32).fill(0x5a), wordlist);
const MNEMONIC_12C = entropyToMnemonic(new Uint8Array(16).fill(0x3c), wordlist);
const BAD_CHECKSUM = 'legal winner thank year wave sausage worth useful legal winner thank year';

describe('R6: no secret reaches the SQLite event log', () => {
  it('R6/E4: after every secret-bearing flow, the .db, -wal, -shm and every other file in the temp dir hold no password, mnemonic or key, open and closed', async () => {
    const dbPath = join(dirs.root, 'events.db');
    const store = openSqliteEventStore({ path: dbPath, synchronous: 'FULL' });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    const clouds = createMemoryClouds({ account: ALICE });
    const { engine, kdf } = engineOn({ clouds, store });

    const passwords = new Set<string>();
    const pw = (password: string) => (passwords.add(password), password);
    const mnemonics = [MNEMONIC_12, MNEMONIC_24, MNEMONIC_12B, MNEMONIC_24B, MNEMONIC_12C, BAD_CHECKSUM];
    const P1 = pw('correct horse 7');
    const P2 = pw('Zebra-Quilt-epoch2');
    const P3 = pw('yonder jukebox 3rd');
    const P4 = pw('ｗｉｄｅ ｑｕｉｒｋｓ ９'); // full-width: stored forms are checked in every normalisation

    // Binding, after a too-short and a mismatched choice.
    const bind = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12, walletName: 'Main' });
    await bind.choosePassword(pw('zq9x!'), 'zq9x!');
    await bind.choosePassword(pw('mismatch-one-Q'), pw('mismatch-two-Q'));
    await bind.choosePassword(P1, P1);
    expect(bind.result().outcome).toBe('done');
    const walletMain = bind.result().walletId!;

    // Verify with wrong passwords (caps lock, trailing space, look-alike), then storage full and network.
    const verify = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, walletName: 'Savings' });
    for (const wrong of [P1.toUpperCase(), `${P1} `, 'c0rrect h0rse 7', 'wrong-guess-Qz']) await verify.enterPassword(pw(wrong));
    clouds.gdrive.faults.quotaFull();
    await verify.enterPassword(P1);
    expect(verify.view().state).toEqual({ uploading: 'storageFull' });
    clouds.gdrive.device.setQuotaBytes(10_000_000);
    whenRow(engine, eventIs('UPLOAD.DONE'), () => clouds.gdrive.faults.failNext('read', 'network'));
    await verify.spaceFreed();
    expect(verify.view().state).toEqual({ verifying: 'networkError' });
    await verify.retry();
    expect(verify.result().outcome).toBe('done');

    // A torn upload caught by the read-back.
    const torn = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12C, walletName: 'Torn' });
    clouds.gdrive.faults.tornWrite();
    await torn.enterPassword(P1);
    expect(torn.view().state).toBe('verifyFailed');
    await torn.retry();
    expect(torn.result().outcome).toBe('done');

    // Forgotten password: epoch 2. Then newEpoch: epoch 3.
    const forgot = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12B, walletName: 'Third' });
    await forgot.enterPassword(pw('i forget it'));
    await forgot.forgotPassword();
    await forgot.choosePassword(P2, P2);
    expect(forgot.result()).toMatchObject({ outcome: 'done', epoch: 2 });
    const fresh = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24B, walletName: 'Fourth', newEpoch: true, offlineCopyConfirmed: true });
    await fresh.choosePassword(P3, P3);
    expect(fresh.result()).toMatchObject({ outcome: 'done', epoch: 3 });

    // Invalid mnemonic; a cancelled backup holding a mnemonic; an account switched mid-backup.
    expect((await engine.backup({ provider: 'gdrive', mnemonic: BAD_CHECKSUM })).view().state).toBe('invalidMnemonic');
    const cancelled = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24B });
    await cancelled.cancel();
    const switched = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12C });
    clouds.gdrive.device.setAccount(BOB);
    await switched.enterPassword(P3);
    expect(switched.view().state).toBe('accountChanged');
    clouds.gdrive.device.setAccount(ALICE);

    // Restores: right password; wrong then right; network at unlock (the password waits in memory); corrupt record.
    const restore = await engine.restore({ provider: 'gdrive', walletId: walletMain });
    await restore.enterPassword(P1);
    expect(restore.result().mnemonic).toBe(MNEMONIC_12);
    const retried = await engine.restore({ provider: 'gdrive', walletId: forgot.result().walletId! });
    await retried.enterPassword(pw('not-it-at-all-V'));
    await retried.enterPassword(P1);
    clouds.gdrive.faults.failNext('read', 'network');
    await retried.enterPassword(P2);
    expect(retried.view().state).toEqual({ unlockingKeyring: 'networkError' });
    await retried.retry();
    expect(retried.result().mnemonic).toBe(MNEMONIC_12B);
    clouds.gdrive.faults.corruptRead(walletRecordPath(walletMain, 1));
    const corrupt = await engine.restore({ provider: 'gdrive', walletId: walletMain });
    await corrupt.enterPassword(P1);
    expect(corrupt.context().failure).toBe('tampered');

    // Another provider, a full-width password, a network failure at its check.
    const change = await engine.switchProvider({ to: 'icloud' });
    await change.confirm();
    failNextStatus(clouds.icloud);
    const icloud = await engine.backup({ provider: 'icloud', mnemonic: MNEMONIC_24, walletName: 'Savings' });
    await icloud.retry();
    await icloud.choosePassword(P4, 'wide quirks 9');
    expect(icloud.result().outcome).toBe('done');
    await engine.confirmOfflineCopy({ provider: 'gdrive', account: ALICE, walletId: walletMain });
    expect(kdf.runs).toBeGreaterThan(10);

    // The keys those passwords unlock are secrets too (R6: "nor keys").
    const keys = [
      await epochIdentity(clouds.gdrive, ALICE, 1, P1),
      await epochIdentity(clouds.gdrive, ALICE, 2, P2),
      await epochIdentity(clouds.gdrive, ALICE, 3, P3),
      await epochIdentity(clouds.icloud, ALICE, 1, P4),
    ];
    const needles = [...passwords, ...mnemonics, ...keys.flatMap((k) => [k.identity, k.recipient]), 'AGE-SECRET-KEY-1'];
    expect(passwords.size).toBe(13);

    const rows = await expectLogConsistent(store);
    const kinds = new Set(rows.map((r) => r.machineId));
    expect([...kinds].sort()).toEqual(['backup', 'offlineCopy', 'providerSwitch', 'restore']);
    for (const row of rows) {
      const payload = JSON.parse(row.payload) as Record<string, unknown>;
      expect(Object.keys(payload).filter((k) => /password|mnemonic/i.test(k))).toEqual([]);
    }
    expect(rows.map((r) => r.eventType)).toEqual(expect.arrayContaining(['PASSWORD.CHOSEN', 'PASSWORD.ENTERED', 'KEYRING.WRONG_PASSWORD', 'PASSWORD.FORGOTTEN', 'RECORD.CORRUPT', 'MNEMONIC.INVALID']));

    // Open: the WAL holds the rows (a control needle proves the scan reads it).
    const wal = `${dbPath}-wal`;
    const open = filesUnder(dirs.root);
    expect(open.map((f) => relative(dirs.root, f)).sort()).toEqual(['events.db', 'events.db-shm', 'events.db-wal']);
    expect(statSync(wal).size).toBeGreaterThan(0);
    expect(findBytesInFiles([wal], ['KEYRING.WRONG_PASSWORD', ALICE]).map((h) => h.needle).sort()).toEqual([ALICE, 'KEYRING.WRONG_PASSWORD'].sort());
    expect(findBytesInFiles(open, needles)).toEqual([]);
    expect(rows.length).toBe((await allRows(store)).length);

    await store.close();
    const closed = filesUnder(dirs.root);
    expect(closed.every((f) => /^events\.db(-wal|-shm)?$/.test(relative(dirs.root, f)))).toBe(true);
    expect(closed).toContain(dbPath);
    expect(findBytesInFiles([dbPath], ['KEYRING.WRONG_PASSWORD'])).toHaveLength(1); // checkpointed into the db
    expect(findBytesInFiles([dbPath, wal, `${dbPath}-shm`, ...closed], needles, { ignoreMissing: true })).toEqual([]);

    // Reopened, the log is the same chain and still replays.
    const reopened = openSqliteEventStore({ path: dbPath });
    expect((await expectLogConsistent(reopened)).map((r) => r.hash)).toEqual(rows.map((r) => r.hash));
    await reopened.close();
  });
});
