/**
 * The README and docs/benchmarks.md show the same full run of `npm run bench`, written there by
 * `npm run bench -- --write` (bench/lib/write-docs.ts) between markers: never a hand-edited table,
 * never a --quick run, never two runs that disagree. (The numbers themselves are a machine's; no
 * test judges them.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_END, RUN_FILES, RUN_START, runHead, withRun } from '../../bench/lib/write-docs.ts';

const ROOT = join(import.meta.dirname, '../..');

function runIn(file: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const start = text.indexOf(RUN_START);
  const end = text.indexOf(RUN_END);
  expect(start, `${file}: ${RUN_START}`).toBeGreaterThan(-1);
  expect(end, `${file}: ${RUN_END}`).toBeGreaterThan(start);
  return text.slice(start + RUN_START.length, end);
}

describe('the benchmark run the docs show', () => {
  it('is one full run: its table in the README, the same table and its notes in docs/benchmarks.md, with its machine line', () => {
    const [readme, page] = RUN_FILES.map(runIn);
    const code = (block: string) => block.replace(/^\n```\n/, '').replace(/\n```\n$/, '');
    expect(code(readme!)).toBe(runHead(code(page!)));
    expect(page!.length).toBeGreaterThan(readme!.length); // the notes
    expect(readme).toMatch(/^\n```\nwallet-backup-engine benchmarks, \d{4}-\d{2}-\d{2}, \d+ s\nmachine: /);
    expect(readme).not.toContain('--quick');
    // Every figure of a full run has its row (ids in bench/*.ts; the table prints their labels).
    for (const label of ['1. Recording', '1a. Engine vs XState', '1b. Engine vs emmett', '2. Audit', '2a. ... the same audit, transition memo off', '3. Backup latency', '3b. Backup over the Drive emulator', '4. Model paths', '5. Start-up', '6. Browser bundle', '7. Recording on better-sqlite3', '7a. Recording on sqlite-wasm']) {
      expect(readme).toContain(label);
    }
  });

  it('is replaced whole by the next --write, the text around it kept', () => {
    const text = `before\n${RUN_START}\nold table\n${RUN_END}\nafter\n`;
    expect(withRun(text, 'new table\n', 'X.md')).toBe(`before\n${RUN_START}\n\`\`\`\nnew table\n\`\`\`\n${RUN_END}\nafter\n`);
    expect(() => withRun('no markers', 'x', 'X.md')).toThrow('X.md has no');
  });
});
