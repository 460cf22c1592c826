/**
 * The backup password through the engine: R3 (length, spaces, NFKC, never trimmed), R10
 * (wrong password: hints and attempts), R8 (forgotten password: a new epoch, old epochs still
 * open with the old one), R9 (no password change), R7 (no reset).
 */
import { describe, expect, it } from 'vitest';
import { keyringPath } from '../../src/format/index.ts';
import { ALICE, bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_12B, MNEMONIC_24, PASSWORD } from './engine-helpers.ts';
import { allCloudFiles, allRows, epochIdentity, expectLogConsistent, listedWalletIds, storedFile } from './scenario-helpers.ts';

const NEW_PASSWORD = 'second epoch pw';

type Engine = ReturnType<typeof engineOn>['engine'];

/** A later backup of another wallet, to the point where it asks for the account's password. */
async function laterBackup(engine: Engine, mnemonic = MNEMONIC_24, walletName = 'Savings') {
  const flow = await engine.backup({ provider: 'gdrive', mnemonic, walletName });
  expect(flow.view().state).toBe('enteringPassword');
  return flow;
}

async function restoreWith(engine: Engine, walletId: string, password: string) {
  const flow = await engine.restore({ provider: 'gdrive', walletId });
  expect(flow.view().state).toBe('enteringPassword');
  await flow.enterPassword(password);
  return flow;
}

describe('R3: choosing the backup password', () => {
  it('R3: shorter than 6 code points after NFKC stays at choosingPassword with passwordProblem too-short, and runs no KDF', async () => {
    const { engine, store, kdf, clouds } = engineOn();
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect(flow.view().state).toBe('choosingPassword');

    expect((await flow.choosePassword('12345', '12345')).state).toBe('choosingPassword');
    expect(flow.context().passwordProblem).toBe('too-short');
    // Three emoji: 6 UTF-16 code units but only 3 characters to the person.
    expect((await flow.choosePassword('😀😀😀', '😀😀😀')).state).toBe('choosingPassword');
    expect(flow.context().passwordProblem).toBe('too-short');
    expect(kdf.runs).toBe(0);
    expect(clouds.gdrive.opCounts().write).toBe(0);

    const chosen = (await allRows(store)).filter((r) => r.eventType === 'PASSWORD.CHOSEN');
    expect(chosen.map((r) => JSON.parse(r.payload))).toEqual([
      { tooShort: true, mismatch: false },
      { tooShort: true, mismatch: false },
    ]);
    expect(chosen.every((r) => r.fromState === '"choosingPassword"' && r.toState === '"choosingPassword"')).toBe(true);

    // 'ﬃﬃ' is 2 code points as typed but 6 after NFKC ('ffiffi'): long enough.
    expect((await flow.choosePassword('ﬃﬃ', 'ﬃﬃ')).state).toBe('done');
    expect(flow.context().passwordProblem).toBeNull();
    expect(kdf.runs).toBe(1);
    await expectLogConsistent(store);
  });

  it('R3: a confirmation that differs gives passwordProblem mismatch; a later matching pair goes on', async () => {
    const { engine, store } = engineOn();
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect((await flow.choosePassword('first try 1', 'first try 2')).state).toBe('choosingPassword');
    expect(flow.context().passwordProblem).toBe('mismatch');
    expect((await flow.choosePassword(PASSWORD, PASSWORD)).state).toBe('done');
    expect(flow.context().passwordProblem).toBeNull();
    await expectLogConsistent(store);
  });

  it('R3: a 6-character password with spaces is accepted, and only the exact spacing verifies', async () => {
    const { engine, store } = engineOn();
    const first = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect((await first.choosePassword('ab  cd', 'ab  cd')).state).toBe('done');
    expect(first.result()).toMatchObject({ outcome: 'done', epoch: 1 });

    const second = await laterBackup(engine);
    expect((await second.enterPassword('ab cd')).state).toBe('enteringPassword');
    expect((await second.enterPassword('ab  cd')).state).toBe('done');
    await expectLogConsistent(store);
  });

  it('R3/E1: NFKC equivalence: a full-width password is confirmed and verified by its ASCII form, and the other way round', async () => {
    const { engine, store } = engineOn();
    const fullWidth = 'ｐａｓｓｗｏｒｄ１';
    const first = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect((await first.choosePassword(fullWidth, 'password1')).state).toBe('done');

    const second = await laterBackup(engine);
    expect((await second.enterPassword('password1')).state).toBe('done');
    const third = await laterBackup(engine, MNEMONIC_12B, 'Third');
    expect((await third.enterPassword(fullWidth)).state).toBe('done');

    const restore = await restoreWith(engine, first.result().walletId!, 'password1');
    expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
    await expectLogConsistent(store);
  });

  it('R3/R10: a trailing or leading space is not trimmed: it fails to verify and gives the leading-or-trailing-space hint', async () => {
    const { engine, store } = engineOn();
    await bindFirstBackup(engine);
    const flow = await laterBackup(engine);

    await flow.enterPassword(`${PASSWORD} `);
    expect(flow.view().state).toBe('enteringPassword');
    expect(flow.context().hints).toContain('leading-or-trailing-space');
    expect(flow.context().wrongPasswordAttempts).toBe(1);

    await flow.enterPassword(` ${PASSWORD}`);
    expect(flow.view().state).toBe('enteringPassword');
    expect(flow.context().hints).toContain('leading-or-trailing-space');
    expect(flow.context().wrongPasswordAttempts).toBe(2);

    await flow.enterPassword(PASSWORD);
    expect(flow.result()).toMatchObject({ outcome: 'done', epoch: 1 });
    await expectLogConsistent(store);
  });

  it('R3/E1: a password chosen with a trailing space keeps it: without the space it does not verify', async () => {
    const { engine, store } = engineOn();
    const first = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    await first.choosePassword('secret7 ', 'secret7 ');
    expect(first.result().outcome).toBe('done');

    const restore = await restoreWith(engine, first.result().walletId!, 'secret7');
    expect(restore.view().state).toBe('enteringPassword');
    expect(restore.context().wrongPasswordAttempts).toBe(1);
    await restore.enterPassword('secret7 ');
    expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
    await expectLogConsistent(store);
  });

  it.each(['backup', 'PASSWORD', 'Password', 'creatingKeyring', 'mismatch'])(
    'R3/R6: %j, a valid password that is also a word of the log vocabulary, is accepted (the leak check is not fooled)',
    async (password) => {
      const { engine, store } = engineOn();
      const first = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
      expect((await first.choosePassword(password, password)).state).toBe('done');
      const second = await laterBackup(engine);
      expect((await second.enterPassword(password)).state).toBe('done');
      const restore = await restoreWith(engine, first.result().walletId!, password);
      expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
      await expectLogConsistent(store);
    },
  );
});

