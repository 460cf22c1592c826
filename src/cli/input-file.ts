/**
 * The local inputs a person names on the command line (--mnemonic-file, --password-file,
 * --from-jsonl), read with a cap enforced WHILE reading (adapters/fs/read-bounded.ts): /dev/zero,
 * an endless pipe or a 3 GB file costs at most the cap plus one chunk of memory. Every way such an
 * input can fail (missing, a folder, over its cap, not UTF-8, refused by the system) becomes the
 * 'unreadable-file' problem (exit 2), naming the file (quoted, so a hostile name cannot
 * forge output) and, when it is the size, the cap. The content itself never reaches a message.
 *
 * Pipes and devices are read, since that is how secrets are handed over without a file on disk
 * (`--password-file <(pass show wallet)`, `--mnemonic-file /dev/stdin`); only a folder is refused.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { NotRegularFileError, NotUtf8Error, TooLargeError, decodeUtf8, describeBytes, openInput, readHandleBounded, readStreamBounded } from '../../adapters/fs/read-bounded.ts';
import { CliError } from './cli-error.ts';

/** The path that names standard input (`--mnemonic-file -`, `--password-file -`). */
export const STDIN_PATH = '-';

/**
 * The paths that read this process's standard input: '-' and the system's names for file
 * descriptor 0. Only one input can come from it, so two flags naming it are refused.
 */
const STDIN_NAMES: ReadonlySet<string> = new Set([STDIN_PATH, '/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

export function readsStdin(path: string | undefined): boolean {
  return path !== undefined && STDIN_NAMES.has(path);
}

/**
 * Refuses (exit 2, before anything is read) two inputs that would both read standard input: the
 * first would take all of it and the second nothing. `flags` pairs each flag with its value.
 */
export function refuseSharedStdin(flags: ReadonlyArray<readonly [flag: string, path: string | undefined]>): void {
  const onStdin = flags.filter(([, path]) => readsStdin(path));
  if (onStdin.length < 2) return;
  const named = onStdin.map(([flag, path]) => `${flag} ${path}`).join(' and ');
  throw new CliError('bad-flags', {
    problem: `${named} both read standard input, which holds one of them only. Give one of them a file (--password-file <(pass show wallet) reads a pipe without one).`,
  });
}

export interface CliInput {
  /** What the input is, in the message: "recovery phrase file". */
  what: string;
  /** The path as the person gave it. */
  path: string;
  /** How it is named in messages; the quoted path by default. */
  shown?: string;
  maxBytes: number;
}

/** How an input is named in a message: quoted, so control characters in a path show escaped. */
export function shownInput(input: CliInput): string {
  return input.shown ?? JSON.stringify(input.path);
}

/** The 'unreadable-file' problem for this input, with the cause in words. */
export function inputError(input: CliInput, cause: string): CliError {
  return new CliError('unreadable-file', { what: input.what, path: shownInput(input), cause });
}

/** The system's own words for an errno error ("EACCES: permission denied"), without the path it repeats. */
function isSystemError(error: unknown): error is Error & { code: string } {
  const code: unknown = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

/** The CliError for an error met while opening or reading the input; anything unexpected is rethrown (a bug: exit 1). */
export function inputProblem(input: CliInput, error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof TooLargeError) {
    return inputError(input, `it holds more than ${describeBytes(input.maxBytes)}, the most a ${input.what} may hold (reading stopped there)`);
  }
  if (error instanceof NotRegularFileError) return inputError(input, `it is ${error.kind}, not a file`);
  if (error instanceof NotUtf8Error) {
    return inputError(input, `it is not UTF-8 text (the first invalid byte sequence starts at byte ${error.offset}); save it as UTF-8`);
  }
  if (isSystemError(error)) return inputError(input, (error.message.split(',')[0] ?? error.code).trim());
  throw error;
}

/** Opens the input for reading piece by piece (a pipe or device too; a folder is refused). The caller closes the handle. */
export async function openCliInput(input: CliInput): Promise<{ handle: FileHandle; stats: Stats }> {
  let opened;
  try {
    opened = await openInput(input.path, { regularOnly: false });
  } catch (error) {
    throw inputProblem(input, error);
  }
  if (opened === null) throw inputError(input, 'it does not exist');
  return opened;
}

/** The whole input, at most input.maxBytes (refused as soon as one byte more arrives). */
export async function readCliInput(input: CliInput): Promise<Uint8Array> {
  const { handle, stats } = await openCliInput(input);
  try {
    if (stats.isFile() && stats.size > input.maxBytes) throw new TooLargeError(input.path, input.maxBytes);
    return await readHandleBounded(handle, input.maxBytes, input.path);
  } catch (error) {
    throw inputProblem(input, error);
  } finally {
    await handle.close();
  }
}

/** This process's standard input to its end, at most input.maxBytes; an endless stream is cut at the cap and closed. */
export async function readCliStdin(input: CliInput): Promise<Uint8Array> {
  try {
    return await readStreamBounded(process.stdin, input.maxBytes, 'standard input');
  } catch (error) {
    throw inputProblem(input, error);
  }
}

/** The input's bytes as text, refused (never replaced by U+FFFD) when they are not UTF-8. */
export function decodeCliText(input: CliInput, bytes: Uint8Array): string {
  try {
    return decodeUtf8(bytes, input.path);
  } catch (error) {
    throw inputProblem(input, error);
  }
}
