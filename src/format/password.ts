/**
 * The backup password: how it is normalised, what a new one must satisfy, and the hints shown
 * after a wrong one.
 *
 * R3: at least 6 characters, any Unicode, spaces allowed. E1: normalised to Unicode NFKC and
 * never trimmed, so the same typed password gives the same key on every keyboard and platform
 * (a full-width "ｐａｓｓｗｏｒｄ１" is "password1"), while a space the user really typed counts.
 * R10: there is no stored hint; the hints below are computed from the password just entered,
 * never from anything stored, so they reveal nothing about the real one.
 */

/** Minimum length in Unicode code points after NFKC (R3). */
export const MIN_PASSWORD_LENGTH = 6;

export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** The password as the bytes the KDF receives: UTF-8 of its NFKC form. */
export function passwordBytes(password: string): Uint8Array {
  return new TextEncoder().encode(normalizePassword(password));
}

/** Length in code points (not UTF-16 units: an emoji is one character to the user). */
export function passwordLength(password: string): number {
  return [...normalizePassword(password)].length;
}

export interface NewPasswordCheck {
  tooShort: boolean;
  mismatch: boolean;
}

/**
 * Checks a new backup password and its confirmation (R3, R4). They are compared after NFKC,
 * because that is what the key is derived from.
 */
export function checkNewPassword(password: string, confirmation: string): NewPasswordCheck {
  return {
    tooShort: passwordLength(password) < MIN_PASSWORD_LENGTH,
    mismatch: normalizePassword(password) !== normalizePassword(confirmation),
  };
}

export type PasswordHint = 'caps-lock' | 'leading-or-trailing-space' | 'look-alike-characters';

/** The guide's wording for each hint (R10). */
export const HINT_TEXT: Record<PasswordHint, string> = {
  'caps-lock': 'Check Caps Lock',
  'leading-or-trailing-space': 'Check for spaces before or after',
  'look-alike-characters': 'Check similar-looking characters such as 0 vs O and l vs I',
};

/**
 * Characters easily mistaken for one another: the guide's 0/O and l/I/1, the bar, and the
 * Cyrillic and Greek letters that look like Latin ones (a phone keyboard may switch script).
 */
const LOOK_ALIKE_CHARACTERS = new Set([
  ...'0Oo1lI|',
  // Cyrillic: А а В Е е К М Н О о Р р С с Т у Х х І і Ј ј Ѕ ѕ
  ...'\u0410\u0430\u0412\u0415\u0435\u041A\u041C\u041D\u041E\u043E\u0420\u0440\u0421\u0441\u0422\u0443\u0425\u0445\u0406\u0456\u0408\u0458\u0405\u0455',
  // Greek: Α Β Ε Ζ Η Ι Κ Μ Ν Ο ο Ρ Τ Υ Χ ν
  ...'\u0391\u0392\u0395\u0396\u0397\u0399\u039A\u039C\u039D\u039F\u03BF\u03A1\u03A4\u03A5\u03A7\u03BD',
]);

function isCased(char: string): boolean {
  return char.toLowerCase() !== char.toUpperCase();
}

function isUpper(char: string): boolean {
  return isCased(char) && char === char.toUpperCase();
}

/**
 * Caps Lock on: every cased letter is upper-case ("PASSWORD1"), or the case looks inverted by
 * Caps Lock plus Shift on the first letter ("pASSWORD1").
 */
function looksLikeCapsLock(password: string): boolean {
  const cased = [...password].filter(isCased);
  if (cased.length === 0) return false;
  if (cased.every(isUpper)) return true;
  const [first, ...rest] = cased;
  return first !== undefined && !isUpper(first) && rest.length > 0 && rest.every(isUpper);
}

/**
 * Hints for a password that failed to open the keyring, computed from the entered password
 * only. An empty list means nothing looks suspicious; the UI then says only that one wrong
 * character is enough.
 */
export function passwordHints(enteredPassword: string): PasswordHint[] {
  const hints: PasswordHint[] = [];
  if (looksLikeCapsLock(enteredPassword)) hints.push('caps-lock');
  // Checked on the raw input: NFKC turns a no-break space into a plain space, both count.
  if (/^\s|\s$/u.test(enteredPassword)) hints.push('leading-or-trailing-space');
  if ([...normalizePassword(enteredPassword)].some((char) => LOOK_ALIKE_CHARACTERS.has(char))) {
    hints.push('look-alike-characters');
  }
  return hints;
}
