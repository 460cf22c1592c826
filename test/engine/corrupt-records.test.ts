/**
 * Damaged, tampered or moved cloud records (E1, E2): each is refused with a named reason, never
 * restored as something else, and the flow ends at recordCorrupt (restore) or keyringCorrupt
 * (backup) with no mnemonic handed out.
 */
import { describe, expect, it } from 'vitest';
import {
  encryptAgeFile,
  keyringPath,
  MANIFEST_PATH,
  walletRecordPath,
  WALLET_FORMAT,
} from '../../src/format/index.ts';
import { ALICE, BOB, bindFirstBackup, engineOn, MNEMONIC_12, MNEMONIC_24, PASSWORD } from './engine-helpers.ts';
import { allRows, epochIdentity, expectLogConsistent, storedFile } from './scenario-helpers.ts';

type Setup = ReturnType<typeof engineOn>;

async function twoWallets(): Promise<{ setup: Setup; first: string; second: string }> {
  const setup = engineOn();
  const first = await bindFirstBackup(setup.engine);
  const flow = await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, walletName: 'Savings' });
  await flow.enterPassword(PASSWORD);
  expect(flow.result().outcome).toBe('done');
  return { setup, first: first.result().walletId!, second: flow.result().walletId! };
}

async function restoreToEnd(setup: Setup, walletId: string, account = ALICE) {
  const flow = await setup.engine.restore({ provider: 'gdrive', walletId });
  if (flow.view().state === 'enteringPassword') await flow.enterPassword(PASSWORD);
  expect(flow.context().account).toBe(account);
  return flow;
}

async function expectRecordCorrupt(setup: Setup, flow: Awaited<ReturnType<typeof restoreToEnd>>, failure: string, eventType: string) {
  expect(flow.view()).toMatchObject({ state: 'recordCorrupt', status: 'done', meta: { outcome: 'failed', reason: 'corrupt' } });
  expect(flow.context().failure).toBe(failure);
  expect(flow.result()).toMatchObject({ outcome: 'failed', reason: 'corrupt', mnemonic: null });
  const last = (await setup.store.readFlow(flow.id)).at(-1)!;
  expect(last.eventType).toBe(eventType);
  expect(JSON.parse(last.payload)).toEqual({ reason: failure });
}

