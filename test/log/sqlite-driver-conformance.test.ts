/**
 * One conformance suite for every SQLite driver that runs here (issue 15): the event log of
 * adapters/store/sql-event-store.ts over better-sqlite3 (a file, as Node apps and the CLI open it)
 * and over SQLite compiled to WebAssembly (@sqlite.org/sqlite-wasm, in memory: Node has no OPFS;
 * the browser test persists it in OPFS). Each driver must: append and read back; keep a chain the
 * audit verifies; refuse position conflicts; migrate a log of every earlier schema version; run
 * with the durability settings its platform offers; keep every secret out of the database's bytes
 * while a backup and a restore run through the real engine on it.
 *
 * op-sqlite's and expo-sqlite's drivers run here over stand-ins with each library's documented
 * synchronous contract on better-sqlite3 (test/support/op-sqlite-standin.ts,
 * expo-sqlite-standin.ts): neither native module runs in Node, and op-sqlite's own Node build does
 * not load (adapters/store/op-sqlite-driver.ts says what was measured).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { createBetterSqliteDriver } from '../../adapters/store/better-sqlite3-driver.ts';
import { openSqlEventStore, type SqlEventStore } from '../../adapters/store/sql-event-store.ts';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrateConnection } from '../../adapters/store/sqlite-migrations.ts';
import { createSqliteWasmDriver, type Sqlite3Static } from '../../adapters/store/sqlite-wasm-driver.ts';
import { createOpSqliteDriver } from '../../adapters/store/op-sqlite-driver.ts';
import { openOpSqliteEventStore } from '../../adapters/store/op-sqlite-event-store.ts';
import { openOpSqliteStandIn } from '../support/op-sqlite-standin.ts';
import { createExpoSqliteDriver } from '../../adapters/store/expo-sqlite-driver.ts';
import { openExpoSqliteEventStore } from '../../adapters/store/expo-sqlite-event-store.ts';
import { openExpoSqliteStandIn } from '../support/expo-sqlite-standin.ts';
import { openSqliteWasmEventStore } from '../../adapters/store/sqlite-wasm-event-store.ts';
import { auditLog } from '../../src/audit/audit-log.ts';
import { hashRow } from '../../src/log/row-hash.ts';
import { GENESIS_HASH, type StoredRow } from '../../src/ports/event-store.ts';
import type { SqliteDriver } from '../../src/ports/sqlite-driver.ts';
import { bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_24, PASSWORD } from '../engine/engine-helpers.ts';
import { record } from './log-fixtures.ts';

const root = mkdtempSync(join(tmpdir(), 'wbe-drivers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const sqlite3: Sqlite3Static = await sqlite3InitModule({ print: () => {}, printErr: () => {} });

interface Opened {
  store: SqlEventStore;
  /** Every byte the database holds (Node: the file and its -wal and -shm; wasm: its export). */
  bytes(): Promise<Uint8Array>;
  /** The pragmas that make a commit durable, as the connection has them. */
  pragmas(): Promise<{ journal_mode: string; synchronous: number; foreign_keys: number }>;
}

interface DriverUnderTest {
  name: string;
  /** The store as an app opens it on this platform. */
  open(): Promise<Opened>;
  /** A driver on an empty database, set up as the opener sets it up, without any schema. */
  bare(): Promise<SqliteDriver>;
  /** What the README says durable means here, in words that must appear in `durability`. */
  durableWords: RegExp;
}

const pragmasOf = (driver: SqliteDriver) =>
  driver.read((c) => ({
    journal_mode: c.get<{ journal_mode: string }>('PRAGMA journal_mode')!.journal_mode,
    synchronous: c.get<{ synchronous: number }>('PRAGMA synchronous')!.synchronous,
    foreign_keys: c.get<{ foreign_keys: number }>('PRAGMA foreign_keys')!.foreign_keys,
  }));

