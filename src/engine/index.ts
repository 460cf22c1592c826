/** The engine: flows over the pure machines, effects through ports, every transition logged. */
export { createBackupEngine } from './create-backup-engine.ts';
export type { BackupEngine, BackupEngineOptions, BackupListing, BackupRequest, RestoreRequest } from './create-backup-engine.ts';
export type {
  BackupFlow,
  BackupResult,
  FlowActor,
  FlowBase,
  FlowObserver,
  FlowSnapshot,
  FlowStateValue,
  FlowView,
  ProviderSwitchFlow,
  RestoreFlow,
  RestoreResult,
  RetryView,
  Subscribable,
  Unsubscribable,
} from './flow-types.ts';
export type { BackoffSleep, Interrupt } from './backoff-sleep.ts';
export { EngineError, type EngineErrorCode } from './engine-error.ts';
export { LOGGED_EVENT_FIELDS } from './redaction-rules.ts';
export { accountsWithBackups, activeProvider, cloudOnlyWallets, type CloudOnlyWallet } from './device-history.ts';
