/**
 * Switching the device's one active backup provider (R15), as a pure XState v5 statechart.
 *
 *   checkingProvider (the new one: signed in, HMS Core for Huawei) -> confirming -> done
 *
 * Backups already made stay where they are; new backups go to the new provider only, so a
 * wallet is never synced to two providers at once. The engine derives the active provider
 * from the log's completed switches, so `done` is the whole effect.
 */
import { assign, setup } from 'xstate';
import type { ProviderId, ProviderSwitchEvent } from './events.ts';
import { providerCheckActions, providerCheckStates } from './provider-check.ts';
import { outcome, waitsFor } from './state-meta.ts';

export const PROVIDER_SWITCH_MACHINE_ID = 'providerSwitch';
export const PROVIDER_SWITCH_MACHINE_VERSION = 1;

export interface ProviderSwitchInput {
  from: ProviderId | null;
  /** The provider to switch to; the machine's checks run against it. */
  provider: ProviderId;
  expectedAccount?: string | null;
}

export interface ProviderSwitchContext {
  from: ProviderId | null;
  provider: ProviderId;
  expectedAccount: string | null;
  account: string | null;
  actualAccount: string | null;
  hmsProblem: 'missing' | 'outdated' | null;
}

const ID = PROVIDER_SWITCH_MACHINE_ID;

export const providerSwitchMachine = setup({
  types: {
    input: {} as ProviderSwitchInput,
    context: {} as ProviderSwitchContext,
    events: {} as ProviderSwitchEvent,
  },
  guards: {
    alreadyActive: ({ context }) => context.from === context.provider,
  },
  actions: {
    ...providerCheckActions<ProviderSwitchContext, ProviderSwitchEvent>(),
  },
}).createMachine({
  id: ID,
  version: String(PROVIDER_SWITCH_MACHINE_VERSION),
  context: ({ input }) => ({
    from: input.from,
    provider: input.provider,
    expectedAccount: input.expectedAccount ?? null,
    account: null,
    actualAccount: null,
    hmsProblem: null,
  }),
  initial: 'deciding',
  states: {
    deciding: {
      always: [{ guard: 'alreadyActive', target: 'alreadyActive' }, { target: 'checkingProvider' }],
    },
    ...providerCheckStates(ID, 'confirming'),
    // The person confirms: new backups go to the new provider; old ones stay where they are.
    confirming: {
      ...waitsFor(['CONFIRM', 'CANCEL']),
      on: { CONFIRM: 'done', CANCEL: 'cancelled' },
    },
    done: outcome('done'),
    alreadyActive: outcome('done', 'already-active'),
  },
  output: ({ context }) => ({ from: context.from, provider: context.provider, account: context.account }),
});

export type ProviderSwitchMachine = typeof providerSwitchMachine;
