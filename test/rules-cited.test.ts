/**
 * Every rule of docs/rules.md (R1..R17, E1..E6) is cited by at least one test's name, so a reader
 * can find the test that keeps each promise, and a rule without one fails the suite.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const RULES = [...Array.from({ length: 17 }, (_, i) => `R${i + 1}`), ...Array.from({ length: 6 }, (_, i) => `E${i + 1}`)];

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The names given to it(...) and test(...) calls, template or plain strings. */
function testNames(source: string): string[] {
  const names: string[] = [];
  const pattern = /\b(?:it|test)(?:\.each\([^)]*\))?\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g;
  for (const match of source.matchAll(pattern)) names.push(match[2]!);
  return names;
}

describe('the rules of docs/rules.md', () => {
  const names = testFiles('test').flatMap((file) => testNames(readFileSync(file, 'utf8')));

  it.each(RULES)('%s is cited by at least one test name', (rule) => {
    const citing = names.filter((name) => new RegExp(`\\b${rule}\\b`).test(name));
    expect(citing, `no test name cites ${rule}`).not.toEqual([]);
  });
});
