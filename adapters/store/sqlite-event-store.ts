/**
 * The EventStore port on SQLite through better-sqlite3 (Node only): the durable, hash-chained
 * event log of E4.
 *
 * Opening sets `journal_mode=WAL`, `synchronous=FULL` (each commit is fsynced: a row is on disk
 * when append resolves; 'NORMAL' trades the last commits on power loss for speed),
 * `foreign_keys=ON` and `temp_store=MEMORY` (sorts never spill to temp files, R6), then brings the
 * schema up to date (sqlite-migrations.ts). A database newer than this code is refused untouched.
 *
 * `append` is one IMMEDIATE transaction: the write lock is taken first, so the flow's next position
 * and the log's last hash cannot move between reading them and inserting the row. A wrong position
 * is an answer (`position-conflict` with the expected one), not an exception; a malformed record
 * is a programming error and rejects with a TypeError.
 *
 * The durable commit is the cost of an append (issue 6: `npm run bench`); the rest is kept small:
 * one read of the log's last row, the row's insert, and, only when a flow starts or its machine
 * or tags change, its `flows` entry (schema v2: a summary's state and position are its last row's).
 * The connection remembers the log's last row and, per flow it appended to, the next position and
 * the entry's tags. Under the write lock it reads the last row's seq and hash: if they are not the
 * ones it left (another connection, or a write through `db`, appended since), it forgets and reads
 * what it needs again. Rows are never updated or deleted (triggers), so an unchanged last row means
 * an unchanged log. Hashes are node:crypto's SHA-256 over the same canonical text as
 * src/log/row-hash.ts (format v1).
 *
 * `readAll` streams in pages by seq (keyset pagination), each page read with `stmt.iterate()`:
 * memory stays bounded by the page size, and no cursor stays open between yields, because
 * better-sqlite3 refuses every write on a connection with an open cursor and the engine appends
 * while others read.
 */
import Database from 'better-sqlite3';
import { openReadOnlyDatabase } from './sqlite-read-only.ts';
import { hash as nodeHash } from 'node:crypto';
import {
  GENESIS_HASH,
  type AppendResult,
  type EventStore,
  type FlowFilter,
  type FlowSummary,
  type FlowTags,
  type StoredRow,
  type TransitionRecord,
} from '../../src/ports/event-store.ts';
import { canonicalText, recordProblem, storedRow, tagsProblem } from '../../src/log/row-hash.ts';
import { LATEST_SCHEMA_VERSION, SchemaVersionError, migrate } from './sqlite-migrations.ts';
import { FLOW_SUMMARY_SELECT, toSummary, type FlowRow } from './sqlite-flow-row.ts';

export interface SqliteEventStoreOptions {
  /** File path, or ':memory:'. */
  path: string;
  /** Default 'FULL'. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Rows per page of readAll (default 256). */
  pageSize?: number;
  /** Open for reading only (read-only media included: sqlite-read-only.ts); every append fails. */
  readOnly?: boolean;
}

export type SqliteEventStore = EventStore & {
  readonly db: Database.Database;
  /** The database's PRAGMA user_version. */
  schemaVersion(): number;
};

const ROW_COLUMNS = `seq, flow_id AS flowId, position, machine_id AS machineId, machine_version AS machineVersion,
  from_state AS fromState, event_type AS eventType, payload, to_state AS toState, at,
  prev_hash AS prevHash, hash`;

/** FlowFilter field → column of FLOW_SUMMARY_SELECT (f: the flow's entry, e: its last row); the order fixes the shape of the cached statements. */
const FILTER_COLUMNS = {
  machineId: 'f.machine_id',
  provider: 'f.provider',
  account: 'f.account',
  walletId: 'f.wallet_id',
  state: 'e.to_state',
} as const satisfies Record<keyof FlowFilter, string>;
const FILTER_FIELDS = Object.keys(FILTER_COLUMNS) as (keyof FlowFilter)[];

/** What the connection knows about a flow it appended to (valid while `Known` is). */
interface KnownFlow {
  next: number;
  machineId: string;
  machineVersion: number;
  provider: string | null;
  account: string | null;
  walletId: string | null;
  epoch: number | null;
}

/** The log's end as this connection left it after its last commit. */
interface Known {
  lastSeq: number;
  lastHash: string;
  flows: Map<string, KnownFlow>;
}

/** Flows remembered at most; past it the map starts again (a miss costs one indexed read). */
const KNOWN_FLOWS_LIMIT = 1024;
const HASH_RE = /^[0-9a-f]{64}$/;

