/**
 * The checkProvider effect every flow starts with (R11, R13, R15): who is signed in, the
 * expected account, HMS Core on Huawei, and for backups the device's active provider.
 */
import type { CloudDrive } from '../ports/cloud-drive.ts';
import type { ProviderId } from '../ports/providers.ts';
import { withCloud } from './cloud-outcome.ts';
import type { MachineEvent } from './flow-runner.ts';

export interface ProviderCheck {
  drive: CloudDrive;
  expectedAccount: string | null;
  /** Backups only: the device's active provider, if another one is active the backup is refused. */
  activeProvider?: () => Promise<ProviderId | null>;
}

export function checkProvider({ drive, expectedAccount, activeProvider }: ProviderCheck): Promise<MachineEvent> {
  return withCloud('checkProvider', async () => {
    const status = await drive.status();
    if (drive.provider === 'huawei' && status.hms === 'missing') return { type: 'PROVIDER.HMS_MISSING' };
    if (drive.provider === 'huawei' && status.hms === 'outdated') return { type: 'PROVIDER.HMS_OUTDATED' };
    if (status.account === null) return { type: 'PROVIDER.NOT_SIGNED_IN' };
    if (expectedAccount !== null && status.account !== expectedAccount) {
      return { type: 'PROVIDER.WRONG_ACCOUNT', expected: expectedAccount, actual: status.account };
    }
    if (activeProvider) {
      const active = await activeProvider();
      if (active !== null && active !== drive.provider) return { type: 'PROVIDER.INACTIVE', active };
    }
    return { type: 'PROVIDER.READY', account: status.account };
  });
}
