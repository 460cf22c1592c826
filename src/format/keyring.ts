/**
 * The keyring record (E1): one per account and password epoch, at keyrings/epoch-<n>.age.
 *
 * Its plaintext is a standard age identity file (comment lines, then one AGE-SECRET-KEY-1 line),
 * so `age -d keyring.age > identity.txt` followed by `age -d -i identity.txt wallet.age` recovers
 * a wallet without this software. The comments carry the format name and version (E2) and what
 * account and epoch the key belongs to, which the engine checks on open:
 *
 *   # wallet-backup-engine keyring
 *   # format: wallet-backup-engine/keyring v1
 *   # account: <accountId>
 *   # epoch: <n>
 *   # created: <ISO time>
 *   AGE-SECRET-KEY-1...
 *
 * It is encrypted with age's scrypt stanza under the backup password, and only with it. Opening
 * the keyring is how the password is verified: nothing else about the password is stored (E1).
 * Both createKeyring and openKeyring run the KDF exactly once.
 */
import { generateX25519Identity, type Stanza } from 'age-encryption';
import type { ScryptKdf } from '../ports/kdf.ts';
import { decryptAgeFile, encryptAgeFile } from './age-file.ts';
import { RecordError } from './errors.ts';
import { assertAccountId, assertEpoch, isEpoch, isIsoTime } from './identifiers.ts';
import { MIN_PASSWORD_LENGTH, passwordLength } from './password.ts';
import { assertScryptLogN, SCRYPT_STANZA_TYPE, ScryptStanzaIdentity, ScryptStanzaRecipient } from './scrypt-stanza.ts';
import { decodeUtf8Strict } from '../text/utf8.ts';
import { x25519IdentityToRecipient } from './x25519-stanza.ts';

export const KEYRING_FORMAT = 'wallet-backup-engine/keyring';
export const KEYRING_VERSION = 1;

/** An epoch's key pair, in memory only (R6): what opening a keyring yields. */
export interface EpochIdentity {
  accountId: string;
  epoch: number;
  /** The age X25519 identity, AGE-SECRET-KEY-1... */
  identity: string;
  /** Its recipient, age1...; never stored or sent in the clear (E1). */
  recipient: string;
}

export interface CreateKeyringInput {
  accountId: string;
  epoch: number;
  /** The new backup password, as typed (normalised to NFKC inside, never trimmed). */
  password: string;
  kdf: ScryptKdf;
  /** scrypt work factor: PRODUCTION_SCRYPT_LOG_N (17) in production, lower only in tests. */
  logN: number;
  now: Date;
}

export interface KeyringRecord {
  /** The age file to upload. */
  bytes: Uint8Array;
  identity: EpochIdentity;
}

export function keyringText(accountId: string, epoch: number, createdAt: string, identity: string): string {
  return [
    '# wallet-backup-engine keyring',
    `# format: ${KEYRING_FORMAT} v${KEYRING_VERSION}`,
    `# account: ${accountId}`,
    `# epoch: ${epoch}`,
    `# created: ${createdAt}`,
    identity,
    '',
  ].join('\n');
}

export async function createKeyring(input: CreateKeyringInput): Promise<KeyringRecord> {
  const { accountId, epoch, password, kdf, logN, now } = input;
  assertAccountId(accountId);
  assertEpoch(epoch);
  assertScryptLogN(logN);
  if (passwordLength(password) < MIN_PASSWORD_LENGTH) {
    throw new RangeError(`the backup password must have at least ${MIN_PASSWORD_LENGTH} characters (R3)`);
  }
  const identity = await generateX25519Identity();
  const recipient = x25519IdentityToRecipient(identity);
  if (recipient === null) throw new Error('age-encryption generated an identity that is not an AGE-SECRET-KEY-1 key');
  const plaintext = new TextEncoder().encode(keyringText(accountId, epoch, now.toISOString(), identity));
  const bytes = await encryptAgeFile(plaintext, new ScryptStanzaRecipient(password, logN, kdf));
  return { bytes, identity: { accountId, epoch, identity, recipient } };
}

function malformed(problem: string): RecordError {
  return new RecordError(
    'malformed',
    `The keyring record opened but its content is invalid: ${problem}. It was not written by this software or is damaged.`,
  );
}

