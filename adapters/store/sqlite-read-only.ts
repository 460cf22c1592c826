/**
 * Opening an event log read-only, wherever it lies, read-only media included (audit, export,
 * history, inspect). A WAL database is read through its -shm file, which a read-only folder cannot
 * hold, so SQLite refuses to open it there (SQLITE_CANTOPEN; sqlite.org "Write-Ahead Logging",
 * "Read-Only Databases"). When no -wal file is beside it, every row is in the database file (SQLite
 * checkpoints and removes the WAL when the last writer closes): the file is then copied to a
 * private temporary folder and the copy is read (removed on close). better-sqlite3 refuses the
 * `immutable=1` URI that would avoid the copy (checked: SQLITE_CANTOPEN where the sqlite3 tool
 * opens it). A -wal file that cannot be read through a -shm is refused with SQLite's reason.
 * Node only.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export function openReadOnlyDatabase(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('user_version', { simple: true });
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (code !== 'SQLITE_CANTOPEN' || existsSync(`${path}-wal`)) throw error;
  }
  const dir = mkdtempSync(join(tmpdir(), 'wallet-backup-read-'));
  try {
    const copy = join(dir, 'log.db');
    copyFileSync(path, copy);
    const opened = new Database(copy, { readonly: true, fileMustExist: true });
    const close = opened.close.bind(opened);
    opened.close = () => {
      close();
      rmSync(dir, { recursive: true, force: true });
      return opened;
    };
    return opened;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
