import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SecretLeakError, assertNoSecrets, createRedactor, findSecret, isSecretField } from '../../src/log/redact.ts';

const PASSWORD = 'Pässwörd ﬁ 1';
const MNEMONIC = 'abandon ability able about above absent absorb abstract absurd abuse access accident';

describe('createRedactor: allowlist per event type (R6, E4)', () => {
  const redact = createRedactor({
    'KEYRING.UNLOCKED': ['epoch'],
    'UPLOAD.QUOTA_EXCEEDED': ['neededBytes'],
    'MNEMONIC.VALID': ['words'],
    'BACKUPS.FOUND': ['wallets'],
    'PASSWORD.SUBMITTED': ['password', 'length'],
    'ODD': ['type', 'value', 'nested', 'list', 'proto', '__proto__'],
  });

  it('keeps only allowlisted fields and never the type', () => {
    expect(redact({ type: 'KEYRING.UNLOCKED', epoch: 2, identity: 'AGE-SECRET-KEY-1...', extra: 'x' })).toEqual({ epoch: 2 });
    expect(redact({ type: 'UPLOAD.QUOTA_EXCEEDED', neededBytes: 1024 })).toEqual({ neededBytes: 1024 });
    expect(redact({ type: 'ODD', value: 1 })).toEqual({ value: 1 });
  });

  it('keeps no field of an event type without a rule', () => {
    expect(redact({ type: 'UNKNOWN', epoch: 1, note: 'hello' })).toEqual({});
    expect(redact({ type: 'constructor', note: 'x' })).toEqual({});
    expect(redact({ type: '__proto__', note: 'x' })).toEqual({});
  });

  it('R6: drops denylisted fields even when allowlisted', () => {
    expect(redact({ type: 'PASSWORD.SUBMITTED', password: PASSWORD, length: 12 })).toEqual({ length: 12 });
  });

  it('R6: keeps `words` as a count but drops words as text or a list', () => {
    expect(redact({ type: 'MNEMONIC.VALID', words: 12 })).toEqual({ words: 12 });
    expect(redact({ type: 'MNEMONIC.VALID', words: MNEMONIC })).toEqual({});
    expect(redact({ type: 'MNEMONIC.VALID', words: MNEMONIC.split(' ') })).toEqual({});
  });

  it('R6: drops secret-named fields inside nested objects and arrays', () => {
    const event = {
      type: 'BACKUPS.FOUND',
      wallets: [
        { walletId: 'w1', name: 'Main', epoch: 0, mnemonic: MNEMONIC },
        { walletId: 'w2', name: 'Spare', epoch: 1, keys: { privateKey: 'k' } },
      ],
    };
    expect(redact(event)).toEqual({
      wallets: [
        { walletId: 'w1', name: 'Main', epoch: 0 },
        { walletId: 'w2', name: 'Spare', epoch: 1 },
      ],
    });
  });

  it('keeps only JSON values: drops undefined, functions, bigint, non-finite numbers, bytes, dates, class instances, cycles', () => {
    class Thing {
      x = 1;
    }
    const cycle: Record<string, unknown> = { a: 1 };
    cycle['self'] = cycle;
    const cases: unknown[] = [
      undefined, () => 1, 10n, Number.NaN, Number.POSITIVE_INFINITY, new Uint8Array([1, 2]), new Date(0), new Thing(),
      cycle, [1, undefined], { deep: [new Uint8Array(1)] }, new Map(), Symbol('s'),
    ];
    for (const value of cases) expect(redact({ type: 'ODD', value })).toEqual({});
    const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
    expect(redact({ type: 'ODD', value: sparse })).toEqual({});
    // Shared (non-cyclic) references are fine.
    const shared = { n: 1 };
    expect(redact({ type: 'ODD', value: [shared, shared] })).toEqual({ value: [{ n: 1 }, { n: 1 }] });
    expect(redact({ type: 'ODD', value: null, nested: { a: [true, 'x', 1.5, null] } })).toEqual({
      value: null,
      nested: { a: [true, 'x', 1.5, null] },
    });
    expect(redact({ type: 'ODD', value: Object.assign(Object.create(null) as object, { a: 1 }) })).toEqual({ value: { a: 1 } });
  });

  it('does not let a `__proto__` field change the prototype of the result', () => {
    const event = JSON.parse('{"type":"ODD","__proto__":{"polluted":true}}') as { type: string };
    const out = redact(event);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true}}');
  });

  it('R6: every result is JSON that round-trips, for any event (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.anything()), (fields) => {
        const out = redact({ ...fields, type: 'ODD' });
        expect(JSON.parse(JSON.stringify(out))).toEqual(out);
        for (const name of Object.keys(out)) expect(['value', 'nested', 'list', 'proto', '__proto__']).toContain(name);
      }),
    );
  });
});