const DRIVERS: DriverUnderTest[] = [
  {
    name: 'better-sqlite3 (a file, WAL)',
    durableWords: /WAL, synchronous=FULL/,
    async open() {
      const dir = join(root, `b${++counter}`);
      const { mkdirSync } = await import('node:fs');
      mkdirSync(dir);
      const store = openSqliteEventStore({ path: join(dir, 'log.db') });
      return {
        store,
        bytes: async () => Buffer.concat(readdirSync(dir).map((name) => readFileSync(join(dir, name)))),
        pragmas: () => pragmasOf(store.driver),
      };
    },
    async bare() {
      const db = new Database(join(root, `bare${++counter}.db`));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      return createBetterSqliteDriver(db, { durability: 'WAL, synchronous=FULL' });
    },
  },
  {
    name: 'op-sqlite (its executeSync contract, on a file)',
    durableWords: /WAL, synchronous=FULL/,
    async open() {
      const dir = join(root, `o${++counter}`);
      const { mkdirSync } = await import('node:fs');
      mkdirSync(dir);
      const store = await openOpSqliteEventStore({ db: openOpSqliteStandIn(join(dir, 'log.db')) });
      return {
        store,
        bytes: async () => Buffer.concat(readdirSync(dir).map((name) => readFileSync(join(dir, name)))),
        pragmas: () => pragmasOf(store.driver),
      };
    },
    async bare() {
      const db = openOpSqliteStandIn(join(root, `bare${++counter}.db`));
      for (const pragma of ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON']) db.executeSync(`PRAGMA ${pragma}`);
      return createOpSqliteDriver(db, { durability: 'WAL, synchronous=FULL' });
    },
  },
  {
    name: 'expo-sqlite (its synchronous calls, on a file)',
    durableWords: /WAL, synchronous=FULL/,
    async open() {
      const dir = join(root, `e${++counter}`);
      const { mkdirSync } = await import('node:fs');
      mkdirSync(dir);
      const store = await openExpoSqliteEventStore({ db: openExpoSqliteStandIn(join(dir, 'log.db')) });
      return {
        store,
        bytes: async () => Buffer.concat([...readdirSync(dir).map((name) => readFileSync(join(dir, name))), await store.driver.exportBytes!()]),
        pragmas: () => pragmasOf(store.driver),
      };
    },
    async bare() {
      const db = openExpoSqliteStandIn(join(root, `bare${++counter}.db`));
      db.execSync('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
      return createExpoSqliteDriver(db, { durability: 'WAL, synchronous=FULL' });
    },
  },
  {
    name: 'sqlite-wasm (in memory)',
    durableWords: /in memory/,
    async open() {
      const store = await openSqliteWasmEventStore({ sqlite3 });
      return { store, bytes: () => store.driver.exportBytes!(), pragmas: () => pragmasOf(store.driver) };
    },
    async bare() {
      const db = new sqlite3.oo1.DB(':memory:', 'c');
      db.exec('PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
      return createSqliteWasmDriver(sqlite3, db, { durability: 'in memory' });
    },
  },
];

async function rowsOf(store: SqlEventStore): Promise<StoredRow[]> {
  const rows: StoredRow[] = [];
  for await (const row of store.readAll()) rows.push(row);
  return rows;
}

describe.each(DRIVERS)('the SQLite event log on $name', (driver) => {
  it('E4: appends, reads back (a flow, the whole log in pages, summaries by tag) and audits clean', async () => {
    const { store } = await driver.open();
    try {
      expect(await store.append(record('f', 0), { provider: 'icloud', account: 'alice@example.com' })).toMatchObject({ ok: true, row: { seq: 1, prevHash: GENESIS_HASH } });
      for (let p = 1; p < 5; p++) expect(await store.append(record('f', p))).toMatchObject({ ok: true });
      expect(await store.append(record('g', 0), { provider: 'gdrive', walletId: 'w-1' })).toMatchObject({ ok: true });
      expect((await store.readFlow('f')).map((r) => r.position)).toEqual([0, 1, 2, 3, 4]);
      const rows = await rowsOf(store);
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
      expect(rows[0]!.hash).toBe(hashRow(GENESIS_HASH, record('f', 0)));
      expect(await store.flows({ account: 'alice@example.com' })).toEqual([
        expect.objectContaining({ flowId: 'f', state: JSON.stringify('s4'), lastPosition: 4, provider: 'icloud' }),
      ]);
      expect((await store.flows({ walletId: 'w-1' })).map((f) => f.flowId)).toEqual(['g']);
      const report = await auditLog(rows);
      expect(report.chain).toMatchObject({ ok: true, rows: 6, breaks: 0 });
    } finally {
      await store.close();
    }
  });

  it('E4: refuses a position that is taken or skipped, with the one expected, and writes nothing', async () => {
    const { store } = await driver.open();
    try {
      await store.append(record('f', 0));
      await store.append(record('f', 1));
      expect(await store.append(record('f', 1))).toEqual({ ok: false, reason: 'position-conflict', expectedPosition: 2 });
      expect(await store.append(record('f', 5))).toEqual({ ok: false, reason: 'position-conflict', expectedPosition: 2 });
      expect(await store.append(record('g', 1))).toEqual({ ok: false, reason: 'position-conflict', expectedPosition: 0 });
      expect((await rowsOf(store)).length).toBe(2);
      await expect(store.append({ ...record('f', 2), eventType: '' })).rejects.toThrow(TypeError);
      expect((await rowsOf(store)).length).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('E4: a log of every earlier schema version migrates, keeping its rows, and its chain goes on', async () => {
    for (let version = 1; version < LATEST_SCHEMA_VERSION; version++) {
      const bare = await driver.bare();
      const rows = [record('f', 0), record('f', 1)];
      await bare.write((c) => {
        migrateConnection(c, 'old log', MIGRATIONS.slice(0, version));
        if (version === 1) {
          c.run(
            `INSERT INTO flows (flow_id, machine_id, machine_version, state, last_position, started_at, updated_at, provider)
             VALUES ('f', 'backup', 1, ?, 1, ?, ?, 'icloud')`,
            [rows[1]!.toState, rows[0]!.at, rows[1]!.at],
          );
        } else {
          c.run(`INSERT INTO flows (flow_id, machine_id, machine_version, started_at, provider) VALUES ('f', 'backup', 1, ?, 'icloud')`, [rows[0]!.at]);
        }
        let prevHash = GENESIS_HASH;
        for (const r of rows) {
          const hash = hashRow(prevHash, r);
          c.run(
            `INSERT INTO events (flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [r.flowId, r.position, r.machineId, r.machineVersion, r.fromState, r.eventType, r.payload, r.toState, r.at, prevHash, hash],
          );
          prevHash = hash;
        }
      });
      const store = await openSqlEventStore(bare, { label: `v${version} log` });
      try {
        expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
        expect(await store.flows()).toEqual([expect.objectContaining({ flowId: 'f', lastPosition: 1, provider: 'icloud', state: rows[1]!.toState })]);
        expect(await store.append(record('f', 2))).toMatchObject({ ok: true });
        expect((await auditLog(await rowsOf(store))).chain).toMatchObject({ ok: true, rows: 3 });
      } finally {
        await store.close();
      }
    }
  });

  it('E4: a write whose work throws is rolled back whole, and the next write goes through', async () => {
    const bare = await driver.bare();
    await bare.write((c) => c.exec('CREATE TABLE t (x INTEGER)'));
    await expect(
      bare.write((c) => {
        c.run('INSERT INTO t VALUES (?)', [1]);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await bare.read((c) => c.all('SELECT x FROM t'))).toEqual([]);
    await bare.write((c) => c.run('INSERT INTO t VALUES (?)', [2]));
    expect(await bare.read((c) => c.all<{ x: number }>('SELECT x FROM t'))).toEqual([{ x: 2 }]);
    await bare.close();
  });

  it('E4: a log newer than this code is refused, unchanged', async () => {
    const bare = await driver.bare();
    await bare.write((c) => c.exec('CREATE TABLE future (x); PRAGMA user_version = 9;'));
    await expect(openSqlEventStore(bare, { label: 'future log', pragmas: 'CREATE TABLE written_by_pragmas (x)' })).rejects.toMatchObject({ name: 'SchemaVersionError', found: 9 });
    expect(await bare.read((c) => c.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'"))).toEqual([{ name: 'future' }]);
    await bare.close();
  });

  it('E4: commits with the durability its platform offers, and says which', async () => {
    const { store, pragmas } = await driver.open();
    try {
      const found = await pragmas();
      expect(found.synchronous).toBe(2); // FULL: every commit is flushed where the VFS can flush
      expect(found.foreign_keys).toBe(1);
      if (!driver.name.startsWith('sqlite-wasm')) expect(found.journal_mode).toBe('wal');
      expect(store.driver.durability).toMatch(driver.durableWords);
    } finally {
      await store.close();
    }
  });

  it('R6: a backup and a restore through the real engine leave no password or phrase in the database bytes', async () => {
    const { store, bytes } = await driver.open();
    try {
      const { engine } = engineOn({ store });
      expect((await bindFirstBackup(engine)).result().outcome).toBe('done');
      const second = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, walletName: 'Savings' });
      await second.enterPassword('wrong guess 12');
      await second.enterPassword(PASSWORD);
      const walletId = second.result().walletId!;
      const restore = await engine.restore({ provider: 'gdrive', walletId });
      await restore.enterPassword(PASSWORD);
      expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_24 });
      const rows = await rowsOf(store);
      expect(rows.length).toBeGreaterThan(20);
      expect((await auditLog(rows)).ok).toBe(true);
      const held = Buffer.from(await bytes());
      expect(held.includes(Buffer.from(rows.at(-1)!.hash))).toBe(true); // the scan sees the rows
      for (const secret of [PASSWORD, 'wrong guess 12', MNEMONIC_12, MNEMONIC_24, ...MNEMONIC_24.split(' ').slice(0, 4).join(' ').split('\n')]) {
        expect(held.includes(Buffer.from(secret)), `"${secret}" in the database`).toBe(false);
      }
    } finally {
      await store.close();
    }
  });
});
