/**
 * `wallet-backup restore`: decrypts one wallet's backup from the signed-in account (R14: works on
 * an empty --db) and writes its phrase to --out, mode 0600. The phrase goes nowhere else.
 */
import { PROVIDER_NAMES } from '../ports/providers.ts';
import type { CommandIo, CommandReport } from './command-io.ts';
import { runRestoreFlow } from './drive-restore.ts';
import { flowFacts } from './flow-problems.ts';
import { withEngine } from './open-engine.ts';
import type { AccountOptions, CloudOption, DbOption } from './options.ts';
import { passwordPrompter } from './password-prompts.ts';
import { openPasswordSource } from './password-source.ts';
import { assertOutFree, writeSecretFile } from './secret-file.ts';
import { safe } from '../text/terminal-safe.ts';

export interface RestoreOptions extends DbOption, CloudOption, AccountOptions {
  wallet: string;
  out: string;
  force: boolean;
  passwordFile?: string;
}

export async function restoreCommand(options: RestoreOptions, io: CommandIo): Promise<CommandReport> {
  const { provider, account } = options;
  await assertOutFree(options.out, options.force);
  const source = await openPasswordSource(options.passwordFile, io.env, io.terminal);

  return withEngine(options, io.env, async (engine) => {
    const flow = await engine.restore({ provider, expectedAccount: account });
    const result = await runRestoreFlow(flow, {
      setup: { provider, account, eventLog: engine.eventLog },
      passwords: passwordPrompter(source, io.say, { canStartNewEpoch: false }),
      walletId: options.wallet,
    });
    await writeSecretFile(options.out, `${result.mnemonic ?? ''}\n`, options.force);
    const name = result.walletName ? safe`"${result.walletName}" ` : '';
    const lines = [
      safe`Restored wallet ${name}(${result.walletId}) from ${PROVIDER_NAMES[provider]} account ${result.account}, password epoch ${result.epoch}.`,
      safe`Its recovery phrase is in ${options.out} (readable by you only). Move it somewhere safe and offline, then delete the file.`,
    ];
    return { lines, warnings: [], json: { ...flowFacts(flow), walletName: result.walletName, out: options.out } };
  });
}
