/**
 * Transient failures of an HTTP adapter: a dropped connection, 429, 5xx, a provider's "try again
 * later" (each adapter cites which answers are transient for its provider). An adapter tries
 * each call once and throws them as CloudError('network') marked transient, with the wait the
 * provider asked for; whether and when to try again is the engine's decision, under its
 * RetryPolicy, as logged transitions (src/engine/retry-schedule.ts, machines/retry-states.ts).
 */
import { CloudError } from '../../src/ports/cloud-drive.ts';

/** A failure the call may be tried again after; `afterMs` is the wait the provider asked for. */
export class TransientFailure extends Error {
  override readonly name = 'TransientFailure';
  constructor(
    /** An HTTP status and the provider's reason, or the connection fault: no URL, no token. */
    readonly reason: string,
    readonly afterMs: number | null,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

/** The CloudError('network') for a transient failure: `message` for people, the hint for the engine. */
export function transientError(message: string, failure: TransientFailure): CloudError {
  return new CloudError('network', message, undefined, { cause: failure, transient: true, retryAfterMs: failure.afterMs, reason: failure.reason });
}

/** HTTP Retry-After (RFC 9110, section 10.2.3): delay-seconds or an HTTP-date; null if absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d{1,9}$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
