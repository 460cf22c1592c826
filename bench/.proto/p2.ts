import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID, randomBytes } from 'node:crypto';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
const N = Number(process.argv[2] ?? 3000);
const SYNC = process.argv[3] ?? 'FULL';
const dir = mkdtempSync(join(tmpdir(), 'proto-'));
let k = 0;
function rec(flowId: string, position: number) {
  return { flowId, position, machineId: 'backup', machineVersion: 1, fromState: position === 0 ? null : '{"uploading":"running"}',
    eventType: 'UPLOAD.QUOTA_EXCEEDED', payload: '{"neededBytes":1234}', toState: '{"uploading":"storageFull"}', at: new Date().toISOString() };
}
function open(schema: string) {
  const db = new Database(join(dir, `raw${k++}.db`));
  db.pragma('journal_mode = WAL'); db.pragma(`synchronous = ${SYNC}`); db.pragma('foreign_keys = ON'); db.pragma('temp_store = MEMORY');
  db.exec(schema); return db;
}
const COLS = 'seq INTEGER PRIMARY KEY, flow_id TEXT, position INTEGER, machine_id TEXT, machine_version INTEGER, from_state TEXT, event_type TEXT, payload TEXT, to_state TEXT, at TEXT, prev_hash TEXT, hash TEXT';
function variant(schema: string) {
  return () => {
    const db = open(schema);
    const ins = db.prepare('INSERT INTO t (flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)');
    const f = randomUUID(); const h = randomBytes(32).toString('hex');
    const t0 = performance.now();
    for (let i = 0; i < N; i++) { const r = rec(f, i); ins.run(r.flowId, r.position, r.machineId, r.machineVersion, r.fromState, r.eventType, r.payload, r.toState, r.at, h, h); }
    const dt = performance.now() - t0; db.close(); return N / dt * 1000;
  };
}
const raw = variant(`CREATE TABLE t (${COLS}) STRICT`);
const rawUnique = variant(`CREATE TABLE t (${COLS}, UNIQUE(flow_id, position)) STRICT`);
async function store() {
  const s = openSqliteEventStore({ path: join(dir, `st${k++}.db`), synchronous: SYNC === 'FULL' ? 'FULL' : 'NORMAL' });
  if (SYNC === 'OFF') s.db.pragma('synchronous = OFF');
  const f = randomUUID();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await s.append(rec(f, i), { provider: 'gdrive', account: 'alice@example.com' });
  const dt = performance.now() - t0; await s.close(); return N / dt * 1000;
}
await (async () => { raw(); await store(); })();
for (let round = 0; round < 4; round++) {
  const a = raw(); const u = rawUnique(); const b = await store();
  console.log(round, a.toFixed(0), u.toFixed(0), b.toFixed(0), (b / a).toFixed(2));
}
rmSync(dir, { recursive: true });