describe('R10: a wrong password', () => {
  it('R10: a wrong password returns to enteringPassword with hints and the attempt count; the right one then finishes', async () => {
    const { engine, store, kdf } = engineOn();
    await bindFirstBackup(engine);
    const flow = await laterBackup(engine);

    await flow.enterPassword('bad-guess-zz');
    expect(flow.view().state).toBe('enteringPassword');
    expect(flow.context().wrongPasswordAttempts).toBe(1);
    expect(flow.context().hints).toEqual([]); // nothing suspicious: one wrong character is enough

    await flow.enterPassword('correct horse 8');
    expect(flow.context().wrongPasswordAttempts).toBe(2);

    await flow.enterPassword(PASSWORD);
    expect(flow.result()).toMatchObject({ outcome: 'done', epoch: 1 });
    expect(flow.context().hints).toEqual([]);
    expect(kdf.runs).toBe(1 + 3); // binding + one per attempt

    const wrong = (await allRows(store)).filter((r) => r.eventType === 'KEYRING.WRONG_PASSWORD');
    expect(wrong).toHaveLength(2);
    expect(wrong.every((r) => r.toState === '"enteringPassword"')).toBe(true);
    expect(JSON.parse(wrong[0]!.payload)).toEqual({ hints: [] });
    await expectLogConsistent(store);
  });

  it('R10: Caps Lock on gives the caps-lock hint (backup and restore)', async () => {
    const { engine, store } = engineOn();
    const first = await bindFirstBackup(engine);
    const flow = await laterBackup(engine);
    await flow.enterPassword(PASSWORD.toUpperCase());
    expect(flow.view().state).toBe('enteringPassword');
    expect(flow.context().hints).toContain('caps-lock');

    const restore = await restoreWith(engine, first.result().walletId!, 'cORRECT HORSE 7');
    expect(restore.view().state).toBe('enteringPassword');
    expect(restore.context().hints).toContain('caps-lock');
    expect(restore.context().wrongPasswordAttempts).toBe(1);
    await restore.enterPassword(PASSWORD);
    expect(restore.result().outcome).toBe('done');
    await expectLogConsistent(store);
  });

  it('R10: a look-alike character (0 for o) gives the look-alike-characters hint', async () => {
    const { engine, store } = engineOn();
    const first = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    await first.choosePassword('Osprey-nest', 'Osprey-nest');
    const flow = await laterBackup(engine);
    await flow.enterPassword('0sprey-nest');
    expect(flow.view().state).toBe('enteringPassword');
    expect(flow.context().hints).toEqual(['look-alike-characters']);
    await flow.enterPassword('Osprey-nest');
    expect(flow.result().outcome).toBe('done');
    await expectLogConsistent(store);
  });
});

