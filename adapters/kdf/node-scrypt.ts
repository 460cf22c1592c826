/**
 * ScryptKdf on Node's native scrypt (node:crypto, OpenSSL), for the CLI and Node hosts. Node only.
 *
 * Parameters are age's (age-encryption.org/v1): N = 2^logN, r = 8, p = 1, 32-byte key. Runs on
 * libuv's thread pool, so a 2^17 derivation does not block the event loop.
 */
import { scrypt } from 'node:crypto';
import type { ScryptKdf } from '../../src/ports/kdf.ts';

const R = 8;
const P = 1;
const KEY_LENGTH = 32;
/** scrypt needs about 128 * N * r bytes; 2^20 (the most we accept) needs 1 GiB. */
const MAX_LOG_N = 20;
const DEFAULT_MAXMEM = 32 * 1024 * 1024;

export function createNodeScrypt(): ScryptKdf {
  return {
    name: 'node:crypto scrypt',
    derive(password, salt, logN) {
      if (!Number.isSafeInteger(logN) || logN < 1 || logN > MAX_LOG_N) {
        return Promise.reject(new RangeError(`scrypt logN must be an integer from 1 to ${MAX_LOG_N}, got ${logN}`));
      }
      const N = 2 ** logN;
      // OpenSSL refuses when its buffers (about 128 * N * r plus a little) exceed maxmem, 32 MiB
      // by default, which is below the 128 MiB of 2^17: allow twice what this N needs.
      const maxmem = Math.max(DEFAULT_MAXMEM, 2 * 128 * N * R);
      return new Promise((resolve, reject) => {
        scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem }, (error, key) => {
          if (error) reject(error);
          else resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
        });
      });
    },
  };
}
