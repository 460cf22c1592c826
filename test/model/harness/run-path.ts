/**
 * Runs one generated path against a fresh system: the real engine (createBackupEngine) and
 * crypto (node:crypto scrypt), a real SQLite event log in a new temp folder, and a memory cloud
 * scripted from the path's own steps (world.ts). Every row the engine appends is compared with
 * the path at once and moves the script on: rows are appended before the next effect runs, so
 * the world is arranged for the next outcome in time.
 *
 * Returns what happened; check-run.ts asserts on it and disposes of it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryClouds, type MemoryCloud } from '../../../adapters/cloud/memory.ts';
import { createNodeScrypt } from '../../../adapters/kdf/node-scrypt.ts';
import { openMemoryEventStore } from '../../../adapters/store/memory-event-store.ts';
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import type { SqlEventStore } from '../../../adapters/store/sql-event-store.ts';
import { openSqliteEventStore } from '../../../adapters/store/sqlite-event-store.ts';
import type { Sqlite3Static } from '../../../adapters/store/sqlite-wasm-driver.ts';
import { openSqliteWasmEventStore } from '../../../adapters/store/sqlite-wasm-event-store.ts';
import type { ProviderId } from '../../../machines/events.ts';
import { createBackupEngine, type BackupEngineOptions } from '../../../src/engine/index.ts';
import type { FlowBase } from '../../../src/engine/flow-types.ts';
import { normalizeMnemonic } from '../../../src/format/index.ts';
import { createStepRecorder, type ExecutedStep, type ModelPath } from '../../../src/model/index.ts';
import type { StoredRow } from '../../../src/ports/event-store.ts';
import type { ScryptKdf } from '../../../src/ports/kdf.ts';
import { compareRow } from './compare-row.ts';
import { MODEL_RETRY_ATTEMPTS } from '../../../src/model/variants-common.ts';
import { planFor } from './plan.ts';
import { createScriptedDrive } from './scripted-drive.ts';
import { backUp, startFlow } from './start-flow.ts';
import { ALICE, INVALID_MNEMONICS, NEW_PASSWORD, OTHER_24, PASSWORD } from './secrets.ts';
import { createWorld, USER_EVENTS, type AnyFlow } from './world.ts';

export const MODEL_LOG_N = 10;

export interface RunOptions {
  scryptLogN?: number;
  /** Test-only machine definitions for the device's engine (mutants). */
  machines?: BackupEngineOptions['machines'];
  /** The path's cloud (default: a memory cloud); the HTTP run passes the Drive adapter over its emulator (http-cloud.ts). */
  cloudFor?: (provider: ProviderId) => MemoryCloud;
  /** The device's log: better-sqlite3 on a file (default), or SQLite in WebAssembly in memory (issue 15). */
  storeKind?: 'better-sqlite3' | 'sqlite-wasm';
}

let wasmModule: Promise<Sqlite3Static> | null = null;

/** The device's event log: a file through better-sqlite3, or sqlite-wasm in memory. */
async function openDeviceLog(kind: RunOptions['storeKind'], dbPath: string): Promise<SqlEventStore> {
  if (kind !== 'sqlite-wasm') return openSqliteEventStore({ path: dbPath });
  wasmModule ??= sqlite3InitModule({ print: () => {}, printErr: () => {} });
  return openSqliteWasmEventStore({ sqlite3: await wasmModule });
}

export interface RunResult {
  path: ModelPath;
  /** Divergences from the path, in order; empty when the engine followed it. */
  problems: string[];
  /** The flow's rows as the engine appended them. */
  rows: StoredRow[];
  /** What the device's actors really did (coverage). */
  executed: ExecutedStep[];
  dir: string;
  dbPath: string;
  /** The device's log; check-run scans its bytes (the file and its WAL, or the wasm driver's export). */
  store: SqlEventStore;
  cloud: MemoryCloud;
  kdf: ScryptKdf;
  scryptLogN: number;
  /** Every password and mnemonic the run used (R6 needles). */
  secrets: string[];
  /** For a backup that ended done: what a restore must give back. */
  completedBackup: { walletId: string; password: string; mnemonic: string } | null;
}

