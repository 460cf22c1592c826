/**
 * Figure 2, audit: rows verified and replayed per second by `wallet-backup audit` over a
 * 1,000,000-row log, against raw better-sqlite3 reading and JSON.parse of the same rows; and the
 * audit's peak memory (RSS) over 100k and 1M rows.
 *
 * The logs come from scripts/generate-log.ts (realistic flows, chained, flows table filled) and
 * are kept in the temp dir under a name that holds the row count, the seed and a digest of the
 * generator's source, so a later run reuses them and a changed generator makes new ones.
 *
 * Each side runs in its own child process (bench/audit-worker.ts) so that its peak RSS is its
 * own (process.resourceUsage().maxRSS, which counts Node and the TypeScript loader too); the
 * time is measured inside the child, from the command line to the report, without process start.
 * The sides alternate (raw, audit, raw, audit, ...) after one warm-up read that brings the file
 * into the page cache; the ratio is the median of the rounds' audit rate / raw rate.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLog } from '../scripts/generate-log.ts';
import { median, round } from './lib/stats.ts';
import type { BenchOptions, FigureResult, FigureRow } from './lib/types.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const WORKER = join(here, 'audit-worker.ts');
const SEED = 1;
/** The audit's memory target, whatever the log's size. */
const RSS_LIMIT_MB = 200;

type Mode = 'audit' | 'audit-no-memo' | 'raw';

interface WorkerResult {
  mode: Mode;
  rows: number;
  ms: number;
  maxRssKiB: number;
  ok: boolean;
  problem?: string;
}

