/**
 * The simulated device behind the local-folder cloud: `<root>/<provider>/device.json`.
 *
 * It says who is signed in, how big each account's storage is, the state of HMS Core (Huawei
 * only) and how many coming cloud calls fail with a network error. The adapter reads it on every
 * call, so the CLI's `sim` command, the story or a test (any process) can change the device
 * while an engine runs, and reproduce every error branch of the guide from a terminal.
 * A malformed file or patch is refused with an Error naming the field, never silently ignored.
 * Node only.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HmsCoreState } from '../../src/ports/cloud-drive.ts';
import { isProviderId, type ProviderId } from '../../src/ports/providers.ts';
import { FOLDER_MODE, hasErrorCode, writeFileAtomic } from './local-files.ts';

export const DEFAULT_QUOTA_BYTES = 15 * 1024 * 1024;

export interface LocalSimState {
  /** false: the user signed out of the provider on this device. */
  signedIn: boolean;
  /** The account signed in; null means "the adapter's `account` option". */
  account: string | null;
  /** Storage of each account, in bytes. */
  quotaBytes: number;
  /** HMS Core on the device; only a huawei drive reports or enforces it. */
  hms: HmsCoreState;
  /** The next N cloud calls (read, write, list, delete, quota) throw CloudError('network'). */
  failNextOps: number;
}

export type LocalSimPatch = Partial<LocalSimState>;

export const DEFAULT_SIM_STATE: Readonly<LocalSimState> = Object.freeze({
  signedIn: true,
  account: null,
  quotaBytes: DEFAULT_QUOTA_BYTES,
  hms: 'ok',
  failNextOps: 0,
});

const HMS_STATES: readonly HmsCoreState[] = ['ok', 'missing', 'outdated'];

export function providerFolder(root: string, provider: ProviderId): string {
  if (!isProviderId(provider)) throw new Error(`Unknown cloud provider ${JSON.stringify(provider)}: expected icloud, gdrive or huawei`);
  return join(root, provider);
}

export function deviceFile(root: string, provider: ProviderId): string {
  return join(providerFolder(root, provider), 'device.json');
}

/** The device state, with defaults for what device.json leaves out (or all defaults when it does not exist). */
export async function readSimState(root: string, provider: ProviderId): Promise<LocalSimState> {
  const file = deviceFile(root, provider);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return { ...DEFAULT_SIM_STATE };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`Simulated device state ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return { ...DEFAULT_SIM_STATE, ...checkSimPatch(parsed, `Simulated device state ${file}`) };
}

/** Applies a patch to device.json (atomically) and returns the new state. */
export async function writeSimState(root: string, provider: ProviderId, patch: LocalSimPatch): Promise<LocalSimState> {
  const checked = checkSimPatch(patch, 'Simulated device change');
  const next: LocalSimState = { ...(await readSimState(root, provider)), ...checked };
  const { account, ...rest } = next;
  const stored = account === null ? rest : { ...rest, account };
  await mkdir(providerFolder(root, provider), { recursive: true, mode: FOLDER_MODE });
  await writeFileAtomic(deviceFile(root, provider), new TextEncoder().encode(`${JSON.stringify(stored, null, 2)}\n`));
  return next;
}

/** Validates every field present; unknown fields are refused so a typo ("signedin") cannot pass unnoticed. */
function checkSimPatch(value: unknown, where: string): LocalSimPatch {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where} must be a JSON object`);
  const fields = value as Record<string, unknown>;
  const patch: LocalSimPatch = {};
  for (const [key, field] of Object.entries(fields)) {
    if (field === undefined) continue; // `{ account: undefined }` from TypeScript callers means "leave as is"
    const bad = (expected: string) => new Error(`${where}: "${key}" must be ${expected}, got ${JSON.stringify(field)}`);
    switch (key) {
      case 'signedIn':
        if (typeof field !== 'boolean') throw bad('true or false');
        patch.signedIn = field;
        break;
      case 'account':
        if (field !== null && (typeof field !== 'string' || field === '')) throw bad('a non-empty account id or null');
        patch.account = field;
        break;
      case 'quotaBytes':
        if (!isCount(field)) throw bad('a whole number of bytes, 0 or more');
        patch.quotaBytes = field;
        break;
      case 'hms':
        if (!HMS_STATES.includes(field as HmsCoreState)) throw bad('"ok", "missing" or "outdated"');
        patch.hms = field as HmsCoreState;
        break;
      case 'failNextOps':
        if (!isCount(field)) throw bad('a whole number, 0 or more');
        patch.failNextOps = field;
        break;
      default:
        throw new Error(`${where}: unknown field "${key}" (known: signedIn, account, quotaBytes, hms, failNextOps)`);
    }
  }
  return patch;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
