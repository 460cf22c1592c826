/**
 * Shared checks and fault hooks for the engine scenarios.
 *
 * - expectLogConsistent(store): E4/E5 after a scenario: one hash chain, every flow's positions
 *   0..n without gaps, every flow replays through its released machine, summaries match the
 *   rows, and no payload has a field named like a secret (R6).
 * - whenRow(engine, match, action): runs `action` once, right after the first matching row is
 *   appended and before the flow runs its next effect, so a fault can be aimed at one step.
 * - cloud inspection: the listed wallet ids (entries and a legacy manifest), every stored file's
 *   bytes, byte scans (R2).
 */
import { expect } from 'vitest';
import type { Unsubscribable } from '../../src/engine/index.ts';
import type { MemoryCloud } from '../../adapters/cloud/memory.ts';
import { networkError } from '../../adapters/cloud/drive-errors.ts';
import { findMachine } from '../../machines/registry.ts';
import type { BackupEngine } from '../../src/engine/index.ts';
import { EngineError, type EngineErrorCode } from '../../src/engine/index.ts';
import { decodeManifest, MANIFEST_PATH, openKeyring, keyringPath, parseRecordPath, type EpochIdentity } from '../../src/format/index.ts';
import { replayFlow, verifyChain } from '../../src/log/index.ts';
import type { EventStore, StoredRow } from '../../src/ports/event-store.ts';
import type { ProviderId } from '../../src/ports/providers.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';

const SECRET_FIELD_NAME = /password|passphrase|mnemonic|seed|secret|identity|recipient|private/i;

async function readAllRows(store: EventStore): Promise<StoredRow[]> {
  const rows: StoredRow[] = [];
  for await (const row of store.readAll()) rows.push(row);
  return rows;
}

function fieldNames(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) fieldNames(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [name, inner] of Object.entries(value)) {
      out.push(name);
      fieldNames(inner, out);
    }
  }
  return out;
}

/**
 * E4/E5: the whole log is one valid hash chain; each flow's rows are positions 0..n in order;
 * each flow replays through findMachine(machineId, machineVersion) to the recorded states; each
 * flow summary names its last row's state; no payload field is named like a secret (R6).
 * Returns the rows for further checks.
 */
export async function expectLogConsistent(store: EventStore): Promise<StoredRow[]> {
  const rows = await readAllRows(store);
  expect(rows.length).toBeGreaterThan(0);
  expect(await verifyChain(rows)).toEqual({ ok: true, rows: rows.length });
  expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));

  const byFlow = new Map<string, StoredRow[]>();
  for (const row of rows) byFlow.set(row.flowId, [...(byFlow.get(row.flowId) ?? []), row]);

  const summaries = new Map((await store.flows()).map((f) => [f.flowId, f]));
  expect([...summaries.keys()].sort()).toEqual([...byFlow.keys()].sort());

  for (const [flowId, flowRows] of byFlow) {
    expect(flowRows.map((r) => r.position), `positions of flow ${flowId}`).toEqual(flowRows.map((_, i) => i));
    expect(await store.readFlow(flowId)).toEqual(flowRows);
    const first = flowRows[0]!;
    expect(first.eventType).toBe('xstate.init');
    expect(new Set(flowRows.map((r) => `${r.machineId}@${r.machineVersion}`)).size).toBe(1);
    const release = findMachine(first.machineId, first.machineVersion);
    expect(release.ok, `machine ${first.machineId} v${first.machineVersion} is released`).toBe(true);
    if (!release.ok) continue;
    const replay = replayFlow(release.machine, flowRows);
    expect(replay.ok ? 'replays' : JSON.stringify(replay), `replay of ${first.machineId} flow ${flowId}`).toBe('replays');

    const last = flowRows[flowRows.length - 1]!;
    const summary = summaries.get(flowId)!;
    expect(summary.state).toBe(last.toState);
    expect(summary.lastPosition).toBe(last.position);
    expect(summary.machineId).toBe(first.machineId);

    for (const row of flowRows) {
      const names = fieldNames(JSON.parse(row.payload));
      expect(names.filter((n) => SECRET_FIELD_NAME.test(n)), `secret-named fields in ${row.eventType}`).toEqual([]);
    }
  }
  return rows;
}

