/** The options every HTTP cloud adapter takes for its transport: what fetch to use and how to retry. */
import type { RetryNotice, RetryPolicy } from '../../src/ports/retry.ts';
import type { RetryClock } from './retry.ts';

export interface HttpTransportOptions {
  /** The fetch to call (default: the global one). */
  fetch?: typeof fetch;
  /** How transient failures are retried (default: DEFAULT_RETRY_POLICY). */
  retry?: RetryPolicy;
  /** Told before each retry (no secret, no URL query in it). */
  onRetry?: (notice: RetryNotice) => void;
  /** Time and jitter for the retries; tests pass a fake one. */
  clock?: RetryClock;
}