describe('isSecretField: the hard denylist (R6)', () => {
  it.each([
    'password', 'backupPassword', 'new_password', 'PASSWORD', 'backuppassword', 'passphrase', 'pass', 'pin',
    'mnemonic', 'seedPhrase', 'phrase', 'seed', 'secret', 'clientSecret', 'identity', 'ageIdentity', 'key',
    'privateKey', 'private_key', 'PRIVATE-KEY', 'publicKey', 'apiKey', 'recipient', 'entropy', 'accessToken', 'xprv',
  ])('%s is a secret name', (name) => {
    expect(isSecretField(name, 'x')).toBe(true);
    expect(isSecretField(name, 12)).toBe(true);
  });

  it.each(['epoch', 'walletId', 'account', 'provider', 'neededBytes', 'hints', 'reason', 'keyring', 'keyringEpoch', 'tooShort', 'mismatch'])(
    '%s is not a secret name',
    (name) => expect(isSecretField(name, 'x')).toBe(false),
  );

  it('word counts are fine, words are not', () => {
    expect(isSecretField('words', 24)).toBe(false);
    expect(isSecretField('wordCount', 12)).toBe(false);
    expect(isSecretField('words', 'abandon ability')).toBe(true);
    expect(isSecretField('words', ['abandon'])).toBe(true);
    expect(isSecretField('firstWord', 'abandon')).toBe(true);
  });
});

describe('assertNoSecrets (R6)', () => {
  const catchError = (fn: () => void): Error | undefined => {
    try {
      fn();
    } catch (e) {
      return e as Error;
    }
    return undefined;
  };

  it('passes clean text', () => {
    expect(() => assertNoSecrets(JSON.stringify({ epoch: 1, note: 'Passwörd' }), [PASSWORD, MNEMONIC])).not.toThrow();
    expect(() => assertNoSecrets('anything', [''])).not.toThrow();
  });

  it('finds a secret embedded in JSON, and the error never contains it', () => {
    const text = JSON.stringify({ flowId: 'f', payload: JSON.stringify({ note: `x${MNEMONIC}y` }) });
    const error = catchError(() => assertNoSecrets(text, ['other-secret', MNEMONIC]));
    expect(error).toBeInstanceOf(SecretLeakError);
    expect(error!.message).toMatch(/#2/);
    expect(error!.message).not.toContain(MNEMONIC);
    expect(error!.message).not.toContain('abandon');
    expect(String(error!.stack)).not.toContain('abandon');
  });

  it('finds a secret with JSON-escaped characters: quotes, backslashes, control characters', () => {
    const secret = 'pa"ss\\wo\trd';
    expect(findSecret(JSON.stringify({ a: secret }), [secret])).not.toBeNull();
    expect(findSecret(JSON.stringify(JSON.stringify({ a: secret })), [secret])).not.toBeNull();
  });

  it('finds a non-ASCII secret as is (JSON.stringify keeps it) and as \\u escapes, in either hex case', () => {
    expect(JSON.stringify(PASSWORD)).toContain('ä');
    expect(findSecret(JSON.stringify({ p: PASSWORD }), [PASSWORD])).not.toBeNull();
    const escaped = [...PASSWORD]
      .map((c) => (c.charCodeAt(0) > 127 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c))
      .join('');
    expect(escaped).toContain('\\u00e4');
    expect(findSecret(`{"p":"${escaped}"}`, [PASSWORD])).toMatchObject({ form: expect.stringMatching(/^json-escaped/) });
    const upperHex = escaped.replace(/\\u([0-9a-f]{4})/g, (_m, h: string) => `\\u${h.toUpperCase()}`);
    expect(upperHex).toContain('\\u00E4');
    expect(findSecret(`{"p":"${upperHex}"}`, [PASSWORD])).not.toBeNull();
    // Escaped twice (JSON inside a JSON string).
    expect(findSecret(JSON.stringify({ row: `{"p":"${escaped}"}` }), [PASSWORD])).not.toBeNull();
  });

  it('finds the NFC, NFD, NFKC and NFKD forms of a secret', () => {
    for (const form of ['NFC', 'NFD', 'NFKC', 'NFKD'] as const) {
      expect(findSecret(`note: ${PASSWORD.normalize(form)}!`, [PASSWORD]), form).not.toBeNull();
      expect(findSecret(`note: ${PASSWORD}!`, [PASSWORD.normalize(form)]), form).not.toBeNull();
    }
  });

  it('finds a secret as UTF-8 hex (either case) and as base64', () => {
    const hex = Buffer.from(PASSWORD, 'utf8').toString('hex');
    expect(findSecret(`{"blob":"00${hex}ff"}`, [PASSWORD])).toMatchObject({ form: 'utf8-hex' });
    expect(findSecret(`{"blob":"${hex.toUpperCase()}"}`, [PASSWORD])).toMatchObject({ form: 'utf8-hex' });
    expect(findSecret(`{"blob":"${Buffer.from(MNEMONIC).toString('base64')}"}`, [MNEMONIC])).toMatchObject({ form: 'base64' });
    expect(findSecret(`{"blob":"${Buffer.from(PASSWORD).toString('base64url')}"}`, [PASSWORD])).not.toBeNull();
  });

  it('finds any secret embedded anywhere in any JSON document (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 6, maxLength: 20 }),
        fc.jsonValue(),
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'grapheme' }),
        (secret, doc, before, after) => {
          const text = JSON.stringify({ doc, note: before + secret + after });
          expect(findSecret(text, [secret])).not.toBeNull();
          expect(findSecret(JSON.stringify({ row: text }), [secret])).not.toBeNull();
        },
      ),
    );
  });
});
