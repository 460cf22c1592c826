/**
 * Runs a provider-switch flow (R15) from the terminal: the new provider is checked (signed in,
 * HMS Core), then the person confirms with --yes or at a y/N prompt. Backups already made stay
 * where they are; new ones go to the new provider only.
 */
import type { FlowView, ProviderSwitchFlow } from '../engine/index.ts';
import type { ProviderId } from '../ports/providers.ts';
import { PROVIDER_NAMES } from '../ports/providers.ts';
import { CliError } from './cli-error.ts';
import { driveFlow, finishedProblem } from './drive-flow.ts';
import { unexpectedProblem, type FlowContextView, type FlowSetup } from './flow-problems.ts';
import type { Terminal } from './terminal.ts';

export interface SwitchDriver {
  setup: FlowSetup;
  terminal: Terminal;
  from: ProviderId | null;
  /** --yes: confirmed in advance. */
  yes: boolean;
}

export async function runSwitchFlow(flow: ProviderSwitchFlow, driver: SwitchDriver): Promise<FlowView> {
  const { setup, terminal, from, yes } = driver;
  const to = setup.provider;
  const view = await driveFlow(flow, setup, async (view) => {
    if (!(view.meta.waitsFor ?? []).includes('CONFIRM')) return undefined;
    if (yes) return flow.confirm();
    if (!terminal.interactive) throw new CliError('switch-not-confirmed', { from, to });
    const question =
      `Switch this device's backup provider ${from ? `from ${PROVIDER_NAMES[from]} ` : ''}to ${PROVIDER_NAMES[to]}? ` +
      `New backups will go to ${PROVIDER_NAMES[to]} only${from ? `; backups already in ${PROVIDER_NAMES[from]} stay there` : ''}.`;
    if (await terminal.confirm(question)) return flow.confirm();
    throw new CliError('cancelled');
  });
  if (view.meta.reason === 'unexpected') {
    throw finishedProblem(flow, unexpectedProblem('provider switch', flow.context() as FlowContextView, flow.unexpectedError()));
  }
  return view;
}
