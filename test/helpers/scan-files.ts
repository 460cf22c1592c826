/**
 * Test helper for R6: looks for needles (passwords, mnemonics, markers) in the raw bytes of files,
 * e.g. an SQLite database and its -wal and -shm files.
 *
 * Each needle is searched in its NFC, NFD, NFKC and NFKD forms, each encoded as UTF-8 and as
 * UTF-16LE. A missing file throws unless `ignoreMissing` is set (a scan of nothing must not pass
 * silently). Limit: SQLite splits rows larger than a page across overflow pages, so a needle in a
 * very large row may be cut in two on disk; the rows of the event log are small.
 */
import { readFileSync } from 'node:fs';

export interface FileHit {
  file: string;
  needle: string;
  /** Which form and encoding matched, e.g. 'NFC/utf-8'. */
  encoding: string;
}

const FORMS = ['NFC', 'NFD', 'NFKC', 'NFKD'] as const;

function encodings(needle: string): { bytes: Buffer; encoding: string }[] {
  const seen = new Set<string>();
  const out: { bytes: Buffer; encoding: string }[] = [];
  for (const form of FORMS) {
    const text = needle.normalize(form);
    for (const encoding of ['utf-8', 'utf-16le'] as const) {
      const bytes = Buffer.from(text, encoding === 'utf-8' ? 'utf8' : 'utf16le');
      const key = bytes.toString('hex');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ bytes, encoding: `${form}/${encoding}` });
    }
  }
  return out;
}

/** Every (file, needle) pair where the needle occurs in the file's bytes; at most one hit per pair. */
export function findBytesInFiles(
  paths: readonly string[],
  needles: readonly string[],
  options: { ignoreMissing?: boolean } = {},
): FileHit[] {
  const hits: FileHit[] = [];
  const encoded = needles.filter((n) => n !== '').map((needle) => ({ needle, forms: encodings(needle) }));
  for (const file of paths) {
    let content: Buffer;
    try {
      content = readFileSync(file);
    } catch (error) {
      if (options.ignoreMissing && (error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const { needle, forms } of encoded) {
      const found = forms.find(({ bytes }) => content.includes(bytes));
      if (found !== undefined) hits.push({ file, needle, encoding: found.encoding });
    }
  }
  return hits;
}
