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
import type { ProviderId } from '../../src/ports/providers.ts';

export const PROVIDER = 'gdrive' as const;
export const ACCOUNT = 'alice@example.com';
export const LOG_N = 4;

/** The provider and the account a cloud signs the devices into (what status() names). */
export interface Target {
  provider: ProviderId;
  account: string;
}
export const MEMORY_TARGET: Target = { provider: PROVIDER, account: ACCOUNT };

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

/**
 * `s` null: the calls are not scheduled here (something else, such as an emulator's request
 * gate, orders them) and the device dies when `killed()` says so, hearing nothing back from then on.
 */
export function scheduledDrive(
  base: CloudDrive,
  s: fc.Scheduler | null,
  label: string,
  crashAfter: number | null,
  onCrash: () => void,
  observe: (call: DriveCall) => void = () => {},
  turn: Turn | null = null,
  killed: () => boolean = () => false,
): CloudDrive {
  let effects = 0;
  let dead = false;
  const never = new Promise<never>(() => {});
  const wrap = (method: DriveMethod) =>
    async (...args: unknown[]): Promise<unknown> => {
      if (dead || killed()) return never;
      if (s !== null) {
        turn?.arrive();
        await s.schedule(Promise.resolve(), `${label} ${method} ${typeof args[0] === 'string' ? args[0] : ''}`);
        turn?.leave();
      }
      if (dead) return never;
      const result = await (base[method] as (...a: unknown[]) => Promise<unknown>)(...args).finally(() => turn?.answered());
      observe({ method, path: typeof args[0] === 'string' ? args[0] : '', result });
      if (killed()) return never;
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

/** One device's part in Turns: around each scheduled call. */
export interface Turn {
  /** The device waits for the scheduler to release a call. */
  arrive(): void;
  /** The scheduler released it: the call is under way. */
  leave(): void;
  /** The call answered (or the device died in it). */
  answered(): void;
}

/**
 * Makes the scheduler's choices reproducible from its seed when the calls do real I/O (HTTP,
 * files, scrypt): a call is released only when every live device is waiting for one (none is
 * busy in a call, a key derivation or its log), so on a replay each choice is among the same
 * calls. run() releases one call at a time until every device has finished (done or crashed).
 */
export class Turns {
  private readonly waiting: number[];
  private readonly inCall: number[];
  private readonly finished: boolean[];
  private released = 0;
  private wake: () => void = () => {};

  constructor(
    private readonly s: fc.Scheduler,
    devices: number,
  ) {
    this.waiting = Array.from({ length: devices }, () => 0);
    this.inCall = Array.from({ length: devices }, () => 0);
    this.finished = Array.from({ length: devices }, () => false);
  }

  of(device: number): Turn {
    const change = (update: () => void) => () => {
      update();
      this.wake();
    };
    return {
      arrive: change(() => this.waiting[device]!++),
      leave: change(() => {
        this.waiting[device]!--;
        this.inCall[device]!++;
        this.released++;
      }),
      answered: change(() => this.inCall[device]!--),
    };
  }

  finish(device: number): void {
    this.finished[device] = true;
    this.wake();
  }

  private allDone(): boolean {
    return this.finished.every(Boolean);
  }

  private allWaiting(): boolean {
    return this.finished.every((finished, i) => finished || (this.waiting[i]! > 0 && this.inCall[i] === 0));
  }

  private until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.wake = () => {
        if (!condition()) return;
        this.wake = () => {};
        resolve();
      };
    });
  }

  async run(): Promise<void> {
    for (;;) {
      await this.until(() => this.allDone() || this.allWaiting());
      if (this.allDone()) return;
      const before = this.released;
      await this.s.waitOne();
      await this.until(() => this.released > before);
    }
  }
}

export interface Device {
  index: number;
  target: Target;
  engine: BackupEngine;
  store: EventStore;
  /** Resolves when the device crashes (never, for one that lives). */
  crashed: Promise<void>;
}

export function openDevice(index: number, drive: (onCrash: () => void) => CloudDrive, dir: string, target: Target = MEMORY_TARGET): Device {
  let crash = () => {};
  const crashed = new Promise<void>((resolve) => (crash = resolve));
  const store = openSqliteEventStore({ path: join(dir, `device-${index}.db`) });
  const engine = createBackupEngine({
    eventLog: store,
    clouds: { [target.provider]: drive(() => crash()) },
    kdf: createNodeScrypt(),
    scryptLogN: LOG_N,
    device: { id: `device-${index}` },
  });
  return { index, target, engine, store, crashed };
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
  const { provider, account } = device.target;
  const flow = await device.engine.backup({ provider, mnemonic, walletName: `phrase ${op.phrase}`, newEpoch: op.newEpoch, expectedAccount: account });
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
export async function restoreOnNewDevice(
  drive: CloudDrive,
  walletId: string,
  passwords: string[],
  { provider, account }: Target = MEMORY_TARGET,
): Promise<{ mnemonic: string } | { problem: string }> {
  const engine = createBackupEngine({ eventLog: openMemoryEventStore(), clouds: { [provider]: drive }, kdf: createNodeScrypt(), scryptLogN: LOG_N });
  const flow = await engine.restore({ provider, walletId, expectedAccount: account });
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
