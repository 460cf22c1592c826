/**
 * The provider-switch machine's test model (R15): a first provider, a change of provider, the
 * same provider again (the eventless `alreadyActive` branch), and Huawei with HMS Core missing or
 * outdated (R13). Browser-safe.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { ProviderSwitchContext } from '../../machines/provider-switch.machine.ts';
import { providerSwitchMachineV3 } from '../../machines/provider-switch-v3.machine.ts';
import type { MachineModel } from './model-types.ts';
import { MODEL_ACCOUNT, USER_VARIANTS, effectFailedVariants, networkVariant, retryVariants, shortestPathsOnly, providerCheckVariants, type ModelEvent } from './variants-common.ts';

function events(snapshot: AnyMachineSnapshot): ModelEvent[] {
  const context = snapshot.context as ProviderSwitchContext;
  return [
    ...providerCheckVariants(context.provider, context.expectedAccount),
    networkVariant(snapshot),
    ...retryVariants(snapshot),
    { type: 'CONFIRM' },
    ...effectFailedVariants(snapshot),
    ...USER_VARIANTS,
  ];
}

export const providerSwitchModel: MachineModel = {
  id: providerSwitchMachineV3.id,
  machine: providerSwitchMachineV3,
  scenarios: [
    { name: 'first', input: { from: null, provider: 'gdrive', expectedAccount: MODEL_ACCOUNT }, simplePaths: true },
    { name: 'change', input: { from: 'icloud', provider: 'gdrive', expectedAccount: null }, simplePaths: true },
    { name: 'huawei', input: { from: 'gdrive', provider: 'huawei', expectedAccount: null }, simplePaths: true },
    { name: 'same', input: { from: 'gdrive', provider: 'gdrive', expectedAccount: null }, simplePaths: true },
  ],
  events,
  shortestPathsOnly,
  // The one guard (alreadyActive) reads from and provider, both fixed by the input.
  guardFacts: (context) => ({ from: context.from, provider: context.provider }),
};
