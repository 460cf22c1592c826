import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID, randomBytes } from 'node:crypto';
const BLOCK = Number(process.argv[2] ?? 250);
const ROUNDS = Number(process.argv[3] ?? 10);
const SYNC = process.argv[4] ?? 'FULL';
const dir = mkdtempSync(join(tmpdir(), 'proto-'));
let k = 0;
const COLS = 'seq INTEGER PRIMARY KEY, flow_id TEXT, position INTEGER, machine_id TEXT, machine_version INTEGER, from_state TEXT, event_type TEXT, payload TEXT, to_state TEXT, at TEXT, prev_hash TEXT, hash TEXT';
const FLOWS = `CREATE TABLE flows (flow_id TEXT PRIMARY KEY, machine_id TEXT NOT NULL, machine_version INTEGER NOT NULL, state TEXT NOT NULL, last_position INTEGER NOT NULL, started_at TEXT NOT NULL, updated_at TEXT NOT NULL, provider TEXT, account TEXT, wallet_id TEXT, epoch INTEGER) STRICT;
CREATE INDEX flows_by_machine ON flows (machine_id); CREATE INDEX flows_by_provider_account ON flows (provider, account); CREATE INDEX flows_by_account ON flows (account); CREATE INDEX flows_by_wallet ON flows (wallet_id); CREATE INDEX flows_by_state ON flows (state);`;
const UPSERT = `INSERT INTO flows (flow_id, machine_id, machine_version, state, last_position, started_at, updated_at, provider, account, wallet_id, epoch) VALUES (@flowId, @machineId, @machineVersion, @state, @position, @at, @at, @provider, @account, @walletId, @epoch)
       ON CONFLICT (flow_id) DO UPDATE SET machine_id = excluded.machine_id, machine_version = excluded.machine_version, state = excluded.state, last_position = excluded.last_position, updated_at = excluded.updated_at, provider = COALESCE(excluded.provider, flows.provider), account = COALESCE(excluded.account, flows.account), wallet_id = COALESCE(excluded.wallet_id, flows.wallet_id), epoch = COALESCE(excluded.epoch, flows.epoch)`;
type V = { name: string; op: (i: number) => void; close: () => void; time: number; n: number; pages?: () => number };
function mk(name: string, schema: string, flows: 'none' | 'upsert' | 'min'): V {
  const db = new Database(join(dir, `v${k++}.db`));
  db.pragma('journal_mode = WAL'); db.pragma(`synchronous = ${SYNC}`); db.pragma('foreign_keys = ON'); db.pragma('temp_store = MEMORY');
  db.exec(schema);
  const ins = db.prepare('INSERT INTO t (flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)');
  const f = randomUUID(); const h = randomBytes(32).toString('hex');
  const up = flows === 'upsert' ? db.prepare(UPSERT) : null;
  const min = flows === 'min' ? db.prepare('UPDATE flows SET state = ?, last_position = ?, updated_at = ? WHERE flow_id = ?') : null;
  if (flows !== 'none') db.prepare(UPSERT).run({ flowId: f, machineId: 'backup', machineVersion: 1, state: '"x"', position: 0, at: 'x', provider: 'gdrive', account: 'a@b.c', walletId: null, epoch: null });
  const tx = db.transaction((i: number) => {
    const at = new Date().toISOString(); const st = i % 2 ? '{"uploading":"storageFull"}' : '{"uploading":"networkError"}';
    ins.run(f, i, 'backup', 1, '{"uploading":"networkError"}', 'RETRY', '{}', st, at, h, h);
    if (up) up.run({ flowId: f, machineId: 'backup', machineVersion: 1, state: st, position: i, at, provider: 'gdrive', account: 'a@b.c', walletId: null, epoch: null });
    if (min) min.run(st, i, at, f);
  });
  let i = 1;
  return { name, time: 0, n: 0, op: () => { tx.immediate(i++); }, close: () => db.close() };
}
const vs = [
  mk('raw', `CREATE TABLE t (${COLS}) STRICT`, 'none'),
  mk('raw+uniq', `CREATE TABLE t (${COLS}, UNIQUE(flow_id, position)) STRICT`, 'none'),
  mk('+flows min', `CREATE TABLE t (${COLS}, UNIQUE(flow_id, position)) STRICT; ${FLOWS}`, 'min'),
  mk('+flows upsert', `CREATE TABLE t (${COLS}, UNIQUE(flow_id, position)) STRICT; ${FLOWS}`, 'upsert'),
];
for (const v of vs) for (let i = 0; i < 200; i++) v.op(0);
const ratios: number[][] = vs.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  const dts = vs.map(() => 0); for (let i = 0; i < BLOCK; i++) vs.forEach((v, j) => { const t0 = performance.now(); v.op(i); dts[j] += performance.now() - t0; }); const rates = vs.map((v, j) => { v.time += dts[j]!; v.n += BLOCK; return BLOCK / dts[j]! * 1000; });
  rates.forEach((x, j) => ratios[j]!.push(x / rates[0]!));
}
const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]!; };
vs.forEach((v, j) => console.log(v.name.padEnd(16), (v.n / v.time * 1000).toFixed(0).padStart(7), '/s  median ratio', med(ratios[j]!).toFixed(3)));
vs.forEach((v) => v.close());
rmSync(dir, { recursive: true });
