/**
 * Runs a restore flow to its end from the terminal: chooses the --wallet from the account's
 * listing (or says which wallets the account has), asks for the password of that wallet's epoch
 * (R8, R10), then turns a failed ending (a corrupt record, E2) into its CliError.
 */
import type { RestoreFlow, RestoreResult } from '../engine/index.ts';
import { PROVIDER_NAMES } from '../ports/providers.ts';
import { CliError } from './cli-error.ts';
import { driveFlow, finishedProblem } from './drive-flow.ts';
import { corruptProblem, lastLoggedEvent, unexpectedProblem, type FlowContextView, type FlowSetup } from './flow-problems.ts';
import type { PasswordPrompter } from './password-prompts.ts';

export interface RestoreDriver {
  setup: FlowSetup;
  passwords: PasswordPrompter;
  walletId: string;
}

export async function runRestoreFlow(flow: RestoreFlow, driver: RestoreDriver): Promise<RestoreResult> {
  const { setup, passwords, walletId } = driver;
  const view = await driveFlow(flow, setup, async (view, context) => {
    const waits = view.meta.waitsFor ?? [];
    if (waits.includes('WALLET.CHOSEN')) {
      const wallets = context.wallets ?? [];
      if (!wallets.some((wallet) => wallet.walletId === walletId)) {
        const account = context.account ?? setup.account;
        throw new CliError('wallet-not-found', { provider: setup.provider, account, walletId, walletIds: wallets.map((w) => w.walletId) });
      }
      return flow.chooseWallet(walletId);
    }
    if (waits.includes('PASSWORD.ENTERED')) {
      const wallet = context.wallets?.find((w) => w.walletId === walletId);
      const label = wallet?.name ? `"${wallet.name}" (${walletId})` : walletId;
      const where = `${PROVIDER_NAMES[setup.provider]} account ${context.account ?? setup.account}`;
      return flow.enterPassword(await passwords.existing(context, `Backup password of wallet ${label} in ${where}, password epoch ${context.epoch ?? '?'}:`));
    }
    return undefined;
  });

  const result = flow.result();
  if (result.outcome === 'done') return result;
  if (view.meta.reason === 'corrupt') {
    throw finishedProblem(flow, corruptProblem(await lastLoggedEvent(setup.eventLog, flow.id), flow.context() as FlowContextView));
  }
  if (view.meta.reason === 'unexpected') throw finishedProblem(flow, unexpectedProblem('restore', flow.context() as FlowContextView, flow.unexpectedError()));
  throw new Error(`the restore flow ended ${result.outcome} (${result.reason ?? 'no reason'}) without a known reason`);
}
