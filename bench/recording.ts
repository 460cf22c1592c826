/**
 * Figure 1, recording: transitions the engine records per second, against raw better-sqlite3
 * single-row inserts of rows of the same size with the same pragmas.
 *
 * Engine: the real createBackupEngine, FlowRunner and SQLite event store (WAL, synchronous=FULL,
 * hash-chained, flows summary), on a fresh temp database. The flow is a backup whose machine is
 * swapped (the engine's test-only `machines` option) for one that bounces between two waiting
 * states on RETRY, so each `flow.retry()` is exactly one transition: the person's input is
 * checked against the machine, sent to the actor, the row is built, redacted, checked for
 * secrets, hashed, appended durably, emitted on rows$, and the flow's view is returned.
 *
 * Baseline: a plain table with the events table's eleven columns (no index, no constraint) in
 * another fresh temp database, same pragmas, one autocommitted INSERT per row through a prepared
 * statement; each insert writes the very values of the engine's latest row, so the rows have the
 * same size.
 *
 * The two alternate one operation at a time (engine, raw, engine, raw, ...; the order flips every
 * round) so that a noisy shared disk slows both alike; each round gives a ratio, the figure is the
 * median of the rounds. A second, CPU-only pass (synchronous=OFF) says what the engine costs
 * besides the durable commit.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMachine } from 'xstate';
import { createMemoryClouds } from '../adapters/cloud/memory.ts';
import { createNodeScrypt } from '../adapters/kdf/node-scrypt.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../adapters/store/sqlite-event-store.ts';
import { createBackupEngine, type BackupFlow } from '../src/engine/index.ts';
import type { StoredRow } from '../src/ports/event-store.ts';
import { median, now, round, sum } from './lib/stats.ts';
import type { BenchOptions, FigureResult } from './lib/types.ts';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

/** Two waiting states, RETRY goes from one to the other: one person's input, one transition. */
const bounceMachine = createMachine({
  id: 'backup',
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

type Synchronous = 'FULL' | 'OFF';

interface Side {
  /** One transition (engine) or one row (raw); resolves when durable. */
  op(): Promise<void> | void;
  close(): Promise<void>;
}

interface EngineSide extends Side {
  lastRow(): StoredRow;
}

async function engineSide(dir: string, name: string, synchronous: Synchronous): Promise<EngineSide> {
  const store: SqliteEventStore = openSqliteEventStore({ path: join(dir, `${name}.db`) });
  // CPU-only pass: the store opens with FULL (its contract); OFF is set on the side, for measuring.
  if (synchronous === 'OFF') store.db.pragma('synchronous = OFF');
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
  const flow: BackupFlow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC, walletName: 'Main' });
  return {
    op: async () => {
      await flow.retry();
    },
    lastRow: () => last!,
    close: async () => {
      subscription.unsubscribe();
      await store.close();
    },
  };
}

function rawSide(dir: string, name: string, synchronous: Synchronous, rowOf: () => StoredRow): Side {
  const db = new Database(join(dir, `${name}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.exec(`CREATE TABLE events (
    seq INTEGER PRIMARY KEY, flow_id TEXT, position INTEGER, machine_id TEXT, machine_version INTEGER,
    from_state TEXT, event_type TEXT, payload TEXT, to_state TEXT, at TEXT, prev_hash TEXT, hash TEXT) STRICT`);
  const insert = db.prepare(
    `INSERT INTO events (flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    op: () => {
      const r = rowOf();
      insert.run(r.flowId, r.position, r.machineId, r.machineVersion, r.fromState, r.eventType, r.payload, r.toState, r.at, r.prevHash, r.hash);
    },
    close: async () => {
      db.close();
    },
  };
}

interface PairResult {
  engineRate: number;
  rawRate: number;
  /** Per round: engine rate / raw rate. */
  ratios: number[];
  engineUs: number;
  rawUs: number;
  rowBytes: number;
}

/** Warm-up on throw-away databases, then the measured rounds on fresh ones. */
async function measurePair(synchronous: Synchronous, rounds: number, perRound: number, warmup: number): Promise<PairResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wbe-bench-recording-'));
  try {
    const warmEngine = await engineSide(dir, 'warm-engine', synchronous);
    const warmRaw = rawSide(dir, 'warm-raw', synchronous, warmEngine.lastRow);
    for (let i = 0; i < warmup; i++) {
      await warmEngine.op();
      warmRaw.op();
    }
    await warmEngine.close();
    await warmRaw.close();

    const engine = await engineSide(dir, 'engine', synchronous);
    const raw = rawSide(dir, 'raw', synchronous, engine.lastRow);
    const engineMs: number[] = [];
    const rawMs: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      let e = 0;
      let r = 0;
      const engineFirst = round % 2 === 0;
      for (let i = 0; i < perRound; i++) {
        if (engineFirst) {
          let t = now();
          await engine.op();
          e += now() - t;
          t = now();
          raw.op();
          r += now() - t;
        } else {
          let t = now();
          raw.op();
          r += now() - t;
          t = now();
          await engine.op();
          e += now() - t;
        }
      }
      engineMs.push(e);
      rawMs.push(r);
      ratios.push(r / e);
    }
    const row = engine.lastRow();
    const rowBytes = [row.flowId, row.machineId, row.fromState ?? '', row.eventType, row.payload, row.toState, row.at, row.prevHash, row.hash]
      .map((s) => Buffer.byteLength(s))
      .reduce((a, b) => a + b, 16);
    await engine.close();
    await raw.close();
    const n = rounds * perRound;
    return {
      engineRate: (n / sum(engineMs)) * 1000,
      rawRate: (n / sum(rawMs)) * 1000,
      ratios,
      engineUs: (sum(engineMs) / n) * 1000,
      rawUs: (sum(rawMs) / n) * 1000,
      rowBytes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchRecording(options: BenchOptions): Promise<FigureResult> {
  const rounds = options.quick ? 6 : 12;
  const perRound = options.quick ? 300 : 1000;
  options.log(`recording: ${rounds} rounds of ${perRound} transitions and ${perRound} raw inserts, alternating (synchronous=FULL)`);
  const full = await measurePair('FULL', rounds, perRound, 300);
  options.log(`recording: CPU-only pass (synchronous=OFF)`);
  const cpu = await measurePair('OFF', 4, options.quick ? 1000 : 3000, 1000);
  const ratio = median(full.ratios);
  return {
    rows: [
      {
        id: 'recording',
        figure: '1. Recording (durable transitions/s)',
        unit: '/s',
        engine: round(full.engineRate, 0),
        baseline: round(full.rawRate, 0),
        ratio: round(ratio, 3),
        target: '>= 0.9',
        met: ratio >= 0.9,
      },
    ],
    notes: [
      `1. ${rounds * perRound} engine transitions (createBackupEngine + FlowRunner + SQLite store, WAL, synchronous=FULL, ` +
        `hash-chained) vs as many raw autocommitted INSERTs of the same rows (${full.rowBytes} bytes) into a plain table, ` +
        `same pragmas, fresh temp databases, alternating one by one; ratio = median of ${rounds} rounds ` +
        `(${full.ratios.map((r) => r.toFixed(2)).join(' ')}). Besides the commit (synchronous=OFF): ` +
        `engine ${cpu.engineUs.toFixed(1)} us per transition, raw insert ${cpu.rawUs.toFixed(1)} us.`,
    ],
    detail: {
      synchronousFull: { ...full, ratio },
      synchronousOff: { ...cpu, ratio: median(cpu.ratios) },
    },
  };
}
