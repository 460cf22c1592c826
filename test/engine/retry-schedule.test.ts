/**
 * The engine's retry schedule (src/engine/retry-schedule.ts): full-jitter capped exponential
 * backoff, the provider's wait as a floor, bounded in tries and total time. Moved here from the
 * adapters' withRetry tests when retries moved to the engine (issue 13, item 6).
 */
import { describe, expect, it } from 'vitest';
import { backoffMs, checkRetryPolicy, nextRetry } from '../../src/engine/retry-schedule.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/ports/retry.ts';

const POLICY: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 250, totalMs: 10_000 };

/** The delays a step that keeps failing waits, with jitter fixed at `random` and time moving only by the waits. */
function delays(policy: RetryPolicy, random: number, retryAfterMs: number | null = null): number[] {
  const out: number[] = [];
  let elapsedMs = 0;
  for (let attempt = 1; ; attempt++) {
    const decision = nextRetry(policy, { attempt, elapsedMs, retryAfterMs }, random);
    if (!decision.retry) return out;
    out.push(decision.delayMs);
    elapsedMs += decision.delayMs;
  }
}

describe('retry schedule', () => {
  it('retries with capped exponential backoff, as many times as the policy allows after the first try', () => {
    expect(delays(POLICY, 0.999)).toEqual([99, 199, 249]);
  });

  it('waits at least what the provider asked for (Retry-After)', () => {
    expect(nextRetry(POLICY, { attempt: 1, elapsedMs: 0, retryAfterMs: 2_000 }, 0)).toEqual({ retry: true, delayMs: 2_000 });
  });

  it('gives up after the attempts', () => {
    expect(nextRetry(POLICY, { attempt: 4, elapsedMs: 0, retryAfterMs: null }, 0)).toEqual({ retry: false, why: 'attempts' });
    expect(delays({ ...POLICY, attempts: 1 }, 0.5)).toEqual([]);
  });

  it('never starts a retry past the total time', () => {
    expect(nextRetry({ ...POLICY, totalMs: 5_000 }, { attempt: 1, elapsedMs: 0, retryAfterMs: 6_000 }, 0)).toEqual({ retry: false, why: 'total-time' });
    expect(nextRetry({ ...POLICY, totalMs: 5_000 }, { attempt: 2, elapsedMs: 4_990, retryAfterMs: null }, 0.999)).toEqual({ retry: false, why: 'total-time' });
  });

  it('backoff stays within [0, min(max, base * 2^(n-1)))', () => {
    for (let retry = 1; retry < 12; retry++) {
      const cap = Math.min(POLICY.maxDelayMs, POLICY.baseDelayMs * 2 ** (retry - 1));
      expect(backoffMs(POLICY, retry, 0)).toBe(0);
      expect(backoffMs(POLICY, retry, 0.999999)).toBeLessThan(cap);
    }
  });

  it('accepts the default policy and refuses one that cannot be applied', () => {
    expect(checkRetryPolicy(DEFAULT_RETRY_POLICY)).toBeNull();
    expect(checkRetryPolicy({ ...POLICY, attempts: 0 })).toMatch(/attempts must be at least 1/);
    expect(checkRetryPolicy({ ...POLICY, baseDelayMs: -1 })).toMatch(/baseDelayMs/);
    expect(checkRetryPolicy({ ...POLICY, totalMs: 1.5 })).toMatch(/totalMs/);
  });
});
