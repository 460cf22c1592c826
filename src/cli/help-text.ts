/**
 * What `--help` shows after the flags (commander's addHelpText): each command's examples, then,
 * for the program and every command, the exit codes and the environment variables.
 *
 * The exit codes are generated from the one table, PROBLEMS (exit-codes.ts): each code with the
 * summaries of its rows, in the table's order. There is no second list to keep in step.
 */
import { EXIT_OK, PROBLEMS } from './exit-codes.ts';
import { ENV_VARS } from './env-vars.ts';

/** Help lines are wrapped to this width (a terminal's 80 columns, less a margin). */
const WIDTH = 78;

/** `text` wrapped at spaces into lines of at most WIDTH, the first after `head`, the others indented as deep. */
function hanging(head: string, text: string): string {
  const indent = ' '.repeat(head.length);
  const lines: string[] = [];
  let line = head;
  for (const word of text.split(' ')) {
    const atStart = line.length === head.length;
    if (!atStart && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else line += atStart ? word : ` ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

/** Each exit code with what leads to it, from PROBLEMS: [code, summaries], in ascending order, 0 first. */
export function exitCodeSummaries(): Array<[code: number, summaries: string[]]> {
  const byCode = new Map<number, string[]>([[EXIT_OK, ['ok']]]);
  for (const row of Object.values(PROBLEMS)) {
    const summaries = byCode.get(row.exitCode) ?? [];
    summaries.push(row.summary);
    byCode.set(row.exitCode, summaries);
  }
  return [...byCode.entries()].sort(([a], [b]) => a - b);
}

export function exitCodesHelp(): string {
  const width = Math.max(...exitCodeSummaries().map(([code]) => String(code).length));
  const lines = exitCodeSummaries().map(([code, summaries]) => hanging(`  ${String(code).padEnd(width)}  `, `${summaries.join('; ')}`));
  return ['Exit codes:', ...lines].join('\n');
}

export function environmentHelp(): string {
  const width = Math.max(...ENV_VARS.map(([name]) => name.length));
  return ['Environment:', ...ENV_VARS.map(([name, line]) => hanging(`  ${name.padEnd(width)}  `, line))].join('\n');
}

/** After every command's own help: the exit codes and the environment. */
export function commonHelp(): string {
  return `\n${exitCodesHelp()}\n\n${environmentHelp()}`;
}

/** Examples, one command line (and a comment) each. */
export function examplesHelp(examples: ReadonlyArray<readonly [comment: string, line: string]>): string {
  const body = examples.flatMap(([comment, line]) => [`  # ${comment}`, `  $ ${line}`]);
  return `\nExamples:\n${body.join('\n')}`;
}
