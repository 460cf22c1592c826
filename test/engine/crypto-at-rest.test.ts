/**
 * What the cloud holds (E1, R2, R6): standard age files, a scrypt keyring per epoch and X25519
 * wallet records, one KDF run per backup or restore, and no password, mnemonic or key in the
 * clear anywhere in the cloud.
 */
import { Decrypter, generateX25519Identity } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { SecretLeakError } from '../../src/log/index.ts';
import { keyringPath, listingEntryPath, MANIFEST_PATH, walletRecordPath } from '../../src/format/index.ts';
import { ALICE, BOB, bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_12B, MNEMONIC_24, PASSWORD, TEST_LOG_N } from './engine-helpers.ts';
import { allCloudFiles, allRows, cloudFilesContaining, epochIdentity, expectLogConsistent, storedFile } from './scenario-helpers.ts';

const NEW_PASSWORD = 'second epoch pw';

/** The header stanzas of an age file: lines "-> type args...". */
function stanzaLines(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes).toString('latin1');
  const header = text.slice(0, text.indexOf('\n--- '));
  return header.split('\n').filter((line) => line.startsWith('-> '));
}

describe('E1: one KDF run per flow', () => {
  it('E1: binding, verifying, a new epoch and a restore each run the password KDF exactly once', async () => {
    const { engine, store, kdf } = engineOn();
    const runs: Record<string, number> = {};
    let before = kdf.runs;
    const measure = (name: string) => {
      runs[name] = kdf.runs - before;
      before = kdf.runs;
    };

    const first = await bindFirstBackup(engine);
    measure('binding');
    const second = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    await second.enterPassword(PASSWORD);
    measure('verify');
    const third = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12B, newEpoch: true });
    await third.choosePassword(NEW_PASSWORD, NEW_PASSWORD);
    measure('new epoch');
    const forgot = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    await forgot.forgotPassword();
    await forgot.choosePassword('third epoch pw', 'third epoch pw');
    measure('forgotten password');
    const restore = await engine.restore({ provider: 'gdrive', walletId: first.result().walletId! });
    await restore.enterPassword(PASSWORD);
    measure('restore');

    expect(runs).toEqual({ binding: 1, verify: 1, 'new epoch': 1, 'forgotten password': 1, restore: 1 });
    expect([first, second, third, forgot].map((f) => f.result().epoch)).toEqual([1, 1, 2, 3]);
    expect(restore.result().outcome).toBe('done');
    await expectLogConsistent(store);
  });
});

describe('E1: standard age files', () => {
  it('E1: the keyring opens with the password in the standard age library; its identity alone opens the wallet record', async () => {
    const { engine, store, clouds } = engineOn();
    const first = await bindFirstBackup(engine);
    const walletId = first.result().walletId!;
    const keyring = storedFile(clouds.gdrive, ALICE, keyringPath(1))!;
    const record = storedFile(clouds.gdrive, ALICE, walletRecordPath(walletId, 1))!;

    const withPassword = new Decrypter();
    withPassword.addPassphrase(PASSWORD);
    const keyringText = await withPassword.decrypt(keyring, 'text');
    expect(keyringText).toContain('# format: wallet-backup-engine/keyring v1');
    expect(keyringText).toContain(`# account: ${ALICE}`);
    expect(keyringText).toContain('# epoch: 1');
    const identity = keyringText.split('\n').find((line) => line.startsWith('AGE-SECRET-KEY-1'))!;
    expect(identity).toBeDefined();

    const withIdentity = new Decrypter();
    withIdentity.addIdentity(identity);
    const payload = JSON.parse(await withIdentity.decrypt(record, 'text'));
    expect(payload).toMatchObject({
      format: 'wallet-backup-engine/wallet',
      version: 1,
      walletId,
      accountId: ALICE,
      epoch: 1,
      name: 'Main',
      words: 12,
      mnemonic: MNEMONIC_12,
    });

    // Neither the password nor another identity opens the wallet record.
    const passwordOnly = new Decrypter();
    passwordOnly.addPassphrase(PASSWORD);
    await expect(passwordOnly.decrypt(record)).rejects.toThrow();
    const stranger = new Decrypter();
    stranger.addIdentity(await generateX25519Identity());
    await expect(stranger.decrypt(record)).rejects.toThrow();
    const wrongPassword = new Decrypter();
    wrongPassword.addPassphrase(`${PASSWORD} `);
    await expect(wrongPassword.decrypt(keyring)).rejects.toThrow();
    await expectLogConsistent(store);
  });

  it('E1: the keyrings are the only scrypt files (one stanza each, random salt, the configured work factor); wallet records are X25519 only; listing entries are clear JSON', async () => {
    const { engine, store, clouds } = engineOn();
    const first = await bindFirstBackup(engine);
    const second = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, newEpoch: true });
    await second.choosePassword(NEW_PASSWORD, NEW_PASSWORD);

    const files = clouds.gdrive.files.snapshot()[ALICE]!;
    const scryptFiles = Object.keys(files).filter((path) => stanzaLines(files[path]!).some((l) => l.startsWith('-> scrypt ')));
    expect(scryptFiles.sort()).toEqual([keyringPath(1), keyringPath(2)]);
    const salts = new Set<string>();
    for (const path of scryptFiles) {
      const stanzas = stanzaLines(files[path]!);
      expect(stanzas).toHaveLength(1);
      const [, , salt, logN] = stanzas[0]!.split(' ');
      expect(Number(logN)).toBe(TEST_LOG_N);
      salts.add(salt!);
    }
    expect(salts.size).toBe(2);
    const records = Object.keys(files).filter((p) => p.startsWith('wallet-backup/wallets/'));
    expect(records.sort()).toEqual([walletRecordPath(first.result().walletId!, 1), walletRecordPath(second.result().walletId!, 2)]);
    for (const path of records) {
      const stanzas = stanzaLines(files[path]!);
      expect(stanzas.length).toBeGreaterThan(0);
      expect(stanzas.every((l) => l.startsWith('-> X25519 '))).toBe(true);
    }
    // Layout 2: each wallet's clear listing entry is JSON (no age header); no manifest is written.
    const entries = Object.keys(files).filter((p) => p.startsWith('wallet-backup/listing/'));
    expect(entries.sort()).toEqual([listingEntryPath(first.result().walletId!, 1), listingEntryPath(second.result().walletId!, 2)]);
    for (const path of entries) {
      expect(Buffer.from(files[path]!).toString('utf8').startsWith('{')).toBe(true);
      expect(stanzaLines(files[path]!)).toEqual([]);
    }
    expect(files[MANIFEST_PATH]).toBeUndefined();
    await expectLogConsistent(store);
  });
});

