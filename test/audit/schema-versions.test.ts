/**
 * Audit reads a log with the schema it was written with (adapters/store/sqlite-log-reader.ts):
 * a v1 log (state and position kept in `flows`) from an earlier build audits as it is, read-only,
 * and its flows table is still checked against its rows.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteLogReader } from '../../adapters/store/sqlite-log-reader.ts';
import { MIGRATIONS } from '../../adapters/store/sqlite-migrations.ts';
import { migrate } from '../../adapters/store/better-sqlite3-driver.ts';
import { auditLog } from '../../src/audit/audit-log.ts';
import { syntheticLog } from '../../scripts/synthetic-log.ts';

function v1Log(edit?: (db: Database.Database) => void): string {
  const path = join(mkdtempSync(join(tmpdir(), 'wbe-v1-')), 'v1.db');
  const db = new Database(path);
  migrate(db, MIGRATIONS.slice(0, 1));
  const { rows, flows } = syntheticLog({ seed: 7, rows: 2_000 });
  db.transaction(() => {
    const flow = db.prepare(
      `INSERT INTO flows (flow_id, machine_id, machine_version, state, last_position, started_at, updated_at, provider, account, wallet_id, epoch)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const f of flows) flow.run(f.flowId, f.machineId, f.machineVersion, f.state, f.lastPosition, f.startedAt, f.updatedAt, f.provider ?? null, f.account ?? null, f.walletId ?? null, f.epoch ?? null);
    const event = db.prepare(
      `INSERT INTO events (seq, flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of rows) event.run(r.seq, r.flowId, r.position, r.machineId, r.machineVersion, r.fromState, r.eventType, r.payload, r.toState, r.at, r.prevHash, r.hash);
  })();
  edit?.(db);
  db.close();
  return path;
}

async function auditFile(path: string) {
  const reader = openSqliteLogReader(path);
  try {
    return await auditLog(reader.rows(), { flowSummaries: reader.summaries });
  } finally {
    reader.close();
  }
}

describe('audit of logs written by earlier schema versions', () => {
  it('E4 E5: a v1 log audits clean, and is not migrated or changed by the audit', async () => {
    const path = v1Log();
    const before = readFileSync(path);
    const report = await auditFile(path);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report).toMatchObject({ ok: true, rows: 2_000 });
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('E4: in a v1 log, a flows entry whose state was edited is still reported', async () => {
    const path = v1Log((db) => db.prepare(`UPDATE flows SET state = '"done"' WHERE rowid = (SELECT MIN(rowid) FROM flows WHERE state != '"done"')`).run());
    const report = await auditFile(path);
    expect(report.ok).toBe(false);
    expect(report.findings.find((f) => f.kind === 'flows-table-mismatch')).toMatchObject({ severity: 'error', actual: '"done"' });
  });
});
