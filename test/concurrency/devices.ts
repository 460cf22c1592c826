/**
 * Several devices on one cloud account, each with its own engine and SQLite log, whose cloud
 * calls a fast-check scheduler interleaves (each call takes effect only when the scheduler lets
 * it), and a person at each device who answers the flow as a person would. Used by the
 * concurrency properties (R4, R5, E3; issue 11) on the memory and the local-folder clouds.
 *
 * A device may crash: after its N-th cloud call took effect it never hears back, and nothing of
 * it runs again (a phone killed mid-backup).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type fc from 'fast-check';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { createBackupEngine, type BackupEngine } from '../../src/engine/index.ts';
import type { CloudDrive } from '../../src/ports/cloud-drive.ts';
import type { EventStore } from '../../src/ports/event-store.ts';

export const PROVIDER = 'gdrive' as const;
export const ACCOUNT = 'alice@example.com';
export const LOG_N = 4;

/** Valid BIP39 phrases the devices back up (official vectors and ones generated from fixed entropy). */
export const PHRASES = [
  'legal winner thank year wave sausage worth useful legal winner thank yellow',
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  'letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless',
] as const;

/** The password a device's person chooses when they bind or start an epoch. */
export const passwordOf = (device: number, epoch: number) => `device ${device} epoch ${epoch} pw`;

export interface BackupOp {
  phrase: number;
  newEpoch: boolean;
}

export interface DevicePlan {
  ops: BackupOp[];
  /** Dies after this many of its cloud calls took effect; null: lives. */
  crashAfter: number | null;
}

export interface DoneBackup {
  device: number;
  walletId: string;
  epoch: number;
  mnemonic: string;
  password: string;
}

type DriveMethod = 'status' | 'read' | 'write' | 'create' | 'list' | 'delete' | 'quota';
const METHODS: readonly DriveMethod[] = ['status', 'read', 'write', 'create', 'list', 'delete', 'quota'];

/** A drive whose calls the scheduler releases one at a time; after `crashAfter` effects the device hears nothing back, ever. */
export interface DriveCall {
  method: DriveMethod;
  path: string;
  result: unknown;
}

export function scheduledDrive(
  base: CloudDrive,
  s: fc.Scheduler,
  label: string,
  crashAfter: number | null,
  onCrash: () => void,
  observe: (call: DriveCall) => void = () => {},
): CloudDrive {
  let effects = 0;
  let dead = false;
  const never = new Promise<never>(() => {});
  const wrap = (method: DriveMethod) =>
    async (...args: unknown[]): Promise<unknown> => {
      if (dead) return never;
      await s.schedule(Promise.resolve(), `${label} ${method} ${typeof args[0] === 'string' ? args[0] : ''}`);
      if (dead) return never;
      const result = await (base[method] as (...a: unknown[]) => Promise<unknown>)(...args);
      observe({ method, path: typeof args[0] === 'string' ? args[0] : '', result });
      effects++;
      if (crashAfter !== null && effects >= crashAfter) {
        dead = true;
        onCrash();
        return never;
      }
      return result;
    };
  const drive = { provider: base.provider } as Record<string, unknown>;
  for (const method of METHODS) drive[method] = wrap(method);
  return drive as unknown as CloudDrive;
}

export interface Device {
  index: number;
  engine: BackupEngine;
  store: EventStore;
  /** Resolves when the device crashes (never, for one that lives). */
  crashed: Promise<void>;
}

export function openDevice(index: number, drive: (onCrash: () => void) => CloudDrive, dir: string): Device {
  let crash = () => {};
  const crashed = new Promise<void>((resolve) => (crash = resolve));
  const store = openSqliteEventStore({ path: join(dir, `device-${index}.db`) });
  const engine = createBackupEngine({
    eventLog: store,
    clouds: { [PROVIDER]: drive(() => crash()) },
    kdf: createNodeScrypt(),
    scryptLogN: LOG_N,
    device: { id: `device-${index}` },
  });
  return { index, engine, store, crashed };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'wbe-devices-'));
}

/**
 * A person backing up one phrase at a device: chooses `passwordOf(device, epoch)` when asked for
 * a new password; asked for an existing one, tries each device's password of that epoch in turn
 * (the people sharing the account know them), and gives up (CANCEL) when none works. Returns the
 * backup when the flow says done.
 */
export async function personBacksUp(device: Device, op: BackupOp, devices: number): Promise<DoneBackup | null> {
  const mnemonic = PHRASES[op.phrase]!;
  const flow = await device.engine.backup({ provider: PROVIDER, mnemonic, walletName: `phrase ${op.phrase}`, newEpoch: op.newEpoch, expectedAccount: ACCOUNT });
  let password = '';
  for (;;) {
    const view = flow.view();
    if (view.status !== 'active') break;
    const waits = view.meta.waitsFor ?? [];
    const context = flow.context() as { epoch: number | null; wrongPasswordAttempts: number };
    if (waits.includes('PASSWORD.CHOSEN')) {
      password = passwordOf(device.index, (context.epoch ?? 0) + 1);
      await flow.choosePassword(password, password);
    } else if (waits.includes('PASSWORD.ENTERED')) {
      const attempt = context.wrongPasswordAttempts;
      if (attempt >= devices) {
        await flow.cancel();
        continue;
      }
      password = passwordOf(attempt, context.epoch ?? 1);
      await flow.enterPassword(password);
    } else {
      await flow.cancel();
    }
  }
  const result = flow.result();
  if (result.outcome !== 'done') return null;
  return { device: device.index, walletId: result.walletId!, epoch: result.epoch!, mnemonic, password };
}

/** A restore on a new device (empty log) straight from the cloud: the phrase, or why not. */
export async function restoreOnNewDevice(drive: CloudDrive, walletId: string, passwords: string[]): Promise<{ mnemonic: string } | { problem: string }> {
  const engine = createBackupEngine({ eventLog: openMemoryEventStore(), clouds: { [PROVIDER]: drive }, kdf: createNodeScrypt(), scryptLogN: LOG_N });
  const flow = await engine.restore({ provider: PROVIDER, walletId, expectedAccount: ACCOUNT });
  for (const password of passwords) {
    if (!(flow.view().meta.waitsFor ?? []).includes('PASSWORD.ENTERED')) break;
    await flow.enterPassword(password);
  }
  if (flow.view().status === 'active') await flow.cancel();
  const result = flow.result();
  if (result.outcome === 'done' && result.mnemonic) return { mnemonic: result.mnemonic };
  return { problem: `restore of ${walletId} ended ${result.outcome} at ${JSON.stringify(flow.view().state)}` };
}

export async function closeDevices(devices: Device[]): Promise<void> {
  for (const device of devices) await device.store.close();
}
