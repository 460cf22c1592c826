/**
 * The `backoff` effect of a version-3 cloud step's `backingOff` state (machines/retry-states.ts):
 * wait the delay NETWORK.RETRYING put in context.retry, then answer BACKOFF.DONE (the step tries
 * again). A person's CANCEL while it waits interrupts the wait (the runner fires the effect's
 * interrupt) and the effect answers CANCEL for the person, so the flow ends cancelled at once
 * instead of after the wait and the next try.
 */
import type { Effect, MachineEvent } from './flow-runner.ts';
import type { BackoffSleep } from './backoff-sleep.ts';

export function backoffEffect<Slot>(sleep: BackoffSleep): Effect<Slot> {
  return async (flow): Promise<MachineEvent> => {
    const retry = flow.context().retry as { delayMs?: unknown } | null | undefined;
    const delayMs = typeof retry?.delayMs === 'number' ? retry.delayMs : 0;
    const slept = await sleep(delayMs, flow.interrupt);
    return slept === 'interrupted' ? { type: 'CANCEL' } : { type: 'BACKOFF.DONE' };
  };
}
