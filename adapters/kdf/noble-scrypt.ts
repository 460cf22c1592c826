/**
 * ScryptKdf on @noble/hashes' pure-JS scrypt: portable (browsers, React Native), browser-safe.
 *
 * Parameters are age's (age-encryption.org/v1): N = 2^logN, r = 8, p = 1, 32-byte key.
 * scryptAsync yields to the event loop while it works, so a UI stays responsive.
 */
import { scryptAsync } from '@noble/hashes/scrypt.js';
import type { ScryptKdf } from '../../src/ports/kdf.ts';

const R = 8;
const P = 1;
const KEY_LENGTH = 32;
/** 2^20 (the most we accept) needs 1 GiB. */
const MAX_LOG_N = 20;

export function createNobleScrypt(): ScryptKdf {
  return {
    name: '@noble/hashes scrypt',
    async derive(password, salt, logN) {
      if (!Number.isSafeInteger(logN) || logN < 1 || logN > MAX_LOG_N) {
        throw new RangeError(`scrypt logN must be an integer from 1 to ${MAX_LOG_N}, got ${logN}`);
      }
      const N = 2 ** logN;
      // noble counts 128 * r * (N + p + 1) bytes against maxmem; allow exactly what this N needs.
      const maxmem = 128 * R * (N + P + 1);
      return scryptAsync(password, salt, { N, r: R, p: P, dkLen: KEY_LENGTH, maxmem });
    },
  };
}
