/**
 * Base64 without padding, as age writes stanza arguments and bodies (age-encryption.org/v1:
 * "the standard base64 alphabet, without padding", RFC 4648 section 4).
 *
 * Decoding is strict, like age and typage: no padding, no whitespace, and the unused low bits of
 * the last character must be zero, so every byte string has exactly one accepted encoding.
 * Written here rather than imported because src/format must stay browser-safe and free of
 * transitive dependencies.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const VALUE_OF = new Map<string, number>([...ALPHABET].map((char, index) => [char, index]));

export function encodeBase64NoPad(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let bitCount = 0;
  for (const byte of bytes) {
    bits = (bits << 8) | byte;
    bitCount += 8;
    while (bitCount >= 6) {
      bitCount -= 6;
      out += ALPHABET[(bits >> bitCount) & 63];
    }
    bits &= (1 << bitCount) - 1;
  }
  if (bitCount > 0) out += ALPHABET[(bits << (6 - bitCount)) & 63];
  return out;
}

/** The bytes, or null when `text` is not canonical unpadded base64. */
export function decodeBase64NoPad(text: string): Uint8Array | null {
  // A single trailing character carries only 6 bits: no byte can end there.
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let bitCount = 0;
  let written = 0;
  for (const char of text) {
    const value = VALUE_OF.get(char);
    if (value === undefined) return null;
    bits = (bits << 6) | value;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      out[written++] = (bits >> bitCount) & 0xff;
    }
    bits &= (1 << bitCount) - 1;
  }
  // Leftover bits must be zero, or two encodings would name the same bytes.
  if (bits !== 0) return null;
  return out;
}
