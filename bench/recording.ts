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
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

/** One way of making one row durable. */
interface Side {
  name: string;
  op(): Promise<void> | void;
  close(): Promise<void>;
}

interface Sides {
  raw: Side;
  schemaSql: Side;
  store: Side;
  engine: Side;
}

const SIDE_NAMES = ['raw', 'schemaSql', 'store', 'engine'] as const;
type SideName = (typeof SIDE_NAMES)[number];

function pragmas(db: Database.Database, synchronous: Synchronous): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
}

/** The engine, on a fresh SQLite file; `lastRow` is the row it appended last. */
async function engineSide(dir: string, synchronous: Synchronous): Promise<Side & { lastRow(): StoredRow }> {
  const store: SqliteEventStore = openSqliteEventStore({ path: join(dir, 'engine.db') });
  // CPU-only pass: the store opens with FULL (its contract); OFF is set here, for measuring only.
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
    name: 'engine',
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

/** The baseline: a plain table of the same eleven columns, one autocommitted INSERT per row. */
function rawSide(dir: string, synchronous: Synchronous, rowOf: () => StoredRow): Side {
  const db = new Database(join(dir, 'raw.db'));
  pragmas(db, synchronous);
  db.exec(`CREATE TABLE events (
    seq INTEGER PRIMARY KEY, flow_id TEXT, position INTEGER, machine_id TEXT, machine_version INTEGER,
    from_state TEXT, event_type TEXT, payload TEXT, to_state TEXT, at TEXT, prev_hash TEXT, hash TEXT) STRICT`);
  const insert = db.prepare(
    `INSERT INTO events (flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    name: 'raw',
    op: () => {
      const r = rowOf();
      insert.run(r.flowId, r.position, r.machineId, r.machineVersion, r.fromState, r.eventType, r.payload, r.toState, r.at, r.prevHash, r.hash);
    },
    close: async () => {
      db.close();
    },
  };
}

/**
 * What the log's schema alone costs: the store's own SQL for one append (IMMEDIATE transaction,
 * the row into `events` with its UNIQUE(flow_id, position) index and foreign key, the flow's
 * summary row updated), written by hand, on a database made by the real migrations.
 */
function schemaSqlSide(dir: string, synchronous: Synchronous, rowOf: () => StoredRow): Side {
  const path = join(dir, 'schema.db');
  void openSqliteEventStore({ path }).close();
  const db = new Database(path);
  pragmas(db, synchronous);
  const flowId = 'schema-floor-flow';
  db.prepare(
    `INSERT INTO flows (flow_id, machine_id, machine_version, state, last_position, started_at, updated_at, provider)
     VALUES (?, 'backup', 1, '"uploading"', -1, '', '', 'gdrive')`,
  ).run(flowId);
  const insert = db.prepare(
    `INSERT INTO events (flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const advance = db.prepare('UPDATE flows SET state = ?, last_position = ?, updated_at = ? WHERE flow_id = ?');
  let position = 0;
  const append = db.transaction((r: StoredRow) => {
    insert.run(flowId, position, r.machineId, r.machineVersion, r.fromState, r.eventType, r.payload, r.toState, r.at, r.prevHash, r.hash);
    advance.run(r.toState, position, r.at, flowId);
    position += 1;
  });
  return {
    name: 'schemaSql',
    op: () => {
      append.immediate(rowOf());
    },
    close: async () => {
      db.close();
    },
  };
}

/** The SQLite store's append alone (validation, chaining, hashing, summary), with the engine's rows. */
function storeSide(dir: string, synchronous: Synchronous, rowOf: () => StoredRow): Side {
  const store = openSqliteEventStore({ path: join(dir, 'store.db') });
  if (synchronous === 'OFF') store.db.pragma('synchronous = OFF');
  const flowId = 'store-only-flow';
  let position = 0;
  return {
    name: 'store',
    op: async () => {
      const r = rowOf();
      const result = await store.append(
        {
          flowId,
          position,
          machineId: r.machineId,
          machineVersion: r.machineVersion,
          fromState: position === 0 ? null : r.fromState,
          eventType: r.eventType,
          payload: r.payload,
          toState: r.toState,
          at: r.at,
        },
        { provider: 'gdrive', account: 'alice@example.com' },
      );
      if (!result.ok) throw new Error('store side: position conflict');
      position += 1;
    },
    close: () => store.close(),
  };
}

async function openSides(dir: string, synchronous: Synchronous): Promise<Sides & { lastRow(): StoredRow }> {
  const engine = await engineSide(dir, synchronous);
  return {
    engine,
    raw: rawSide(dir, synchronous, engine.lastRow),
    schemaSql: schemaSqlSide(dir, synchronous, engine.lastRow),
    store: storeSide(dir, synchronous, engine.lastRow),
    lastRow: engine.lastRow,
  };
}

async function closeSides(sides: Sides): Promise<void> {
  for (const name of SIDE_NAMES) await sides[name].close();
}

interface SideResult {
  rate: number;
  usPerRow: number;
  /** Per round: this side's rate / raw's rate. */
  ratios: number[];
  ratio: number;
}

interface PassResult {
  sides: Record<SideName, SideResult>;
  rounds: number;
  perRound: number;
  rowBytes: number;
}

/**
 * Warm-up on throw-away databases, then rounds on fresh ones. In each round the four sides take
 * turns one operation at a time (the order rotates every round), each operation timed alone.
 */
async function measurePass(synchronous: Synchronous, rounds: number, perRound: number, warmup: number): Promise<PassResult> {
  const root = mkdtempSync(join(tmpdir(), 'wbe-bench-recording-'));
  try {
    const warmDir = join(root, 'warm');
    const runDir = join(root, 'run');
    mkdirSync(warmDir);
    mkdirSync(runDir);
    const warm = await openSides(warmDir, synchronous);
    for (let i = 0; i < warmup; i++) for (const name of SIDE_NAMES) await warm[name].op();
    await closeSides(warm);

    const sides = await openSides(runDir, synchronous);
    const spent: Record<SideName, number[]> = { raw: [], schemaSql: [], store: [], engine: [] };
    for (let round = 0; round < rounds; round++) {
      const order = SIDE_NAMES.map((_, i) => SIDE_NAMES[(i + round) % SIDE_NAMES.length]!);
      const ms: Record<SideName, number> = { raw: 0, schemaSql: 0, store: 0, engine: 0 };
      for (let i = 0; i < perRound; i++) {
        for (const name of order) {
          const t = now();
          await sides[name].op();
          ms[name] += now() - t;
        }
      }
      for (const name of SIDE_NAMES) spent[name].push(ms[name]);
    }
    const row = sides.lastRow();
    const rowBytes = [row.flowId, row.machineId, row.fromState ?? '', row.eventType, row.payload, row.toState, row.at, row.prevHash, row.hash]
      .map((text) => Buffer.byteLength(text))
      .reduce((a, b) => a + b, 16);
    await closeSides(sides);
    const n = rounds * perRound;
    const result = {} as Record<SideName, SideResult>;
    for (const name of SIDE_NAMES) {
      const ratios = spent[name].map((ms, i) => spent.raw[i]! / ms);
      result[name] = { rate: (n / sum(spent[name])) * 1000, usPerRow: (sum(spent[name]) / n) * 1000, ratios, ratio: median(ratios) };
    }
    return { sides: result, rounds, perRound, rowBytes };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function benchRecording(options: BenchOptions): Promise<FigureResult> {
  const rounds = options.quick ? 6 : 10;
  const perRound = options.quick ? 250 : 750;
  options.log(`recording: ${rounds} rounds x ${perRound} rows on each of raw / schema SQL / store / engine, taking turns (synchronous=FULL)`);
  const full = await measurePass('FULL', rounds, perRound, 200);
  options.log('recording: CPU-only pass (synchronous=OFF)');
  const cpu = await measurePass('OFF', 4, options.quick ? 1000 : 2500, 500);
  const s = full.sides;
  const row = (id: string, figure: string, side: SideResult, target: string, met: boolean | null) => ({
    id,
    figure,
    unit: 'rows/s',
    engine: round(side.rate, 0),
    baseline: round(s.raw.rate, 0),
    ratio: round(side.ratio, 3),
    target,
    met,
  });
  const us = (name: SideName) => cpu.sides[name].usPerRow.toFixed(1);
  return {
    rows: [
      row('recording', '1. Recording: engine transitions/s', s.engine, '>= 0.9', s.engine.ratio >= 0.9),
      row('recording.store', '1a. ... store.append alone', s.store, 'info', null),
      row('recording.schema', '1b. ... the schema\'s SQL by hand', s.schemaSql, 'info', null),
    ],
    notes: [
      `1. WAL, synchronous=FULL, one durable transaction per row, fresh temp databases. Baseline: autocommitted ` +
        `INSERTs into a plain 11-column table of the engine's own rows (${full.rowBytes} bytes). Engine: ` +
        `createBackupEngine + FlowRunner + SQLite store, a flow bouncing between two states on RETRY. 1a: ` +
        `store.append of the same rows. 1b: the store's SQL (events with UNIQUE(flow_id, position), flows summary ` +
        `update) without the store. The four take turns row by row; ratio = median over ${full.rounds} rounds of ` +
        `${full.perRound} rows (engine: ${s.engine.ratios.map((r) => r.toFixed(2)).join(' ')}).`,
      `   CPU besides the fsync (synchronous=OFF), per row: raw ${us('raw')} us, schema SQL ${us('schemaSql')} us, ` +
        `store ${us('store')} us, engine ${us('engine')} us.`,
    ],
    detail: { synchronousFull: full, synchronousOff: cpu },
  };
}
