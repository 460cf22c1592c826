/**
 * `wallet-backup confirm-offline`: records that the person keeps a written, offline copy of a
 * wallet's phrase (R17), after checking that the account really holds that wallet's backup.
 */
import { PROVIDER_NAMES } from '../ports/providers.ts';
import { CliError } from './cli-error.ts';
import type { CommandIo, CommandReport } from './command-io.ts';
import { listBackupsOrFail } from './list-backups.ts';
import { withEngine } from './open-engine.ts';
import type { AccountOptions, CloudOption, DbOption } from './options.ts';
import { safe } from '../text/terminal-safe.ts';

export interface ConfirmOfflineOptions extends DbOption, CloudOption, AccountOptions {
  wallet: string;
}

export async function confirmOfflineCommand(options: ConfirmOfflineOptions, io: CommandIo): Promise<CommandReport> {
  const { provider, account, wallet: walletId } = options;
  return withEngine(options, io.env, async (engine) => {
    const listing = await listBackupsOrFail(engine, provider, account, { names: false });
    if (!listing.wallets.some((w) => w.walletId === walletId)) {
      throw new CliError('wallet-not-found', { provider, account: listing.account, walletId, walletIds: listing.wallets.map((w) => w.walletId) });
    }
    await engine.confirmOfflineCopy({ provider, account: listing.account, walletId });
    const lines = [safe`Recorded: you keep an offline copy of wallet ${walletId} (${PROVIDER_NAMES[provider]} account ${listing.account}).`];
    return { lines, warnings: [], json: { account: listing.account, walletId, offlineCopyConfirmed: true } };
  });
}
