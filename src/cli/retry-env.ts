/**
 * The engine's retry policy as the CLI sets it: DEFAULT_RETRY_POLICY (src/ports/retry.ts), each
 * bound overridable from the environment (env-vars.ts; tests use tiny ones). A value that is not
 * a whole number, or a policy the engine cannot apply, is bad input (exit code of bad flags).
 */
import { checkRetryPolicy } from '../engine/retry-schedule.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../ports/retry.ts';
import { terminalSafe } from '../text/terminal-safe.ts';
import { CliError } from './cli-error.ts';
import { RETRY_ATTEMPTS_ENV, RETRY_BASE_MS_ENV, RETRY_MAX_MS_ENV, RETRY_TOTAL_MS_ENV } from './env-vars.ts';

const FIELDS: ReadonlyArray<readonly [keyof RetryPolicy, string]> = [
  ['attempts', RETRY_ATTEMPTS_ENV],
  ['baseDelayMs', RETRY_BASE_MS_ENV],
  ['maxDelayMs', RETRY_MAX_MS_ENV],
  ['totalMs', RETRY_TOTAL_MS_ENV],
];

export function retryPolicyFromEnv(env: NodeJS.ProcessEnv): RetryPolicy {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY };
  for (const [field, name] of FIELDS) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    if (!/^\d{1,9}$/.test(text)) throw new CliError('bad-flags', { problem: `${name}=${terminalSafe(text.slice(0, 40))} is not a whole number of 0 or more.` });
    policy[field] = Number(text);
  }
  const problem = checkRetryPolicy(policy);
  if (problem !== null) throw new CliError('bad-flags', { problem: `The retry policy from the environment is not usable: ${problem}.` });
  return policy;
}
