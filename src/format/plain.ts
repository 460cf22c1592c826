/**
 * The parts of the record format whose declarations name no age-encryption type: errors,
 * passwords, BIP39 phrases, identifiers, the cloud layout, wallet ids and listing entries. The
 * package's core entry exports these (src/index.ts); the age files are in ./age-records.ts.
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
export { WALLET_ID_DOMAIN, deriveWalletId } from './wallet-id.ts';
export {
  LISTING_ENTRY_FORMAT,
  LISTING_ENTRY_VERSION,
  encodeListingEntry,
  decodeListingEntry,
  type ListingEntry,
} from './listing-entry.ts';
