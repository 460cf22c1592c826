/**
 * The age scrypt stanza on the KDF port, against typage's own passphrase implementation.
 */
import { Decrypter, Encrypter, Stanza } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { createNobleScrypt } from '../../adapters/kdf/noble-scrypt.ts';
import {
  countingKdf,
  decryptAgeFile,
  encryptAgeFile,
  isRecordError,
  MAX_SCRYPT_LOG_N,
  ScryptStanzaIdentity,
  ScryptStanzaRecipient,
} from '../../src/format/index.ts';
import { headerText, nodeKdf, TEST_LOG_N } from './helpers.ts';

const noble = createNobleScrypt();
const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function sealWithOurs(password: string, plaintext: string, kdf = nodeKdf): Promise<Uint8Array> {
  return encryptAgeFile(encode(plaintext), new ScryptStanzaRecipient(password, TEST_LOG_N, kdf));
}

async function openWithOurs(file: Uint8Array, password: string, kdf = nodeKdf): Promise<string> {
  return decode(await decryptAgeFile(file, { what: 'test file', identity: new ScryptStanzaIdentity(password, kdf) }));
}

async function sealWithTypage(password: string, plaintext: string): Promise<Uint8Array> {
  const encrypter = new Encrypter();
  encrypter.setPassphrase(password);
  encrypter.setScryptWorkFactor(TEST_LOG_N);
  return encrypter.encrypt(plaintext);
}

