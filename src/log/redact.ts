/**
 * Redaction of event payloads before they reach the log (R6, E4), and the last-line check that no
 * secret is in a row's text.
 *
 * `createRedactor(rules)` keeps, per event type, only the allowlisted top-level fields; an event
 * type without a rule keeps nothing. Kept values must be plain JSON (string, finite number,
 * boolean, null, arrays and plain objects of them); anything else (undefined, functions, bigint,
 * NaN, Uint8Array, Date, class instances, cycles) drops the whole field. As defence in depth a hard
 * denylist drops every field, at any depth, whose name reads like a secret (password, mnemonic,
 * seed, key, identity, token, ...), even when a rule allows it. `word`/`words` are dropped unless
 * the value is a number (a word count such as 12 or 24 is fine, the words are not).
 *
 * `assertNoSecrets(text, secrets)` throws a SecretLeakError if any secret occurs in the text in
 * any Unicode normalisation form, JSON-escaped (including \uXXXX escapes, once or twice nested),
 * as UTF-8 hex or as base64. The error never carries the secret or the text.
 *
 * Browser-safe: no node imports.
 */
import { encodeBase64NoPad } from '../format/base64.ts';
import { encodeUtf8 } from '../text/utf8.ts';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };

/** Event type → top-level payload fields allowed into the log. */
export type RedactionRules = Readonly<Record<string, readonly string[]>>;

export interface LoggableEvent {
  type: string;
  [field: string]: unknown;
}

/** Returns the event's loggable payload, without `type`. */
export type Redactor = (event: LoggableEvent) => Record<string, JsonValue>;

/** Name tokens that always mark a secret, whatever the value. */
const SECRET_TOKENS: ReadonlySet<string> = new Set([
  'password', 'passwords', 'passwd', 'passphrase', 'pass', 'pw', 'pwd', 'pin',
  'mnemonic', 'mnemonics', 'phrase', 'seed', 'seeds', 'secret', 'secrets',
  'identity', 'identities', 'key', 'keys', 'private', 'priv', 'xprv', 'xpriv', 'entropy',
  'recipient', 'recipients', 'token', 'tokens', 'credential', 'credentials', 'plaintext',
]);
/** Name tokens that mark a secret unless the value is a number (a word count). */
const WORD_TOKENS: ReadonlySet<string> = new Set(['word', 'words']);
/** Substrings that mark a secret even in names written without separators ("backuppassword"). */
const SECRET_SUBSTRINGS: readonly string[] = [
  'password', 'passwd', 'passphrase', 'mnemonic', 'secret', 'privatekey', 'seedphrase', 'identity', 'recipient',
];

function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '');
}

/**
 * True when a field of this name with this value must never reach the log. Names are split into
 * words (camelCase, snake_case, kebab-case); `value` matters only for `word`/`words`.
 */
export function isSecretField(name: string, value?: unknown): boolean {
  const tokens = nameTokens(name);
  if (tokens.some((t) => SECRET_TOKENS.has(t))) return true;
  if (tokens.some((t) => WORD_TOKENS.has(t)) && typeof value !== 'number') return true;
  const flat = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_SUBSTRINGS.some((s) => flat.includes(s));
}

const DROP = Symbol('drop');

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A JSON copy of `value` with secret-named fields removed at every depth, or DROP. */
function cleanValue(value: unknown, seen: Set<object>): JsonValue | typeof DROP {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : DROP;
    case 'object': {
      if (value === null) return null;
      if (seen.has(value)) return DROP;
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          const out: JsonValue[] = [];
          for (let i = 0; i < value.length; i++) {
            if (!Object.hasOwn(value, i)) return DROP; // sparse: JSON would invent nulls
            const item = cleanValue(value[i], seen);
            if (item === DROP) return DROP;
            out.push(item);
          }
          return out;
        }
        if (!isPlainObject(value)) return DROP;
        const entries: [string, JsonValue][] = [];
        for (const [name, inner] of Object.entries(value)) {
          if (isSecretField(name, inner)) continue;
          const cleaned = cleanValue(inner, seen);
          if (cleaned === DROP) return DROP;
          entries.push([name, cleaned]);
        }
        return Object.fromEntries(entries) as { [key: string]: JsonValue };
      } finally {
        seen.delete(value);
      }
    }
    default:
      return DROP; // undefined, function, symbol, bigint
  }
}

