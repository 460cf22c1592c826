/**
 * Fills a SQLite event log with N rows of realistic flows (scripts/synthetic-log.ts), fast: the
 * schema comes from the real migrations, rows go in with batched inserts, one transaction per
 * batch, chained with the v1 row hash (node:crypto SHA-256), and the flows table is filled to
 * match. For the audit benchmark (1,000,000 rows) and the audit's own scale check.
 *
 *   npx tsx scripts/generate-log.ts --rows 1000000 --db /tmp/big.db [--seed 1] [--force]
 *
 * Then: npm run cli -- audit --db /tmp/big.db
 */
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openSqliteEventStore } from '../adapters/store/sqlite-event-store.ts';
import { GENESIS_HASH, type FlowSummary } from '../src/ports/event-store.ts';
import { canonicalText } from '../src/log/row-hash.ts';
import { syntheticRecords } from './synthetic-log.ts';

export interface GenerateOptions {
  db: string;
  rows: number;
  seed?: number;
  batch?: number;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Writes a new log of `rows` rows at `db` (which must not exist). Returns the number of flows. */
export function generateLog(options: GenerateOptions): { rows: number; flows: number; ms: number } {
  const started = performance.now();
  const schema = openSqliteEventStore({ path: options.db });
  void schema.close();
  const db = new Database(options.db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // Flows are summarised after their rows; every row's flow exists by the end.
  db.pragma('foreign_keys = OFF');
  const insert = db.prepare(
    `INSERT INTO events (seq, flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertFlow = db.prepare(
    `INSERT INTO flows (flow_id, machine_id, machine_version, started_at, provider, account, wallet_id, epoch)
     VALUES (@flowId, @machineId, @machineVersion, @startedAt, @provider, @account, @walletId, @epoch)`,
  );
  const batchSize = options.batch ?? 10_000;
  const records = syntheticRecords({ seed: options.seed ?? 1, rows: options.rows });
  let prevHash = GENESIS_HASH;
  let seq = 0;
  let summaries: FlowSummary[] = [];
  const insertBatch = db.transaction((batch: unknown[][]) => {
    for (const values of batch) insert.run(...values);
  });
  let batch: unknown[][] = [];
  for (;;) {
    const next = records.next();
    if (next.done) {
      summaries = next.value;
      break;
    }
    const record = next.value.record;
    const hash = sha256(canonicalText(prevHash, record));
    seq += 1;
    batch.push([seq, record.flowId, record.position, record.machineId, record.machineVersion, record.fromState, record.eventType, record.payload, record.toState, record.at, prevHash, hash]);
    prevHash = hash;
    if (batch.length >= batchSize) {
      insertBatch(batch);
      batch = [];
    }
  }
  insertBatch(batch);
  db.transaction(() => {
    for (const s of summaries) {
      insertFlow.run({
        flowId: s.flowId,
        machineId: s.machineId,
        machineVersion: s.machineVersion,
        startedAt: s.startedAt,
        provider: s.provider ?? null,
        account: s.account ?? null,
        walletId: s.walletId ?? null,
        epoch: s.epoch ?? null,
      });
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { rows: seq, flows: summaries.length, ms: performance.now() - started };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      db: { type: 'string' },
      seed: { type: 'string', default: '1' },
      force: { type: 'boolean', default: false },
    },
  });
  const rows = Number(values.rows);
  if (!values.db || !Number.isSafeInteger(rows) || rows < 1) {
    console.error('usage: npx tsx scripts/generate-log.ts --rows N --db FILE [--seed S] [--force]');
    process.exitCode = 2;
    return;
  }
  if (existsSync(values.db)) {
    if (!values.force) {
      console.error(`${values.db} exists; pass --force to replace it.`);
      process.exitCode = 2;
      return;
    }
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${values.db}${suffix}`, { force: true });
  }
  const result = generateLog({ db: values.db, rows, seed: Number(values.seed) });
  console.log(`Wrote ${result.rows} rows in ${result.flows} flows to ${values.db} in ${(result.ms / 1000).toFixed(1)} s.`);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('generate-log.ts')) main();
