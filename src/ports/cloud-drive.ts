/**
 * The CloudDrive port: what the engine needs from iCloud, Google Drive or Huawei Cloud.
 *
 * A drive is the cloud storage of the account currently signed in on the device. Paths are
 * relative to that account's app folder ("wallet-backup/..."), '/'-separated, no '..'.
 * Every failure is a CloudError with a typed code, decided at the adapter boundary, so the
 * engine can turn it into a named machine event (docs/design.md: errors typed at the boundary).
 */
import type { ProviderId } from './providers.ts';

export type HmsCoreState = 'ok' | 'missing' | 'outdated';

export interface DriveStatus {
  /** The account signed in on the device for this provider, or null when signed out. */
  account: string | null;
  /** Huawei only: the state of HMS Core on the device. Other providers report 'ok'. */
  hms: HmsCoreState;
}

export interface DriveQuota {
  usedBytes: number;
  totalBytes: number;
}

export interface ReadLimit {
  /** The largest file this read accepts, in bytes: what the record it expects can hold. */
  maxBytes: number;
}

export type CreateResult = 'created' | 'exists';

export interface CloudDrive {
  readonly provider: ProviderId;
  /** Who is signed in and whether the provider's system services are usable. Never throws CloudError('not-signed-in'). */
  status(): Promise<DriveStatus>;
  /**
   * The file's bytes, or null when it does not exist. Bounded: a file larger than
   * `limit.maxBytes` is refused with CloudError('too-large') without holding more than the cap
   * (plus one chunk) in memory, whatever the provider or the disk hands back.
   */
  read(path: string, limit: ReadLimit): Promise<Uint8Array | null>;
  /** Atomic: afterwards either the old content or the whole new content is visible, never a part. */
  write(path: string, bytes: Uint8Array): Promise<void>;
  /**
   * Create-if-absent, atomic and linearizable across devices: 'created' when this call made the
   * file with these bytes, 'exists' when a file was already at the path (left untouched, whatever
   * it holds). Two devices creating one path at once: exactly one of them gets 'created', and the
   * file holds its bytes. What backs it on each provider: docs/cloud-layout.md.
   */
  create(path: string, bytes: Uint8Array): Promise<CreateResult>;
  /** Paths of the files under a folder prefix (recursive), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes a file; removing a missing file is not an error. */
  delete(path: string): Promise<void>;
  quota(): Promise<DriveQuota>;
}

export type CloudErrorCode =
  | 'not-signed-in'
  | 'quota-exceeded'
  | 'hms-missing'
  | 'hms-outdated'
  | 'network'
  | 'corrupt'
  /** A read found a file over its ReadLimit: not a transfer fault, retrying cannot help. */
  | 'too-large'
  /** The path names something that is not a regular file of the account's folder (a symlink, a device, a folder). */
  | 'not-a-file';

export class CloudError extends Error {
  override readonly name = 'CloudError';
  constructor(
    readonly code: CloudErrorCode,
    message: string,
    /** quota-exceeded: how many more bytes the write needed. */
    readonly neededBytes?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isCloudError(error: unknown, code?: CloudErrorCode): error is CloudError {
  return error instanceof CloudError && (code === undefined || error.code === code);
}

/** The drives a device has, one per provider it can use. */
export type CloudDrives = Partial<Record<ProviderId, CloudDrive>>;
