/**
 * Starting flows the way an app does: the path's own flow through the engine's public methods,
 * and the backups the world makes (on another device, or on this one when its log must know them).
 */
import type { ProviderId } from '../../../machines/events.ts';
import type { BackupEngine } from '../../../src/engine/index.ts';
import type { FlowBase } from '../../../src/engine/flow-types.ts';
import type { ModelPath } from '../../../src/model/index.ts';
import type { PathPlan } from './plan.ts';
import { PASSWORD } from './secrets.ts';
import type { AnyFlow } from './world.ts';

/** Backs phrases up under the signed-in account with PASSWORD, through `engine`; answers the wallet ids. */
export async function backUp(engine: BackupEngine, provider: ProviderId, mnemonics: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [n, mnemonic] of mnemonics.entries()) {
    const flow = await engine.backup({ provider, mnemonic, walletName: n === 0 ? 'Main' : 'Second' });
    if (n === 0) await flow.choosePassword(PASSWORD, PASSWORD);
    else await flow.enterPassword(PASSWORD);
    const result = flow.result();
    if (result.outcome !== 'done' || result.walletId === null) throw new Error(`harness: setup backup ended ${JSON.stringify(result)}`);
    ids.push(result.walletId);
  }
  return ids;
}

export async function startFlow(engine: BackupEngine, path: ModelPath, plan: PathPlan): Promise<(AnyFlow & FlowBase) | null> {
  const input = path.input as {
    provider: ProviderId;
    walletName: string;
    newEpoch: boolean;
    offlineCopyConfirmed: boolean;
    expectedAccount?: string | null;
    account: string;
    walletId: string;
  };
  const provider = input.provider;
  const expected = input.expectedAccount ? { expectedAccount: input.expectedAccount } : {};
  switch (path.machineId) {
    case 'backup':
      return engine.backup({
        provider,
        mnemonic: plan.mnemonic!,
        walletName: input.walletName,
        newEpoch: input.newEpoch,
        offlineCopyConfirmed: input.offlineCopyConfirmed,
        ...expected,
      });
    case 'restore':
      return engine.restore({ provider, ...expected });
    case 'providerSwitch':
      return engine.switchProvider({ to: provider, ...expected });
    case 'offlineCopy':
      await engine.confirmOfflineCopy({ provider, account: input.account, walletId: input.walletId });
      return null;
    default:
      throw new Error(`harness: no way to start a ${path.machineId} flow`);
  }
}
