/**
 * Bounded reads of local files and streams: a cap enforced while reading, so an endless or huge
 * input (/dev/zero, a 3 GB file, a pipe that never ends) costs at most the cap plus one chunk of
 * memory and ends in a clear error naming what was read and the cap. Node only.
 *
 * Two kinds of input:
 * - `regularOnly` (the default; the cloud folder, device.json, checkpoints): only a regular file
 *   is read. The file is opened with O_NONBLOCK, so a FIFO put where a file belongs cannot stall
 *   the open; it is then refused by its type. A regular file whose size already exceeds the cap is
 *   refused from fstat, before a byte is read (a 3 GB sparse file costs nothing).
 * - `regularOnly: false` (what a person names on the command line: `--mnemonic-file /dev/stdin`,
 *   `<(pass show wallet)`): pipes and devices are read too, without O_NONBLOCK (a FIFO waits for
 *   its writer, as `cat` does); only a folder is refused.
 * The cap is enforced while reading in both cases, because a file can grow after fstat.
 */
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

const CHUNK_BYTES = 64 * 1024;

/** The input was larger than its cap; reading stopped at the cap plus one byte. */
export class TooLargeError extends Error {
  override readonly name = 'TooLargeError';
  constructor(
    /** What was read, as given by the caller (a path, "standard input"). */
    readonly what: string,
    readonly maxBytes: number,
  ) {
    super(`${JSON.stringify(what)} is larger than ${describeBytes(maxBytes)}, the most it may hold`);
  }
}

/** The path is not a regular file (a folder, a device, a FIFO, a socket, or a symlink when they are refused). */
export class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError';
  constructor(
    readonly path: string,
    /** 'a folder', 'a device', 'a pipe', 'a socket', 'a symbolic link' (fileKind). */
    readonly kind: string,
  ) {
    super(`${JSON.stringify(path)} is ${kind}, not a regular file`);
  }
}

/** The bytes are not UTF-8 text; `offset` is where the first invalid sequence starts. */
export class NotUtf8Error extends Error {
  override readonly name = 'NotUtf8Error';
  constructor(
    readonly what: string,
    readonly offset: number,
  ) {
    super(`${JSON.stringify(what)} is not valid UTF-8 text (the first invalid byte sequence starts at byte ${offset})`);
  }
}

/** "16384 bytes (16 KiB)": the exact number for a reader who checks, the rounded unit for the rest. */
export function describeBytes(bytes: number): string {
  const units = [
    [1024 * 1024 * 1024, 'GiB'],
    [1024 * 1024, 'MiB'],
    [1024, 'KiB'],
  ] as const;
  for (const [size, unit] of units) {
    if (bytes >= size && bytes % size === 0) return `${bytes} bytes (${bytes / size} ${unit})`;
  }
  return `${bytes} bytes`;
}

export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isFIFO()) return 'a pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

/** Reads an open handle to its end, refusing (TooLargeError) as soon as more than maxBytes arrived. */
export async function readHandleBounded(handle: FileHandle, maxBytes: number, what: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    // Never more than one byte past the cap: that byte is what proves the input too large.
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > maxBytes) throw new TooLargeError(what, maxBytes);
    chunks.push(chunk.subarray(0, bytesRead));
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

/** The chunks of an open handle, each at most CHUNK_BYTES, until its end: for inputs read piece by piece (JSONL). */
export async function* handleChunks(handle: FileHandle): AsyncGenerator<Uint8Array> {
  for (;;) {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) return;
    yield chunk.subarray(0, bytesRead);
  }
}

export interface OpenInputOptions {
  /** Refuse a symlink at the path itself (O_NOFOLLOW); its folders are the caller's business. */
  noFollow?: boolean;
  /** Only a regular file is opened (no device, FIFO, socket): the default. A folder is always refused. */
  regularOnly?: boolean;
}

export type ReadFileBoundedOptions = OpenInputOptions;

/**
 * Opens a local file for reading under the rules above: null when it does not exist,
 * NotRegularFileError for what the options refuse. The caller closes the handle.
 */
export async function openInput(path: string, options: OpenInputOptions = {}): Promise<{ handle: FileHandle; stats: Stats } | null> {
  const regularOnly = options.regularOnly ?? true;
  const flags = constants.O_RDONLY | (options.noFollow ? constants.O_NOFOLLOW : 0) | (regularOnly ? constants.O_NONBLOCK : 0);
  let handle: FileHandle;
  try {
    handle = await open(path, flags);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'ELOOP' && options.noFollow) throw new NotRegularFileError(path, 'a symbolic link');
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory() || (regularOnly && !stats.isFile())) throw new NotRegularFileError(path, fileKind(stats));
    return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** A local file's bytes, or null when it does not exist; at most maxBytes, checked while reading. */
export async function readFileBounded(path: string, maxBytes: number, options: ReadFileBoundedOptions = {}): Promise<Uint8Array | null> {
  const opened = await openInput(path, options);
  if (opened === null) return null;
  const { handle, stats } = opened;
  try {
    if (stats.isFile() && stats.size > maxBytes) throw new TooLargeError(path, maxBytes);
    return await readHandleBounded(handle, maxBytes, path);
  } finally {
    await handle.close();
  }
}

/** A stream's bytes (stdin, a socket), refusing as soon as more than maxBytes arrived; the stream is destroyed then. */
export async function readStreamBounded(stream: NodeJS.ReadableStream & { destroy?: () => void }, maxBytes: number, what: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const piece of stream) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece as Uint8Array);
    total += chunk.length;
    if (total > maxBytes) {
      stream.destroy?.();
      throw new TooLargeError(what, maxBytes);
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

/**
 * Strict UTF-8: bytes that are not UTF-8 are refused (NotUtf8Error), never replaced by U+FFFD,
 * so two different byte strings can never decode to the same text (a password, a row). A BOM is
 * kept as U+FEFF, as Buffer#toString kept it: the text is exactly what the bytes say.
 */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new NotUtf8Error(what, firstInvalidOffset(bytes));
  }
}

/** Where the first invalid UTF-8 sequence starts (called only once decoding failed). */
function firstInvalidOffset(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let pendingStart = -1;
  let remaining = 0;
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index] ?? 0;
    try {
      decoder.decode(bytes.subarray(index, index + 1), { stream: true });
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      // The byte broke the sequence it continued (report where that began), or is invalid alone.
      return pendingStart >= 0 ? pendingStart : index;
    }
    if (remaining > 0) {
      remaining -= 1;
      if (remaining === 0) pendingStart = -1;
    } else if (byte >= 0xc2) {
      pendingStart = index;
      remaining = byte >= 0xf0 ? 3 : byte >= 0xe0 ? 2 : 1;
    }
  }
  return pendingStart >= 0 ? pendingStart : bytes.length; // a sequence cut off by the end of the input
}
