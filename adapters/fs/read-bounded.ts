/**
 * Bounded reads of local files and streams: a cap enforced while reading, so an endless or huge
 * input (/dev/zero, a 3 GB file, a pipe that never ends) costs at most the cap plus one chunk of
 * memory and ends in a clear error naming what was read and the cap. Node only.
 */
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

const CHUNK_BYTES = 64 * 1024;

/** The input was larger than its cap; `bytesRead` is how far reading got before it stopped (cap + 1 at most). */
export class TooLargeError extends Error {
  override readonly name = 'TooLargeError';
  constructor(
    readonly what: string,
    readonly maxBytes: number,
  ) {
    super(`${what} is larger than ${maxBytes} bytes, the most it may hold`);
  }
}

/** The path is not a regular file (a folder, a device, a FIFO, a socket, or a symlink when they are refused). */
export class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError';
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(`${path} is ${kind}, not a regular file`);
  }
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
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > maxBytes) throw new TooLargeError(what, maxBytes);
    chunks.push(chunk.subarray(0, bytesRead));
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

export interface ReadFileBoundedOptions {
  /** Refuse a symlink at the path itself (O_NOFOLLOW); its folders are the caller's business. */
  noFollow?: boolean;
  /** Only a regular file is read (no device, FIFO, socket): the default. */
  regularOnly?: boolean;
}

/** A local file's bytes, or null when it does not exist; at most maxBytes, checked while reading. */
export async function readFileBounded(
  path: string,
  maxBytes: number,
  options: ReadFileBoundedOptions = {},
): Promise<Uint8Array | null> {
  const flags = constants.O_RDONLY | (options.noFollow ? constants.O_NOFOLLOW : 0) | constants.O_NONBLOCK;
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
    if ((options.regularOnly ?? true) && !stats.isFile()) throw new NotRegularFileError(path, fileKind(stats));
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
