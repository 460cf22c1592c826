/**
 * The benchmark's peers (bench/peers/package.json): what `npm run bench` compares the engine with
 * that the tests do not need (emmett-sqlite, whose sqlite3 builds from source for a minute).
 * Installed on the first run with `npm ci` in bench/peers (from its lockfile), then loaded from
 * there; nothing of it is in the repository's own dependencies.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const PEERS = resolve(import.meta.dirname, '../peers');

/** What the recording figure uses of @event-driven-io/emmett-sqlite 0.38.5 (its dist/index.d.ts). */
export interface EmmettConnection {
  command(sql: string, params?: unknown[]): Promise<unknown>;
  close(): void;
}
export interface EmmettSqlite {
  getSQLiteEventStore(options: { fileName: string; schema?: { autoMigration?: 'None' | 'CreateOrUpdate' } }): {
    appendToStream(stream: string, events: Array<{ type: string; data: Record<string, unknown> }>): Promise<unknown>;
  };
  sqliteConnection(options: { fileName: string }): EmmettConnection;
  createEventStoreSchema(connection: EmmettConnection): Promise<void>;
  appendToStream(
    connection: EmmettConnection,
    stream: string,
    streamType: string,
    events: Array<{ type: string; data: Record<string, unknown> }>,
  ): Promise<{ success: boolean }>;
}

/** emmett-sqlite from bench/peers, installed there first if it is not yet. */
export function loadEmmettSqlite(log: (line: string) => void): EmmettSqlite {
  if (!existsSync(join(PEERS, 'node_modules/@event-driven-io/emmett-sqlite/package.json'))) {
    log('installing the benchmark\'s peers: npm ci in bench/peers (once; sqlite3 builds from source, about a minute)');
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund'], { cwd: PEERS, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return createRequire(join(PEERS, 'package.json'))('@event-driven-io/emmett-sqlite') as EmmettSqlite;
}
