/**
 * Anchoring (issue 4): after every completed backup the engine writes the log's head into the
 * cloud, authenticated with a key only the backup password unlocks; audit compares the log
 * against the newest checkpoint of each account and reports a log cut or rewritten after it,
 * and a checkpoint the provider forged. Nothing secret is in a checkpoint (R6).
 */
import { describe, expect, it } from 'vitest';
import type { MemoryCloud } from '../../adapters/cloud/memory.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { auditLog } from '../../src/audit/audit-log.ts';
import { readCheckpoints, type CheckpointFile } from '../../src/audit/checkpoint-auth.ts';
import { CHECKPOINTS_FOLDER, checkpointKey, checkpointMacValid, checkpointPath, decodeCheckpoint, encodeCheckpoint } from '../../src/log/checkpoint.ts';
import { keyringPath } from '../../src/format/layout.ts';
import type { ProviderId } from '../../src/ports/providers.ts';
import { ALICE, bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_12B, MNEMONIC_24, PASSWORD } from '../engine/engine-helpers.ts';
import { allRows, cloudFilesContaining, epochIdentity, storedFile } from '../engine/scenario-helpers.ts';
import { errors, rechain } from './audit-helpers.ts';

function checkpointFiles(clouds: Record<ProviderId, MemoryCloud>): CheckpointFile[] {
  const files: CheckpointFile[] = [];
  for (const [provider, cloud] of Object.entries(clouds)) {
    for (const [account, stored] of Object.entries(cloud.files.snapshot())) {
      for (const [path, bytes] of Object.entries(stored)) {
        if (path.startsWith(`${CHECKPOINTS_FOLDER}/`)) files.push({ provider, account, path: `${provider}/${account}/${path}`, bytes });
      }
    }
  }
  return files;
}

async function checkpointsOf(clouds: Record<ProviderId, MemoryCloud>, password: string | null) {
  return readCheckpoints(checkpointFiles(clouds), {
    password,
    kdf: createNodeScrypt(),
    readKeyring: async (provider, account, epoch) => storedFile(clouds[provider as ProviderId], account, keyringPath(epoch)) ?? null,
  });
}

/** Three completed backups to gdrive/alice, the second with a confirmed offline copy. */
async function threeBackups() {
  const setup = engineOn();
  const { engine } = setup;
  await bindFirstBackup(engine);
  const second = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, walletName: 'Savings', offlineCopyConfirmed: true });
  await second.enterPassword(PASSWORD);
  const third = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12B, walletName: 'Spare' });
  await third.enterPassword(PASSWORD);
  return setup;
}

describe('issue 4: the engine anchors its log in the cloud after each completed backup', () => {
  it('E4 R6: a checkpoint names the log\'s head after done (and after the offline-copy record), MAC keyed by the epoch identity, nothing secret', async () => {
    const { engine, clouds, store } = engineOn();
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12, walletName: 'Main', offlineCopyConfirmed: true });
    await flow.choosePassword(PASSWORD, PASSWORD);
    const rows = await allRows(store);
    const head = rows.at(-1)!;
    expect(head.machineId).toBe('offlineCopy');
    const bytes = storedFile(clouds.gdrive, ALICE, checkpointPath(rows[0]!.hash))!;
    expect(bytes).toBeDefined();
    const decoded = decodeCheckpoint(bytes);
    expect(decoded.ok).toBe(true);
    const checkpoint = decoded.ok ? decoded.checkpoint : null!;
    expect(checkpoint).toMatchObject({ logId: rows[0]!.hash, deviceId: 'test-device', provider: 'gdrive', account: ALICE, epoch: 1, seq: head.seq, flowId: head.flowId, position: head.position, hash: head.hash });
    const identity = await epochIdentity(clouds.gdrive, ALICE, 1, PASSWORD);
    expect(checkpointMacValid(checkpoint, checkpointKey(identity.identity))).toBe(true);
    expect(checkpointMacValid(checkpoint, new Uint8Array(32))).toBe(false);
    expect(cloudFilesContaining(clouds, [MNEMONIC_12, PASSWORD, identity.identity, identity.recipient, 'AGE-SECRET-KEY-1'])).toEqual([]);
  });

  it('E4: no checkpoint for a backup that does not complete, nor for restores', async () => {
    const { engine, clouds, store } = engineOn();
    const cancelled = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    await cancelled.cancel();
    expect(checkpointFiles(clouds)).toEqual([]);
    const done = await bindFirstBackup(engine);
    const before = storedFile(clouds.gdrive, ALICE, checkpointPath((await allRows(store))[0]!.hash));
    const restore = await engine.restore({ provider: 'gdrive', walletId: done.result().walletId! });
    await restore.enterPassword(PASSWORD);
    expect(storedFile(clouds.gdrive, ALICE, checkpointPath((await allRows(store))[0]!.hash))).toEqual(before);
  });

  it('E4: a failed checkpoint write never fails the backup (it is done and verified already)', async () => {
    const { engine, clouds } = engineOn();
    const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    const write = clouds.gdrive.write.bind(clouds.gdrive);
    clouds.gdrive.write = async (path, bytes) => {
      if (path.startsWith(CHECKPOINTS_FOLDER)) throw new Error('the drive went away');
      return write(path, bytes);
    };
    expect((await flow.choosePassword(PASSWORD, PASSWORD)).state).toBe('done');
    expect(checkpointFiles(clouds)).toEqual([]);
  });
});

