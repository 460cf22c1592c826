/**
 * The environment variables the CLI reads: their names, for the code that reads them, and one
 * line each for `--help` (help-text.ts). The README's CLI section says the same in prose.
 */
export const PASSWORD_ENV = 'WALLET_BACKUP_PASSWORD';
export const SCRYPT_LOG_N_ENV = 'WALLET_BACKUP_SCRYPT_LOG_N';
export const DEVICE_ID_ENV = 'WALLET_BACKUP_DEVICE_ID';
export const HMS_RESULT_ENV = 'WALLET_BACKUP_HMS_RESULT';
export const DEBUG_ENV = 'DEBUG';
export const RETRY_ATTEMPTS_ENV = 'WALLET_BACKUP_RETRY_ATTEMPTS';
export const RETRY_BASE_MS_ENV = 'WALLET_BACKUP_RETRY_BASE_MS';
export const RETRY_MAX_MS_ENV = 'WALLET_BACKUP_RETRY_MAX_MS';
export const RETRY_TOTAL_MS_ENV = 'WALLET_BACKUP_RETRY_TOTAL_MS';
export const AUDIT_MEMO_ENV = 'WALLET_BACKUP_AUDIT_MEMO';

/** Each variable with one line on what it does (password-source.ts, open-engine.ts, run.ts, cmd-audit.ts). */
export const ENV_VARS: ReadonlyArray<readonly [name: string, line: string]> = [
  [PASSWORD_ENV, 'the backup password when --password-file is not given (else a masked prompt on a terminal)'],
  [SCRYPT_LOG_N_ENV, 'TESTS ONLY: lowers the scrypt work factor (2^N) of new keyrings below the production 2^17; every backup warns'],
  [DEVICE_ID_ENV, "this device's id in the event log and the cloud checkpoints (default: the host name); printable text only"],
  [HMS_RESULT_ENV, 'with --cloud huawei+http(s)://…: the HMS Core ConnectionResult code this computer reports (default 0, SUCCESS; 1 missing, 2 outdated), to try the HMS branches'],
  [DEBUG_ENV, 'set (DEBUG=1) to print the stack trace of an error'],
  [RETRY_ATTEMPTS_ENV, 'tries of a cloud step after transient failures, the first included (default 5; 1 = never retry)'],
  [RETRY_BASE_MS_ENV, 'backoff before the first retry in ms, doubling each retry (default 500)'],
  [RETRY_MAX_MS_ENV, 'longest backoff in ms (default 8000)'],
  [RETRY_TOTAL_MS_ENV, 'no retry starts later than this many ms after the step\'s first try (default 30000)'],
  [AUDIT_MEMO_ENV, "off: audit replays every row through xstate without the transition memo (slower, the same report; to check the memo); default on"],
];
