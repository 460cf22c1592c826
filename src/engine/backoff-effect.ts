/**
 * The `backoff` effect of a version-3 cloud step's `backingOff` state (machines/retry-states.ts):
 * wait the delay NETWORK.RETRYING put in context.retry, then answer BACKOFF.DONE (the step tries
 * again). A person's CANCEL while it waits interrupts the wait (the runner aborts the effect's
 * signal) and the effect answers CANCEL for the person, so the flow ends cancelled at once
 * instead of after the wait and the next try.
 */
import type { Effect, MachineEvent } from './flow-runner.ts';

/** Waits `ms`, or less when `signal` aborts first; says which. */
export type BackoffSleep = (ms: number, signal: AbortSignal) => Promise<'slept' | 'interrupted'>;

/** setTimeout, cut short by the signal (Node, browsers and React Native alike). */
export const timerSleep: BackoffSleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve('interrupted');
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve('slept');
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      resolve('interrupted');
    };
    signal.addEventListener('abort', stop, { once: true });
  });

export function backoffEffect<Slot>(sleep: BackoffSleep): Effect<Slot> {
  return async (flow): Promise<MachineEvent> => {
    const retry = flow.context().retry as { delayMs?: unknown } | null | undefined;
    const delayMs = typeof retry?.delayMs === 'number' ? retry.delayMs : 0;
    const slept = await sleep(delayMs, flow.signal);
    return slept === 'interrupted' ? { type: 'CANCEL' } : { type: 'BACKOFF.DONE' };
  };
}
