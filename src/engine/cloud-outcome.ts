/**
 * Turns a CloudError thrown by an adapter into the machine event that names it. Errors that
 * are not CloudErrors are bugs and propagate.
 *
 * A transient network failure (CloudError.transient) becomes NETWORK.FAILED with a retry hint
 * beside it (networkRetryHint): the flow runner, which owns the step's retry budget, turns it
 * into NETWORK.RETRYING when the machine backs off and budget is left (retry-schedule.ts).
 */
import { isCloudError } from '../ports/cloud-drive.ts';
import type { MachineEvent } from './flow-runner.ts';

/** What the runner needs to decide a retry; never logged as is (the redactor keeps `reason` only). */
export interface NetworkRetryHint {
  retryAfterMs: number | null;
  reason: string;
}

const hints = new WeakMap<object, NetworkRetryHint>();

/** The retry hint of a NETWORK.FAILED event withCloud made from a transient failure, or null. */
export function networkRetryHint(event: MachineEvent): NetworkRetryHint | null {
  return hints.get(event) ?? null;
}

export async function withCloud(
  operation: string,
  run: () => Promise<MachineEvent>,
): Promise<MachineEvent> {
  try {
    return await run();
  } catch (error) {
    if (!isCloudError(error)) throw error;
    switch (error.code) {
      case 'network': {
        const failed: MachineEvent = { type: 'NETWORK.FAILED', operation };
        if (error.transient) hints.set(failed, { retryAfterMs: error.retryAfterMs, reason: error.retryReason ?? 'transient network failure' });
        return failed;
      }
      case 'quota-exceeded':
        return { type: 'UPLOAD.QUOTA_EXCEEDED', neededBytes: error.neededBytes ?? 0 };
      case 'not-signed-in':
        return { type: 'ACCOUNT.CHANGED', account: null };
      case 'hms-missing':
        return { type: 'PROVIDER.HMS_MISSING' };
      case 'hms-outdated':
        return { type: 'PROVIDER.HMS_OUTDATED' };
      // The provider handed back damaged bytes (a failed transfer checksum): a transient read
      // failure the person can retry, in every cloud step. A record that is damaged at rest is
      // found by the record format instead, as malformed or tampered (E2).
      case 'corrupt':
        return { type: 'NETWORK.FAILED', operation: `${operation} (damaged transfer)` };
      // A file over its size cap or a non-file where a file belongs: no retry can help; the step
      // that read it decides (a record it refuses), else the flow fails with this cause.
      case 'too-large':
      case 'not-a-file':
        throw error;
    }
  }
}
