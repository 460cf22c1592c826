/**
 * When a cloud step is tried again after a transient failure, under the engine's RetryPolicy
 * (src/ports/retry.ts): truncated exponential backoff with full jitter (AWS Architecture Blog,
 * "Exponential Backoff And Jitter"), never shorter than the wait the provider asked for (HTTP
 * Retry-After, RFC 9110 section 10.2.3; CloudKit `retryAfter`), bounded in tries and in total
 * time since the step's first try. Pure: the caller passes the jitter and the elapsed time.
 *
 * Written here rather than taken from a backoff package: the ones on npm (exponential-backoff,
 * p-retry) run the loop themselves, and here every retry is a logged transition of a machine.
 */
import type { RetryPolicy } from '../ports/retry.ts';

/** The backoff before retry number `retry` (1 = the first retry): full jitter over a capped exponential. */
export function backoffMs(policy: RetryPolicy, retry: number, random: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random * cap);
}

export interface FailedTry {
  /** The try that failed (1 = the first). */
  attempt: number;
  /** Time since the step's first try began, in ms. */
  elapsedMs: number;
  /** The wait the provider asked for, or null. */
  retryAfterMs: number | null;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; why: 'attempts' | 'total-time' };

/** Whether to try again after `failed`, and after how long; `random` in [0, 1) is the jitter. */
export function nextRetry(policy: RetryPolicy, failed: FailedTry, random: number): RetryDecision {
  if (failed.attempt >= policy.attempts) return { retry: false, why: 'attempts' };
  const delayMs = Math.max(backoffMs(policy, failed.attempt, random), failed.retryAfterMs ?? 0);
  if (failed.elapsedMs + delayMs > policy.totalMs) return { retry: false, why: 'total-time' };
  return { retry: true, delayMs };
}

/** A policy is usable when its numbers are whole, attempts at least 1, and no bound is negative. */
export function checkRetryPolicy(policy: RetryPolicy): string | null {
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isSafeInteger(value) || value < 0) return `${name} must be a whole number of 0 or more (got ${String(value)})`;
  }
  if (policy.attempts < 1) return 'attempts must be at least 1 (1 = never retry)';
  return null;
}
