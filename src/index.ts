/**
 * wallet-backup-engine: the core entry (package root), for browsers, React Native and Node.
 *
 * The engine and its flows, the record format, the log's hashing, redaction and checkpoints, the
 * ports an app implements, and the in-memory adapters and pure-JS scrypt. Its declarations need
 * neither the DOM's nor Node's types and name no xstate, RxJS or age-encryption type (their
 * declarations need AbortSignal, setTimeout, ReadableStream): the consumer suite in
 * test/package/ type-checks an app against it with lib ES2022 alone.
 *
 * The other entries: ./machines (the machines, replay and audit of logs, the age file helpers:
 * their types are xstate's and age-encryption's) and ./node (SQLite log, node:crypto scrypt,
 * local-folder clouds: needs the optional peer better-sqlite3).
 */
export * from './engine/index.ts';
export * from './ports/cloud-drive.ts';
export * from './ports/event-store.ts';
export * from './ports/kdf.ts';
export * from './ports/providers.ts';
export type { StateMeta, Outcome } from '../machines/state-meta.ts';
export type { PasswordHint, MnemonicProblem, RecordProblem, PhraseWordCount } from '../machines/events.ts';

// The record format (age-encryption.org/v1 files, BIP39 phrases, the cloud layout).
export { RecordError, isRecordError, WRONG_PASSWORD_MESSAGE, type RecordErrorCode } from './format/errors.ts';
export { encodeBase64NoPad, decodeBase64NoPad } from './format/base64.ts';
export {
  MIN_PASSWORD_LENGTH,
  HINT_TEXT,
  normalizePassword,
  passwordBytes,
  passwordLength,
  checkNewPassword,
  passwordHints,
  type NewPasswordCheck,
} from './format/password.ts';
export { MNEMONIC_WORD_COUNTS, normalizeMnemonic, checkMnemonic, type MnemonicCheck, type MnemonicWordCount } from './format/mnemonic.ts';
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
} from './format/identifiers.ts';
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
} from './format/layout.ts';
export { WALLET_ID_DOMAIN, deriveWalletId } from './format/wallet-id.ts';
export { LISTING_ENTRY_FORMAT, LISTING_ENTRY_VERSION, encodeListingEntry, decodeListingEntry, type ListingEntry } from './format/listing-entry.ts';

// The event log: row hashing and the chain (E4), redaction and the secret check (R6), checkpoints.
export {
  ROW_HASH_FORMAT_VERSION,
  hashRow,
  recordProblem,
  tagsProblem,
  verifyChain,
  type ChainBreak,
  type ChainProblem,
  type ChainVerification,
} from './log/row-hash.ts';
export {
  SecretLeakError,
  assertNoSecrets,
  createRedactor,
  findSecret,
  isSecretField,
  type JsonPrimitive,
  type JsonValue,
  type LoggableEvent,
  type RedactionRules,
  type Redactor,
  type SecretHit,
} from './log/redact.ts';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  CHECKPOINTS_FOLDER,
  checkpointKey,
  checkpointMacValid,
  checkpointPath,
  decodeCheckpoint,
  encodeCheckpoint,
  sealCheckpoint,
  type Checkpoint,
  type CheckpointBody,
  type DecodedCheckpoint,
} from './log/checkpoint.ts';

// Adapters that run anywhere.
export { createMemoryCloud, createMemoryClouds, type MemoryCloud, type MemoryCloudOptions, type FaultControl } from '../adapters/cloud/memory.ts';
export { openMemoryEventStore, type MemoryEventStore } from '../adapters/store/memory-event-store.ts';
export { createNobleScrypt } from '../adapters/kdf/noble-scrypt.ts';

// The platform: the globals the core needs beyond ECMAScript (README, "React Native and browsers").
export { EnvironmentError } from './platform/environment-error.ts';
export { PLATFORM_REQUIREMENTS, missingGlobals, assertPlatform, type PlatformRequirement } from './platform/requirements.ts';