async function openWithTypage(file: Uint8Array, password: string): Promise<string> {
  const decrypter = new Decrypter();
  decrypter.addPassphrase(password);
  return decrypter.decrypt(file, 'text');
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('age scrypt stanza', () => {
  it('E1: a file sealed with our recipient (node KDF) decrypts with typage Decrypter.addPassphrase', async () => {
    const file = await sealWithOurs('hunter22', 'hello age');
    expect(await openWithTypage(file, 'hunter22')).toBe('hello age');
  });

  it('E1: a file sealed with our recipient (noble KDF) decrypts with typage Decrypter.addPassphrase', async () => {
    const file = await sealWithOurs('hunter22', 'hello noble', noble);
    expect(await openWithTypage(file, 'hunter22')).toBe('hello noble');
  });

  it('E1: a file typage sealed with setPassphrase + setScryptWorkFactor opens with our identity on both KDFs', async () => {
    const file = await sealWithTypage('hunter22', 'from typage');
    expect(await openWithOurs(file, 'hunter22', nodeKdf)).toBe('from typage');
    expect(await openWithOurs(file, 'hunter22', noble)).toBe('from typage');
  });

  it('E1: node-KDF files open with the noble KDF and vice versa', async () => {
    expect(await openWithOurs(await sealWithOurs('pässwörd', 'n->b', nodeKdf), 'pässwörd', noble)).toBe('n->b');
    expect(await openWithOurs(await sealWithOurs('pässwörd', 'b->n', noble), 'pässwörd', nodeKdf)).toBe('b->n');
  });

  it('E1: the stanza is "-> scrypt <22-char base64 salt> <logN>" with a 32-byte body, alone in the header', async () => {
    const header = headerText(await sealWithOurs('hunter22', 'x'));
    const lines = header.split('\n');
    expect(lines[0]).toBe('age-encryption.org/v1');
    expect(lines[1]).toMatch(/^-> scrypt [A-Za-z0-9+/]{22} 10$/);
    // 32 bytes of body are 43 base64 characters on one line, then the MAC line.
    expect(lines[2]).toMatch(/^[A-Za-z0-9+/]{43}$/);
    expect(lines[3]).toMatch(/^--- [A-Za-z0-9+/]{43}$/);
  });

  it('E1: every file gets a fresh random salt', async () => {
    const salts = new Set<string>();
    for (let i = 0; i < 4; i++) salts.add(headerText(await sealWithOurs('hunter22', 'x')).split('\n')[1] ?? '');
    expect(salts.size).toBe(4);
  });

  it('E1: passwords are NFKC-normalised: full-width "ｐａｓｓｗｏｒｄ１" is "password1", also for typage', async () => {
    const file = await sealWithOurs('ｐａｓｓｗｏｒｄ１', 'nfkc');
    expect(await openWithOurs(file, 'password1')).toBe('nfkc');
    expect(await openWithTypage(file, 'password1')).toBe('nfkc');
    const fromTypage = await sealWithTypage('password1', 'nfkc2');
    expect(await openWithOurs(fromTypage, 'ｐａｓｓｗｏｒｄ１')).toBe('nfkc2');
  });

  it('E1: passwords are never trimmed: " secret1" and "secret1" are different passwords', async () => {
    const file = await sealWithOurs(' secret1', 'spaces count');
    expect(await openWithOurs(file, ' secret1')).toBe('spaces count');
    const error = await rejectionOf(openWithOurs(file, 'secret1'));
    expect(isRecordError(error, 'wrong-password')).toBe(true);
    expect(await openWithTypage(file, ' secret1')).toBe('spaces count');
  });

  it('R10: a wrong password throws RecordError wrong-password, with a message naming the checks', async () => {
    const error = await rejectionOf(openWithOurs(await sealWithOurs('hunter22', 'x'), 'hunter23'));
    expect(isRecordError(error, 'wrong-password')).toBe(true);
    expect(String((error as Error).message)).toMatch(/Caps Lock/);
  });

  it('E1: the identity returns null for headers without a scrypt stanza and runs no KDF', async () => {
    const counting = countingKdf(nodeKdf);
    const identity = new ScryptStanzaIdentity('hunter22', counting);
    expect(await identity.unwrapFileKey([new Stanza(['X25519', 'AAAA'], new Uint8Array(32))])).toBeNull();
    expect(await identity.unwrapFileKey([])).toBeNull();
    expect(counting.runs).toBe(0);
  });

  it('E2: scrypt stanzas age refuses are malformed, refused before any KDF run', async () => {
    const counting = countingKdf(nodeKdf);
    const identity = new ScryptStanzaIdentity('hunter22', counting);
    const salt = 'AAAAAAAAAAAAAAAAAAAAAA';
    const body = new Uint8Array(32);
    const bad: Stanza[][] = [
      // not alone in the header (age: the scrypt stanza must be the only one)
      [new Stanza(['scrypt', salt, '10'], body), new Stanza(['X25519', 'AAAA'], body)],
      [new Stanza(['scrypt', salt], body)],
      [new Stanza(['scrypt', salt, '10', 'extra'], body)],
      [new Stanza(['scrypt', 'AAAAAAAAAAAAAAAAAAAAA', '10'], body)], // salt not 16 bytes
      [new Stanza(['scrypt', 'AAAAAAAAAAAAAAAAAAAAAB', '10'], body)], // non-canonical base64
      [new Stanza(['scrypt', salt, '010'], body)], // leading zero
      [new Stanza(['scrypt', salt, '10x'], body)],
      [new Stanza(['scrypt', salt, '0'], body)],
      [new Stanza(['scrypt', salt, String(MAX_SCRYPT_LOG_N + 1)], body)], // too costly
      [new Stanza(['scrypt', salt, '10'], new Uint8Array(31))],
    ];
    for (const stanzas of bad) {
      const error = await rejectionOf(Promise.resolve().then(() => identity.unwrapFileKey(stanzas)));
      expect(isRecordError(error, 'malformed'), stanzas.map((s) => s.args.join(' ')).join(' | ')).toBe(true);
    }
    expect(counting.runs).toBe(0);
  });

  it('E1: work factors of one digit and up to 2^20 are opened', async () => {
    expect(await openWithOurs(await encryptAgeFile(encode('nine'), new ScryptStanzaRecipient('hunter22', 9, nodeKdf)), 'hunter22')).toBe('nine');
    // 2^20 is accepted (the KDF is asked for it; a stand-in KDF keeps the test fast).
    const asked: number[] = [];
    const standIn = { name: 'stand-in', derive: async (_password: Uint8Array, _salt: Uint8Array, logN: number) => (asked.push(logN), new Uint8Array(32)) };
    const identity = new ScryptStanzaIdentity('hunter22', standIn);
    const error = await rejectionOf(identity.unwrapFileKey([new Stanza(['scrypt', 'AAAAAAAAAAAAAAAAAAAAAA', String(MAX_SCRYPT_LOG_N)], new Uint8Array(32))]));
    expect(isRecordError(error, 'wrong-password')).toBe(true);
    expect(asked).toEqual([MAX_SCRYPT_LOG_N]);
  });

  it('E1: the recipient refuses work factors outside 1..20', () => {
    expect(() => new ScryptStanzaRecipient('hunter22', 0, nodeKdf)).toThrow(RangeError);
    expect(() => new ScryptStanzaRecipient('hunter22', MAX_SCRYPT_LOG_N + 1, nodeKdf)).toThrow(RangeError);
    expect(() => new ScryptStanzaRecipient('hunter22', 1.5, nodeKdf)).toThrow(RangeError);
    // Both ends of the range are allowed.
    expect(() => new ScryptStanzaRecipient('hunter22', 1, nodeKdf)).not.toThrow();
    expect(() => new ScryptStanzaRecipient('hunter22', MAX_SCRYPT_LOG_N, nodeKdf)).not.toThrow();
  });

  it('E1: sealing and opening each run the KDF exactly once', async () => {
    const counting = countingKdf(nodeKdf);
    const file = await sealWithOurs('hunter22', 'once', counting);
    expect(counting.runs).toBe(1);
    await openWithOurs(file, 'hunter22', counting);
    expect(counting.runs).toBe(2);
  });
});
