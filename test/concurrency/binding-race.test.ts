/**
 * Issue 11, the binding race step by step (R4, R5): two phones make the first backup of one
 * account at the same moment. The memory cloud's gate holds the second phone's keyring create
 * until the first phone's backup is done, so the interleaving is exactly the one that used to
 * lose a backup (the second keyring overwrote the first after the first phone had verified it).
 */
import { describe, expect, it } from 'vitest';
import { createMemoryCloud } from '../../adapters/cloud/memory.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { createBackupEngine } from '../../src/engine/index.ts';
import { keyringPath } from '../../src/format/index.ts';
import type { CloudDrive } from '../../src/ports/cloud-drive.ts';
import { ACCOUNT, LOG_N, PHRASES, PROVIDER, restoreOnNewDevice } from './devices.ts';

const phone = (drive: CloudDrive) =>
  createBackupEngine({ eventLog: openMemoryEventStore(), clouds: { [PROVIDER]: drive }, kdf: createNodeScrypt(), scryptLogN: LOG_N });

describe('the binding race (R4, R5)', () => {
  it("the phone whose keyring create comes second is asked for the first phone's password, then both wallets restore with it", async () => {
    const cloudA = createMemoryCloud({ provider: PROVIDER, account: ACCOUNT });
    const cloudB = createMemoryCloud({ provider: PROVIDER, account: ACCOUNT, sameCloudAs: cloudA });
    const a = await phone(cloudA).backup({ provider: PROVIDER, mnemonic: PHRASES[0], walletName: 'A' });
    const b = await phone(cloudB).backup({ provider: PROVIDER, mnemonic: PHRASES[1], walletName: 'B' });
    expect(a.view().state).toBe('choosingPassword');
    expect(b.view().state).toBe('choosingPassword');

    const held = cloudB.gate.hold((op, path) => op === 'create' && path === keyringPath(1));
    const bChooses = b.choosePassword('password of phone b', 'password of phone b');
    const bCreate = await held;
    expect((await a.choosePassword('password of phone a', 'password of phone a')).state).toBe('done');
    const keyringOfA = cloudA.files.snapshot()[ACCOUNT]![keyringPath(1)]!;
    bCreate.release();
    await bChooses;

    expect(b.view().state).toBe('enteringPassword');
    expect(b.context()).toMatchObject({ keyringTaken: true, binding: false, epoch: 1 });
    expect(cloudA.files.snapshot()[ACCOUNT]![keyringPath(1)]).toEqual(keyringOfA); // never overwritten
    expect(Object.keys(cloudA.files.snapshot()[ACCOUNT]!).filter((p) => p.startsWith('wallet-backup/listing/'))).toHaveLength(1); // A's only

    expect((await b.enterPassword('password of phone b')).state).toBe('enteringPassword'); // its own: wrong now
    expect((await b.enterPassword('password of phone a')).state).toBe('done');
    for (const [flow, phrase] of [[a, PHRASES[0]], [b, PHRASES[1]]] as const) {
      const restored = await restoreOnNewDevice(cloudA, flow.result().walletId!, ['password of phone a']);
      expect(restored).toEqual({ mnemonic: phrase });
    }
  });
});
