/**
 * CloudDrive over HUAWEI Drive Kit's REST API (drive/v1), `fetch` only: no node imports, so it
 * runs in Node, browsers and React Native. The app supplies the access token (HUAWEI Account
 * Kit, scope https://www.huawei.com/auth/drive.appdata) and the HMS Core check.
 *
 * References (HUAWEI Developers, HMS Core server API; the page each behaviour depends on is cited
 * where it is used):
 * - Files.list:         https://developer.huawei.com/consumer/en/doc/HMSCore-References/server-api-fileslist-0000001050153649
 * - Files.get.content:  https://developer.huawei.com/consumer/en/doc/HMSCore-References/server-api-filesgetcontent-0000001050153651
 * - About.get:          https://developer.huawei.com/consumer/en/doc/HMSCore-References/server-api-aboutget-0000001050151684
 * - Files.update.patchcontent: https://developer.huawei.com/consumer/en/doc/HMSCore-References/server-api-filesupdatepatchcontent-0000001050151700
 * - Files.create multipart: https://developer.huawei.com/consumer/cn/doc/HMSCore-References/server-api-filescreatemultipart-0000001050151694
 *   (found only as a link in a list of Drive Kit pages; its body was not in the search index,
 *   so the multipart layout below follows the general Drive Kit upload convention, not that page)
 * - Files.delete:       https://developer.huawei.com/consumer/cn/doc/HMSCore-References/server-api-filesdelete-0000001050153647
 *   (same: link only)
 * - Result codes:       https://developer.huawei.com/consumer/en/doc/hmscore-guides/status-code-0000001050992633
 *   ("each result code is the last four digits of the actual result code returned")
 * - DATA_MIGRATING 21084031 (HTTP 403): the "common error codes" table of
 *   https://developer.huawei.com/consumer/cn/doc/HMSCore-References/server-api-filessubscribe-0000001050153637
 *
 * Layout: one Drive file per port path, in the app-private `applicationData` container, named by
 * the path with every character outside [A-Za-z0-9._-] escaped as ~XX (so "/" becomes "~2F").
 * Why not folders: Drive Kit allows two files (or folders) with one name in one folder, so each
 * folder level would need the same duplicate resolution as files, a path would cost one lookup
 * per level, and a recursive list one request per folder; flat names make read/create/write one
 * name query and list one paged query. The escape keeps names inside the characters every
 * drive accepts (the result-code table has 4006/4007 for unsupported and invalid characters).
 *
 * create-if-absent: the Drive Kit pages found offer no conditional create (no If-None-Match, no
 * client-chosen file id documented for Files.create; 4909 "id already exists" and 4932 "a file or
 * folder with the same name exists" are in the result-code table but no request parameter that
 * asks for them is documented). So create uploads, then lists the name: the oldest file (by
 * createdTime, then id) wins; every other copy is deleted and its creator gets 'exists'. Reads
 * and writes pick the same winner. docs/huawei-drive.md gives the reasoning and its limit.
 */
import { CloudError, type CloudDrive, type CreateResult, type DriveQuota, type DriveStatus, type HmsCoreState } from '../../src/ports/cloud-drive.ts';
import { BodyTooLarge, readBoundedBody } from '../http/bounded-body.ts';
import { multipartRelated } from '../http/multipart.ts';
import type { HttpTransportOptions } from '../http/transport.ts';
import { retryAfterMs, TransientFailure, transientError } from '../http/retry.ts';
import { networkError, notSignedInError, quotaExceededError, requireUsableDrive, tooLargeError } from './drive-errors.ts';
import { checkDrivePath, checkDrivePrefix, enclosingFolders, isDrivePath, isUnderFolder } from './paths.ts';

export const HUAWEI_DRIVE_BASE_URL = 'https://driveapis.cloud.huawei.com.cn';

