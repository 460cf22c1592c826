/**
 * The inputs the scripted world types in: passwords (right, new, wrong with exactly the hints a
 * path names, too short, mismatched), mnemonics (12 and 24 words, and an invalid phrase of each
 * kind), and the accounts. Every one of them is also a needle of the R6 scan.
 */
import type { MnemonicProblem, PasswordHint } from '../../../machines/events.ts';
import { passwordHints } from '../../../src/format/index.ts';

export const ALICE = 'alice@example.com';
export const BOB = 'bob@example.com';
/** An account with no backups, signed in when a path lists none (R11). */
export const CAROL = 'carol@example.com';

/** Bound on the first backup; also the password of every keyring the world prepares. */
export const PASSWORD = 'correct horse 7';
/** Chosen for a new epoch (R8): forgotten password or --new-password. */
export const NEW_PASSWORD = 'staple battery 9';
export const TOO_SHORT = 'Zq9#x';
/** Set by another device that binds the same epoch first (backup v2's KEYRING.TAKEN). */
export const OTHER_DEVICE_PASSWORD = 'other phone 42';
export const MISMATCHED = `${NEW_PASSWORD}!`;

export const MNEMONIC_12 = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
export const MNEMONIC_24 =
  'letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless';
/** Other wallets the world backs up beforehand (a keyring already bound, a second record). */
export const OTHER_12 = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
export const OTHER_24 =
  'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote';

export const INVALID_MNEMONICS: Record<MnemonicProblem, string> = {
  'wrong-length': 'legal winner thank year wave sausage worth useful legal winner thank',
  'unknown-word': 'legal winner thank year wave sausage worth useful legal winner thank zzzzz',
  'bad-checksum': 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon',
};

/** A wrong password whose hints (R10) are exactly `hints`, checked against passwordHints itself. */
export function wrongPasswordWith(hints: readonly PasswordHint[]): string {
  const caps = hints.includes('caps-lock');
  const space = hints.includes('leading-or-trailing-space');
  const lookAlike = hints.includes('look-alike-characters');
  let password = lookAlike ? 'wrong thread 9' : 'wrang thread 9';
  if (caps) password = password.toUpperCase();
  if (space) password = ` ${password}`;
  const got = passwordHints(password);
  if (JSON.stringify(got) !== JSON.stringify(hints)) {
    throw new Error(`harness bug: ${JSON.stringify(password)} gives hints ${JSON.stringify(got)}, not ${JSON.stringify(hints)}`);
  }
  return password;
}

/**
 * A valid phrase of every BIP39 length: the official English vectors for 12, 18 and 24 words
 * (entropy 0x7f repeated, trezor/python-mnemonic vectors.json), and for 15 and 21 words the
 * phrases @scure/bip39 makes from the same entropy (test/format/mnemonic-lengths.test.ts checks them).
 */
export const PHRASE_OF_LENGTH: Record<number, string> = {
  12: MNEMONIC_12,
  15: 'legal winner thank year wave sausage worth useful legal winner thank year wave sausage wise',
  18: 'legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal will',
  21: 'legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year viable',
  24: MNEMONIC_24,
};
