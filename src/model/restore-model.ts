/**
 * The restore machine's test model (R8, R10, R11, R14, E1, E2): listing found / none (with and
 * without other accounts this device knows) / corrupt, choosing a listed wallet, right and wrong
 * passwords with each hint set, each corruption of keyring, record and manifest, 12 and 24
 * words. Browser-safe.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { RestoreContext } from '../../machines/restore.machine.ts';
import { restoreMachineV3 } from '../../machines/restore-v3.machine.ts';
import type { MachineModel } from './model-types.ts';
import {
  CORRUPTION_REASONS,
  MNEMONIC_PROBLEMS,
  MODEL_ACCOUNT,
  MODEL_OTHER_ACCOUNT,
  MODEL_WALLET_ID,
  USER_VARIANTS,
  accountChangedVariants,
  COMMON_WORD_COUNTS,
  effectFailedVariants,
  OTHER_WORD_COUNTS,
  shortestPathsOnly,
  networkVariant,
  retryVariants,
  providerCheckVariants,
  runningEffect,
  wrongPasswordVariants,
  type ModelEvent,
} from './variants-common.ts';

/** A wallet the listing does not hold: the walletListed guard refuses it (the engine never sends it). */
export const UNLISTED_WALLET_ID = 'w-fedcba9876543210';

function events(snapshot: AnyMachineSnapshot): ModelEvent[] {
  const context = snapshot.context as RestoreContext;
  const effect = runningEffect(snapshot);
  const reasons = CORRUPTION_REASONS[effect] ?? [];
  return [
    ...providerCheckVariants(context.provider, context.expectedAccount),
    networkVariant(snapshot),
    ...retryVariants(snapshot),
    ...accountChangedVariants(),
    { type: 'BACKUPS.FOUND', wallets: [{ walletId: MODEL_WALLET_ID, epoch: 1 }] },
    { type: 'BACKUPS.NONE', knownAccounts: [] },
    // R11: this device's log may know another account that made backups here.
    { type: 'BACKUPS.NONE', knownAccounts: [MODEL_OTHER_ACCOUNT] },
    { type: 'WALLET.CHOSEN', walletId: MODEL_WALLET_ID },
    { type: 'WALLET.CHOSEN', walletId: UNLISTED_WALLET_ID },
    { type: 'PASSWORD.ENTERED' },
    { type: 'KEYRING.UNLOCKED', epoch: context.epoch ?? 1 },
    ...wrongPasswordVariants(),
    ...(effect === 'unlockKeyring' ? reasons.map((reason) => ({ type: 'KEYRING.CORRUPT', reason })) : []),
    { type: 'WALLET.DECRYPTED' },
    ...(effect === 'decryptWallet' ? reasons.map((reason) => ({ type: 'RECORD.CORRUPT', reason })) : []),
    ...[...COMMON_WORD_COUNTS, ...OTHER_WORD_COUNTS].map((words) => ({ type: 'MNEMONIC.VALID', words })),
    ...MNEMONIC_PROBLEMS.map((reason) => ({ type: 'MNEMONIC.INVALID', reason })),
    ...effectFailedVariants(snapshot),
    ...USER_VARIANTS,
  ];
}

export const restoreModel: MachineModel = {
  id: restoreMachineV3.id,
  machine: restoreMachineV3,
  scenarios: [
    { name: 'gdrive', input: { provider: 'gdrive', expectedAccount: MODEL_ACCOUNT }, simplePaths: true },
    { name: 'huawei', input: { provider: 'huawei', expectedAccount: null }, simplePaths: true },
  ],
  events,
  shortestPathsOnly,
  // The one guard (walletListed) reads the listed wallet ids; nothing else in the context.
  guardFacts: (context) => ({ wallets: (context.wallets as { walletId: string }[]).map((w) => w.walletId) }),
};
