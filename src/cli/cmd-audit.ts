/**
 * `wallet-backup audit`: verifies this device's event log and tells its history (issue 4).
 *
 * Streams the rows of the SQLite log (read-only: auditing never changes it) or of a JSONL export
 * (--from-jsonl) through src/audit/auditLog: hash chain (E4), positions, replay through the
 * machine version that recorded each flow (E5), the flows table, and with --cloud DIR the
 * checkpoints the engine left in the cloud. Exit 0 when the log verifies, 8 when it is broken or
 * inconsistent (the message names the rows); --json gives the same report as data either way.
 * A progress bar shows on stderr when it is a terminal.
 */
import { hash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { auditLog, type AuditReport, type RowInput } from '../audit/audit-log.ts';
import { readCheckpoints } from '../audit/checkpoint-auth.ts';
import type { CheckpointEntry } from '../audit/anchor-check.ts';
import { jsonlToRow } from '../audit/jsonl.ts';
import { LogReadError, openSqliteLogReader, type SqliteLogReader } from '../../adapters/store/sqlite-log-reader.ts';
import { listLocalCheckpoints, readLocalKeyring } from '../../adapters/cloud/local-checkpoints.ts';
import { readLocalListing } from '../../adapters/cloud/local-listing.ts';
import { checkDoneBackupsListed } from '../audit/index.ts';
import type { ProviderId } from '../ports/providers.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { CliError } from './cli-error.ts';
import type { CommandIo, CommandReport } from './command-io.ts';
import type { DbOption } from './options.ts';
import { openPasswordSource } from './password-source.ts';
import { progressBar, type Progress } from './progress-bar.ts';
import { auditLines, errorSummary } from './audit-report.ts';
import { steadyHeap } from './steady-heap.ts';

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
  if (!existsSync(root)) throw new CliError('unreadable-file', { what: 'cloud folder', path: root, cause: 'it does not exist' });
  let files;
  try {
    files = await listLocalCheckpoints(root);
  } catch (error) {
    throw new CliError('unreadable-file', { what: 'cloud folder', path: root, cause: (error as Error).message });
  }
  const password = files.length > 0 ? await checkpointPassword(options, io) : null;
  return readCheckpoints(files, {
    password,
    kdf: createNodeScrypt(),
    readKeyring: (provider, account, epoch) => readLocalKeyring(root, provider, account, epoch),
  });
}

async function* jsonlRows(path: string, progress: Progress): AsyncGenerator<RowInput> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let bytes = 0;
  let count = 0;
  for await (const line of lines) {
    bytes += Buffer.byteLength(line, 'utf8') + 1;
    if (++count % 2048 === 0) progress.update(bytes);
    if (line.trim() === '') continue;
    yield jsonlToRow(line);
  }
}

async function auditJsonl(path: string, checkpoints: CheckpointEntry[] | undefined): Promise<AuditReport> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new CliError('unreadable-file', { what: 'JSONL export', path, cause: (error as Error).message });
  }
  const progress = progressBar('Auditing', size, 'bytes');
  try {
    const collect = steadyHeap();
    return await auditLog(jsonlRows(path, progress), {
      source: { kind: 'jsonl', path },
      digest: nodeDigest,
      onProgress: collect,
      ...(checkpoints !== undefined ? { checkpoints } : {}),
    });
  } finally {
    progress.stop();
  }
}

async function auditSqlite(path: string, checkpoints: CheckpointEntry[] | undefined): Promise<AuditReport> {
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

export async function auditCommand(options: AuditOptions, io: CommandIo): Promise<CommandReport> {
  const checkpoints = await loadCheckpoints(options, io);
  const report = options.fromJsonl !== undefined ? await auditJsonl(options.fromJsonl, checkpoints) : await auditSqlite(options.db, checkpoints);
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
