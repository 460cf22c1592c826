/**
 * Unpadded base64 as age writes it (age-encryption.org/v1), strict on decode.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64NoPad, encodeBase64NoPad } from '../../src/format/index.ts';

describe('base64 without padding', () => {
  it('E1: encodes like standard base64 with the padding removed, and decodes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = encodeBase64NoPad(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64').replace(/=+$/, ''));
        expect(decodeBase64NoPad(text)).toEqual(bytes);
      }),
    );
  });

  it('E2: refuses padding, other alphabets, impossible lengths and non-zero trailing bits', () => {
    for (const text of ['AA==', 'A', 'AB', 'AAB', '-_', 'AA AA', 'AAAAAAAAAAAAAAAAAAAAAB']) {
      expect(decodeBase64NoPad(text), text).toBeNull();
    }
    expect(decodeBase64NoPad('')).toEqual(new Uint8Array(0));
  });
});
