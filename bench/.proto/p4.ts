import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMachine } from 'xstate';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { createMemoryClouds } from '../../adapters/cloud/memory.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { createBackupEngine } from '../../src/engine/index.ts';
const N = Number(process.argv[2] ?? 3000);
const SYNC = process.argv[3] ?? 'OFF';
const dir = mkdtempSync(join(tmpdir(), 'proto-'));
const bounce = createMachine({ id: 'backup', initial: 'uploading', context: {}, states: { uploading: { initial: 'storageFull', states: {
  storageFull: { meta: { waitsFor: ['RETRY'] }, on: { RETRY: 'networkError' } },
  networkError: { meta: { waitsFor: ['RETRY'] }, on: { RETRY: 'storageFull' } } } } } });
const store = openSqliteEventStore({ path: join(dir, 'e.db') });
store.db.pragma(`synchronous = ${SYNC}`);
const engine = createBackupEngine({ eventLog: store, clouds: createMemoryClouds({ account: 'a@b.c' }), kdf: createNodeScrypt(), machines: { backup: bounce }, device: { id: 'bench' } });
const flow = await engine.backup({ provider: 'gdrive', mnemonic: 'legal winner thank year wave sausage worth useful legal winner thank yellow' });
for (let i = 0; i < 500; i++) await flow.retry();
const t0 = performance.now();
for (let i = 0; i < N; i++) await flow.retry();
console.log('engine bounce', ((performance.now() - t0) / N * 1000).toFixed(1), 'us');

await store.close();
rmSync(dir, { recursive: true });
