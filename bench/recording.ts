/**
 * Figure 1, recording: transitions the engine records per second, against raw better-sqlite3
 * single-row inserts of rows of the same size with the same pragmas.
 *
 * Every side makes one row durable per operation (WAL, synchronous=FULL, one transaction per
 * row), each on its own fresh SQLite file in one temp dir:
 *   raw        the baseline: a plain table with the events table's eleven columns (no index, no
 *              constraint), one autocommitted INSERT through a prepared statement, writing the
 *              values of the engine's latest row (so the rows have the same size);
 *   schemaSql  the store's SQL for one append written by hand, on a database made by the real
 *              migrations: IMMEDIATE transaction, the log's last row read, the row into `events`
 *              (UNIQUE(flow_id, position), foreign key to `flows`, whose entry a flow's later rows
 *              leave alone): what the log's schema alone costs;
 *   store      SqliteEventStore.append of the engine's rows (validation, chain, hash, summary);
 *   xstate     an XState actor of the same machine sent the event, and its row appended with
 *              store.append: the least any machine-driven engine on this store can do;
 *   engine     the real thing: createBackupEngine + FlowRunner + SQLite store, a backup flow whose
 *              machine is swapped (the engine's test-only `machines` option) for one that bounces
 *              between two waiting states on RETRY, so each `flow.retry()` is one transition:
 *              input checked against the machine, sent to the actor, row built, redacted, checked
 *              for secrets, hashed, appended durably, emitted on rows$, the flow's view returned.
 *
 * Each round every side runs one turn of consecutive rows (a log is written by one writer, and
 * consecutive commits to one file are what each side costs in steady state; switching files at
 * every commit makes every fsync slower and hides the differences), in an order shuffled every
 * round (seeded), after a full garbage collection when --expose-gc is on (`npm run bench` sets
 * it) so that no side pays for another's garbage. A round gives each side a ratio to raw; the
 * figure is the median over rounds. The
 * measured databases are warmed up first, past SQLite's first checkpoint, so that every WAL has
 * its steady size. A second pass with synchronous=OFF shows the CPU each side spends besides the
 * fsync.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor, createMachine } from 'xstate';
import { createMemoryClouds } from '../adapters/cloud/memory.ts';
import { createNodeScrypt } from '../adapters/kdf/node-scrypt.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../adapters/store/sqlite-event-store.ts';
import { createBackupEngine, type BackupFlow } from '../src/engine/index.ts';
import type { StoredRow, TransitionRecord } from '../src/ports/event-store.ts';
import { rng } from '../scripts/synthetic-log.ts';
import { median, now, round, sum } from './lib/stats.ts';
import type { BenchOptions, FigureResult, FigureRow } from './lib/types.ts';

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

const SIDE_NAMES = ['raw', 'schemaSql', 'store', 'xstate', 'engine'] as const;
type SideName = (typeof SIDE_NAMES)[number];
type PerSide<T> = Record<SideName, T>;

const perSide = <T>(make: () => T): PerSide<T> =>
  Object.fromEntries(SIDE_NAMES.map((name) => [name, make()])) as PerSide<T>;

/** One way of making one row durable. */
interface Side {
  op(): Promise<void> | void;
  close(): Promise<void>;
}

function setPragmas(db: Database.Database, synchronous: Synchronous): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
}

function openStore(path: string, synchronous: Synchronous): SqliteEventStore {
  const store = openSqliteEventStore({ path });
  // The store always opens with FULL (its contract); the CPU-only pass turns it off here.
  if (synchronous === 'OFF') store.db.pragma('synchronous = OFF');
  return store;
}

