/**
 * adapters/store/sqlite-canonical-rows.ts: audit may hash the canonical text SQLite renders only
 * because it is exactly v1's (src/log/row-hash.ts) for every value a STRICT events table can hold;
 * where it might not be (text that is not UTF-8, U+FFFD, integers past 2^53, a table that is not
 * STRICT, a cursor SQLite stops), rows are read column by column, and audit finds what it finds
 * reading every row column by column.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalRows, rowQueries, type RowQueries } from '../../adapters/store/sqlite-canonical-rows.ts';
import { openSqliteLogReader } from '../../adapters/store/sqlite-log-reader.ts';
import { auditLog, type RowInput } from '../../src/audit/audit-log.ts';
import type { ChainRow } from '../../src/audit/chain-tracker.ts';
import { canonicalText } from '../../src/log/row-hash.ts';
import { editedCopy, generatedLog } from './generated-log.ts';

let template: string;

beforeAll(() => {
  template = generatedLog(1_500, 3);
});

/** A copy of the generated log, changed by `edit`. */
const logWith = (edit?: (db: Database.Database) => void) => editedCopy(template, edit);

const withoutText = ({ canonicalText: _text, ...row }: ChainRow) => row;

/** Both ways of reading a log, and audit through each. */
async function readBothWays(path: string) {
  const reader = openSqliteLogReader(path);
  try {
    const columns = [...reader.rows()];
    const audited = [...reader.auditRows()];
    const report = (rows: RowInput[]) => auditLog(rows, { flowSummaries: reader.summaries });
    return { columns, audited, byColumns: await report(columns), byCanonical: await report(audited) };
  } finally {
    reader.close();
  }
}

describe("SQLite's json_array and JSON.stringify", () => {
  it('render every Unicode code point, null and integers up to 2^53 alike (the canonical text v1 hashes)', () => {
    const db = new Database(':memory:');
    const render = db.prepare<[string, number], string>('SELECT json_array(?, CAST(? AS INTEGER), NULL)').pluck();
    const differing: number[] = [];
    const CHUNK = 4096;
    for (let start = 0; start <= 0x10ffff; start += CHUNK) {
      const points: number[] = [];
      for (let c = start; c < Math.min(start + CHUNK, 0x110000); c++) if (c < 0xd800 || c > 0xdfff) points.push(c);
      const text = String.fromCodePoint(...points);
      if (render.get(text, 7) !== JSON.stringify([text, 7, null])) {
        for (const c of points) {
          const one = String.fromCodePoint(c);
          if (render.get(one, 7) !== JSON.stringify([one, 7, null])) differing.push(c);
        }
      }
    }
    expect(differing).toEqual([]);
    for (const n of [0, 1, 255, 2 ** 31, Number.MAX_SAFE_INTEGER]) expect(render.get('x', n)).toBe(JSON.stringify(['x', n, null]));
  });
});

describe('rows for audit with the canonical text SQLite renders', () => {
  it('are the rows read column by column, each with exactly its v1 canonical text', async () => {
    const { columns, audited, byColumns, byCanonical } = await readBothWays(logWith());
    expect(audited.map(withoutText)).toEqual(columns);
    expect(audited.every((row) => row.canonicalText === canonicalText(row.prevHash, row))).toBe(true);
    expect(byCanonical.ok).toBe(true);
    expect(byCanonical).toEqual(byColumns);
  });

  it('come column by column, without a canonical text, where a text is not UTF-8 or holds U+FFFD, or an integer is past 2^53', async () => {
    const path = logWith((db) => {
      db.prepare(`UPDATE events SET payload = CAST(X'7B2261223A22C3227D' AS TEXT) WHERE seq = 10`).run(); // {"a":"<C3>"}: not UTF-8
      db.prepare(`UPDATE events SET event_type = CAST(X'E2822241' AS TEXT) WHERE seq = 20`).run(); // a cut sequence before a quote
      db.prepare(`UPDATE events SET to_state = '"\uFFFD"' WHERE seq = 30`).run();
      db.prepare(`UPDATE events SET position = 9007199254740993 WHERE seq = 40`).run();
    });
    const { columns, audited, byColumns, byCanonical } = await readBothWays(path);
    expect(audited.map(withoutText)).toEqual(columns);
    for (const seq of [10, 20, 30, 40]) expect(audited[seq - 1]!.canonicalText).toBeUndefined();
    expect(audited.filter((row) => row.canonicalText === undefined)).toHaveLength(4);
    expect(byCanonical.ok).toBe(false);
    expect(byCanonical.findings.filter((f) => f.kind === 'hash-mismatch').map((f) => f.seq)).toEqual([10, 20, 30, 40]);
    expect(byCanonical).toEqual(byColumns);
  });

  it('come column by column from an events table that is not STRICT (REAL and BLOB values)', async () => {
    const path = logWith((db) => {
      // The table remade without STRICT, as someone rewriting the log by hand might.
      const sql = db.prepare<[], string>(`SELECT sql FROM sqlite_schema WHERE name = 'events'`).pluck().get()!;
      db.exec(`ALTER TABLE events RENAME TO strict_events;
        ${sql.replace(/\)\s*STRICT\s*$/, ')').replace('CHECK (position >= 0)', '')};
        INSERT INTO events SELECT * FROM strict_events; DROP TABLE strict_events;`);
      db.prepare('UPDATE events SET position = 1.5 WHERE seq = 12').run();
      db.prepare(`UPDATE events SET payload = X'7B7D' WHERE seq = 13`).run();
    });
    const { columns, audited, byColumns, byCanonical } = await readBothWays(path);
    expect(audited).toEqual(columns);
    expect(audited.some((row) => 'canonicalText' in row)).toBe(false);
    expect(byCanonical.findings.filter((f) => f.kind === 'hash-mismatch').map((f) => f.seq)).toEqual([12, 13]);
    expect(byCanonical).toEqual(byColumns);
  });

  it('go on column by column after the row where SQLite stopped the canonical cursor with an error', () => {
    const db = new Database(logWith(), { readonly: true });
    const side = new Database(db.name, { readonly: true });
    const real = rowQueries(db, side);
    const stopped = Object.assign(new Error('JSON cannot hold BLOB values'), { name: 'SqliteError' });
    const queries: RowQueries = {
      ...real,
      canonicalAfter: {
        *iterate(after: number) {
          let n = 0;
          for (const row of real.canonicalAfter.iterate(after)) {
            if (++n > 100) throw stopped;
            yield row;
          }
        },
      } as unknown as RowQueries['canonicalAfter'],
    };
    const rows = [...canonicalRows(queries)];
    const all = db.prepare<[], number>('SELECT seq FROM events ORDER BY seq').pluck().all();
    expect(rows.map((row) => row.seq)).toEqual(all);
    expect(rows.slice(0, 100).every((row) => row.canonicalText !== undefined)).toBe(true);
    expect(rows.slice(100).every((row) => row.canonicalText === undefined)).toBe(true);
  });
});
