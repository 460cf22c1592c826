/**
 * Turns a CloudError thrown by an adapter into the machine event that names it. Errors that
 * are not CloudErrors are bugs and propagate.
 */
import { isCloudError } from '../ports/cloud-drive.ts';
import type { MachineEvent } from './flow-runner.ts';

export async function withCloud(
  operation: string,
  run: () => Promise<MachineEvent>,
): Promise<MachineEvent> {
  try {
    return await run();
  } catch (error) {
    if (!isCloudError(error)) throw error;
    switch (error.code) {
      case 'network':
        return { type: 'NETWORK.FAILED', operation };
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
