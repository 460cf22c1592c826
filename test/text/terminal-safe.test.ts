/**
 * src/text/terminal-safe.ts over every class of code point: controls (C0 with line feed and tab,
 * DEL, C1), bidi embeddings/overrides/isolates/marks, other invisible format characters, the
 * line and paragraph separators, tags and lone surrogates are shown escaped; letters, marks,
 * digits, punctuation, symbols, spaces, emoji sequences, private-use and unassigned code points
 * are kept. Properties: nothing unsafe survives, the escaped text decodes back to the input, the
 * line form differs from the field form only by keeping line feeds, and the JSON form parses
 * back to the same value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonTerminalSafe, safe, terminalSafe, terminalSafeLines } from '../../src/text/terminal-safe.ts';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');

const C0 = range(0x00, 0x1f);
const C1 = range(0x80, 0x9f);
const DEL = 0x7f;
const BIDI = [...range(0x202a, 0x202e), ...range(0x2066, 0x2069), 0x200e, 0x200f, 0x061c];
/** Invisible format characters that hide text: ZWSP, word joiner, invisible operators, BOM, annotation marks, soft hyphen, Mongolian vowel separator. */
const INVISIBLE = [0x200b, ...range(0x2060, 0x2064), 0xfeff, ...range(0xfff9, 0xfffb), 0x180e, ...range(0x206a, 0x206f)];
const SOFT_HYPHEN = 0x00ad;
const SEPARATORS = [0x2028, 0x2029];
const TAGS = [0xe0001, ...range(0xe0020, 0xe007f)];
const SURROGATES = range(0xd800, 0xdfff);

/**
 * The test's own reading of the rule, written with the ranges the header names rather than the
 * implementation's regular expression for the format characters: a code point is unsafe when
 * it is a control, a listed bidi or invisible character, a separator, a tag or a surrogate, or
 * any other format character (Cf) but ZWNJ and ZWJ.
 */
const NAMED_UNSAFE = new Set([...C0, DEL, ...C1, ...BIDI, ...INVISIBLE, SOFT_HYPHEN, ...SEPARATORS, ...TAGS, ...SURROGATES]);
function isUnsafe(codePoint: number): boolean {
  if (NAMED_UNSAFE.has(codePoint)) return true;
  if (codePoint === 0x200c || codePoint === 0x200d) return false;
  return /\p{Cf}/u.test(String.fromCodePoint(codePoint));
}

/** Code points of a string, lone surrogates included (for...of yields them one by one). */
const codePoints = (text: string) => [...text].map((c) => c.codePointAt(0)!);

/** The escapes terminalSafe writes, read back: \n \r \t \xHH \uHHHH \u{H...}. */
function decode(text: string): string {
  return text.replace(/\\(?:([nrt])|x([0-9a-f]{2})|u\{([0-9a-f]+)\}|u([0-9a-f]{4}))/g, (_, named, x, braced, u) => {
    if (named) return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[named]!;
    const value = parseInt(x ?? braced ?? u, 16);
    return value >= 0xd800 && value <= 0xdfff ? String.fromCharCode(value) : String.fromCodePoint(value);
  });
}

/** Any code point, lone surrogates included, with the dangerous ones often. */
const anyUnit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom(...[...NAMED_UNSAFE].map((cp) => (cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp)))),
  fc.constantFrom('é', '中', '👩‍💻', '❤️', 'שלום', 'می‌خواهم', '\u200d', '\u200c'),
);
const anyText = fc.array(anyUnit, { maxLength: 40 }).map((units) => units.join(''));

