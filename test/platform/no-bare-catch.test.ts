/**
 * A missing global or another platform fault must surface as itself (an EnvironmentError),
 * never be swallowed into "malformed record" or "wrong password": no catch block in the
 * engine's code takes every error without naming it (issue 12).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('catch blocks', () => {
  it('no catch in src, machines or adapters swallows every error unnamed (catch {})', () => {
    const bare = ['src', 'machines', 'adapters'].flatMap(sources).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => (/catch\s*\{/.test(line) ? [`${file}:${index + 1}`] : [])),
    );
    expect(bare).toEqual([]);
  });
});
