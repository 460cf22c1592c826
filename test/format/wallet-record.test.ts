/**
 * The wallet record: the mnemonic and its metadata, age-encrypted to the epoch's X25519 key.
 */
import { createHmac } from 'node:crypto';
import { Decrypter, Encrypter, Stanza, type Recipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import {
  deriveWalletId,
  encryptAgeFile,
  openWallet,
  RecordError,
  sealWallet,
  type RecordErrorCode,
} from '../../src/format/index.ts';
import {
  ACCOUNT,
  CREATED,
  flipByte,
  headerLength,
  headerText,
  makeEpoch,
  MNEMONIC_12,
  MNEMONIC_24,
  placeOf,
  replaceBase64Char,
  sealJson,
  walletContent,
  walletInput,
} from './helpers.ts';

async function codeOf(promise: Promise<unknown>): Promise<RecordErrorCode | 'resolved' | 'other'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof RecordError ? error.code : 'other';
  }
}

describe('wallet record', () => {
  it('E1: a wallet record round-trips with the epoch identity (12 and 24 words)', async () => {
    const { identity } = await makeEpoch();
    for (const mnemonic of [MNEMONIC_12, MNEMONIC_24]) {
      const input = walletInput(identity, mnemonic);
      const payload = await openWallet(await sealWallet(input, identity), identity, placeOf(input));
      expect(payload).toEqual({
        walletId: input.walletId,
        accountId: ACCOUNT,
        epoch: 1,
        name: 'Daily spending',
        words: mnemonic.split(' ').length,
        createdAt: CREATED,
        mnemonic,
      });
    }
  });

  it('E1: the plaintext is readable JSON with format, version, metadata and the mnemonic (what age -d shows)', async () => {
    const { identity } = await makeEpoch();
    const input = walletInput(identity);
    const decrypter = new Decrypter();
    decrypter.addIdentity(identity.identity);
    const text = await decrypter.decrypt(await sealWallet(input, identity), 'text');
    expect(text).toBe(
      `${JSON.stringify(
        {
          format: 'wallet-backup-engine/wallet',
          version: 1,
          walletId: input.walletId,
          accountId: ACCOUNT,
          epoch: 1,
          name: 'Daily spending',
          words: 12,
          createdAt: CREATED,
          mnemonic: MNEMONIC_12,
        },
        null,
        2,
      )}\n`,
    );
  });

  it('E1: the record is encrypted to the X25519 recipient only; nothing about it is in clear', async () => {
    const { identity } = await makeEpoch();
    const bytes = await sealWallet(walletInput(identity), identity);
    const stanzas = headerText(bytes).split('\n').filter((line) => line.startsWith('->'));
    expect(stanzas).toEqual([expect.stringMatching(/^-> X25519 [A-Za-z0-9+/]{43}$/)]);
    const asText = new TextDecoder('latin1').decode(bytes);
    for (const secretOrMetadata of [identity.recipient, ACCOUNT, 'legal', 'Daily spending']) {
      expect(asText).not.toContain(secretOrMetadata);
    }
  });

  it('R16: sealWallet refuses an invalid mnemonic before encrypting anything', async () => {
    const { identity } = await makeEpoch();
    const words = MNEMONIC_12.split(' ');
    const bad = [words.slice(0, 11).join(' '), [...words.slice(0, 11), 'notaword'].join(' '), Array(12).fill('abandon').join(' ')];
    for (const mnemonic of bad) {
      expect(await codeOf(sealWallet({ ...walletInput(identity), mnemonic }, identity))).toBe('invalid-mnemonic');
    }
  });

  it('E1: sealWallet refuses to seal a wallet for another account or epoch than the key', async () => {
    const { identity } = await makeEpoch();
    expect(await codeOf(sealWallet({ ...walletInput(identity), accountId: 'bob@example.com' }, identity))).toBe('metadata-mismatch');
    expect(await codeOf(sealWallet({ ...walletInput(identity), epoch: 2 }, identity))).toBe('metadata-mismatch');
  });

  it('E1: a record moved between wallets is metadata-mismatch', async () => {
    const { identity } = await makeEpoch();
    const first = walletInput(identity, MNEMONIC_12);
    const second = walletInput(identity, MNEMONIC_24);
    const firstBytes = await sealWallet(first, identity);
    // The first wallet's record copied over the second's file.
    expect(await codeOf(openWallet(firstBytes, identity, placeOf(second)))).toBe('metadata-mismatch');
  });

  it('E1: a record moved between accounts or epochs is refused', async () => {
    const { identity } = await makeEpoch();
    const input = walletInput(identity);
    const bytes = await sealWallet(input, identity);
    // Same key (the keyring was copied along), other place: its own metadata gives it away.
    expect(await codeOf(openWallet(bytes, identity, { ...placeOf(input), accountId: 'bob@example.com' }))).toBe('metadata-mismatch');
    expect(await codeOf(openWallet(bytes, identity, { ...placeOf(input), epoch: 2 }))).toBe('metadata-mismatch');
    // Another account's or epoch's key cannot open it at all.
    const other = await makeEpoch('bob@example.com', 1);
    expect(await codeOf(openWallet(bytes, other.identity, { ...placeOf(input), accountId: 'bob@example.com' }))).toBe('tampered');
  });

  it('E2: a flipped byte in the payload is tampered', async () => {
    const { identity } = await makeEpoch();
    const input = walletInput(identity);
    const bytes = await sealWallet(input, identity);
    const payloadStart = headerLength(bytes);
    for (const index of [payloadStart, payloadStart + 20, bytes.length - 1]) {
      expect(await codeOf(openWallet(flipByte(bytes, index), identity, placeOf(input))), `byte ${index}`).toBe('tampered');
    }
    expect(await codeOf(openWallet(bytes.subarray(0, bytes.length - 10), identity, placeOf(input)))).toBe('tampered');
  });

  it('E2: a flipped byte in the header is malformed or tampered', async () => {
    const { identity } = await makeEpoch();
    const input = walletInput(identity);
    const bytes = await sealWallet(input, identity);
    const header = headerText(bytes);
    expect(await codeOf(openWallet(flipByte(bytes, 3), identity, placeOf(input)))).toBe('malformed');
    // Another base64 character in the ephemeral share, the stanza body, the MAC: authentication fails.
    const shareStart = header.indexOf('-> X25519 ') + 10;
    const bodyStart = header.indexOf('\n', shareStart) + 1;
    const macStart = header.indexOf('\n--- ') + 5;
    for (const index of [shareStart + 5, bodyStart + 5, macStart + 5]) {
      expect(await codeOf(openWallet(replaceBase64Char(bytes, index), identity, placeOf(input))), `byte ${index}`).toBe('tampered');
    }
    for (let index = 0; index < header.length; index++) {
      const code = await codeOf(openWallet(flipByte(bytes, index), identity, placeOf(input)));
      expect(['malformed', 'tampered'], `header byte ${index}`).toContain(code);
    }
  });

  it('E2: an unknown wallet format version is unsupported-version', async () => {
    const { identity } = await makeEpoch();
    const input = walletInput(identity);
    const payload = { format: 'wallet-backup-engine/wallet', version: 2, somethingNew: true };
    expect(await codeOf(openWallet(await sealJson(identity, payload), identity, placeOf(input)))).toBe('unsupported-version');
  });

  it('E2: wallet content that is not ours is malformed; an invalid phrase inside is invalid-mnemonic', async () => {
    const { identity } = await makeEpoch();
    const input = walletInput(identity);
    const good = walletContent(input);
    expect(await codeOf(openWallet(await sealJson(identity, good), identity, placeOf(input)))).toBe('resolved');
    const malformed: unknown[] = [
      'a string',
      [good],
      { ...good, format: 'other' },
      { ...good, version: '1' },
      { ...good, extra: 1 },
      { ...good, epoch: 0 },
      { ...good, words: 13 },
      { ...good, words: 24 },
      { ...good, createdAt: 'today' },
      { ...good, name: 7 },
    ];
    for (const payload of malformed) {
      expect(await codeOf(openWallet(await sealJson(identity, payload), identity, placeOf(input))), JSON.stringify(payload)).toBe('malformed');
    }
    const notJson = await encryptAgeFile(new TextEncoder().encode('mnemonic: legal winner'), identity.recipient);
    expect(await codeOf(openWallet(notJson, identity, placeOf(input)))).toBe('malformed');
    const badPhrase = { ...good, mnemonic: Array(12).fill('abandon').join(' ') };
    expect(await codeOf(openWallet(await sealJson(identity, badPhrase), identity, placeOf(input)))).toBe('invalid-mnemonic');
  });

  it('E2: X25519 stanzas of the wrong shape are malformed, not tampered; other stanza types are let through', async () => {
    const { identity } = await makeEpoch();
    const input = walletInput(identity);
    const payload = JSON.stringify({
      format: 'wallet-backup-engine/wallet',
      version: 1,
      walletId: input.walletId,
      accountId: ACCOUNT,
      epoch: 1,
      name: input.name,
      words: 12,
      createdAt: CREATED,
      mnemonic: MNEMONIC_12,
    });
    const encryptTo = async (...recipients: (string | Recipient)[]) => {
      const encrypter = new Encrypter();
      for (const recipient of recipients) encrypter.addRecipient(recipient);
      return encrypter.encrypt(payload);
    };
    /** The same file with its header edited (the header MAC no longer matters: the shape is checked first). */
    const editHeader = (bytes: Uint8Array, edit: (header: string) => string) =>
      new Uint8Array([...new TextEncoder().encode(edit(headerText(bytes))), ...bytes.subarray(headerLength(bytes))]);
    const problemOf = (bytes: Uint8Array) =>
      openWallet(bytes, identity, placeOf(input)).then(
        () => 'resolved',
        (error: unknown) => (error instanceof RecordError ? `${error.code}: ${error.message}` : `other: ${String(error)}`),
      );
    const noValidStanza =
      'malformed: The wallet record is an age file but has no valid X25519 recipient stanza: it was not written by this software.';

    // A stanza of another type beside ours, as age allows: opens.
    const foreign: Recipient = { wrapFileKey: () => [new Stanza(['example.com/other', 'abc'], new Uint8Array(8))] };
    expect(await problemOf(await encryptTo(identity.recipient, foreign))).toBe('resolved');

    const ours = await encryptTo(identity.recipient);
    const stanzaLine = headerText(ours).split('\n')[1]!;
    const bodyLine = headerText(ours).split('\n')[2]!;
    expect(stanzaLine).toMatch(/^-> X25519 \S{43}$/);
    const misshapen = [
      (h: string) => h.replace(stanzaLine, `${stanzaLine} extra`), // three arguments
      (h: string) => h.replace(stanzaLine, '-> X25519 not-base64!'), // a share that is not base64
      (h: string) => h.replace(stanzaLine, '-> X25519 AAAA'), // a share that is not 32 bytes
      (h: string) => h.replace(`\n${bodyLine}\n`, '\nAAAA\n'), // a body that is not 32 bytes
    ];
    for (const edit of misshapen) expect(await problemOf(editHeader(ours, edit)), edit.toString()).toBe(noValidStanza);

    // Every X25519 stanza must be well formed, not just one of them.
    const other = await makeEpoch('bob@example.com', 1);
    const two = await encryptTo(identity.recipient, other.identity.recipient);
    const second = headerText(two).split('\n')[3]!;
    expect(second).toMatch(/^-> X25519 /);
    expect(await problemOf(editHeader(two, (h) => h.replace(second, `${second} extra`)))).toBe(noValidStanza);
  });

  it('E1: a password-encrypted file in place of a wallet record is malformed', async () => {
    const { bytes: keyring, identity } = await makeEpoch();
    expect(await codeOf(openWallet(keyring, identity, placeOf(walletInput(identity))))).toBe('malformed');
  });

  it('E1: deriveWalletId is w- + 16 hex of HMAC-SHA256(identity, domain || mnemonic), stable within an epoch', async () => {
    const { identity } = await makeEpoch();
    const expected = createHmac('sha256', identity.identity)
      .update(`wallet-backup-engine/wallet-id\0${MNEMONIC_12}`)
      .digest('hex')
      .slice(0, 16);
    expect(deriveWalletId(identity, MNEMONIC_12)).toBe(`w-${expected}`);
    expect(deriveWalletId(identity, `  ${MNEMONIC_12.toUpperCase()} `)).toBe(`w-${expected}`);
    expect(deriveWalletId(identity, MNEMONIC_24)).not.toBe(`w-${expected}`);
    // Unlinkable across epochs: another key gives another id for the same wallet.
    const next = await makeEpoch(ACCOUNT, 2);
    expect(deriveWalletId(next.identity, MNEMONIC_12)).not.toBe(`w-${expected}`);
    expect(() => deriveWalletId(identity, 'not a phrase')).toThrow(RecordError);
  });
});
