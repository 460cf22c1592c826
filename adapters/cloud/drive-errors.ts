/**
 * The CloudErrors the cloud adapters throw, with the user-facing texts of the guide.
 *
 * Both adapters build their errors here so the same condition reads the same whichever adapter
 * the engine runs on, and so the check order (HMS Core, then sign-in) is written once.
 * Browser-safe: no node imports.
 */
import { CloudError, type CloudErrorCode, type DriveStatus } from '../../src/ports/cloud-drive.ts';
import { PROVIDER_NAMES, type ProviderId } from '../../src/ports/providers.ts';

export const HMS_MISSING_FIX = 'Install HMS Core from Huawei AppGallery, restart the phone, then retry.';
export const HMS_OUTDATED_FIX = 'Update HMS Core to the latest version from Huawei AppGallery, restart the phone, then retry.';

export function notSignedInError(provider: ProviderId): CloudError {
  return new CloudError(
    'not-signed-in',
    `No ${PROVIDER_NAMES[provider]} account is signed in on this device. Sign in with the account that made the backups, then retry.`,
  );
}

export function hmsMissingError(): CloudError {
  return new CloudError('hms-missing', `Huawei Cloud needs HMS Core, which is not installed on this device. ${HMS_MISSING_FIX}`);
}

export function hmsOutdatedError(): CloudError {
  return new CloudError('hms-outdated', `Huawei Cloud needs a newer HMS Core than the one on this device. ${HMS_OUTDATED_FIX}`);
}

export function networkError(provider: ProviderId, detail = 'the connection failed'): CloudError {
  return new CloudError('network', `Could not reach ${PROVIDER_NAMES[provider]}: ${detail}. Check the connection, then retry.`);
}

/** `usage` is shown when the adapter knows it (a scripted fault may not). */
export function quotaExceededError(provider: ProviderId, neededBytes: number, usage?: { usedBytes: number; totalBytes: number }): CloudError {
  const shownUsage = usage ? ` (${usage.usedBytes} of ${usage.totalBytes} bytes used)` : '';
  return new CloudError(
    'quota-exceeded',
    `${PROVIDER_NAMES[provider]} storage is full: this upload needs ${neededBytes} more bytes${shownUsage}. ` +
      `Free up space (delete unused files or photos, ` +
      `clear app caches, or upgrade the storage plan), then retry.`,
    neededBytes,
  );
}

export function corruptError(provider: ProviderId, detail = 'the file is damaged'): CloudError {
  return new CloudError('corrupt', `${PROVIDER_NAMES[provider]} returned an unusable file: ${detail}.`);
}

/** A file over the read's cap: named with its path and the cap, so the message says which and how big. */
export function tooLargeError(provider: ProviderId, path: string, maxBytes: number): CloudError {
  return new CloudError(
    'too-large',
    `${PROVIDER_NAMES[provider]} holds ${JSON.stringify(path)} larger than ${maxBytes} bytes, the most such a file can hold: it is not one this app wrote.`,
  );
}

/**
 * Something other than what this app keeps at a path of the account folder: a symlink, a device,
 * a FIFO where a regular file (or a folder on the way to one) belongs. `path` null: the account
 * folder itself.
 */
export function notAFileError(provider: ProviderId, path: string | null, what: string, expected: 'a regular file' | 'a folder' = 'a regular file'): CloudError {
  const where = path === null ? 'as the account folder' : `at ${JSON.stringify(path)}`;
  return new CloudError(
    'not-a-file',
    `${PROVIDER_NAMES[provider]} holds ${what} ${where}, where this app keeps ${expected}: it was not made by this app, so it is neither followed, read nor changed.`,
  );
}

/** The standard error for a code, for scripted faults that name only the code. */
export function cloudErrorFor(code: CloudErrorCode, provider: ProviderId, neededBytes = 1): CloudError {
  switch (code) {
    case 'not-signed-in':
      return notSignedInError(provider);
    case 'hms-missing':
      return hmsMissingError();
    case 'hms-outdated':
      return hmsOutdatedError();
    case 'network':
      return networkError(provider);
    case 'quota-exceeded':
      return quotaExceededError(provider, neededBytes);
    case 'corrupt':
      return corruptError(provider);
    case 'too-large':
      return tooLargeError(provider, 'a file', 0);
    case 'not-a-file':
      return notAFileError(provider, 'a path', 'something else');
  }
}

/**
 * The account to use for a file operation, or the CloudError that stops it. HMS Core comes first:
 * without it a Huawei phone cannot even reach the account kit to say who is signed in.
 */
export function requireUsableDrive(provider: ProviderId, status: DriveStatus): string {
  if (status.hms === 'missing') throw hmsMissingError();
  if (status.hms === 'outdated') throw hmsOutdatedError();
  if (status.account === null) throw notSignedInError(provider);
  return status.account;
}
