/**
 * What this device's own log knows (event sourcing: the log is the only local state).
 *
 * - the active provider (R15): the target of the last completed switch, or else the provider
 *   of the first completed backup;
 * - the accounts that made backups on a provider, for wrong-account guidance (R11);
 * - the wallets backed up without a confirmed offline copy (R17).
 */
import type { EventStore, FlowSummary } from '../ports/event-store.ts';
import type { ProviderId } from '../ports/providers.ts';

const DONE = JSON.stringify('done');
/** The offline-copy machine's one (final) state. */
const CONFIRMED = JSON.stringify('confirmed');

export interface CloudOnlyWallet {
  provider: string;
  account: string;
  walletId: string;
  lastBackupAt: string;
}

function byTime(a: FlowSummary, b: FlowSummary): number {
  return a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0;
}

export async function activeProvider(store: EventStore): Promise<ProviderId | null> {
  const switches = (await store.flows({ machineId: 'providerSwitch', state: DONE })).sort(byTime);
  const lastSwitch = switches.at(-1);
  if (lastSwitch?.provider) return lastSwitch.provider as ProviderId;
  const backups = (await store.flows({ machineId: 'backup', state: DONE })).sort(byTime);
  const first = backups[0];
  return first?.provider ? (first.provider as ProviderId) : null;
}

export async function accountsWithBackups(store: EventStore, provider: string): Promise<string[]> {
  const backups = await store.flows({ machineId: 'backup', state: DONE, provider });
  return [...new Set(backups.flatMap((f) => (f.account ? [f.account] : [])))].sort();
}

export async function cloudOnlyWallets(store: EventStore): Promise<CloudOnlyWallet[]> {
  const backups = (await store.flows({ machineId: 'backup', state: DONE })).sort(byTime);
  const confirmed = new Set(
    (await store.flows({ machineId: 'offlineCopy', state: CONFIRMED })).map((f) => `${f.provider}|${f.account}|${f.walletId}`),
  );
  const latest = new Map<string, CloudOnlyWallet>();
  for (const flow of backups) {
    if (!flow.provider || !flow.account || !flow.walletId) continue;
    const key = `${flow.provider}|${flow.account}|${flow.walletId}`;
    latest.set(key, { provider: flow.provider, account: flow.account, walletId: flow.walletId, lastBackupAt: flow.updatedAt });
  }
  return [...latest.entries()].filter(([key]) => !confirmed.has(key)).map(([, wallet]) => wallet);
}
