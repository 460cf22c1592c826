/**
 * The offline-copy machine's test model (R17): one initial transition into its final state.
 * Browser-safe.
 */
import { offlineCopyMachine } from '../../machines/offline-copy.machine.ts';
import type { MachineModel } from './model-types.ts';
import { MODEL_ACCOUNT, MODEL_WALLET_ID } from './variants-common.ts';

export const offlineCopyModel: MachineModel = {
  id: offlineCopyMachine.id,
  machine: offlineCopyMachine,
  scenarios: [{ name: 'gdrive', input: { provider: 'gdrive', account: MODEL_ACCOUNT, walletId: MODEL_WALLET_ID }, simplePaths: false }],
  events: () => [],
  guardFacts: () => null,
};
