/**
 * How often and how long a cloud call is tried again after a transient failure (a dropped
 * connection, 429, 5xx, a provider's "try again later"): truncated exponential backoff with
 * full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"), bounded in attempts and
 * in total time, and never shorter than the wait a provider asks for (HTTP Retry-After, CloudKit
 * `retryAfter`). One policy, in the engine's options (BackupEngineOptions.retry), applied by the
 * engine as logged transitions; adapters try each call once (issue 13, item 6).
 */
export interface RetryPolicy {
  /** Tries in all, the first included (1 = never retry). */
  attempts: number;
  /** The backoff before the first retry; it doubles each retry, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts later than this after the first try began. */
  totalMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 8_000, totalMs: 30_000 };