function flipByte(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  const at = index < 0 ? copy.length + index : index;
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe('E2: a damaged wallet record', () => {
  it.each([
    ['the last byte (payload tag)', -1],
    ['a byte in the middle of the payload', -60],
  ])('E2: one flipped bit in %s fails authentication: recordCorrupt, failure tampered, after exactly one KDF run', async (_where, index) => {
    const { setup, first } = await twoWallets();
    const record = storedFile(setup.clouds.gdrive, ALICE, walletRecordPath(first, 1))!;
    setup.clouds.gdrive.faults.corruptRead(walletRecordPath(first, 1), { bitIndex: (index < 0 ? record.length + index : index) * 8 });
    const runs = setup.kdf.runs;
    const flow = await restoreToEnd(setup, first);
    await expectRecordCorrupt(setup, flow, 'tampered', 'RECORD.CORRUPT');
    expect(setup.kdf.runs - runs).toBe(1);
    // The stored file is intact: the next restore works.
    const again = await restoreToEnd(setup, first);
    expect(again.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
    await expectLogConsistent(setup.store);
  });

  it('E2: a flipped header byte is refused as malformed (version line) or tampered (header MAC)', async () => {
    const { setup, first } = await twoWallets();
    const path = walletRecordPath(first, 1);
    const record = storedFile(setup.clouds.gdrive, ALICE, path)!;
    const text = Buffer.from(record).toString('latin1');

    setup.clouds.gdrive.files.put(ALICE, path, flipByte(record, 3)); // "age-encryption.org/v1" → not an age file
    await expectRecordCorrupt(setup, await restoreToEnd(setup, first), 'malformed', 'RECORD.CORRUPT');

    const macAt = text.indexOf('\n--- ') + 6;
    const macChar = text[macAt]!;
    const swapped = record.slice();
    swapped[macAt] = (macChar === 'A' ? 'B' : 'A').charCodeAt(0); // still base64, a different MAC
    setup.clouds.gdrive.files.put(ALICE, path, swapped);
    await expectRecordCorrupt(setup, await restoreToEnd(setup, first), 'tampered', 'RECORD.CORRUPT');

    // Any other single flipped header bit is one of the two, never a restore.
    const headerEnd = text.indexOf('\n--- ');
    for (const index of [10, 30, 60, headerEnd - 5]) {
      setup.clouds.gdrive.files.put(ALICE, path, flipByte(record, index));
      const flow = await restoreToEnd(setup, first);
      expect(flow.view().state).toBe('recordCorrupt');
      expect(['malformed', 'tampered']).toContain(flow.context().failure);
    }
    await expectLogConsistent(setup.store);
  });

  it("E1: a wallet record copied over another wallet's path is refused as metadata-mismatch, not restored as that wallet", async () => {
    const { setup, first, second } = await twoWallets();
    setup.clouds.gdrive.files.put(ALICE, walletRecordPath(second, 1), storedFile(setup.clouds.gdrive, ALICE, walletRecordPath(first, 1))!);
    const flow = await restoreToEnd(setup, second);
    await expectRecordCorrupt(setup, flow, 'metadata-mismatch', 'RECORD.CORRUPT');
    const original = await restoreToEnd(setup, first);
    expect(original.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_12 });
    await expectLogConsistent(setup.store);
  });

  it("E1: another account's whole backup copied into BOB's drive is refused: the keyring names ALICE (metadata-mismatch)", async () => {
    const { setup, first } = await twoWallets();
    for (const [path, bytes] of Object.entries(setup.clouds.gdrive.files.snapshot()[ALICE]!)) {
      if (path !== MANIFEST_PATH) setup.clouds.gdrive.files.put(BOB, path, bytes);
    }
    // BOB's own manifest listing the copied wallet (the manifest is clear text anyone can write).
    const manifest = JSON.parse(Buffer.from(storedFile(setup.clouds.gdrive, ALICE, MANIFEST_PATH)!).toString('utf8'));
    manifest.accountId = BOB;
    setup.clouds.gdrive.files.put(BOB, MANIFEST_PATH, Buffer.from(JSON.stringify(manifest)));
    setup.clouds.gdrive.device.setAccount(BOB);

    const flow = await restoreToEnd(setup, first, BOB);
    await expectRecordCorrupt(setup, flow, 'metadata-mismatch', 'KEYRING.CORRUPT');
    await expectLogConsistent(setup.store);
  });

  it('E2: a wallet record of an unknown format version is refused as unsupported-version', async () => {
    const { setup, first } = await twoWallets();
    const { recipient } = await epochIdentity(setup.clouds.gdrive, ALICE, 1, PASSWORD);
    const payload = { format: WALLET_FORMAT, version: 2, walletId: first, accountId: ALICE, epoch: 1, mnemonic: MNEMONIC_12 };
    setup.clouds.gdrive.files.put(ALICE, walletRecordPath(first, 1), await encryptAgeFile(new TextEncoder().encode(JSON.stringify(payload)), recipient));
    await expectRecordCorrupt(setup, await restoreToEnd(setup, first), 'unsupported-version', 'RECORD.CORRUPT');
    await expectLogConsistent(setup.store);
  });

  it('E2: a listed wallet whose record is gone ends recordCorrupt with failure missing', async () => {
    const { setup, first } = await twoWallets();
    await setup.clouds.gdrive.delete(walletRecordPath(first, 1));
    await expectRecordCorrupt(setup, await restoreToEnd(setup, first), 'missing', 'RECORD.CORRUPT');
    await expectLogConsistent(setup.store);
  });
});

describe('E2: a damaged manifest or keyring', () => {
  it('E2: a corrupt manifest ends restore at recordCorrupt via MANIFEST.CORRUPT (malformed) and backup at keyringCorrupt', async () => {
    const { setup } = await twoWallets();
    setup.clouds.gdrive.files.put(ALICE, MANIFEST_PATH, new TextEncoder().encode('{"format":"wallet-backup-engine/manifest",'));
    const flow = await setup.engine.restore({ provider: 'gdrive' });
    await expectRecordCorrupt(setup, flow, 'malformed', 'MANIFEST.CORRUPT');
    expect(flow.context().wallets).toEqual([]);

    const writes = setup.clouds.gdrive.opCounts().write;
    const backup = await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect(backup.view().state).toBe('keyringCorrupt');
    expect(backup.context().failure).toBe('malformed');
    expect(backup.result()).toMatchObject({ outcome: 'failed', reason: 'corrupt' });
    expect(setup.clouds.gdrive.opCounts().write).toBe(writes);
    await expectLogConsistent(setup.store);
  });

  it('E2: a missing keyring ends restore at recordCorrupt via KEYRING.CORRUPT (missing), before any KDF run, and backup at keyringCorrupt', async () => {
    const { setup, first } = await twoWallets();
    await setup.clouds.gdrive.delete(keyringPath(1));
    const runs = setup.kdf.runs;
    const flow = await restoreToEnd(setup, first);
    await expectRecordCorrupt(setup, flow, 'missing', 'KEYRING.CORRUPT');
    expect(setup.kdf.runs).toBe(runs);

    const backup = await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect(backup.view().state).toBe('keyringCorrupt');
    expect(backup.context().failure).toBe('missing');
    const rows = await allRows(setup.store);
    expect(rows.filter((r) => r.flowId === backup.id).map((r) => r.eventType)).toContain('KEYRING.CORRUPT');
    await expectLogConsistent(setup.store);
  });

  it('E2: a tampered keyring is refused (not reported as a wrong password)', async () => {
    const { setup, first } = await twoWallets();
    const keyring = storedFile(setup.clouds.gdrive, ALICE, keyringPath(1))!;
    setup.clouds.gdrive.files.put(ALICE, keyringPath(1), flipByte(keyring, -1));
    const flow = await restoreToEnd(setup, first);
    await expectRecordCorrupt(setup, flow, 'tampered', 'KEYRING.CORRUPT');
    expect(flow.context().wrongPasswordAttempts).toBe(0);
    await expectLogConsistent(setup.store);
  });
});
