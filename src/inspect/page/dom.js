/**
 * Small DOM and formatting helpers shared by the inspector page's views. Text is always set
 * with textContent (never parsed as HTML), so nothing from the log can inject markup; and it is
 * shown with `shown`, so a bidi override or an invisible character in a wallet name, an account
 * or a live app's state cannot reorder or hide what the page shows.
 */

/**
 * The page's copy of src/text/terminal-safe.ts (the page is served as it is, and cannot import
 * TypeScript): controls, format characters but ZWNJ and ZWJ, the line and paragraph separators
 * and lone surrogates are shown escaped ("\n", "\x1b", "\u202e", "\u{e0001}"). The test
 * test/inspect/page-text.test.ts holds shown and shownLines equal to terminalSafe and
 * terminalSafeLines on every code point.
 */
const UNSAFE = /(?![\u200C\u200D])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const UNSAFE_EXCEPT_LINE_FEED = /(?![\u200C\u200D\n])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const NAMED = new Map([
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
]);

function escapeCodePoint(char) {
  const named = NAMED.get(char);
  if (named !== undefined) return named;
  const codePoint = char.codePointAt(0);
  if (codePoint <= 0xff) return `\\x${codePoint.toString(16).padStart(2, '0')}`;
  if (codePoint <= 0xffff) return `\\u${codePoint.toString(16).padStart(4, '0')}`;
  return `\\u{${codePoint.toString(16)}}`;
}

/** One field of outside text as the page shows it. */
export function shown(text) {
  return String(text).replace(UNSAFE, escapeCodePoint);
}

/** Text of several lines (a tooltip) as the page shows it: line feeds stay. */
export function shownLines(text) {
  return String(text).replace(UNSAFE_EXCEPT_LINE_FEED, escapeCodePoint);
}

/**
 * Creates an element with attributes and children (strings become text nodes, shown escaped as
 * fields; a title as lines, so its caller escapes each field it puts in; other attributes, such
 * as an option's value, keep the data as it is).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'title') node.setAttribute(key, shownLines(value));
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(shown(child)));
  }
  return node;
}

export async function getJson(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

/** A state value as a dotted path: "done", "uploading.storageFull". */
export function stateText(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, inner]) => (inner && (typeof inner === 'string' || Object.keys(inner).length > 0) ? `${key}.${stateText(inner)}` : key))
    .join(', ');
}

/** "key=value, ..." of a redacted payload (values as compact JSON). */
export function payloadText(payload) {
  return Object.entries(payload ?? {})
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

/** HH:MM:SS.mmm in UTC, from an ISO-8601 time. */
export function clockText(iso) {
  return typeof iso === 'string' && iso.length >= 23 ? `${iso.slice(11, 23)}Z` : String(iso ?? '');
}

/** Date and minute, for flow lists: "2026-11-25 10:04". */
export function dateText(iso) {
  return typeof iso === 'string' ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '';
}

export function shortId(id) {
  return String(id).slice(0, 8);
}

export const CHAIN_TEXT = {
  ok: { mark: '✓', text: 'hash chained' },
  'hash-mismatch': { mark: '✗', text: 'hash does not recompute: the row was edited' },
  'link-broken': { mark: '✗', text: 'prev_hash names another row: a row before it was removed or inserted' },
};
