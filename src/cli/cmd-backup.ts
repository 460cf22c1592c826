/**
 * `wallet-backup backup`: encrypts the phrase in --mnemonic-file and backs it up to the
 * provider (R1..R5, R8, R12, R13, R15, R16), verified by reading it back (E3).
 */
import { PROVIDER_NAMES } from '../ports/providers.ts';
import type { CommandIo, CommandReport } from './command-io.ts';
import { runBackupFlow } from './drive-backup.ts';
import { flowFacts } from './flow-problems.ts';
import { readMnemonicFile } from './mnemonic-file.ts';
import { refuseSharedStdin } from './input-file.ts';
import { logUnwritable, weakScryptWarning, withEngine } from './open-engine.ts';
import type { AccountOptions, CloudOption, DbOption } from './options.ts';
import { passwordPrompter } from './password-prompts.ts';
import { openPasswordSource } from './password-source.ts';
import { cloudOnlyWarning } from './offline-copy-warning.ts';
import { safe } from '../text/terminal-safe.ts';

export interface BackupOptions extends DbOption, CloudOption, AccountOptions {
  mnemonicFile: string;
  name?: string;
  newPassword: boolean;
  offlineCopyConfirmed: boolean;
  passwordFile?: string;
}

export async function backupCommand(options: BackupOptions, io: CommandIo): Promise<CommandReport> {
  const { provider, account } = options;
  refuseSharedStdin([
    ['--mnemonic-file', options.mnemonicFile],
    ['--password-file', options.passwordFile],
  ]);
  const mnemonicText = await readMnemonicFile(options.mnemonicFile);
  const source = await openPasswordSource(options.passwordFile, io.env, io.terminal);
  const warnings = [weakScryptWarning(io.env)].filter((w): w is string => w !== null);

  return withEngine(options, io.env, async (engine) => {
    const flow = await engine.backup({
      provider,
      mnemonic: mnemonicText,
      ...(options.name !== undefined ? { walletName: options.name } : {}),
      expectedAccount: account,
      newEpoch: options.newPassword,
      offlineCopyConfirmed: options.offlineCopyConfirmed,
    });
    const passwords = passwordPrompter(source, io.say, { canStartNewEpoch: !options.newPassword });
    let result;
    try {
      result = await runBackupFlow(flow, {
        setup: { provider, account, eventLog: engine.eventLog },
        passwords,
        terminal: io.terminal,
        mnemonicText,
      });
    } catch (error) {
      // The machine reached done (read back, listed) before the log refused its row: say so.
      throw logUnwritable(error, options.db, flow.view().state === 'done') ?? error;
    }
    const binding = (flow.context() as { binding?: boolean }).binding === true;

    const where = safe`${PROVIDER_NAMES[provider]} account ${result.account}`;
    const lines = [safe`Backed up wallet ${result.walletId} to ${where} (password epoch ${result.epoch}); verified by reading it back.`];
    if (binding) lines.push(safe`This backup password is now bound to ${result.account}: every later backup under it needs the same password. It cannot be reset.`);
    else if (options.newPassword) lines.push(`Wallets backed up under earlier password epochs stay in the cloud and can still be restored with their old password.`);
    if (!options.offlineCopyConfirmed && result.walletId) warnings.push(cloudOnlyWarning(provider, result.account ?? account, [result.walletId]));
    return { lines, warnings, json: { ...flowFacts(flow), binding, offlineCopyConfirmed: options.offlineCopyConfirmed } };
  });
}
