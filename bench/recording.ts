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
 * And the peers an app team would use instead of the engine (issue 14), each given its best case:
 *   xstatePersist  XState's documented persistence (https://stately.ai/docs/persistence): the same
 *              machine run as an actor, `actor.getPersistedSnapshot()` serialised with JSON.stringify
 *              and upserted into a better-sqlite3 table by a subscriber on every snapshot (one
 *              autocommitted transaction per transition, same pragmas). It keeps the last snapshot
 *              only: no history, no chain, no redaction. The machine (on every side) holds the
 *              context a real backup flow holds while it waits (storageFullContext).
 *   emmett     @event-driven-io/emmett-sqlite's event store (bench/peers, lib/peers.ts) as its API gives it:
 *              getSQLiteEventStore({ fileName }).appendToStream(stream, [event]), one append per
 *              transition, the event carrying the engine's row (machine, states, event, payload,
 *              time). Its SQLite (node-sqlite3's own build) opens WAL with synchronous=FULL by
 *              default (DEFAULT_WAL_SYNCHRONOUS=2), the same durability as the engine's; but its store
 *              opens a connection for every call and closes it after, so every append also opens
 *              the file and, closing the last connection, checkpoints the WAL. That is the library's
 *              behaviour (0.38.5), not a setting: its API has no option to keep a connection.
 *   emmettOpen emmett's own append (its exported appendToStream, the function the store calls) on
 *              one connection kept open, synchronous set explicitly: what emmett's SQL costs
 *              without the per-call connection, for a fair reading of the row above.
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
import { createActor } from 'xstate';
import { openSqliteEventStore, type SqliteEventStore } from '../adapters/store/sqlite-event-store.ts';
import type { StoredRow, TransitionRecord } from '../src/ports/event-store.ts';
import { rng } from '../scripts/synthetic-log.ts';
import { bounceMachine, bouncingEngine } from './lib/bounce-machine.ts';
import { loadEmmettSqlite, type EmmettSqlite } from './lib/peers.ts';
import { median, now, round, sum } from './lib/stats.ts';
import type { BenchOptions, FigureResult, FigureRow } from './lib/types.ts';


type Synchronous = 'FULL' | 'OFF';

const SIDE_NAMES = ['raw', 'schemaSql', 'store', 'xstate', 'engine', 'xstatePersist', 'emmett', 'emmettOpen'] as const;
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
  const engine = await bouncingEngine(store);
  return {
    op: engine.retry,
    lastRow: engine.lastRow,
    close: async () => {
      engine.stop();
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

/** XState's documented persistence: the persisted snapshot upserted after every transition. */
function xstatePersistSide(dir: string, synchronous: Synchronous): Side & { snapshotBytes(): number } {
  const db = new Database(join(dir, 'xstate-persist.db'));
  setPragmas(db, synchronous);
  db.exec('CREATE TABLE actors (actor_id TEXT PRIMARY KEY, snapshot TEXT NOT NULL) STRICT');
  const save = db.prepare('INSERT INTO actors (actor_id, snapshot) VALUES (?, ?) ON CONFLICT (actor_id) DO UPDATE SET snapshot = excluded.snapshot');
  const actor = createActor(bounceMachine);
  let bytes = 0;
  // As the docs persist an actor: on every snapshot, getPersistedSnapshot() → JSON → storage.
  actor.subscribe(() => {
    const text = JSON.stringify(actor.getPersistedSnapshot());
    bytes = Buffer.byteLength(text);
    save.run('backup-flow', text);
  });
  actor.start();
  return {
    op: () => {
      actor.send({ type: 'RETRY' });
    },
    snapshotBytes: () => bytes,
    close: async () => {
      actor.stop();
      db.close();
    },
  };
}

/** The engine's row as an emmett event: what the engine records of one transition. */
function emmettEvent(rowOf: () => StoredRow) {
  const r = rowOf();
  return {
    type: r.eventType,
    data: { machineId: r.machineId, machineVersion: r.machineVersion, fromState: r.fromState, payload: r.payload, toState: r.toState, at: r.at },
  };
}

/** emmett-sqlite's event store through its public API (a connection per call: see the header). */
function emmettSide(emmett: EmmettSqlite, dir: string, rowOf: () => StoredRow): Side {
  const store = emmett.getSQLiteEventStore({ fileName: join(dir, 'emmett.db'), schema: { autoMigration: 'CreateOrUpdate' } });
  return {
    op: async () => {
      await store.appendToStream('backup-flow1', [emmettEvent(rowOf)]);
    },
    close: async () => {},
  };
}

/** emmett's append on one connection kept open, with this pass's synchronous setting. */
async function emmettOpenSide(emmett: EmmettSqlite, dir: string, synchronous: Synchronous, rowOf: () => StoredRow): Promise<Side> {
  const connection = emmett.sqliteConnection({ fileName: join(dir, 'emmett-open.db') });
  await connection.command(`PRAGMA synchronous = ${synchronous}`);
  await emmett.createEventStoreSchema(connection);
  return {
    op: async () => {
      const result = await emmett.appendToStream(connection, 'backup-flow1', 'backup', [emmettEvent(rowOf)]);
      if (!result.success) throw new Error('emmett refused an append');
    },
    close: async () => {
      connection.close();
    },
  };
}

async function openSides(emmett: EmmettSqlite, dir: string, synchronous: Synchronous): Promise<PerSide<Side> & { lastRow(): StoredRow; snapshotBytes(): number }> {
  const engine = await engineSide(dir, synchronous);
  const xstatePersist = xstatePersistSide(dir, synchronous);
  return {
    engine,
    raw: rawSide(dir, synchronous, engine.lastRow),
    schemaSql: await schemaSqlSide(dir, synchronous, engine.lastRow),
    store: storeSide(dir, synchronous, engine.lastRow),
    xstate: xstateSide(dir, synchronous),
    xstatePersist,
    emmett: emmettSide(emmett, dir, engine.lastRow),
    emmettOpen: await emmettOpenSide(emmett, dir, synchronous, engine.lastRow),
    lastRow: engine.lastRow,
    snapshotBytes: xstatePersist.snapshotBytes,
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
  /** Per round: the engine's rate / this side's rate (how the engine compares with a peer). */
  engineRatios: number[];
  engineRatio: number;
}

interface PassResult {
  synchronous: Synchronous;
  rounds: number;
  turn: number;
  rowBytes: number;
  /** The XState peer's persisted snapshot, serialised. */
  snapshotBytes: number;
  sides: Partial<PerSide<SideResult>>;
}

/** More than the 1000 WAL pages after which SQLite checkpoints, on the side writing one page per row. */
const WARMUP_ROWS = 1100;

async function measurePass(emmett: EmmettSqlite, synchronous: Synchronous, names: readonly SideName[], rounds: number, turn: number): Promise<PassResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wbe-bench-recording-'));
  try {
    const sides = await openSides(emmett, dir, synchronous);
    // Warm-up on the measured databases: past the first checkpoint each WAL has its steady size
    // and is rewritten in place, as in a long-lived log (before it, every commit grows the file).
    for (const name of names) for (let i = 0; i < WARMUP_ROWS; i++) await sides[name].op();
    const spentMs = perSide<number[]>(() => []);
    const cpuUs = perSide(() => 0);
    const random = rng(6); // the same order of sides in every run
    for (let r = 0; r < rounds; r++) {
      for (const name of shuffled(names, random)) {
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
    const snapshotBytes = sides.snapshotBytes();
    for (const name of SIDE_NAMES) await sides[name].close();
    const n = rounds * turn;
    const result: Partial<PerSide<SideResult>> = {};
    for (const name of names) {
      const ratios = spentMs[name].map((ms, i) => spentMs.raw[i]! / ms);
      const engineRatios = spentMs[name].map((ms, i) => ms / spentMs.engine[i]!);
      result[name] = {
        rate: (n / sum(spentMs[name])) * 1000,
        usPerRow: (sum(spentMs[name]) / n) * 1000,
        cpuUsPerRow: cpuUs[name] / n,
        ratios,
        ratio: median(ratios),
        engineRatios,
        engineRatio: median(engineRatios),
      };
    }
    return { synchronous, rounds, turn, rowBytes, snapshotBytes, sides: result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The regression guard on the raw-insert ratio (issue 14 restated the target; see the README). */
const RAW_RATIO_GUARD = 0.7;

export async function benchRecording(options: BenchOptions): Promise<FigureResult> {
  const rounds = options.quick ? 20 : 40;
  const turn = options.quick ? 40 : 100;
  options.log(`recording: ${rounds} rounds, each a turn of ${turn} durable rows on each of ${SIDE_NAMES.join(', ')} (synchronous=FULL)`);
  const emmett = loadEmmettSqlite(options.log);
  const full = await measurePass(emmett, 'FULL', SIDE_NAMES, rounds, turn);
  options.log('recording: CPU-only pass (synchronous=OFF; emmett through its store cannot turn it off and is left out)');
  const cpuNames = SIDE_NAMES.filter((name) => name !== 'emmett');
  const cpu = await measurePass(emmett, 'OFF', cpuNames, 4, options.quick ? 1000 : 2500);
  const s = full.sides as PerSide<SideResult>;
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
  /** Engine against a peer: the engine's rate, the peer's as the baseline, ratio engine/peer. */
  const peer = (id: string, figure: string, side: SideResult, target: number | null): FigureRow => ({
    id,
    figure,
    unit: 'rows/s',
    engine: round(s.engine.rate, 0),
    baseline: round(side.rate, 0),
    ratio: round(side.engineRatio, 3),
    target: target === null ? 'info' : `>= ${target.toFixed(1)}`,
    met: target === null ? null : side.engineRatio >= target,
  });
  const per = (pass: PassResult, field: 'usPerRow' | 'cpuUsPerRow') =>
    SIDE_NAMES.filter((name) => pass.sides[name] !== undefined)
      .map((name) => `${name} ${pass.sides[name]![field].toFixed(0)}`)
      .join(', ');
  return {
    rows: [
      row('recording', '1. Recording: engine transitions/s vs raw insert', s.engine, `>= ${RAW_RATIO_GUARD}`, s.engine.ratio >= RAW_RATIO_GUARD),
      peer('recording.xstate-persist', "1a. Engine vs XState's persistence pattern", s.xstatePersist, 1),
      peer('recording.emmett', '1b. Engine vs emmett-sqlite appendToStream', s.emmett, 1),
      peer('recording.emmett-open', '1c. ... emmett append, connection kept open', s.emmettOpen, null),
      row('recording.xstate', '1d. ... XState send + store.append only', s.xstate, 'info', null),
      row('recording.store', '1e. ... store.append alone', s.store, 'info', null),
      row('recording.schema', "1f. ... the log schema's SQL by hand", s.schemaSql, 'info', null),
    ],
    notes: [
      `1. WAL, synchronous=FULL, one durable transaction per row, fresh temp databases warmed past the first checkpoint. ` +
        `Baseline: autocommitted INSERTs of the engine's own rows (${full.rowBytes} bytes) into a plain 11-column table; ` +
        `the target on it is a regression guard (>= ${RAW_RATIO_GUARD}): one fsync per transition bounds it below 0.9. ` +
        `Engine: createBackupEngine + FlowRunner + SQLite store, a flow bouncing between two states on RETRY. ` +
        `${full.rounds} rounds, each a turn of ${full.turn} rows per side, order shuffled; ratio = median over rounds ` +
        `(engine/raw quartiles ${quartiles(s.engine.ratios)}).`,
      `   1a-1c: the engine's rate / the peer's (median over rounds; >= 1.0: the engine records at least as fast). ` +
        `1a: XState's documented persistence, the same machine as an actor, getPersistedSnapshot() JSON ` +
        `(${full.snapshotBytes} bytes) upserted into a better-sqlite3 table on every snapshot, same pragmas: the last ` +
        `snapshot only, no history, chain or redaction. 1b: @event-driven-io/emmett-sqlite 0.38.5 ` +
        `getSQLiteEventStore().appendToStream of the engine's row as one event per transition; node-sqlite3's SQLite ` +
        `(WAL, synchronous=FULL by default: the same durability), but the store opens and closes a connection on every ` +
        `call (its API has no option to keep one). 1c: emmett's own appendToStream on one connection kept open.`,
      `   1d: an XState actor sent the event + store.append. 1e: store.append. 1f: the store's SQL (last row read, ` +
        `events insert with UNIQUE(flow_id, position) and the foreign key) without the store.`,
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
