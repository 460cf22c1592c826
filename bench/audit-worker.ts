/**
 * Child process of figure 2 (bench/audit.ts): runs one side over one log and prints one JSON
 * line { rows, ms, maxRssKiB, ok } on stdout. Run alone so that its peak RSS is its own.
 *
 *   node --import tsx bench/audit-worker.ts audit|audit-no-memo|raw LOG.db
 *
 * audit: the `wallet-backup audit --db LOG.db --json` command itself (src/cli/run.ts runCli, as
 *        bin/wallet-backup.js runs it), timed from the command line to its report, peak RSS taken
 *        then; its JSON report is captured, then checked (ok, row count) and not printed.
 * audit-no-memo: the same command with WALLET_BACKUP_AUDIT_MEMO=off (every row replayed by
 *        xstate itself, without src/audit/transition-memo.ts): what the memo buys.
 * raw:   the baseline: better-sqlite3 reads every row of `events` in seq order through one
 *        iterate() cursor and JSON.parse()s its three JSON columns (from_state, payload, to_state).
 */
import Database from 'better-sqlite3';
import { AUDIT_MEMO_ENV } from '../src/cli/env-vars.ts';

interface WorkerResult {
  mode: string;
  rows: number;
  ms: number;
  maxRssKiB: number;
  ok: boolean;
  problem?: string;
}

function rawRead(path: string): { rows: number; ok: boolean } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const select = db.prepare(
      `SELECT seq, flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash
       FROM events ORDER BY seq`,
    );
    let rows = 0;
    let parsed = 0;
    for (const row of select.iterate() as IterableIterator<{ from_state: string | null; payload: string; to_state: string }>) {
      if (row.from_state !== null) JSON.parse(row.from_state);
      if (JSON.parse(row.payload) !== null) parsed += 1;
      JSON.parse(row.to_state);
      rows += 1;
    }
    return { rows, ok: parsed === rows };
  } finally {
    db.close();
  }
}

function timedRawRead(path: string): Outcome {
  const started = performance.now();
  const outcome = rawRead(path);
  return { ...outcome, ms: performance.now() - started, maxRssKiB: process.resourceUsage().maxRSS };
}

/** What a side measured: rows, the time from its start to its result, its peak RSS so far. */
type Outcome = { rows: number; ok: boolean; problem?: string; ms: number; maxRssKiB: number };

/** Loads the CLI and the audit command (which the CLI imports lazily) before the clock starts. */
async function loadAudit(): Promise<(path: string) => Promise<Outcome>> {
  const { runCli, processIo } = await import('../src/cli/run.ts');
  await import('../src/cli/cmd-audit.ts');
  return (path) => audit(runCli, processIo, path);
}

async function audit(
  runCli: (argv: readonly string[], io: ReturnType<typeof import('../src/cli/run.ts').processIo>) => Promise<number>,
  processIo: typeof import('../src/cli/run.ts').processIo,
  path: string,
): Promise<Outcome> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  let code: number;
  const started = performance.now();
  try {
    code = await runCli(['audit', '--db', path, '--json'], processIo());
  } finally {
    process.stdout.write = write;
  }
  // The command's time and peak, its report (held as written) included; not this worker's check of it below.
  const ms = performance.now() - started;
  const maxRssKiB = process.resourceUsage().maxRSS;
  const report = JSON.parse(chunks.join('')) as { ok: boolean; audit?: { ok: boolean; rows: number; replay: { memo: boolean } }; message?: string };
  const rows = report.audit?.rows ?? 0;
  if (code !== 0 || !report.ok || report.audit?.ok !== true) {
    return { rows, ok: false, problem: `audit exited ${code}: ${report.message ?? 'the log did not verify'}`, ms, maxRssKiB };
  }
  const memo = process.env[AUDIT_MEMO_ENV] !== 'off';
  if (report.audit.replay.memo !== memo) return { rows, ok: false, problem: `the audit ran with the memo ${memo ? 'off' : 'on'}`, ms, maxRssKiB };
  return { rows, ok: true, ms, maxRssKiB };
}

async function main(): Promise<void> {
  const [mode, path] = process.argv.slice(2);
  if ((mode !== 'audit' && mode !== 'audit-no-memo' && mode !== 'raw') || !path) {
    process.stderr.write('usage: node --import tsx bench/audit-worker.ts audit|audit-no-memo|raw LOG.db\n');
    process.exitCode = 2;
    return;
  }
  if (mode === 'audit-no-memo') process.env[AUDIT_MEMO_ENV] = 'off';
  const outcome = mode === 'raw' ? timedRawRead(path) : await (await loadAudit())(path);
  const result: WorkerResult = { mode, ...outcome };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