/** Every row of the log, in seq order. */
export const allRows = readAllRows;

/** Runs `action` once, right after the first appended row that matches (before the next effect runs). */
export function whenRow(engine: BackupEngine, match: (row: StoredRow) => boolean, action: (row: StoredRow) => void): Unsubscribable {
  let fired = false;
  const subscription = engine.rows$.subscribe((row) => {
    if (fired || !match(row)) return;
    fired = true;
    action(row);
  });
  return subscription;
}

export const eventIs = (type: string) => (row: StoredRow) => row.eventType === type;

/**
 * The memory cloud's status() only asks the simulated device and never fails; a real drive can
 * fail to reach the account service. Makes the next status() call throw a network CloudError.
 */
export function failNextStatus(cloud: MemoryCloud): void {
  const original = cloud.status.bind(cloud);
  let armed = true;
  cloud.status = async () => {
    if (armed) {
      armed = false;
      throw networkError(cloud.provider, 'the account service could not be reached');
    }
    return original();
  };
}

/**
 * The wallet ids an account lists: a listing entry each (layout 2), plus those of a layout-1
 * manifest, sorted. A record with neither is not listed (a backup that did not finish).
 */
export function listedWalletIds(cloud: MemoryCloud, account: string): string[] {
  const files = cloud.files.snapshot()[account] ?? {};
  const ids = new Set<string>();
  for (const path of Object.keys(files)) {
    const found = parseRecordPath(path);
    if (found?.kind === 'listing') ids.add(found.walletId);
  }
  const manifest = files[MANIFEST_PATH];
  if (manifest !== undefined) for (const w of decodeManifest(manifest, account).wallets) ids.add(w.walletId);
  return [...ids].sort();
}

export function storedFile(cloud: MemoryCloud, account: string, path: string): Uint8Array | undefined {
  return cloud.files.snapshot()[account]?.[path];
}

/** Every stored file of every provider and account: "provider:account:path" → bytes. */
export function allCloudFiles(clouds: Record<ProviderId, MemoryCloud>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [provider, cloud] of Object.entries(clouds)) {
    for (const [account, files] of Object.entries(cloud.files.snapshot())) {
      for (const [path, bytes] of Object.entries(files)) out.set(`${provider}:${account}:${path}`, bytes);
    }
  }
  return out;
}

/** Files whose bytes contain a needle in any normalisation form, as UTF-8 or UTF-16LE (R2). */
export function cloudFilesContaining(clouds: Record<ProviderId, MemoryCloud>, needles: readonly string[]): string[] {
  const hits: string[] = [];
  for (const [name, bytes] of allCloudFiles(clouds)) {
    const content = Buffer.from(bytes);
    for (const needle of needles) {
      if (needle === '') continue;
      const forms = new Set(['NFC', 'NFD', 'NFKC', 'NFKD'].map((f) => needle.normalize(f)));
      const found = [...forms].some((form) => content.includes(Buffer.from(form, 'utf8')) || content.includes(Buffer.from(form, 'utf16le')));
      if (found) hits.push(`${name} contains ${JSON.stringify(needle.slice(0, 12))}...`);
    }
  }
  return hits;
}

/** Opens an account's epoch keyring with the password, as a person with the standard tools could. */
export async function epochIdentity(cloud: MemoryCloud, account: string, epoch: number, password: string): Promise<EpochIdentity> {
  const bytes = storedFile(cloud, account, keyringPath(epoch));
  if (bytes === undefined) throw new Error(`no keyring for epoch ${epoch}`);
  return openKeyring(bytes, password, { accountId: account, epoch }, createNodeScrypt());
}

/** Expects the promise to reject with an EngineError of this code; returns it. */
export async function expectEngineError(promise: Promise<unknown>, code: EngineErrorCode): Promise<EngineError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  expect((error as EngineError).code).toBe(code);
  return error as EngineError;
}

export async function rowCount(store: EventStore): Promise<number> {
  return (await readAllRows(store)).length;
}
