/**
 * E6: every way a record fails to open says what is wrong and what to do, in words; the code
 * (tested beside each format) is for the engine, the message is for the person. Each failure
 * below is checked for its code and for the sentences of its message: the general one of its
 * kind (header unreadable, wrong key, altered, content invalid) and the precise problem.
 */
import { Stanza } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import {
  assertAccountId,
  assertEpoch,
  assertIsoTime,
  assertScryptLogN,
  assertWalletId,
  checkMnemonic,
  createKeyring,
  decodeManifest,
  deriveWalletId,
  emptyManifest,
  encodeManifest,
  encryptAgeFile,
  isRecordError,
  keyringText,
  openKeyring,
  openWallet,
  RecordError,
  ScryptStanzaIdentity,
  ScryptStanzaRecipient,
  sealWallet,
  withEpoch,
  withWallet,
  WRONG_PASSWORD_MESSAGE,
  type ManifestWallet,
} from '../../src/format/index.ts';
import { ACCOUNT, flipByte, headerLength, makeEpoch, MNEMONIC_12, MNEMONIC_24, nodeKdf, NOW, PASSWORD, placeOf, sealJson, TEST_LOG_N, walletContent, walletInput } from './helpers.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const place = { accountId: ACCOUNT, epoch: 1 };

/** What `run` threw (or rejected with); fails the test when it returned. */
async function failure(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected a failure');
}

async function expectRecordError(run: () => unknown, code: string, ...parts: string[]): Promise<RecordError> {
  const error = await failure(run);
  expect(error, error.message).toBeInstanceOf(RecordError);
  expect((error as RecordError).code, error.message).toBe(code);
  for (const part of parts) expect(error.message).toContain(part);
  return error as RecordError;
}

