/**
 * wallet-backup-engine/records: the record files themselves, for tools that read or write them
 * outside a flow (recovery helpers, format tests): whole age v1 files (age-encryption.org/v1)
 * with the scrypt stanza, keyrings, wallet records and layout-1 manifests. Its types are
 * age-encryption's, whose declarations name ReadableStream and CryptoKey: an app type-checking
 * this entry needs the DOM's types (lib "DOM") or Node's (@types/node).
 */
export {
  SCRYPT_STANZA_TYPE,
  SCRYPT_SALT_LABEL,
  SCRYPT_SALT_LENGTH,
  SCRYPT_STANZA_BODY_LENGTH,
  MAX_SCRYPT_LOG_N,
  assertScryptLogN,
  ScryptStanzaRecipient,
  ScryptStanzaIdentity,
} from './format/scrypt-stanza.ts';
export { countingKdf, type CountingKdf } from './format/counting-kdf.ts';
export { encryptAgeFile, decryptAgeFile, looksLikeWholeAgeFile, type DecryptAgeFileOptions } from './format/age-file.ts';
export {
  KEYRING_FORMAT,
  KEYRING_VERSION,
  keyringText,
  createKeyring,
  openKeyring,
  type EpochIdentity,
  type CreateKeyringInput,
  type KeyringRecord,
} from './format/keyring.ts';
export {
  WALLET_FORMAT,
  WALLET_VERSION,
  sealWallet,
  openWallet,
  type SealWalletInput,
  type WalletPayload,
  type WalletRecordPlace,
} from './format/wallet-record.ts';
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
} from './format/manifest.ts';
