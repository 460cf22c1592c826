/**
 * Issue 13, item 6: retries belong to the engine. A transient cloud failure is retried under the
 * engine's RetryPolicy as logged transitions (NETWORK.RETRYING -> backingOff -> BACKOFF.DONE,
 * machines version 3); a spent budget waits for the person's RETRY (NETWORK.FAILED) with a fresh
 * budget; a person's CANCEL interrupts the wait; re-running the upload after a transient failure
 * at any of its cloud calls is safe; the log audits clean.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryClouds, type MemoryCloud } from '../../adapters/cloud/memory.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { auditLog } from '../../src/audit/index.ts';
import { createBackupEngine, type BackupEngineOptions } from '../../src/engine/index.ts';
import type { BackoffSleep } from '../../src/engine/backoff-sleep.ts';
import { CloudError, type CloudDrive } from '../../src/ports/cloud-drive.ts';
import type { RetryPolicy } from '../../src/ports/retry.ts';
import { ALICE, MNEMONIC_12, PASSWORD, TEST_LOG_N } from './engine-helpers.ts';
import { allRows, eventIs, expectLogConsistent, whenRow } from './scenario-helpers.ts';

const POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, totalMs: 10_000 };
const DROPPED = { transient: { reason: 'connection dropped' } };

/** An engine on memory clouds whose backoff records its waits instead of sleeping (jitter fixed at 0.5). */
function setup(extra: Partial<BackupEngineOptions> & { drive?: (cloud: MemoryCloud) => CloudDrive } = {}) {
  const clouds = createMemoryClouds({ account: ALICE });
  const store = openMemoryEventStore();
  const waits: number[] = [];
  const sleep: BackoffSleep = async (ms) => {
    waits.push(ms);
    return 'slept';
  };
  const { drive, ...options } = extra;
  const engine = createBackupEngine({
    eventLog: store,
    clouds: { ...clouds, gdrive: drive ? drive(clouds.gdrive) : clouds.gdrive },
    kdf: createNodeScrypt(),
    scryptLogN: TEST_LOG_N,
    device: { id: 'phone' },
    retry: POLICY,
    sleep,
    random: () => 0.5,
    ...options,
  });
  return { engine, clouds, store, waits };
}

function writes(cloud: MemoryCloud): number {
  const counts = cloud.opCounts();
  return counts.write + counts.create;
}

async function payloads(store: ReturnType<typeof openMemoryEventStore>, type: string) {
  return (await allRows(store)).filter(eventIs(type)).map((row) => JSON.parse(row.payload) as Record<string, unknown>);
}

