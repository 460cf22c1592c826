/**
 * From where a flow stopped to the CliError that explains it: the waiting states every flow
 * shares (provider check, network, storage full, no backups) and the corrupt-record ending.
 *
 * Machines name a stable `meta.reason`; the details a message needs (the wrong account, the
 * bytes needed) come from the flow's context, and what the context does not keep (which record
 * was corrupt, the account it changed to) from the flow's last row in the event log.
 */
import type { FlowBase, FlowView } from '../engine/index.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { ProviderId } from '../ports/providers.ts';
import { keyringPath, MANIFEST_PATH, walletRecordPath, type PasswordHint } from '../format/index.ts';
import { SimStateError } from '../../adapters/cloud/local-sim-state.ts';
import { CliError, type FlowFacts } from './cli-error.ts';
import type { RecordKind } from './exit-codes.ts';

/** What the drivers know about the command a flow runs for. */
export interface FlowSetup {
  provider: ProviderId;
  /** The account the person expects (--account). */
  account: string;
  eventLog: EventStore;
}

/** The fields of the machines' contexts the CLI reads (all optional: not every machine has each). */
export interface FlowContextView {
  account?: string | null;
  actualAccount?: string | null;
  hmsProblem?: 'missing' | 'outdated' | null;
  knownAccounts?: string[];
  wallets?: Array<{ walletId: string; name?: string; epoch: number }>;
  walletId?: string | null;
  epoch?: number | null;
  neededBytes?: number | null;
  failure?: string | null;
  hints?: PasswordHint[];
  wrongPasswordAttempts?: number;
  passwordProblem?: 'too-short' | 'mismatch' | null;
  binding?: boolean;
  /** Backup v2: another device bound this epoch first; the person is asked for its password. */
  keyringTaken?: boolean;
  /** Machines v3: the engine's last retry of the step that keeps failing (machines/retry-states.ts). */
  retry?: { operation: string; attempt: number; delayMs: number; reason: string } | null;
  newEpochRequested?: boolean;
  from?: ProviderId | null;
  /** Version 2 machines: why an effect failed unexpectedly (EFFECT.FAILED). */
  cause?: { effect: string; error: string; code: string | null; message: string } | null;
}

/** The problem of a flow that ended `failed` with reason 'unexpected' (machines version 2): its logged cause. */
export function unexpectedProblem(flowName: string, context: FlowContextView, original: unknown = null): CliError {
  // A step that stopped on an unusable simulated device (device.json) is bad input, not a failure.
  for (let at = original, depth = 0; at instanceof Error && depth < 8; at = at.cause, depth += 1) {
    if (at instanceof SimStateError) return new CliError('bad-sim-state', { problem: at.message });
  }
  const cause = context.cause;
  const text = cause ? `${cause.error}${cause.code ? ` (${cause.code})` : ''}: ${cause.message}` : 'an error the log does not name';
  return new CliError('step-failed', { flow: flowName, step: cause?.effect ?? 'unknown', cause: text, backupInCloud: false }).withFacts({ cause: cause ?? null });
}

export function contextOf(flow: FlowBase): FlowContextView {
  return flow.context() as FlowContextView;
}

export interface LoggedEvent {
  type: string;
  fromState: string | null;
  payload: Record<string, unknown>;
}

/** The flow's last logged transition: the event that brought it where it is. */
export async function lastLoggedEvent(eventLog: EventStore, flowId: string): Promise<LoggedEvent | null> {
  const last = (await eventLog.readFlow(flowId)).at(-1);
  if (!last) return null;
  return { type: last.eventType, fromState: last.fromState, payload: JSON.parse(last.payload) as Record<string, unknown> };
}

/** The non-secret facts --json reports about a flow. */
export function flowFacts(flow: FlowBase): FlowFacts {
  const view = flow.view();
  const context = contextOf(flow);
  return {
    flowId: flow.id,
    outcome: view.status === 'active' ? 'pending' : (view.meta.outcome ?? null),
    reason: view.meta.reason ?? null,
    account: context.account ?? null,
    walletId: context.walletId ?? null,
    epoch: context.epoch ?? null,
  };
}

/** The problem of a waiting state the person cannot resolve from here, or null if it is not a shared one. */
export function waitingProblem(view: FlowView, context: FlowContextView, setup: FlowSetup, attempts: number): CliError | null {
  const { provider, account } = setup;
  switch (view.meta.reason) {
    case 'not-signed-in':
      return new CliError('not-signed-in', { provider, account });
    case 'wrong-account':
      return new CliError('wrong-account', { provider, expected: account, actual: context.actualAccount ?? 'another account' });
    case 'hms':
      return context.hmsProblem === 'outdated' ? new CliError('hms-outdated') : new CliError('hms-missing');
    case 'no-backups':
      return new CliError('no-backups', { provider, account: context.account ?? account, knownAccounts: context.knownAccounts ?? [] });
    case 'network':
      return new CliError('network', { provider, attempts });
    case 'storage-full':
      return new CliError('storage-full', { provider, neededBytes: context.neededBytes ?? 0 });
    case 'verify-mismatch':
      return new CliError('verify-mismatch', { provider, path: context.failure ?? 'a record' });
    default:
      return null;
  }
}

/**
 * Which record a corrupt ending is about. The machines keep only the reason; the event that
 * ended the flow says which record (and, for the backup's loadKeyring, whether the keyring was
 * missing or the manifest failed to decode: see the report about KEYRING.CORRUPT).
 */
export function corruptProblem(event: LoggedEvent | null, context: FlowContextView): CliError {
  const reason = context.failure ?? String(event?.payload.reason ?? 'malformed');
  const epoch = context.epoch ?? null;
  const keyring = (): [RecordKind, string] => ['keyring', epoch ? keyringPath(epoch) : 'wallet-backup/keyrings/'];
  let [record, path]: [RecordKind, string] = keyring();
  if (event?.type === 'RECORD.CORRUPT' || (event?.type === 'MNEMONIC.INVALID' && context.walletId)) {
    [record, path] = ['wallet record', context.walletId && epoch ? walletRecordPath(context.walletId, epoch) : 'wallet-backup/wallets/'];
  } else if (event?.type === 'MANIFEST.CORRUPT') {
    [record, path] = ['manifest', MANIFEST_PATH];
  }
  return new CliError('corrupt', { record, path, reason });
}
