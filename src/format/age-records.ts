/**
 * The age files of the record format (age-encryption.org/v1): whole-file encryption, the scrypt
 * stanza, keyrings, wallet records and layout-1 manifests. Their declarations name
 * age-encryption's types, so the package exports them from its ./records entry (src/records.ts).
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
} from './scrypt-stanza.ts';
export { countingKdf, type CountingKdf } from './counting-kdf.ts';
export { encryptAgeFile, decryptAgeFile, looksLikeWholeAgeFile, type DecryptAgeFileOptions } from './age-file.ts';
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
