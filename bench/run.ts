/**
 * `npm run bench`: measures the engine against the physical baselines it stands on, each in the
 * same run, and prints one table (issue 6). Benchmarks report; they never fail: the exit code is 0
 * whatever the numbers (a crash is still a crash).
 *
 *   npm run bench                     every figure, 1M-row audit log (about 5-10 minutes)
 *   npm run bench -- --quick          100k-row audit log, fewer rounds (development)
 *   npm run bench -- --json           the same, as one JSON object on stdout
 *   npm run bench -- --only recording,latency   some figures (recording, audit, latency, model)
 *
 * Progress goes to stderr; the table (or the JSON) to stdout.
 */
import { parseArgs } from 'node:util';
import { benchAudit } from './audit.ts';
import { benchLatency } from './latency.ts';
import { machineInfo, machineLine } from './lib/machine.ts';
import type { BenchOptions, FigureResult, FigureRow } from './lib/types.ts';
import { benchModel } from './model-paths.ts';
import { benchRecording } from './recording.ts';

const FIGURES: Record<string, (options: BenchOptions) => Promise<FigureResult>> = {
  recording: benchRecording,
  audit: benchAudit,
  latency: benchLatency,
  model: benchModel,
};

function formatValue(value: number | null, unit: string): string {
  if (value === null) return '-';
  switch (unit) {
    case 's':
      return `${value.toFixed(3)} s`;
    case 'MB':
      return `${value.toFixed(0)} MB`;
    case 'paths/s':
      return `${value.toFixed(1)}/s`;
    default:
      return `${Math.round(value).toLocaleString('en-US')}/s`;
  }
}

function metText(met: boolean | null): string {
  return met === null ? '-' : met ? 'yes' : 'NO';
}

export function formatTable(rows: readonly FigureRow[]): string {
  const header = ['figure', 'engine', 'baseline', 'ratio', 'target', 'met?'];
  const cells = rows.map((r) => [
    r.figure,
    formatValue(r.engine, r.unit),
    formatValue(r.baseline, r.unit),
    r.ratio === null ? '-' : r.ratio.toFixed(3),
    r.target,
    metText(r.met),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((text, i) => (i === 0 || i === 4 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
    },
  });
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(FIGURES);
  const unknown = only.filter((name) => !(name in FIGURES));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown figure ${unknown.join(', ')}; choose from ${Object.keys(FIGURES).join(', ')}.\n`);
    process.exitCode = 2;
    return;
  }
  const machine = machineInfo();
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const options: BenchOptions = { quick: values.quick, log };
  log(machineLine(machine));
  const started = performance.now();
  const results: Record<string, FigureResult> = {};
  for (const name of only) {
    const t = performance.now();
    results[name] = await FIGURES[name]!(options);
    log(`${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const seconds = (performance.now() - started) / 1000;
  const rows = only.flatMap((name) => results[name]!.rows);
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ machine, quick: values.quick, seconds, rows, notes: only.flatMap((n) => results[n]!.notes), detail: Object.fromEntries(only.map((n) => [n, results[n]!.detail])) }, null, 2)}\n`,
    );
    return;
  }
  const out = [
    `wallet-backup-engine benchmarks${values.quick ? ' (--quick)' : ''}, ${new Date().toISOString().slice(0, 10)}, ${seconds.toFixed(0)} s`,
    `machine: ${machineLine(machine)}`,
    '',
    formatTable(rows),
    '',
    ...only.flatMap((name) => results[name]!.notes),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
