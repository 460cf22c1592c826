/**
 * Frozen records (test/fixtures/frozen, made once by make-frozen.ts and never regenerated): a
 * backup written by keyring v1 / wallet v1 must restore with the current code forever (E2).
 * If this test fails, the change broke old backups: fix the code, never the fixtures.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Decrypter } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { createNobleScrypt } from '../../adapters/kdf/noble-scrypt.ts';
import { countingKdf, deriveWalletId, openKeyring, openWallet } from '../../src/format/index.ts';
import { nodeKdf } from './helpers.ts';

const FROZEN = new URL('../fixtures/frozen/', import.meta.url);
const keyringBytes = readFileSync(new URL('keyring-epoch-1.age', FROZEN));
const walletBytes = readFileSync(new URL('wallet.age', FROZEN));

// As in test/fixtures/frozen/README.md. Test data only.
const ACCOUNT = 'frozen@example.com';
const EPOCH = 1;
const PASSWORD = 'Frozen pässwörd 1';
const WALLET_ID = 'w-a2d872aa83e2a196';
const RECIPIENT = 'age1v9n9fruh67d2pg85qey5vz80qugf0vw4qxmk4ezzj6px9sxf6eys23wutf';
const MNEMONIC = 'scheme spot photo card baby mountain device kick cradle pact join borrow';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('frozen records', () => {
  it('E2: the frozen files are the ones first committed (make-frozen.ts was not re-run)', () => {
    expect(sha256(keyringBytes)).toBe('138e90c3acdf5636172b063e5ffbc2cb3f19d032b75d8a0d012275b64101a7a2');
    expect(sha256(walletBytes)).toBe('3fe6cb3f2327359f1436d751bfdb04bd17e24c8be47c00f76e565bab16e48571');
  });

  it('E2: the frozen keyring v1 opens with the current code, running the KDF once, on both KDFs', async () => {
    const counting = countingKdf(nodeKdf);
    const identity = await openKeyring(keyringBytes, PASSWORD, { accountId: ACCOUNT, epoch: EPOCH }, counting);
    expect(counting.runs).toBe(1);
    expect(identity.accountId).toBe(ACCOUNT);
    expect(identity.epoch).toBe(EPOCH);
    expect(identity.recipient).toBe(RECIPIENT);
    expect(await openKeyring(keyringBytes, PASSWORD, { accountId: ACCOUNT, epoch: EPOCH }, createNobleScrypt())).toEqual(identity);
    // NFKC: the decomposed spelling of the same password opens it too.
    expect(await openKeyring(keyringBytes, PASSWORD.normalize('NFD'), { accountId: ACCOUNT, epoch: EPOCH }, nodeKdf)).toEqual(identity);
  });

  it('E2: the frozen wallet v1 restores its mnemonic with the current code, and its id still derives', async () => {
    const identity = await openKeyring(keyringBytes, PASSWORD, { accountId: ACCOUNT, epoch: EPOCH }, nodeKdf);
    const payload = await openWallet(walletBytes, identity, { walletId: WALLET_ID, accountId: ACCOUNT, epoch: EPOCH });
    expect(payload).toEqual({
      walletId: WALLET_ID,
      accountId: ACCOUNT,
      epoch: EPOCH,
      name: 'Frozen wallet',
      words: 12,
      createdAt: '2025-01-15T09:30:00.000Z',
      mnemonic: MNEMONIC,
    });
    expect(deriveWalletId(identity, MNEMONIC)).toBe(WALLET_ID);
  });

  it('E1: the frozen records open with typage alone (passphrase, then identity)', async () => {
    const byPassword = new Decrypter();
    byPassword.addPassphrase(PASSWORD);
    const identityFile = await byPassword.decrypt(keyringBytes, 'text');
    const secretKey = identityFile.split('\n').find((line) => line.startsWith('AGE-SECRET-KEY-1'));
    expect(secretKey).toBeDefined();
    const byIdentity = new Decrypter();
    byIdentity.addIdentity(secretKey!);
    expect(JSON.parse(await byIdentity.decrypt(walletBytes, 'text'))).toMatchObject({ mnemonic: MNEMONIC, walletId: WALLET_ID });
  });
});
