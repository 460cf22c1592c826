/**
 * The requirement helper: a missing requirement skips with a printed reason naming what to
 * install, and under CI=true fails instead. Checked by running a fixture test file in a real
 * vitest process, once without CI and once with CI=true.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCi, missingReason } from './requirements.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function runFixture(ci: string | undefined) {
  const env = { ...process.env };
  delete env['CI'];
  delete env['VITEST'];
  delete env['VITEST_WORKER_ID'];
  delete env['VITEST_POOL_ID'];
  env['NO_COLOR'] = '1';
  if (ci !== undefined) env['CI'] = ci;
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/support/fixtures/vitest.fixture.config.ts', '--reporter=verbose', '--color=false'],
    { cwd: ROOT, env, encoding: 'utf8', timeout: 50_000 },
  );
  return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('requireOrSkip', () => {
  it('isCi reads CI=true (and 1), nothing else', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({})).toBe(false);
  });

  it('the reason names what is missing, why, and what to install', () => {
    expect(missingReason({ what: 'an age implementation', missing: 'age not on PATH', install: 'apt-get install age' })).toBe(
      'an age implementation is not available (age not on PATH); install: apt-get install age',
    );
  });

  it('without CI: the test is skipped, the reason printed, the run passes', () => {
    const run = runFixture(undefined);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('SKIPPED "needs a tool that is not here": the frobnicator is not available (no frob on PATH); install: apt-get install frobnicator');
    expect(run.output).toMatch(/1 passed \| 1 skipped|1 skipped \| 1 passed|1 passed.*1 skipped/);
    expect(run.output).not.toContain('requireOrSkip returned');
  });

  it('under CI=true: the same test fails, naming what to install', () => {
    const run = runFixture('true');
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain('CI=true, so this test may not be skipped: the frobnicator is not available (no frob on PATH); install: apt-get install frobnicator');
    expect(run.output).toMatch(/1 failed/);
    expect(run.output).not.toMatch(/\d+ skipped/);
  });
});
