/**
 * The scrypt port. age's scrypt stanza (age-encryption.org/v1) derives its wrapping key with
 * scrypt(password, salt, N = 2^logN, r = 8, p = 1, dkLen = 32). Node implements it on
 * node:crypto (fast, native); browsers and React Native use @noble/hashes.
 */
export interface ScryptKdf {
  readonly name: string;
  derive(password: Uint8Array, salt: Uint8Array, logN: number): Promise<Uint8Array>;
}

/** Production work factor (E1: 2^17 or more). Tests may pass a lower one explicitly. */
export const PRODUCTION_SCRYPT_LOG_N = 17;
