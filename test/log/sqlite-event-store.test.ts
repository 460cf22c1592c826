/**
 * What only the SQLite store has: pragmas, migrations, append-only triggers, persistence, and
 * tampering with the database file from outside (E4).
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SchemaVersionError } from '../../adapters/store/sqlite-migrations.ts';
import { migrate } from '../../adapters/store/better-sqlite3-driver.ts';
import { hashRow, verifyChain } from '../../src/log/row-hash.ts';
import { GENESIS_HASH, type StoredRow } from '../../src/ports/event-store.ts';
import {
  appendAll, collect, flipValue, historyArb, record, recordsOf, tamperArb, type HashedColumn, type Tamper,
} from './log-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'wbe-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => join(dir, `log-${counter++}.db`);

const COLUMN: Record<HashedColumn, string> = {
  flowId: 'flow_id', position: 'position', machineId: 'machine_id', machineVersion: 'machine_version',
  fromState: 'from_state', eventType: 'event_type', payload: 'payload', toState: 'to_state', at: 'at',
  prevHash: 'prev_hash', hash: 'hash',
};

/** A second connection, as an attacker (or a careless tool) would open it: triggers dropped. */
function openTamperer(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('foreign_keys = OFF');
  db.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
  return db;
}

const INSERT_ROW = `INSERT INTO events (seq, flow_id, position, machine_id, machine_version, from_state, event_type,
  payload, to_state, at, prev_hash, hash) VALUES (@seq, @flowId, @position, @machineId, @machineVersion, @fromState,
  @eventType, @payload, @toState, @at, @prevHash, @hash)`;

/** Applies a tampering through SQL on a second connection; returns the seqs where the break may be reported. */
function tamperDatabase(path: string, rows: readonly StoredRow[], t: Tamper): number[] {
  const db = openTamperer(path);
  try {
    switch (t.kind) {
      case 'flip': {
        const row = rows[t.row]!;
        const update = db.prepare(`UPDATE events SET ${COLUMN[t.column]} = ? WHERE seq = ?`);
        const flipped = flipValue(row[t.column], t.at);
        try {
          update.run(flipped, row.seq);
        } catch (error) {
          // The flipped flow id or position collides with another row: UNIQUE(flow_id, position).
          if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
          update.run(typeof flipped === 'number' ? flipped + 1_000_000 : `${String(flipped)}~`, row.seq);
        }
        return [row.seq];
      }
      case 'delete':
        db.prepare('DELETE FROM events WHERE seq = ?').run(rows[t.row]!.seq);
        return [rows[t.row + 1]!.seq];
      case 'swap': {
        const a = rows[t.row]!;
        const b = rows[t.other]!;
        db.transaction(() => {
          db.prepare('DELETE FROM events WHERE seq IN (?, ?)').run(a.seq, b.seq);
          db.prepare(INSERT_ROW).run({ ...b, seq: a.seq });
          db.prepare(INSERT_ROW).run({ ...a, seq: b.seq });
        })();
        return [a.seq];
      }
      case 'insert': {
        // Make room in seq order, then put a copy of another row (position made unique) there.
        const at = rows[t.row]!;
        db.prepare('UPDATE events SET seq = seq + 1000000 WHERE seq >= ?').run(at.seq);
        const source = rows[t.source]!;
        db.prepare(INSERT_ROW).run({ ...source, seq: at.seq, flowId: `${source.flowId}-copy` });
        return [at.seq];
      }
    }
  } finally {
    db.close();
  }
}

describe('SQLite event store: pragmas (E4 durability)', () => {
  it('sets WAL, synchronous FULL by default, foreign keys on, temp store in memory', async () => {
    const store = openSqliteEventStore({ path: freshPath() });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('temp_store', { simple: true })).toBe(2); // MEMORY
    await store.close();
  });

  it('takes synchronous NORMAL when asked, and refuses anything else', async () => {
    const store = openSqliteEventStore({ path: freshPath(), synchronous: 'NORMAL' });
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    await store.close();
    expect(() => openSqliteEventStore({ path: freshPath(), synchronous: 'OFF' as 'FULL' })).toThrow(/synchronous/);
  });
});

