/**
 * The age scrypt recipient stanza (age-encryption.org/v1, "The scrypt recipient type"), with the
 * scrypt itself behind the ScryptKdf port so Node can use native scrypt and browsers noble's.
 *
 *   -> scrypt <base64 no-pad 16-byte salt> <logN>
 *   <base64 no-pad ChaCha20-Poly1305(key, nonce = 12 zero bytes, file key)>   (32 bytes)
 *
 *   key = scrypt(password, "age-encryption.org/v1/scrypt" || salt, N = 2^logN, r = 8, p = 1, 32)
 *
 * Byte for byte what typage's ScryptRecipient/ScryptIdentity and the age tool write and read, so
 * a keyring opens with `age -d` and the passphrase (E1). The password is the UTF-8 of its NFKC
 * form, never trimmed (password.ts). Unlike typage, a failed unwrap throws a typed
 * wrong-password error instead of returning null: the stanza was ours, so the only thing that
 * can be wrong (short of a forged file) is the password, and the user must be told so (R10).
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { Stanza, type Identity, type Recipient } from 'age-encryption';
import type { ScryptKdf } from '../ports/kdf.ts';
import { decodeBase64NoPad, encodeBase64NoPad } from './base64.ts';
import { RecordError, WRONG_PASSWORD_MESSAGE } from './errors.ts';
import { passwordBytes } from './password.ts';

export const SCRYPT_STANZA_TYPE = 'scrypt';
export const SCRYPT_SALT_LABEL = 'age-encryption.org/v1/scrypt';
export const SCRYPT_SALT_LENGTH = 16;
/** 16-byte file key plus the 16-byte Poly1305 tag. */
export const SCRYPT_STANZA_BODY_LENGTH = 32;
/**
 * The highest work factor we agree to run when opening a file: 2^20 needs 1 GiB. typage refuses
 * above 20 too (the age tool allows 22); a forged header must not make a phone allocate more.
 */
export const MAX_SCRYPT_LOG_N = 20;

/** ChaCha20-Poly1305 with an all-zero nonce is safe here: every wrapping key is used once. */
const ZERO_NONCE = new Uint8Array(12);

function labelledSalt(salt: Uint8Array): Uint8Array {
  const label = new TextEncoder().encode(SCRYPT_SALT_LABEL);
  const out = new Uint8Array(label.length + salt.length);
  out.set(label);
  out.set(salt, label.length);
  return out;
}

export function assertScryptLogN(logN: number): void {
  if (!Number.isSafeInteger(logN) || logN < 1 || logN > MAX_SCRYPT_LOG_N) {
    throw new RangeError(`scrypt work factor logN must be an integer from 1 to ${MAX_SCRYPT_LOG_N}, got ${logN}`);
  }
}

/** Wraps a file key under a password. Runs the KDF once per file. */
export class ScryptStanzaRecipient implements Recipient {
  readonly #password: string;
  readonly #logN: number;
  readonly #kdf: ScryptKdf;

  constructor(password: string, logN: number, kdf: ScryptKdf) {
    assertScryptLogN(logN);
    this.#password = password;
    this.#logN = logN;
    this.#kdf = kdf;
  }

  async wrapFileKey(fileKey: Uint8Array): Promise<Stanza[]> {
    // A fresh random salt per file, as age requires.
    const salt = globalThis.crypto.getRandomValues(new Uint8Array(SCRYPT_SALT_LENGTH));
    const key = await this.#kdf.derive(passwordBytes(this.#password), labelledSalt(salt), this.#logN);
    const body = chacha20poly1305(key, ZERO_NONCE).encrypt(fileKey);
    return [new Stanza([SCRYPT_STANZA_TYPE, encodeBase64NoPad(salt), String(this.#logN)], body)];
  }
}

function malformed(problem: string): RecordError {
  return new RecordError('malformed', `The file's scrypt stanza is invalid: ${problem}. The file is damaged or was not made by an age tool.`);
}

/**
 * Unwraps a file key with a password. Returns null when the header has no scrypt stanza (another
 * identity may match), throws RecordError('malformed') for a scrypt stanza age would refuse, and
 * RecordError('wrong-password') when the password does not open it. Runs the KDF at most once.
 */
export class ScryptStanzaIdentity implements Identity {
  readonly #password: string;
  readonly #kdf: ScryptKdf;

  constructor(password: string, kdf: ScryptKdf) {
    this.#password = password;
    this.#kdf = kdf;
  }

  async unwrapFileKey(stanzas: Stanza[]): Promise<Uint8Array | null> {
    const stanza = stanzas.find((candidate) => candidate.args[0] === SCRYPT_STANZA_TYPE);
    if (stanza === undefined) return null;
    // age: a scrypt stanza must be alone, or a password file could also open with a key.
    if (stanzas.length !== 1) throw malformed('it is not the only stanza in the header');
    if (stanza.args.length !== 3) throw malformed('it must have a salt and a work factor');
    const [, saltText = '', logNText = ''] = stanza.args;
    const salt = decodeBase64NoPad(saltText);
    if (salt === null || salt.length !== SCRYPT_SALT_LENGTH) throw malformed('the salt is not 16 bytes of base64');
    if (!/^[1-9][0-9]*$/.test(logNText)) throw malformed('the work factor is not a decimal number');
    const logN = Number(logNText);
    if (logN > MAX_SCRYPT_LOG_N) {
      throw malformed(`its work factor 2^${logN} is above the 2^${MAX_SCRYPT_LOG_N} this software accepts`);
    }
    if (stanza.body.length !== SCRYPT_STANZA_BODY_LENGTH) throw malformed('its body is not 32 bytes');
    const key = await this.#kdf.derive(passwordBytes(this.#password), labelledSalt(salt), logN);
    try {
      return chacha20poly1305(key, ZERO_NONCE).decrypt(stanza.body);
    } catch (cause) {
      throw new RecordError('wrong-password', WRONG_PASSWORD_MESSAGE, { cause });
    }
  }
}
