/**
 * age's X25519 recipient stanza (age-encryption.org/v1, "The X25519 recipient type") on
 * @noble/curves, with no WebCrypto:
 *
 *   -> X25519 base64(ephemeral share)
 *   body = ChaCha20-Poly1305(key, nonce 0, file key), key = HKDF-SHA-256(
 *     ikm = X25519(ephemeral, recipient), salt = share || recipient, info = "age-encryption.org/v1/X25519")
 *
 * Why not typage's own X25519Recipient/X25519Identity: they try crypto.subtle first and fall
 * back to @noble/curves only on a ReferenceError or a DOMException. Where `crypto` exists
 * without `subtle` (React Native with react-native-get-random-values) the failure is a
 * TypeError, and Hermes has no DOMException to test it against, so they crash instead of
 * falling back; the switch that would turn WebCrypto off (x25519.js forceWebCryptoOff) is not
 * exported from the package. The pure-JS path is the same one typage falls back to; for a
 * backup it costs a few milliseconds per record. Files stay standard age files: typage and
 * age open them (test/format/x25519-stanza.test.ts).
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32 } from '@scure/base';
import { Stanza, type Identity, type Recipient } from 'age-encryption';
import { decodeBase64NoPad, encodeBase64NoPad } from './base64.ts';

export const X25519_STANZA_TYPE = 'X25519';
const LABEL = new Uint8Array([...'age-encryption.org/v1/X25519'].map((char) => char.charCodeAt(0)));
const ZERO_NONCE = new Uint8Array(12);

/** The 32 bytes a bech32 (BIP 173) age key holds, or null when the text is not one with this prefix. */
function decodeKey(text: string, prefix: 'age' | 'age-secret-key-'): Uint8Array | null {
  const decoded = bech32.decodeUnsafe(text, false);
  if (decoded === undefined || decoded.prefix.toLowerCase() !== prefix) return null;
  const bytes = bech32.fromWordsUnsafe(decoded.words);
  return bytes !== undefined && bytes.length === 32 ? bytes : null;
}

/** The 32-byte scalar of an AGE-SECRET-KEY-1 identity, or null when it is not one. */
export function x25519IdentityScalar(identity: string): Uint8Array | null {
  return identity.startsWith('AGE-SECRET-KEY-1') ? decodeKey(identity, 'age-secret-key-') : null;
}

/** The age1... recipient of an AGE-SECRET-KEY-1 identity, or null when the identity is not valid. */
export function x25519IdentityToRecipient(identity: string): string | null {
  const scalar = x25519IdentityScalar(identity);
  return scalar === null ? null : bech32.encode('age', bech32.toWords(x25519.scalarMultBase(scalar)));
}

function wrappingKey(secret: Uint8Array, share: Uint8Array, recipient: Uint8Array): Uint8Array {
  const salt = new Uint8Array(64);
  salt.set(share);
  salt.set(recipient, 32);
  return hkdf(sha256, secret, salt, LABEL, 32);
}

export class X25519StanzaRecipient implements Recipient {
  readonly #recipient: Uint8Array;

  /** Throws TypeError for a string that is not an age1... X25519 recipient. */
  constructor(recipient: string) {
    const bytes = recipient.startsWith('age1') ? decodeKey(recipient, 'age') : null;
    if (bytes === null) throw new TypeError('not an age X25519 recipient (age1...)');
    this.#recipient = bytes;
  }

  wrapFileKey(fileKey: Uint8Array): Stanza[] {
    const ephemeral = globalThis.crypto.getRandomValues(new Uint8Array(32));
    const share = x25519.scalarMultBase(ephemeral);
    const secret = x25519.scalarMult(ephemeral, this.#recipient);
    const body = chacha20poly1305(wrappingKey(secret, share, this.#recipient), ZERO_NONCE).encrypt(fileKey);
    return [new Stanza([X25519_STANZA_TYPE, encodeBase64NoPad(share)], body)];
  }
}

/**
 * Unwraps a file key from the header's X25519 stanzas, as typage's X25519Identity does: null
 * when none was made for this key. A stanza's shape is checked before this runs (wallet-record.ts).
 */
export class X25519StanzaIdentity implements Identity {
  readonly #scalar: Uint8Array;
  readonly #recipient: Uint8Array;

  /** Throws TypeError for a string that is not an AGE-SECRET-KEY-1 identity. */
  constructor(identity: string) {
    const scalar = x25519IdentityScalar(identity);
    if (scalar === null) throw new TypeError('not an age X25519 identity (AGE-SECRET-KEY-1...)');
    this.#scalar = scalar;
    this.#recipient = x25519.scalarMultBase(scalar);
  }

  unwrapFileKey(stanzas: Stanza[]): Uint8Array | null {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== X25519_STANZA_TYPE) continue;
      const share = stanza.args.length === 2 ? decodeBase64NoPad(stanza.args[1]!) : null;
      if (share === null || share.length !== 32 || stanza.body.length !== 32) throw new TypeError('invalid X25519 stanza');
      const secret = x25519.scalarMult(this.#scalar, share);
      const opened = openBody(stanza.body, wrappingKey(secret, share, this.#recipient));
      if (opened !== null) return opened;
    }
    return null;
  }
}

/** The file key, or null when the body's tag does not verify (a stanza made for another key). */
function openBody(body: Uint8Array, key: Uint8Array): Uint8Array | null {
  try {
    return chacha20poly1305(key, ZERO_NONCE).decrypt(body);
  } catch (error) {
    // @noble/ciphers (chacha.js) reports an authentication failure as Error('invalid tag');
    // with a 32-byte key, 12-byte nonce and 32-byte body nothing else can fail.
    if (error instanceof Error && error.message === 'invalid tag') return null;
    throw error;
  }
}