describe('logged retries (machines version 3)', () => {
  it('two transient failures of the upload are two logged retries with their backoff, then the backup is done, restorable, and audits clean', async () => {
    const { engine, clouds, store, waits } = setup();
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    whenRow(engine, eventIs('WALLET.ENCRYPTED'), () => {
      clouds.gdrive.faults.failNext('any', 'network', { transient: { reason: 'HTTP 503' } });
      clouds.gdrive.faults.failNext('any', 'network', { transient: { reason: 'HTTP 429', retryAfterMs: 700 } });
    });
    await flow.choosePassword(PASSWORD, PASSWORD);
    expect(flow.result()).toMatchObject({ outcome: 'done', epoch: 1 });
    expect(flow.context().retry).toBeNull();
    // Full jitter at 0.5 of min(1000, 100 * 2^(n-1)): 50, then the provider's 700 ms floor.
    expect(await payloads(store, 'NETWORK.RETRYING')).toEqual([
      { operation: 'upload', attempt: 1, delayMs: 50, reason: 'HTTP 503' },
      { operation: 'upload', attempt: 2, delayMs: 700, reason: 'HTTP 429' },
    ]);
    expect(waits).toEqual([50, 700]);
    const rows = await allRows(store);
    const backup = rows.filter((row) => row.flowId === flow.id);
    const first = backup.findIndex(eventIs('NETWORK.RETRYING'));
    expect(backup.map((row) => [row.fromState, row.eventType, row.toState]).slice(first, first + 5)).toEqual([
      ['{"uploading":"running"}', 'NETWORK.RETRYING', '{"uploading":"backingOff"}'],
      ['{"uploading":"backingOff"}', 'BACKOFF.DONE', '{"uploading":"running"}'],
      ['{"uploading":"running"}', 'NETWORK.RETRYING', '{"uploading":"backingOff"}'],
      ['{"uploading":"backingOff"}', 'BACKOFF.DONE', '{"uploading":"running"}'],
      ['{"uploading":"running"}', 'UPLOAD.DONE', '{"verifying":"running"}'],
    ]);
    expect(backup[0]!.machineVersion).toBe(3);
    await expectLogConsistent(store);
    const report = await auditLog(rows);
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.machines).toMatchObject({ 'backup@3': 1 });

    const restore = await engine.restore({ provider: 'gdrive', walletId: flow.result().walletId! });
    await restore.enterPassword(PASSWORD);
    expect(restore.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
  });

  it('a spent budget is NETWORK.FAILED: the step waits for the person, its context says how many tries; RETRY starts a fresh budget', async () => {
    const { engine, clouds, store } = setup();
    for (let i = 0; i < POLICY.attempts; i++) clouds.gdrive.faults.failNext('any', 'network', DROPPED);
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect(flow.view().state).toEqual({ loadingKeyring: 'networkError' });
    expect(flow.view().meta).toEqual({ waitsFor: ['RETRY', 'CANCEL'], reason: 'network' });
    expect(flow.context().retry).toEqual({ operation: 'loadKeyring', attempt: 2, delayMs: 100, reason: 'connection dropped' });
    expect(flow.view().retry).toEqual(flow.context().retry);
    expect((await payloads(store, 'NETWORK.RETRYING')).map((p) => p.attempt)).toEqual([1, 2]);
    expect(await payloads(store, 'NETWORK.FAILED')).toEqual([{ operation: 'loadKeyring' }]);
    // The person's RETRY: a fresh budget of three tries (two more failures are retried, the third try succeeds).
    clouds.gdrive.faults.failNext('any', 'network', DROPPED);
    clouds.gdrive.faults.failNext('any', 'network', DROPPED);
    expect((await flow.retry()).state).toBe('choosingPassword');
    expect(flow.context().retry).toBeNull();
    expect(flow.view().retry).toBeNull();
    expect((await payloads(store, 'NETWORK.RETRYING')).map((p) => p.attempt)).toEqual([1, 2, 1, 2]);
    await expectLogConsistent(store);
  });

  it('a network failure that is not transient (an answer the adapter does not handle) is not retried', async () => {
    const { engine, clouds, store, waits } = setup();
    clouds.gdrive.faults.failNext('any', 'network');
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect(flow.view().state).toEqual({ loadingKeyring: 'networkError' });
    expect(await payloads(store, 'NETWORK.RETRYING')).toEqual([]);
    expect(waits).toEqual([]);
  });

  it('no retry starts past the total time: a provider asking for a longer wait than the budget is NETWORK.FAILED at once', async () => {
    const { engine, clouds, store } = setup();
    clouds.gdrive.faults.failNext('any', 'network', { transient: { reason: 'HTTP 429', retryAfterMs: POLICY.totalMs + 1 } });
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect(flow.view().state).toEqual({ loadingKeyring: 'networkError' });
    expect(await payloads(store, 'NETWORK.RETRYING')).toEqual([]);
  });

  it('storage full is never retried', async () => {
    const { engine, clouds, store } = setup();
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    clouds.gdrive.faults.quotaFull();
    await flow.choosePassword(PASSWORD, PASSWORD);
    expect(flow.view().state).toEqual({ uploading: 'storageFull' });
    expect(await payloads(store, 'NETWORK.RETRYING')).toEqual([]);
  });

  it('a person\'s CANCEL while the step backs off interrupts the wait: the flow ends cancelled, logged, and the step is not tried again', async () => {
    let sleeping: () => void = () => undefined;
    const asleep = new Promise<void>((resolve) => (sleeping = resolve));
    const held: BackoffSleep = (_ms, interrupt) =>
      new Promise((resolve) => {
        sleeping();
        interrupt.onInterrupt(() => resolve('interrupted'));
      });
    const { engine, clouds, store } = setup({ sleep: held });
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    clouds.gdrive.faults.failNext('any', 'network', DROPPED);
    const choosing = flow.choosePassword(PASSWORD, PASSWORD);
    await asleep;
    expect(flow.view().state).toEqual({ uploading: 'backingOff' });
    expect(flow.context().retry).toMatchObject({ operation: 'upload', attempt: 1 });
    const writesBefore = writes(clouds.gdrive);
    expect((await flow.cancel()).state).toBe('cancelled');
    await choosing;
    expect(flow.result().outcome).toBe('cancelled');
    expect(writes(clouds.gdrive)).toBe(writesBefore);
    const rows = (await allRows(store)).filter((row) => row.flowId === flow.id);
    expect(rows.slice(-2).map((row) => row.eventType)).toEqual(['NETWORK.RETRYING', 'CANCEL']);
    await expectLogConsistent(store);
  });

  it('engine.listBackups uses the same policy (nothing logged) and says how many tries a failure took', async () => {
    const { engine, clouds, store, waits } = setup();
    clouds.gdrive.faults.failNext('any', 'network', DROPPED);
    expect((await engine.listBackups({ provider: 'gdrive' })).ok).toBe(true);
    expect(waits).toEqual([50]);
    for (let i = 0; i < POLICY.attempts; i++) clouds.gdrive.faults.failNext('list', 'network', DROPPED);
    const failed = await engine.listBackups({ provider: 'gdrive' });
    expect(failed).toMatchObject({ ok: false, problem: 'NETWORK.FAILED', detail: { operation: 'listBackups', tries: 3 } });
    expect(await allRows(store)).toEqual([]);
  });

  it('refuses a retry policy it cannot apply', () => {
    expect(() => setup({ retry: { ...POLICY, attempts: 0 } })).toThrow(/retry policy is not usable: attempts must be at least 1/);
  });
});

