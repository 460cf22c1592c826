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
    options?: CloudErrorOptions,
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.transient = options?.transient === true;
    this.retryAfterMs = options?.retryAfterMs ?? null;
    this.retryReason = options?.reason ?? null;
  }
  /** network only: a failure the same call may succeed after (a dropped connection, 429, 5xx, a provider's "try again later"). */
  readonly transient: boolean;
  /** The wait the provider asked for (HTTP Retry-After, CloudKit retryAfter), in ms; null when it named none. */
  readonly retryAfterMs: number | null;
  /** Why, for the log: an HTTP status and the provider's reason code, never a URL, a query or a token. */
  readonly retryReason: string | null;
}

/**
 * The retry hint an adapter attaches to a 'network' CloudError. The adapter tries each call once
 * (a refused token refreshed once is auth, not a retry); whether and when to try again is the
 * engine's decision, under its RetryPolicy (src/ports/retry.ts), as logged transitions.
 */
export interface CloudErrorOptions {
  cause?: unknown;
  transient?: boolean;
  retryAfterMs?: number | null;
  reason?: string;
}

export function isCloudError(error: unknown, code?: CloudErrorCode): error is CloudError {
  return error instanceof CloudError && (code === undefined || error.code === code);
}

/** The drives a device has, one per provider it can use. */
export type CloudDrives = Partial<Record<ProviderId, CloudDrive>>;
