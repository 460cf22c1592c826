import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
const N = Number(process.argv[2] ?? 3000);
const dir = mkdtempSync(join(tmpdir(), 'proto-'));
const s = openSqliteEventStore({ path: join(dir, `st.db`) });
s.db.pragma(`synchronous = ${process.argv[3] ?? 'OFF'}`);
const f = randomUUID();
let i = 0;
const rec = () => ({ flowId: f, position: i, machineId: 'backup', machineVersion: 1, fromState: i === 0 ? null : '{"uploading":"running"}',
    eventType: 'RETRY', payload: '{}', toState: i % 2 ? '{"uploading":"storageFull"}' : '{"uploading":"networkError"}', at: new Date().toISOString() });
for (let k = 0; k < 1000; k++, i++) await s.append(rec(), { provider: 'gdrive', account: 'a@b.c' });
const t0 = performance.now();
for (let k = 0; k < N; k++, i++) await s.append(rec(), { provider: 'gdrive', account: 'a@b.c' });
console.log('store.append', ((performance.now() - t0) / N * 1000).toFixed(1), 'us');
await s.close(); rmSync(dir, { recursive: true });
