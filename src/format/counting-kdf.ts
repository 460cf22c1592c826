/**
 * countingKdf: a ScryptKdf wrapper that counts its runs, so tests can prove that a backup or a
 * restore runs the password KDF exactly once (E1) and the engine can assert it in debug builds.
 */
import type { ScryptKdf } from '../ports/kdf.ts';

export interface CountingKdf extends ScryptKdf {
  /** How many times derive() was called. */
  readonly runs: number;
}

export function countingKdf(inner: ScryptKdf): CountingKdf {
  let runs = 0;
  return {
    name: `counting(${inner.name})`,
    get runs() {
      return runs;
    },
    derive(password, salt, logN) {
      runs += 1;
      return inner.derive(password, salt, logN);
    },
  };
}
