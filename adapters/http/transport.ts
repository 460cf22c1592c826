/**
 * The options every HTTP cloud adapter takes for its transport. No retry options: an adapter
 * tries each call once and marks transient failures; the engine's RetryPolicy retries them as
 * logged transitions (BackupEngineOptions.retry).
 */
export interface HttpTransportOptions {
  /** The fetch to call (default: the global one). */
  fetch?: typeof fetch;
  /** The time in ms (default Date.now), to read an HTTP-date Retry-After; tests pass a fixed one. */
  now?: () => number;
}
