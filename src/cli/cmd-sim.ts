/**
 * `wallet-backup sim`: shows or changes the simulated device behind a local-folder cloud
 * (<cloud>/<provider>/device.json): who is signed in, the storage quota, HMS Core, coming network
 * failures. So every error branch of the guide can be reproduced from a terminal.
 */
// The sim-state module alone, not ../node.ts: sim needs no engine, SQLite or crypto.
import { readSimState, writeSimState, DEFAULT_SIM_STATE, type LocalSimPatch, type LocalSimState } from '../../adapters/cloud/local-sim-state.ts';
import type { HmsCoreState } from '../ports/cloud-drive.ts';
import { PROVIDER_NAMES, type ProviderId } from '../ports/providers.ts';
import { CliError } from './cli-error.ts';
import type { CommandIo, CommandReport } from './command-io.ts';
import type { CloudOption } from './options.ts';
import { terminalSafe } from '../text/terminal-safe.ts';

export interface SimOptions extends CloudOption {
  provider: ProviderId;
  signIn?: string;
  signOut?: boolean;
  quota?: number;
  hms?: HmsCoreState;
  failNext?: number;
  reset?: boolean;
}

function patchFrom(options: SimOptions): LocalSimPatch {
  if (options.signIn !== undefined && options.signOut) {
    throw new CliError('bad-flags', { problem: '--sign-in and --sign-out contradict each other; give one.' });
  }
  const patch: LocalSimPatch = options.reset ? { ...DEFAULT_SIM_STATE } : {};
  if (options.signIn !== undefined) Object.assign(patch, { signedIn: true, account: options.signIn });
  if (options.signOut) patch.signedIn = false;
  if (options.quota !== undefined) patch.quotaBytes = options.quota;
  if (options.hms !== undefined) patch.hms = options.hms;
  if (options.failNext !== undefined) patch.failNextOps = options.failNext;
  return patch;
}

function describe(provider: ProviderId, state: LocalSimState): string[] {
  const signedIn = !state.signedIn
    ? 'nobody (signed out)'
    : state.account === null
      ? 'the --account each command names'
      : terminalSafe(state.account);
  return [
    `Simulated ${PROVIDER_NAMES[provider]} device:`,
    `  signed in:     ${signedIn}`,
    `  storage quota: ${state.quotaBytes} bytes per account`,
    `  HMS Core:      ${state.hms}${provider === 'huawei' ? '' : ' (only Huawei Cloud uses it)'}`,
    `  network:       ${state.failNextOps === 0 ? 'ok' : `the next ${state.failNextOps} cloud calls fail`}`,
  ];
}

export async function simCommand(options: SimOptions, _io: CommandIo): Promise<CommandReport> {
  const patch = patchFrom(options);
  let state: LocalSimState;
  try {
    state = Object.keys(patch).length === 0 ? await readSimState(options.cloud, options.provider) : await writeSimState(options.cloud, options.provider, patch);
  } catch (error) {
    throw new CliError('bad-sim-state', { problem: (error as Error).message });
  }
  return { lines: describe(options.provider, state), warnings: [], json: { provider: options.provider, device: state } };
}
