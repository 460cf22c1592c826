/**
 * R16 as issue 11 extends it: every BIP39 length (12, 15, 18, 21, 24 words, English list).
 * Vectors: entropy 0x7f repeated, whose 12-, 18- and 24-word phrases are in the official BIP39
 * English vectors (trezor/python-mnemonic vectors.json); the 15- and 21-word ones are what
 * @scure/bip39 derives from the same entropy, checked here to round-trip.
 */
import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { describe, expect, it } from 'vitest';
import { checkMnemonic, MNEMONIC_WORD_COUNTS } from '../../src/format/index.ts';

const VECTORS: Array<[words: number, entropyBytes: number, phrase: string]> = [
  [12, 16, 'legal winner thank year wave sausage worth useful legal winner thank yellow'],
  [15, 20, 'legal winner thank year wave sausage worth useful legal winner thank year wave sausage wise'],
  [18, 24, 'legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal will'],
  [21, 28, 'legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year viable'],
  [24, 32, 'legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title'],
];

describe('R16: every BIP39 length', () => {
  it('accepts exactly the five BIP39 lengths', () => {
    expect(MNEMONIC_WORD_COUNTS).toEqual([12, 15, 18, 21, 24]);
  });

  it.each(VECTORS)('%i words: the vector is accepted with its word count, and is the phrase of its entropy', (words, bytes, phrase) => {
    expect(checkMnemonic(phrase)).toEqual({ ok: true, words, normalized: phrase });
    const entropy = new Uint8Array(bytes).fill(0x7f);
    expect(entropyToMnemonic(entropy, wordlist)).toBe(phrase);
    expect(mnemonicToEntropy(phrase, wordlist)).toEqual(entropy);
  });

  it.each(VECTORS)('%i words: a swapped last word fails the checksum', (_words, _bytes, phrase) => {
    const words = phrase.split(' ');
    const last = words.at(-1) === 'zoo' ? 'abandon' : 'zoo';
    expect(checkMnemonic([...words.slice(0, -1), last].join(' '))).toMatchObject({ ok: false, reason: 'bad-checksum' });
  });

  it.each([11, 13, 14, 16, 17, 20, 23, 25])('%i words is refused as a wrong length naming the five lengths', (count) => {
    const phrase = Array.from({ length: count }, () => 'abandon').join(' ');
    const result = checkMnemonic(phrase);
    expect(result).toMatchObject({ ok: false, reason: 'wrong-length' });
    expect(result.ok ? '' : result.detail).toContain('12, 15, 18, 21 or 24');
  });
});
