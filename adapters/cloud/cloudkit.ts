/**
 * iCloud through CloudKit Web Services (issue 13, item 3a): a CloudDrive over the user's private
 * database, `fetch` only (no node: imports), so it runs in Node, browsers and React Native.
 *
 * Apple's reference, cited per behaviour below as [page]:
 *   [compose]  https://developer.apple.com/library/archive/documentation/DataManagement/Conceptual/CloudKitWebServicesReference/SettingUpWebServices.html
 *   [modify]   .../CloudKitWebServicesReference/ModifyRecords.html
 *   [lookup]   .../CloudKitWebServicesReference/LookupRecords.html
 *   [query]    .../CloudKitWebServicesReference/QueryingRecords.html
 *   [zones]    .../CloudKitWebServicesReference/ModifyZones.html
 *   [caller]   .../CloudKitWebServicesReference/FetchCurrentUserIdentity.html
 *   [types]    .../CloudKitWebServicesReference/Types.html
 *   [errors]   .../CloudKitWebServicesReference/ErrorCodes.html
 *   [errdict]  .../CloudKitWebServicesReference/GettingAllZones.html (the error dictionary: reason,
 *              serverErrorCode, retryAfter "the suggested time to wait", redirectURL; the unit is not
 *              stated there: read as seconds, like CloudKit's CKErrorRetryAfterKey)
 * (the [lookup] and [zones] pages were not found in the reference store searched while writing
 * this; their request shapes follow the [modify]/[query] pages and CloudKit JS.)
 *
 * Layout: one record of type WalletBackupFile per drive path, in the custom zone `WalletBackup`
 * of the private database (custom zones exist only in the private database, and `atomic` applies
 * only to them [modify]). Fields: `path` (String), `bytes` (Bytes: base64 in JSON [types]) and
 * `size` (Int64). Every record this app writes is far below CloudKit's 1 MB record limit.
 *
 * The recordName is the path, escaped: [A-Za-z0-9.-] kept, every other UTF-8 byte as `_XX`
 * (hex). Escaping rather than hashing because it is injective (two paths never share a record),
 * reversible (a listing can be checked against the `path` field), needs no digest (React Native
 * has no crypto.subtle) and keeps records readable in CloudKit Console. Paths whose escaped form
 * is over 255 characters are refused with a plain Error (the app's paths are under 100).
 *
 * Primitives (docs/cloudkit.md):
 *  - create = operationType `create`: "fails if a record with the same record name already
 *    exists" [modify]; the EXISTS answer (409 [errors]) is 'exists'. CloudKit decides which of
 *    two racing creates wins, so exactly one device gets 'created'.
 *  - write = compare-and-swap on `recordChangeTag`: look the record up, then `update` carrying its
 *    tag (or `create` when absent); CONFLICT ("the recordChangeTag value expired" [errors]) or
 *    EXISTS means another writer got in between, so the adapter looks again and retries (bounded).
 *    A record save is all-or-nothing, so readers see old or new bytes, never a mix. Not
 *    forceUpdate/forceReplace: those overwrite whatever is there, which is what write means, but
 *    they would make every write blind to a concurrent one; the CAS loop keeps each write's
 *    effect whole and ordered, and is what the interleaving tests exercise.
 *  - delete = `forceDelete` (a missing record answers NOT_FOUND, which is success here).
 *  - folders: records are flat (one record per path), so a write or create first lists the
 *    records (`records/query`) and refuses a path under a file or over other files with a plain
 *    Error, as the port's other adapters do (the CloudDrive contract checks it on every adapter).
 *  - list = `records/query` over the record type, paged with `continuationMarker` [query].
 *  - status = `users/caller` [caller]: its userRecordName names the account (stable per
 *    container, so an account change in the middle of a backup shows).
 *  - quota: no CloudKit Web Services endpoint reports the user's iCloud storage (none among the
 *    reference's records, zones, changes, users and tokens pages searched; the only signal is
 *    QUOTA_EXCEEDED [errors]), so quota() reports the bytes of this app's records and an
 *    unbounded total (Number.MAX_SAFE_INTEGER). The engine's up-front check then always passes,
 *    and a full iCloud shows as QUOTA_EXCEEDED (413) on the write itself, mapped to
 *    CloudError('quota-exceeded'), which the engine handles the same way.
 *
 * Tokens: the API token and the web auth token travel in the query string [compose]. No URL is
 * ever put in an error message or a retry notice. Each response may carry a new web auth token in
 * the `X-Apple-CloudKit-Web-Auth-Token` header, which replaces the old one (not on a reference
 * page found: CloudKit JS reads it there, and Apple's servers list it in
 * access-control-expose-headers); `onWebAuthToken` lets the app persist it.
 */