/** A digest of the generator's sources: a log made by another version is not reused. */
function generatorDigest(): string {
  const hash = createHash('sha256');
  for (const file of ['generate-log.ts', 'synthetic-log.ts']) {
    const path = join(root, 'scripts', file);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest('hex').slice(0, 12);
}

/** The log of `rows` rows in the temp dir, generated now unless a run left it there. */
function logOf(rows: number, options: BenchOptions): { path: string; generatedMs: number | null } {
  const path = join(tmpdir(), `wbe-bench-log-${rows}-seed${SEED}-${generatorDigest()}.db`);
  const done = `${path}.complete`;
  if (existsSync(path) && existsSync(done)) return { path, generatedMs: null };
  const partial = `${path}.partial`;
  for (const file of [path, done, partial, `${partial}-wal`, `${partial}-shm`]) rmSync(file, { force: true });
  options.log(`audit: generating a ${rows.toLocaleString('en-US')}-row log in ${tmpdir()} (kept for later runs)`);
  const result = generateLog({ db: partial, rows, seed: SEED });
  renameSync(partial, path);
  writeFileSync(done, JSON.stringify({ rows: result.rows, flows: result.flows, seed: SEED }));
  return { path, generatedMs: result.ms };
}

function runWorker(mode: Mode, path: string): WorkerResult {
  const output = execFileSync(process.execPath, ['--import', 'tsx', WORKER, mode, path], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = output.trim().split('\n').at(-1) ?? '';
  const result = JSON.parse(line) as WorkerResult;
  if (!result.ok) throw new Error(`${mode} over ${path} failed: ${result.problem ?? 'no detail'}`);
  return result;
}

interface SizeResult {
  rows: number;
  path: string;
  generatedMs: number | null;
  rounds: Array<{ raw: WorkerResult; audit: WorkerResult; noMemo: WorkerResult; ratio: number; noMemoRatio: number; memoGain: number }>;
  auditRate: number;
  noMemoRate: number;
  rawRate: number;
  ratio: number;
  noMemoRatio: number;
  /** Median over rounds of the audit's rate with the memo / without it. */
  memoGain: number;
  auditRssMB: number;
  rawRssMB: number;
}

const rate = (r: WorkerResult) => (r.rows / r.ms) * 1000;
const mb = (kib: number) => kib / 1024;

async function measureSize(rows: number, rounds: number, options: BenchOptions): Promise<SizeResult> {
  const { path, generatedMs } = logOf(rows, options);
  options.log(`audit: ${rows.toLocaleString('en-US')} rows, ${rounds} rounds of raw read + JSON.parse, audit, audit without the memo`);
  runWorker('raw', path); // warm-up: the file into the page cache
  const done: SizeResult['rounds'] = [];
  for (let i = 0; i < rounds; i++) {
    const raw = runWorker('raw', path);
    const audit = runWorker('audit', path);
    const noMemo = runWorker('audit-no-memo', path);
    for (const side of [audit, noMemo]) {
      if (side.rows !== raw.rows) throw new Error(`${side.mode} counted ${side.rows} rows, the raw read ${raw.rows}`);
    }
    done.push({ raw, audit, noMemo, ratio: rate(audit) / rate(raw), noMemoRatio: rate(noMemo) / rate(raw), memoGain: rate(audit) / rate(noMemo) });
  }
  return {
    rows,
    path,
    generatedMs,
    rounds: done,
    auditRate: median(done.map((r) => rate(r.audit))),
    noMemoRate: median(done.map((r) => rate(r.noMemo))),
    rawRate: median(done.map((r) => rate(r.raw))),
    ratio: median(done.map((r) => r.ratio)),
    noMemoRatio: median(done.map((r) => r.noMemoRatio)),
    memoGain: median(done.map((r) => r.memoGain)),
    auditRssMB: Math.max(...done.map((r) => mb(r.audit.maxRssKiB))),
    rawRssMB: Math.max(...done.map((r) => mb(r.raw.maxRssKiB))),
  };
}

export async function benchAudit(options: BenchOptions): Promise<FigureResult> {
  const small = await measureSize(100_000, 2, options);
  const big = options.quick ? null : await measureSize(1_000_000, 2, options);
  const speed = big ?? small;
  const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
  const rssRow = (s: SizeResult): FigureRow => ({
    id: `audit.rss.${label(s.rows)}`,
    figure: `2${s.rows === 100_000 ? 'b' : 'c'}. ... audit peak RSS, ${label(s.rows)} rows`,
    unit: 'MB',
    engine: round(s.auditRssMB, 0),
    baseline: round(s.rawRssMB, 0),
    ratio: null,
    target: `< ${RSS_LIMIT_MB} MB`,
    met: s.auditRssMB < RSS_LIMIT_MB,
  });
  const rows: FigureRow[] = [
    {
      id: 'audit',
      figure: `2. Audit: rows verified+replayed/s (${label(speed.rows)})`,
      unit: 'rows/s',
      engine: round(speed.auditRate, 0),
      baseline: round(speed.rawRate, 0),
      ratio: round(speed.ratio, 3),
      target: '>= 0.5',
      met: speed.ratio >= 0.5,
    },
    {
      id: 'audit.no-memo',
      figure: `2a. ... the same audit, transition memo off (${label(speed.rows)})`,
      unit: 'rows/s',
      engine: round(speed.noMemoRate, 0),
      baseline: round(speed.rawRate, 0),
      ratio: round(speed.noMemoRatio, 3),
      target: 'info',
      met: null,
    },
    rssRow(small),
  ];
  if (big) rows.push(rssRow(big));
  const notes = [
    `2. \`wallet-backup audit --db LOG --json\` (hash chain, positions, replay of every flow through its machine, ` +
      `flows table) in a child process, timed inside it, vs a child reading the same rows with better-sqlite3 ` +
      `(one iterate() cursor, seq order) and JSON.parse of from_state, payload, to_state; logs from ` +
      `scripts/generate-log.ts (seed ${SEED}) in the temp dir; ratio = median of ${speed.rounds.length} alternating rounds ` +
      `(${speed.rounds.map((r) => r.ratio.toFixed(2)).join(' ')}). RSS: the child's peak (Node + tsx loader included); ` +
      `baseline column: the raw reader's.`,
    `2a. The same command with WALLET_BACKUP_AUDIT_MEMO=off: every row replayed by xstate's transition, without ` +
      `src/audit/transition-memo.ts. The memo makes the audit ${speed.memoGain.toFixed(2)}x as fast (median of the rounds' ` +
      `audit / no-memo rates: ${speed.rounds.map((r) => r.memoGain.toFixed(2)).join(' ')}); the memo stays only while it buys ` +
      `at least a fifth (>= 1.2x).`,
  ];
  if (options.quick) notes.push('   --quick: 100k rows only; the 1M-row figures need a full run.');
  return { rows, notes, detail: { sizes: big ? [small, big] : [small] } };
}
