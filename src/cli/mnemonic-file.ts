/**
 * Reads the recovery phrase for a backup from --mnemonic-file ('-' reads stdin, so the phrase
 * need not sit in a file). The text goes to the engine as read: the engine normalises and checks
 * it (R16) before anything is derived. It is never printed, not even in an error.
 *
 * Bounded while reading: /dev/zero or an endless pipe is cut at MAX_PHRASE_FILE_BYTES and refused
 * (exit 2) naming the file and the cap. Bytes that are not UTF-8 are refused too, never decoded
 * lossily.
 */
import { STDIN_PATH, decodeCliText, readCliInput, readCliStdin, type CliInput } from './input-file.ts';

/** 24 words of at most 8 letters fit in 216 bytes; 4 KiB leaves room for any spacing or line ends, and nothing far larger is a phrase. */
export const MAX_PHRASE_FILE_BYTES = 4 * 1024;

export async function readMnemonicFile(path: string): Promise<string> {
  const input: CliInput = {
    what: 'recovery phrase file',
    path,
    maxBytes: MAX_PHRASE_FILE_BYTES,
    ...(path === STDIN_PATH ? { shown: 'on standard input (--mnemonic-file -)' } : {}),
  };
  const bytes = path === STDIN_PATH ? await readCliStdin(input) : await readCliInput(input);
  try {
    return decodeCliText(input, bytes);
  } finally {
    bytes.fill(0);
  }
}