type TagColumns = Pick<KnownFlow, 'provider' | 'account' | 'walletId' | 'epoch'>;

function sameSummary(flow: KnownFlow, record: TransitionRecord, tags: FlowTags): boolean {
  return (
    flow.machineId === record.machineId &&
    flow.machineVersion === record.machineVersion &&
    (tags.provider === undefined || tags.provider === flow.provider) &&
    (tags.account === undefined || tags.account === flow.account) &&
    (tags.walletId === undefined || tags.walletId === flow.walletId) &&
    (tags.epoch === undefined || tags.epoch === flow.epoch)
  );
}

function openDatabase(path: string, readOnly: boolean): Database.Database {
  const db = readOnly ? openReadOnlyDatabase(path) : new Database(path);
  try {
    // Refuse a too-new database before any pragma below writes to it.
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found > LATEST_SCHEMA_VERSION) {
      throw new SchemaVersionError(
        found,
        LATEST_SCHEMA_VERSION,
        `The event log ${path} has schema version ${found}, newer than this build supports ` +
          `(${LATEST_SCHEMA_VERSION}). Use a newer wallet-backup-engine; the log was not changed.`,
      );
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Opens (creating and migrating if needed) the SQLite event log at `path`. */
export function openSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  const synchronous = options.synchronous ?? 'FULL';
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new TypeError(`synchronous must be 'FULL' or 'NORMAL', got ${String(synchronous)}`);
  }
  const pageSize = options.pageSize ?? 256;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new TypeError('pageSize must be a positive integer');

  const db = openDatabase(options.path, options.readOnly === true);
  try {
    if (options.readOnly === true) {
      // Read-only (history, inspect): nothing is set or migrated; a log that needs a migration
      // must be opened once by a command that writes.
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version !== LATEST_SCHEMA_VERSION) {
        throw new SchemaVersionError(version, LATEST_SCHEMA_VERSION, `The event log ${options.path} has schema version ${version}; opened read-only it cannot be migrated to ${LATEST_SCHEMA_VERSION}. Run any backup command on it once (or use audit, which reads every version).`);
      }
      db.pragma('temp_store = MEMORY');
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      db.pragma('foreign_keys = ON');
      db.pragma('temp_store = MEMORY');
      migrate(db);
    }
  } catch (error) {
    db.close();
    throw error;
  }

  const stmt = {
    lastRow: db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1'),
    lastPosition: db.prepare<[string], number | null>('SELECT MAX(position) FROM events WHERE flow_id = ?').pluck(),
    insert: db.prepare<[string, number, string, number, string | null, string, string, string, string, string, string]>(
      `INSERT INTO events (flow_id, position, machine_id, machine_version, from_state, event_type, payload,
         to_state, at, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    /** A flow's entry, on its first row and when its machine or a tag changes. */
    upsertFlow: db.prepare<[string, string, number, string, string | null, string | null, string | null, number | null], TagColumns>(
      `INSERT INTO flows (flow_id, machine_id, machine_version, started_at, provider, account, wallet_id, epoch)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (flow_id) DO UPDATE SET
         machine_id = excluded.machine_id,
         machine_version = excluded.machine_version,
         provider = COALESCE(excluded.provider, flows.provider),
         account = COALESCE(excluded.account, flows.account),
         wallet_id = COALESCE(excluded.wallet_id, flows.wallet_id),
         epoch = COALESCE(excluded.epoch, flows.epoch)
       RETURNING provider, account, wallet_id AS walletId, epoch`,
    ),
    readFlow: db.prepare<[string], StoredRow>(`SELECT ${ROW_COLUMNS} FROM events WHERE flow_id = ? ORDER BY position`),
    page: db.prepare<[number, number], StoredRow>(
      `SELECT ${ROW_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`,
    ),
  };
  const flowQueries = new Map<string, Database.Statement<string[], FlowRow>>();

  let known: Known | null = null;
  /** What a committed append teaches the connection; applied only once the commit returned. */
  type Staged = { known: Known; flowId: string; flow: KnownFlow; seq: number; hash: string };

  const appendTx = db.transaction((record: TransitionRecord, tags: FlowTags): { result: AppendResult; staged: Staged | null } => {
    const last = stmt.lastRow.get();
    const lastSeq = last?.seq ?? 0;
    const lastHash = last?.hash ?? GENESIS_HASH;
    let current: Known;
    if (known !== null && known.lastSeq === lastSeq && known.lastHash === lastHash) current = known;
    else {
      if (!HASH_RE.test(lastHash)) throw new TypeError('Invalid transition record: prevHash must be 64 lowercase hex digits');
      current = { lastSeq, lastHash, flows: new Map() };
    }
    const knownFlow = current.flows.get(record.flowId);
    let expectedPosition: number;
    if (knownFlow !== undefined) expectedPosition = knownFlow.next;
    else {
      const lastPosition = stmt.lastPosition.get(record.flowId);
      expectedPosition = lastPosition === null || lastPosition === undefined ? 0 : lastPosition + 1;
    }
    if (record.position !== expectedPosition) {
      return { result: { ok: false, reason: 'position-conflict', expectedPosition }, staged: null };
    }
    const prevHash = current.lastHash;
    const hash = nodeHash('sha256', canonicalText(prevHash, record), 'hex');
    const seq = Number(
      stmt.insert.run(
        record.flowId, record.position, record.machineId, record.machineVersion, record.fromState,
        record.eventType, record.payload, record.toState, record.at, prevHash, hash,
      ).lastInsertRowid,
    );
    let flow: KnownFlow;
    if (knownFlow !== undefined && sameSummary(knownFlow, record, tags)) {
      flow = { ...knownFlow, next: record.position + 1 };
    } else {
      const merged = stmt.upsertFlow.get(
        record.flowId, record.machineId, record.machineVersion, record.at,
        tags.provider ?? null, tags.account ?? null, tags.walletId ?? null, tags.epoch ?? null,
      ) as TagColumns;
      flow = { next: record.position + 1, machineId: record.machineId, machineVersion: record.machineVersion, ...merged };
    }
    const row = storedRow(record, seq, prevHash, hash);
    return { result: { ok: true, row }, staged: { known: current, flowId: record.flowId, flow, seq, hash } };
  });

  function flowQuery(filter: FlowFilter): { statement: Database.Statement<string[], FlowRow>; params: string[] } {
    const used = FILTER_FIELDS.filter((field) => filter[field] !== undefined);
    const key = used.join(',');
    let statement = flowQueries.get(key);
    if (statement === undefined) {
      const where = used.length === 0 ? '' : `WHERE ${used.map((field) => `${FILTER_COLUMNS[field]} = ?`).join(' AND ')}`;
      statement = db.prepare<string[], FlowRow>(`${FLOW_SUMMARY_SELECT} ${where} ORDER BY f.rowid`);
      flowQueries.set(key, statement);
    }
    return { statement, params: used.map((field) => filter[field] as string) };
  }

  return {
    db,
    schemaVersion: () => db.pragma('user_version', { simple: true }) as number,

    async append(record, tags) {
      const problem = recordProblem(record) ?? tagsProblem(tags);
      if (problem !== null) throw new TypeError(`Invalid transition record: ${problem}`);
      let outcome: ReturnType<typeof appendTx>;
      try {
        outcome = appendTx.immediate(record, tags ?? {});
      } catch (error) {
        known = null;
        throw error;
      }
      const { result, staged } = outcome;
      if (staged !== null) {
        // Committed: the connection now knows the log's end without reading it back.
        const next = staged.known;
        next.lastSeq = staged.seq;
        next.lastHash = staged.hash;
        if (next.flows.size >= KNOWN_FLOWS_LIMIT && !next.flows.has(staged.flowId)) next.flows.clear();
        next.flows.set(staged.flowId, staged.flow);
        known = next;
      }
      return result;
    },

    async readFlow(flowId) {
      return stmt.readFlow.all(flowId);
    },

    async *readAll() {
      let after = Number.MIN_SAFE_INTEGER;
      for (;;) {
        const page: StoredRow[] = [];
        for (const row of stmt.page.iterate(after, pageSize)) page.push(row);
        const last = page[page.length - 1];
        if (last === undefined) return;
        yield* page;
        after = last.seq;
      }
    },

    async flows(filter = {}) {
      const { statement, params } = flowQuery(filter);
      return statement.all(...params).map(toSummary);
    },

    async close() {
      if (db.open) db.close();
    },
  };
}

/**
 * Opens a log for a command that only reads it (history, inspect): read-only, so it works on
 * read-only media; a log of an older schema is migrated first, as any opening did before.
 */
export function openSqliteEventStoreForReading(path: string): SqliteEventStore {
  try {
    return openSqliteEventStore({ path, readOnly: true });
  } catch (error) {
    if (!(error instanceof SchemaVersionError) || error.found > LATEST_SCHEMA_VERSION) throw error;
  }
  openSqliteEventStore({ path }).db.close();
  return openSqliteEventStore({ path, readOnly: true });
}