describe('terminalSafe, per class of code point', () => {
  it('shows every C0 control escaped, line feed, tab and carriage return included', () => {
    for (const cp of C0) {
      const expected = cp === 0x0a ? '\\n' : cp === 0x09 ? '\\t' : cp === 0x0d ? '\\r' : `\\x${hex(cp, 2)}`;
      expect(terminalSafe(`a${String.fromCharCode(cp)}b`)).toBe(`a${expected}b`);
    }
    expect(terminalSafe('\x1b[2J\x1b]0;pwned\x07')).toBe('\\x1b[2J\\x1b]0;pwned\\x07');
  });

  it('shows DEL and every C1 control escaped (\\x9b is a one-byte CSI on some terminals)', () => {
    for (const cp of [DEL, ...C1]) expect(terminalSafe(String.fromCharCode(cp))).toBe(`\\x${hex(cp, 2)}`);
  });

  it('shows bidi embeddings, overrides, isolates and marks escaped, so text cannot be reordered', () => {
    for (const cp of BIDI) expect(terminalSafe(String.fromCharCode(cp))).toBe(`\\u${hex(cp, 4)}`);
    expect(terminalSafe('invoice\u202Efdp.exe')).toBe('invoice\\u202efdp.exe');
  });

  it('shows zero-width and other invisible format characters, the line and paragraph separators and tags escaped', () => {
    for (const cp of [...INVISIBLE, ...SEPARATORS]) expect(terminalSafe(String.fromCharCode(cp))).toBe(`\\u${hex(cp, 4)}`);
    for (const cp of TAGS) expect(terminalSafe(String.fromCodePoint(cp))).toBe(`\\u{${hex(cp, 1)}}`);
    expect(terminalSafe('pass\u00ADword')).toBe('pass\\xadword');
  });

  it('shows lone surrogates escaped and keeps surrogate pairs', () => {
    for (const cp of SURROGATES) expect(terminalSafe(`x${String.fromCharCode(cp)}y`)).toBe(`x\\u${hex(cp, 4)}y`);
    expect(terminalSafe('\ud83d\ude00')).toBe('😀');
    expect(terminalSafe('\ude00\ud83d')).toBe('\\ude00\\ud83d');
  });

  it('keeps accents, CJK, right-to-left letters, combining marks, emoji sequences and private-use characters', () => {
    const ordinary = [
      'Crème brûlée Ærøskøbing',
      'e\u0301 n\u0303',
      '財布 지갑 кошелёк',
      'שלום مرحبا',
      // Persian needs the zero-width non-joiner.
      'می‌خواهم',
      '👩‍💻 👨‍👩‍👧 ❤️ 🇫🇷 👍🏽',
      '\ue000\u{f0000}',
      'tab-free text with spaces and back\\slashes "\\x1b"',
    ];
    for (const text of ordinary) expect(terminalSafe(text)).toBe(text);
  });

  it('escapes exactly the unsafe code points, over all 1,114,112 of them, each to a form that reads back', () => {
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const char = cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
      const shown = terminalSafe(char);
      const ok = isUnsafe(cp) ? shown !== char && /^\\[\x21-\x7e]+$/.test(shown) && decode(shown) === char : shown === char;
      if (!ok) wrong.push(`U+${hex(cp, 4)} -> ${JSON.stringify(shown)}`);
      if (wrong.length > 20) break;
    }
    expect(wrong).toEqual([]);
  });

  it('keeps every letter, mark, number, punctuation, symbol and space character (categories L, M, N, P, S, Zs)', () => {
    const kept = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u;
    const changed: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const char = String.fromCodePoint(cp);
      if (kept.test(char) && terminalSafe(char) !== char) changed.push(`U+${hex(cp, 4)}`);
    }
    expect(changed).toEqual([]);
  });
});

describe('terminalSafe, properties', () => {
  it('leaves no unsafe code point in its output, whatever the input', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(codePoints(terminalSafe(text)).filter(isUnsafe)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('is undone by reading the escapes back, for any input without a backslash', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        fc.pre(!text.includes('\\'));
        expect(decode(terminalSafe(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('changes nothing the second time', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(terminalSafe(terminalSafe(text))).toBe(terminalSafe(text));
      }),
    );
  });
});

describe('terminalSafeLines', () => {
  it('keeps the line feeds and escapes the rest of each line as a field', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(terminalSafeLines(text)).toBe(text.split('\n').map(terminalSafe).join('\n'));
      }),
      { numRuns: 2000 },
    );
    expect(terminalSafeLines('Backed up\n\x1b]0;pwned\x07\r\u202e')).toBe('Backed up\n\\x1b]0;pwned\\x07\\r\\u202e');
  });
});

describe('jsonTerminalSafe', () => {
  it('parses back to the same value, with no unsafe code point left but the line feeds between tokens', () => {
    const value = fc.jsonValue({ stringUnit: fc.oneof(anyUnit, fc.string({ unit: 'binary', maxLength: 3 })), maxDepth: 3 });
    fc.assert(
      fc.property(value, fc.constantFrom(undefined, 2), (json, indent) => {
        const text = jsonTerminalSafe(JSON.stringify(json, null, indent));
        // Compared with a plain round trip, which is what JSON keeps (-0 becomes 0 either way).
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(json)));
        expect(codePoints(text).filter((cp) => cp !== 0x0a && isUnsafe(cp))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes the code points JSON.stringify leaves raw as \\u escapes, astral ones as surrogate pairs', () => {
    expect(jsonTerminalSafe(JSON.stringify('a\u202eb\u0085\x7f\u2028'))).toBe('"a\\u202eb\\u0085\\u007f\\u2028"');
    expect(jsonTerminalSafe(JSON.stringify('\u{e0041}'))).toBe('"\\udb40\\udc41"');
    expect(jsonTerminalSafe(JSON.stringify({ name: 'Crème 👩‍💻' }, null, 2))).toBe('{\n  "name": "Crème 👩‍💻"\n}');
  });
});

describe('safe template tag', () => {
  it('escapes each interpolated value as a field and keeps the literal text as written', () => {
    const name = '\x1b[2J\nBackup OK';
    expect(safe`Restored wallet "${name}" (${7}).\nNext line`).toBe('Restored wallet "\\x1b[2J\\nBackup OK" (7).\nNext line');
  });
});
