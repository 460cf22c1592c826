/**
 * CliError: how a command stops with one of the problems of exit-codes.ts. It carries the
 * problem's details (for the message) and the flow facts that --json reports, never a secret.
 *
 * The details quote outside text (an account the cloud reports, wallet ids, paths and values
 * from flags, a cause's message): the message is built from them with every string shown by
 * terminalSafe, so a line break or an escape sequence in one cannot forge or colour a line of
 * the message. `detail` keeps them as they were, for code that reads them.
 */
import { terminalSafe } from '../text/terminal-safe.ts';
import { exitCodeOf, messageOf, type ProblemDetail, type ProblemKey } from './exit-codes.ts';

/** Non-secret facts about the flow that ended in the problem, for --json. */
export interface FlowFacts {
  flowId?: string | null;
  outcome?: string | null;
  reason?: string | null;
  account?: string | null;
  walletId?: string | null;
  epoch?: number | null;
  [field: string]: unknown;
}

type DetailArgs<K extends ProblemKey> = ProblemDetail<K> extends undefined ? [] : [ProblemDetail<K>];

/** The same detail with each string in it (in lists and objects too) escaped as one field. */
function shownDetail<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map(shownDetail) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shownDetail(inner)])) as T;
  }
  return value;
}

export class CliError<K extends ProblemKey = ProblemKey> extends Error {
  override readonly name = 'CliError';
  readonly problem: K;
  readonly exitCode: number;
  readonly detail: ProblemDetail<K> | undefined;
  /** Filled in by the flow drivers when a flow was involved. */
  facts: FlowFacts = {};

  constructor(problem: K, ...detail: DetailArgs<K>) {
    const [d] = detail as [ProblemDetail<K>?];
    super(messageOf(problem, shownDetail(d) as ProblemDetail<K>));
    this.problem = problem;
    this.exitCode = exitCodeOf(problem);
    this.detail = d;
  }

  withFacts(facts: FlowFacts): this {
    this.facts = { ...this.facts, ...facts };
    return this;
  }
}

export function isCliError(error: unknown): error is CliError {
  return error instanceof CliError;
}