/** The most JSON the adapter reads from one response (a page of 100 file resources is far below). */
const MAX_JSON_BYTES = 4 * 1024 * 1024;
/** The most of an error body the adapter reads. */
const MAX_ERROR_BYTES = 64 * 1024;

/**
 * HMS ConnectionResult codes, as returned by HuaweiApiAvailability.isHuaweiMobileServicesAvailable
 * (https://developer.huawei.com/consumer/en/doc/HMS-References/huaweiapiavailability/ describes the
 * check; the search index held no page listing the constants' values, so the values are those of
 * issue 13 and of HMS Core's com.huawei.hms.api.ConnectionResult).
 */
export const HMS_CONNECTION_RESULT = {
  SUCCESS: 0,
  SERVICE_MISSING: 1,
  SERVICE_VERSION_UPDATE_REQUIRED: 2,
  SERVICE_DISABLED: 3,
  SERVICE_INVALID: 9,
  SERVICE_UNSUPPORTED: 21,
} as const;

/**
 * A ConnectionResult code as the state the machines know (R13). The machines have two problem
 * states, each with the guide's fix ("Go to the Huawei AppGallery and search for HMS Core.
 * Install it if missing, or update it to the latest version. Restart your phone afterward and try
 * again."): 'missing' (install) and 'outdated' (update).
 */
export function hmsStateOf(code: number): HmsCoreState {
  switch (code) {
    case HMS_CONNECTION_RESULT.SUCCESS:
      return 'ok';
    case HMS_CONNECTION_RESULT.SERVICE_MISSING:
      // Not installed: install HMS Core from AppGallery, restart, retry.
      return 'missing';
    case HMS_CONNECTION_RESULT.SERVICE_VERSION_UPDATE_REQUIRED:
      // Installed but too old for Drive Kit: update it from AppGallery, restart, retry.
      return 'outdated';
    case HMS_CONNECTION_RESULT.SERVICE_DISABLED:
      // Installed but disabled in Settings > Apps: as unusable as a missing one; installing it
      // from AppGallery (the guide's fix) re-enables it, so the person is sent there.
      return 'missing';
    case HMS_CONNECTION_RESULT.SERVICE_INVALID:
      // The installed copy is not a valid HMS Core (tampered or side-loaded): reinstalling it from
      // AppGallery is the fix, so 'missing'.
      return 'missing';
    case HMS_CONNECTION_RESULT.SERVICE_UNSUPPORTED:
      // The installed HMS Core does not support this API: updating from AppGallery is the fix the
      // guide gives for an HMS Core that cannot serve the app, so 'outdated'.
      return 'outdated';
    default:
      // A code this adapter does not know: HMS Core is not usable; the install fix is the safe one.
      return 'missing';
  }
}

export interface HuaweiDriveOptions extends HttpTransportOptions {
  /** The current access token (HUAWEI Account Kit), or null when no HUAWEI ID is signed in. */
  getAccessToken: () => Promise<string | null>;
  /**
   * The HUAWEI ID signed in on the device, as Account Kit knows it without the network (the
   * AuthAccount's email from AccountAuthManager.getAuthResult(), e.g.
   * https://pub.dev/documentation/huawei_account/latest/huawei_account/AuthAccount/email.html),
   * or null when signed out. When given, status() answers from it (after HMS Core), even offline;
   * without it status() asks Drive (About.get `user`).
   */
  getAccount?: () => Promise<string | null>;
  /** Called once when Drive refused the token (401, result codes 4011-4017), so the app can refresh it. */
  onTokenRejected?: () => Promise<void> | void;
  /** HuaweiApiAvailability.isHuaweiMobileServicesAvailable(context): an HMS ConnectionResult code. */
  checkHmsCore: () => Promise<number>;
  baseUrl?: string;
}

/** A Drive Kit file resource, the fields this adapter reads. */
interface DriveFile {
  id: string;
  fileName: string;
  size: number;
  createdTime: string;
  description?: string;
}

