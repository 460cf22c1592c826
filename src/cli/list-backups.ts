/**
 * engine.listBackups (whose transient network failures the engine retries under its policy;
 * the CLI retries nothing itself), and every refusal (not signed in, wrong account, HMS Core, a corrupt manifest) turned into its CliError.
 * Used by `list` and by `confirm-offline` (which checks the wallet exists first).
 */
import type { BackupEngine, BackupListing } from '../engine/index.ts';
import { MANIFEST_PATH } from '../format/index.ts';
import type { ProviderId } from '../ports/providers.ts';
import { CliError } from './cli-error.ts';

export type Listing = Extract<BackupListing, { ok: true }>;

function listingProblem(problem: string, detail: Record<string, unknown>, provider: ProviderId, account: string, attempts: number): CliError | Error {
  switch (problem) {
    case 'PROVIDER.NOT_SIGNED_IN':
    case 'ACCOUNT.CHANGED':
      return new CliError('not-signed-in', { provider, account });
    case 'PROVIDER.WRONG_ACCOUNT':
      return new CliError('wrong-account', { provider, expected: account, actual: String(detail.actual ?? 'another account') });
    case 'PROVIDER.HMS_MISSING':
      return new CliError('hms-missing');
    case 'PROVIDER.HMS_OUTDATED':
      return new CliError('hms-outdated');
    case 'NETWORK.FAILED':
      return new CliError('network', { provider, attempts });
    case 'MANIFEST.CORRUPT':
    case 'RECORD.CORRUPT':
      return new CliError('corrupt', { record: 'manifest', path: MANIFEST_PATH, reason: String(detail.reason ?? 'malformed') });
    default:
      return new Error(`listing the backups failed with ${problem} ${JSON.stringify(detail)}`);
  }
}

export async function listBackupsOrFail(
  engine: BackupEngine,
  provider: ProviderId,
  account: string,
  page: { names?: boolean; offset?: number; limit?: number } = {},
): Promise<Listing> {
  const listing = await engine.listBackups({ provider, expectedAccount: account, ...page });
  if (listing.ok) return listing;
  const tries = typeof listing.detail.tries === 'number' ? listing.detail.tries : 1;
  throw listingProblem(listing.problem, listing.detail, provider, account, tries);
}
