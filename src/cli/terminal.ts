/**
 * The person at the terminal: masked password prompts, "press Enter to retry", yes/no.
 *
 * Prompts write to stderr so that stdout carries only results (and --json stays parseable).
 * Without a TTY on stdin and stderr nobody can answer, so the flow drivers cancel instead of
 * asking. Ctrl-C at any prompt becomes the 'cancelled' problem, so the flow is cancelled and
 * logged rather than left hanging.
 *
 * A prompt is one line and may name a wallet from the cloud: it is shown with terminalSafe, so
 * an escape sequence or a line break in the name is shown escaped, not obeyed.
 */
import { createInterface } from 'node:readline/promises';
import { CliError } from './cli-error.ts';
import { terminalSafe } from '../text/terminal-safe.ts';

export interface Terminal {
  /** True when a person can answer prompts. */
  readonly interactive: boolean;
  /** A masked prompt; the answer is returned as typed (never trimmed, R3). */
  askSecret(message: string): Promise<string>;
  pressEnter(message: string): Promise<void>;
  confirm(message: string): Promise<boolean>;
}

/** @inquirer's errors for Ctrl-C (ExitPromptError) and aborts; matched by name, its core is not our dependency. */
function isPromptCancel(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

async function askLine(message: string): Promise<string> {
  const lines = createInterface({ input: process.stdin, output: process.stderr });
  const abort = new AbortController();
  lines.on('SIGINT', () => abort.abort());
  try {
    return await lines.question(message, { signal: abort.signal });
  } catch (error) {
    if (abort.signal.aborted) throw new CliError('cancelled');
    throw error;
  } finally {
    lines.close();
  }
}

export function processTerminal(): Terminal {
  return {
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),

    async askSecret(message) {
      try {
        // Loaded on first use: most runs (scripts, tests) never prompt.
        const { default: password } = await import('@inquirer/password');
        return await password({ message: terminalSafe(message), mask: '*' }, { output: process.stderr });
      } catch (error) {
        if (isPromptCancel(error)) throw new CliError('cancelled');
        throw error;
      }
    },

    async pressEnter(message) {
      await askLine(`${terminalSafe(message)} `);
    },

    async confirm(message) {
      const answer = await askLine(`${terminalSafe(message)} [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    },
  };
}