describe('SQLite event store: migrations', () => {
  it('gives a fresh database user_version 2 with both tables', async () => {
    const store = openSqliteEventStore({ path: freshPath() });
    expect(store.schemaVersion()).toBe(2);
    expect(LATEST_SCHEMA_VERSION).toBe(2);
    const tables = store.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['events', 'flows']);
    await store.close();
  });

  it('reopens an existing log without migrating again, and keeps its rows', async () => {
    const path = freshPath();
    const first = openSqliteEventStore({ path });
    await appendAll(first, [record('a', 0), record('a', 1)]);
    await first.close();
    const second = openSqliteEventStore({ path });
    expect(second.schemaVersion()).toBe(2);
    expect((await second.readFlow('a')).length).toBe(2);
    expect(await second.append(record('a', 2))).toMatchObject({ ok: true });
    expect(await verifyChain(second.readAll())).toEqual({ ok: true, rows: 3 });
    await second.close();
  });

  it('refuses a database with a newer user_version, with a clear error, and leaves it untouched', () => {
    const path = freshPath();
    const raw = new Database(path);
    raw.exec('CREATE TABLE future (x)');
    raw.pragma('user_version = 7');
    raw.close();
    const before = readFileSync(path);
    let error: unknown;
    try {
      openSqliteEventStore({ path });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaVersionError);
    expect((error as SchemaVersionError).message).toMatch(/schema version 7, newer than this build supports \(2\)/);
    expect(error).toMatchObject({ found: 7, supported: 2 });
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('E4: a v1 log migrates to v2 keeping every row and what its flows summaries say', async () => {
    const path = freshPath();
    // A log as a v1 build wrote it: state, position and time in flows, rewritten at every row.
    const v1 = new Database(path);
    migrate(v1, MIGRATIONS.slice(0, 1));
    const rows = [record('f', 0), record('f', 1), record('g', 0)];
    const flow = v1.prepare(
      `INSERT INTO flows (flow_id, machine_id, machine_version, state, last_position, started_at, updated_at, provider, account)
       VALUES (?, 'backup', 1, ?, ?, ?, ?, ?, ?)`,
    );
    flow.run('f', rows[1]!.toState, 1, rows[0]!.at, rows[1]!.at, 'icloud', 'alice@example.com');
    flow.run('g', rows[2]!.toState, 0, rows[2]!.at, rows[2]!.at, null, null);
    let prevHash = GENESIS_HASH;
    for (const r of rows) {
      const hash = hashRow(prevHash, r);
      v1.prepare(
        `INSERT INTO events (flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(r.flowId, r.position, r.machineId, r.machineVersion, r.fromState, r.eventType, r.payload, r.toState, r.at, prevHash, hash);
      prevHash = hash;
    }
    v1.close();

    const store = openSqliteEventStore({ path });
    try {
      expect(store.schemaVersion()).toBe(2);
      const columns = store.db.prepare("SELECT name FROM pragma_table_info('flows')").pluck().all();
      expect(columns).toEqual(['flow_id', 'machine_id', 'machine_version', 'started_at', 'provider', 'account', 'wallet_id', 'epoch']);
      const f = { flowId: 'f', machineId: 'backup', machineVersion: 1, state: rows[1]!.toState, lastPosition: 1, startedAt: rows[0]!.at, updatedAt: rows[1]!.at, provider: 'icloud', account: 'alice@example.com' };
      const g = { flowId: 'g', machineId: 'backup', machineVersion: 1, state: rows[2]!.toState, lastPosition: 0, startedAt: rows[2]!.at, updatedAt: rows[2]!.at };
      expect(await store.flows()).toEqual([f, g]);
      expect(await store.flows({ state: rows[1]!.toState })).toEqual([f]);
      // The migrated log goes on: the chain continues from the v1 rows, the summary follows.
      expect(await store.append(record('f', 2))).toMatchObject({ ok: true });
      expect(await verifyChain(store.readAll())).toEqual({ ok: true, rows: 4 });
      expect((await store.flows({ account: 'alice@example.com' }))[0]).toMatchObject({ lastPosition: 2, updatedAt: record('f', 2).at });
    } finally {
      await store.close();
    }
  });

  it('migrate() applies pending migrations in one transaction and rolls back a failing one', () => {
    const db = new Database(':memory:');
    const broken = [...MIGRATIONS, { version: 3, up: 'CREATE TABLE extra (x); THIS IS NOT SQL;' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get()).toBe(0);
    expect(migrate(db)).toEqual({ from: 0, to: 2, applied: [1, 2] });
    expect(migrate(db)).toEqual({ from: 2, to: 2, applied: [] });
    expect(() => migrate(db, [{ version: 2, up: '' }])).toThrow(/Migration list is broken/);
    db.close();
  });
});

describe('SQLite event store: what a connection remembers between appends (issue 6)', () => {
  it('two connections appending to one log keep one chain, see each other\'s positions, and merge tags', async () => {
    const path = freshPath();
    const a = openSqliteEventStore({ path });
    const b = openSqliteEventStore({ path });
    try {
      await appendAll(a, [record('x', 0), record('x', 1)]);
      await a.append(record('y', 0), { provider: 'gdrive' });
      // b appends to x after a did: it must see position 2 and a's last hash.
      expect(await b.append(record('x', 1))).toEqual({ ok: false, reason: 'position-conflict', expectedPosition: 2 });
      await appendAll(b, [record('x', 2)]);
      await b.append(record('y', 1), { account: 'alice@example.com' });
      // a remembered x at 2 and y's tags; both moved meanwhile.
      expect(await a.append(record('x', 2))).toEqual({ ok: false, reason: 'position-conflict', expectedPosition: 3 });
      await appendAll(a, [record('x', 3)]);
      await a.append(record('y', 2));
      expect(await verifyChain(a.readAll())).toEqual({ ok: true, rows: 7 });
      const y = (await a.flows()).find((f) => f.flowId === 'y');
      expect(y).toMatchObject({ provider: 'gdrive', account: 'alice@example.com', lastPosition: 2, state: JSON.stringify('s2') });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a write through the store\'s own connection, outside append, is noticed too', async () => {
    const store = openSqliteEventStore({ path: freshPath() });
    try {
      await appendAll(store, [record('x', 0), record('x', 1)]);
      await store.append(record('y', 0), { provider: 'gdrive' });
      const [last] = await store.readFlow('y');
      // Same connection: PRAGMA data_version does not change, total_changes() does.
      store.db
        .prepare(
          `INSERT INTO events (flow_id, position, machine_id, machine_version, from_state, event_type, payload, to_state, at, prev_hash, hash)
           VALUES ('x', 2, 'backup', 1, '"s1"', 'E', '{}', '"s2"', ?, ?, ?)`,
        )
        .run(last!.at, last!.hash, 'f'.repeat(64));
      store.db.prepare("UPDATE flows SET account = 'bob@example.com' WHERE flow_id = 'y'").run();
      expect(await store.append(record('x', 2))).toEqual({ ok: false, reason: 'position-conflict', expectedPosition: 3 });
      const appended = await store.append(record('x', 3));
      expect(appended).toMatchObject({ ok: true, row: { prevHash: 'f'.repeat(64) } });
      await store.append(record('y', 1), { provider: 'gdrive' });
      expect((await store.flows()).find((f) => f.flowId === 'y')).toMatchObject({ account: 'bob@example.com', lastPosition: 1 });
    } finally {
      await store.close();
    }
  });

  it('a flow\'s summary follows every append: state and position always, tags and machine when they change', async () => {
    const store = openSqliteEventStore({ path: freshPath() });
    try {
      await store.append(record('f', 0), { provider: 'icloud' });
      await store.append(record('f', 1), { provider: 'icloud' });
      await store.append(record('f', 2), { walletId: 'w-1', epoch: 1 });
      await store.append(record('f', 3, { machineVersion: 2 }));
      await store.append(record('f', 4, { machineVersion: 2 }), { provider: 'icloud', epoch: 1 });
      expect(await store.flows()).toEqual([
        {
          flowId: 'f', machineId: 'backup', machineVersion: 2, state: JSON.stringify('s4'), lastPosition: 4,
          startedAt: record('f', 0).at, updatedAt: record('f', 4).at, provider: 'icloud', walletId: 'w-1', epoch: 1,
        },
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite event store: append-only (E4)', () => {
  it('refuses UPDATE and DELETE of rows through the schema itself', async () => {
    const store = openSqliteEventStore({ path: freshPath() });
    await appendAll(store, [record('a', 0)]);
    expect(() => store.db.prepare("UPDATE events SET payload = '{}'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    await store.close();
  });

  it('keeps the column types strict', async () => {
    const store = openSqliteEventStore({ path: freshPath() });
    expect(() =>
      store.db.prepare(
        "INSERT INTO events (flow_id, position, machine_id, machine_version, event_type, payload, to_state, at, prev_hash, hash) VALUES ('f', 'zero', 'm', 1, 'e', '{}', '\"s\"', 'now', 'p', 'h')",
      ).run(),
    ).toThrow();
    await store.close();
  });
});

describe('SQLite event store: tampering from outside the store is found (E4)', () => {
  it('a flipped byte in the raw database file is reported at its row', async () => {
    const path = freshPath();
    const store = openSqliteEventStore({ path });
    const marker = 'MARKER-4fd1c2';
    const rows = await appendAll(store, [
      record('a', 0), record('b', 0), record('a', 1, { payload: JSON.stringify({ note: marker }) }), record('b', 1),
    ]);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    await store.close();

    const bytes = readFileSync(path);
    const offset = bytes.indexOf(Buffer.from(marker, 'utf8'));
    expect(offset).toBeGreaterThan(0);
    bytes[offset] = bytes[offset]! ^ 0x01; // 'M' -> 'L'
    writeFileSync(path, bytes);

    const reopened = openSqliteEventStore({ path });
    expect(await verifyChain(reopened.readAll())).toMatchObject({ ok: false, problem: 'hash-mismatch', seq: rows[2]!.seq });
    await reopened.close();
  });

  it('random histories + random tampering through a second connection: every change is found where it happened', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb.chain((steps) => fc.tuple(fc.constant(steps), tamperArb(steps.length))),
        async ([steps, tamper]) => {
          const path = freshPath();
          const store = openSqliteEventStore({ path, synchronous: 'NORMAL' });
          try {
            const rows = await appendAll(store, recordsOf(steps));
            expect(await collect(store.readAll())).toEqual(rows);
            expect(await verifyChain(store.readAll())).toEqual({ ok: true, rows: steps.length });
            const breakAt = tamperDatabase(path, rows, tamper);
            const result = await verifyChain(store.readAll());
            expect(result.ok).toBe(false);
            if (!result.ok) expect(breakAt).toContain(result.seq);
          } finally {
            await store.close();
            for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
