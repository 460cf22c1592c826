/**
 * The R6 scanning helper finds bytes where SQLite actually puts them: appended rows sit in the
 * -wal file until a checkpoint moves them into the .db file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { findBytesInFiles } from '../helpers/scan-files.ts';
import { appendAll, record } from './log-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'wbe-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findBytesInFiles (helper for R6 tests)', () => {
  it('finds a marker appended to a file database in the -wal file, then in the .db after a checkpoint', async () => {
    const path = join(dir, 'log.db');
    const files = [path, `${path}-wal`, `${path}-shm`];
    const marker = 'R6-MARKER-Ωmega-7c1e';
    const absent = 'never-written-9b2d';
    const store = openSqliteEventStore({ path });
    await appendAll(store, [record('a', 0), record('a', 1, { payload: JSON.stringify({ note: marker }) })]);

    expect(findBytesInFiles(files, [marker, absent])).toEqual([{ file: `${path}-wal`, needle: marker, encoding: 'NFC/utf-8' }]);

    store.db.pragma('wal_checkpoint(FULL)');
    const hits = findBytesInFiles(files, [marker, absent]);
    expect(hits.map((h) => h.file)).toContain(path);
    expect(hits.every((h) => h.needle === marker)).toBe(true);
    await store.close();
  });

  it('finds UTF-16LE and other normalisation forms, ignores empty needles', () => {
    const file = join(dir, 'utf16.bin');
    writeFileSync(file, Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('Pässwörd', 'utf16le'), Buffer.from([3])]));
    expect(findBytesInFiles([file], ['Pässwörd', ''])).toEqual([{ file, needle: 'Pässwörd', encoding: 'NFC/utf-16le' }]);
    const nfd = join(dir, 'nfd.bin');
    writeFileSync(nfd, Buffer.from('x' + 'Pässwörd'.normalize('NFD') + 'y', 'utf8'));
    expect(findBytesInFiles([nfd], ['Pässwörd'])).toEqual([{ file: nfd, needle: 'Pässwörd', encoding: 'NFD/utf-8' }]);
  });

  it('throws on a missing file unless told to ignore it', () => {
    const missing = join(dir, 'missing.db');
    expect(() => findBytesInFiles([missing], ['x'])).toThrow(/ENOENT/);
    expect(findBytesInFiles([missing], ['x'], { ignoreMissing: true })).toEqual([]);
  });
});
