/**
 * `npm run bench`: measures the engine against the physical baselines it stands on, each in the
 * same run, and prints one table (issue 6). Benchmarks report; they never fail: the exit code is 0
 * whatever the numbers (a crash is still a crash).
 *
 *   npm run bench                     every figure, 1M-row audit log (3 to 5 minutes on 2 cores)
 *   npm run bench -- --quick          100k-row audit log, fewer rounds (development)
 *   npm run bench -- --json           the same, as one JSON object on stdout
 *   npm run bench -- --only recording,latency   some figures (recording, audit, latency, http, model, startup, drivers)
 *   npm run bench -- --write          a full run, its output also written into README.md and
 *                                     docs/benchmarks.md between their markers (lib/write-docs.ts)
 *
 * Progress goes to stderr; the table (or the JSON) to stdout.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchAudit } from './audit.ts';
import { benchDrivers } from './drivers.ts';
import { benchHttpLatency } from './http-latency.ts';
import { benchLatency } from './latency.ts';
import { machineInfo, machineLine } from './lib/machine.ts';
import { formatTable, wrapNote } from './lib/format.ts';
import { writeRun } from './lib/write-docs.ts';
import type { BenchOptions, FigureResult } from './lib/types.ts';
import { benchModel } from './model-paths.ts';
import { benchRecording } from './recording.ts';
import { benchStartup } from './startup.ts';

const ROOT = resolve(import.meta.dirname, '..');

const FIGURES: Record<string, (options: BenchOptions) => Promise<FigureResult>> = {
  recording: benchRecording,
  audit: benchAudit,
  latency: benchLatency,
  http: benchHttpLatency,
  model: benchModel,
  startup: benchStartup,
  drivers: benchDrivers,
};

async function main(): Promise<void> {
  // stdout is the table's or the JSON's: what a library prints (google-drive-mock announces its
  // server with console.log) goes to stderr with the progress.
  console.log = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
      write: { type: 'boolean', default: false },
    },
  });
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(FIGURES);
  const unknown = only.filter((name) => !(name in FIGURES));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown figure ${unknown.join(', ')}; choose from ${Object.keys(FIGURES).join(', ')}.\n`);
    process.exitCode = 2;
    return;
  }
  if (values.write && (values.quick || values.json || values.only !== undefined)) {
    process.stderr.write('--write takes a full run only: every figure, no --quick, --json or --only.\n');
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
    ...wrapNote(`machine: ${machineLine(machine)}`),
    '',
    formatTable(rows),
    '',
    ...only.flatMap((name) => results[name]!.notes).flatMap((note) => wrapNote(note)),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  if (values.write) log(`written into ${writeRun(ROOT, out.join('\n')).join(', ')}`);
}

await main();
