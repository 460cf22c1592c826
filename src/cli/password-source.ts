/**
 * Where the backup password comes from: --password-file, else env WALLET_BACKUP_PASSWORD, else
 * a masked prompt on a TTY. The explicit flag wins over the ambient variable.
 *
 * Passwords are never trimmed (R3, E1): a space typed on purpose is part of the password, and a
 * stray one is what the wrong-password hints point out. The only thing removed is ONE line end
 * at the end of the file (LF or CRLF), which editors and `echo` add without the person typing it.
 * A fixed password (file or env) serves as its own confirmation when a new one is chosen.
 */
import { CliError } from './cli-error.ts';
import { STDIN_PATH, decodeCliText, readCliInput, readCliStdin, type CliInput } from './input-file.ts';
import type { Terminal } from './terminal.ts';
import { PASSWORD_ENV } from './env-vars.ts';

export { PASSWORD_ENV };

/** A password is typed by a person: 4 KiB is far beyond any, and keeps /dev/zero or a huge file from filling memory. */
export const MAX_PASSWORD_FILE_BYTES = 4 * 1024;

export interface PasswordSource {
  /** True when asking again can give another answer: a person at a prompt. */
  readonly canAskAgain: boolean;
  /** The account's existing password (verify a backup, restore). */
  existing(message: string): Promise<string>;
  /** A new password and its confirmation (first backup, new epoch). */
  chosen(message: string, confirmMessage: string): Promise<[password: string, confirmation: string]>;
}

/** Removes exactly one trailing line end, nothing else. */
export function stripOneLineEnd(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

/**
 * The password in a file (or a pipe: `--password-file <(pass show wallet)`, or '-': standard
 * input), bounded while reading. Bytes that are not UTF-8 are refused (exit 2), never decoded
 * lossily: two different byte strings must never become the same password. Standard input is
 * read once, here: a new password read from it is also its own confirmation (fixedSource).
 */
async function readPasswordFile(path: string): Promise<string> {
  const fromStdin = path === STDIN_PATH;
  const input: CliInput = {
    what: 'password file',
    path,
    maxBytes: MAX_PASSWORD_FILE_BYTES,
    ...(fromStdin ? { shown: 'on standard input (--password-file -)' } : {}),
  };
  if (fromStdin && process.stdin.isTTY === true) {
    // Typed there, it would show on the screen as plain text: the masked prompt is the way.
    throw new CliError('bad-flags', {
      problem: '--password-file - reads the password from a pipe, but standard input is a terminal. Leave --password-file out to be asked for it (masked), or pipe it in.',
    });
  }
  const bytes = fromStdin ? await readCliStdin(input) : await readCliInput(input);
  try {
    return stripOneLineEnd(decodeCliText(input, bytes));
  } finally {
    bytes.fill(0);
  }
}

function fixedSource(password: string): PasswordSource {
  return {
    canAskAgain: false,
    existing: async () => password,
    chosen: async () => [password, password],
  };
}

/** Reads --password-file now (so a bad path fails before any flow starts); prompts lazily. */
export async function openPasswordSource(passwordFile: string | undefined, env: NodeJS.ProcessEnv, terminal: Terminal): Promise<PasswordSource> {
  if (passwordFile !== undefined) return fixedSource(await readPasswordFile(passwordFile));
  const fromEnv = env[PASSWORD_ENV];
  if (fromEnv !== undefined) return fixedSource(fromEnv);
  if (!terminal.interactive) {
    const missing = async (): Promise<never> => {
      throw new CliError('no-password');
    };
    return { canAskAgain: false, existing: missing, chosen: missing };
  }
  return {
    canAskAgain: true,
    existing: (message) => terminal.askSecret(message),
    async chosen(message, confirmMessage) {
      const password = await terminal.askSecret(message);
      return [password, await terminal.askSecret(confirmMessage)];
    },
  };
}
