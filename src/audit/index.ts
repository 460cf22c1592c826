/**
 * Audit of an event log (issue 4): one streaming pass that verifies the hash chain (E4), each
 * flow's positions and replay through the machine version that recorded it (E5), the flows table
 * and the cloud checkpoints, and tells each account's history. Browser-safe: rows and checkpoint
 * files come in as data; the SQLite reader and the local-folder checkpoint listing are in adapters/.
 */
export { auditLog, type AuditOptions, type AuditReport, type AuditSource, type RowInput, type UnreadableRow } from './audit-log.ts';
export { AnchorCheck, type Authenticity, type CheckpointEntry, type CheckpointResult } from './anchor-check.ts';
export { readCheckpoints, type AuthenticateOptions, type CheckpointFile } from './checkpoint-auth.ts';
export { ChainTracker, nobleDigest, type ChainRow, type ChainState, type Digest } from './chain-tracker.ts';
export { FindingList, NO_FINDINGS, placeOf, rowName, type Finding, type FindingKind, type Severity } from './findings.ts';
export { FlowTracker, type FlowEntry, type FlowStep, type FlowSummaries, type OpenFlowReport } from './flow-tracker.ts';
export { replayStep, type ReplayStep } from './flow-replayer.ts';
export { createTransitionMemo, type Advanced, type TransitionMemo } from './transition-memo.ts';
export { HistoryBuilder, type AccountHistory, type AuditHistory, type FlowProblem, type FlowRecord, type ProblemCause, type WalletHistory } from './history.ts';
export { JSONL_COLUMNS, jsonlToRow, rowToJsonl } from './jsonl.ts';
export { checkDoneBackupsListed, type ListingLookup } from './cloud-listing-check.ts';