describe('RecordError', () => {
  it('E6: is an Error named RecordError with a code, a message and the cause', () => {
    const cause = new Error('inner');
    const error = new RecordError('tampered', 'The file was altered.', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RecordError');
    expect(error.code).toBe('tampered');
    expect(error.message).toBe('The file was altered.');
    expect(error.cause).toBe(cause);
  });

  it('E6: isRecordError tells a RecordError (of a given code) from anything else', () => {
    const error = new RecordError('malformed', 'x');
    expect(isRecordError(error)).toBe(true);
    expect(isRecordError(error, 'malformed')).toBe(true);
    expect(isRecordError(error, 'tampered')).toBe(false);
    const lookalike = Object.assign(new Error('x'), { code: 'malformed' });
    expect(isRecordError(lookalike)).toBe(false);
    expect(isRecordError(lookalike, 'malformed')).toBe(false);
    expect(isRecordError(undefined)).toBe(false);
  });

  it('R10: the wrong-password message names the checks and says there is no reset', () => {
    expect(WRONG_PASSWORD_MESSAGE).toBe(
      'The backup password is wrong: one wrong character is enough. ' +
        'Check Caps Lock, spaces before or after, and similar-looking characters (0/O, l/I/1), then try again. ' +
        'There is no way to reset it.',
    );
  });
});

describe('age files that do not open', () => {
  it('E2: an unreadable header says so, and to restore from another copy', async () => {
    const error = await expectRecordError(
      () => openKeyring(encode('{"not":"age"}'), PASSWORD, place, nodeKdf),
      'malformed',
      'The keyring record is not a valid age file: its header could not be read. ',
      'It is damaged or is not a backup record; restore it from another copy if you have one.',
    );
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('E2/R11: a record no stanza of this key opens says which key it needs', async () => {
    const { identity } = await makeEpoch();
    const bytes = await sealWallet(walletInput(identity), identity);
    const other = await makeEpoch('bob@example.com', 1);
    const error = await expectRecordError(
      () => openWallet(bytes, other.identity, placeOf(walletInput(identity))),
      'tampered',
      'The wallet record cannot be opened with this backup key: it was altered, or it belongs to another ',
      'account or password epoch. Check that you are signed in to the account that made the backup.',
    );
    expect(error.message).not.toContain('failed authentication');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('E2: a record altered after it was written failed authentication', async () => {
    const { identity } = await makeEpoch();
    const input = walletInput(identity);
    const bytes = await sealWallet(input, identity);
    const error = await expectRecordError(
      () => openWallet(flipByte(bytes, headerLength(bytes) + 20), identity, placeOf(input)),
      'tampered',
      'The wallet record failed authentication: it was altered or truncated after it was written. ',
      'It cannot be trusted; restore it from another copy if you have one.',
    );
    expect(error.message).not.toContain('cannot be opened with this backup key');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('R10: a wrong password carries the wrong-password message and the cause', async () => {
    const { bytes } = await makeEpoch();
    const error = await expectRecordError(() => openKeyring(bytes, `${PASSWORD}!`, place, nodeKdf), 'wrong-password');
    expect(error.message).toBe(WRONG_PASSWORD_MESSAGE);
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe('scrypt stanzas age refuses', () => {
  const identity = new ScryptStanzaIdentity(PASSWORD, nodeKdf);
  const salt = 'AAAAAAAAAAAAAAAAAAAAAA';
  const body = new Uint8Array(32);
  const cases: [string, Stanza[], string][] = [
    ['not alone', [new Stanza(['scrypt', salt, '10'], body), new Stanza(['X25519', 'AAAA'], body)], 'it is not the only stanza in the header'],
    ['no work factor', [new Stanza(['scrypt', salt], body)], 'it must have a salt and a work factor'],
    ['short salt', [new Stanza(['scrypt', 'AAAA', '10'], body)], 'the salt is not 16 bytes of base64'],
    ['leading zero', [new Stanza(['scrypt', salt, '010'], body)], 'the work factor is not a decimal number'],
    ['too costly', [new Stanza(['scrypt', salt, '21'], body)], 'its work factor 2^21 is above the 2^20 this software accepts'],
    ['short body', [new Stanza(['scrypt', salt, '10'], new Uint8Array(31))], 'its body is not 32 bytes'],
  ];
  it.each(cases)('E2: %s', async (_name, stanzas, problem) => {
    await expectRecordError(
      () => identity.unwrapFileKey(stanzas),
      'malformed',
      `The file's scrypt stanza is invalid: ${problem}. The file is damaged or was not made by an age tool.`,
    );
  });

  it('E1: a work factor out of range names the range and the value', async () => {
    const error = await failure(() => assertScryptLogN(0));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('scrypt work factor logN must be an integer from 1 to 20, got 0');
  });
});

/** A password file with arbitrary plaintext, as a future or foreign writer could make. */
async function sealKeyringBytes(plaintext: Uint8Array): Promise<Uint8Array> {
  return encryptAgeFile(plaintext, new ScryptStanzaRecipient(PASSWORD, TEST_LOG_N, nodeKdf));
}

describe('keyring records that open but are not right', () => {
  const contentProblem = (problem: string) => `The keyring record opened but its content is invalid: ${problem}. It was not written by this software or is damaged.`;

  it('E2: each content problem is named', async () => {
    const { identity } = await makeEpoch();
    const good = keyringText(ACCOUNT, 1, NOW.toISOString(), identity.identity);
    const cases: [string, string][] = [
      ['just some text\n', 'it has no "# format:" line'],
      [good.replace(`# account: ${ACCOUNT}\n`, `# account: ${ACCOUNT}\n# account: ${ACCOUNT}\n`), 'the "account" line appears twice'],
      [good.replace('wallet-backup-engine/keyring', 'someone-else/keyring'), 'its format is "someone-else/keyring v1", not wallet-backup-engine/keyring'],
      [good.replace(`# account: ${ACCOUNT}\n`, ''), 'it has no "# account:" line'],
      [good.replace('# epoch: 1', '# epoch: one'), 'its "# epoch:" line is missing or not a number'],
      [good.replace(`# created: ${NOW.toISOString()}`, '# created: yesterday'), 'its "# created:" line is missing or not an ISO time'],
      [good.replace(identity.identity, `${identity.identity}\n${identity.identity}`), 'it must hold exactly one AGE-SECRET-KEY-1 line'],
      [good.replace(identity.identity, 'AGE-SECRET-KEY-1NOTBECH32'), 'its AGE-SECRET-KEY-1 line is not a valid age identity'],
    ];
    for (const [text, problem] of cases) {
      await expectRecordError(async () => openKeyring(await sealKeyringBytes(encode(text)), PASSWORD, place, nodeKdf), 'malformed', contentProblem(problem));
    }
    const notUtf8 = await sealKeyringBytes(new Uint8Array([0x23, 0x20, 0xff, 0xfe, 0x0a]));
    await expectRecordError(() => openKeyring(notUtf8, PASSWORD, place, nodeKdf), 'malformed', contentProblem('it is not UTF-8 text'));
  });

  it('E1: a keyring encrypted to a key, not a password, says it was not written by this software', async () => {
    const { identity } = await makeEpoch();
    const toKey = await encryptAgeFile(encode('x'), identity.recipient);
    await expectRecordError(
      () => openKeyring(toKey, PASSWORD, place, nodeKdf),
      'malformed',
      'The keyring record is an age file but not a password-encrypted one: it was not written by this software.',
    );
  });

  it('E1/R11: a keyring of another account or epoch says which, and what to do', async () => {
    const { bytes } = await makeEpoch(ACCOUNT, 2);
    await expectRecordError(
      () => openKeyring(bytes, PASSWORD, { accountId: 'bob@example.com', epoch: 2 }, nodeKdf),
      'metadata-mismatch',
      'The keyring record belongs to another cloud account than the one signed in: it was moved or copied. ',
      'Sign in to the account that made the backup.',
    );
    await expectRecordError(
      () => openKeyring(bytes, PASSWORD, place, nodeKdf),
      'metadata-mismatch',
      'The keyring record is for password epoch 2, but it was found in the place of epoch 1: it was moved or renamed.',
    );
  });

  it('R3: createKeyring names the minimum length', async () => {
    const error = await failure(() => createKeyring({ accountId: ACCOUNT, epoch: 1, password: 'abcde', kdf: nodeKdf, logN: TEST_LOG_N, now: NOW }));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('the backup password must have at least 6 characters (R3)');
  });
});

describe('wallet records that open but are not right', () => {
  const contentProblem = (problem: string) => `The wallet record opened but its content is invalid: ${problem}. It was not written by this software or is damaged.`;

  it('E2: each content problem is named', async () => {
    const { identity } = await makeEpoch();
    const input = walletInput(identity);
    // A one-word name: the not-UTF-8 case below breaks the record inside it.
    const good = { ...walletContent(input), name: 'Daily' };
    const cases: [unknown, string][] = [
      [[good], 'it is not a JSON object'],
      [null, 'it is not a JSON object'],
      [42, 'it is not a JSON object'],
      [{ ...good, format: 'other' }, 'its format is not wallet-backup-engine/wallet'],
      [{ ...good, version: '1' }, 'its version is not a number'],
      [{ ...good, version: 1.5 }, 'its version is not a number'],
      [{ ...good, extra: 1, more: 2 }, 'it has unknown fields extra, more'],
      [{ ...good, walletId: '../x' }, 'its walletId is invalid'],
      [{ ...good, accountId: '' }, 'its accountId is invalid'],
      [{ ...good, epoch: 0 }, 'its epoch is invalid'],
      [{ ...good, name: 7 }, 'its name is not a string'],
      [{ ...good, words: 13 }, 'its word count is not a BIP39 length (12, 15, 18, 21 or 24)'],
      [{ ...good, createdAt: 'today' }, 'its createdAt is not an ISO time'],
      [{ ...good, mnemonic: 7 }, 'its mnemonic is not a string'],
      [{ ...good, words: 24 }, 'it says 24 words but its phrase has 12'],
    ];
    for (const [payload, problem] of cases) {
      await expectRecordError(async () => openWallet(await sealJson(identity, payload), identity, placeOf(input)), 'malformed', contentProblem(problem));
    }
    const notJson = await encryptAgeFile(encode('mnemonic: legal winner'), identity.recipient);
    await expectRecordError(() => openWallet(notJson, identity, placeOf(input)), 'malformed', contentProblem('it is not JSON'));
    // Bytes that are not UTF-8, even inside a string that would still parse, are not JSON.
    const [before, after] = JSON.stringify(good).split('"Daily"');
    const notUtf8 = await encryptAgeFile(new Uint8Array([...encode(`${before}"Dai`), 0xff, ...encode(`ly"${after}`)]), identity.recipient);
    await expectRecordError(() => openWallet(notUtf8, identity, placeOf(input)), 'malformed', contentProblem('it is not JSON'));
    const future = await sealJson(identity, { ...good, version: 2 });
    await expectRecordError(
      () => openWallet(future, identity, placeOf(input)),
      'unsupported-version',
      'The wallet record is version 2 of the format; this software reads only version 1. Update the app, then try again.',
    );
    const badPhrase = await sealJson(identity, { ...good, mnemonic: Array(12).fill('abandon').join(' ') });
    await expectRecordError(
      () => openWallet(badPhrase, identity, placeOf(input)),
      'invalid-mnemonic',
      'The recovery phrase is not valid: Every word is valid but the checksum does not match',
    );
  });

  it('E1: a password file in place of a wallet record says it was not written by this software', async () => {
    const { bytes: keyring, identity } = await makeEpoch();
    await expectRecordError(
      () => openWallet(keyring, identity, placeOf(walletInput(identity))),
      'malformed',
      'The wallet record is an age file but has no valid X25519 recipient stanza: it was not written by this software.',
    );
  });

  it('E1: a record moved between wallets, accounts or epochs says it was not restored', async () => {
    const { identity } = await makeEpoch();
    const first = walletInput(identity, MNEMONIC_12);
    const bytes = await sealWallet(first, identity);
    await expectRecordError(
      () => openWallet(bytes, identity, placeOf(walletInput(identity, MNEMONIC_24))),
      'metadata-mismatch',
      'The wallet record belongs to another wallet than the one it is stored as: it was moved or copied. It was not restored.',
    );
    await expectRecordError(
      () => openWallet(bytes, identity, { ...placeOf(first), epoch: 2 }),
      'metadata-mismatch',
      'The wallet record belongs to another cloud account or password epoch than the one it was found under: it was moved or copied. It was not restored.',
    );
  });

  it('R16/E1: sealing names an invalid phrase, a wrong key, a name that is not text', async () => {
    const { identity } = await makeEpoch();
    await expectRecordError(
      () => sealWallet({ ...walletInput(identity), mnemonic: 'legal winner thank' }, identity),
      'invalid-mnemonic',
      'The recovery phrase is not valid: The recovery phrase has 3 words; a BIP39 phrase has 12, 15, 18, 21 or 24.',
    );
    await expectRecordError(
      () => sealWallet({ ...walletInput(identity), epoch: 2 }, identity),
      'metadata-mismatch',
      'The wallet is being sealed with the key of another account or epoch than it names; this is a bug in the caller.',
    );
    const error = await failure(() => sealWallet({ ...walletInput(identity), name: 7 as unknown as string }, identity));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('wallet name must be a string');
  });

  it('R16: a wallet id is never derived from an invalid phrase', async () => {
    const { identity } = await makeEpoch();
    await expectRecordError(
      () => deriveWalletId(identity, 'legal winner thank'),
      'invalid-mnemonic',
      'The recovery phrase is not valid: The recovery phrase has 3 words; a BIP39 phrase has 12, 15, 18, 21 or 24.',
    );
  });
});

describe('manifests that are not right', () => {
  const T1 = '2025-03-01T10:00:00.000Z';
  const wallet: ManifestWallet = { walletId: 'w-0123456789abcdef', name: 'Daily', epoch: 1, words: 12, createdAt: T1, updatedAt: T1 };
  const good = withWallet(withEpoch(emptyManifest(ACCOUNT), 1, T1), wallet);
  const bytesOf = (value: unknown) => encode(JSON.stringify(value));
  const invalid = (problem: string) =>
    `The backup manifest (wallet-backup/manifest.json) is invalid: ${problem}. It was damaged or edited by hand; the encrypted records beside it are not affected.`;

  it('E2: each problem is named, with where it is', async () => {
    const cases: [unknown, string][] = [
      ['text', 'it is not a JSON object'],
      [{ ...good, format: 'other' }, 'its format is not wallet-backup-engine/manifest'],
      [{ ...good, version: '1' }, 'its version is not a number'],
      [{ ...good, version: 1.5 }, 'its version is not a number'],
      [{ ...good, secret: 'x', other: 1 }, 'it has unknown fields secret, other'],
      [{ ...good, accountId: '' }, 'its accountId is invalid'],
      [{ ...good, epochs: {} }, '"epochs" is not a list'],
      [{ ...good, epochs: [null] }, 'epochs[0] is not an object'],
      [{ ...good, epochs: [{ epoch: 1, createdAt: T1, note: 'x' }] }, 'epochs[0] has unknown fields note'],
      [{ ...good, epochs: [{ epoch: 0, createdAt: T1 }] }, 'epochs[0].epoch is not an integer of at least 1'],
      [{ ...good, epochs: [{ epoch: 1, createdAt: 'now' }] }, 'epochs[0].createdAt is not an ISO time'],
      [{ ...good, epochs: [{ epoch: 1, createdAt: T1 }, { epoch: 1, createdAt: T1 }] }, 'epoch 1 is listed twice'],
      [{ ...good, wallets: {} }, '"wallets" is not a list'],
      [{ ...good, wallets: [null] }, 'wallets[0] is not an object'],
      [{ ...good, wallets: [{ ...wallet, mnemonic: 'leak' }] }, 'wallets[0] has unknown fields mnemonic'],
      [{ ...good, wallets: [{ ...wallet, walletId: '../x' }] }, 'wallets[0].walletId is invalid'],
      [{ ...good, wallets: [{ ...wallet, name: 7 }] }, 'wallets[0].name is not a string'],
      [{ ...good, wallets: [{ ...wallet, epoch: 0 }] }, 'wallets[0].epoch is not an integer of at least 1'],
      [{ ...good, wallets: [{ ...wallet, epoch: 3 }] }, 'wallets[0] names epoch 3, which is not listed in "epochs"'],
      [{ ...good, wallets: [{ ...wallet, words: 13 }] }, 'wallets[0].words is not a BIP39 length (12, 15, 18, 21 or 24)'],
      [{ ...good, wallets: [{ ...wallet, createdAt: 'now' }] }, 'wallets[0].createdAt is not an ISO time'],
      [{ ...good, wallets: [{ ...wallet, updatedAt: 'now' }] }, 'wallets[0].updatedAt is not an ISO time'],
      [{ ...good, wallets: [wallet, { ...wallet, walletId: 'w-1', name: null }] }, 'wallets[1].name is not a string'],
      [{ ...good, wallets: [wallet, wallet] }, 'wallet w-0123456789abcdef is listed twice'],
    ];
    for (const [value, problem] of cases) {
      await expectRecordError(() => decodeManifest(bytesOf(value), ACCOUNT), 'malformed', invalid(problem));
    }
    await expectRecordError(() => decodeManifest(encode('{'), ACCOUNT), 'malformed', invalid('it is not JSON'));
    await expectRecordError(() => encodeManifest({ ...good, wallets: [{ ...wallet, epoch: 9 }] }), 'malformed', invalid('wallets[0] names epoch 9, which is not listed in "epochs"'));
  });

  it('E2: bytes that are not UTF-8 are refused, even inside a string', async () => {
    const text = new TextDecoder().decode(encodeManifest(good));
    const [before, after] = text.split('"Daily"');
    const bytes = new Uint8Array([...encode(`${before}"Dai`), 0xff, ...encode(`ly"${after}`)]);
    await expectRecordError(() => decodeManifest(bytes, ACCOUNT), 'malformed', invalid('it is not JSON'));
  });

  it('E2/R11: a newer version and another account say what to do', async () => {
    await expectRecordError(
      () => decodeManifest(bytesOf({ ...good, version: 2 }), ACCOUNT),
      'unsupported-version',
      'The backup manifest is version 2 of the format; this software reads only version 1. Update the app, then try again.',
    );
    await expectRecordError(
      () => decodeManifest(encodeManifest(good), 'bob@example.com'),
      'metadata-mismatch',
      'The backup manifest belongs to another cloud account than the one signed in: it was copied between accounts. ',
      'Sign in to the account that made the backups.',
    );
  });
});

describe('recovery phrases that are refused (R16)', () => {
  it('names the word count, the positions of unknown words (one or several) or the checksum', () => {
    const detail = (phrase: string) => {
      const check = checkMnemonic(phrase);
      return check.ok ? null : check.detail;
    };
    const words = MNEMONIC_12.split(' ');
    expect(detail('')).toBe('The recovery phrase has 0 words; a BIP39 phrase has 12, 15, 18, 21 or 24.');
    expect(detail(words.slice(0, 11).join(' '))).toBe('The recovery phrase has 11 words; a BIP39 phrase has 12, 15, 18, 21 or 24.');
    const oneUnknown = words.map((w, i) => (i === 4 ? 'wavve' : w)).join(' ');
    expect(detail(oneUnknown)).toBe('Word 5 is not in the BIP39 English word list; check the spelling.');
    const twoUnknown = words.map((w, i) => (i === 1 || i === 4 ? `${w}x` : w)).join(' ');
    expect(detail(twoUnknown)).toBe('Words 2, 5 are not in the BIP39 English word list; check the spelling.');
    expect(detail(Array(12).fill('abandon').join(' '))).toBe(
      'Every word is valid but the checksum does not match: a word is wrong or two words are swapped.',
    );
  });
});

describe('identifiers that are refused', () => {
  it('E6: each assertion names what is expected and what it got', async () => {
    const messages = await Promise.all(
      [() => assertAccountId(''), () => assertEpoch(0), () => assertWalletId('../x'), () => assertIsoTime('now')].map(async (run) => {
        const error = await failure(run);
        expect(error).toBeInstanceOf(RangeError);
        return error.message;
      }),
    );
    expect(messages).toEqual([
      'account id must be a non-empty string without control characters',
      'epoch must be an integer of at least 1, got 0',
      'wallet id must match /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, got "../x"',
      'time must be an ISO-8601 string such as 2025-01-31T12:00:00.000Z, got "now"',
    ]);
  });
});
