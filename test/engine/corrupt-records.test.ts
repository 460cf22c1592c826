/**
 * Damaged, tampered or moved cloud records (E1, E2): each is refused with a named reason, never
 * restored as something else, and the flow ends at recordCorrupt (restore) or keyringCorrupt
 * (backup) with no mnemonic handed out.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeListingEntry,
  encodeListingEntry,
  encryptAgeFile,
  keyringPath,
  listingEntryPath,
  MANIFEST_PATH,
  parseRecordPath,
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
      const found = parseRecordPath(path);
      if (found?.kind !== 'listing') {
        setup.clouds.gdrive.files.put(BOB, path, bytes);
        continue;
      }
      // BOB's own listing entry for each copied wallet (an entry is clear text anyone can write).
      const entry = decodeListingEntry(bytes, { accountId: ALICE, walletId: found.walletId, epoch: found.epoch });
      setup.clouds.gdrive.files.put(BOB, path, encodeListingEntry({ ...entry, accountId: BOB }));
    }
    setup.clouds.gdrive.device.setAccount(BOB);
    const listing = await setup.engine.listBackups({ provider: 'gdrive' });
    expect(listing).toMatchObject({ ok: true, account: BOB, problems: [] });
    expect(listing.ok && listing.wallets.map((w) => [w.walletId, w.source])).toContainEqual([first, 'entry']);

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
  it('E2: a corrupt layout-1 manifest hides no wallet: restore lists and restores them from their records, listBackups reports the manifest as malformed, and a backup goes on without rewriting it', async () => {
    const { setup, first, second } = await twoWallets();
    // An account backed up before layout 2: records beside each other, listed by the manifest only.
    for (const walletId of [first, second]) {
      setup.clouds.gdrive.files.put(ALICE, walletRecordPath(walletId, 1, 1), storedFile(setup.clouds.gdrive, ALICE, walletRecordPath(walletId, 1))!);
      await setup.clouds.gdrive.delete(walletRecordPath(walletId, 1));
      await setup.clouds.gdrive.delete(listingEntryPath(walletId, 1));
    }
    const corrupt = new TextEncoder().encode('{"format":"wallet-backup-engine/manifest",');
    setup.clouds.gdrive.files.put(ALICE, MANIFEST_PATH, corrupt);

    const listing = await setup.engine.listBackups({ provider: 'gdrive' });
    expect(listing).toMatchObject({ ok: true, account: ALICE, epochs: [1], problems: [{ path: MANIFEST_PATH, reason: 'malformed' }] });
    expect(listing.ok && listing.wallets.map((w) => ({ walletId: w.walletId, epoch: w.epoch, source: w.source, recordPath: w.recordPath, name: w.name }))).toEqual(
      [first, second].sort().map((walletId) => ({ walletId, epoch: 1, source: 'record', recordPath: walletRecordPath(walletId, 1, 1), name: null })),
    );

    const flow = await setup.engine.restore({ provider: 'gdrive' });
    expect(flow.view().state).toBe('choosingWallet');
    expect(flow.context().wallets).toEqual([first, second].sort().map((walletId) => ({ walletId, epoch: 1 })));
    await flow.chooseWallet(first);
    await flow.enterPassword(PASSWORD);
    expect(flow.result()).toMatchObject({ outcome: 'done', epoch: 1, mnemonic: MNEMONIC_12 });
    expect((await allRows(setup.store)).map((r) => r.eventType)).not.toContain('MANIFEST.CORRUPT');

    // Backup v2 finds the epoch from the keyring files; the damaged manifest is not its concern.
    const backup = await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_24, walletName: 'Savings' });
    expect(backup.view().state).toBe('enteringPassword');
    await backup.enterPassword(PASSWORD);
    expect(backup.result()).toMatchObject({ outcome: 'done', epoch: 1, walletId: second });
    expect(storedFile(setup.clouds.gdrive, ALICE, listingEntryPath(second, 1))).toBeDefined();
    expect(storedFile(setup.clouds.gdrive, ALICE, MANIFEST_PATH)).toEqual(corrupt); // read, never written
    const again = await restoreToEnd(setup, second);
    expect(again.result()).toMatchObject({ outcome: 'done', mnemonic: MNEMONIC_24 });
    await expectLogConsistent(setup.store);
  });

  it('E2: a missing keyring ends restore at recordCorrupt via KEYRING.CORRUPT (missing), before any KDF run, and backup at keyringCorrupt: an epoch with listed wallets is never bound again', async () => {
    const { setup, first } = await twoWallets();
    await setup.clouds.gdrive.delete(keyringPath(1));
    const runs = setup.kdf.runs;
    const flow = await restoreToEnd(setup, first);
    await expectRecordCorrupt(setup, flow, 'missing', 'KEYRING.CORRUPT');
    expect(setup.kdf.runs).toBe(runs);

    const writes = setup.clouds.gdrive.opCounts();
    const backup = await setup.engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC_12 });
    expect(backup.view().state).toBe('keyringCorrupt');
    expect(backup.context()).toMatchObject({ failure: 'missing', binding: false });
    expect(setup.clouds.gdrive.opCounts()).toMatchObject({ write: writes.write, create: writes.create });
    expect(setup.kdf.runs).toBe(runs);
    // The place of the lost keyring stays free: a kept copy of it can be put back.
    expect(storedFile(setup.clouds.gdrive, ALICE, keyringPath(1))).toBeUndefined();
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
