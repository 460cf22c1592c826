/**
 * Runs a backup flow to its end from the terminal: the password states (choose on the first
 * backup or a new epoch, verify on later ones, R4/R5/R8), storage full (R12: free space and press
 * Enter on a TTY), then turns a failed ending into its CliError.
 */
import { checkMnemonic, keyringPath } from '../format/index.ts';
import type { BackupFlow, BackupResult } from '../engine/index.ts';
import { PROVIDER_NAMES, isProviderId } from '../ports/providers.ts';
import { CliError, isCliError } from './cli-error.ts';
import { driveFlow, finishedProblem, type WaitAnswer } from './drive-flow.ts';
import { contextOf, corruptProblem, lastLoggedEvent, unexpectedProblem, type FlowContextView, type FlowSetup } from './flow-problems.ts';
import type { PasswordPrompter } from './password-prompts.ts';
import type { Terminal } from './terminal.ts';

export interface BackupDriver {
  setup: FlowSetup;
  passwords: PasswordPrompter;
  terminal: Terminal;
  /** The phrase as read, only to explain an invalid one by word position (never printed). */
  mnemonicText: string;
}

function choosePrompt(context: FlowContextView, setup: FlowSetup): string {
  const where = `${PROVIDER_NAMES[setup.provider]} account ${context.account ?? setup.account}`;
  if (context.binding) {
    return `Choose the backup password for ${where} (at least 6 characters). Every later backup under this account needs it, and it can never be reset:`;
  }
  return `Choose a NEW backup password for ${where} (at least 6 characters). Wallets backed up with the old one stay restorable with the old one:`;
}

/** The backup's own answers: the password states, and storage full when a person can free space. */
function backupAnswer(flow: BackupFlow, driver: BackupDriver): WaitAnswer {
  const { setup, passwords, terminal } = driver;
  return async (view, context) => {
    const waits = view.meta.waitsFor ?? [];
    if (waits.includes('PASSWORD.CHOSEN')) {
      const [password, confirmation] = await passwords.chosen(context, choosePrompt(context, setup));
      return flow.choosePassword(password, confirmation);
    }
    if (waits.includes('PASSWORD.ENTERED')) {
      const where = `${PROVIDER_NAMES[setup.provider]} account ${context.account ?? setup.account}`;
      const prompt = context.keyringTaken
        ? `Another device set the backup password of ${where} first, at the same time as this backup. Enter that password:`
        : `Backup password of ${where} (set at its first backup):`;
      return flow.enterPassword(await passwords.existing(context, prompt));
    }
    if (view.meta.reason === 'storage-full' && terminal.interactive) {
      await terminal.pressEnter(`${PROVIDER_NAMES[setup.provider]} storage is full: free ${context.neededBytes ?? 0} bytes, then press Enter to retry (Ctrl-C cancels).`);
      return flow.spaceFreed();
    }
    return undefined;
  };
}

export async function runBackupFlow(flow: BackupFlow, driver: BackupDriver): Promise<BackupResult> {
  const { setup } = driver;
  const view = await driveFlow(flow, setup, backupAnswer(flow, driver));

  const result = flow.result();
  if (result.outcome === 'done') return result;
  const context = flow.context() as FlowContextView;
  switch (view.meta.reason) {
    case 'invalid-mnemonic': {
      const check = checkMnemonic(driver.mnemonicText);
      const detail = check.ok ? '' : check.detail;
      throw finishedProblem(flow, new CliError('invalid-mnemonic', { reason: context.failure ?? 'invalid', detail }));
    }
    case 'provider-inactive': {
      const active = (await lastLoggedEvent(setup.eventLog, flow.id))?.payload.active;
      const problem = new CliError('provider-inactive', { provider: setup.provider, active: isProviderId(active) ? active : null, account: setup.account });
      throw finishedProblem(flow, problem);
    }
    case 'corrupt':
      throw finishedProblem(flow, corruptProblem(await lastLoggedEvent(setup.eventLog, flow.id), context));
    case 'account-changed': {
      const now = (await lastLoggedEvent(setup.eventLog, flow.id))?.payload.account;
      const problem = new CliError('account-changed', { provider: setup.provider, account: context.account ?? setup.account, now: typeof now === 'string' ? now : null });
      throw finishedProblem(flow, problem);
    }
    case 'unexpected':
      throw finishedProblem(flow, unexpectedProblem('backup', context, flow.unexpectedError()));
    default:
      throw new Error(`the backup flow ended ${result.outcome} (${result.reason ?? 'no reason'}) without a known reason`);
  }
}
