/**
 * Strict UTF-8 decoding in JavaScript, with no TextDecoder: the text, or null when the bytes are
 * not well-formed UTF-8 (overlong forms, surrogates, code points past U+10FFFF, truncated or
 * stray continuation bytes), exactly where `new TextDecoder('utf-8', { fatal: true })` throws.
 * A leading BOM is dropped, as TextDecoder drops it, unless `ignoreBOM` (then it is kept as U+FEFF).
 *
 * Decode paths use this so "the bytes are not UTF-8" (a record problem) can never be confused
 * with "this platform has no TextDecoder, or one without `fatal`" (Hermes has none; the common
 * React Native polyfill, fast-text-encoding, refuses `fatal`).
 */
export function decodeUtf8Strict(bytes: Uint8Array, options: { ignoreBOM?: boolean } = {}): string | null {
  const parts: string[] = [];
  let units: number[] = [];
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b0 = bytes[i]!;
    let codePoint: number;
    if (b0 < 0x80) {
      codePoint = b0;
      i += 1;
    } else {
      let need: number;
      let min: number;
      if (b0 >= 0xc2 && b0 <= 0xdf) {
        need = 1;
        codePoint = b0 & 0x1f;
        min = 0x80;
      } else if (b0 >= 0xe0 && b0 <= 0xef) {
        need = 2;
        codePoint = b0 & 0x0f;
        min = 0x800;
      } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        need = 3;
        codePoint = b0 & 0x07;
        min = 0x10000;
      } else {
        return null;
      }
      for (let k = 1; k <= need; k++) {
        const b = bytes[i + k];
        if (b === undefined || (b & 0xc0) !== 0x80) return null;
        codePoint = (codePoint << 6) | (b & 0x3f);
      }
      if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return null;
      i += need + 1;
    }
    if (codePoint > 0xffff) {
      codePoint -= 0x10000;
      units.push(0xd800 + (codePoint >> 10), 0xdc00 + (codePoint & 0x3ff));
    } else {
      units.push(codePoint);
    }
    if (units.length >= 8192) {
      parts.push(String.fromCharCode(...units));
      units = [];
    }
  }
  parts.push(String.fromCharCode(...units));
  const text = parts.join('');
  return !options.ignoreBOM && text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Bytes as Latin-1 text: each byte one character U+0000..U+00FF (no TextDecoder needed). */
export function decodeLatin1(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += 8192) parts.push(String.fromCharCode(...bytes.subarray(at, at + 8192)));
  return parts.join('');
}

let encoder: TextEncoder | undefined;

/**
 * UTF-8 bytes of text with one TextEncoder made at first use, not when a module loads: a
 * missing TextEncoder is then reported by createBackupEngine's check (EnvironmentError), not
 * as a ReferenceError thrown while the core is being imported.
 */
export function encodeUtf8(text: string): Uint8Array {
  return (encoder ??= new TextEncoder()).encode(text);
}
