/**
 * The EventStore port on SQLite over any driver (src/ports/sqlite-driver.ts): the durable,
 * hash-chained event log of E4, written once for every platform's SQLite (better-sqlite3 in
 * Node, SQLite in WebAssembly in browsers, op-sqlite in React Native).
 *
 * Opening brings the schema up to date (sqlite-migrations.ts) in one write transaction; a
 * database newer than this code is refused untouched. The driver has set the connection up (the
 * durability its platform offers).
 *
 * `append` is one IMMEDIATE transaction: the write lock is taken first, so the flow's next position
 * and the log's last hash cannot move between reading them and inserting the row. A wrong position
 * is an answer (`position-conflict` with the expected one), not an exception; a malformed record
 * is a programming error and rejects with a TypeError.
 *
 * The durable commit is the cost of an append (issue 6: `npm run bench`); the rest is kept small:
 * one read of the log's last row, the row's insert, and, only when a flow starts or its machine
 * or tags change, its `flows` entry (schema v2: a summary's state and position are its last row's).
 * The store remembers the log's last row and, per flow it appended to, the next position and
 * the entry's tags. Under the write lock it reads the last row's seq and hash: if they are not the
 * ones it left (another connection appended since), it forgets and reads what it needs again.
 * Rows are never updated or deleted (triggers), so an unchanged last row means an unchanged log.
 * Hashes are SHA-256 over the canonical text of src/log/row-hash.ts (format v1), by `digest`.
 *
 * `readAll` streams in pages by seq (keyset pagination), one read per page: memory stays bounded
 * by the page size, and no cursor stays open between yields (the engine appends while others read).
 */
import {
  GENESIS_HASH,
  type AppendResult,
  type EventStore,
  type FlowFilter,
  type FlowTags,
  type StoredRow,
  type TransitionRecord,
} from '../../src/ports/event-store.ts';
import type { SqlValue, SqliteDriver } from '../../src/ports/sqlite-driver.ts';
import { canonicalText, recordProblem, sha256Hex, storedRow, tagsProblem } from '../../src/log/row-hash.ts';
import { LATEST_SCHEMA_VERSION, SchemaVersionError, migrateConnection, refuseNewerSchema, userVersion } from './sqlite-migrations.ts';
import { FLOW_SUMMARY_SELECT, toSummary, type FlowRow } from './sqlite-flow-row.ts';

export interface SqlEventStoreOptions {
  /** Names the log in errors (a path, or what the platform calls the database). */
  label: string;
  /** Rows per page of readAll (default 256). */
  pageSize?: number;
  /** SHA-256 of a text as lowercase hex (default @noble/hashes; Node passes node:crypto's). */
  digest?: (text: string) => string;
  /**
   * openSqlEventStore: pragmas to run once the log is known not to be newer than this code, before
   * migrating, outside any transaction (a journal mode cannot change inside one).
   */
  pragmas?: string;
  /**
   * Read only: nothing is migrated, and the driver's SQLite refuses every append; a log whose
   * schema is not the newest is refused (SchemaVersionError) for a writer to migrate first.
   */
  readOnly?: boolean;
}

/** The pragmas of a log on a platform with shared memory (WAL), for openSqlEventStore's `pragmas`. */
export const WAL_FULL_PRAGMAS = 'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;';

