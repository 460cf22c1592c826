/**
 * The backup machine's test model (R3..R5, R8, R10..R13, R15, R16, E3): every outcome each
 * effect can have, every person's input, with the payload variants that take every guard branch
 * (12 and 24 words, each invalid-phrase kind, each provider's check, each hint set, each
 * corruption reason, quota full, account changed to another or to none). Browser-safe.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { BackupContext } from '../../machines/backup.machine.ts';
import { backupMachineV3 } from '../../machines/backup-v3.machine.ts';
import type { MachineModel } from './model-types.ts';
import {
  CORRUPTION_REASONS,
  MNEMONIC_PROBLEMS,
  MODEL_ACCOUNT,
  MODEL_WALLET_ID,
  PROVIDERS,
  USER_VARIANTS,
  accountChangedVariants,
  effectFailedVariants,
  networkVariant,
  retryVariants,
  OTHER_WORD_COUNTS,
  shortestPathsOnly,
  providerCheckVariants,
  runningEffect,
  wrongPasswordVariants,
  type ModelEvent,
} from './variants-common.ts';

/** Version 2's context: version 1's and why the password was asked after all. */
type BackupV2Context = BackupContext & { keyringTaken: boolean };

function events(snapshot: AnyMachineSnapshot): ModelEvent[] {
  const context = snapshot.context as BackupV2Context;
  // The upload creates a keyring only when this flow made one (binding or a new epoch) and no
  // other device's keyring was taken in its place already.
  const createsKeyring = (context.binding || context.newEpochRequested) && !context.keyringTaken;
  const effect = runningEffect(snapshot);
  // A keyring another device created (KEYRING.TAKEN) is a whole one: the harness does not damage it.
  const corrupt = effect === 'unlockKeyring' && context.keyringTaken ? [] : (CORRUPTION_REASONS[effect === 'unlockKeyring' ? 'backupUnlockKeyring' : effect] ?? []);
  // Variant order decides which one the shortest paths carry on with: Huawei backs up 24 words.
  const words = [...(context.provider === 'huawei' ? [24, 12] : [12, 24]), ...OTHER_WORD_COUNTS];
  return [
    ...words.map((n) => ({ type: 'MNEMONIC.VALID', words: n })),
    ...MNEMONIC_PROBLEMS.map((reason) => ({ type: 'MNEMONIC.INVALID', reason })),
    ...providerCheckVariants(context.provider, context.expectedAccount),
    ...PROVIDERS.filter((p) => p !== context.provider).map((active) => ({ type: 'PROVIDER.INACTIVE', active })),
    networkVariant(snapshot),
    ...retryVariants(snapshot),
    { type: 'KEYRING.NONE' },
    { type: 'KEYRING.FOUND', epoch: 1 },
    ...corrupt.map((reason) => ({ type: 'KEYRING.CORRUPT', reason })),
    { type: 'PASSWORD.CHOSEN', tooShort: true, mismatch: false },
    { type: 'PASSWORD.CHOSEN', tooShort: false, mismatch: true },
    { type: 'PASSWORD.CHOSEN', tooShort: false, mismatch: false },
    { type: 'PASSWORD.ENTERED' },
    { type: 'PASSWORD.FORGOTTEN' },
    { type: 'KEYRING.CREATED', epoch: (context.epoch ?? 0) + 1 },
    { type: 'KEYRING.UNLOCKED', epoch: context.epoch ?? 1 },
    ...wrongPasswordVariants(),
    { type: 'WALLET.ENCRYPTED', walletId: MODEL_WALLET_ID, bytes: 1 },
    { type: 'UPLOAD.DONE' },
    { type: 'UPLOAD.QUOTA_EXCEEDED', neededBytes: 1 },
    ...accountChangedVariants(),
    { type: 'SPACE.FREED' },
    { type: 'VERIFY.OK' },
    { type: 'VERIFY.MISMATCH', path: `wallet-backup/wallets/${MODEL_WALLET_ID}.age` },
    { type: 'MANIFEST.PUBLISHED' },
    ...(createsKeyring && effect === 'upload' ? [{ type: 'KEYRING.TAKEN', epoch: context.epoch ?? 1 }] : []),
    ...effectFailedVariants(snapshot),
    ...USER_VARIANTS,
  ];
}

const base = { walletName: 'Main', newEpoch: false, expectedAccount: MODEL_ACCOUNT, offlineCopyConfirmed: false };

export const backupModel: MachineModel = {
  id: backupMachineV3.id,
  machine: backupMachineV3,
  scenarios: [
    { name: 'gdrive', input: { provider: 'gdrive', ...base }, simplePaths: true },
    // No expected account: the app does not know one; HMS Core can be missing or outdated.
    { name: 'huawei', input: { provider: 'huawei', ...base, expectedAccount: null }, simplePaths: true },
    // --new-password (R8) on a device that confirmed its offline copy (R17).
    { name: 'icloud-new-epoch', input: { provider: 'icloud', ...base, newEpoch: true, offlineCopyConfirmed: true }, simplePaths: true },
  ],
  events,
  shortestPathsOnly,
  // The guards read event fields, and of the context only newEpochRequested.
  guardFacts: (context) => ({ newEpochRequested: context.newEpochRequested }),
  // Whether the upload creates a keyring decides whether KEYRING.TAKEN is offered there.
  variantFacts: (context) => ({
    createsKeyring: (context.binding === true || context.newEpochRequested === true) && context.keyringTaken !== true,
  }),
};
