/**
 * What a test needs from the machine beyond Node and npm, in one place (issue 12, item 5).
 *
 * A test that cannot run here calls `requireOrSkip(ctx, requirement)` first: it is skipped
 * through vitest's `ctx.skip` with a printed reason that names what to install. Under CI=true
 * (as .ci/run runs) the same call FAILS the test instead, so CI can never pass by skipping.
 */
import type { TestContext } from 'vitest';

export interface Requirement {
  /** What the test needs, e.g. "an age implementation". */
  readonly what: string;
  /** Why it is not usable here; undefined when it is. */
  readonly missing: string | undefined;
  /** What to install to get it, e.g. "apt-get install age". */
  readonly install: string;
}

/** The environment .ci/run gives: CI=true (1 is accepted too). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['CI'] === 'true' || env['CI'] === '1';
}

export function missingReason(requirement: Requirement): string {
  return `${requirement.what} is not available (${requirement.missing ?? 'unknown'}); install: ${requirement.install}`;
}

/**
 * Returns when the requirement is met. Otherwise skips the running test with the reason printed
 * (stderr and the skip note), or, under CI=true, throws so the test fails.
 */
export function requireOrSkip(ctx: Pick<TestContext, 'skip' | 'task'>, requirement: Requirement, env: NodeJS.ProcessEnv = process.env): void {
  if (requirement.missing === undefined) return;
  const reason = missingReason(requirement);
  if (isCi(env)) throw new Error(`CI=true, so this test may not be skipped: ${reason}`);
  console.warn(`SKIPPED "${ctx.task.name}": ${reason}`);
  ctx.skip(reason);
}
