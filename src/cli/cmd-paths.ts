/**
 * `wallet-backup paths [--machine M] [--json]`: the test paths generated from each machine
 * (xstate/graph shortest and simple paths over every payload variant, see src/model) and the
 * coverage table they give. The tests run each of these paths against the real engine; this
 * command shows what they are, without running anything.
 */
import { formatCoverageTable, machineReport, MODELS, type CoverageRow } from '../model/index.ts';
import { CliError } from './cli-error.ts';
import type { CommandIo, CommandReport } from './command-io.ts';

export interface PathsOptions {
  machine?: string;
}

function stateText(value: unknown): string {
  if (typeof value === 'string') return value;
  return Object.entries(value as Record<string, unknown>)
    .map(([key, child]) => `${key}.${stateText(child)}`)
    .join(',');
}

export async function pathsCommand(options: PathsOptions, _io: CommandIo): Promise<CommandReport> {
  const known = MODELS.map((m) => m.id);
  if (options.machine !== undefined && !known.includes(options.machine)) {
    throw new CliError('bad-flags', { problem: `Unknown machine "${options.machine}"; use one of ${known.join(', ')}.` });
  }
  const ids = options.machine === undefined ? known : [options.machine];
  const lines: string[] = [];
  const rows: CoverageRow[] = [];
  const machines: Record<string, unknown> = {};
  for (const id of ids) {
    const report = machineReport(id);
    rows.push(report.row);
    machines[id] = { coverage: report.row, paths: report.paths };
    lines.push(`${id}: ${report.paths.length} paths`);
    for (const path of report.paths) {
      const steps = path.steps.map((step) => `${step.event.type} -> ${stateText(step.state)}`);
      lines.push(`  ${path.id}  ${steps.join(' | ')}`);
    }
    lines.push('');
  }
  lines.push(formatCoverageTable(rows));
  return { lines, warnings: [], json: { coverage: rows, machines } };
}
