/**
 * The flow objects the engine hands to an app: the XState actor, an RxJS observable of its
 * snapshots, and one method per thing a person can do at a waiting state. Secrets go in
 * through these methods and never come out, except a restored mnemonic via `result()`.
 */
import type { AnyActorRef, AnyStateMachine, SnapshotFrom } from 'xstate';
import type { Observable } from 'rxjs';
import { checkNewPassword } from '../format/index.ts';
import { EngineError } from './engine-error.ts';
import type { FlowRunner, FlowView } from './flow-runner.ts';
import type { BackupSlot } from './backup-effects.ts';
import type { RestoreSlot } from './restore-effects.ts';

export interface FlowBase {
  readonly id: string;
  /** The running XState actor (inspect it, subscribe to it; send events through the methods). */
  readonly actor: AnyActorRef;
  readonly state$: Observable<SnapshotFrom<AnyStateMachine>>;
  /** Where the flow stands: state value, status, what it waits for, the final outcome. */
  view(): FlowView;
  context(): Record<string, unknown>;
  /** Resolves once the flow waits for the person or has finished. */
  settled(): Promise<FlowView>;
  retry(): Promise<FlowView>;
  cancel(): Promise<FlowView>;
  /** The error that ended the flow in `failed` (machines version 2), with its stack and causes; null otherwise. Never logged. */
  unexpectedError(): unknown;
}

export interface BackupFlow extends FlowBase {
  /** First backup or new epoch: the new backup password, twice (R3, R4, R8). */
  choosePassword(password: string, confirmation: string): Promise<FlowView>;
  /** Later backup: the account's backup password (R5). */
  enterPassword(password: string): Promise<FlowView>;
  /** The person forgot the password: start a new epoch (R8). */
  forgotPassword(): Promise<FlowView>;
  /** The person freed cloud storage (R12). */
  spaceFreed(): Promise<FlowView>;
  result(): BackupResult;
}

export interface BackupResult {
  outcome: 'done' | 'cancelled' | 'failed' | 'pending';
  reason: string | null;
  account: string | null;
  walletId: string | null;
  epoch: number | null;
}

export interface RestoreFlow extends FlowBase {
  chooseWallet(walletId: string): Promise<FlowView>;
  enterPassword(password: string): Promise<FlowView>;
  result(): RestoreResult;
}

export interface RestoreResult {
  outcome: 'done' | 'cancelled' | 'failed' | 'pending';
  reason: string | null;
  account: string | null;
  walletId: string | null;
  walletName: string | null;
  epoch: number | null;
  /** The restored phrase; only when outcome is 'done'. */
  mnemonic: string | null;
}

export interface ProviderSwitchFlow extends FlowBase {
  confirm(): Promise<FlowView>;
}

function base<Slot>(runner: FlowRunner<Slot>): FlowBase {
  const act = async (type: string) => {
    await runner.send({ type });
    return runner.view();
  };
  return {
    id: runner.flowId,
    actor: runner.actor,
    state$: runner.state$,
    view: () => runner.view(),
    unexpectedError: () => runner.unexpectedError(),
    context: () => runner.snapshot.context as Record<string, unknown>,
    settled: async () => {
      await runner.idle();
      return runner.view();
    },
    retry: () => act('RETRY'),
    cancel: () => act('CANCEL'),
  };
}

function outcomeOf(view: FlowView): { outcome: BackupResult['outcome']; reason: string | null } {
  if (view.status === 'active') return { outcome: 'pending', reason: view.meta.reason ?? null };
  return { outcome: view.meta.outcome ?? 'failed', reason: view.meta.reason ?? null };
}

export function backupFlow(runner: FlowRunner<BackupSlot>, slot: BackupSlot): BackupFlow {
  const flow = base(runner);
  return {
    ...flow,
    async choosePassword(password, confirmation) {
      const { tooShort, mismatch } = checkNewPassword(password, confirmation);
      await runner.send({ type: 'PASSWORD.CHOSEN', tooShort, mismatch }, () => {
        slot.password = tooShort || mismatch ? null : password;
      });
      return runner.view();
    },
    async enterPassword(password) {
      await runner.send({ type: 'PASSWORD.ENTERED' }, () => {
        slot.password = password;
      });
      return runner.view();
    },
    async forgotPassword() {
      await runner.send({ type: 'PASSWORD.FORGOTTEN' });
      return runner.view();
    },
    async spaceFreed() {
      await runner.send({ type: 'SPACE.FREED' });
      return runner.view();
    },
    result() {
      const context = runner.snapshot.context as Record<string, unknown>;
      return {
        ...outcomeOf(runner.view()),
        account: (context.account as string | null) ?? null,
        walletId: (context.walletId as string | null) ?? null,
        epoch: (context.epoch as number | null) ?? null,
      };
    },
  };
}

export function restoreFlow(runner: FlowRunner<RestoreSlot>, slot: RestoreSlot): RestoreFlow {
  const flow = base(runner);
  return {
    ...flow,
    async chooseWallet(walletId) {
      const wallets = (runner.snapshot.context as { wallets: { walletId: string }[] }).wallets;
      if (runner.view().meta.waitsFor?.includes('WALLET.CHOSEN') && !wallets.some((w) => w.walletId === walletId)) {
        throw new EngineError('bad-input', `No backup of wallet ${walletId} in this account; it has ${wallets.map((w) => w.walletId).join(', ')}.`);
      }
      await runner.send({ type: 'WALLET.CHOSEN', walletId });
      return runner.view();
    },
    async enterPassword(password) {
      await runner.send({ type: 'PASSWORD.ENTERED' }, () => {
        slot.password = password;
      });
      return runner.view();
    },
    result() {
      const context = runner.snapshot.context as Record<string, unknown>;
      const outcome = outcomeOf(runner.view());
      return {
        ...outcome,
        account: (context.account as string | null) ?? null,
        walletId: (context.walletId as string | null) ?? null,
        walletName: slot.walletName,
        epoch: (context.epoch as number | null) ?? null,
        mnemonic: outcome.outcome === 'done' ? slot.mnemonic : null,
      };
    },
  };
}

export function providerSwitchFlow(runner: FlowRunner<object>): ProviderSwitchFlow {
  const flow = base(runner);
  return {
    ...flow,
    async confirm() {
      await runner.send({ type: 'CONFIRM' });
      return runner.view();
    },
  };
}