describe('R2: nothing secret in the cloud', () => {
  it('R2: no file in any cloud holds a mnemonic, a password, an epoch identity or recipient, in any normal form or encoding', async () => {
    const { engine, store, clouds } = engineOn();
    const passwords = [PASSWORD, NEW_PASSWORD, 'wrong guess 1', 'ｐａｓｓｗｏｒｄ１'];
    const first = await bindFirstBackup(engine);
    const second = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24 });
    await second.enterPassword('wrong guess 1');
    await second.forgotPassword();
    await second.choosePassword(NEW_PASSWORD, NEW_PASSWORD);
    const change = await engine.switchProvider({ to: 'icloud' });
    await change.confirm();
    const onIcloud = await engine.backup({ provider: 'icloud', mnemonic: MNEMONIC_12B });
    await onIcloud.choosePassword('ｐａｓｓｗｏｒｄ１', 'password1');
    clouds.gdrive.device.setAccount(BOB);
    const bob = await engine.backup({ provider: 'icloud', mnemonic: MNEMONIC_12 });
    expect(bob.result().outcome).toBe('pending'); // icloud is still ALICE: binding prompt
    await bob.cancel();
    clouds.gdrive.device.setAccount(ALICE);
    const restore = await engine.restore({ provider: 'gdrive', walletId: first.result().walletId! });
    await restore.enterPassword(PASSWORD);
    expect(restore.result().mnemonic).toBe(MNEMONIC_12);

    const keys = [
      await epochIdentity(clouds.gdrive, ALICE, 1, PASSWORD),
      await epochIdentity(clouds.gdrive, ALICE, 2, NEW_PASSWORD),
      await epochIdentity(clouds.icloud, ALICE, 1, 'password1'),
    ];
    // gdrive: 2 keyrings, 2 wallet records and their 2 listing entries; icloud: a keyring, a record
    // and its entry; a log checkpoint in each (issue 4). Every file is scanned below.
    expect(allCloudFiles(clouds).size).toBe(11);
    const needles = [
      MNEMONIC_12,
      MNEMONIC_24,
      MNEMONIC_12B,
      'password1',
      ...passwords,
      ...keys.flatMap((k) => [k.identity, k.recipient]),
      'AGE-SECRET-KEY-1',
    ];
    expect(cloudFilesContaining(clouds, needles)).toEqual([]);
    await expectLogConsistent(store);
  });

  it('R6: the log leak check still refuses a real leak: a wallet name that is the mnemonic is refused before any row or upload', async () => {
    const { engine, store, clouds } = engineOn();
    await expect(engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12, walletName: MNEMONIC_12 })).rejects.toBeInstanceOf(SecretLeakError);
    expect(await allRows(store)).toEqual([]);
    expect(clouds.gdrive.opCounts().write).toBe(0);
    const ok = await bindFirstBackup(engine);
    expect(ok.result().outcome).toBe('done');
    await expectLogConsistent(store);
  });
});
