/**
 * A fresh engine on in-memory adapters, with a lowered scrypt cost passed explicitly (the
 * production work factor is tested in test/engine/production-kdf.test.ts).
 */
import { createMemoryClouds, type MemoryCloud } from '../../adapters/cloud/memory.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { countingKdf } from '../../src/format/index.ts';
import { createBackupEngine } from '../../src/engine/index.ts';
import type { EventStore } from '../../src/ports/event-store.ts';
import type { ProviderId } from '../../src/ports/providers.ts';

export const ALICE = 'alice@example.com';
export const BOB = 'bob@example.com';
export const MNEMONIC_12 = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
export const MNEMONIC_24 =
  'letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless';
export const MNEMONIC_12B = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
export const PASSWORD = 'correct horse 7';
export const TEST_LOG_N = 10;

export function engineOn(options: { clouds?: Record<ProviderId, MemoryCloud>; store?: EventStore; account?: string | null } = {}) {
  const clouds = options.clouds ?? createMemoryClouds({ account: options.account === undefined ? ALICE : options.account });
  const store = options.store ?? openMemoryEventStore();
  const kdf = countingKdf(createNodeScrypt());
  const engine = createBackupEngine({ eventLog: store, clouds, kdf, scryptLogN: TEST_LOG_N, device: { id: 'test-device' } });
  return { engine, clouds, store, kdf };
}

/** A first backup that binds PASSWORD, run to the end. */
export async function bindFirstBackup(engine: ReturnType<typeof engineOn>['engine'], provider: ProviderId = 'gdrive', mnemonic = MNEMONIC_12) {
  const flow = await engine.backup({ provider, mnemonic, walletName: 'Main' });
  await flow.choosePassword(PASSWORD, PASSWORD);
  return flow;
}
