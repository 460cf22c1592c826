/**
 * Figure 7, the event log on each SQLite driver that runs here (issue 15): transitions the engine
 * records per second on the store over that driver, against that driver's own raw single-row
 * insert of rows of the same size (a plain table, one autocommitted INSERT through a prepared
 * statement), in the same run.
 *
 *   better-sqlite3  a file, WAL, synchronous=FULL: every row fsynced (Node, the CLI);
 *   sqlite-wasm     @sqlite.org/sqlite-wasm in memory (Node has no OPFS): no fsync at all, so its
 *                   ratio is the engine's CPU against SQLite's own, not a durable commit's cost
 *                   (in a browser the OPFS flush comes on top of both).
 *
 * The engine is createBackupEngine + FlowRunner with the recording figure's bouncing machine
 * (lib/bounce-machine.ts): each flow.retry() is one transition, one durable row. Sides alternate
 * in turns of consecutive rows after a warm-up; the ratio is the median over rounds.
 */
import Database from 'better-sqlite3';
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '../adapters/store/sqlite-event-store.ts';
import type { Sqlite3Static } from '../adapters/store/sqlite-wasm-driver.ts';
import { openSqliteWasmEventStore } from '../adapters/store/sqlite-wasm-event-store.ts';
import type { StoredRow } from '../src/ports/event-store.ts';
import { bouncingEngine } from './lib/bounce-machine.ts';
import { median, now, round } from './lib/stats.ts';
import type { BenchOptions, FigureResult, FigureRow } from './lib/types.ts';

const COLUMNS = 'flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash';
const TABLE = `CREATE TABLE events (seq INTEGER PRIMARY KEY, flow_id TEXT, position INTEGER, machine_id TEXT, machine_version INTEGER,
  from_state TEXT, event_type TEXT, payload TEXT, to_state TEXT, at TEXT, prev_hash TEXT, hash TEXT) STRICT`;
const INSERT = `INSERT INTO events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

type Values = Array<string | number | null>;
const valuesOf = (r: StoredRow): Values => [r.flowId, r.position, r.machineId, r.machineVersion, r.fromState, r.eventType, r.payload, r.toState, r.at, r.prevHash, r.hash];

interface DriverSides {
  name: string;
  setting: string;
  engine(): Promise<void>;
  raw(): void;
  close(): Promise<void>;
}

async function betterSqliteSides(dir: string): Promise<DriverSides> {
  const store = openSqliteEventStore({ path: join(dir, 'engine.db') });
  const engine = await bouncingEngine(store);
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(TABLE);
  const insert = db.prepare<Values>(INSERT);
  return {
    name: 'better-sqlite3',
    setting: 'a file, WAL, synchronous=FULL',
    engine: engine.retry,
    raw: () => void insert.run(...valuesOf(engine.lastRow())),
    close: async () => {
      engine.stop();
      await store.close();
      db.close();
    },
  };
}

async function wasmSides(sqlite3: Sqlite3Static): Promise<DriverSides> {
  const store = await openSqliteWasmEventStore({ sqlite3 });
  const engine = await bouncingEngine(store);
  const db = new sqlite3.oo1.DB(':memory:', 'c');
  db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = FULL;');
  db.exec(TABLE);
  const insert = db.prepare(INSERT);
  return {
    name: 'sqlite-wasm',
    setting: 'in memory (no OPFS in Node)',
    engine: engine.retry,
    raw: () => {
      insert.bind(valuesOf(engine.lastRow())).stepReset();
    },
    close: async () => {
      engine.stop();
      insert.finalize();
      db.close();
      await store.close();
    },
  };
}

interface DriverResult {
  name: string;
  setting: string;
  engineRate: number;
  rawRate: number;
  ratios: number[];
  ratio: number;
}

async function measure(sides: DriverSides, rounds: number, turn: number): Promise<DriverResult> {
  for (let i = 0; i < 1100; i++) await sides.engine();
  for (let i = 0; i < 1100; i++) sides.raw();
  const engineMs: number[] = [];
  const rawMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? (['engine', 'raw'] as const) : (['raw', 'engine'] as const);
    for (const side of order) {
      const started = now();
      if (side === 'engine') for (let i = 0; i < turn; i++) await sides.engine();
      else for (let i = 0; i < turn; i++) sides.raw();
      (side === 'engine' ? engineMs : rawMs).push(now() - started);
    }
  }
  await sides.close();
  const ratios = engineMs.map((ms, i) => rawMs[i]! / ms);
  const rate = (list: number[]) => (turn / median(list)) * 1000;
  return { name: sides.name, setting: sides.setting, engineRate: rate(engineMs), rawRate: rate(rawMs), ratios, ratio: median(ratios) };
}

export async function benchDrivers(options: BenchOptions): Promise<FigureResult> {
  const rounds = options.quick ? 10 : 30;
  const turn = options.quick ? 50 : 200;
  const dir = mkdtempSync(join(tmpdir(), 'wbe-bench-drivers-'));
  try {
    options.log(`drivers: ${rounds} rounds, turns of ${turn} rows, engine and raw insert on better-sqlite3 and sqlite-wasm`);
    const sqlite3 = await sqlite3InitModule({ print: () => {}, printErr: () => {} });
    const results = [await measure(await betterSqliteSides(dir), rounds, turn), await measure(await wasmSides(sqlite3), rounds, turn)];
    const rows: FigureRow[] = results.map((result, i) => ({
      id: `recording.driver.${result.name}`,
      figure: `7${i === 0 ? '' : String.fromCharCode(96 + i)}. Recording on ${result.name} vs its raw insert`,
      unit: 'rows/s',
      engine: round(result.engineRate, 0),
      baseline: round(result.rawRate, 0),
      ratio: round(result.ratio, 3),
      target: 'info',
      met: null,
    }));
    return {
      rows,
      notes: [
        `7. The engine's transitions/s on the event log over each driver vs that driver's own autocommitted single-row ` +
          `INSERT into a plain table (same row size), alternating turns of ${turn} rows, ${rounds} rounds, median ratio: ` +
          results.map((r) => `${r.name} (${r.setting})`).join('; ') +
          `. In memory nothing is fsynced, so the wasm ratio is the engine's CPU against SQLite's alone; a browser's OPFS flush adds to both sides.`,
      ],
      detail: { results },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
