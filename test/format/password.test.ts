/**
 * The backup password: NFKC, no trimming, the minimum length and the wrong-password hints.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkNewPassword,
  HINT_TEXT,
  MIN_PASSWORD_LENGTH,
  normalizePassword,
  passwordBytes,
  passwordHints,
  passwordLength,
} from '../../src/format/index.ts';

describe('backup password', () => {
  it('E1: NFKC: full-width "ｐａｓｓｗｏｒｄ１" normalises to "password1"', () => {
    expect(normalizePassword('ｐａｓｓｗｏｒｄ１')).toBe('password1');
    expect(passwordBytes('ｐａｓｓｗｏｒｄ１')).toEqual(new TextEncoder().encode('password1'));
    // A composed and a decomposed "é" are one password.
    expect(normalizePassword('caf\u0065\u0301 123')).toBe(normalizePassword('caf\u00e9 123'));
  });

  it('E1: never trimmed: " secret1" stays " secret1"', () => {
    expect(normalizePassword(' secret1')).toBe(' secret1');
    expect(normalizePassword('secret1 ')).not.toBe(normalizePassword('secret1'));
  });

  it('R3: at least 6 characters, counted in code points after NFKC', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(6);
    expect(checkNewPassword('abcde', 'abcde')).toEqual({ tooShort: true, mismatch: false });
    expect(checkNewPassword('abcdef', 'abcdef')).toEqual({ tooShort: false, mismatch: false });
    // Five emoji are ten UTF-16 units but five characters.
    expect(passwordLength('🔑🔑🔑🔑🔑')).toBe(5);
    expect(checkNewPassword('🔑🔑🔑🔑🔑', '🔑🔑🔑🔑🔑').tooShort).toBe(true);
    // Spaces count, and any Unicode is allowed.
    expect(checkNewPassword('  ab  ', '  ab  ').tooShort).toBe(false);
    expect(checkNewPassword('пароль', 'пароль').tooShort).toBe(false);
  });

  it('R3: the confirmation must match after NFKC, spaces included', () => {
    expect(checkNewPassword('password1', 'ｐａｓｓｗｏｒｄ１').mismatch).toBe(false);
    expect(checkNewPassword('password1', 'password1 ').mismatch).toBe(true);
    expect(checkNewPassword('password1', 'Password1').mismatch).toBe(true);
  });

  it('R10: caps-lock hint for all-upper-case letters or inverted case', () => {
    expect(passwordHints('HUNTER22')).toContain('caps-lock');
    expect(passwordHints('hUNTER22')).toContain('caps-lock');
    expect(passwordHints('hunter22')).not.toContain('caps-lock');
    expect(passwordHints('Hunter22')).not.toContain('caps-lock');
    expect(passwordHints('222222')).not.toContain('caps-lock');
    // One lower-case letter is not inverted case, nor is a mix after the first letter.
    expect(passwordHints('h2222222')).not.toContain('caps-lock');
    expect(passwordHints('hUNTEr22')).not.toContain('caps-lock');
    expect(passwordHints('hU222222')).toContain('caps-lock');
  });

  it('R10: space hint for leading or trailing whitespace of any kind', () => {
    expect(passwordHints(' hunter22')).toContain('leading-or-trailing-space');
    expect(passwordHints('hunter22\u00a0')).toContain('leading-or-trailing-space');
    expect(passwordHints('hunter22\u3000')).toContain('leading-or-trailing-space');
    expect(passwordHints('hunter 22')).not.toContain('leading-or-trailing-space');
  });

  it('R10: look-alike hint for 0/O, l/I/1 and Cyrillic or Greek twins of Latin letters', () => {
    for (const password of ['passw0rd', 'Oscar99', 'lucky77', 'Ivy-7788', 'a|b|c|', 'p\u0430ssw', 'Ρiano']) {
      expect(passwordHints(password), password).toContain('look-alike-characters');
    }
    expect(passwordHints('vwxyz234')).toEqual([]);
    // Twins alone, with no Latin look-alike beside them.
    expect(passwordHints('\u0391bc-2345')).toEqual(['look-alike-characters']); // Greek capital alpha
    expect(passwordHints('\u03bdwxyz234')).toEqual(['look-alike-characters']); // Greek small nu
    expect(passwordHints('\u0455wxyz234')).toEqual(['look-alike-characters']); // Cyrillic small dze
  });

  it('R10: hints come with the guide wording', () => {
    expect(HINT_TEXT['caps-lock']).toBe('Check Caps Lock');
    expect(HINT_TEXT['leading-or-trailing-space']).toBe('Check for spaces before or after');
    expect(HINT_TEXT['look-alike-characters']).toBe('Check similar-looking characters such as 0 vs O and l vs I');
    expect(passwordHints(' PASSW0RD')).toEqual(['caps-lock', 'leading-or-trailing-space', 'look-alike-characters']);
  });

  it('R10: hints are a function of the entered password alone and never throw', () => {
    // No stored hint: the only input is what the user just typed, so the same entry gives the same
    // hints whatever the real password is.
    expect(passwordHints.length).toBe(1);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (entered) => {
        const hints = passwordHints(entered);
        expect(passwordHints(entered)).toEqual(hints);
        for (const hint of hints) expect(HINT_TEXT[hint]).toBeTypeOf('string');
      }),
    );
  });
});