/** A keyring is a password file: one scrypt stanza and nothing else. */
function checkKeyringStanzas(stanzas: Stanza[]): void {
  if (stanzas.length !== 1 || stanzas[0]?.args[0] !== SCRYPT_STANZA_TYPE) {
    throw new RecordError(
      'malformed',
      'The keyring record is an age file but not a password-encrypted one: it was not written by this software.',
    );
  }
}

interface KeyringContent {
  accountId: string;
  epoch: number;
  identity: string;
}

function parseKeyringText(text: string, expected: { accountId: string; epoch: number }): KeyringContent {
  const metadata = new Map<string, string>();
  const keyLines: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (!line.startsWith('#')) {
      keyLines.push(line);
      continue;
    }
    const field = /^# ([a-z]+): (.*)$/.exec(line);
    if (field?.[1] === undefined || field[2] === undefined) continue; // a free comment
    if (metadata.has(field[1])) throw malformed(`the "${field[1]}" line appears twice`);
    metadata.set(field[1], field[2]);
  }

  // The version gate comes first: a later version may change everything below it.
  const format = metadata.get('format');
  if (format === undefined) throw malformed('it has no "# format:" line');
  const formatMatch = /^(\S+) v(\d+)$/.exec(format);
  if (formatMatch?.[1] !== KEYRING_FORMAT || formatMatch[2] === undefined) {
    throw malformed(`its format is "${format}", not ${KEYRING_FORMAT}`);
  }
  const version = Number(formatMatch[2]);
  if (version !== KEYRING_VERSION) {
    throw new RecordError(
      'unsupported-version',
      `The keyring record is version ${version} of the format; this software reads only version ${KEYRING_VERSION}. Update the app, then try again.`,
    );
  }

  const accountId = metadata.get('account');
  const epochText = metadata.get('epoch');
  if (accountId === undefined || accountId === '') throw malformed('it has no "# account:" line');
  if (epochText === undefined || !/^[1-9][0-9]*$/.test(epochText) || !isEpoch(Number(epochText))) {
    throw malformed('its "# epoch:" line is missing or not a number');
  }
  if (!isIsoTime(metadata.get('created'))) throw malformed('its "# created:" line is missing or not an ISO time');
  const epoch = Number(epochText);
  if (accountId !== expected.accountId) {
    throw new RecordError(
      'metadata-mismatch',
      'The keyring record belongs to another cloud account than the one signed in: it was moved or copied. ' +
        'Sign in to the account that made the backup.',
    );
  }
  if (epoch !== expected.epoch) {
    throw new RecordError(
      'metadata-mismatch',
      `The keyring record is for password epoch ${epoch}, but it was found in the place of epoch ${expected.epoch}: it was moved or renamed.`,
    );
  }
  if (keyLines.length !== 1 || keyLines[0] === undefined || !keyLines[0].startsWith('AGE-SECRET-KEY-1')) {
    throw malformed('it must hold exactly one AGE-SECRET-KEY-1 line');
  }
  return { accountId, epoch, identity: keyLines[0] };
}

/**
 * Opens a keyring with the backup password: the one password check there is (E1). Runs the KDF
 * exactly once. Throws RecordError: wrong-password, malformed, tampered, unsupported-version,
 * metadata-mismatch (another account's or epoch's keyring).
 */
export async function openKeyring(
  bytes: Uint8Array,
  password: string,
  expected: { accountId: string; epoch: number },
  kdf: ScryptKdf,
): Promise<EpochIdentity> {
  const plaintext = await decryptAgeFile(bytes, {
    what: 'keyring record',
    identity: new ScryptStanzaIdentity(password, kdf),
    checkStanzas: checkKeyringStanzas,
  });
  const text = decodeUtf8Strict(plaintext);
  if (text === null) throw malformed('it is not UTF-8 text');
  const content = parseKeyringText(text, expected);
  const recipient = x25519IdentityToRecipient(content.identity);
  if (recipient === null) throw malformed('its AGE-SECRET-KEY-1 line is not a valid age identity');
  return { accountId: content.accountId, epoch: content.epoch, identity: content.identity, recipient };
}
