/**
 * Recording that the person confirmed a written, offline copy of a wallet's mnemonic (R17).
 *
 * A one-transition flow: its initial transition is the record. The engine reports every
 * backed-up wallet without such a record as relying on the cloud alone.
 */
import { setup } from 'xstate';
import type { ProviderId } from './events.ts';
import { outcome } from './state-meta.ts';

export const OFFLINE_COPY_MACHINE_ID = 'offlineCopy';
export const OFFLINE_COPY_MACHINE_VERSION = 1;

export interface OfflineCopyInput {
  provider: ProviderId;
  account: string;
  walletId: string;
}

export const offlineCopyMachine = setup({
  types: { input: {} as OfflineCopyInput, context: {} as OfflineCopyInput },
}).createMachine({
  id: OFFLINE_COPY_MACHINE_ID,
  version: String(OFFLINE_COPY_MACHINE_VERSION),
  context: ({ input }) => ({ ...input }),
  initial: 'confirmed',
  states: { confirmed: outcome('done') },
});

export type OfflineCopyMachine = typeof offlineCopyMachine;
