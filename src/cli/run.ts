/**
 * Runs one command line and returns the exit code: parses it, runs the command, prints the
 * report (text, or with --json exactly one JSON object on stdout), and turns every error into
 * its row of exit-codes.ts. commander's own parse errors exit 2 (bad input), not 1.
 * A stack trace is printed only when DEBUG is set: messages never hold a secret, stacks of
 * third-party errors might hold anything.
 *
 * This is the printing boundary: everything written to stdout and stderr passes
 * src/text/terminal-safe.ts, so no command can print a raw escape sequence, control or bidi
 * character from a cloud file, the log or a flag. Text keeps its line breaks (fields inside it
 * were escaped whole where they were put in: tables, reports, messages); --json output is
 * JSON.stringify's, which escapes the C0 controls, with DEL, C1 and the format characters
 * written as \u escapes as well (jsonTerminalSafe): the same value for a JSON reader, nothing
 * a terminal obeys for a person who prints it.
 */
import { CommanderError } from 'commander';
import { CliError, isCliError } from './cli-error.ts';
import type { CommandIo, CommandReport } from './command-io.ts';
import { EXIT_OK, exitCodeOf } from './exit-codes.ts';
import { buildProgram, type ProgramRun } from './program.ts';
import { processTerminal } from './terminal.ts';
import { terminalSafeLines } from '../text/terminal-safe.ts';
import { JSON_BASE, printJson } from './json-output.ts';
import { DEBUG_ENV } from './env-vars.ts';
import { SimStateError } from '../../adapters/cloud/local-sim-state.ts';

export function processIo(): CommandIo {
  return { terminal: processTerminal(), env: process.env, say: (text) => process.stderr.write(`${terminalSafeLines(text)}\n`) };
}

function printReport(run: ProgramRun, report: CommandReport): void {
  if (run.json) {
    // The command printed its one object itself, while it ran (inspect, as soon as it listens).
    if (report.jsonPrinted === true) return;
    printJson({ ok: true, exitCode: EXIT_OK, command: run.command, ...JSON_BASE, ...report.json, warnings: report.warnings });
    return;
  }
  if (report.lines.length > 0) process.stdout.write(`${terminalSafeLines(report.lines.join('\n'))}\n`);
  for (const warning of report.warnings) process.stderr.write(`${terminalSafeLines(warning)}\n`);
}

function printError(run: ProgramRun, error: CliError, cause: unknown): void {
  if (process.env[DEBUG_ENV] && cause instanceof Error && cause.stack) process.stderr.write(`${terminalSafeLines(cause.stack)}\n`);
  process.stderr.write(`Error: ${terminalSafeLines(error.message)}\n`);
  if (run.json) {
    printJson({ ok: false, exitCode: error.exitCode, command: run.command, ...JSON_BASE, ...error.facts, problem: error.problem, message: error.message });
  }
}

/**
 * Errors of known kinds that reach main without a CliError around them, from wherever they were
 * thrown (a cloud call of any flow reads device.json): an unusable device.json is bad input (exit 2).
 */
function knownProblem(error: unknown): CliError | null {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth += 1) {
    if (cause instanceof SimStateError) return new CliError('bad-sim-state', { problem: cause.message });
  }
  return null;
}

export async function runCli(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  // Until an action runs, --json anywhere on the line decides the error format.
  const run: ProgramRun = { command: null, json: argv.includes('--json'), report: null };
  const program = buildProgram(io, run);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    if (run.report) printReport(run, run.report);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version "fail" with exit code 0; commander already printed its own message.
      if (error.exitCode === 0) return EXIT_OK;
      const code = exitCodeOf('bad-flags');
      if (run.json) printJson({ ok: false, exitCode: code, command: run.command, ...JSON_BASE, problem: 'bad-flags', message: error.message });
      return code;
    }
    const cliError = isCliError(error) ? error : (knownProblem(error) ?? unexpectedError(error));
    printError(run, cliError, error);
    return cliError.exitCode;
  }
}

/** A bug's error as exit 1, its whole cause chain in the message and in --json (never lost). */
function unexpectedError(error: unknown): CliError {
  const chain: Array<{ error: string; message: string }> = [];
  for (let at: unknown = error, depth = 0; at !== undefined && at !== null && depth < 8; depth++) {
    chain.push(at instanceof Error ? { error: at.name, message: at.message } : { error: typeof at, message: String(at) });
    at = at instanceof Error ? at.cause : undefined;
  }
  const message = chain.map((link) => `${link.error}: ${link.message}`).join(', caused by ');
  return new CliError('unexpected', { message }).withFacts({ cause: chain });
}
