import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function run(args: string[]) {
  return spawnSync('node', ['bin/wallet-backup.js', ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
}

describe('wallet-backup paths', () => {
  it('E5: prints every machine\'s generated paths and full state and transition coverage', () => {
    const result = run(['paths', '--json']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { coverage: Array<{ machine: string; statesCovered: number; statesTotal: number; transitionsCovered: number; transitionsTotal: number; paths: number }> };
    expect(report.coverage.map((r) => r.machine).sort()).toEqual(['backup', 'offlineCopy', 'providerSwitch', 'restore']);
    for (const row of report.coverage) {
      expect(row.statesCovered).toBe(row.statesTotal);
      expect(row.transitionsCovered).toBe(row.transitionsTotal);
      expect(row.paths).toBeGreaterThan(0);
    }
  });

  it('prints the coverage table last, and refuses an unknown machine with exit 2', () => {
    const table = run(['paths', '--machine', 'restore']);
    expect(table.status).toBe(0);
    expect(table.stdout.trim().split('\n').at(-1)).toMatch(/^restore\s+\d+\/\d+ \(100%\)\s+\d+\/\d+ \(100%\)\s+\d+$/);
    const unknown = run(['paths', '--machine', 'nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Unknown machine "nope"');
  });
});
