/**
 * Checks a whole event log: the hash chain over every row (E4) and the replay of every flow
 * through the machine version that recorded it (E5). The base that audit builds on.
 */
import type { EventStore, StoredRow } from '../ports/event-store.ts';
import { findMachine } from '../../machines/registry.ts';
import { verifyChain, type ChainVerification } from './row-hash.ts';
import { replayFlow } from './replay.ts';

export interface FlowReplayFailure {
  flowId: string;
  machineId: string;
  machineVersion: number;
  problem: string;
  position?: number;
  expected?: string;
  actual?: string;
}

export interface LogCheck {
  rows: number;
  flows: number;
  chain: ChainVerification;
  replayFailures: FlowReplayFailure[];
  ok: boolean;
}

export async function checkLog(store: EventStore): Promise<LogCheck> {
  const chain = await verifyChain(store.readAll());
  const summaries = await store.flows();
  const replayFailures: FlowReplayFailure[] = [];
  let rows = 0;
  for (const summary of summaries) {
    const flowRows: StoredRow[] = await store.readFlow(summary.flowId);
    rows += flowRows.length;
    const { machineId, machineVersion, flowId } = summary;
    const found = findMachine(machineId, machineVersion);
    if (!found.ok) {
      replayFailures.push({ flowId, machineId, machineVersion, problem: found.reason });
      continue;
    }
    const replay = replayFlow(found.machine, flowRows);
    if (!replay.ok) {
      replayFailures.push({
        flowId,
        machineId,
        machineVersion,
        problem: replay.problem,
        position: replay.position,
        expected: replay.expected,
        actual: replay.actual,
      });
    }
  }
  return { rows, flows: summaries.length, chain, replayFailures, ok: chain.ok && replayFailures.length === 0 };
}
