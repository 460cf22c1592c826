/**
 * The manifest (E2): wallet-backup/manifest.json, the clear index of an account's backups.
 *
 * It lists the password epochs and the wallets (id, name, epoch, word count, times) so the app
 * can show what is backed up and find the right keyring without decrypting anything. It holds
 * nothing secret: no password, no key, no recipient, no mnemonic (R6, E1). Decoding is strict:
 * unknown fields or versions are refused, never guessed at.
 */
import { RecordError } from './errors.ts';
import { isAccountId, isEpoch, isIsoTime, isWalletId } from './identifiers.ts';
import { isMnemonicWordCount, type MnemonicWordCount } from './mnemonic.ts';
import { decodeUtf8Strict } from '../text/utf8.ts';

export const MANIFEST_FORMAT = 'wallet-backup-engine/manifest';
export const MANIFEST_VERSION = 1;

export interface ManifestEpoch {
  epoch: number;
  createdAt: string;
}

export interface ManifestWallet {
  walletId: string;
  name: string;
  epoch: number;
  words: MnemonicWordCount;
  createdAt: string;
  updatedAt: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  accountId: string;
  epochs: ManifestEpoch[];
  wallets: ManifestWallet[];
}

export function emptyManifest(accountId: string): Manifest {
  return { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, accountId, epochs: [], wallets: [] };
}

/** Adds a wallet, or replaces the entry with the same walletId. */
export function withWallet(manifest: Manifest, entry: ManifestWallet): Manifest {
  const index = manifest.wallets.findIndex((wallet) => wallet.walletId === entry.walletId);
  const wallets = [...manifest.wallets];
  if (index === -1) wallets.push({ ...entry });
  else wallets[index] = { ...entry };
  return { ...manifest, wallets };
}

/** Adds an epoch (kept sorted); an epoch already listed keeps its original createdAt. */
export function withEpoch(manifest: Manifest, epoch: number, createdAt: string): Manifest {
  if (manifest.epochs.some((entry) => entry.epoch === epoch)) return manifest;
  const epochs = [...manifest.epochs, { epoch, createdAt }].sort((a, b) => a.epoch - b.epoch);
  return { ...manifest, epochs };
}

/** The newest password epoch, or null when the account has none yet (no backup password bound, R4). */
export function latestEpoch(manifest: Manifest): number | null {
  return manifest.epochs.reduce<number | null>((latest, { epoch }) => (latest === null || epoch > latest ? epoch : latest), null);
}

function malformed(problem: string): RecordError {
  return new RecordError(
    'malformed',
    `The backup manifest (wallet-backup/manifest.json) is invalid: ${problem}. It was damaged or edited by hand; the encrypted records beside it are not affected.`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assertOnlyKeys(value: Record<string, unknown>, keys: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !keys.includes(key));
  if (unknown.length > 0) throw malformed(`${where} has unknown fields ${unknown.join(', ')}`);
}

function parseEpochs(value: unknown): ManifestEpoch[] {
  if (!Array.isArray(value)) throw malformed('"epochs" is not a list');
  const seen = new Set<number>();
  return value.map((entry, index) => {
    const where = `epochs[${index}]`;
    if (!isPlainObject(entry)) throw malformed(`${where} is not an object`);
    assertOnlyKeys(entry, ['epoch', 'createdAt'], where);
    if (!isEpoch(entry['epoch'])) throw malformed(`${where}.epoch is not an integer of at least 1`);
    if (!isIsoTime(entry['createdAt'])) throw malformed(`${where}.createdAt is not an ISO time`);
    if (seen.has(entry['epoch'])) throw malformed(`epoch ${entry['epoch']} is listed twice`);
    seen.add(entry['epoch']);
    return { epoch: entry['epoch'], createdAt: entry['createdAt'] };
  });
}

function parseWallets(value: unknown, epochs: ManifestEpoch[]): ManifestWallet[] {
  if (!Array.isArray(value)) throw malformed('"wallets" is not a list');
  const knownEpochs = new Set(epochs.map((entry) => entry.epoch));
  const seen = new Set<string>();
  return value.map((entry, index) => {
    const where = `wallets[${index}]`;
    if (!isPlainObject(entry)) throw malformed(`${where} is not an object`);
    assertOnlyKeys(entry, ['walletId', 'name', 'epoch', 'words', 'createdAt', 'updatedAt'], where);
    const { walletId, name, epoch, words, createdAt, updatedAt } = entry;
    if (!isWalletId(walletId)) throw malformed(`${where}.walletId is invalid`);
    if (typeof name !== 'string') throw malformed(`${where}.name is not a string`);
    if (!isEpoch(epoch)) throw malformed(`${where}.epoch is not an integer of at least 1`);
    if (!knownEpochs.has(epoch)) throw malformed(`${where} names epoch ${epoch}, which is not listed in "epochs"`);
    if (!isMnemonicWordCount(words)) throw malformed(`${where}.words is not a BIP39 length (12, 15, 18, 21 or 24)`);
    if (!isIsoTime(createdAt)) throw malformed(`${where}.createdAt is not an ISO time`);
    if (!isIsoTime(updatedAt)) throw malformed(`${where}.updatedAt is not an ISO time`);
    if (seen.has(walletId)) throw malformed(`wallet ${walletId} is listed twice`);
    seen.add(walletId);
    return { walletId, name, epoch, words, createdAt, updatedAt };
  });
}

/** Validates a parsed manifest; the checks decodeManifest and encodeManifest share. */
function parseManifest(value: unknown, expectedAccountId: string | null): Manifest {
  if (!isPlainObject(value)) throw malformed('it is not a JSON object');
  if (value['format'] !== MANIFEST_FORMAT) throw malformed(`its format is not ${MANIFEST_FORMAT}`);
  const version = value['version'];
  if (typeof version !== 'number' || !Number.isSafeInteger(version)) throw malformed('its version is not a number');
  if (version !== MANIFEST_VERSION) {
    throw new RecordError(
      'unsupported-version',
      `The backup manifest is version ${version} of the format; this software reads only version ${MANIFEST_VERSION}. Update the app, then try again.`,
    );
  }
  assertOnlyKeys(value, ['format', 'version', 'accountId', 'epochs', 'wallets'], 'it');
  const accountId = value['accountId'];
  if (!isAccountId(accountId)) throw malformed('its accountId is invalid');
  if (expectedAccountId !== null && accountId !== expectedAccountId) {
    throw new RecordError(
      'metadata-mismatch',
      'The backup manifest belongs to another cloud account than the one signed in: it was copied between accounts. ' +
        'Sign in to the account that made the backups.',
    );
  }
  const epochs = parseEpochs(value['epochs']);
  const wallets = parseWallets(value['wallets'], epochs);
  return { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, accountId, epochs, wallets };
}

/** Pretty JSON with a trailing newline; refuses to encode a manifest that decode would refuse. */
export function encodeManifest(manifest: Manifest): Uint8Array {
  const valid = parseManifest(manifest, null);
  return new TextEncoder().encode(`${JSON.stringify(valid, null, 2)}\n`);
}

export function decodeManifest(bytes: Uint8Array, expectedAccountId: string): Manifest {
  const text = decodeUtf8Strict(bytes);
  if (text === null) throw malformed('it is not JSON');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw malformed('it is not JSON');
  }
  return parseManifest(parsed, expectedAccountId);
}
