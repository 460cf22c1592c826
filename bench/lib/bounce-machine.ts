/**
 * The machine the recording figures drive (recording.ts, drivers.ts): a backup machine that
 * bounces between two waiting states on RETRY, so each `flow.retry()` is one transition and one
 * durable row, holding the context a real backup flow holds while it waits.
 */
import { createActor, createMachine } from 'xstate';
import { createMemoryClouds } from '../../adapters/cloud/memory.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { backupMachineV3 } from '../../machines/backup-v3.machine.ts';
import { createBackupEngine } from '../../src/engine/index.ts';
import type { EventStore, StoredRow } from '../../src/ports/event-store.ts';

/**
 * What a backup flow holds while it waits after a full cloud: the real backup machine's own
 * initial context (version 3, from its input) with the fields a flow has set by then. Both the
 * engine and the XState peer run a machine holding it: the engine logs transitions (the context
 * is what replay derives), the peer serialises it in every snapshot.
 */
function storageFullContext(): Record<string, unknown> {
  const initial = createActor(backupMachineV3, { input: { provider: 'gdrive', walletName: 'Main' } }).getSnapshot().context as Record<string, unknown>;
  return { ...initial, words: 12, account: 'alice@example.com', epoch: 1, walletId: 'w-3f2a9c1d5e7b8a60', neededBytes: 1337, failure: 'storage-full' };
}

/** Two waiting states, RETRY goes from one to the other: one person's input, one transition. */
export const bounceMachine = createMachine({
  id: 'backup',
  context: storageFullContext(),
  initial: 'uploading',
  states: {
    uploading: {
      initial: 'storageFull',
      states: {
        storageFull: { meta: { waitsFor: ['RETRY'] }, on: { RETRY: 'networkError' } },
        networkError: { meta: { waitsFor: ['RETRY'] }, on: { RETRY: 'storageFull' } },
      },
    },
  },
});


/**
 * The real engine (createBackupEngine + FlowRunner) on `store`, a backup flow whose machine is the
 * bouncing one (the engine's test-only `machines` option): `retry()` is one transition, one
 * durable row; `lastRow()` is the row it appended last (from rows$).
 */
export async function bouncingEngine(store: EventStore) {
  const engine = createBackupEngine({
    eventLog: store,
    clouds: createMemoryClouds({ account: 'alice@example.com' }),
    kdf: createNodeScrypt(),
    device: { id: 'bench' },
    machines: { backup: bounceMachine },
  });
  let last: StoredRow | null = null;
  const subscription = engine.rows$.subscribe((row) => {
    last = row;
  });
  const flow = await engine.backup({ provider: 'gdrive', mnemonic: 'legal winner thank year wave sausage worth useful legal winner thank yellow', walletName: 'Main' });
  return {
    retry: async (): Promise<void> => {
      await flow.retry();
    },
    lastRow: (): StoredRow => last!,
    stop: () => subscription.unsubscribe(),
  };
}
