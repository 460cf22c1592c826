/**
 * The R17 warning: a cloud backup must not be the only one. Names the wallets that rely on
 * the cloud alone and the command that records a written, offline copy.
 */
import { PROVIDER_NAMES, type ProviderId } from '../ports/providers.ts';
import { terminalSafe } from '../text/terminal-safe.ts';

/** `total`: how many wallets rely on the cloud alone when `walletIds` names only some of them (a page of a listing). */
export function cloudOnlyWarning(provider: ProviderId, rawAccount: string, rawWalletIds: readonly string[], total = rawWalletIds.length): string {
  // The account and the ids come from the cloud's listing: shown escaped.
  const account = terminalSafe(rawAccount);
  const walletIds = rawWalletIds.map(terminalSafe);
  const more = total > walletIds.length ? `${walletIds.length > 0 ? ' and ' : ''}${total - walletIds.length} more` : '';
  const which = total === 1 && walletIds.length === 1 ? `Wallet ${walletIds[0]} relies` : `Wallets ${walletIds.join(', ')}${more} rely`;
  const command = `wallet-backup confirm-offline --provider ${provider} --account ${account} --wallet ${walletIds.length === 1 ? walletIds[0] : '<id>'}`;
  return (
    `Warning: ${which} on the ${PROVIDER_NAMES[provider]} backup alone. Write the recovery phrase on paper, keep it offline ` +
    `(e.g. a fireproof safe), then record that with: ${command}`
  );
}
