import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID, randomBytes } from 'node:crypto';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { hashRow, recordProblem } from '../../src/log/row-hash.ts';
const N = Number(process.argv[2] ?? 3000);
const SYNC = process.argv[3] ?? 'OFF';
const dir = mkdtempSync(join(tmpdir(), 'proto-'));
let k = 0;
function rec(flowId: string, position: number) {
  return { flowId, position, machineId: 'backup', machineVersion: 1, fromState: position === 0 ? null : '{"uploading":"running"}',
    eventType: 'UPLOAD.QUOTA_EXCEEDED', payload: '{"neededBytes":1234}', toState: '{"uploading":"storageFull"}', at: new Date().toISOString() };
}
function time(name: string, fn: () => void) { const t0 = performance.now(); fn(); const dt = performance.now() - t0; return [name, dt / N * 1000] as const; }
const f = randomUUID();
const recs = Array.from({ length: N }, (_, i) => rec(f, i));
const h0 = randomBytes(32).toString('hex');
const out: (readonly [string, number])[] = [];
out.push(time('recordProblem', () => { for (const r of recs) recordProblem(r); }));
out.push(time('hashRow', () => { for (const r of recs) hashRow(h0, r); }));
// store
const s = openSqliteEventStore({ path: join(dir, `st${k++}.db`) });
s.db.pragma(`synchronous = ${SYNC}`);
{ const t0 = performance.now(); for (const r of recs) await s.append(r, { provider: 'gdrive', account: 'a@b.c' }); out.push(['store.append', (performance.now() - t0) / N * 1000]); }
const db = s.db;
const lp = db.prepare('SELECT MAX(position) FROM events WHERE flow_id = ?').pluck();
const lh = db.prepare('SELECT hash FROM events ORDER BY seq DESC LIMIT 1').pluck();
out.push(time('lastPosition', () => { for (let i = 0; i < N; i++) lp.get(f); }));
out.push(time('lastHash', () => { for (let i = 0; i < N; i++) lh.get(); }));
const dv = db.prepare('PRAGMA data_version').pluck();
out.push(time('data_version', () => { for (let i = 0; i < N; i++) dv.get(); }));
const begin = db.prepare('BEGIN IMMEDIATE'); const commit = db.prepare('COMMIT');
out.push(time('begin/commit', () => { for (let i = 0; i < N; i++) { begin.run(); commit.run(); } }));
const tx = db.transaction(() => 1);
out.push(time('tx.immediate empty', () => { for (let i = 0; i < N; i++) tx.immediate(); }));
s.close();
function rawVariant(name: string, schema: string, extra?: (db: Database.Database) => (i: number) => void) {
  const db = new Database(join(dir, `raw${k++}.db`));
  db.pragma('journal_mode = WAL'); db.pragma(`synchronous = ${SYNC}`); db.pragma('foreign_keys = ON'); db.pragma('temp_store = MEMORY');
  db.exec(schema);
  const ins = db.prepare('INSERT INTO t (flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)');
  const x = extra?.(db);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) { const r = recs[i]!; if (x) { db.exec('BEGIN'); ins.run(r.flowId, r.position, r.machineId, r.machineVersion, r.fromState, r.eventType, r.payload, r.toState, r.at, h0, h0); x(i); db.exec('COMMIT'); } else ins.run(r.flowId, r.position, r.machineId, r.machineVersion, r.fromState, r.eventType, r.payload, r.toState, r.at, h0, h0); }
  out.push([name, (performance.now() - t0) / N * 1000]); db.close();
}
const COLS = 'seq INTEGER PRIMARY KEY, flow_id TEXT, position INTEGER, machine_id TEXT, machine_version INTEGER, from_state TEXT, event_type TEXT, payload TEXT, to_state TEXT, at TEXT, prev_hash TEXT, hash TEXT';
rawVariant('raw', `CREATE TABLE t (${COLS}) STRICT`);
rawVariant('raw+unique', `CREATE TABLE t (${COLS}, UNIQUE(flow_id, position)) STRICT`);
rawVariant('raw+unique+begincommit', `CREATE TABLE t (${COLS}, UNIQUE(flow_id, position)) STRICT`, () => () => {});
const FLOWS = `CREATE TABLE flows (flow_id TEXT PRIMARY KEY, machine_id TEXT NOT NULL, machine_version INTEGER NOT NULL, state TEXT NOT NULL, last_position INTEGER NOT NULL, started_at TEXT NOT NULL, updated_at TEXT NOT NULL, provider TEXT, account TEXT, wallet_id TEXT, epoch INTEGER) STRICT;`;
const IDX = `CREATE INDEX flows_by_machine ON flows (machine_id);
      CREATE INDEX flows_by_provider_account ON flows (provider, account);
      CREATE INDEX flows_by_account ON flows (account);
      CREATE INDEX flows_by_wallet ON flows (wallet_id);
      CREATE INDEX flows_by_state ON flows (state);`;
const up = (db: Database.Database) => { const st = db.prepare(`INSERT INTO flows (flow_id, machine_id, machine_version, state, last_position, started_at, updated_at, provider, account, wallet_id, epoch) VALUES (@flowId, @machineId, @machineVersion, @state, @position, @at, @at, @provider, @account, @walletId, @epoch)
       ON CONFLICT (flow_id) DO UPDATE SET machine_id = excluded.machine_id, machine_version = excluded.machine_version, state = excluded.state, last_position = excluded.last_position, updated_at = excluded.updated_at, provider = COALESCE(excluded.provider, flows.provider), account = COALESCE(excluded.account, flows.account), wallet_id = COALESCE(excluded.wallet_id, flows.wallet_id), epoch = COALESCE(excluded.epoch, flows.epoch)`);
  return (i: number) => { const r = recs[i]!; st.run({ flowId: r.flowId, machineId: r.machineId, machineVersion: 1, state: i % 2 ? r.toState : '"x"', position: i, at: r.at, provider: 'gdrive', account: 'a@b.c', walletId: null, epoch: null }); }; };
rawVariant('raw+unique+flows(noidx)', `CREATE TABLE t (${COLS}, UNIQUE(flow_id, position)) STRICT; ${FLOWS}`, up);
rawVariant('raw+unique+flows(idx)', `CREATE TABLE t (${COLS}, UNIQUE(flow_id, position)) STRICT; ${FLOWS} ${IDX}`, up);
for (const [n, us] of out) console.log(n.padEnd(30), us.toFixed(1), 'us');
rmSync(dir, { recursive: true });
