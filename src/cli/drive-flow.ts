/**
 * Drives a flow from the terminal until it finishes: at each waiting state the command's own
 * answer runs first (a password, a wallet choice, a confirmation); anything else ends the command.
 * The CLI retries nothing itself: transient network failures are the engine's retries, under its
 * policy (retry-env.ts), logged; a step that still fails, or a read-back that does not match,
 * ends the command with its exit code, saying how many tries the flow made.
 *
 * Ending a command while the flow still waits cancels the flow first, so the log records the
 * CANCEL and no flow is left half-open; the CliError then carries the flow's facts for --json.
 */
import type { FlowBase, FlowView } from '../engine/index.ts';
import { CliError, isCliError } from './cli-error.ts';
import { contextOf, flowFacts, waitingProblem, type FlowContextView, type FlowSetup } from './flow-problems.ts';

/** A command's answer to a waiting state, or undefined when it has none for it. */
export type WaitAnswer = (view: FlowView, context: FlowContextView) => Promise<FlowView | undefined>;

/** Cancels a flow that waits for the person; one still inside a step is left as it is (a CANCEL there would hide the real error). */
async function cancelIfWaiting(flow: FlowBase): Promise<void> {
  const view = flow.view();
  if (view.status === 'active' && !view.busy && (view.meta.waitsFor ?? []).includes('CANCEL')) await flow.cancel();
}

/** How many tries the step that failed on the network made: the engine's retries (context.retry, machines v3) and the last try. */
function triesOf(context: FlowContextView): number {
  const retry = context.retry;
  return retry && typeof retry.attempt === 'number' ? retry.attempt + 1 : 1;
}

export async function driveFlow(flow: FlowBase, setup: FlowSetup, answer: WaitAnswer): Promise<FlowView> {
  let view = await flow.settled();
  while (view.status === 'active') {
    const context = contextOf(flow);
    try {
      const answered = await answer(view, context);
      if (answered !== undefined) {
        view = answered;
        continue;
      }
      const problem = waitingProblem(view, context, setup, triesOf(context));
      if (problem) throw problem;
      throw new Error(`flow ${flow.id} waits at ${JSON.stringify(view.state)} for ${(view.meta.waitsFor ?? []).join(', ')}, which this command cannot answer`);
    } catch (error) {
      // The reason the flow waited is what --json reports, not the 'cancelled' it ends in.
      const waitingFacts = flowFacts(flow);
      await cancelIfWaiting(flow);
      if (isCliError(error)) throw error.withFacts({ ...waitingFacts, outcome: flowFacts(flow).outcome });
      throw error;
    }
  }
  return view;
}

/** Attaches the flow's facts to a CliError about a finished flow. */
export function finishedProblem(flow: FlowBase, problem: CliError): CliError {
  return problem.withFacts(flowFacts(flow));
}
