import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { retryAfterMs, TransientFailure, transientError } from '../../adapters/http/retry.ts';
import { BodyTooLarge, readBoundedBody } from '../../adapters/http/bounded-body.ts';
import { CloudError } from '../../src/ports/cloud-drive.ts';

describe('transient failures', () => {
  it('become a network CloudError marked transient, with the wait the provider asked for and a reason without the message', () => {
    const error = transientError('Could not reach Google Drive: files.get failed (HTTP 503). Check the connection, then retry.', new TransientFailure('HTTP 503', 2_000));
    expect(error).toBeInstanceOf(CloudError);
    expect(error.code).toBe('network');
    expect(error.transient).toBe(true);
    expect(error.retryAfterMs).toBe(2_000);
    expect(error.retryReason).toBe('HTTP 503');
    expect(error.cause).toBeInstanceOf(TransientFailure);
  });

  it('a network error with no hint is not transient', () => {
    const error = new CloudError('network', 'refused');
    expect([error.transient, error.retryAfterMs, error.retryReason]).toEqual([false, null, null]);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3', 0)).toBe(3_000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(retryAfterMs(null, 0)).toBeNull();
    expect(retryAfterMs('soon', 0)).toBeNull();
  });
});

describe('readBoundedBody', () => {
  async function serve(handler: Parameters<typeof createServer>[1]) {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/`,
      close: () => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  it('reads a body within the cap', async () => {
    const server = await serve((_req, res) => res.end('hello'));
    try {
      expect(new TextDecoder().decode(await readBoundedBody(await fetch(server.url), 5))).toBe('hello');
    } finally {
      await server.close();
    }
  });

  it('refuses an endless body without a Content-Length after about the cap', async () => {
    let sent = 0;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    try {
      await expect(readBoundedBody(await fetch(server.url), 1024 * 1024)).rejects.toBeInstanceOf(BodyTooLarge);
      expect(sent).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });

  it('refuses a body whose Content-Length is over the cap before reading it', async () => {
    const server = await serve((_req, res) => res.end(Buffer.alloc(2048)));
    try {
      await expect(readBoundedBody(await fetch(server.url), 1024)).rejects.toBeInstanceOf(BodyTooLarge);
    } finally {
      await server.close();
    }
  });
});
