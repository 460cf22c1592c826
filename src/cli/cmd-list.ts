/**
 * `wallet-backup list`: the signed-in account's backups, read from its manifest (nothing is
 * decrypted, nothing logged), with the R17 warning for wallets that rely on the cloud alone.
 */
import { PROVIDER_NAMES } from '../ports/providers.ts';
import type { CommandIo, CommandReport } from './command-io.ts';
import { listBackupsOrFail } from './list-backups.ts';
import { cloudOnlyWarning } from './offline-copy-warning.ts';
import { withEngine } from './open-engine.ts';
import type { AccountOptions, CloudOption, DbOption } from './options.ts';
import { renderTable, shortTime } from './tables.ts';
import { safe } from '../text/terminal-safe.ts';

export type ListOptions = DbOption & CloudOption & AccountOptions;

export async function listCommand(options: ListOptions, io: CommandIo): Promise<CommandReport> {
  const { provider, account } = options;
  return withEngine(options, io.env, async (engine) => {
    const listing = await listBackupsOrFail(engine, provider, account);
    const where = safe`${PROVIDER_NAMES[provider]} account ${listing.account}`;
    const lines: string[] = [];
    const warnings: string[] = [];
    if (listing.wallets.length === 0) {
      lines.push(`No backups in ${where}.`);
    } else {
      lines.push(`Backups in ${where} (password epochs: ${listing.epochs.join(', ')}):`);
      const rows = listing.wallets.map((w) => [
        w.walletId,
        w.name,
        String(w.epoch),
        String(w.words),
        shortTime(w.createdAt),
        shortTime(w.updatedAt),
        w.offlineCopyConfirmed ? 'yes' : 'NO',
      ]);
      lines.push(renderTable(['Wallet id', 'Name', 'Epoch', 'Words', 'Created', 'Updated', 'Offline copy confirmed'], rows));
    }
    if (listing.otherAccounts.length > 0) {
      lines.push(safe`This device also made ${PROVIDER_NAMES[provider]} backups under ${listing.otherAccounts.join(', ')}; sign in to that account to see them.`);
    }
    const cloudOnly = listing.wallets.filter((w) => !w.offlineCopyConfirmed).map((w) => w.walletId);
    if (cloudOnly.length > 0) warnings.push(cloudOnlyWarning(provider, listing.account, cloudOnly));
    return {
      lines,
      warnings,
      json: { account: listing.account, epochs: listing.epochs, wallets: listing.wallets, otherAccounts: listing.otherAccounts, cloudOnlyWallets: cloudOnly },
    };
  });
}