export type SqlEventStore = EventStore & {
  readonly driver: SqliteDriver;
  /** The log's schema version once opened (PRAGMA user_version). */
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

const SQL = {
  lastRow: 'SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1',
  lastPosition: 'SELECT MAX(position) AS position FROM events WHERE flow_id = ?',
  insert: `INSERT INTO events (flow_id, position, machine_id, machine_version, from_state, event_type, payload,
     to_state, at, prev_hash, hash)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  /** A flow's entry, on its first row and when its machine or a tag changes. */
  upsertFlow: `INSERT INTO flows (flow_id, machine_id, machine_version, started_at, provider, account, wallet_id, epoch)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT (flow_id) DO UPDATE SET
     machine_id = excluded.machine_id,
     machine_version = excluded.machine_version,
     provider = COALESCE(excluded.provider, flows.provider),
     account = COALESCE(excluded.account, flows.account),
     wallet_id = COALESCE(excluded.wallet_id, flows.wallet_id),
     epoch = COALESCE(excluded.epoch, flows.epoch)
   RETURNING provider, account, wallet_id AS walletId, epoch`,
  readFlow: `SELECT ${ROW_COLUMNS} FROM events WHERE flow_id = ? ORDER BY position`,
  page: `SELECT ${ROW_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`,
} as const;

/** The summaries' SELECT for the fields a filter uses (one SQL text per combination). */
function flowQuery(filter: FlowFilter): { sql: string; params: string[] } {
  const used = FILTER_FIELDS.filter((field) => filter[field] !== undefined);
  const where = used.length === 0 ? '' : `WHERE ${used.map((field) => `${FILTER_COLUMNS[field]} = ?`).join(' AND ')}`;
  return { sql: `${FLOW_SUMMARY_SELECT} ${where} ORDER BY f.rowid`, params: used.map((field) => filter[field] as string) };
}

/**
 * The event log over `driver`, migrated to the newest schema unless opened read-only. A log newer
 * than this code is refused before `pragmas` or anything else writes to it; the driver is then
 * left open and unchanged for its caller. Once opened, the store's close() closes the driver.
 */
export async function openSqlEventStore(driver: SqliteDriver, options: SqlEventStoreOptions): Promise<SqlEventStore> {
  await driver.read((connection) => {
    refuseNewerSchema(options.label, userVersion(connection));
    if (options.pragmas !== undefined) connection.exec(options.pragmas);
  });
  const schemaVersion =
    options.readOnly === true
      ? await driver.read((connection) => userVersion(connection))
      : await driver.write((connection) => migrateConnection(connection, options.label).to);
  return createSqlEventStore(driver, { ...options, schemaVersion });
}

/**
 * The event log over `driver` whose schema the caller has brought up to date (Node's opener
 * migrates synchronously: sqlite-event-store.ts). A read-only log must already be at the newest
 * schema version: this code reads no other (audit's reader reads every version).
 */
export function createSqlEventStore(driver: SqliteDriver, options: SqlEventStoreOptions & { schemaVersion: number }): SqlEventStore {
  const pageSize = options.pageSize ?? 256;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new TypeError('pageSize must be a positive integer');
  const digest = options.digest ?? sha256Hex;
  const schemaVersion = options.schemaVersion;
  refuseNewerSchema(options.label, schemaVersion);
  if (schemaVersion !== LATEST_SCHEMA_VERSION) {
    throw new SchemaVersionError(
      schemaVersion,
      LATEST_SCHEMA_VERSION,
      `The event log ${options.label} has schema version ${schemaVersion}; opened read-only it cannot be migrated to ${LATEST_SCHEMA_VERSION}. Run any backup command on it once (or use audit, which reads every version).`,
    );
  }

  let known: Known | null = null;
  /** What a committed append teaches the store; applied only once the commit returned. */
  type Staged = { known: Known; flowId: string; flow: KnownFlow; seq: number; hash: string };

  const appendIn = (record: TransitionRecord, tags: FlowTags) => (connection: Parameters<Parameters<SqliteDriver['write']>[0]>[0]): { result: AppendResult; staged: Staged | null } => {
    const last = connection.get<{ seq: number; hash: string }>(SQL.lastRow);
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
      const lastPosition = connection.get<{ position: number | null }>(SQL.lastPosition, [record.flowId])?.position;
      expectedPosition = lastPosition === null || lastPosition === undefined ? 0 : lastPosition + 1;
    }
    if (record.position !== expectedPosition) {
      return { result: { ok: false, reason: 'position-conflict', expectedPosition }, staged: null };
    }
    const prevHash = current.lastHash;
    const hash = digest(canonicalText(prevHash, record));
    const { lastInsertRowid: seq } = connection.run(SQL.insert, [
      record.flowId, record.position, record.machineId, record.machineVersion, record.fromState,
      record.eventType, record.payload, record.toState, record.at, prevHash, hash,
    ]);
    let flow: KnownFlow;
    if (knownFlow !== undefined && sameSummary(knownFlow, record, tags)) {
      flow = { ...knownFlow, next: record.position + 1 };
    } else {
      const merged = connection.get<TagColumns>(SQL.upsertFlow, [
        record.flowId, record.machineId, record.machineVersion, record.at,
        tags.provider ?? null, tags.account ?? null, tags.walletId ?? null, tags.epoch ?? null,
      ] satisfies SqlValue[])!;
      flow = { next: record.position + 1, machineId: record.machineId, machineVersion: record.machineVersion, ...merged };
    }
    const row = storedRow(record, seq, prevHash, hash);
    return { result: { ok: true, row }, staged: { known: current, flowId: record.flowId, flow, seq, hash } };
  };

  return {
    driver,
    schemaVersion: () => schemaVersion,

    async append(record, tags) {
      const problem = recordProblem(record) ?? tagsProblem(tags);
      if (problem !== null) throw new TypeError(`Invalid transition record: ${problem}`);
      let outcome: { result: AppendResult; staged: Staged | null };
      try {
        outcome = await driver.write(appendIn(record, tags ?? {}));
      } catch (error) {
        known = null;
        throw error;
      }
      const { result, staged } = outcome;
      if (staged !== null) {
        // Committed: the store now knows the log's end without reading it back.
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
      return driver.read((connection) => connection.all<StoredRow>(SQL.readFlow, [flowId]));
    },

    async *readAll() {
      let after = Number.MIN_SAFE_INTEGER;
      for (;;) {
        const page = await driver.read((connection) => connection.all<StoredRow>(SQL.page, [after, pageSize]));
        const last = page[page.length - 1];
        if (last === undefined) return;
        yield* page;
        after = last.seq;
      }
    },

    async flows(filter = {}) {
      const { sql, params } = flowQuery(filter);
      return (await driver.read((connection) => connection.all<FlowRow>(sql, params))).map(toSummary);
    },

    close: () => driver.close(),
  };
}
