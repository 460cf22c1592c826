/**
 * The flow objects the engine hands to an app: the XState actor, an RxJS observable of its
 * snapshots, and one method per thing a person can do at a waiting state. Secrets go in
 * through these methods and never come out, except a restored mnemonic via `result()`.
 */
import { checkNewPassword } from '../format/index.ts';
import { EngineError } from './engine-error.ts';
import type { FlowRunner } from './flow-runner.ts';
import type { BackupFlow, BackupResult, FlowBase, FlowView, ProviderSwitchFlow, RestoreFlow } from './flow-types.ts';
import type { BackupSlot } from './backup-effects.ts';
import type { RestoreSlot } from './restore-effects.ts';

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
