/**
 * `npm run bench -- --write`: puts a full run's printed output into README.md and
 * docs/benchmarks.md, between their markers, so the figures the docs show are a run's own output
 * (the fault matrix does the same from its test). Only a full run (every figure, not --quick) may
 * be written: the README's table has every row. The README gets the run's head (title, machine
 * line, table); docs/benchmarks.md the whole output, notes included.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RUN_START = '<!-- bench run: written by `npm run bench -- --write` -->';
export const RUN_END = '<!-- bench run end -->';

/** The files that show the last full run, and how much of it each shows. */
export const RUN_FILES = ['README.md', 'docs/benchmarks.md'] as const;

/** The run's title, machine line and table: its output up to the notes. */
export function runHead(output: string): string {
  return output.trimEnd().split('\n\n').slice(0, 2).join('\n\n');
}

/** `text` with what lies between the markers replaced by `output` in a code block. */
export function withRun(text: string, output: string, file: string): string {
  const start = text.indexOf(RUN_START);
  const end = text.indexOf(RUN_END);
  if (start === -1 || end === -1 || end < start) throw new Error(`${file} has no ${RUN_START} ... ${RUN_END} markers`);
  return `${text.slice(0, start + RUN_START.length)}\n\`\`\`\n${output.trimEnd()}\n\`\`\`\n${text.slice(end)}`;
}

export function writeRun(root: string, output: string): string[] {
  return RUN_FILES.map((file) => {
    const path = join(root, file);
    writeFileSync(path, withRun(readFileSync(path, 'utf8'), file === 'README.md' ? runHead(output) : output, file));
    return file;
  });
}
