/**
 * Google Drive as a CloudDrive: Drive API v3 over `fetch` only (no googleapis, no gaxios, no node:
 * import), so it runs in Node, browsers and React Native alike.
 *
 * Where the files live. Everything is in the app-private `appDataFolder` space (scope
 * `drive.appdata`): hidden from the user and from other apps, created on first use.
 *   https://developers.google.com/drive/api/guides/appdata
 *
 * Path mapping: one Drive file per port path, its `name` the WHOLE path
 * ("wallet-backup/keyrings/epoch-1.age"), `parents: ['appDataFolder']`, no Drive folders.
 * Why: Drive folders are files too, and two devices making "wallet-backup" at once would make two
 * folders of that name (Drive allows duplicate names), doubling the duplicate problem at every
 * level; a flat space needs one query (`name = '…'`) to find every file of a path, and one paged
 * listing of the space for list(prefix). Names may hold '/' in Drive (a name is just a string).
 *
 * Duplicates. Drive allows two files with one name, so every operation on a path first lists the
 * files of that name and picks ONE deterministically: the oldest by (createdTime, id). Never at
 * random, never "the first the server returned".
 *
 * create (create-if-absent). Drive has no "create only if no file has this name". Backed by:
 *   1. an id from `files.generateIds` (space appDataFolder), obtained once per create() call and
 *      reused by every retry of the upload, so a retried upload that had in fact landed cannot make
 *      a second file (Drive refuses a second file with an id in use: 409);
 *      https://developers.google.com/drive/api/reference/rest/v3/files/generateIds
 *   2. a multipart upload (metadata + bytes in one request, so the file appears whole or not at all);
 *      https://developers.google.com/drive/api/guides/manage-uploads#multipart
 *   3. a listing of the path afterwards (our own file read by id if the listing lags behind it):
 *      if several files have it, the oldest wins; a winner deletes
 *      the others (leftovers of a crash or of a losing device), a loser deletes its own file and
 *      returns 'exists'. Two devices racing both see both files, agree on the winner, and exactly one
 *      returns 'created', its bytes in the file.
 *
 * write (atomic replace). Backed by a media update (PATCH /upload/drive/v3/files/{id}?uploadType=media)
 * of the winning file: Drive makes the new content visible whole, as a new revision, so a reader
 * sees the old or the new bytes, never a part; and since the file id does not change, the
 * winner rule (oldest) that reads and creates use stays right. ("Create a new file then delete
 * the old" was rejected: it would make the newest file the one to read, fighting the oldest-wins
 * rule of create, and a crash between the two steps would leave two complete versions.)
 * A write to an absent path goes through the create steps above; a loser then updates the winner.
 *
 * Errors, by the reason in Google's error body (`error.errors[].reason`), never by `domain`:
 *   https://developers.google.com/drive/api/guides/handle-errors
 *   - 403 storageQuotaExceeded: CloudError('quota-exceeded') with the bytes needed (from `about`);
 *   - 401: the app is told (onTokenRejected) once, the call is retried with a fresh token, and a
 *     second 401 is CloudError('not-signed-in');
 *   - 403 rateLimitExceeded / userRateLimitExceeded, 429, 5xx and dropped connections: retried
 *     under the RetryPolicy (truncated exponential backoff, full jitter, Retry-After honoured),
 *     then CloudError('network');  https://developers.google.com/drive/api/guides/limits
 *   - never retried: storage full, 404, other 4xx.
 * No message carries the token (it only ever travels in the Authorization header) or a URL.
 */
import type { CloudDrive, CreateResult, DriveQuota, DriveStatus, ReadLimit } from '../../src/ports/cloud-drive.ts';
import { CloudError } from '../../src/ports/cloud-drive.ts';
import { BodyTooLarge, readBoundedBody } from '../http/bounded-body.ts';
import { multipartRelated } from '../http/multipart.ts';
import type { HttpTransportOptions } from '../http/transport.ts';
import { retryAfterMs, TransientFailure, transientError } from '../http/retry.ts';
import { networkError, notSignedInError, quotaExceededError, tooLargeError } from './drive-errors.ts';
import { checkDrivePath, checkDrivePrefix, enclosingFolders, isDrivePath, isUnderFolder } from './paths.ts';

