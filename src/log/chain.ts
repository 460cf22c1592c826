/**
 * The log's parts that need no machine: row hashing and chain verification (E4), redaction and
 * the secret check on every row (R6), and cloud checkpoints. The package's core entry exports
 * these (src/index.ts); replay through the machines is in ./index.ts and the ./machines entry.
 */
export {
  ROW_HASH_FORMAT_VERSION,
  hashRow,
  recordProblem,
  tagsProblem,
  verifyChain,
  type ChainBreak,
  type ChainProblem,
  type ChainVerification,
} from './row-hash.ts';
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
} from './redact.ts';
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
} from './checkpoint.ts';