describe('R8/R9: forgotten password and new epochs', () => {
  it('R8: PASSWORD.FORGOTTEN starts epoch 2; epoch-1 wallets still restore with the old password, epoch-2 ones only with the new', async () => {
    const { engine, store, clouds, kdf } = engineOn();
    const first = await bindFirstBackup(engine);
    const oldWallet = first.result().walletId!;
    const keyring1 = storedFile(clouds.gdrive, ALICE, keyringPath(1))!;

    const flow = await laterBackup(engine);
    await flow.enterPassword('what was it 1');
    expect(flow.context().wrongPasswordAttempts).toBe(1);
    expect((await flow.forgotPassword()).state).toBe('choosingPassword');
    expect(flow.context().hints).toEqual([]);
    expect((await flow.choosePassword(NEW_PASSWORD, NEW_PASSWORD)).state).toBe('done');
    expect(flow.result()).toMatchObject({ outcome: 'done', account: ALICE, epoch: 2 });
    const newWallet = flow.result().walletId!;
    expect(kdf.runs).toBe(1 + 2); // binding; wrong attempt; new keyring

    // R9: the epoch-1 keyring was not touched; epoch 2 is a new file.
    expect(storedFile(clouds.gdrive, ALICE, keyringPath(1))).toEqual(keyring1);
    expect(storedFile(clouds.gdrive, ALICE, keyringPath(2))).toBeDefined();
    expect(listedWalletIds(clouds.gdrive, ALICE)).toEqual([oldWallet, newWallet].sort());

    const old = await restoreWith(engine, oldWallet, PASSWORD);
    expect(old.result()).toMatchObject({ outcome: 'done', epoch: 1, mnemonic: MNEMONIC_12 });
    const oldWithNew = await restoreWith(engine, oldWallet, NEW_PASSWORD);
    expect(oldWithNew.view().state).toBe('enteringPassword');

    const fresh = await restoreWith(engine, newWallet, PASSWORD);
    expect(fresh.view().state).toBe('enteringPassword');
    expect(fresh.context().wrongPasswordAttempts).toBe(1);
    await fresh.enterPassword(NEW_PASSWORD);
    expect(fresh.result()).toMatchObject({ outcome: 'done', epoch: 2, mnemonic: MNEMONIC_24 });

    // Later backups go to the newest epoch, so they need the new password.
    const later = await laterBackup(engine, MNEMONIC_12B, 'Third');
    expect(later.context().epoch).toBe(2);
    await later.enterPassword(PASSWORD);
    expect(later.view().state).toBe('enteringPassword');
    await later.enterPassword(NEW_PASSWORD);
    expect(later.result()).toMatchObject({ outcome: 'done', epoch: 2 });
    await expectLogConsistent(store);
  });

  it('R8: a backup requested with newEpoch: true skips the old password and makes epoch 2', async () => {
    const { engine, store, clouds, kdf } = engineOn();
    const first = await bindFirstBackup(engine);
    const keyring1 = storedFile(clouds.gdrive, ALICE, keyringPath(1))!;

    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, walletName: 'Savings', newEpoch: true });
    expect(flow.view().state).toBe('choosingPassword');
    expect((await flow.choosePassword(NEW_PASSWORD, NEW_PASSWORD)).state).toBe('done');
    expect(flow.result()).toMatchObject({ outcome: 'done', epoch: 2 });
    expect(kdf.runs).toBe(2);
    expect(storedFile(clouds.gdrive, ALICE, keyringPath(1))).toEqual(keyring1);

    const old = await restoreWith(engine, first.result().walletId!, PASSWORD);
    expect(old.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
    const fresh = await restoreWith(engine, flow.result().walletId!, NEW_PASSWORD);
    expect(fresh.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_24 });
    await expectLogConsistent(store);
  });

  it('R9: the engine has no API that changes the password of an existing epoch; the epoch-1 keyring never changes', async () => {
    const { engine, store, clouds } = engineOn();
    await bindFirstBackup(engine);
    expect(Object.keys(engine).sort()).toEqual([
      'activeProvider',
      'backup',
      'cloudOnlyWallets',
      'confirmOfflineCopy',
      'listBackups',
      'restore',
      'rows$',
      'switchProvider',
    ]);
    const keyring1 = storedFile(clouds.gdrive, ALICE, keyringPath(1))!;
    // Re-backing up the same wallet, verifying, and starting epochs 2 and 3 leave epoch 1 as it was.
    const again = await laterBackup(engine, MNEMONIC_12, 'Main');
    await again.enterPassword(PASSWORD);
    expect(again.result().outcome).toBe('done');
    for (const password of [NEW_PASSWORD, 'third epoch pw']) {
      const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, newEpoch: true });
      await flow.choosePassword(password, password);
      expect(flow.result().outcome).toBe('done');
    }
    expect(storedFile(clouds.gdrive, ALICE, keyringPath(1))).toEqual(keyring1);
    expect((await epochIdentity(clouds.gdrive, ALICE, 1, PASSWORD)).epoch).toBe(1);
    expect((await epochIdentity(clouds.gdrive, ALICE, 3, 'third epoch pw')).epoch).toBe(3);
    await expectLogConsistent(store);
  });
});

