/**
 * A wallet's listing entry (layout 2): wallet-backup/listing/epoch-<n>/<walletId>.json, the clear
 * facts an app shows before anything is decrypted: the wallet's name, its password epoch, its
 * word count and times. Nothing secret (R6, E1). One file per wallet, written by the backup of
 * that wallet only, so no two backups ever rewrite one shared file (the manifest of layout 1 did,
 * and lost updates under concurrency). The path carries the wallet id and the epoch; the entry
 * repeats them, and a decode checks they agree, so an entry moved or copied is refused.
 * Decoding is strict, as for every record (E2).
 */
import { RecordError } from './errors.ts';
import { isAccountId, isEpoch, isIsoTime, isWalletId } from './identifiers.ts';
import { isMnemonicWordCount, type MnemonicWordCount } from './mnemonic.ts';
import { decodeUtf8Strict } from '../text/utf8.ts';

export const LISTING_ENTRY_FORMAT = 'wallet-backup-engine/listing-entry';
export const LISTING_ENTRY_VERSION = 1;

export interface ListingEntry {
  accountId: string;
  walletId: string;
  epoch: number;
  name: string;
  words: MnemonicWordCount;
  createdAt: string;
  updatedAt: string;
}

const KEYS = ['format', 'version', 'accountId', 'walletId', 'epoch', 'name', 'words', 'createdAt', 'updatedAt'] as const;

function malformed(problem: string): RecordError {
  return new RecordError(
    'malformed',
    `A wallet's listing entry is invalid: ${problem}. It was damaged or edited by hand; the encrypted record beside it is not affected.`,
  );
}

function check(value: unknown, expected: { accountId: string; walletId: string; epoch: number } | null): ListingEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed('it is not a JSON object');
  const entry = value as Record<string, unknown>;
  if (entry['format'] !== LISTING_ENTRY_FORMAT) throw malformed(`its format is not ${LISTING_ENTRY_FORMAT}`);
  if (entry['version'] !== LISTING_ENTRY_VERSION) {
    if (typeof entry['version'] === 'number' && Number.isSafeInteger(entry['version'])) {
      throw new RecordError('unsupported-version', `A wallet's listing entry is version ${entry['version']}; this software reads version ${LISTING_ENTRY_VERSION}. Update the app, then try again.`);
    }
    throw malformed('its version is not a number');
  }
  const unknown = Object.keys(entry).filter((key) => !(KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) throw malformed(`it has unknown fields ${unknown.map((key) => JSON.stringify(key)).join(', ')}`);
  const { accountId, walletId, epoch, name, words, createdAt, updatedAt } = entry;
  if (!isAccountId(accountId)) throw malformed('its accountId is invalid');
  if (!isWalletId(walletId)) throw malformed('its walletId is invalid');
  if (!isEpoch(epoch)) throw malformed('its epoch is not an integer of at least 1');
  if (typeof name !== 'string' || name.length > 1024) throw malformed('its name is not a string of at most 1024 characters');
  if (!isMnemonicWordCount(words)) throw malformed('its word count is not a BIP39 length');
  if (!isIsoTime(createdAt) || !isIsoTime(updatedAt)) throw malformed('its times are not ISO times');
  if (expected !== null) {
    if (accountId !== expected.accountId) {
      throw new RecordError('metadata-mismatch', "A wallet's listing entry belongs to another cloud account: it was copied between accounts.");
    }
    if (walletId !== expected.walletId || epoch !== expected.epoch) {
      throw new RecordError('metadata-mismatch', "A wallet's listing entry names another wallet or epoch than its path: it was moved or copied.");
    }
  }
  return { accountId, walletId, epoch, name, words, createdAt, updatedAt };
}

/** Pretty JSON with a trailing newline; refuses an entry decode would refuse. */
export function encodeListingEntry(entry: ListingEntry): Uint8Array {
  const valid = check({ format: LISTING_ENTRY_FORMAT, version: LISTING_ENTRY_VERSION, ...entry }, null);
  return new TextEncoder().encode(`${JSON.stringify({ format: LISTING_ENTRY_FORMAT, version: LISTING_ENTRY_VERSION, ...valid }, null, 2)}\n`);
}

/** Decodes the entry found at the path of (accountId, walletId, epoch); anything else is refused. */
export function decodeListingEntry(bytes: Uint8Array, expected: { accountId: string; walletId: string; epoch: number }): ListingEntry {
  const text = decodeUtf8Strict(bytes);
  if (text === null) throw malformed('it is not UTF-8 JSON');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) throw malformed('it is not UTF-8 JSON');
    throw error;
  }
  return check(parsed, expected);
}
