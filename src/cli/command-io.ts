/**
 * What a command gets from main (the terminal, the environment, a stderr writer) and what it
 * hands back: lines for people, warnings, and the fields of the --json object. Commands do not
 * write results themselves, so --json output is always exactly one object.
 */
import type { Terminal } from './terminal.ts';

export interface CommandIo {
  terminal: Terminal;
  env: NodeJS.ProcessEnv;
  /** Progress and prompts' context, to stderr (never a secret). */
  say(text: string): void;
}

export interface CommandReport {
  /** The result for people, to stdout. */
  lines: string[];
  /** Things to act on (R17: cloud-only wallets), to stderr; in --json they are a field. */
  warnings: string[];
  /** Fields of the --json object beyond ok and exitCode. */
  json: Record<string, unknown>;
  /** With --json, the command already printed its one object while it ran (inspect): nothing more is printed. */
  jsonPrinted?: boolean;
}
