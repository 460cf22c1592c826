/**
 * Runs a cloud call under a RetryPolicy (src/ports/retry.ts): truncated exponential backoff with
 * full jitter, bounded in attempts and total time, honouring a wait the provider asks for.
 *
 * Written here rather than taken from a backoff package: the ones on npm (exponential-backoff,
 * p-retry) cannot honour a server's Retry-After, bound the total time, or run on an injected
 * clock, which the fault tests need; p-retry 9 also needs Node 22.
 */
import type { RetryNotice, RetryPolicy } from '../../src/ports/retry.ts';

/** A failure the call may be tried again after; `afterMs` is the wait the provider asked for. */
export class TransientFailure extends Error {
  override readonly name = 'TransientFailure';
  constructor(
    readonly reason: string,
    readonly afterMs: number | null,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1): the jitter. */
  random(): number;
}

export const REAL_CLOCK: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** The backoff before retry number `retry` (1 = the first retry): full jitter over a capped exponential. */
export function backoffMs(policy: RetryPolicy, retry: number, random: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random * cap);
}

/**
 * Calls `attempt` until it returns, throws something other than TransientFailure, or the policy
 * is spent; then the last TransientFailure is thrown (the caller maps it to its CloudError).
 */
export async function withRetry<T>(
  operation: string,
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  options: { clock?: RetryClock; onRetry?: (notice: RetryNotice) => void } = {},
): Promise<T> {
  const clock = options.clock ?? REAL_CLOCK;
  const started = clock.now();
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof TransientFailure) || tried >= policy.attempts) throw error;
      const delayMs = Math.max(backoffMs(policy, tried, clock.random()), error.afterMs ?? 0);
      if (clock.now() + delayMs - started > policy.totalMs) throw error;
      options.onRetry?.({ operation, attempt: tried, delayMs, reason: error.reason });
      await clock.sleep(delayMs);
    }
  }
}

/** HTTP Retry-After (RFC 9110, section 10.2.3): delay-seconds or an HTTP-date; null if absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d{1,9}$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
