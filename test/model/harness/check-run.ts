/**
 * What every executed path must show (issue 3, item 3):
 * - the engine followed the path: at every step its logged transition and state are the path's
 *   (checked row by row while it ran, run-path.ts), and it rested where the path waits;
 * - the SQLite log, read back from the file, holds exactly the path's transitions in order,
 *   and its hash chain verifies (E4);
 * - no password and no mnemonic in the database file or its WAL (R6);
 * - the logged events replay through the released pure machine to the same states (E5);
 * - a backup that ended done restores, through a second engine on an empty database and the
 *   same cloud, to the same mnemonic (R14).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { openSqliteEventStore } from '../../../adapters/store/sqlite-event-store.ts';
import { MEMORY_DEFAULT_QUOTA_BYTES } from '../../../adapters/cloud/memory.ts';
import { findMachine } from '../../../machines/registry.ts';
import type { ProviderId } from '../../../machines/events.ts';
import { createBackupEngine } from '../../../src/engine/index.ts';
import { replayFlow, verifyChain } from '../../../src/log/index.ts';
import { findBytesInFiles } from '../../helpers/scan-files.ts';
import type { RunResult } from './run-path.ts';
import { ALICE } from './secrets.ts';

async function restoresTheMnemonic(run: RunResult): Promise<void> {
  const backup = run.completedBackup!;
  const provider = run.path.input.provider as ProviderId;
  const { cloud } = run;
  cloud.faults.clear();
  cloud.device.setAccount(ALICE);
  cloud.device.setHms('ok');
  cloud.device.setQuotaBytes(MEMORY_DEFAULT_QUOTA_BYTES);
  const fresh = openSqliteEventStore({ path: join(run.dir, 'reinstalled.db') });
  try {
    const engine = createBackupEngine({ eventLog: fresh, clouds: { [provider]: cloud }, kdf: run.kdf, scryptLogN: run.scryptLogN });
    const restore = await engine.restore({ provider, walletId: backup.walletId });
    expect(restore.view().state, 'restore on an empty database').toBe('enteringPassword');
    await restore.enterPassword(backup.password);
    expect(restore.result()).toMatchObject({ outcome: 'done', walletId: backup.walletId, mnemonic: backup.mnemonic });
  } finally {
    await fresh.close();
  }
}

export async function checkRun(run: RunResult): Promise<void> {
  const { path, store } = run;
  expect(run.problems, `${path.id}: ${path.description}`).toEqual([]);

  const flowId = run.rows[0]!.flowId;
  const logged = await store.readFlow(flowId);
  expect(logged.map((r) => [r.eventType, r.toState])).toEqual(path.steps.map((s) => [s.event.type, JSON.stringify(s.state)]));
  expect(await verifyChain(store.readAll())).toMatchObject({ ok: true });

  // The database's bytes: the file and its WAL, or what the wasm driver exports (in memory, no file).
  const wasm = store.driver.name === 'sqlite-wasm';
  if (wasm) writeFileSync(run.dbPath, await store.driver.exportBytes!());
  expect(findBytesInFiles(wasm ? [run.dbPath] : [run.dbPath, `${run.dbPath}-wal`], run.secrets)).toEqual([]);

  const release = findMachine(logged[0]!.machineId, logged[0]!.machineVersion);
  if (!release.ok) throw new Error(`no released machine ${logged[0]!.machineId} v${logged[0]!.machineVersion}`);
  expect(replayFlow(release.machine, logged)).toMatchObject({ ok: true });

  if (run.completedBackup) await restoresTheMnemonic(run);
}

/** Closes the run's database and removes its folder. */
export async function disposeRun(run: RunResult): Promise<void> {
  await run.store.close();
  rmSync(run.dir, { recursive: true, force: true });
}