import { base64 } from '@scure/base';
import { CloudError, type CloudDrive, type CreateResult, type DriveQuota, type DriveStatus, type ReadLimit } from '../../src/ports/cloud-drive.ts';
import { BodyTooLarge, readBoundedBody } from '../http/bounded-body.ts';
import type { HttpTransportOptions } from '../http/transport.ts';
import { TransientFailure, transientError } from '../http/retry.ts';
import { corruptError, networkError, notSignedInError, quotaExceededError, tooLargeError } from './drive-errors.ts';
import { checkDrivePath, checkDrivePrefix, enclosingFolders, isUnderFolder } from './paths.ts';

export const CLOUDKIT_BASE_URL = 'https://api.apple-cloudkit.com';
export const CLOUDKIT_ZONE = 'WalletBackup';
export const CLOUDKIT_RECORD_TYPE = 'WalletBackupFile';
/** The response header that carries the next web auth token (see the header comment). */
export const WEB_AUTH_TOKEN_HEADER = 'x-apple-cloudkit-web-auth-token';

/** The most a JSON answer without file bytes may hold (a lookup's system fields, a query page of paths). */
const META_MAX_BYTES = 4 * 1024 * 1024;
/** Room for the JSON around a record's base64 bytes in a lookup answer. */
const ENVELOPE_BYTES = 64 * 1024;
const MAX_RECORD_NAME = 255;
/** Compare-and-swap rounds a write tries before giving up (each lost round means another writer got in). */
const CAS_ROUNDS = 8;
const PAGE_SIZE = 200;

export interface CloudKitCloudOptions extends HttpTransportOptions {
  /** The container identifier, e.g. "iCloud.com.example.wallet" [compose]. */
  container: string;
  environment: 'development' | 'production';
  /** The API token made in CloudKit Console [compose]. */
  apiToken: string;
  /** The web auth token from the user's sign-in, or null when nobody signed in yet. */
  webAuthToken?: string | null;
  /**
   * Asked for a token when the adapter has none, and once more when CloudKit refuses the one it
   * has (421/401): the app signs the user in again (CloudKit JS) or answers null (signed out).
   */
  getWebAuthToken?: () => Promise<string | null>;
  /** Told each new web auth token a response carries, so the app keeps the latest. */
  onWebAuthToken?: (token: string) => void;
  baseUrl?: string;
}

export interface CloudKitCloud extends CloudDrive {
  /** The web auth token the next request will carry (the latest one CloudKit handed out). */
  currentWebAuthToken(): string | null;
}

interface CkRecord {
  recordName?: string;
  recordType?: string;
  recordChangeTag?: string;
  fields?: Record<string, { value?: unknown; type?: string } | undefined>;
  serverErrorCode?: string;
  reason?: string;
  retryAfter?: number;
}

