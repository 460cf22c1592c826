import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { backoffMs, retryAfterMs, TransientFailure, withRetry, type RetryClock } from '../../adapters/http/retry.ts';
import { BodyTooLarge, readBoundedBody } from '../../adapters/http/bounded-body.ts';
import type { RetryNotice, RetryPolicy } from '../../src/ports/retry.ts';

const POLICY: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 250, totalMs: 10_000 };

/** A clock that only moves when the code under test sleeps; jitter fixed at `random`. */
function fakeClock(random = 0.999): RetryClock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return { slept, now: () => now, random: () => random, sleep: async (ms) => void (slept.push(ms), (now += ms)) };
}

describe('withRetry', () => {
  it('retries transient failures with capped exponential backoff, then returns the answer', async () => {
    const clock = fakeClock();
    const notices: RetryNotice[] = [];
    let calls = 0;
    const result = await withRetry('files.list', POLICY, async () => {
      calls += 1;
      if (calls < 4) throw new TransientFailure('HTTP 503', null);
      return 'page';
    }, { clock, onRetry: (n) => notices.push(n) });
    expect(result).toBe('page');
    expect(clock.slept).toEqual([99, 199, 249]);
    expect(notices.map((n) => [n.attempt, n.reason])).toEqual([[1, 'HTTP 503'], [2, 'HTTP 503'], [3, 'HTTP 503']]);
  });

  it('waits at least what the provider asked for (Retry-After)', async () => {
    const clock = fakeClock(0);
    let calls = 0;
    await withRetry('about.get', POLICY, async () => {
      if (++calls === 1) throw new TransientFailure('HTTP 429', 2_000);
      return null;
    }, { clock });
    expect(clock.slept).toEqual([2_000]);
  });

  it('gives up after the attempts, throwing the last transient failure', async () => {
    const clock = fakeClock();
    let calls = 0;
    const failing = withRetry('files.get', POLICY, async () => {
      calls += 1;
      throw new TransientFailure(`HTTP 500 #${calls}`, null);
    }, { clock });
    await expect(failing).rejects.toThrow('HTTP 500 #4');
    expect(calls).toBe(4);
  });

  it('never starts a retry past the total time', async () => {
    const clock = fakeClock(0);
    let calls = 0;
    const failing = withRetry('files.get', { ...POLICY, totalMs: 5_000 }, async () => {
      calls += 1;
      throw new TransientFailure('HTTP 429', 6_000);
    }, { clock });
    await expect(failing).rejects.toBeInstanceOf(TransientFailure);
    expect(calls).toBe(1);
    expect(clock.slept).toEqual([]);
  });

  it('does not retry an error that is not transient', async () => {
    let calls = 0;
    const failing = withRetry('files.create', POLICY, async () => {
      calls += 1;
      throw new Error('storage full');
    }, { clock: fakeClock() });
    await expect(failing).rejects.toThrow('storage full');
    expect(calls).toBe(1);
  });

  it('backoff stays within [0, min(max, base * 2^(n-1)))', () => {
    for (let retry = 1; retry < 12; retry++) {
      const cap = Math.min(POLICY.maxDelayMs, POLICY.baseDelayMs * 2 ** (retry - 1));
      expect(backoffMs(POLICY, retry, 0)).toBe(0);
      expect(backoffMs(POLICY, retry, 0.999999)).toBeLessThan(cap);
    }
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