export const GOOGLE_DRIVE_BASE_URL = 'https://www.googleapis.com';

export interface GoogleDriveOptions extends HttpTransportOptions {
  /** The current OAuth access token with scope drive.appdata, or null when no account is signed in. */
  getAccessToken(): Promise<string | null>;
  /**
   * The account signed in on the device, as the app's sign-in SDK knows it without the network
   * (e.g. GoogleSignin.getCurrentUser()?.user.email), or null when signed out. When given,
   * status() answers from it, even offline; without it status() asks Drive (`about?fields=user`).
   */
  getAccount?(): Promise<string | null>;
  /** Called once when Drive refused a token (401), before the one retry with a fresh getAccessToken(). */
  onTokenRejected?(): Promise<void> | void;
  /** Origin of the metadata API (default https://www.googleapis.com); tests point it at an emulator. */
  baseUrl?: string;
  /** Origin of the upload API (default: baseUrl). */
  uploadBaseUrl?: string;
}

/** A Drive file of the app folder, as the adapter asks for it. */
interface DriveFileEntry {
  id: string;
  name: string;
  createdTime: string;
  /** Bytes the file counts against the quota (int64 as a string in Drive's answer). */
  size?: number;
}

/** The largest JSON answer the adapter reads (a page of 1000 entries is ~150 KB). */
const MAX_JSON_BYTES = 4 * 1024 * 1024;
/** Pages a listing may take before the adapter gives up on a server that never ends it. */
const MAX_PAGES = 10_000;
const PAGE_SIZE = 1000;
const FILE_FIELDS = 'id,name,createdTime,size';
/** Rounds of "list, act, find the file gone, list again" before a call gives up. */
const MAX_ROUNDS = 4;

