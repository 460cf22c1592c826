/** Strict UTF-8 in JavaScript accepts and refuses exactly what TextDecoder's `fatal` does. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLatin1, decodeUtf8Strict } from '../../src/text/utf8.ts';

function platform(bytes: Uint8Array, ignoreBOM: boolean): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM }).decode(bytes);
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}

describe('strict UTF-8 without TextDecoder', () => {
  it('matches TextDecoder fatal on arbitrary bytes and on the bytes of arbitrary text', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 30 }).map((text) => new TextEncoder().encode(text)),
      fc.tuple(fc.string({ unit: 'binary', maxLength: 10 }), fc.uint8Array({ maxLength: 4 })).map(([text, tail]) => new Uint8Array([...new TextEncoder().encode(text), ...tail])),
    );
    fc.assert(
      fc.property(bytes, fc.boolean(), (input, ignoreBOM) => {
        expect(decodeUtf8Strict(input, { ignoreBOM })).toBe(platform(input, ignoreBOM));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses overlong forms, surrogates, code points past U+10FFFF and truncated sequences', () => {
    for (const bad of [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xff]]) {
      expect(decodeUtf8Strict(new Uint8Array(bad))).toBeNull();
    }
    expect(decodeUtf8Strict(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('a');
    expect(decodeUtf8Strict(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), { ignoreBOM: true })).toBe('\uFEFFa');
  });

  it('decodes long text across its internal chunks', () => {
    const text = 'wallet é 😀 '.repeat(5000);
    expect(decodeUtf8Strict(new TextEncoder().encode(text))).toBe(text);
    const bytes = new Uint8Array(20000).map((_, i) => i % 256);
    expect(decodeLatin1(bytes)).toBe([...bytes].map((b) => String.fromCharCode(b)).join(''));
  });
});
