/**
 * `wallet-backup audit`: verifies this device's event log and tells its history (issue 4).
 *
 * Streams the rows of the SQLite log (read-only: auditing never changes it) or of a JSONL export
 * (--from-jsonl) through src/audit/auditLog: hash chain (E4), positions, replay through the
 * machine version that recorded each flow (E5), the flows table, and with --cloud DIR the
 * checkpoints the engine left in the cloud. Exit 0 when the log verifies, 8 when it is broken or
 * inconsistent (the message names the rows); --json gives the same report as data either way.
 * A progress bar shows on stderr when it is a terminal.
 *
 * Local inputs are bounded while reading: each JSONL line at MAX_JSONL_LINE_BYTES (a longer one,
 * or a file with no line end, is refused with exit 2 naming the file, the line and the cap), each
 * checkpoint and keyring under --cloud at its READ_LIMITS (local-checkpoints.ts). A --from-jsonl
 * that is a folder or missing is exit 2; a pipe (`--from-jsonl <(zcat log.jsonl.gz)`) is read.
 */
import { hash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { auditLog, type AuditReport, type RowInput } from '../audit/audit-log.ts';
import { readCheckpoints } from '../audit/checkpoint-auth.ts';
import type { CheckpointEntry } from '../audit/anchor-check.ts';
import { JsonlLineTooLongError, MAX_JSONL_LINE_BYTES, jsonlBytesToRow, jsonlLines } from '../audit/jsonl.ts';
import { describeBytes, handleChunks } from '../../adapters/fs/read-bounded.ts';
import { READ_LIMITS } from '../format/layout.ts';
import { inputError, inputProblem, openCliInput, refuseSharedStdin, type CliInput } from './input-file.ts';
import { LogReadError, openSqliteLogReader, type SqliteLogReader } from '../../adapters/store/sqlite-log-reader.ts';
import { listLocalCheckpoints, readLocalKeyring } from '../../adapters/cloud/local-checkpoints.ts';
import { readLocalListing } from '../../adapters/cloud/local-listing.ts';
import { checkDoneBackupsListed } from '../audit/index.ts';
import type { ProviderId } from '../ports/providers.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { CliError } from './cli-error.ts';
import { requireLog } from './log-presence.ts';
import type { CommandIo, CommandReport } from './command-io.ts';
import type { DbOption } from './options.ts';
import { openPasswordSource } from './password-source.ts';
import { progressBar, type Progress } from './progress-bar.ts';
import { auditLines, errorSummary } from './audit-report.ts';
import { steadyHeap } from './steady-heap.ts';
import { AUDIT_MEMO_ENV } from './env-vars.ts';
import { terminalSafe } from '../text/terminal-safe.ts';

export interface AuditOptions extends DbOption {
  cloud?: string;
  fromJsonl?: string;
  passwordFile?: string;
}

/** node:crypto's one-shot SHA-256 (several times @noble/hashes' speed on short texts). */
const nodeDigest = (text: string) => hash('sha256', text, 'hex');

/** The backup password for checking checkpoint MACs, or null to compare without checking them. */
async function checkpointPassword(options: AuditOptions, io: CommandIo): Promise<string | null> {
  const source = await openPasswordSource(options.passwordFile, io.env, io.terminal);
  try {
    const password = await source.existing('Backup password, to verify the checkpoints (Enter to skip):');
    return password === '' ? null : password;
  } catch (error) {
    if (error instanceof CliError && error.problem === 'no-password') return null;
    throw error;
  }
}

async function loadCheckpoints(options: AuditOptions, io: CommandIo): Promise<CheckpointEntry[] | undefined> {
  const root = options.cloud;
  if (root === undefined) return undefined;
  // Each file under it is capped by its own READ_LIMITS (local-checkpoints.ts); this cap names none.
  const input: CliInput = { what: 'cloud folder', path: root, maxBytes: READ_LIMITS.checkpoint.maxBytes };
  if (!existsSync(root)) throw inputError(input, 'it does not exist');
  let files;
  try {
    files = await listLocalCheckpoints(root);
  } catch (error) {
    throw inputProblem(input, error);
  }
  const password = files.length > 0 ? await checkpointPassword(options, io) : null;
  try {
    return await readCheckpoints(files, {
      password,
      kdf: createNodeScrypt(),
      readKeyring: (provider, account, epoch) => readLocalKeyring(root, provider, account, epoch),
    });
  } catch (error) {
    throw inputProblem(input, error);
  }
}

async function* jsonlRows(input: CliInput, handle: FileHandle, progress: Progress): AsyncGenerator<RowInput> {
  let count = 0;
  try {
    for await (const line of jsonlLines(handleChunks(handle), MAX_JSONL_LINE_BYTES)) {
      if (++count % 2048 === 0) progress.update(line.endOffset);
      const row = jsonlBytesToRow(line.bytes);
      if (row !== null) yield row;
    }
  } catch (error) {
    if (error instanceof JsonlLineTooLongError) {
      throw inputError(input, `line ${error.line} is longer than ${describeBytes(error.maxBytes)}, the most one row of the log may take (reading stopped there); it is not an export of this app`);
    }
    throw inputProblem(input, error);
  }
}

async function auditJsonl(path: string, checkpoints: CheckpointEntry[] | undefined, memo: boolean): Promise<AuditReport> {
  const input: CliInput = { what: 'JSONL export', path, maxBytes: MAX_JSONL_LINE_BYTES };
  const { handle, stats } = await openCliInput(input);
  try {
    const progress = progressBar('Auditing', stats.isFile() ? stats.size : 0, 'bytes');
    try {
      const collect = steadyHeap();
      return await auditLog(jsonlRows(input, handle, progress), {
        source: { kind: 'jsonl', path },
        digest: nodeDigest,
        memo,
        onProgress: collect,
        ...(checkpoints !== undefined ? { checkpoints } : {}),
      });
    } finally {
      progress.stop();
    }
  } finally {
    await handle.close();
  }
}

async function auditSqlite(path: string, checkpoints: CheckpointEntry[] | undefined, memo: boolean): Promise<AuditReport> {
  let reader: SqliteLogReader;
  try {
    reader = openSqliteLogReader(path);
  } catch (error) {
    throw new CliError('unreadable-file', { what: 'event log', path, cause: error instanceof LogReadError ? error.message : String(error) });
  }
  try {
    const progress = progressBar('Auditing', reader.expectedRows(), 'rows');
    const collect = steadyHeap();
    try {
      return await auditLog(reader.auditRows(), {
        source: { kind: 'sqlite', path },
        digest: nodeDigest,
        memo,
        flowSummaries: reader.summaries,
        onProgress: (done) => {
          progress.update(done);
          collect(done);
        },
        ...(checkpoints !== undefined ? { checkpoints } : {}),
      });
    } finally {
      progress.stop();
    }
  } finally {
    reader.close();
  }
}

/** WALLET_BACKUP_AUDIT_MEMO: on (the default) or off; anything else is bad input. */
function memoFromEnv(env: NodeJS.ProcessEnv): boolean {
  const text = env[AUDIT_MEMO_ENV];
  if (text === undefined || text === '' || text === 'on') return true;
  if (text === 'off') return false;
  throw new CliError('bad-flags', { problem: `${AUDIT_MEMO_ENV}=${terminalSafe(text.slice(0, 40))} is neither on nor off.` });
}

export async function auditCommand(options: AuditOptions, io: CommandIo): Promise<CommandReport> {
  refuseSharedStdin([
    ['--from-jsonl', options.fromJsonl],
    ['--password-file', options.passwordFile],
  ]);
  // Auditing must not create a log where there is none (nor ask for a password first).
  if (options.fromJsonl === undefined) requireLog(options.db, 'audit');
  const memo = memoFromEnv(io.env);
  const checkpoints = await loadCheckpoints(options, io);
  const report =
    options.fromJsonl !== undefined ? await auditJsonl(options.fromJsonl, checkpoints, memo) : await auditSqlite(options.db, checkpoints, memo);
  const root = options.cloud;
  const missing =
    root === undefined
      ? []
      : (await checkDoneBackupsListed(report, (provider, account) => readLocalListing(root, provider as ProviderId, account))).filter((f) => f.severity === 'error');
  if (!report.ok && missing.length === report.counts.error) {
    throw new CliError('backup-missing', { count: missing.length, details: missing.map((f) => f.message) }).withFacts({ audit: report });
  }
  if (!report.ok) {
    throw new CliError('log-broken', {
      source: report.source.path ?? '',
      errors: report.counts.error,
      details: errorSummary(report),
    }).withFacts({ audit: report });
  }
  return {
    // Built only when printed: --json (the benchmark's run) never formats the text tables.
    get lines() {
      return auditLines(report);
    },
    warnings: [],
    json: { audit: report },
  };
}
