/**
 * CliError: how a command stops with one of the problems of exit-codes.ts. It carries the
 * problem's details (for the message) and the flow facts that --json reports, never a secret.
 */
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

export class CliError<K extends ProblemKey = ProblemKey> extends Error {
  override readonly name = 'CliError';
  readonly problem: K;
  readonly exitCode: number;
  readonly detail: ProblemDetail<K> | undefined;
  /** Filled in by the flow drivers when a flow was involved. */
  facts: FlowFacts = {};

  constructor(problem: K, ...detail: DetailArgs<K>) {
    const [d] = detail as [ProblemDetail<K>?];
    super(messageOf(problem, d as ProblemDetail<K>));
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
