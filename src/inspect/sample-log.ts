/**
 * A small, real event log for the inspector's browser test and `npm run docs`: the engine on a
 * local-folder cloud, as the story's chapter 4 runs it. Alice's first backup binds a password;
 * the second meets a full Huawei Cloud (a 1500-byte quota), waits in uploading.storageFull, and
 * after space is freed retries to done; a third is cancelled at the password prompt. Node only.
 *
 * The scrypt work factor is lowered (2^10) because this log exists to be looked at: its keyrings
 * protect nothing and are thrown away with the folder.
 */
import { join } from 'node:path';
import { createLocalFolderClouds, writeSimState } from '../../adapters/cloud/local-folder.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { createBackupEngine, type BackupEngineOptions } from '../engine/index.ts';

export const SAMPLE_ACCOUNT = 'alice@example.com';
const PASSWORD = 'Blue-harbour 2024';
const PHRASES = {
  everyday: 'legal winner thank year wave sausage worth useful legal winner thank yellow',
  family: 'cat swing flag economy stadium alone churn speed unique patch report train',
  travel: 'scheme spot photo card baby mountain device kick cradle pact join borrow',
};

export interface SampleLog {
  dbPath: string;
  /** The flow that met a full cloud, waited, and retried to done. */
  storageFullFlowId: string;
  firstBackupFlowId: string;
  cancelledFlowId: string;
}

/** Runs the three flows into `<dir>/wallet-backup.db` (the cloud folder is `<dir>/cloud`). */
export async function makeSampleLog(dir: string, inspect?: BackupEngineOptions['inspect']): Promise<SampleLog> {
  const dbPath = join(dir, 'wallet-backup.db');
  const cloudDir = join(dir, 'cloud');
  const store = openSqliteEventStore({ path: dbPath });
  const engine = createBackupEngine({
    eventLog: store,
    clouds: createLocalFolderClouds({ root: cloudDir, account: SAMPLE_ACCOUNT }),
    kdf: createNodeScrypt(),
    scryptLogN: 10,
    device: { id: 'sample-phone' },
    ...(inspect ? { inspect } : {}),
  });
  try {
    const first = await engine.backup({ provider: 'huawei', mnemonic: PHRASES.everyday, walletName: 'Everyday' });
    await first.choosePassword(PASSWORD, PASSWORD);

    await writeSimState(cloudDir, 'huawei', { quotaBytes: 1500 });
    const full = await engine.backup({ provider: 'huawei', mnemonic: PHRASES.family, walletName: 'Family' });
    const waiting = await full.enterPassword(PASSWORD);
    if (JSON.stringify(waiting.state) !== JSON.stringify({ uploading: 'storageFull' })) {
      throw new Error(`The sample expected a full cloud, but the flow is at ${JSON.stringify(waiting.state)}.`);
    }
    await writeSimState(cloudDir, 'huawei', { quotaBytes: 15 * 1024 * 1024 });
    const done = await full.spaceFreed();
    if (done.state !== 'done') throw new Error(`The sample's retry ended at ${JSON.stringify(done.state)}, not done.`);

    const cancelled = await engine.backup({ provider: 'huawei', mnemonic: PHRASES.travel, walletName: 'Travel' });
    await cancelled.cancel();
    return { dbPath, storageFullFlowId: full.id, firstBackupFlowId: first.id, cancelledFlowId: cancelled.id };
  } finally {
    await store.close();
  }
}
