/**
 * The event log (E4, E5, R6): row hashing and chain verification, redaction of payloads and the
 * secret check run on every row, and replay of a recorded flow through its pure machine.
 * Browser-safe: the SQLite store lives in adapters/store.
 */
export * from './chain.ts';
export {
  INIT_EVENT_TYPE,
  encodeStateValue,
  replayFlow,
  type ReplayProblem,
  type ReplayResult,
} from './replay.ts';
export { checkLog, type FlowReplayFailure, type LogCheck } from './check-log.ts';
