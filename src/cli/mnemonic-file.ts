/**
 * Reads the recovery phrase for a backup from --mnemonic-file ('-' reads stdin, so the phrase
 * need not sit in a file). The text goes to the engine as read: the engine normalises and checks
 * it (R16) before anything is derived. It is never printed, not even in an error.
 */
import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error.ts';

/** 24 words of at most 8 letters fit in 216 bytes; anything far larger is not a phrase file. */
const MAX_PHRASE_FILE_BYTES = 16 * 1024;

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readMnemonicFile(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = path === '-' ? await readStdin() : await readFile(path);
  } catch (error) {
    throw new CliError('unreadable-file', { what: 'recovery phrase file', path, cause: (error as Error).message });
  }
  if (bytes.length > MAX_PHRASE_FILE_BYTES) {
    throw new CliError('unreadable-file', { what: 'recovery phrase file', path, cause: `it is ${bytes.length} bytes, too large for a 12- or 24-word phrase` });
  }
  return bytes.toString('utf8');
}
