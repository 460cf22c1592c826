/**
 * Test helper for the emulators: an upload cut off mid-body. The server reads about half of the
 * request body (by its Content-Length, RFC 9110 section 8.6) and then destroys the connection, so
 * the client sees a dropped connection while it is still sending and the server has applied
 * nothing (item 8 of issue 13: an interrupted upload leaves no file).
 */
import type { IncomingMessage } from 'node:http';

/** Reads until half the declared body arrived (or the body ended), then drops the connection. */
export async function readHalfThenCut(request: IncomingMessage): Promise<void> {
  const declared = Number(request.headers['content-length'] ?? '0');
  const half = Math.floor(declared / 2);
  let received = 0;
  for await (const chunk of request) {
    received += (chunk as Buffer).length;
    if (received >= half) break;
  }
  request.socket.destroy();
}
