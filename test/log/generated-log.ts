/**
 * A generated SQLite event log for the tests of its readers (scripts/generate-log.ts), and copies
 * of it changed by hand, as a person editing the file would: triggers dropped and foreign keys
 * off before the edit.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLog } from '../../scripts/generate-log.ts';

/** Writes a new log of `rows` rows (seed `seed`) in a temp dir; returns its path. */
export function generatedLog(rows: number, seed: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'wbe-generated-')), 'log.db');
  generateLog({ db: path, rows, seed });
  return path;
}

/** A copy of the log at `template`, changed by `edit`; returns its path. */
export function editedCopy(template: string, edit?: (db: Database.Database) => void): string {
  const path = join(mkdtempSync(join(tmpdir(), 'wbe-edited-')), 'log.db');
  const source = new Database(template, { readonly: true });
  source.exec(`VACUUM INTO '${path}'`);
  source.close();
  if (edit) {
    const db = new Database(path);
    db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete');
    db.pragma('foreign_keys = OFF');
    edit(db);
    db.close();
  }
  return path;
}
