/**
 * Writes the log's checkpoint into the cloud after a completed backup (issue 4; format in
 * src/log/checkpoint.ts). The engine watches the rows it appends, so it knows the log's head
 * without a query; the log id (its first row's hash) is read once.
 *
 * Best effort, after `done`: the backup is complete and verified whatever happens here. A
 * write that fails (network, quota) leaves the previous checkpoint, which audit then reports
 * as older than the last backup; the next completed backup writes a new one.
 */
import type { CloudDrive } from '../ports/cloud-drive.ts';
import { GENESIS_HASH, type EventStore, type StoredRow } from '../ports/event-store.ts';
import { checkpointPath, encodeCheckpoint, sealCheckpoint } from '../log/checkpoint.ts';
import { environmentFault } from '../platform/requirements.ts';

export interface CheckpointRequest {
  drive: CloudDrive;
  provider: string;
  account: string;
  epoch: number;
  /** checkpointKey(epoch identity): zeroed by the caller afterwards. */
  key: Uint8Array;
}

export interface CheckpointWriter {
  /** Every row the engine appends, in order. */
  observe(row: StoredRow): void;
  /** Writes the checkpoint of the head seen so far. True when written; throws only an EnvironmentError. */
  write(request: CheckpointRequest): Promise<boolean>;
}

async function firstRowHash(store: EventStore): Promise<string | null> {
  for await (const row of store.readAll()) return row.hash;
  return null;
}

export function createCheckpointWriter(store: EventStore, deviceId: string | null, now: () => Date): CheckpointWriter {
  let head: StoredRow | null = null;
  let logId: string | null = null;
  return {
    observe(row) {
      if (row.prevHash === GENESIS_HASH) logId = row.hash;
      if (head === null || row.seq > head.seq) head = row;
    },
    async write({ drive, provider, account, epoch, key }) {
      const at = head;
      if (at === null) return false;
      try {
        logId ??= await firstRowHash(store);
        if (logId === null) return false;
        const checkpoint = sealCheckpoint(
          {
            logId,
            deviceId,
            provider,
            account,
            epoch,
            seq: at.seq,
            flowId: at.flowId,
            position: at.position,
            hash: at.hash,
            writtenAt: now().toISOString(),
          },
          key,
        );
        await drive.write(checkpointPath(logId), encodeCheckpoint(checkpoint));
        return true;
      } catch (error) {
        // Best effort (see the header): a cloud or log failure leaves the previous checkpoint.
        // A fault of the platform is not one of those; it is reported.
        const fault = environmentFault(error);
        if (fault !== null) throw fault;
        return false;
      }
    },
  };
}