/** Builds a redactor from per-event-type allowlists (see the module header). */
export function createRedactor(rules: RedactionRules): Redactor {
  const allowed = new Map<string, ReadonlySet<string>>();
  for (const [eventType, fields] of Object.entries(rules)) {
    allowed.set(eventType, new Set(fields.filter((f) => f !== 'type')));
  }
  return (event) => {
    const fields = allowed.get(event.type);
    if (fields === undefined) return {};
    const entries: [string, JsonValue][] = [];
    for (const name of fields) {
      if (!Object.hasOwn(event, name)) continue;
      const value = event[name];
      if (isSecretField(name, value)) continue;
      const cleaned = cleanValue(value, new Set());
      if (cleaned !== DROP) entries.push([name, cleaned]);
    }
    return Object.fromEntries(entries) as Record<string, JsonValue>;
  };
}

/** Raised when a secret is found in text bound for the log. Carries no secret and no text. */
export class SecretLeakError extends Error {
  override readonly name = 'SecretLeakError';
  constructor(
    /** Index of the secret in the list given to assertNoSecrets. */
    readonly secretIndex: number,
    /** How it was found: 'raw', 'nfkc', 'json-escaped', 'utf8-hex', 'base64', ... */
    readonly form: string,
  ) {
    super(`A secret (#${secretIndex + 1} of the list) was found in text bound for the log (${form} form); the text was not written`);
  }
}

export interface SecretHit {
  secretIndex: number;
  form: string;
}

const NORMAL_FORMS = ['NFC', 'NFD', 'NFKC', 'NFKD'] as const;

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Standard padded base64 (what btoa gives), without btoa: Hermes before React Native 0.74 has none. */
function toBase64(bytes: Uint8Array): string {
  const unpadded = encodeBase64NoPad(bytes);
  return unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
}

/** Decodes JSON string escapes (\uXXXX, \n, \", \\ ...) wherever they appear; over-decoding only adds matches. */
function unescapeJsonish(text: string): string {
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g, (_m, hex: string | undefined, ch: string | undefined) => {
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    return simple[ch ?? ''] ?? '';
  });
}

/** Text views to search: as is, JSON-unescaped once and twice, each in every normalisation form. */
function textViews(text: string): { view: string; form: string }[] {
  const layers: { view: string; form: string }[] = [{ view: text, form: 'raw' }];
  const once = unescapeJsonish(text);
  if (once !== text) layers.push({ view: once, form: 'json-escaped' });
  const twice = unescapeJsonish(once);
  if (twice !== once) layers.push({ view: twice, form: 'json-escaped-twice' });
  const views: { view: string; form: string }[] = [];
  for (const layer of layers) {
    views.push(layer);
    for (const nf of NORMAL_FORMS) {
      const normalized = layer.view.normalize(nf);
      if (normalized !== layer.view) views.push({ view: normalized, form: `${layer.form}+${nf.toLowerCase()}` });
    }
  }
  return views;
}

/** Finds the first secret occurring in `text`, or null. Empty secrets are ignored. */
export function findSecret(text: string, secrets: readonly string[]): SecretHit | null {
  const views = textViews(text);
  const lowerText = text.toLowerCase();
  for (let secretIndex = 0; secretIndex < secrets.length; secretIndex++) {
    const secret = secrets[secretIndex];
    if (typeof secret !== 'string' || secret === '') continue;
    const forms = new Set<string>([secret, ...NORMAL_FORMS.map((nf) => secret.normalize(nf))]);
    for (const form of forms) {
      for (const { view, form: how } of views) {
        if (view.includes(form)) return { secretIndex, form: how };
      }
      const bytes = encodeUtf8(form);
      if (lowerText.includes(toHex(bytes))) return { secretIndex, form: 'utf8-hex' };
      const b64 = toBase64(bytes).replace(/=+$/, '');
      if (text.includes(b64)) return { secretIndex, form: 'base64' };
      const b64url = b64.replace(/\+/g, '-').replace(/\//g, '_');
      if (text.includes(b64url)) return { secretIndex, form: 'base64url' };
    }
  }
  return null;
}

/**
 * Throws a SecretLeakError if any secret occurs in `text` (see the module header for the forms
 * checked). The engine calls it on every row before it is appended.
 */
export function assertNoSecrets(text: string, secrets: readonly string[]): void {
  const hit = findSecret(text, secrets);
  if (hit !== null) throw new SecretLeakError(hit.secretIndex, hit.form);
}
