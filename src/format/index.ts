/**
 * The record format of wallet-backup-engine: age v1 files (age-encryption.org/v1), BIP39
 * mnemonics, the cloud layout and the manifest. Browser-safe: no Node-only module anywhere
 * under src/format (the scrypt runs behind the ScryptKdf port).
 */
export { RecordError, isRecordError, WRONG_PASSWORD_MESSAGE, type RecordErrorCode } from './errors.ts';
export { encodeBase64NoPad, decodeBase64NoPad } from './base64.ts';
export {
  MIN_PASSWORD_LENGTH,
  HINT_TEXT,
  normalizePassword,
  passwordBytes,
  passwordLength,
  checkNewPassword,
  passwordHints,
  type NewPasswordCheck,
  type PasswordHint,
} from './password.ts';
export {
  MNEMONIC_WORD_COUNTS,
  normalizeMnemonic,
  checkMnemonic,
  type MnemonicCheck,
  type MnemonicWordCount,
} from './mnemonic.ts';
export {
  SCRYPT_STANZA_TYPE,
  SCRYPT_SALT_LABEL,
  SCRYPT_SALT_LENGTH,
  SCRYPT_STANZA_BODY_LENGTH,
  MAX_SCRYPT_LOG_N,
  assertScryptLogN,
  ScryptStanzaRecipient,
  ScryptStanzaIdentity,
} from './scrypt-stanza.ts';
export { countingKdf, type CountingKdf } from './counting-kdf.ts';
export { encryptAgeFile, decryptAgeFile, looksLikeWholeAgeFile, type DecryptAgeFileOptions } from './age-file.ts';
export {
  WALLET_ID_PATTERN,
  isAccountId,
  isEpoch,
  isWalletId,
  isIsoTime,
  assertAccountId,
  assertEpoch,
  assertWalletId,
  assertIsoTime,
} from './identifiers.ts';
export {
  BACKUP_FOLDER,
  MANIFEST_PATH,
  KEYRINGS_FOLDER,
  WALLETS_FOLDER,
  LISTING_FOLDER,
  keyringPath,
  walletRecordPath,
  listingEntryPath,
  parseRecordPath,
  type RecordPath,
  READ_LIMITS,
} from './layout.ts';
export {
  KEYRING_FORMAT,
  KEYRING_VERSION,
  keyringText,
  createKeyring,
  openKeyring,
  type EpochIdentity,
  type CreateKeyringInput,
  type KeyringRecord,
} from './keyring.ts';
export { WALLET_ID_DOMAIN, deriveWalletId } from './wallet-id.ts';
export {
  LISTING_ENTRY_FORMAT,
  LISTING_ENTRY_VERSION,
  encodeListingEntry,
  decodeListingEntry,
  type ListingEntry,
} from './listing-entry.ts';
export {
  WALLET_FORMAT,
  WALLET_VERSION,
  sealWallet,
  openWallet,
  type SealWalletInput,
  type WalletPayload,
  type WalletRecordPlace,
} from './wallet-record.ts';
export {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  emptyManifest,
  withWallet,
  withEpoch,
  latestEpoch,
  encodeManifest,
  decodeManifest,
  type Manifest,
  type ManifestEpoch,
  type ManifestWallet,
} from './manifest.ts';
