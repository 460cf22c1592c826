/**
 * The engine's retry policy for a cloud read that is not a flow (engine.listBackups): the same
 * schedule as a flow's logged retries (retry-schedule.ts), but nothing is logged, since a
 * listing changes nothing. The answer says how many tries were made.
 */
import { networkRetryHint } from './cloud-outcome.ts';
import { createInterrupt, type BackoffSleep } from './backoff-sleep.ts';
import type { MachineEvent, RunnerRetry } from './flow-runner.ts';
import { nextRetry } from './retry-schedule.ts';

export async function retryingCall(
  call: () => Promise<MachineEvent>,
  retry: RunnerRetry,
  sleep: BackoffSleep,
): Promise<{ event: MachineEvent; tries: number }> {
  const startedAt = retry.clock();
  const never = createInterrupt().interrupt;
  for (let tries = 1; ; tries++) {
    const event = await call();
    const hint = event.type === 'NETWORK.FAILED' ? networkRetryHint(event) : null;
    if (hint === null) return { event, tries };
    const decision = nextRetry(retry.policy, { attempt: tries, elapsedMs: retry.clock() - startedAt, retryAfterMs: hint.retryAfterMs }, retry.random());
    if (!decision.retry) return { event, tries };
    await sleep(decision.delayMs, never);
  }
}
