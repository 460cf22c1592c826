/**
 * Encrypting and decrypting whole age v1 files (age-encryption.org/v1) with typage, with every
 * failure of the file mapped to a RecordError (E2, E6); a fault of the platform (a missing global,
 * src/platform/requirements.ts) is an EnvironmentError, never a damaged file.
 *
 * typage reports failures as plain Errors whose messages are not an API, so the mapping does not
 * read them. It watches where decryption got to instead, with two no-op identities around the
 * real one: the first is called only once the header parsed (before it: malformed), the last
 * only when the real identity found no stanza it could open (tampered, or made for another key).
 * Anything failing after the real identity returned the file key is the header MAC or the
 * payload failing authentication (tampered). Errors our own identities throw pass unchanged.
 */
import { concatBytes } from '@noble/hashes/utils.js';
import { Decrypter, Encrypter, type Identity, type Recipient, type Stanza } from 'age-encryption';
import { environmentFault } from '../platform/requirements.ts';
import { decodeLatin1 } from '../text/utf8.ts';
import { RecordError } from './errors.ts';
import { X25519StanzaIdentity, X25519StanzaRecipient } from './x25519-stanza.ts';

/**
 * age1... and AGE-SECRET-KEY-1... strings go to our X25519 stanza (pure JS, x25519-stanza.ts),
 * not to typage's, which needs WebCrypto or a ReferenceError to fall back from it.
 */
const asRecipient = (recipient: Recipient | string): Recipient | string =>
  typeof recipient === 'string' && recipient.startsWith('age1') && !recipient.startsWith('age1pq1') && !recipient.startsWith('age1tag')
    ? new X25519StanzaRecipient(recipient)
    : recipient;
const asIdentity = (identity: Identity | string): Identity | string =>
  typeof identity === 'string' && identity.startsWith('AGE-SECRET-KEY-1') ? new X25519StanzaIdentity(identity) : identity;

/**
 * The file is handed to typage as a stream and its output read here, not passed as bytes:
 * for bytes typage collects its output with `new Response(stream).arrayBuffer()`, and React
 * Native's Response (whatwg-fetch) does not read a ReadableStream body.
 */
function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return concatBytes(...chunks);
}

export async function encryptAgeFile(plaintext: Uint8Array, recipient: Recipient | string): Promise<Uint8Array> {
  const encrypter = new Encrypter();
  encrypter.addRecipient(asRecipient(recipient));
  try {
    return await readAll(await encrypter.encrypt(streamOf(plaintext)));
  } catch (error) {
    throw environmentFault(error) ?? error;
  }
}

export interface DecryptAgeFileOptions {
  /** What the file is, for messages: "keyring record", "wallet record". */
  what: string;
  /** The identity that should open it: our scrypt identity, or an X25519 identity string. */
  identity: Identity | string;
  /**
   * Checks the parsed stanzas before the identity sees them; throws RecordError('malformed') for
   * a header this kind of record never has, so the identity is only given shapes it accepts.
   */
  checkStanzas?: (stanzas: Stanza[]) => void;
}

export async function decryptAgeFile(bytes: Uint8Array, options: DecryptAgeFileOptions): Promise<Uint8Array> {
  const { what, identity, checkStanzas } = options;
  let headerParsed = false;
  let noStanzaOpened = false;
  const decrypter = new Decrypter();
  decrypter.addIdentity({
    unwrapFileKey(stanzas) {
      headerParsed = true;
      checkStanzas?.(stanzas);
      return null;
    },
  });
  decrypter.addIdentity(asIdentity(identity));
  decrypter.addIdentity({
    unwrapFileKey() {
      noStanzaOpened = true;
      return null;
    },
  });
  try {
    return await readAll(await decrypter.decrypt(streamOf(bytes)));
  } catch (cause) {
    if (cause instanceof RecordError) throw cause;
    // A missing global (or one removed since the engine checked) is the platform's fault, not the file's.
    const fault = environmentFault(cause);
    if (fault !== null) throw fault;
    if (!headerParsed) {
      throw new RecordError(
        'malformed',
        `The ${what} is not a valid age file: its header could not be read. ` +
          'It is damaged or is not a backup record; restore it from another copy if you have one.',
        { cause },
      );
    }
    if (noStanzaOpened) {
      throw new RecordError(
        'tampered',
        `The ${what} cannot be opened with this backup key: it was altered, or it belongs to another ` +
          'account or password epoch. Check that you are signed in to the account that made the backup.',
        { cause },
      );
    }
    throw new RecordError(
      'tampered',
      `The ${what} failed authentication: it was altered or truncated after it was written. ` +
        'It cannot be trusted; restore it from another copy if you have one.',
      { cause },
    );
  }
}

/**
 * Whether bytes are a whole age v1 file as far as its framing shows: the version line, a header
 * closed by its MAC line (`--- ` and 43 base64 characters), then a payload of at least a nonce
 * (16 bytes) and one authenticated chunk (16-byte tag). A file cut short (a torn upload) is not;
 * nothing is decrypted and no key is needed (age-encryption.org/v1, "Header" and "Payload").
 */
export function looksLikeWholeAgeFile(bytes: Uint8Array): boolean {
  const text = decodeLatin1(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)));
  if (!text.startsWith('age-encryption.org/v1\n')) return false;
  const mac = /\n--- [A-Za-z0-9+/]{43}\n/.exec(text);
  if (mac === null) return false;
  const payloadStart = mac.index + mac[0].length;
  return bytes.length - payloadStart >= 32;
}