describe('issue 4: audit --cloud compares the log with the newest checkpoint', () => {
  it('E4: an intact log matches every checkpoint; with the password each MAC verifies, without it they are compared but marked unverified', async () => {
    const { clouds, store } = await threeBackups();
    const rows = await allRows(store);
    const verified = await auditLog(rows, { checkpoints: await checkpointsOf(clouds, PASSWORD) });
    expect(verified.ok).toBe(true);
    expect(verified.checkpoints).toEqual([expect.objectContaining({ provider: 'gdrive', account: ALICE, seq: rows.at(-1)!.seq, status: 'ok', authenticity: 'verified' })]);
    expect(verified.counts.warning).toBe(0);

    const unverified = await auditLog(rows, { checkpoints: await checkpointsOf(clouds, null) });
    expect(unverified.ok).toBe(true);
    expect(unverified.checkpoints![0]).toMatchObject({ status: 'ok', authenticity: 'unverified', note: 'no backup password given' });
    expect(unverified.findings.some((f) => f.kind === 'checkpoint-unverified' && f.severity === 'warning')).toBe(true);

    const other = await auditLog(rows, { checkpoints: await checkpointsOf(clouds, 'not the password') });
    expect(other.checkpoints![0]!.note).toContain('does not open epoch 1');
  });

  it('E4: a log cut after the checkpoint is reported with the rows that are gone', async () => {
    const { clouds, store } = await threeBackups();
    const rows = await allRows(store);
    const report = await auditLog(rows.slice(0, -4), { checkpoints: await checkpointsOf(clouds, PASSWORD) });
    expect(report.chain.ok).toBe(true);
    expect(errors(report)[0]).toMatchObject({ kind: 'checkpoint-cut', seq: rows.at(-1)!.seq, actual: `the log ends at seq ${rows.length - 4}` });
  });

  it('E4: a log rewritten with every hash recomputed is reported at the checkpoint\'s row', async () => {
    const { clouds, store } = await threeBackups();
    const rows = await allRows(store);
    // Rename the second wallet in its flow's first row, then rebuild the chain.
    const rewritten = rechain(rows.map((row) => ({ ...row, payload: row.payload.replace('"Savings"', '"Decoy"') })));
    expect(rewritten).toHaveLength(rows.length);
    const report = await auditLog(rewritten, { checkpoints: await checkpointsOf(clouds, PASSWORD) });
    expect(report.chain.ok).toBe(true);
    expect(errors(report).map((f) => f.kind)).toContain('checkpoint-rewritten');
    const finding = errors(report).find((f) => f.kind === 'checkpoint-rewritten')!;
    expect(finding.seq).toBe(rows.at(-1)!.seq);
    expect(finding.expected).toBe(rows.at(-1)!.hash);
  });

  it('E4: a checkpoint the provider forged (no key) is refused as forged, not trusted', async () => {
    const { clouds, store } = await threeBackups();
    const rows = await allRows(store);
    const path = checkpointPath(rows[0]!.hash);
    const real = decodeCheckpoint(storedFile(clouds.gdrive, ALICE, path)!);
    if (!real.ok) throw new Error(real.problem);
    // The provider points the checkpoint at an earlier row, to make a cut log look fine.
    const earlier = rows[10]!;
    clouds.gdrive.files.put(ALICE, path, encodeCheckpoint({ ...real.checkpoint, seq: earlier.seq, flowId: earlier.flowId, position: earlier.position, hash: earlier.hash }));
    const report = await auditLog(rows.slice(0, 11), { checkpoints: await checkpointsOf(clouds, PASSWORD) });
    expect(errors(report).map((f) => f.kind)).toContain('checkpoint-forged');
    expect(report.checkpoints![0]).toMatchObject({ status: 'forged', authenticity: 'forged' });
  });

  it('E4: an older checkpoint put back (or lost writes) is reported: only the last one lost is a warning, older is an error', async () => {
    const { engine, clouds, store } = engineOn();
    await bindFirstBackup(engine);
    const path = checkpointPath((await allRows(store))[0]!.hash);
    const written = [storedFile(clouds.gdrive, ALICE, path)!];
    for (const mnemonic of [MNEMONIC_24, MNEMONIC_12B]) {
      const flow = await engine.backup({ provider: 'gdrive', mnemonic });
      await flow.enterPassword(PASSWORD);
      written.push(storedFile(clouds.gdrive, ALICE, path)!);
    }
    const rows = await allRows(store);

    // The second backup's checkpoint back: as if the third's write was lost in a crash.
    clouds.gdrive.files.put(ALICE, path, written[1]!);
    let report = await auditLog(rows, { checkpoints: await checkpointsOf(clouds, PASSWORD) });
    expect(report.ok).toBe(true);
    expect(report.findings.find((f) => f.kind === 'checkpoint-stale')).toMatchObject({ severity: 'warning' });

    // The first one back: older than a backup before the last, which one lost write cannot explain.
    clouds.gdrive.files.put(ALICE, path, written[0]!);
    report = await auditLog(rows, { checkpoints: await checkpointsOf(clouds, PASSWORD) });
    expect(report.ok).toBe(false);
    expect(report.findings.find((f) => f.kind === 'checkpoint-stale')).toMatchObject({ severity: 'error' });
  });

  it('E4: completed backups but no checkpoint of this log at all (deleted): an error once there were several backups', async () => {
    const { clouds, store } = await threeBackups();
    const rows = await allRows(store);
    const files = checkpointFiles(clouds).filter((f) => !f.path.endsWith(checkpointPath(rows[0]!.hash)));
    const entries = await readCheckpoints(files, { password: PASSWORD, kdf: createNodeScrypt(), readKeyring: async () => null });
    const report = await auditLog(rows, { checkpoints: entries });
    expect(report.findings.find((f) => f.kind === 'checkpoint-missing')).toMatchObject({ severity: 'error' });
  });
});