/** Oldest first: createdTime (RFC 3339 UTC, compared as instants), then id. The winner is [0]. */
export function byAge(a: DriveFileEntry, b: DriveFileEntry): number {
  const ta = Date.parse(a.createdTime);
  const tb = Date.parse(b.createdTime);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A string literal of the Drive query language: '\' and '\'' escaped.
 *  https://developers.google.com/drive/api/guides/ref-search-terms */
function queryString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** What one HTTP exchange came back with, once it was not a retryable failure. */
interface Answer {
  status: number;
  response: Response;
  /** For a 403: the reasons of its error body (the body is already read). */
  reasons: string[];
  /** For a 200 of an exchange given `readBody`: the body, read inside the retried attempt. */
  body?: Uint8Array;
}

class NotSignedIn extends Error {
  override readonly name = 'NotSignedIn';
}

export function createGoogleDriveCloud(options: GoogleDriveOptions): CloudDrive {
  const provider = 'gdrive' as const;
  const base = (options.baseUrl ?? GOOGLE_DRIVE_BASE_URL).replace(/\/$/, '');
  const uploadBase = (options.uploadBaseUrl ?? base).replace(/\/$/, '');
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const now = options.now ?? (() => Date.now());

  async function token(): Promise<string> {
    const current = await options.getAccessToken();
    if (current === null || current === '') throw new NotSignedIn('no account is signed in');
    return current;
  }

  /**
   * One exchange, tried once. 401 refreshes the token once per call (auth, not a retry);
   * transient statuses and dropped connections become a transient CloudError('network') for the
   * engine to retry; everything else is returned to the caller (2xx, 404, 409, 403 storage full,
   * other 4xx), whose body it may read.
   */
  async function exchange(operation: string, url: string, init: () => RequestInit, readBody?: (response: Response) => Promise<Uint8Array>): Promise<Answer> {
    let refreshed = false;
    try {
      for (;;) {
        const bearer = await token();
        const request = init();
        let response: Response;
        try {
          response = await doFetch(url, { ...request, headers: { ...(request.headers as Record<string, string>), authorization: `Bearer ${bearer}` } });
        } catch (error) {
          // fetch rejects with a TypeError for a refused, reset or dropped connection.
          if (error instanceof TypeError) throw new TransientFailure('connection dropped', null, { cause: error });
          throw error;
        }
        if (response.status === 401) {
          await discard(response);
          if (refreshed) throw new NotSignedIn('the refreshed token was refused too');
          refreshed = true;
          await options.onTokenRejected?.();
          continue;
        }
        if (response.status === 429 || response.status >= 500) {
          const wait = retryAfterMs(response.headers.get('retry-after'), now());
          await discard(response);
          throw new TransientFailure(`HTTP ${response.status}`, wait);
        }
        if (response.status === 403) {
          const reasons = await errorReasons(response);
          if (reasons.includes('rateLimitExceeded') || reasons.includes('userRateLimitExceeded')) {
            throw new TransientFailure(`HTTP 403 ${reasons.join(',')}`, retryAfterMs(response.headers.get('retry-after'), now()));
          }
          return { status: 403, response, reasons };
        }
        if (response.status === 200 && readBody !== undefined) {
          // A download cut off mid-body is a dropped connection too: retried as a whole.
          try {
            return { status: 200, response, reasons: [], body: await readBody(response) };
          } catch (error) {
            if (error instanceof TypeError) throw new TransientFailure('connection dropped while reading', null, { cause: error });
            throw error;
          }
        }
        return { status: response.status, response, reasons: [] };
      }
    } catch (error) {
      if (error instanceof NotSignedIn) throw notSignedInError(provider);
      if (error instanceof TransientFailure) {
        throw transientError(networkError(provider, `${operation} failed (${error.reason})`).message, error);
      }
      throw error;
    }
  }

  async function json<T>(operation: string, answer: Answer): Promise<T> {
    let body: Uint8Array;
    try {
      body = await readBoundedBody(answer.response, MAX_JSON_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLarge) throw unexpected(operation, 'an answer larger than expected');
      if (error instanceof TypeError) throw new CloudError('network', networkError(provider, `${operation}: the connection dropped while reading`).message, undefined, { cause: error });
      throw error;
    }
    try {
      return JSON.parse(new TextDecoder().decode(body)) as T;
    } catch (error) {
      if (error instanceof SyntaxError) throw unexpected(operation, 'an answer that is not JSON');
      throw error;
    }
  }

  function unexpected(operation: string, what: string): CloudError {
    return new CloudError('network', networkError(provider, `${operation} got ${what}`).message);
  }

  /** An answer the adapter does not handle: no retry, typed as network with the status and reason only. */
  async function refused(operation: string, answer: Answer): Promise<CloudError> {
    const reasons = answer.status === 403 ? answer.reasons : await errorReasons(answer.response);
    return unexpected(operation, `HTTP ${answer.status}${reasons.length > 0 ? ` ${reasons.join(',')}` : ''}`);
  }

  /** Files of the app folder (all, or those named `name`), every page read; pages may be partial or empty. */
  async function listFiles(name: string | null): Promise<DriveFileEntry[]> {
    const q = name === null ? 'trashed = false' : `name = ${queryString(name)} and trashed = false`;
    const files: DriveFileEntry[] = [];
    const seenTokens = new Set<string>();
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const params = new URLSearchParams({ spaces: 'appDataFolder', q, pageSize: String(PAGE_SIZE), fields: `nextPageToken,files(${FILE_FIELDS})` });
      if (pageToken !== undefined) params.set('pageToken', pageToken);
      const answer = await exchange('files.list', `${base}/drive/v3/files?${params}`, () => ({ method: 'GET' }));
      if (answer.status !== 200) throw await refused('files.list', answer);
      // https://developers.google.com/drive/api/reference/rest/v3/files/list : nextPageToken is
      // absent at the end; a page may hold fewer than pageSize files (or none) before the end.
      const body = await json<{ files?: Array<{ id?: unknown; name?: unknown; createdTime?: unknown; size?: unknown }>; nextPageToken?: string }>('files.list', answer);
      for (const file of body.files ?? []) {
        if (typeof file.id === 'string' && typeof file.name === 'string' && typeof file.createdTime === 'string') {
          const size = typeof file.size === 'string' && /^\d+$/.test(file.size) ? Number(file.size) : undefined;
          files.push({ id: file.id, name: file.name, createdTime: file.createdTime, ...(size !== undefined ? { size } : {}) });
        }
      }
      if (body.nextPageToken === undefined || body.nextPageToken === '') return files;
      if (seenTokens.has(body.nextPageToken)) throw unexpected('files.list', 'a page token it had already sent');
      seenTokens.add(body.nextPageToken);
      pageToken = body.nextPageToken;
    }
    throw unexpected('files.list', `more than ${MAX_PAGES} pages`);
  }

  async function filesAt(path: string): Promise<DriveFileEntry[]> {
    // The query matches on name; the exact comparison here keeps the result right whatever the
    // server's matching does with case or Unicode.
    return (await listFiles(path)).filter((file) => file.name === path).sort(byAge);
  }

  /** Deletes by id; 404 means already gone. https://developers.google.com/drive/api/reference/rest/v3/files/delete */
  async function deleteId(id: string): Promise<void> {
    const answer = await exchange('files.delete', `${base}/drive/v3/files/${encodeURIComponent(id)}`, () => ({ method: 'DELETE' }));
    await discard(answer.response);
    if (answer.status === 204 || answer.status === 200 || answer.status === 404) return;
    throw await refused('files.delete', answer);
  }

  /** Deletes duplicates; a failure leaves them for the next call to resolve (the winner rule does not change). */
  async function deleteLosers(losers: DriveFileEntry[]): Promise<void> {
    for (const loser of losers) {
      try {
        await deleteId(loser.id);
      } catch (error) {
        // Expected: a network fault or a lost sign-in while cleaning up. Whoever lists the path
        // next picks the same winner and deletes the rest again; nothing is lost by stopping here.
        if (error instanceof CloudError) return;
        throw error;
      }
    }
  }

  async function quotaNow(): Promise<DriveQuota> {
    const answer = await exchange('about.get', `${base}/drive/v3/about?fields=storageQuota`, () => ({ method: 'GET' }));
    if (answer.status !== 200) throw await refused('about.get', answer);
    // https://developers.google.com/drive/api/reference/rest/v3/about : int64 values as strings;
    // `limit` is absent when the storage is unlimited.
    const body = await json<{ storageQuota?: { limit?: string; usage?: string } }>('about.get', answer);
    const usage = Number(body.storageQuota?.usage ?? '0');
    const limit = body.storageQuota?.limit;
    return {
      usedBytes: Number.isFinite(usage) ? usage : 0,
      totalBytes: limit === undefined ? Number.POSITIVE_INFINITY : Number(limit),
    };
  }

  /** Storage full, with how many more bytes an upload of `size` needed (at least 1). */
  async function storageFull(size: number): Promise<CloudError> {
    let usage: DriveQuota | undefined;
    try {
      usage = await quotaNow();
    } catch (error) {
      // The quota could not be read: the error still says storage full, with the upload's size.
      if (!(error instanceof CloudError)) throw error;
    }
    if (usage === undefined || !Number.isFinite(usage.totalBytes)) return quotaExceededError(provider, Math.max(1, size));
    const needed = Math.max(1, usage.usedBytes + size - usage.totalBytes);
    return quotaExceededError(provider, needed, usage);
  }

  async function generateId(): Promise<string> {
    const answer = await exchange('files.generateIds', `${base}/drive/v3/files/generateIds?count=1&space=appDataFolder&type=files`, () => ({ method: 'GET' }));
    if (answer.status !== 200) throw await refused('files.generateIds', answer);
    const body = await json<{ ids?: unknown[] }>('files.generateIds', answer);
    const id = body.ids?.[0];
    if (typeof id !== 'string' || id === '') throw unexpected('files.generateIds', 'no id');
    return id;
  }

  /** Multipart create with a pre-generated id; returns once the file is there (made now or by an earlier try). */
  async function uploadNew(path: string, id: string, bytes: Uint8Array): Promise<void> {
    const { body, contentType } = multipartRelated(`wbe-${id}`, { id, name: path, parents: ['appDataFolder'], mimeType: 'application/octet-stream' }, bytes);
    const answer = await exchange('files.create', `${uploadBase}/upload/drive/v3/files?uploadType=multipart&fields=id`, () => ({
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }));
    if (answer.status === 200) return discard(answer.response);
    // 409: a file with this id exists: an earlier try of this very upload landed (the id is ours).
    if (answer.status === 409) return discard(answer.response);
    if (answer.status === 403 && answer.reasons.includes('storageQuotaExceeded')) throw await storageFull(bytes.byteLength);
    throw await refused('files.create', answer);
  }

  /** Replaces the content of a file of `oldSize` bytes. false when the file is gone (404). */
  async function updateMedia(id: string, bytes: Uint8Array, oldSize: number): Promise<boolean> {
    const answer = await exchange('files.update', `${uploadBase}/upload/drive/v3/files/${encodeURIComponent(id)}?uploadType=media&fields=id`, () => ({
      method: 'PATCH',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes as BodyInit,
    }));
    if (answer.status === 200) {
      await discard(answer.response);
      return true;
    }
    if (answer.status === 404) {
      await discard(answer.response);
      return false;
    }
    // Replacing content only needs the growth: the old bytes are freed by the same update.
    if (answer.status === 403 && answer.reasons.includes('storageQuotaExceeded')) throw await storageFull(bytes.byteLength - oldSize);
    throw await refused('files.update', answer);
  }

  /** A file's metadata by id, or null when it is gone. https://developers.google.com/drive/api/reference/rest/v3/files/get */
  async function fileById(id: string, path: string): Promise<DriveFileEntry | null> {
    const answer = await exchange('files.get', `${base}/drive/v3/files/${encodeURIComponent(id)}?fields=${encodeURIComponent(FILE_FIELDS)}`, () => ({ method: 'GET' }));
    if (answer.status === 404) {
      await discard(answer.response);
      return null;
    }
    if (answer.status !== 200) throw await refused('files.get', answer);
    const file = await json<{ id?: unknown; name?: unknown; createdTime?: unknown }>('files.get', answer);
    if (file.id !== id || file.name !== path || typeof file.createdTime !== 'string') throw unexpected('files.get', 'metadata of another file');
    return { id, name: path, createdTime: file.createdTime };
  }

  /**
   * The port's paths behave like a tree (the local folder cannot hold a file "a/b" and a file
   * "a/b/c"), Drive names do not: a new file is refused, with a plain Error as on every adapter,
   * where a file of the app folder is one of its folders, or where it would be a folder.
   */
  async function refuseShapeConflict(path: string): Promise<void> {
    const folders = new Set(enclosingFolders(path));
    for (const file of await listFiles(null)) {
      if (folders.has(file.name)) throw new Error(`Cannot write cloud file ${JSON.stringify(path)}: ${JSON.stringify(file.name)} is a file, not a folder`);
      if (isUnderFolder(file.name, path)) throw new Error(`Cannot write cloud file ${JSON.stringify(path)}: it is a folder`);
    }
  }

  /** The create steps: returns the winning file after cleanup, and whether it is the one made here. */
  async function createResolved(path: string, bytes: Uint8Array): Promise<{ created: boolean; winner: DriveFileEntry | undefined }> {
    await refuseShapeConflict(path);
    const id = await generateId();
    await uploadNew(path, id, bytes);
    const files = await filesAt(path);
    // A listing may not show a file made a moment ago: ours is then read by its id and counted
    // too, so a lagging listing can neither make us lose to nobody nor delete our only copy.
    if (!files.some((file) => file.id === id)) {
      const ours = await fileById(id, path);
      // Gone between our upload and this look: only a device whose file is older deletes another
      // device's copy (deleteLosers), so ours lost to a file the listing did not show yet.
      if (ours === null) return { created: false, winner: files.sort(byAge)[0] };
      files.push(ours);
    }
    files.sort(byAge);
    const winner = files[0]!;
    if (winner.id === id) {
      await deleteLosers(files.slice(1));
      return { created: true, winner };
    }
    // Another device's file is older: ours loses and goes.
    await deleteLosers([{ id, name: path, createdTime: '' }]);
    return { created: false, winner };
  }

  return {
    provider,

    async status(): Promise<DriveStatus> {
      if (options.getAccount !== undefined) return { account: await options.getAccount(), hms: 'ok' };
      let answer: Answer;
      try {
        answer = await exchange('about.get', `${base}/drive/v3/about?fields=user`, () => ({ method: 'GET' }));
      } catch (error) {
        if (error instanceof CloudError && error.code === 'not-signed-in') return { account: null, hms: 'ok' };
        throw error;
      }
      if (answer.status !== 200) throw await refused('about.get', answer);
      const body = await json<{ user?: { emailAddress?: string; permissionId?: string } }>('about.get', answer);
      const account = body.user?.emailAddress ?? body.user?.permissionId ?? null;
      return { account, hms: 'ok' };
    },

    async read(path: string, limit: ReadLimit): Promise<Uint8Array | null> {
      checkDrivePath(path);
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const winner = (await filesAt(path))[0];
        if (winner === undefined) return null;
        // https://developers.google.com/drive/api/guides/manage-downloads : alt=media.
        let answer: Answer;
        try {
          answer = await exchange('files.get', `${base}/drive/v3/files/${encodeURIComponent(winner.id)}?alt=media`, () => ({ method: 'GET' }), (response) =>
            readBoundedBody(response, limit.maxBytes),
          );
        } catch (error) {
          if (error instanceof BodyTooLarge) throw tooLargeError(provider, path, limit.maxBytes);
          throw error;
        }
        if (answer.status === 404) {
          await discard(answer.response);
          continue; // deleted between the listing and the download (a losing duplicate): list again
        }
        if (answer.status !== 200 || answer.body === undefined) throw await refused('files.get', answer);
        return answer.body;
      }
      throw unexpected('files.get', 'a file that kept vanishing');
    },

    async write(path: string, bytes: Uint8Array): Promise<void> {
      checkDrivePath(path);
      const copy = bytes.slice();
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const files = await filesAt(path);
        let winner = files[0];
        if (winner === undefined) {
          const made = await createResolved(path, copy);
          if (made.created) return;
          winner = made.winner;
          if (winner === undefined) continue;
        } else {
          await deleteLosers(files.slice(1));
        }
        if (await updateMedia(winner.id, copy, winner.size ?? 0)) return;
      }
      throw unexpected('files.update', 'a file that kept vanishing');
    },

    async create(path: string, bytes: Uint8Array): Promise<CreateResult> {
      checkDrivePath(path);
      if ((await filesAt(path)).length > 0) return 'exists';
      const made = await createResolved(path, bytes.slice());
      return made.created ? 'created' : 'exists';
    },

    async list(prefix: string): Promise<string[]> {
      const folder = checkDrivePrefix(prefix);
      const names = new Set<string>();
      for (const file of await listFiles(null)) {
        if (isDrivePath(file.name) && isUnderFolder(file.name, folder)) names.add(file.name);
      }
      return [...names].sort();
    },

    async delete(path: string): Promise<void> {
      checkDrivePath(path);
      for (const file of await filesAt(path)) await deleteId(file.id);
    },

    quota: quotaNow,
  };
}

/** The `reason`s of a Google error body ({error:{errors:[{reason}]}}), read bounded; [] when absent. */
async function errorReasons(response: Response): Promise<string[]> {
  let text: string;
  try {
    text = new TextDecoder().decode(await readBoundedBody(response, 64 * 1024));
  } catch (error) {
    if (error instanceof BodyTooLarge || error instanceof TypeError) return [];
    throw error;
  }
  try {
    const body = JSON.parse(text) as { error?: { errors?: Array<{ reason?: unknown }> } };
    return (body.error?.errors ?? []).map((entry) => entry.reason).filter((reason): reason is string => typeof reason === 'string');
  } catch (error) {
    if (error instanceof SyntaxError) return [];
    throw error;
  }
}

async function discard(response: Response): Promise<void> {
  if (response.body === null || response.bodyUsed) return;
  try {
    await response.body.cancel();
  } catch (error) {
    // Cancelling a body whose connection already closed can reject; there is nothing left to free.
    if (!(error instanceof TypeError)) throw error;
  }
}
