/**
 * `wallet-backup switch`: makes --provider this device's one active backup provider (R15).
 */
import { PROVIDER_NAMES } from '../ports/providers.ts';
import type { CommandIo, CommandReport } from './command-io.ts';
import { runSwitchFlow } from './drive-switch.ts';
import { flowFacts } from './flow-problems.ts';
import { withEngine } from './open-engine.ts';
import type { AccountOptions, CloudOption, DbOption } from './options.ts';
import { safe } from '../text/terminal-safe.ts';

export interface SwitchOptions extends DbOption, CloudOption, AccountOptions {
  yes: boolean;
}

export async function switchCommand(options: SwitchOptions, io: CommandIo): Promise<CommandReport> {
  const { provider, account } = options;
  return withEngine(options, io.env, async (engine) => {
    const from = await engine.activeProvider();
    const flow = await engine.switchProvider({ to: provider, expectedAccount: account });
    const view = await runSwitchFlow(flow, { setup: { provider, account, eventLog: engine.eventLog }, terminal: io.terminal, from, yes: options.yes });
    const to = PROVIDER_NAMES[provider];
    const lines =
      view.meta.reason === 'already-active'
        ? [`${to} is already this device's backup provider; nothing changed.`]
        : [
            safe`This device now backs up to ${to} (account ${account}).`,
            from && from !== provider
              ? `Backups already in ${PROVIDER_NAMES[from]} stay there; back up each wallet again to have it in ${to}.`
              : `New backups go to ${to} only.`,
          ];
    return { lines, warnings: [], json: { ...flowFacts(flow), account, from, provider } };
  });
}
