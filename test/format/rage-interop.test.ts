/**
 * Interop with rage, the Rust implementation of age, as WebAssembly from npm
 * (@kanru/rage-wasm, loaded in Node by test/support/rage.ts with a documented two-global shim).
 * E1: a user can recover without this software. Runs on every machine, with or without Debian's
 * `age` (age-cli-interop.test.ts drives that one when present: both partners are checked in CI).
 *
 * The records are the ones this software writes (keyring: scrypt passphrase file holding an age
 * identity file; wallet record: X25519 file to the epoch recipient), opened by rage; and files
 * rage writes are opened by our code. rage-wasm takes one AGE-SECRET-KEY-1 line, not a whole
 * identity file, so the wallet step passes the key line of the keyring's identity file, as a
 * person would copy it.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createKeyring,
  deriveWalletId,
  keyringText,
  openKeyring,
  openWallet,
  sealWallet,
  type EpochIdentity,
} from '../../src/format/index.ts';
import { PRODUCTION_SCRYPT_LOG_N } from '../../src/ports/kdf.ts';
import { loadRage, type Rage } from '../support/rage.ts';
import { requireOrSkip, type Requirement } from '../support/requirements.ts';
import { ACCOUNT, makeEpoch, MNEMONIC_24, nodeKdf, NOW, PASSWORD } from './helpers.ts';

const { rage, requirement }: { rage: Rage; requirement: Requirement } = await loadRage();
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** The key line of an age identity file, as a person copies it out. */
function secretKeyLine(identityFile: string): string {
  const keys = identityFile.split('\n').filter((line) => line.startsWith('AGE-SECRET-KEY-1'));
  expect(keys).toHaveLength(1);
  return keys[0]!;
}

describe('rage (WebAssembly) interop', () => {
  let epoch: EpochIdentity;
  let keyring: Uint8Array;
  let walletId = '';
  let wallet: Uint8Array;

  beforeAll(async () => {
    if (requirement.missing !== undefined) return; // each test then skips (or fails under CI) with the reason
    const made = await makeEpoch();
    epoch = made.identity;
    keyring = made.bytes;
    walletId = deriveWalletId(epoch, MNEMONIC_24);
    wallet = await sealWallet({ walletId, accountId: ACCOUNT, epoch: 1, name: 'Savings', mnemonic: MNEMONIC_24, createdAt: NOW.toISOString() }, epoch);
  });
  beforeEach((ctx) => requireOrSkip(ctx, requirement));

  it('E1: rage decrypts our keyring with the password, then our wallet record with its identity', async () => {
    const identityFile = text(await rage.decrypt_with_user_passphrase(PASSWORD, keyring));
    expect(identityFile).toContain('# format: wallet-backup-engine/keyring v1');
    expect(secretKeyLine(identityFile)).toBe(epoch.identity);

    const record = JSON.parse(text(await rage.decrypt_with_x25519(secretKeyLine(identityFile), wallet))) as { mnemonic: string; walletId: string; name: string };
    expect(record.mnemonic).toBe(MNEMONIC_24);
    expect(record.walletId).toBe(walletId);
    expect(record.name).toBe('Savings');
  });

  it('E1: rage opens a keyring made with the production work factor (scrypt 2^17)', async () => {
    const production = await createKeyring({ accountId: ACCOUNT, epoch: 2, password: PASSWORD, kdf: nodeKdf, logN: PRODUCTION_SCRYPT_LOG_N, now: NOW });
    expect(text(production.bytes)).toContain(`-> scrypt `);
    expect(text(production.bytes)).toContain(` ${PRODUCTION_SCRYPT_LOG_N}\n`);
    const identityFile = text(await rage.decrypt_with_user_passphrase(PASSWORD, production.bytes));
    expect(secretKeyLine(identityFile)).toBe(production.identity.identity);
  });

  it('R10: rage refuses a wrong password, and a wrong identity', async () => {
    await expect(rage.decrypt_with_user_passphrase(`${PASSWORD}!`, keyring)).rejects.toThrow(/decryption error/);
    const [otherIdentity] = await rage.keygen();
    await expect(rage.decrypt_with_x25519(otherIdentity!, wallet)).rejects.toThrow(/decryption error/);
  });

  it('E1: files rage writes open with our code (passphrase keyring, X25519 wallet record)', async () => {
    // A keyring written by rage with a passphrase (rage picks its own work factor) opens with openKeyring.
    const byRageKeyring = await rage.encrypt_with_user_passphrase(PASSWORD, new TextEncoder().encode(keyringText(ACCOUNT, 1, NOW.toISOString(), epoch.identity)), false);
    expect(text(byRageKeyring.slice(0, 22))).toBe('age-encryption.org/v1\n');
    expect(await openKeyring(byRageKeyring, PASSWORD, { accountId: ACCOUNT, epoch: 1 }, nodeKdf)).toEqual(epoch);

    // A wallet record re-encrypted by rage to the epoch recipient opens with openWallet.
    const json = await rage.decrypt_with_x25519(epoch.identity, wallet);
    const byRageWallet = await rage.encrypt_with_x25519(epoch.recipient, json, false);
    const payload = await openWallet(byRageWallet, epoch, { walletId, accountId: ACCOUNT, epoch: 1 });
    expect(payload.mnemonic).toBe(MNEMONIC_24);
  });
});
