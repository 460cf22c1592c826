/**
 * Whether the event log at --db exists, for the commands that only read it (list, history, audit,
 * export, inspect): they must never create it, nor its -wal and -shm files, nor its folder.
 * SQLite creates a database it is asked to open, so these commands look first.
 *
 * Only "no such file" (ENOENT, or ENOTDIR: a path through a file) means there is no log; any
 * other answer (a folder that cannot be searched) is an unreadable log, exit 2, with the system's
 * reason: it may well exist.
 */
import { statSync } from 'node:fs';
import { CliError } from './cli-error.ts';

/** SQLite's name for a log that lives in memory only (tests): it always "exists", empty. */
const IN_MEMORY = ':memory:';

export function logExists(path: string): boolean {
  if (path === IN_MEMORY) return true;
  try {
    statSync(path);
    return true;
  } catch (error) {
    const code: unknown = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    if (typeof code !== 'string') throw error;
    throw new CliError('unreadable-file', { what: 'event log', path, cause: (error as Error).message });
  }
}

/** The 'no-log' problem (exit 4) when there is no log at `path`; `command` says what could not be done ("audit"). */
export function requireLog(path: string, command: string): void {
  if (!logExists(path)) throw new CliError('no-log', { path, command });
}
