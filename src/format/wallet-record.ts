/**
 * The wallet record (E1, E2): one per wallet, at wallets/<walletId>.age, encrypted with age to
 * the X25519 recipient of its account's password epoch (keyring.ts).
 *
 * Its plaintext is pretty-printed JSON, so a person who runs `age -d -i identity.txt` sees the
 * mnemonic plainly, next to the metadata that binds the record to its place:
 *
 *   { "format": "wallet-backup-engine/wallet", "version": 1, "walletId", "accountId", "epoch",
 *     "name", "words", "createdAt", "mnemonic" }
 *
 * Opening needs no KDF (the epoch identity is already in memory, E3) and refuses a record whose
 * metadata names another wallet, account or epoch: a record moved or copied in the cloud does
 * not restore as some other wallet.
 */
import type { Stanza } from 'age-encryption';
import { decodeBase64NoPad } from './base64.ts';
import { decryptAgeFile, encryptAgeFile } from './age-file.ts';
import { RecordError } from './errors.ts';
import { assertIsoTime, assertWalletId, isAccountId, isEpoch, isIsoTime, isWalletId } from './identifiers.ts';
import type { EpochIdentity } from './keyring.ts';
import { checkMnemonic, isMnemonicWordCount, type MnemonicWordCount } from './mnemonic.ts';
import { decodeUtf8Strict } from '../text/utf8.ts';

export const WALLET_FORMAT = 'wallet-backup-engine/wallet';
export const WALLET_VERSION = 1;

export interface SealWalletInput {
  walletId: string;
  accountId: string;
  epoch: number;
  /** The wallet's display name; also in clear in the manifest, so nothing secret. */
  name: string;
  mnemonic: string;
  createdAt: string;
}

export interface WalletPayload {
  walletId: string;
  accountId: string;
  epoch: number;
  name: string;
  words: MnemonicWordCount;
  createdAt: string;
  /** Normalised (mnemonic.ts). */
  mnemonic: string;
}

export interface WalletRecordPlace {
  walletId: string;
  accountId: string;
  epoch: number;
}

function invalidMnemonic(detail: string): RecordError {
  return new RecordError('invalid-mnemonic', `The recovery phrase is not valid: ${detail}`);
}

function epochMismatch(): RecordError {
  return new RecordError(
    'metadata-mismatch',
    'The wallet is being sealed with the key of another account or epoch than it names; this is a bug in the caller.',
  );
}

/** Encrypts a wallet to its epoch's recipient. Refuses an invalid mnemonic before anything (R16). */
export async function sealWallet(input: SealWalletInput, epochIdentity: EpochIdentity): Promise<Uint8Array> {
  const check = checkMnemonic(input.mnemonic);
  if (!check.ok) throw invalidMnemonic(check.detail);
  assertWalletId(input.walletId);
  assertIsoTime(input.createdAt);
  if (typeof input.name !== 'string') throw new RangeError('wallet name must be a string');
  if (input.accountId !== epochIdentity.accountId || input.epoch !== epochIdentity.epoch) throw epochMismatch();
  // Key order is the order a person reading the decrypted file sees.
  const payload = {
    format: WALLET_FORMAT,
    version: WALLET_VERSION,
    walletId: input.walletId,
    accountId: input.accountId,
    epoch: input.epoch,
    name: input.name,
    words: check.words,
    createdAt: input.createdAt,
    mnemonic: check.normalized,
  };
  const plaintext = new TextEncoder().encode(`${JSON.stringify(payload, null, 2)}\n`);
  return encryptAgeFile(plaintext, epochIdentity.recipient);
}

function malformed(problem: string): RecordError {
  return new RecordError(
    'malformed',
    `The wallet record opened but its content is invalid: ${problem}. It was not written by this software or is damaged.`,
  );
}

/**
 * Our wallet records carry X25519 stanzas. Checking their shape here (as typage's X25519 identity
 * would) keeps a malformed stanza from being reported as tampering. Other stanza types are let
 * through, as age itself does.
 */
