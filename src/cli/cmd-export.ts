/**
 * `wallet-backup export --format jsonl`: the event log for other tools, one row per line with
 * every column (src/audit/jsonl.ts), in seq order, streamed from the SQLite file read-only.
 * `wallet-backup audit --from-jsonl F` verifies such an export the same way as the log itself.
 * To --out (never over an existing file without --force; written to a temp file and renamed,
 * so a failed export leaves no partial file), or to stdout.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { rowToJsonl } from '../audit/jsonl.ts';
import { LogReadError, openSqliteLogReader, type SqliteLogReader } from '../../adapters/store/sqlite-log-reader.ts';
import { CliError } from './cli-error.ts';
import { requireLog } from './log-presence.ts';
import type { CommandIo, CommandReport } from './command-io.ts';
import type { DbOption } from './options.ts';
import { assertOutFree } from './secret-file.ts';

export interface ExportOptions extends DbOption {
  format: 'jsonl';
  out?: string;
  force: boolean;
  json: boolean;
}

async function writeRows(reader: SqliteLogReader, stream: Writable): Promise<number> {
  let count = 0;
  for (const row of reader.rows()) {
    count += 1;
    if (!stream.write(`${rowToJsonl(row)}\n`)) await once(stream, 'drain');
  }
  return count;
}

async function finish(stream: Writable): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

export async function exportCommand(options: ExportOptions, io: CommandIo): Promise<CommandReport> {
  if (options.out === undefined && options.json) {
    throw new CliError('bad-flags', { problem: 'export writes the rows to stdout without --out, so --json needs --out FILE.' });
  }
  // Exporting must not create a log where there is none.
  requireLog(options.db, 'export');
  if (options.out !== undefined) await assertOutFree(options.out, options.force, 'export');
  let reader: SqliteLogReader;
  try {
    reader = openSqliteLogReader(options.db);
  } catch (error) {
    throw new CliError('unreadable-file', { what: 'event log', path: options.db, cause: error instanceof LogReadError ? error.message : String(error) });
  }
  try {
    if (options.out === undefined) {
      const rows = await writeRows(reader, process.stdout);
      io.say(`Exported ${rows} rows of ${options.db} as JSONL.`);
      return { lines: [], warnings: [], json: {} };
    }
    const out = options.out;
    const temp = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.partial`);
    const stream = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
    let rows: number;
    try {
      await once(stream, 'open');
      rows = await writeRows(reader, stream);
      await finish(stream);
      await rename(temp, out);
    } catch (error) {
      stream.destroy();
      await rm(temp, { force: true });
      throw new CliError('unwritable-file', { what: 'export file', path: out, cause: (error as Error).message });
    }
    return {
      lines: [`Exported ${rows} rows of ${options.db} to ${out} (JSONL, one row per line). Verify it with: wallet-backup audit --from-jsonl ${out}`],
      warnings: [],
      json: { rows, out, format: 'jsonl' },
    };
  } finally {
    reader.close();
  }
}
