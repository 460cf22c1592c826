import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddingExample } from '../../examples/embedding.ts';

describe('the embedding example', () => {
  it('R4, R14: backs up and restores the same phrase on the embedded defaults at production cost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbe-embed-'));
    const lines: string[] = [];
    const { backup, restored } = await embeddingExample(dir, (line) => lines.push(line));
    expect(backup.outcome).toBe('done');
    expect(restored.outcome).toBe('done');
    expect(lines).toContain('restore done: same phrase');
    expect(lines.some((l) => l.startsWith('backup xstate.init'))).toBe(true);
  });
});

describe('docs/embedding.md', () => {
  it('shows examples/embedding.ts verbatim', () => {
    const page = readFileSync('docs/embedding.md', 'utf8');
    expect(page).toContain(readFileSync('examples/embedding.ts', 'utf8'));
  });
});