function checkWalletStanzas(stanzas: Stanza[]): void {
  const x25519 = stanzas.filter((stanza) => stanza.args[0] === 'X25519');
  const wellFormed = (stanza: Stanza) =>
    stanza.args.length === 2 && decodeBase64NoPad(stanza.args[1] ?? '')?.length === 32 && stanza.body.length === 32;
  if (x25519.length === 0 || !x25519.every(wellFormed)) {
    throw new RecordError(
      'malformed',
      'The wallet record is an age file but has no valid X25519 recipient stanza: it was not written by this software.',
    );
  }
}

const PAYLOAD_KEYS = ['format', 'version', 'walletId', 'accountId', 'epoch', 'name', 'words', 'createdAt', 'mnemonic'];

function parsePayload(plaintext: Uint8Array): Record<string, unknown> {
  const text = decodeUtf8Strict(plaintext);
  if (text === null) throw malformed('it is not JSON');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw malformed('it is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed('it is not a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * Opens a wallet record with its epoch's identity (no KDF). Throws RecordError: tampered,
 * malformed, unsupported-version, metadata-mismatch (moved between wallets, accounts or epochs),
 * invalid-mnemonic.
 */
export async function openWallet(
  bytes: Uint8Array,
  epochIdentity: EpochIdentity,
  expected: WalletRecordPlace,
): Promise<WalletPayload> {
  const plaintext = await decryptAgeFile(bytes, {
    what: 'wallet record',
    identity: epochIdentity.identity,
    checkStanzas: checkWalletStanzas,
  });
  const record = parsePayload(plaintext);

  // The version gate comes first: a later version may change everything below it.
  if (record['format'] !== WALLET_FORMAT) throw malformed(`its format is not ${WALLET_FORMAT}`);
  const version = record['version'];
  if (typeof version !== 'number' || !Number.isSafeInteger(version)) throw malformed('its version is not a number');
  if (version !== WALLET_VERSION) {
    throw new RecordError(
      'unsupported-version',
      `The wallet record is version ${version} of the format; this software reads only version ${WALLET_VERSION}. Update the app, then try again.`,
    );
  }

  const unknownKeys = Object.keys(record).filter((key) => !PAYLOAD_KEYS.includes(key));
  if (unknownKeys.length > 0) throw malformed(`it has unknown fields ${unknownKeys.join(', ')}`);
  const { walletId, accountId, epoch, name, words, createdAt, mnemonic } = record;
  if (!isWalletId(walletId)) throw malformed('its walletId is invalid');
  if (!isAccountId(accountId)) throw malformed('its accountId is invalid');
  if (!isEpoch(epoch)) throw malformed('its epoch is invalid');
  if (typeof name !== 'string') throw malformed('its name is not a string');
  if (!isMnemonicWordCount(words)) throw malformed('its word count is not a BIP39 length (12, 15, 18, 21 or 24)');
  if (!isIsoTime(createdAt)) throw malformed('its createdAt is not an ISO time');
  if (typeof mnemonic !== 'string') throw malformed('its mnemonic is not a string');

  if (walletId !== expected.walletId) {
    throw new RecordError(
      'metadata-mismatch',
      'The wallet record belongs to another wallet than the one it is stored as: it was moved or copied. It was not restored.',
    );
  }
  if (accountId !== expected.accountId || epoch !== expected.epoch) {
    throw new RecordError(
      'metadata-mismatch',
      'The wallet record belongs to another cloud account or password epoch than the one it was found under: it was moved or copied. It was not restored.',
    );
  }

  const check = checkMnemonic(mnemonic);
  if (!check.ok) throw invalidMnemonic(check.detail);
  if (check.words !== words) throw malformed(`it says ${words} words but its phrase has ${check.words}`);
  return { walletId, accountId, epoch, name, words, createdAt, mnemonic: check.normalized };
}