describe('R7: no reset', () => {
  it('R7: restore with wrong passwords never reaches done, however many attempts; cancelling gives no mnemonic', async () => {
    const { engine, store, kdf } = engineOn();
    const first = await bindFirstBackup(engine);
    const flow = await engine.restore({ provider: 'gdrive', walletId: first.result().walletId! });
    const attempts = ['', ' ', 'correct horse', 'correct horse 7 ', 'CORRECT HORSE 7', 'correct h0rse 7', 'correct horse 77', PASSWORD.normalize('NFD') + 'x'];
    for (const [i, attempt] of attempts.entries()) {
      await flow.enterPassword(attempt);
      expect(flow.view().state).toBe('enteringPassword');
      expect(flow.context().wrongPasswordAttempts).toBe(i + 1);
      expect(flow.result()).toMatchObject({ outcome: 'pending', mnemonic: null });
    }
    expect(kdf.runs).toBe(1 + attempts.length);
    expect((await flow.cancel()).state).toBe('cancelled');
    expect(flow.result()).toMatchObject({ outcome: 'cancelled', mnemonic: null });
    await expectLogConsistent(store);
  });

  it('R7/E1: neither the cloud nor the log holds anything that opens a wallet without the password', async () => {
    const { engine, store, clouds } = engineOn();
    const first = await bindFirstBackup(engine);
    const second = await laterBackup(engine);
    await second.enterPassword(PASSWORD);
    const { identity, recipient } = await epochIdentity(clouds.gdrive, ALICE, 1, PASSWORD);

    const logText = (await expectLogConsistent(store)).map((r) => JSON.stringify(r)).join('\n');
    for (const secret of [identity, recipient, 'AGE-SECRET-KEY', MNEMONIC_12, MNEMONIC_24, PASSWORD]) {
      expect(logText.includes(secret), 'log holds a secret').toBe(false);
    }
    for (const [name, bytes] of allCloudFiles(clouds)) {
      const text = Buffer.from(bytes).toString('latin1');
      expect(text.includes(identity) || text.includes('AGE-SECRET-KEY') || text.includes(recipient), name).toBe(false);
    }
    // Nothing but the password opens epoch 1: a fresh engine on the same cloud and log cannot skip it.
    const again = engineOn({ clouds, store });
    const restore = await again.engine.restore({ provider: 'gdrive', walletId: first.result().walletId! });
    expect(restore.view().meta.waitsFor).toEqual(['PASSWORD.ENTERED', 'CANCEL']);
    await restore.enterPassword('');
    expect(restore.result()).toMatchObject({ outcome: 'pending', mnemonic: null });
    await expectLogConsistent(store);
  });
});