async function engineSide(dir: string, synchronous: Synchronous): Promise<Side & { lastRow(): StoredRow }> {
  const store = openStore(join(dir, 'engine.db'), synchronous);
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

function rawSide(dir: string, synchronous: Synchronous, rowOf: () => StoredRow): Side {
  const db = new Database(join(dir, 'raw.db'));
  setPragmas(db, synchronous);
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

async function schemaSqlSide(dir: string, synchronous: Synchronous, rowOf: () => StoredRow): Promise<Side> {
  const path = join(dir, 'schema.db');
  await openSqliteEventStore({ path }).close();
  const db = new Database(path);
  setPragmas(db, synchronous);
  const flowId = 'schema-sql-flow';
  db.prepare(
    `INSERT INTO flows (flow_id, machine_id, machine_version, started_at, provider) VALUES (?, 'backup', 1, '', 'gdrive')`,
  ).run(flowId);
  const lastRow = db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(
    `INSERT INTO events (flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let position = 0;
  const append = db.transaction((r: StoredRow) => {
    lastRow.get();
    insert.run(flowId, position, r.machineId, r.machineVersion, r.fromState, r.eventType, r.payload, r.toState, r.at, r.prevHash, r.hash);
    position += 1;
  });
  return {
    op: () => {
      append.immediate(rowOf());
    },
    close: async () => {
      db.close();
    },
  };
}

/** Appends records of one flow of its own to a store, positions 0, 1, 2, ... */
function appender(store: SqliteEventStore, flowId: string) {
  let position = 0;
  return async (record: Omit<TransitionRecord, 'flowId' | 'position'>) => {
    const result = await store.append(
      { ...record, flowId, position, fromState: position === 0 ? null : record.fromState },
      { provider: 'gdrive', account: 'alice@example.com' },
    );
    if (!result.ok) throw new Error(`${flowId}: position conflict`);
    position += 1;
  };
}

function storeSide(dir: string, synchronous: Synchronous, rowOf: () => StoredRow): Side {
  const store = openStore(join(dir, 'store.db'), synchronous);
  const append = appender(store, 'store-only-flow');
  return {
    op: () => {
      const { seq: _seq, prevHash: _prev, hash: _hash, flowId: _flow, position: _position, ...record } = rowOf();
      return append(record);
    },
    close: () => store.close(),
  };
}

function xstateSide(dir: string, synchronous: Synchronous): Side {
  const store = openStore(join(dir, 'xstate.db'), synchronous);
  const append = appender(store, 'xstate-flow');
  const actor = createActor(bounceMachine).start();
  return {
    op: () => {
      const before = actor.getSnapshot().value;
      actor.send({ type: 'RETRY' });
      return append({
        machineId: 'backup',
        machineVersion: 1,
        fromState: JSON.stringify(before),
        eventType: 'RETRY',
        payload: '{}',
        toState: JSON.stringify(actor.getSnapshot().value),
        at: new Date().toISOString(),
      });
    },
    close: async () => {
      actor.stop();
      await store.close();
    },
  };
}

async function openSides(dir: string, synchronous: Synchronous): Promise<PerSide<Side> & { lastRow(): StoredRow }> {
  const engine = await engineSide(dir, synchronous);
  return {
    engine,
    raw: rawSide(dir, synchronous, engine.lastRow),
    schemaSql: await schemaSqlSide(dir, synchronous, engine.lastRow),
    store: storeSide(dir, synchronous, engine.lastRow),
    xstate: xstateSide(dir, synchronous),
    lastRow: engine.lastRow,
  };
}

interface SideResult {
  rate: number;
  usPerRow: number;
  /** CPU time (user + system) of this process per row, the fsync's system time included. */
  cpuUsPerRow: number;
  /** Per round: this side's rate / raw's rate. */
  ratios: number[];
  ratio: number;
}

interface PassResult {
  synchronous: Synchronous;
  rounds: number;
  turn: number;
  rowBytes: number;
  sides: PerSide<SideResult>;
}

/** More than the 1000 WAL pages after which SQLite checkpoints, on the side writing one page per row. */
const WARMUP_ROWS = 1100;

async function measurePass(synchronous: Synchronous, rounds: number, turn: number): Promise<PassResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wbe-bench-recording-'));
  try {
    const sides = await openSides(dir, synchronous);
    // Warm-up on the measured databases: past the first checkpoint each WAL has its steady size
    // and is rewritten in place, as in a long-lived log (before it, every commit grows the file).
    for (const name of SIDE_NAMES) for (let i = 0; i < WARMUP_ROWS; i++) await sides[name].op();
    const spentMs = perSide<number[]>(() => []);
    const cpuUs = perSide(() => 0);
    const random = rng(6); // the same order of sides in every run
    for (let r = 0; r < rounds; r++) {
      for (const name of shuffled(SIDE_NAMES, random)) {
        const side = sides[name];
        collectGarbage();
        const cpu = process.cpuUsage();
        const started = now();
        for (let i = 0; i < turn; i++) await side.op();
        spentMs[name].push(now() - started);
        const used = process.cpuUsage(cpu);
        cpuUs[name] += used.user + used.system;
      }
    }
    const row = sides.lastRow();
    const rowBytes = [row.flowId, row.machineId, row.fromState ?? '', row.eventType, row.payload, row.toState, row.at, row.prevHash, row.hash]
      .map((text) => Buffer.byteLength(text))
      .reduce((a, b) => a + b, 2 * 8);
    for (const name of SIDE_NAMES) await sides[name].close();
    const n = rounds * turn;
    const result = perSide<SideResult | null>(() => null) as PerSide<SideResult>;
    for (const name of SIDE_NAMES) {
      const ratios = spentMs[name].map((ms, i) => spentMs.raw[i]! / ms);
      result[name] = {
        rate: (n / sum(spentMs[name])) * 1000,
        usPerRow: (sum(spentMs[name]) / n) * 1000,
        cpuUsPerRow: cpuUs[name] / n,
        ratios,
        ratio: median(ratios),
      };
    }
    return { synchronous, rounds, turn, rowBytes, sides: result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchRecording(options: BenchOptions): Promise<FigureResult> {
  const rounds = options.quick ? 20 : 40;
  const turn = options.quick ? 40 : 100;
  options.log(`recording: ${rounds} rounds, each a turn of ${turn} durable rows on each of ${SIDE_NAMES.join(', ')} (synchronous=FULL)`);
  const full = await measurePass('FULL', rounds, turn);
  options.log('recording: CPU-only pass (synchronous=OFF)');
  const cpu = await measurePass('OFF', 4, options.quick ? 1000 : 2500);
  const s = full.sides;
  const row = (id: string, figure: string, side: SideResult, target: string, met: boolean | null): FigureRow => ({
    id,
    figure,
    unit: 'rows/s',
    engine: round(side.rate, 0),
    baseline: round(s.raw.rate, 0),
    ratio: round(side.ratio, 3),
    target,
    met,
  });
  const per = (pass: PassResult, field: 'usPerRow' | 'cpuUsPerRow') =>
    SIDE_NAMES.map((name) => `${name} ${pass.sides[name][field].toFixed(0)}`).join(', ');
  return {
    rows: [
      row('recording', '1. Recording: engine transitions/s', s.engine, '>= 0.9', s.engine.ratio >= 0.9),
      row('recording.xstate', '1a. ... XState send + store.append only', s.xstate, 'info', null),
      row('recording.store', '1b. ... store.append alone', s.store, 'info', null),
      row('recording.schema', "1c. ... the log schema's SQL by hand", s.schemaSql, 'info', null),
    ],
    notes: [
      `1. WAL, synchronous=FULL, one durable transaction per row, fresh temp databases warmed past the first checkpoint. ` +
        `Baseline: autocommitted INSERTs of the engine's own rows (${full.rowBytes} bytes) into a plain 11-column table. ` +
        `Engine: createBackupEngine + FlowRunner + SQLite store, a flow bouncing between two states on RETRY. ` +
        `1a: an XState actor sent the event + store.append. 1b: store.append. 1c: the store's SQL (last row read, ` +
        `events insert with UNIQUE(flow_id, position) and the foreign key) without the store. ${full.rounds} rounds, each a turn of ` +
        `${full.turn} rows per side, order shuffled; ratio = median over rounds (engine quartiles ` +
        `${quartiles(s.engine.ratios)}).`,
      `   Per row, us wall: ${per(full, 'usPerRow')}; us CPU: ${per(full, 'cpuUsPerRow')}. ` +
        `Same without fsync (synchronous=OFF), us wall: ${per(cpu, 'usPerRow')}.`,
    ],
    detail: { synchronousFull: full, synchronousOff: cpu },
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** With --expose-gc (npm run bench sets it), no side's turn pays for the garbage of the one before. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function quartiles(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
  return `${at(0.25)} / ${at(0.5)} / ${at(0.75)}`;
}