/** Counts the drive's calls once armed, and fails the `failAt`-th with a transient error (0: never). */
function failingAt(failAt: number) {
  const state = { armed: false, calls: 0 };
  const wrap = (cloud: MemoryCloud): CloudDrive => {
    const call = <T>(run: () => Promise<T>): Promise<T> => {
      if (state.armed) {
        state.calls += 1;
        if (state.calls === failAt) return Promise.reject(new CloudError('network', 'dropped', undefined, { transient: true, reason: 'connection dropped' }));
      }
      return run();
    };
    return {
      provider: cloud.provider,
      status: () => call(() => cloud.status()),
      read: (path, limit) => call(() => cloud.read(path, limit)),
      write: (path, bytes) => call(() => cloud.write(path, bytes)),
      create: (path, bytes) => call(() => cloud.create(path, bytes)),
      list: (prefix) => call(() => cloud.list(prefix)),
      delete: (path) => call(() => cloud.delete(path)),
      quota: () => call(() => cloud.quota()),
    };
  };
  return { state, wrap };
}

describe('re-running the upload after a transient failure at any of its cloud calls is safe', () => {
  async function bindWithFailureAt(failAt: number) {
    const failing = failingAt(failAt);
    const { engine, store, clouds } = setup({ drive: failing.wrap });
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    whenRow(engine, eventIs('WALLET.ENCRYPTED'), () => (failing.state.armed = true));
    whenRow(engine, eventIs('UPLOAD.DONE'), () => (failing.state.armed = false));
    await flow.choosePassword(PASSWORD, PASSWORD);
    return { flow, store, engine, clouds, calls: failing.state.calls };
  }

  it('every call of a binding upload, failed once, is one logged retry; the backup is done under its own keyring, never KEYRING.TAKEN', async () => {
    const clean = await bindWithFailureAt(0);
    expect(clean.flow.result().outcome).toBe('done');
    const uploadCalls = clean.calls;
    // status, quota, the keyring's create, the wallet checks and the record's write at least.
    expect(uploadCalls).toBeGreaterThanOrEqual(5);
    for (let failAt = 1; failAt <= uploadCalls; failAt++) {
      const { flow, store, engine } = await bindWithFailureAt(failAt);
      expect([failAt, flow.result().outcome]).toEqual([failAt, 'done']);
      expect([failAt, (await payloads(store, 'NETWORK.RETRYING')).map((p) => p.operation)]).toEqual([failAt, ['upload']]);
      expect([failAt, await payloads(store, 'KEYRING.TAKEN')]).toEqual([failAt, []]);
      const restore = await engine.restore({ provider: 'gdrive', walletId: flow.result().walletId! });
      await restore.enterPassword(PASSWORD);
      expect([failAt, restore.result().mnemonic]).toEqual([failAt, MNEMONIC_12]);
      await expectLogConsistent(store);
    }
  });
});
