/**
 * BIP39 mnemonic checks (R16), on the English wordlist of BIP39
 * (github.com/bitcoin/bips/blob/master/bip-0039.mediawiki) through @scure/bip39.
 *
 * A phrase is normalised the way BIP39 prescribes (NFKD), lower-cased and its whitespace
 * collapsed, then refused unless it has 12, 15, 18, 21 or 24 words, every word is in the list and the
 * checksum holds. Nothing is derived or uploaded from a phrase that fails. Details name word
 * positions, never the words, because they may be logged (R6).
 */
import { mnemonicToEntropy } from '@scure/bip39';
import { wordlist as englishWordlist } from '@scure/bip39/wordlists/english.js';

/** Every length BIP39 defines: 128 to 256 bits of entropy in steps of 32, plus the checksum. */
export const MNEMONIC_WORD_COUNTS = [12, 15, 18, 21, 24] as const;
export type MnemonicWordCount = (typeof MNEMONIC_WORD_COUNTS)[number];

export type MnemonicCheck =
  | { ok: true; words: MnemonicWordCount; normalized: string }
  | { ok: false; reason: 'wrong-length' | 'unknown-word' | 'bad-checksum'; detail: string };

const ENGLISH_WORDS = new Set(englishWordlist);

export function normalizeMnemonic(phrase: string): string {
  return phrase.normalize('NFKD').toLowerCase().trim().split(/\s+/u).filter(Boolean).join(' ');
}

function isAcceptedWordCount(count: number): count is MnemonicWordCount {
  return (MNEMONIC_WORD_COUNTS as readonly number[]).includes(count);
}

export function checkMnemonic(phrase: string): MnemonicCheck {
  const normalized = normalizeMnemonic(phrase);
  const words = normalized === '' ? [] : normalized.split(' ');
  if (!isAcceptedWordCount(words.length)) {
    return {
      ok: false,
      reason: 'wrong-length',
      detail: `The recovery phrase has ${words.length} words; a BIP39 phrase has 12, 15, 18, 21 or 24.`,
    };
  }
  const unknownPositions = words.flatMap((word, index) => (ENGLISH_WORDS.has(word) ? [] : [index + 1]));
  if (unknownPositions.length > 0) {
    const plural = unknownPositions.length > 1;
    return {
      ok: false,
      reason: 'unknown-word',
      detail:
        `Word${plural ? 's' : ''} ${unknownPositions.join(', ')} ${plural ? 'are' : 'is'} not in the ` +
        'BIP39 English word list; check the spelling.',
    };
  }
  try {
    mnemonicToEntropy(normalized, englishWordlist);
  } catch (error) {
    // @scure/bip39 throws a plain Error for a checksum that does not match; anything else is a bug.
    if (!(error instanceof Error)) throw error;
    return {
      ok: false,
      reason: 'bad-checksum',
      detail:
        'Every word is valid but the checksum does not match: a word is wrong or two words are swapped.',
    };
  }
  return { ok: true, words: words.length, normalized };
}

/** Whether a value is a word count a BIP39 phrase this engine accepts can have. */
export function isMnemonicWordCount(value: unknown): value is MnemonicWordCount {
  return typeof value === 'number' && isAcceptedWordCount(value);
}