/** What Drive said, decoded from the HTTP status and the result code in the body. */
interface DriveFailure {
  status: number;
  /** The full result code (e.g. "21004039"), or null when the body had none. */
  code: string | null;
}

/** The last four digits of a result code (the status-code page's "result code"). */
function suffixOf(code: string | null): string | null {
  return code !== null && /^\d{4,}$/.test(code) ? code.slice(-4) : null;
}

const AUTH_SUFFIXES = new Set(['4011', '4012', '4014', '4015', '4016', '4017']);

class AuthRejected extends Error {
  override readonly name = 'AuthRejected';
}
class DriveRefused extends Error {
  override readonly name = 'DriveRefused';
  constructor(readonly failure: DriveFailure) {
    super(`HUAWEI Drive answered HTTP ${failure.status}${failure.code === null ? '' : ` (result code ${failure.code})`}`);
  }
}

/** Escapes a port path into a flat Drive file name: [A-Za-z0-9._-] kept, everything else ~XX (UTF-8). */
export function fileNameOf(path: string): string {
  let name = '';
  for (const byte of new TextEncoder().encode(path)) {
    const char = String.fromCharCode(byte);
    name += /[A-Za-z0-9._-]/.test(char) ? char : `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return name;
}

/** The port path a Drive file name stands for, or null when the name is not one this adapter makes. */
export function pathOfFileName(name: string): string | null {
  if (!/^(?:[A-Za-z0-9._-]|~[0-9A-F]{2})+$/.test(name)) return null;
  const bytes: number[] = [];
  for (let index = 0; index < name.length; ) {
    if (name[index] === '~') {
      bytes.push(Number.parseInt(name.slice(index + 1, index + 3), 16));
      index += 3;
    } else {
      bytes.push(name.charCodeAt(index));
      index += 1;
    }
  }
  let path: string;
  try {
    path = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch (error) {
    if (error instanceof TypeError) return null; // not UTF-8: a foreign name
    throw error;
  }
  return isDrivePath(path) && fileNameOf(path) === name ? path : null;
}

/** The winner among files of one name: the oldest by createdTime, then the smallest id. */
function winnerOf(files: DriveFile[]): DriveFile | null {
  let best: DriveFile | null = null;
  for (const file of files) {
    if (best === null || compareAge(file, best) < 0) best = file;
  }
  return best;
}

function compareAge(a: DriveFile, b: DriveFile): number {
  const timeA = Date.parse(a.createdTime);
  const timeB = Date.parse(b.createdTime);
  if (timeA !== timeB) return timeA - timeB;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function randomNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function createHuaweiDriveCloud(options: HuaweiDriveOptions): CloudDrive {
  const baseUrl = (options.baseUrl ?? HUAWEI_DRIVE_BASE_URL).replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? (() => Date.now());

  async function hmsState(): Promise<HmsCoreState> {
    return hmsStateOf(await options.checkHmsCore());
  }

  /** HMS Core, then the token: the CloudError that stops a file call, or the token to use. */
  async function usableToken(): Promise<string> {
    const hms = await hmsState();
    const token = hms === 'ok' ? await options.getAccessToken() : null;
    requireUsableDrive('huawei', { hms, account: token === null ? null : 'token' });
    return token!;
  }

  /**
   * One Drive call: `send` makes the request with a token. Transient failures (dropped
   * connections, 429, 5xx, DATA_MIGRATING) are tried once and thrown as a transient
   * CloudError('network') for the engine's retry policy; a refused token is
   * reported once through onTokenRejected and tried again with the next token; then
   * not-signed-in. Returns the response (2xx or 404) for `use` to read, bounded.
   */
  async function call<T>(
    operation: string,
    send: (token: string) => { url: string; init: RequestInit },
    use: (response: Response) => Promise<T>,
  ): Promise<T> {
    let token = await usableToken();
    let refreshed = false;
    for (;;) {
      try {
        return await attempt(operation, send(token), use);
      } catch (error) {
        if (error instanceof AuthRejected) {
          if (refreshed) throw notSignedInError('huawei');
          refreshed = true;
          await options.onTokenRejected?.();
          token = await usableToken();
          continue;
        }
        if (error instanceof TransientFailure) throw transientError(networkError('huawei', `${operation} failed (${error.reason})`).message, error);
        throw error;
      }
    }
  }

  async function attempt<T>(operation: string, request: { url: string; init: RequestInit }, use: (response: Response) => Promise<T>): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(request.url, request.init);
    } catch (error) {
      // fetch rejects with a TypeError on a refused, reset or dropped connection.
      throw new TransientFailure(`${operation}: the connection failed`, null, { cause: error });
    }
    if (response.ok || response.status === 404) {
      try {
        return await use(response);
      } catch (error) {
        if (error instanceof TypeError) throw new TransientFailure(`${operation}: the connection dropped mid-body`, null, { cause: error });
        throw error;
      }
    }
    const failure = await failureOf(response);
    const suffix = suffixOf(failure.code);
    const after = retryAfterMs(response.headers.get('retry-after'), now());
    const reason = `HTTP ${failure.status}${failure.code === null ? '' : ` ${failure.code}`}`;
    if (failure.status === 401 || (suffix !== null && AUTH_SUFFIXES.has(suffix))) throw new AuthRejected(reason);
    // 429 4291/4292 (USER/APP_REQUEST_TOO_MANY) and 5xx: "try again later" (status-code page).
    if (failure.status === 429 || failure.status >= 500) throw new TransientFailure(reason, after);
    // 403 4031 DATA_MIGRATING: "the security policy is being updated; wait until it completes".
    if (failure.status === 403 && suffix === '4031') throw new TransientFailure(reason, after);
    throw new DriveRefused(failure);
  }

  async function failureOf(response: Response): Promise<DriveFailure> {
    let code: string | null = null;
    try {
      const text = new TextDecoder().decode(await readBoundedBody(response, MAX_ERROR_BYTES));
      code = resultCodeIn(JSON.parse(text));
    } catch (error) {
      // An error body that is too large, not JSON, or cut off still leaves the HTTP status.
      if (!(error instanceof BodyTooLarge || error instanceof SyntaxError || error instanceof TypeError)) throw error;
    }
    return { status: response.status, code };
  }

  async function json(response: Response): Promise<unknown> {
    const bytes = await readBoundedBody(response, MAX_JSON_BYTES);
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      if (error instanceof SyntaxError) throw new CloudError('network', 'Huawei Cloud sent a reply that is not JSON. Check the connection, then retry.', undefined, { cause: error });
      throw error;
    }
  }

  function authorized(token: string, extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: `Bearer ${token}`, Accept: 'application/json', ...extra };
  }

  /** Every file whose name matches (one name, or all with null), every page followed (Files.list, cursor/nextCursor). */
  async function listFiles(fileName: string | null): Promise<DriveFile[]> {
    const files: DriveFile[] = [];
    let cursor: string | null = null;
    const seenCursors = new Set<string>();
    for (;;) {
      const query = new URLSearchParams({ containers: 'applicationData', pageSize: '100', fields: '*' });
      // Files.list: queryParam filters by attribute; pages "may be partial or empty" before the
      // end, and while nextCursor is present more results remain (fileslist page).
      if (fileName !== null) query.set('queryParam', `fileName = '${fileName}'`);
      if (cursor !== null) query.set('cursor', cursor);
      const page = await call(
        'files.list',
        (token) => ({ url: `${baseUrl}/drive/v1/files?${query}`, init: { method: 'GET', headers: authorized(token) } }),
        async (response) => (response.status === 404 ? { files: [], nextCursor: undefined } : json(response)),
      );
      const record = page as { files?: unknown; nextCursor?: unknown };
      for (const file of Array.isArray(record.files) ? record.files : []) {
        const parsed = driveFileOf(file);
        if (parsed !== null && (fileName === null || parsed.fileName === fileName)) files.push(parsed);
      }
      if (typeof record.nextCursor !== 'string' || record.nextCursor === '') return files;
      if (seenCursors.has(record.nextCursor)) throw new CloudError('network', 'Huawei Cloud repeated a listing page cursor. Retry later.');
      seenCursors.add(record.nextCursor);
      cursor = record.nextCursor;
    }
  }

  async function deleteFile(id: string): Promise<void> {
    // Files.delete: 204 on success; 404 (4041) means it is already gone, which is what we want.
    await call(
      'files.delete',
      (token) => ({ url: `${baseUrl}/drive/v1/files/${encodeURIComponent(id)}`, init: { method: 'DELETE', headers: authorized(token) } }),
      async (response) => {
        await response.body?.cancel();
      },
    );
  }

  async function about(): Promise<{ used: number; capacity: number; account: string | null }> {
    // About.get (fields mandatory): storageQuota.usedSpace / userCapacity, and the user.
    const body = await call(
      'about.get',
      (token) => ({ url: `${baseUrl}/drive/v1/about?fields=*`, init: { method: 'GET', headers: authorized(token) } }),
      (response) => json(response),
    );
    const record = body as { storageQuota?: { usedSpace?: unknown; userCapacity?: unknown }; user?: { permissionId?: unknown; displayName?: unknown } };
    const used = Number(record.storageQuota?.usedSpace);
    const capacity = Number(record.storageQuota?.userCapacity);
    if (!Number.isSafeInteger(used) || !Number.isSafeInteger(capacity) || used < 0 || capacity < 0) {
      throw new CloudError('network', 'Huawei Cloud did not report the storage quota. Check the connection, then retry.');
    }
    const id = record.user?.permissionId ?? record.user?.displayName;
    return { used, capacity, account: typeof id === 'string' && id !== '' ? id : null };
  }

  /** Storage full (4039): the bytes missing, from About.get when it answers. */
  async function quotaError(growth: number): Promise<CloudError> {
    try {
      const { used, capacity } = await about();
      return quotaExceededError('huawei', Math.max(1, used + growth - capacity), { usedBytes: used, totalBytes: capacity });
    } catch (error) {
      if (!(error instanceof CloudError)) throw error;
      return quotaExceededError('huawei', Math.max(1, growth));
    }
  }

  function isStorageFull(error: unknown): boolean {
    return error instanceof DriveRefused && suffixOf(error.failure.code) === '4039';
  }

  /** Files.create, multipart: metadata (in applicationData) and the bytes in one request. */
  async function uploadNew(fileName: string, bytes: Uint8Array, nonce: string): Promise<DriveFile> {
    const { body, contentType } = multipartRelated(
      `wbe-${randomNonce()}`,
      { fileName, parentFolder: ['applicationData'], description: `wbe:${nonce}`, mimeType: 'application/octet-stream' },
      bytes,
    );
    try {
      const created = await call(
        'files.create',
        (token) => ({
          url: `${baseUrl}/upload/drive/v1/files?uploadType=multipart&fields=*`,
          init: { method: 'POST', headers: authorized(token, { 'Content-Type': contentType }), body },
        }),
        (response) => json(response),
      );
      const file = driveFileOf(created);
      if (file === null) throw new CloudError('network', 'Huawei Cloud did not describe the file it created. Retry.');
      return file;
    } catch (error) {
      if (isStorageFull(error)) throw await quotaError(bytes.length);
      throw unexpected(error);
    }
  }

  /** Files.update.patchcontent: the whole content of an existing file replaced in one request. */
  async function replaceContent(file: DriveFile, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    try {
      await call(
        'files.update',
        (token) => ({
          url: `${baseUrl}/upload/drive/v1/files/${encodeURIComponent(file.id)}?uploadType=content&fields=*`,
          init: { method: 'PATCH', headers: authorized(token, { 'Content-Type': 'application/octet-stream' }), body: bytes },
        }),
        async (response) => {
          if (response.status === 404) throw new FileVanished();
          await response.body?.cancel();
        },
      );
    } catch (error) {
      if (isStorageFull(error)) throw await quotaError(bytes.length - file.size);
      throw error;
    }
  }

  /**
   * Creates the file and resolves duplicates: 'created' when our upload is the oldest file of the
   * name (it then holds our bytes), otherwise our copies are deleted and the winner is returned.
   */
  async function createResolved(fileName: string, bytes: Uint8Array<ArrayBuffer>): Promise<{ created: boolean; winner: DriveFile }> {
    const nonce = randomNonce();
    const ours = await uploadNew(fileName, bytes, nonce);
    const named = await listFiles(fileName);
    if (!named.some((file) => file.id === ours.id)) named.push(ours);
    const winner = winnerOf(named)!;
    // A retried upload after a dropped connection may have left a second copy of ours (same nonce).
    const mine = (file: DriveFile) => file.id === ours.id || file.description === `wbe:${nonce}`;
    for (const file of named) {
      if (file.id !== winner.id && mine(file)) await deleteFile(file.id);
    }
    return { created: mine(winner), winner };
  }

  async function clashCheck(path: string): Promise<Map<string, DriveFile[]>> {
    const byPath = new Map<string, DriveFile[]>();
    for (const file of await listFiles(null)) {
      const filePath = pathOfFileName(file.fileName);
      if (filePath === null) continue;
      byPath.set(filePath, [...(byPath.get(filePath) ?? []), file]);
    }
    const fileInTheWay = enclosingFolders(path).find((folder) => byPath.has(folder));
    if (fileInTheWay !== undefined) throw new Error(`Cannot write cloud file "${path}": "${fileInTheWay}" is a file, not a folder`);
    for (const existing of byPath.keys()) {
      if (isUnderFolder(existing, path)) throw new Error(`Cannot write cloud file "${path}": it is a folder`);
    }
    return byPath;
  }

  const drive: CloudDrive = {
    provider: 'huawei',

    async status(): Promise<DriveStatus> {
      const hms = await hmsState();
      if (hms !== 'ok') return { account: null, hms };
      if (options.getAccount !== undefined) return { account: await options.getAccount(), hms };
      const token = await options.getAccessToken();
      if (token === null) return { account: null, hms };
      try {
        return { account: (await about()).account, hms };
      } catch (error) {
        if (isCloudErrorCode(error, 'not-signed-in')) return { account: null, hms };
        throw error;
      }
    },

    async read(path, limit) {
      checkDrivePath(path);
      const winner = winnerOf(await listFiles(fileNameOf(path)));
      if (winner === null) return null;
      if (winner.size > limit.maxBytes) throw tooLargeError('huawei', path, limit.maxBytes);
      try {
        return await call(
          'files.get',
          (token) => ({ url: `${baseUrl}/drive/v1/files/${encodeURIComponent(winner.id)}?form=content`, init: { method: 'GET', headers: authorized(token, { Accept: '*/*' }) } }),
          async (response) => {
            if (response.status === 404) return null; // deleted since the listing
            return await readBoundedBody(response, limit.maxBytes);
          },
        );
      } catch (error) {
        if (error instanceof BodyTooLarge) throw tooLargeError('huawei', path, limit.maxBytes);
        throw unexpected(error);
      }
    },

    async write(path, bytes) {
      checkDrivePath(path);
      const copy = new Uint8Array(bytes);
      const existing = winnerOf((await clashCheck(path)).get(path) ?? []);
      try {
        if (existing !== null) {
          await replaceContent(existing, copy);
          return;
        }
        const { created, winner } = await createResolved(fileNameOf(path), copy);
        if (!created) await replaceContent(winner, copy);
      } catch (error) {
        if (error instanceof FileVanished) {
          // Deleted by another device between the listing and the update: write it anew.
          const { created, winner } = await createResolved(fileNameOf(path), copy);
          if (!created) await replaceContent(winner, copy);
          return;
        }
        throw unexpected(error);
      }
    },

    async create(path, bytes): Promise<CreateResult> {
      checkDrivePath(path);
      const existing = (await clashCheck(path)).get(path) ?? [];
      if (existing.length > 0) return 'exists';
      const { created } = await createResolved(fileNameOf(path), new Uint8Array(bytes));
      return created ? 'created' : 'exists';
    },

    async list(prefix) {
      const folder = checkDrivePrefix(prefix);
      const paths = new Set<string>();
      for (const file of await listFiles(null)) {
        const path = pathOfFileName(file.fileName);
        if (path !== null && isUnderFolder(path, folder)) paths.add(path);
      }
      return [...paths].sort();
    },

    async delete(path) {
      checkDrivePath(path);
      for (const file of await listFiles(fileNameOf(path))) await deleteFile(file.id);
    },

    async quota(): Promise<DriveQuota> {
      const { used, capacity } = await about();
      return { usedBytes: used, totalBytes: capacity };
    },
  };
  return mapRefusals(drive);
}

/** Every call of the drive with an unexpected Drive refusal turned into a CloudError (never a bare internal error). */
function mapRefusals(drive: CloudDrive): CloudDrive {
  const guard =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await method(...args);
      } catch (error) {
        throw unexpected(error);
      }
    };
  return {
    provider: drive.provider,
    status: guard(drive.status),
    read: guard(drive.read),
    write: guard(drive.write),
    create: guard(drive.create),
    list: guard(drive.list),
    delete: guard(drive.delete),
    quota: guard(drive.quota),
  };
}

class FileVanished extends Error {
  override readonly name = 'FileVanished';
}

/** A Drive refusal no branch above expects (400 bad parameter, 403 no permission...): a CloudError that says which. */
function unexpected(error: unknown): unknown {
  if (error instanceof DriveRefused) {
    return new CloudError('network', `Huawei Cloud refused the request: ${error.message}. Retry later; if it persists, contact support.`, undefined, { cause: error });
  }
  return error;
}

function isCloudErrorCode(error: unknown, code: CloudError['code']): boolean {
  return error instanceof CloudError && error.code === code;
}

/**
 * The result code in an error body. The status-code page lists HTTP status, result code and
 * description, but the pages found show no error body; the adapter therefore looks for an
 * 8-digit code in the places Drive-style APIs put it (error.errorDetail[].errorCode, error.code, code).
 */
function resultCodeIn(body: unknown): string | null {
  const candidates: unknown[] = [];
  const record = body as { code?: unknown; error?: { code?: unknown; errorDetail?: unknown } } | null;
  if (record && typeof record === 'object') {
    const detail = record.error?.errorDetail;
    if (Array.isArray(detail)) for (const item of detail) candidates.push((item as { errorCode?: unknown } | null)?.errorCode);
    candidates.push(record.error?.code, record.code);
  }
  for (const candidate of candidates) {
    const text = typeof candidate === 'number' ? String(candidate) : candidate;
    if (typeof text === 'string' && /^\d{8}$/.test(text)) return text;
  }
  return null;
}

function driveFileOf(value: unknown): DriveFile | null {
  const record = value as { id?: unknown; fileName?: unknown; size?: unknown; createdTime?: unknown; description?: unknown } | null;
  if (!record || typeof record !== 'object') return null;
  const size = Number(record.size ?? 0);
  if (typeof record.id !== 'string' || typeof record.fileName !== 'string' || typeof record.createdTime !== 'string' || !Number.isSafeInteger(size)) return null;
  return {
    id: record.id,
    fileName: record.fileName,
    size,
    createdTime: record.createdTime,
    ...(typeof record.description === 'string' ? { description: record.description } : {}),
  };
}
