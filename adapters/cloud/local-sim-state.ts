/**
 * The simulated device behind the local-folder cloud: `<root>/<provider>/device.json`.
 *
 * It says who is signed in, how big each account's storage is, the state of HMS Core (Huawei
 * only) and how many coming cloud calls fail with a network error. The adapter reads it on every
 * call, so the CLI's `sim` command, the story or a test (any process) can change the device
 * while an engine runs, and reproduce every error branch of the guide from a terminal.
 * A malformed file or patch is refused with a SimStateError naming the file and the field, never
 * silently ignored. device.json is read bounded (MAX_DEVICE_FILE_BYTES, enforced while reading):
 * a huge file, a symlink (to /dev/zero, say), a FIFO or a folder in its place is a SimStateError
 * too, never an unbounded read or a hang. The CLI reports every SimStateError as 'bad-sim-state'
 * (exit 2). Node only.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NotRegularFileError, NotUtf8Error, TooLargeError, decodeUtf8, describeBytes, readFileBounded } from '../fs/read-bounded.ts';
import type { HmsCoreState } from '../../src/ports/cloud-drive.ts';
import { isProviderId, type ProviderId } from '../../src/ports/providers.ts';
import { FOLDER_MODE, writeFileAtomic } from './local-files.ts';

export const DEFAULT_QUOTA_BYTES = 15 * 1024 * 1024;

/** What device.json written by this app takes is about 120 bytes; 64 KiB is the most it may hold. */
export const MAX_DEVICE_FILE_BYTES = 64 * 1024;

/** What is wrong with the simulated device's state: the file on disk or a requested change. */
export type SimStateProblem = 'too-large' | 'not-a-file' | 'malformed' | 'bad-change';

/** device.json (or a change to it) cannot be used: the message names the file, the field and what is expected. */
export class SimStateError extends Error {
  override readonly name = 'SimStateError';
  constructor(
    readonly code: SimStateProblem,
    message: string,
  ) {
    super(message);
  }
}

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
  const where = `Simulated device state ${JSON.stringify(file)}`;
  let bytes: Uint8Array | null;
  try {
    bytes = await readFileBounded(file, MAX_DEVICE_FILE_BYTES, { noFollow: true });
  } catch (error) {
    if (error instanceof TooLargeError) {
      throw new SimStateError('too-large', `${where} is larger than ${describeBytes(MAX_DEVICE_FILE_BYTES)}, the most it may hold: it is not a device.json this app wrote`);
    }
    if (error instanceof NotRegularFileError) throw new SimStateError('not-a-file', `${where} is ${error.kind}, not a regular file`);
    throw error;
  }
  if (bytes === null) return { ...DEFAULT_SIM_STATE };
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeUtf8(bytes, file));
  } catch (error) {
    if (error instanceof NotUtf8Error) throw new SimStateError('malformed', `${where} is not UTF-8 text (the first invalid byte sequence starts at byte ${error.offset})`);
    if (!(error instanceof SyntaxError)) throw error;
    // The parser quotes the file's text: its control characters are shown escaped, not sent to a terminal.
    throw new SimStateError('malformed', `${where} is not valid JSON: ${escapeControls(error.message)}`);
  }
  return { ...DEFAULT_SIM_STATE, ...checkSimPatch(parsed, where, 'malformed') };
}

/** Applies a patch to device.json (atomically) and returns the new state. */
export async function writeSimState(root: string, provider: ProviderId, patch: LocalSimPatch): Promise<LocalSimState> {
  const checked = checkSimPatch(patch, 'Simulated device change', 'bad-change');
  const next: LocalSimState = { ...(await readSimState(root, provider)), ...checked };
  const { account, ...rest } = next;
  const stored = account === null ? rest : { ...rest, account };
  await mkdir(providerFolder(root, provider), { recursive: true, mode: FOLDER_MODE });
  await writeFileAtomic(deviceFile(root, provider), new TextEncoder().encode(`${JSON.stringify(stored, null, 2)}\n`));
  return next;
}

/** Validates every field present; unknown fields are refused so a typo ("signedin") cannot pass unnoticed. */
function checkSimPatch(value: unknown, where: string, problem: SimStateProblem): LocalSimPatch {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SimStateError(problem, `${where} must be a JSON object`);
  const fields = value as Record<string, unknown>;
  const patch: LocalSimPatch = {};
  for (const [key, field] of Object.entries(fields)) {
    if (field === undefined) continue; // `{ account: undefined }` from TypeScript callers means "leave as is"
    const bad = (expected: string) => new SimStateError(problem, `${where}: ${JSON.stringify(key)} must be ${expected}, got ${shownValue(field)}`);
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
        throw new SimStateError(problem, `${where}: unknown field ${JSON.stringify(key)} (known: signedIn, account, quotaBytes, hms, failNextOps)`);
    }
  }
  return patch;
}

function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value from device.json as a message shows it: JSON (control characters escaped), cut short. */
function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