export async function runPath(path: ModelPath, options: RunOptions = {}): Promise<RunResult> {
  const scryptLogN = options.scryptLogN ?? MODEL_LOG_N;
  const dir = mkdtempSync(join(tmpdir(), 'wbe-model-'));
  const dbPath = join(dir, 'device.db');
  const store = await openDeviceLog(options.storeKind, dbPath);
  const kdf = createNodeScrypt();
  const provider = path.input.provider as ProviderId;
  const clouds = createMemoryClouds({ account: ALICE });
  const cloud = options.cloudFor?.(provider) ?? clouds[provider];
  const drive = createScriptedDrive(cloud);
  const recorder = createStepRecorder();
  recorder.paused = true;
  const engine = createBackupEngine({
    eventLog: store,
    clouds: { ...clouds, [provider]: drive },
    kdf,
    scryptLogN,
    device: { id: 'model-device' },
    inspect: recorder.inspect,
    beforeEffect: (effect) => drive.beforeEffect(effect),
    // Machines v3: 2 tries per step, no waits (a transient failure after one retry spends it).
    retry: { attempts: MODEL_RETRY_ATTEMPTS, baseDelayMs: 0, maxDelayMs: 0, totalMs: 3_600_000 },
    sleep: drive.sleep,
    ...(options.machines ? { machines: options.machines } : {}),
  });
  const plan = planFor(path);
  const problems: string[] = [];
  const rows: StoredRow[] = [];
  const result: RunResult = { path, problems, rows, executed: recorder.steps, dir, dbPath, store, cloud, kdf, scryptLogN, secrets: [], completedBackup: null };

  // Preconditions: the device's active provider, another account's backups in the device's log.
  const switchDeviceTo = async (to: ProviderId) => {
    const paused = recorder.paused;
    recorder.paused = true;
    const earlier = await engine.switchProvider({ to });
    if (earlier.view().meta.waitsFor?.includes('CONFIRM')) await earlier.confirm();
    recorder.paused = paused;
  };
  try {
    if (plan.activeBefore !== null) await switchDeviceTo(plan.activeBefore);
    if (plan.deviceBackupBy !== null) {
      cloud.device.setAccount(plan.deviceBackupBy);
      await backUp(engine, provider, [OTHER_24]);
      cloud.device.setAccount(ALICE);
    }
  } catch (error) {
    problems.push(`harness: preconditions failed: ${String(error)}`);
    return result;
  }
  // Alice's own backups are made "on another device": an engine with its own log, on the same cloud.
  const elsewhere = createBackupEngine({ eventLog: openMemoryEventStore(), clouds: { [provider]: cloud }, kdf, scryptLogN });
  const backUpElsewhere = (mnemonics: string[]) => backUp(elsewhere, provider, mnemonics);
  const world = createWorld({ path, cloud, drive, kdf, scryptLogN, backUpElsewhere, existing: plan.existing, switchDeviceTo });
  result.secrets = [PASSWORD, NEW_PASSWORD, OTHER_24, ...Object.values(INVALID_MNEMONICS), ...(plan.mnemonic ? [plan.mnemonic] : []), ...plan.existing];

  let flowId: string | null = null;
  let halted = false;
  const subscription = engine.rows$.subscribe((row) => {
    if (row.machineId !== path.machineId) return;
    if (flowId === null && row.position === 0) flowId = row.flowId;
    if (row.flowId !== flowId) return;
    rows.push(row);
    const problem = halted ? null : compareRow(path, row);
    if (problem) problems.push(problem);
    halted ||= problem !== null;
    const next = rows.length;
    drive.arrange(halted ? Promise.resolve() : world.prepare(next).catch((e: unknown) => void problems.push(`world at step ${next}: ${String(e)}`)));
  });
  recorder.paused = false;
  let flow: (AnyFlow & FlowBase) | null = null;
  try {
    flow = await startFlow(engine, path, plan);
    for (let i = 1; i < path.steps.length && problems.length === 0; i++) {
      const event = path.steps[i]!.event;
      if (!USER_EVENTS.has(event.type)) continue;
      // A CANCEL while the step backs off was the interrupted backoff (scripted-drive.ts), not an act on a resting flow.
      if (event.type === 'CANCEL' && path.steps[i - 1]!.event.type === 'NETWORK.RETRYING') continue;
      const view = flow!.view();
      const here = JSON.stringify(path.steps[i - 1]!.state);
      if (rows.length !== i || JSON.stringify(view.state) !== here || !view.meta.waitsFor?.includes(event.type)) {
        problems.push(`step ${i}: the path has the person send ${event.type} at ${here}; the engine rests at ${JSON.stringify(view.state)} after ${rows.length} rows, waiting for ${view.meta.waitsFor?.join(', ') ?? 'nothing'}`);
        break;
      }
      await world.act(flow!, i);
    }
    if (flow) await flow.settled();
  } catch (error) {
    problems.push(`the engine threw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  } finally {
    subscription.unsubscribe();
    recorder.paused = true;
  }
  if (problems.length === 0 && rows.length !== path.steps.length) {
    problems.push(`the engine logged ${rows.length} transitions; the path has ${path.steps.length}`);
  }
  const last = JSON.stringify(path.steps.at(-1)!.state);
  if (problems.length === 0 && flow && JSON.stringify(flow.view().state) !== last) {
    problems.push(`the flow ended at ${JSON.stringify(flow.view().state)}; the path at ${last}`);
  }
  result.secrets.push(...world.typed);
  const outcome = flow && 'result' in flow ? (flow.result as () => { outcome: string; walletId: string | null; epoch: number | null })() : null;
  if (path.machineId === 'backup' && outcome?.outcome === 'done' && outcome.walletId) {
    result.completedBackup = { walletId: outcome.walletId, password: world.passwordOf(outcome.epoch ?? 1), mnemonic: normalizeMnemonic(plan.mnemonic!) };
  }
  return result;
}
