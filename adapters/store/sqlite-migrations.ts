/**
 * Schema migrations of the SQLite event log.
 *
 * MIGRATIONS is ordered, contiguous from version 1; a database's `PRAGMA user_version` is the last
 * migration applied (0 = empty). Each pending migration runs with its user_version bump in one
 * IMMEDIATE transaction, so a crash or a second process never leaves half a schema. A database
 * whose user_version is newer than the code knows is refused (SchemaVersionError): an old build
 * must not write rows a newer schema would misread. Released migrations are never edited; a change
 * is a new entry. Changing the row hash format (src/log/row-hash.ts, v1) needs one too.
 *
 * v1: `events` (one row per transition, append-only: UPDATE and DELETE are refused by triggers,
 * the hash chain catches anyone who drops them) and `flows` (one summary per flow for history
 * queries), STRICT tables, indexes for every FlowFilter field.
 *
 * v2: `flows` keeps what a flow's rows do not say at a glance (machine, start, tags) and no longer
 * its state, last position and update time: those are its last row's, read through the
 * UNIQUE(flow_id, position) index (sqlite-flow-row.ts). Rewriting the summary on every transition
 * cost each durable commit one more statement and two more pages (issue 6: recording).
 */
import type { SqlConnection } from '../../src/ports/sqlite-driver.ts';

export interface Migration {
  readonly version: number;
  readonly up: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    up: `
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        flow_id TEXT NOT NULL,
        position INTEGER NOT NULL CHECK (position >= 0),
        machine_id TEXT NOT NULL,
        machine_version INTEGER NOT NULL CHECK (machine_version >= 0),
        from_state TEXT,
        event_type TEXT NOT NULL,
        payload TEXT NOT NULL,
        to_state TEXT NOT NULL,
        at TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        UNIQUE (flow_id, position),
        FOREIGN KEY (flow_id) REFERENCES flows (flow_id) DEFERRABLE INITIALLY DEFERRED
      ) STRICT;

      CREATE TABLE flows (
        flow_id TEXT PRIMARY KEY,
        machine_id TEXT NOT NULL,
        machine_version INTEGER NOT NULL,
        state TEXT NOT NULL,
        last_position INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        provider TEXT,
        account TEXT,
        wallet_id TEXT,
        epoch INTEGER
      ) STRICT;

      CREATE INDEX flows_by_machine ON flows (machine_id);
      CREATE INDEX flows_by_provider_account ON flows (provider, account);
      CREATE INDEX flows_by_account ON flows (account);
      CREATE INDEX flows_by_wallet ON flows (wallet_id);
      CREATE INDEX flows_by_state ON flows (state);

      CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'the event log is append-only: rows cannot be updated'); END;
      CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'the event log is append-only: rows cannot be deleted'); END;
    `,
  },
  {
    version: 2,
    up: `
      DROP INDEX flows_by_state;
      ALTER TABLE flows DROP COLUMN state;
      ALTER TABLE flows DROP COLUMN last_position;
      ALTER TABLE flows DROP COLUMN updated_at;
    `,
  },
];

/** The newest schema version this code knows. */
export const LATEST_SCHEMA_VERSION: number = MIGRATIONS.length;

/** The database's schema is newer than this code (or otherwise unusable). */
export class SchemaVersionError extends Error {
  override readonly name = 'SchemaVersionError';
  constructor(
    readonly found: number,
    readonly supported: number,
    message: string,
  ) {
    super(message);
  }
}

export type MigrationOutcome = { from: number; to: number; applied: number[] };

/** The error for a log whose schema is newer than this code knows (it is left unchanged). */
export function newerSchemaError(label: string, found: number, supported: number = LATEST_SCHEMA_VERSION): SchemaVersionError {
  return new SchemaVersionError(
    found,
    supported,
    `The event log ${label} has schema version ${found}, newer than this build supports (${supported}). ` +
      'Use a newer wallet-backup-engine; the log was not changed.',
  );
}

/** Throws newerSchemaError when `found` is newer than this code: call it before any pragma writes to the log. */
export function refuseNewerSchema(label: string, found: number): void {
  if (found > LATEST_SCHEMA_VERSION) throw newerSchemaError(label, found);
}

/** The database's PRAGMA user_version: the last migration applied. */
export function userVersion(connection: SqlConnection): number {
  return connection.get<{ user_version: number }>('PRAGMA user_version')?.user_version ?? 0;
}

export function checkList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration list is broken: entry ${i} has version ${m.version}, expected ${i + 1}`);
  });
}

/**
 * Brings the database up to the newest version in `migrations`, on a connection inside a write
 * transaction (the caller's: SqliteDriver.write). Throws SchemaVersionError, before changing
 * anything, when the database is newer than the list. `label` names the log in that error.
 */
export function migrateConnection(connection: SqlConnection, label: string, migrations: readonly Migration[] = MIGRATIONS): MigrationOutcome {
  checkList(migrations);
  const latest = migrations.length;
  const from = userVersion(connection);
  if (from > latest) throw newerSchemaError(label, from, latest);
  const applied: number[] = [];
  for (const migration of migrations.slice(from)) {
    connection.exec(migration.up);
    connection.exec(`PRAGMA user_version = ${migration.version}`);
    applied.push(migration.version);
  }
  return { from, to: latest, applied };
}
