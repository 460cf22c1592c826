/**
 * `wallet-backup list`: the signed-in account's backups, read from its manifest (nothing is
 * decrypted, nothing logged), with the R17 warning for wallets that rely on the cloud alone.
 * The log at --db is only read (which wallets have a confirmed offline copy, the accounts this
 * device backed up under), and never created where there is none.
 */
import { PROVIDER_NAMES } from '../ports/providers.ts';
import type { CommandIo, CommandReport } from './command-io.ts';
import { listBackupsOrFail } from './list-backups.ts';
import { cloudOnlyWarning } from './offline-copy-warning.ts';
import { withReadingEngine } from './open-engine.ts';
import type { AccountOptions, CloudOption, DbOption } from './options.ts';
import { renderTable, shortTime } from './tables.ts';
import { safe } from '../text/terminal-safe.ts';

export type ListOptions = DbOption & CloudOption & AccountOptions & { offset?: number; limit?: number };

/** Wallets shown per page by default: names cost one cloud read each. */
export const DEFAULT_LIST_LIMIT = 100;

export async function listCommand(options: ListOptions, io: CommandIo): Promise<CommandReport> {
  const { provider, account } = options;
  // Listing reads the cloud and this device's history; it never creates the log (an empty history without one).
  return withReadingEngine(options, io.env, async (engine) => {
    const offset = options.offset ?? 0;
    const limit = options.limit ?? DEFAULT_LIST_LIMIT;
    const listing = await listBackupsOrFail(engine, provider, account, { offset, limit });
    const where = safe`${PROVIDER_NAMES[provider]} account ${listing.account}`;
    const warnings: string[] = [];
    // Built only when printed: --json never lays out a table.
    const text = (): string[] => {
    const lines: string[] = [];
    if (listing.total === 0) {
      lines.push(`No backups in ${where}.`);
    } else {
      const shown = listing.wallets.length === listing.total ? '' : `, showing ${listing.offset + 1}-${listing.offset + listing.wallets.length} of ${listing.total}`;
      lines.push(`Backups in ${where} (password epochs: ${listing.epochs.join(', ')}${shown}):`);
      const rows = listing.wallets.map((w) => [
        w.walletId,
        w.name ?? (w.source === 'record' ? '(unlisted record)' : '?'),
        String(w.epoch ?? '?'),
        String(w.words ?? '?'),
        w.createdAt ? shortTime(w.createdAt) : '',
        w.updatedAt ? shortTime(w.updatedAt) : '',
        w.offlineCopyConfirmed ? 'yes' : 'NO',
      ]);
      lines.push(renderTable(['Wallet id', 'Name', 'Epoch', 'Words', 'Created', 'Updated', 'Offline copy confirmed'], rows));
      const next = listing.offset + listing.wallets.length;
      if (next < listing.total) lines.push(`${listing.total - next} more: wallet-backup list ... --offset ${next} [--limit N].`);
    }
    if (listing.otherAccounts.length > 0) {
      lines.push(safe`This device also made ${PROVIDER_NAMES[provider]} backups under ${listing.otherAccounts.join(', ')}; sign in to that account to see them.`);
    }
    return lines;
    };
    const cloudOnly = listing.wallets.filter((w) => !w.offlineCopyConfirmed).map((w) => w.walletId);
    if (listing.cloudOnly > 0) warnings.push(cloudOnlyWarning(provider, listing.account, cloudOnly, listing.cloudOnly));
    return {
      get lines() {
        return text();
      },
      warnings,
      json: {
        account: listing.account,
        epochs: listing.epochs,
        total: listing.total,
        offset: listing.offset,
        wallets: listing.wallets,
        otherAccounts: listing.otherAccounts,
        cloudOnlyWallets: cloudOnly,
        cloudOnlyCount: listing.cloudOnly,
        problems: listing.problems,
      },
    };
  });
}