interface CkAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The recordName of a drive path: escaped, injective and reversible (see the header comment). */
export function recordNameOf(path: string): string {
  let name = '';
  for (const byte of new TextEncoder().encode(path)) {
    const char = String.fromCharCode(byte);
    name += /[A-Za-z0-9.-]/.test(char) ? char : `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (name.length > MAX_RECORD_NAME) throw new Error(`Invalid cloud path ${JSON.stringify(path)}: too long for a CloudKit record name`);
  return name;
}

/** The path a recordName escapes, or null when the name is not one recordNameOf makes. */
export function pathOfRecordName(name: string): string | null {
  const bytes: number[] = [];
  for (let index = 0; index < name.length; ) {
    const char = name[index]!;
    if (char === '_') {
      const hex = name.slice(index + 1, index + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      index += 3;
    } else if (/[A-Za-z0-9.-]/.test(char)) {
      bytes.push(char.charCodeAt(0));
      index += 1;
    } else {
      return null;
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}

export function createCloudKitCloud(options: CloudKitCloudOptions): CloudKitCloud {
  const provider = 'icloud' as const;
  const doFetch = options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const base = `${(options.baseUrl ?? CLOUDKIT_BASE_URL).replace(/\/+$/, '')}/database/1/${encodeURIComponent(options.container)}/${encodeURIComponent(options.environment)}`;
  let webAuthToken: string | null = options.webAuthToken ?? null;
  let zoneReady = false;

  function keepToken(response: Response): void {
    const next = response.headers.get(WEB_AUTH_TOKEN_HEADER);
    if (next !== null && next !== '' && next !== webAuthToken) {
      webAuthToken = next;
      options.onWebAuthToken?.(next);
    }
  }

  /** [compose]: ?ckAPIToken=…&ckWebAuthToken=…; this URL never leaves this function. */
  function urlFor(subpath: string, token: string): string {
    return `${base}/${subpath}?ckAPIToken=${encodeURIComponent(options.apiToken)}&ckWebAuthToken=${encodeURIComponent(token)}`;
  }

  /** One HTTP exchange; network faults, 429 and 5xx become TransientFailure. The body is bounded. */
  async function exchange(operation: string, subpath: string, token: string, body: unknown, maxBytes: number): Promise<CkAnswer> {
    let response: Response;
    try {
      response = await doFetch(urlFor(subpath, token), {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      // fetch rejects with a TypeError on a refused or dropped connection; anything else is a bug.
      if (error instanceof TypeError) throw new TransientFailure(`${operation}: connection failed`, null);
      throw error;
    }
    keepToken(response);
    let raw: Uint8Array;
    try {
      raw = await readBoundedBody(response, maxBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) throw error;
      if (error instanceof TypeError) throw new TransientFailure(`${operation}: connection dropped while reading`, null);
      throw error;
    }
    const parsed = parseJson(raw);
    const code = typeof parsed?.serverErrorCode === 'string' ? parsed.serverErrorCode : '';
    // [errors]: THROTTLED 429 and TRY_AGAIN_LATER 503 ask for a retry, with `retryAfter` in seconds.
    if (response.status === 429 || response.status >= 500) {
      throw new TransientFailure(`${operation}: HTTP ${response.status}${code ? ` ${code}` : ''}`, retryAfterOf(parsed));
    }
    if (parsed === null) {
      if (response.ok) throw corruptError(provider, `${operation} answered with unreadable JSON`);
      return { status: response.status, body: {} };
    }
    return { status: response.status, body: parsed };
  }

  /**
   * A call with the current token, tried once; a refused token is traded once for the app's
   * fresh one (getWebAuthToken), then it is not-signed-in. A transient failure becomes a
   * transient CloudError('network'), for the engine's retry policy.
   */
  async function call(operation: string, subpath: string, body: unknown, maxBytes = META_MAX_BYTES): Promise<CkAnswer> {
    for (let renewed = false; ; renewed = true) {
      if (webAuthToken === null && options.getWebAuthToken) webAuthToken = await options.getWebAuthToken();
      const token = webAuthToken;
      if (token === null) throw notSignedInError(provider);
      let answer: CkAnswer;
      try {
        answer = await exchange(operation, subpath, token, body, maxBytes);
      } catch (error) {
        if (error instanceof TransientFailure) throw transientError(networkError(provider, error.reason).message, error);
        throw error;
      }
      // [errors]: 421 AUTHENTICATION_REQUIRED, 401 AUTHENTICATION_FAILED.
      if (answer.status === 421 || answer.status === 401) {
        if (!renewed && options.getWebAuthToken) {
          if (webAuthToken === token) webAuthToken = null;
          continue;
        }
        if (webAuthToken === token) webAuthToken = null;
        throw notSignedInError(provider);
      }
      return answer;
    }
  }

  /** Throws the CloudError for a top-level error answer (not 2xx); ZONE_NOT_FOUND is left to the caller. */
  function failOn(operation: string, answer: CkAnswer, neededBytes: number): void {
    if (answer.status >= 200 && answer.status < 300) return;
    const code = typeof answer.body.serverErrorCode === 'string' ? answer.body.serverErrorCode : `HTTP ${answer.status}`;
    // [errors]: QUOTA_EXCEEDED 413, "you exceeded the user's iCloud quota" in the private database.
    if (answer.status === 413 || code === 'QUOTA_EXCEEDED') throw quotaExceededError(provider, neededBytes);
    throw new CloudError('network', `iCloud refused ${operation} (${code}). Retry later.`);
  }

  /** [zones]: zones/modify with a `create` operation; an existing zone is fine. */
  async function ensureZone(): Promise<void> {
    const answer = await call('zones.modify', 'private/zones/modify', {
      operations: [{ operationType: 'create', zone: { zoneID: { zoneName: CLOUDKIT_ZONE } } }],
    });
    failOn('zones.modify', answer, 0);
    const zone = (answer.body.zones as CkRecord[] | undefined)?.[0];
    if (zone?.serverErrorCode && zone.serverErrorCode !== 'EXISTS') {
      throw new CloudError('network', `iCloud refused zones.modify (${zone.serverErrorCode}). Retry later.`);
    }
    zoneReady = true;
  }

  /** A call in the app's zone: when CloudKit says ZONE_NOT_FOUND (404 [errors]), the zone is made and the call tried again. */
  async function inZone(operation: string, subpath: string, body: Record<string, unknown>, maxBytes = META_MAX_BYTES): Promise<CkAnswer> {
    for (let attempt = 0; ; attempt++) {
      const answer = await call(operation, subpath, { ...body, zoneID: { zoneName: CLOUDKIT_ZONE } }, maxBytes);
      const records = (answer.body.records as CkRecord[] | undefined) ?? [];
      const zoneMissing = answer.body.serverErrorCode === 'ZONE_NOT_FOUND' || records.some((record) => record.serverErrorCode === 'ZONE_NOT_FOUND');
      if (!zoneMissing) return answer;
      if (attempt > 0) throw new CloudError('network', `iCloud lost the ${CLOUDKIT_ZONE} zone during ${operation}. Retry later.`);
      zoneReady = false;
      await ensureZone();
    }
  }

  /** A per-record error in a 200 answer [modify]: transient ones are transient like HTTP 429/503. */
  function recordFailure(operation: string, record: CkRecord, neededBytes: number): never {
    const code = record.serverErrorCode ?? 'UNKNOWN';
    if (code === 'QUOTA_EXCEEDED') throw quotaExceededError(provider, neededBytes);
    if (code === 'AUTHENTICATION_REQUIRED' || code === 'AUTHENTICATION_FAILED') throw notSignedInError(provider);
    if (code === 'THROTTLED' || code === 'TRY_AGAIN_LATER') throw new TransientFailure(`${operation}: ${code}`, retryAfterOf(record));
    throw new CloudError('network', `iCloud refused ${operation} (${code}). Retry later.`);
  }

  /** records/modify of one operation, tried once; per-record THROTTLED/TRY_AGAIN_LATER are transient. */
  async function modifyOne(operation: string, op: Record<string, unknown>, neededBytes: number): Promise<CkRecord> {
    try {
      // [modify]: desiredKeys limits what the answer echoes, so the bytes do not come back.
      const answer = await inZone(operation, 'private/records/modify', { operations: [op], atomic: true, desiredKeys: ['size'] });
      failOn(operation, answer, neededBytes);
      const record = (answer.body.records as CkRecord[] | undefined)?.[0];
      if (!record) throw corruptError(provider, `${operation} answered without a record`);
      if (record.serverErrorCode && !['EXISTS', 'CONFLICT', 'NOT_FOUND'].includes(record.serverErrorCode)) recordFailure(operation, record, neededBytes);
      return record;
    } catch (error) {
      if (error instanceof TransientFailure) throw transientError(networkError(provider, error.reason).message, error);
      throw error;
    }
  }

  /** records/lookup of one record [lookup]: the record, or null when NOT_FOUND. */
  async function lookup(operation: string, path: string, desiredKeys: string[] | undefined, maxBytes: number): Promise<CkRecord | null> {
    const answer = await inZone(operation, 'private/records/lookup', { records: [{ recordName: recordNameOf(path) }], ...(desiredKeys ? { desiredKeys } : {}) }, maxBytes);
    if (answer.status === 404 && answer.body.serverErrorCode === 'NOT_FOUND') return null;
    failOn(operation, answer, 0);
    const record = (answer.body.records as CkRecord[] | undefined)?.[0];
    if (!record) throw corruptError(provider, `${operation} answered without a record`);
    if (record.serverErrorCode === 'NOT_FOUND') return null;
    if (record.serverErrorCode) {
      try {
        recordFailure(operation, record, 0);
      } catch (error) {
        if (error instanceof TransientFailure) throw transientError(networkError(provider, error.reason).message, error);
        throw error;
      }
    }
    return record;
  }

  function fieldsFor(path: string, bytes: Uint8Array) {
    return {
      path: { value: path, type: 'STRING' },
      // [types]: Bytes is "represented by a Base64-encoded string".
      bytes: { value: base64.encode(bytes), type: 'BYTES' },
      size: { value: bytes.length, type: 'INT64' },
    };
  }

  async function requireZone(): Promise<void> {
    if (!zoneReady) await ensureZone();
  }

  const drive: CloudKitCloud = {
    provider,

    currentWebAuthToken: () => webAuthToken,

    async status(): Promise<DriveStatus> {
      // [caller]: GET …/public/users/caller answers users[0].userRecordName.
      let answer: CkAnswer;
      try {
        answer = await call('users.caller', 'public/users/caller', undefined);
      } catch (error) {
        if (error instanceof CloudError && error.code === 'not-signed-in') return { account: null, hms: 'ok' };
        throw error;
      }
      failOn('users.caller', answer, 0);
      const users = answer.body.users as Array<{ userRecordName?: unknown }> | undefined;
      const name = users?.[0]?.userRecordName ?? answer.body.userRecordName;
      if (typeof name !== 'string' || name === '') throw corruptError(provider, 'users/caller named no user');
      return { account: name, hms: 'ok' };
    },

    async read(path: string, limit: ReadLimit): Promise<Uint8Array | null> {
      checkDrivePath(path);
      recordNameOf(path); // refuses a path too long for a record name before any request
      // The answer holds the bytes as base64 (4 characters per 3 bytes) plus the record's JSON.
      const cap = Math.ceil(limit.maxBytes / 3) * 4 + ENVELOPE_BYTES;
      let record: CkRecord | null;
      try {
        record = await lookup('records.lookup', path, ['path', 'bytes', 'size'], cap);
      } catch (error) {
        if (error instanceof BodyTooLarge) throw tooLargeError(provider, path, limit.maxBytes);
        throw error;
      }
      if (record === null) return null;
      const size = record.fields?.size?.value;
      if (typeof size === 'number' && size > limit.maxBytes) throw tooLargeError(provider, path, limit.maxBytes);
      const encoded = record.fields?.bytes?.value ?? '';
      if (typeof encoded !== 'string') throw corruptError(provider, `the record of ${JSON.stringify(path)} has no bytes field`);
      let bytes: Uint8Array;
      try {
        bytes = base64.decode(encoded);
      } catch (error) {
        if (error instanceof Error) throw corruptError(provider, `the record of ${JSON.stringify(path)} holds invalid base64`);
        throw error;
      }
      if (bytes.length > limit.maxBytes) throw tooLargeError(provider, path, limit.maxBytes);
      return bytes;
    },

    async write(path: string, bytes: Uint8Array): Promise<void> {
      checkDrivePath(path);
      recordNameOf(path); // refuses a path too long for a record name before any request
      const copy = bytes.slice();
      await requireZone();
      await refuseFolderClash(path);
      for (let round = 0; round < CAS_ROUNDS; round++) {
        const current = await lookup('records.lookup', path, ['size'], META_MAX_BYTES);
        const op = current === null
          ? { operationType: 'create', record: { recordName: recordNameOf(path), recordType: CLOUDKIT_RECORD_TYPE, fields: fieldsFor(path, copy) } }
          : {
              operationType: 'update',
              record: { recordName: recordNameOf(path), recordType: CLOUDKIT_RECORD_TYPE, recordChangeTag: current.recordChangeTag, fields: fieldsFor(path, copy) },
            };
        const result = await modifyOne('records.modify', op, copy.length);
        // [errors]: CONFLICT "the recordChangeTag value expired", EXISTS "already exists": another writer got in.
        if (result.serverErrorCode === 'CONFLICT' || result.serverErrorCode === 'EXISTS' || result.serverErrorCode === 'NOT_FOUND') continue;
        return;
      }
      throw networkError(provider, `${JSON.stringify(path)} kept changing under this write (${CAS_ROUNDS} tries)`);
    },

    async create(path: string, bytes: Uint8Array): Promise<CreateResult> {
      checkDrivePath(path);
      recordNameOf(path); // refuses a path too long for a record name before any request
      const copy = bytes.slice();
      await requireZone();
      await refuseFolderClash(path);
      const result = await modifyOne(
        'records.modify',
        { operationType: 'create', record: { recordName: recordNameOf(path), recordType: CLOUDKIT_RECORD_TYPE, fields: fieldsFor(path, copy) } },
        copy.length,
      );
      // [modify] create "fails if a record with the same record name already exists"; [errors] EXISTS 409.
      if (result.serverErrorCode === 'EXISTS' || result.serverErrorCode === 'CONFLICT') return 'exists';
      if (result.serverErrorCode) recordFailure('records.modify', result, copy.length);
      return 'created';
    },

    async list(prefix: string): Promise<string[]> {
      const folder = checkDrivePrefix(prefix);
      const paths: string[] = [];
      await forEachRecord('records.query', ['path'], (record) => {
        const path = record.recordName ? pathOfRecordName(record.recordName) : null;
        if (path !== null && isUnderFolder(path, folder)) paths.push(path);
      });
      return paths.sort();
    },

    async delete(path: string): Promise<void> {
      checkDrivePath(path);
      recordNameOf(path); // refuses a path too long for a record name before any request
      await requireZone();
      // [modify]: forceDelete deletes "regardless of conflicts"; NOT_FOUND means already gone.
      await modifyOne('records.modify', { operationType: 'forceDelete', record: { recordName: recordNameOf(path) } }, 0);
    },

    async quota(): Promise<DriveQuota> {
      let usedBytes = 0;
      await forEachRecord('records.query', ['size'], (record) => {
        const size = record.fields?.size?.value;
        if (typeof size === 'number' && Number.isFinite(size) && size >= 0) usedBytes += size;
      });
      return { usedBytes, totalBytes: Number.MAX_SAFE_INTEGER };
    },
  };

  /** A file where a folder of `path` is needed, or files under `path` itself: a plain Error (records are flat). */
  async function refuseFolderClash(path: string): Promise<void> {
    const paths = new Set<string>();
    await forEachRecord('records.query', ['path'], (record) => {
      const recordPath = record.recordName ? pathOfRecordName(record.recordName) : null;
      if (recordPath !== null) paths.add(recordPath);
    });
    const fileInTheWay = enclosingFolders(path).find((folder) => paths.has(folder));
    if (fileInTheWay !== undefined) throw new Error(`Cannot write cloud file "${path}": "${fileInTheWay}" is a file, not a folder`);
    for (const existing of paths) {
      if (isUnderFolder(existing, path)) throw new Error(`Cannot write cloud file "${path}": it is a folder`);
    }
  }

  /** [query]: records/query, following continuationMarker until a page comes without one. */
  async function forEachRecord(operation: string, desiredKeys: string[], visit: (record: CkRecord) => void): Promise<void> {
    let marker: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const answer = await inZone(operation, 'private/records/query', {
        query: { recordType: CLOUDKIT_RECORD_TYPE },
        resultsLimit: PAGE_SIZE,
        desiredKeys,
        ...(marker === undefined ? {} : { continuationMarker: marker }),
      });
      failOn(operation, answer, 0);
      for (const record of (answer.body.records as CkRecord[] | undefined) ?? []) {
        if (record.serverErrorCode || !record.recordName || seen.has(record.recordName)) continue;
        seen.add(record.recordName);
        visit(record);
      }
      const next = answer.body.continuationMarker;
      if (typeof next !== 'string' || next === '') return;
      if (next === marker) throw corruptError(provider, `${operation} repeated its continuation marker`);
      marker = next;
    }
  }

  return drive;
}

function parseJson(raw: Uint8Array): Record<string, unknown> | null {
  if (raw.length === 0) return null;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(raw));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/** [errdict]: `retryAfter`, read as seconds (see the header comment). */
function retryAfterOf(body: { retryAfter?: unknown } | null): number | null {
  const seconds = body?.retryAfter;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}
