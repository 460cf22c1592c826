/**
 * audit --cloud: does the cloud still list every backup the log says is done? A backup the log
 * calls done whose wallet the account no longer has is an error (`backup-missing`: the app told
 * the person it was backed up); one whose record is there but whose listing entry is gone is a
 * warning (`backup-unlisted`: still restorable by its id). Browser-safe.
 */
import type { AuditReport } from './audit-log.ts';
import type { Finding } from './findings.ts';

export type ListingLookup = (provider: string, account: string) => Promise<Map<string, 'entry' | 'manifest' | 'record'>>;

/** Adds the findings to the report (counts and ok updated); returns them. */
export async function checkDoneBackupsListed(report: AuditReport, lookup: ListingLookup): Promise<Finding[]> {
  const found: Finding[] = [];
  for (const account of report.history.accounts) {
    if (account.account === null) continue;
    const done = account.wallets.filter((w) => w.backups > 0);
    if (done.length === 0) continue;
    const listing = await lookup(account.provider, account.account);
    for (const wallet of done) {
      const where = `${account.provider} account ${account.account}`;
      const how = listing.get(wallet.walletId);
      if (how === 'entry' || how === 'manifest') continue;
      found.push(
        how === 'record'
          ? {
              kind: 'backup-unlisted',
              severity: 'warning',
              rule: 'E3',
              message: `The log says wallet ${wallet.walletId} was backed up to ${where} (last ${wallet.lastBackupAt ?? '?'}); its record is there but its listing entry is gone: it restores by its id; back it up again to list it.`,
            }
          : {
              kind: 'backup-missing',
              severity: 'error',
              rule: 'E3',
              message: `The log says wallet ${wallet.walletId} was backed up to ${where} (last ${wallet.lastBackupAt ?? '?'}), but that account no longer has it: back the wallet up again from a device that has its phrase.`,
            },
      );
    }
  }
  for (const finding of found) {
    report.findings.push(finding);
    report.counts[finding.severity] += 1;
  }
  if (found.some((f) => f.severity === 'error')) report.ok = false;
  return found;
}
