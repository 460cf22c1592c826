/**
 * The keyring record: a password-encrypted age identity file, one per account and epoch (E1).
 */
import { Decrypter, Encrypter } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { createNobleScrypt } from '../../adapters/kdf/noble-scrypt.ts';
import {
  countingKdf,
  createKeyring,
  encryptAgeFile,
  isRecordError,
  keyringText,
  openKeyring,
  RecordError,
  ScryptStanzaRecipient,
  type RecordErrorCode,
} from '../../src/format/index.ts';
import {
  ACCOUNT,
  flipByte,
  headerLength,
  headerText,
  makeEpoch,
  nodeKdf,
  NOW,
  PASSWORD,
  replaceBase64Char,
  TEST_LOG_N,
} from './helpers.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const place = { accountId: ACCOUNT, epoch: 1 };

async function codeOf(promise: Promise<unknown>): Promise<RecordErrorCode | 'resolved' | 'other'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof RecordError ? error.code : 'other';
  }
}

/** A password file with arbitrary keyring text, as a future or foreign writer could make. */
async function sealText(text: string): Promise<Uint8Array> {
  return encryptAgeFile(encode(text), new ScryptStanzaRecipient(PASSWORD, TEST_LOG_N, nodeKdf));
}

describe('keyring record', () => {
  it('E1: a keyring round-trips: openKeyring returns the identity createKeyring made', async () => {
    const { bytes, identity } = await makeEpoch();
    expect(identity.accountId).toBe(ACCOUNT);
    expect(identity.epoch).toBe(1);
    expect(identity.identity).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]+$/);
    expect(identity.recipient).toMatch(/^age1[0-9a-z]+$/);
    expect(await openKeyring(bytes, PASSWORD, place, nodeKdf)).toEqual(identity);
  });

  it('E1: createKeyring and openKeyring each run the KDF exactly once', async () => {
    const counting = countingKdf(nodeKdf);
    const { bytes } = await makeEpoch(ACCOUNT, 1, counting);
    expect(counting.runs).toBe(1);
    await openKeyring(bytes, PASSWORD, place, counting);
    expect(counting.runs).toBe(2);
    await codeOf(openKeyring(bytes, 'not the password', place, counting));
    expect(counting.runs).toBe(3);
  });

  it('E1: a keyring made on the node KDF opens on the noble KDF', async () => {
    const { bytes, identity } = await makeEpoch();
    expect(await openKeyring(bytes, PASSWORD, place, createNobleScrypt())).toEqual(identity);
  });

  it('E1: keyring decrypts with typage passphrase API to a standard age identity file', async () => {
    const { bytes, identity } = await makeEpoch();
    const decrypter = new Decrypter();
    decrypter.addPassphrase(PASSWORD);
    const text = await decrypter.decrypt(bytes, 'text');
    expect(text).toBe(
      [
        '# wallet-backup-engine keyring',
        '# format: wallet-backup-engine/keyring v1',
        `# account: ${ACCOUNT}`,
        '# epoch: 1',
        `# created: ${NOW.toISOString()}`,
        identity.identity,
        '',
      ].join('\n'),
    );
    // The identity line works as an age identity: typage encrypts to the recipient and decrypts.
    const encrypter = new Encrypter();
    encrypter.addRecipient(identity.recipient);
    const file = await encrypter.encrypt('to the epoch');
    const byIdentity = new Decrypter();
    byIdentity.addIdentity(identity.identity);
    expect(await byIdentity.decrypt(file, 'text')).toBe('to the epoch');
  });

  it('E1: the keyring header is a lone scrypt stanza and holds no recipient in clear', async () => {
    const { bytes, identity } = await makeEpoch();
    const header = headerText(bytes);
    expect(header.split('\n').filter((line) => line.startsWith('->'))).toEqual([expect.stringMatching(/^-> scrypt \S{22} 10$/)]);
    const asText = new TextDecoder('latin1').decode(bytes);
    expect(asText).not.toContain(identity.recipient);
    expect(asText).not.toContain(ACCOUNT);
  });

  it('E1: every keyring has a fresh identity and salt', async () => {
    const first = await makeEpoch();
    const second = await makeEpoch();
    expect(first.identity.identity).not.toBe(second.identity.identity);
    expect(headerText(first.bytes)).not.toBe(headerText(second.bytes));
  });

  it('R10: a wrong password is RecordError wrong-password', async () => {
    const { bytes } = await makeEpoch();
    expect(await codeOf(openKeyring(bytes, `${PASSWORD}x`, place, nodeKdf))).toBe('wrong-password');
    expect(await codeOf(openKeyring(bytes, PASSWORD.toUpperCase(), place, nodeKdf))).toBe('wrong-password');
  });

  it('E1: NFKC and no trimming apply to the keyring password', async () => {
    const { bytes, identity } = await createKeyring({
      accountId: ACCOUNT,
      epoch: 1,
      password: 'ｐａｓｓｗｏｒｄ１',
      kdf: nodeKdf,
      logN: TEST_LOG_N,
      now: NOW,
    });
    expect(await openKeyring(bytes, 'password1', place, nodeKdf)).toEqual(identity);
    expect(await codeOf(openKeyring(bytes, ' password1', place, nodeKdf))).toBe('wrong-password');
    expect(await codeOf(openKeyring(bytes, 'password1 ', place, nodeKdf))).toBe('wrong-password');
  });

  it('R3: createKeyring refuses a password shorter than 6 characters', async () => {
    await expect(
      createKeyring({ accountId: ACCOUNT, epoch: 1, password: 'abcde', kdf: nodeKdf, logN: TEST_LOG_N, now: NOW }),
    ).rejects.toThrow(RangeError);
    // Exactly 6 is enough.
    const six = await createKeyring({ accountId: ACCOUNT, epoch: 1, password: 'abcdef', kdf: nodeKdf, logN: TEST_LOG_N, now: NOW });
    expect(await openKeyring(six.bytes, 'abcdef', place, nodeKdf)).toEqual(six.identity);
  });

  it('E2: a flipped byte in the header is malformed or tampered, never accepted', async () => {
    const { bytes } = await makeEpoch();
    const header = headerText(bytes);
    const macStart = header.indexOf('\n--- ') + 5;
    // The version line: the header no longer parses.
    expect(await codeOf(openKeyring(flipByte(bytes, 0), PASSWORD, place, nodeKdf))).toBe('malformed');
    // A non-base64 character in the stanza body line: the header no longer parses.
    const bodyLineStart = header.indexOf('\n', header.indexOf('-> scrypt')) + 1;
    expect(await codeOf(openKeyring(flipByte(bytes, bodyLineStart + 5, 0x80), PASSWORD, place, nodeKdf))).toBe('malformed');
    // The MAC: the file key opens, the header authentication fails.
    expect(await codeOf(openKeyring(replaceBase64Char(bytes, macStart + 3), PASSWORD, place, nodeKdf))).toBe('tampered');
    // Every single byte of the header, flipped, is refused. (A changed salt or stanza body gives
    // a different wrapping key, which cryptographically is the same as a wrong password: those
    // bytes report wrong-password, the one answer age itself can give.)
    for (let index = 0; index < header.length; index++) {
      const code = await codeOf(openKeyring(flipByte(bytes, index), PASSWORD, place, nodeKdf));
      expect(['malformed', 'tampered', 'wrong-password'], `header byte ${index}`).toContain(code);
    }
  });

  it('E2: a flipped byte in the payload is tampered', async () => {
    const { bytes } = await makeEpoch();
    const payloadStart = headerLength(bytes);
    for (const index of [payloadStart, payloadStart + 16, bytes.length - 1]) {
      expect(await codeOf(openKeyring(flipByte(bytes, index), PASSWORD, place, nodeKdf)), `byte ${index}`).toBe('tampered');
    }
    expect(await codeOf(openKeyring(bytes.subarray(0, bytes.length - 1), PASSWORD, place, nodeKdf))).toBe('tampered');
    expect(await codeOf(openKeyring(bytes.subarray(0, payloadStart + 8), PASSWORD, place, nodeKdf))).toBe('tampered');
  });

  it('E2: garbage and empty files are malformed', async () => {
    expect(await codeOf(openKeyring(new Uint8Array(0), PASSWORD, place, nodeKdf))).toBe('malformed');
    expect(await codeOf(openKeyring(encode('{"not":"age"}'), PASSWORD, place, nodeKdf))).toBe('malformed');
  });

  it('E1: a keyring moved to another account or epoch is metadata-mismatch', async () => {
    const { bytes } = await makeEpoch(ACCOUNT, 2);
    expect(await codeOf(openKeyring(bytes, PASSWORD, { accountId: 'bob@example.com', epoch: 2 }, nodeKdf))).toBe(
      'metadata-mismatch',
    );
    expect(await codeOf(openKeyring(bytes, PASSWORD, { accountId: ACCOUNT, epoch: 1 }, nodeKdf))).toBe('metadata-mismatch');
    expect(await codeOf(openKeyring(bytes, PASSWORD, { accountId: ACCOUNT, epoch: 2 }, nodeKdf))).toBe('resolved');
  });

  it('E2: an unknown keyring format version is unsupported-version', async () => {
    const { identity } = await makeEpoch();
    const v2 = keyringText(ACCOUNT, 1, NOW.toISOString(), identity.identity).replace('keyring v1', 'keyring v2');
    const error = await openKeyring(await sealText(v2), PASSWORD, place, nodeKdf).catch((e: unknown) => e);
    expect(isRecordError(error, 'unsupported-version')).toBe(true);
    expect((error as Error).message).toMatch(/version 2.*Update the app/);
  });

  it('E2: keyring content that is not ours is malformed', async () => {
    const { identity } = await makeEpoch();
    const good = keyringText(ACCOUNT, 1, NOW.toISOString(), identity.identity);
    const bad = [
      'just some text\n',
      good.replace('# format: wallet-backup-engine/keyring v1\n', ''),
      good.replace('wallet-backup-engine/keyring', 'someone-else/keyring'),
      good.replace('# epoch: 1', '# epoch: one'),
      good.replace(`# created: ${NOW.toISOString()}`, '# created: yesterday'),
      good.replace(identity.identity, `${identity.identity}\n${identity.identity}`),
      good.replace(identity.identity, 'AGE-SECRET-KEY-1NOTBECH32'),
      good.replace(`# account: ${ACCOUNT}\n`, `# account: ${ACCOUNT}\n# account: ${ACCOUNT}\n`),
    ];
    for (const text of bad) {
      expect(await codeOf(openKeyring(await sealText(text), PASSWORD, place, nodeKdf)), text).toBe('malformed');
    }
    // Extra free comments are fine: it is an age identity file.
    const withComment = good.replace('# created:', '# written by hand\n# created:');
    expect(await codeOf(openKeyring(await sealText(withComment), PASSWORD, place, nodeKdf))).toBe('resolved');
  });

  it('E2: metadata lines are read exactly: "# name: value" on a line of its own', async () => {
    const { identity } = await makeEpoch();
    const good = keyringText(ACCOUNT, 1, NOW.toISOString(), identity.identity);
    const problemOf = async (text: string) =>
      openKeyring(await sealText(text), PASSWORD, place, nodeKdf).then(
        () => 'resolved',
        (error: unknown) => (error instanceof RecordError ? `${error.code}: ${error.message}` : `other: ${String(error)}`),
      );
    // Lines that only look like metadata are free comments.
    for (const comment of ['## account: mallory@example.com', '# account: mallory@example.com\r', '#account: mallory@example.com']) {
      expect(await problemOf(good.replace('# created:', `${comment}\n# created:`)), JSON.stringify(comment)).toBe('resolved');
    }
    const malformed: [string, string][] = [
      [good.replace('# format: wallet-backup-engine/keyring v1', '# format: nonsense'), 'its format is "nonsense"'],
      [good.replace('# format: wallet-backup-engine/keyring v1', '# format: x wallet-backup-engine/keyring v1'), 'its format is "x wallet'],
      [good.replace('# format: wallet-backup-engine/keyring v1', '# format: wallet-backup-engine/keyring v1 beta'), 'its format is "wallet'],
      [good.replace(`# account: ${ACCOUNT}`, '# account: '), 'it has no "# account:" line'],
      [good.replace('# epoch: 1', '# epoch: 01'), 'its "# epoch:" line is missing or not a number'],
      [good.replace('# epoch: 1', '# epoch: 1.0'), 'its "# epoch:" line is missing or not a number'],
      [good.replace('# epoch: 1\n', ''), 'its "# epoch:" line is missing or not a number'],
      [good.replace(identity.identity, 'hello'), 'it must hold exactly one AGE-SECRET-KEY-1 line'],
    ];
    for (const [text, problem] of malformed) {
      const got = await problemOf(text);
      expect(got, text).toMatch(/^malformed: /);
      expect(got, text).toContain(problem);
    }
    // Any number of version digits is read as a version, and a later one is not ours.
    expect(await problemOf(good.replace('keyring v1', 'keyring v12'))).toMatch(/^unsupported-version: The keyring record is version 12 /);
  });

  it('R8: keyrings of epochs past 9 open', async () => {
    const { bytes, identity } = await makeEpoch(ACCOUNT, 12);
    expect(await openKeyring(bytes, PASSWORD, { accountId: ACCOUNT, epoch: 12 }, nodeKdf)).toEqual(identity);
  });

  it('E1: a password stanza with another stanza beside it is not a keyring of ours', async () => {
    const { identity } = await makeEpoch();
    const encrypter = new Encrypter();
    encrypter.addRecipient(new ScryptStanzaRecipient(PASSWORD, TEST_LOG_N, nodeKdf));
    encrypter.addRecipient(identity.recipient);
    const both = await encrypter.encrypt(keyringText(ACCOUNT, 1, NOW.toISOString(), identity.identity));
    expect(headerText(both).split('\n').filter((line) => line.startsWith('->')).map((line) => line.split(' ')[1])).toEqual(['scrypt', 'X25519']);
    const error = await openKeyring(both, PASSWORD, place, nodeKdf).catch((e: unknown) => e);
    expect(isRecordError(error, 'malformed')).toBe(true);
    expect((error as Error).message).toBe(
      'The keyring record is an age file but not a password-encrypted one: it was not written by this software.',
    );
  });

  it('E1: a keyring encrypted to a key instead of a password is malformed, and runs no KDF', async () => {
    const { identity } = await makeEpoch();
    const counting = countingKdf(nodeKdf);
    const notPassword = await encryptAgeFile(encode('x'), identity.recipient);
    expect(await codeOf(openKeyring(notPassword, PASSWORD, place, counting))).toBe('malformed');
    expect(counting.runs).toBe(0);
  });
});
