/**
 * The event log (E4, E5, R6): row hashing and chain verification, redaction of payloads and the
 * secret check run on every row, and replay of a recorded flow through its pure machine.
 * Browser-safe: the SQLite store lives in adapters/store.
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
  INIT_EVENT_TYPE,
  encodeStateValue,
  replayFlow,
  type ReplayProblem,
  type ReplayResult,
} from './replay.ts';
export { checkLog, type FlowReplayFailure, type LogCheck } from './check-log.ts';
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
