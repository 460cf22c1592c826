/**
 * Outside text made safe to show: wallet names from a cloud manifest, account ids, the event
 * log's rows, CLI flags, device.json. Browser-safe (no Node import), so a page can use it too.
 *
 * A terminal obeys what it prints: ESC starts a sequence that can clear the screen, move the
 * cursor, set the window title or (on some terminals) write to the clipboard; a bare CR or a
 * line break forges a line ("Backup OK") that the program never printed; a bidi override or
 * isolate reorders the text after it, so "exe.txt" can read as "txt.exe"; zero-width and other
 * invisible format characters hide text. So these code points are SHOWN ESCAPED, never printed:
 *
 *   - C0 controls U+0000..U+001F, line feed and tab included ("\n", "\t", "\r", else "\x1b"),
 *     DEL U+007F and the C1 controls U+0080..U+009F ("\x7f", "\x9b"): general category Cc;
 *   - every invisible format character, general category Cf ("\u202e"): the bidi embeddings,
 *     overrides and isolates U+202A..U+202E and U+2066..U+2069, the marks U+200E, U+200F and
 *     U+061C, zero-width space U+200B, word joiner U+2060, the BOM U+FEFF, the interlinear
 *     annotation marks U+FFF9..U+FFFB, soft hyphen U+00AD, the tags U+E0001..U+E007F ("\u{e0041}")
 *     and the rest, EXCEPT the zero-width non-joiner and joiner U+200C and U+200D: emoji
 *     sequences (👩‍💻) and scripts such as Persian and the Indic ones need them, and they cannot
 *     move or hide text;
 *   - the line and paragraph separators U+2028 and U+2029 (categories Zl, Zp);
 *   - lone surrogates U+D800..U+DFFF, which no terminal can show ("\ud800").
 *
 * Everything else is kept as it is: letters with accents, CJK, Arabic and Hebrew letters (their
 * own direction is the reader's, not an override), combining marks, emoji with their variation
 * selectors, private-use characters. A backslash is kept too: the escaped form is for people,
 * and a name that spells "\x1b" is as harmless as it looks. Consequence: the three subdivision
 * flags (England, Scotland, Wales), made of tag characters, show their tags escaped.
 *
 * terminalSafe is for one field (a name, an id); terminalSafeLines for text that is several lines
 * by design (a report), where only line feeds stay; jsonTerminalSafe for JSON text, where the
 * same code points become \u escapes that JSON.parse reads back unchanged.
 */

/** The code points shown escaped (see above); the same class with the line feed allowed. */
const UNSAFE = /(?![\u200C\u200D])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const UNSAFE_EXCEPT_LINE_FEED = /(?![\u200C\u200D\n])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
/** The same class, for a test (a /g regex keeps state between test() calls). */
const HAS_UNSAFE = /(?![\u200C\u200D])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

const NAMED = new Map([
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
]);

const hex = (value: number, digits: number) => value.toString(16).padStart(digits, '0');

/** One unsafe code point as JavaScript writes it in a string: \n, \x1b, \u202e, \u{e0001}. */
function escapeCodePoint(char: string): string {
  const named = NAMED.get(char);
  if (named !== undefined) return named;
  const codePoint = char.codePointAt(0)!;
  if (codePoint <= 0xff) return `\\x${hex(codePoint, 2)}`;
  if (codePoint <= 0xffff) return `\\u${hex(codePoint, 4)}`;
  return `\\u{${hex(codePoint, 1)}}`;
}

/** One unsafe code point as JSON writes it: \u escapes of its UTF-16 code units. */
function escapeForJson(char: string): string {
  let escaped = '';
  for (let i = 0; i < char.length; i++) escaped += `\\u${hex(char.charCodeAt(i), 4)}`;
  return escaped;
}

/** True when terminalSafe would show `text` as it is: no control, format character, separator or lone surrogate. */
export function isTerminalSafe(text: string): boolean {
  return !HAS_UNSAFE.test(text);
}

/** One field of outside text for a terminal: every unsafe code point escaped, line breaks too. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escapeCodePoint);
}

/** Text made of lines (a report, a message): as terminalSafe, but line feeds stay line breaks. */
export function terminalSafeLines(text: string): string {
  return text.replace(UNSAFE_EXCEPT_LINE_FEED, escapeCodePoint);
}

/**
 * JSON text (JSON.stringify's output, indented or not) with the unsafe code points that
 * JSON.stringify leaves raw (DEL, C1, format characters, the separators) written as \u escapes.
 * Unsafe code points can only stand inside its strings, and line feeds only between its tokens,
 * so JSON.parse of the result gives exactly the value that was stringified.
 */
export function jsonTerminalSafe(json: string): string {
  return json.replace(UNSAFE_EXCEPT_LINE_FEED, escapeForJson);
}

/**
 * A template tag for one line of a report: each interpolated value is a field, escaped with
 * terminalSafe (so a name holding "\nBackup OK" cannot forge a line); the literal parts are the
 * program's own text and stay as written.
 */
export function safe(strings: TemplateStringsArray, ...values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += terminalSafe(String(value)) + (strings[index + 1] ?? '');
  });
  return text;
}
