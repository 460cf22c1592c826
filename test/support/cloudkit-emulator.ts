/**
 * A small CloudKit Web Services emulator (node:http on 127.0.0.1, port 0), written from Apple's
 * CloudKit Web Services Reference because no emulator exists. Pages cited per behaviour:
 *   [compose] SettingUpWebServices.html   [modify] ModifyRecords.html   [query] QueryingRecords.html
 *   [caller]  FetchCurrentUserIdentity.html   [types] Types.html   [errors] ErrorCodes.html
 * (all under https://developer.apple.com/library/archive/documentation/DataManagement/Conceptual/CloudKitWebServicesReference/).
 *
 * It models: paths /database/1/{container}/{environment}/{private|public}/…, the API token and
 * web auth token in the query string [compose], one private database per signed-in user with
 * zones (zones/modify create; ZONE_NOT_FOUND until made [errors]), records/modify with the
 * operation types create, update, forceUpdate, replace, forceReplace, delete, forceDelete and
 * recordChangeTag checks (EXISTS, CONFLICT, NOT_FOUND as per-record errors in a 200 answer
 * [modify][errors]), records/lookup, records/query paged by continuationMarker [query], users/caller
 * [caller], Bytes as base64 [types], a per-user iCloud quota (413 QUOTA_EXCEEDED [errors]), and a
 * new web auth token on every answer (X-Apple-CloudKit-Web-Auth-Token header; behaviour observed
 * in CloudKit JS, not on a reference page).
 *
 * Fault injection: one-shot HTTP errors (421, 401, 413, 429/503 with retryAfter, any status),
 * per-record errors in a 200 answer, dropped connections (before or after the change is applied),
 * an upload cut off mid-body (test/support/cut-request.ts),
 * partial query pages (empty or single-record pages before the end), expiry of superseded tokens,
 * and holding a request until the test releases it (to force an interleaving).
 *
 * It lacks: assets, sync tokens (changes/*), subscriptions, sharing, the public database's
 * records, query filters and sorts, real record size accounting (a record's size here is its
 * Bytes fields' decoded length), and Apple's exact wording of `reason`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readHalfThenCut } from './cut-request.ts';

export const WEB_AUTH_TOKEN_HEADER = 'X-Apple-CloudKit-Web-Auth-Token';
/** CloudKit's per-record limit (1 MB); the emulator refuses bigger records with BAD_REQUEST. */
export const RECORD_LIMIT_BYTES = 1_000_000;
const REQUEST_LIMIT_BYTES = 2 * 1024 * 1024;
const DEFAULT_ZONE = '_defaultZone';

type FieldValue = { value: unknown; type?: string };
interface StoredRecord {
  recordName: string;
  recordType: string;
  fields: Record<string, FieldValue>;
  recordChangeTag: string;
}
type Zone = Map<string, StoredRecord>;
interface UserData {
  zones: Map<string, Zone>;
  quotaBytes: number;
}

export type Operation = 'records/modify' | 'records/lookup' | 'records/query' | 'zones/modify' | 'users/caller';

export type Fault =
  /** A top-level error answer: `{ serverErrorCode, reason, retryAfter? }` with this HTTP status. */
  | { kind: 'http'; status: number; code: string; retryAfter?: number }
  /** A 200 answer whose records[] holds one error dictionary per requested record [modify]. */
  | { kind: 'record'; code: string; retryAfter?: number }
  /** The connection is destroyed: before the request is applied, or after (the answer is lost). */
  | { kind: 'drop'; when: 'before' | 'after' }
  /** An upload cut off mid-body: half the request body is read, then the connection drops; nothing is applied. */
  | { kind: 'cut-request' };

export interface HeldRequest {
  /** Resolves when a matching request has arrived and is being held. */
  arrived: Promise<void>;
  release(): void;
}

export interface RequestLogEntry {
  operation: string;
  webAuthToken: string | null;
  status: number;
}

export interface CloudKitEmulator {
  url: string;
  container: string;
  environment: string;
  apiToken: string;
  /** Starts a session for the user: the web auth token to give the adapter. */
  signIn(user: string): string;
  /** The userRecordName users/caller answers for a user. */
  userRecordName(user: string): string;
  /** From now on only each session's latest token works; older ones answer 401 AUTHENTICATION_FAILED. */
  expireSupersededTokens(): void;
  /** Every token of the user stops working (signed out elsewhere). */
  signOut(user: string): void;
  setQuotaBytes(user: string, bytes: number): void;
  /** The next request for `operation` (or any) fails with the fault. */
  failNext(operation: Operation | 'any', fault: Fault): void;
  /** Query pages hold at most one record and alternate with empty pages, each with a continuationMarker until the end. */
  partialPages(on: boolean): void;
  /** Holds the next request matching the predicate until released. */
  hold(match: (operation: string, body: Record<string, unknown>) => boolean): HeldRequest;
  /** Stores a record directly (no limit, no quota): to seed what another app or a bug left. */
  putRecord(user: string, zone: string, record: { recordName: string; recordType: string; fields: Record<string, FieldValue> }): void;
  /** Each user's records in a zone: recordName → decoded Bytes field `bytes`. */
  records(user: string, zone: string): Record<string, Uint8Array>;
  zones(user: string): string[];
  /** Deletes a zone and its records (the user reset the app's data, or another device deleted it). */
  dropZone(user: string, zone: string): void;
  log: RequestLogEntry[];
  close(): Promise<void>;
}

export async function startCloudKitEmulator(options: { container?: string; environment?: string; apiToken?: string; quotaBytes?: number; port?: number } = {}): Promise<CloudKitEmulator> {
  const container = options.container ?? 'iCloud.org.example.wallet';
  const environment = options.environment ?? 'development';
  const apiToken = options.apiToken ?? 'api-token-for-tests';
  const defaultQuota = options.quotaBytes ?? 5 * 1024 * 1024 * 1024;
  const users = new Map<string, UserData>();
  /** token → session id; session id → { user, latest token }. */
  const tokens = new Map<string, number>();
  const sessions = new Map<number, { user: string; latest: string; active: boolean }>();
  const faults: Array<{ operation: Operation | 'any'; fault: Fault }> = [];
  const holds: Array<{ match: (operation: string, body: Record<string, unknown>) => boolean; arrive: () => void; gate: Promise<void> }> = [];
  const log: RequestLogEntry[] = [];
  let partial = false;
  let partialToggle = 0;
  let tokenCounter = 0;
  let sessionCounter = 0;
  let tagCounter = 0;
  let markerCounter = 0;

  function userData(user: string): UserData {
    let data = users.get(user);
    if (!data) {
      data = { zones: new Map([[DEFAULT_ZONE, new Map()]]), quotaBytes: defaultQuota };
      users.set(user, data);
    }
    return data;
  }

  function issueToken(session: number): string {
    tokenCounter += 1;
    // Characters that need URL encoding, as real web auth tokens have them.
    const token = `wat+${session}/${tokenCounter}=`;
    tokens.set(token, session);
    sessions.get(session)!.latest = token;
    return token;
  }

  function recordSize(record: { fields: Record<string, FieldValue> }): number {
    let size = 0;
    for (const field of Object.values(record.fields)) {
      if (field.type === 'BYTES' && typeof field.value === 'string') size += Buffer.from(field.value, 'base64').length;
    }
    return size;
  }

  function usedBytes(data: UserData): number {
    let used = 0;
    for (const zone of data.zones.values()) for (const record of zone.values()) used += recordSize(record);
    return used;
  }

  function view(record: StoredRecord, desiredKeys: unknown): Record<string, unknown> {
    const keys = Array.isArray(desiredKeys) ? new Set(desiredKeys as string[]) : null;
    const fields = Object.fromEntries(Object.entries(record.fields).filter(([name]) => keys === null || keys.has(name)));
    return { recordName: record.recordName, recordType: record.recordType, recordChangeTag: record.recordChangeTag, fields };
  }

  const recordError = (recordName: unknown, code: string, reason: string, retryAfter?: number) => ({
    recordName,
    serverErrorCode: code,
    reason,
    ...(retryAfter === undefined ? {} : { retryAfter }),
  });

  function zoneOf(data: UserData, body: Record<string, unknown>): { name: string; zone: Zone | undefined } {
    const zoneID = body.zoneID as { zoneName?: string } | undefined;
    const name = zoneID?.zoneName ?? DEFAULT_ZONE;
    return { name, zone: data.zones.get(name) };
  }

  /** [modify]: applies the operations; with atomic (default true) a failure applies none. */
  function modify(data: UserData, body: Record<string, unknown>): { status: number; body: Record<string, unknown> } {
    const { zone } = zoneOf(data, body);
    const operations = Array.isArray(body.operations) ? (body.operations as Array<Record<string, unknown>>) : [];
    if (!zone) {
      return { status: 200, body: { records: operations.map((op) => recordError((op.record as StoredRecord | undefined)?.recordName, 'ZONE_NOT_FOUND', 'zone not found')) } };
    }
    const atomic = body.atomic !== false;
    const working = new Map(zone);
    const results: Array<Record<string, unknown>> = [];
    let failed = false;
    for (const op of operations) {
      const record = (op.record ?? {}) as Partial<StoredRecord>;
      const name = record.recordName;
      const existing = typeof name === 'string' ? working.get(name) : undefined;
      const type = String(op.operationType);
      const fail = (code: string, reason: string) => {
        failed = true;
        results.push(recordError(name, code, reason));
      };
      if (typeof name !== 'string' || name === '') {
        fail('BAD_REQUEST', 'recordName missing');
        continue;
      }
      if (type === 'delete' || type === 'forceDelete') {
        if (!existing) fail('NOT_FOUND', 'record not found');
        else if (type === 'delete' && record.recordChangeTag !== existing.recordChangeTag) fail('CONFLICT', 'recordChangeTag expired');
        else {
          working.delete(name);
          results.push({ recordName: name, deleted: true });
        }
        continue;
      }
      const fields = (record.fields ?? {}) as Record<string, FieldValue>;
      if (type === 'create' && existing) {
        fail('EXISTS', 'record exists');
        continue;
      }
      if ((type === 'update' || type === 'replace') && !existing) {
        fail('NOT_FOUND', 'record not found');
        continue;
      }
      if ((type === 'update' || type === 'replace') && record.recordChangeTag !== existing!.recordChangeTag) {
        fail('CONFLICT', 'recordChangeTag expired');
        continue;
      }
      if (!['create', 'update', 'forceUpdate', 'replace', 'forceReplace'].includes(type)) {
        fail('BAD_REQUEST', 'unknown operationType');
        continue;
      }
      const merged = type.endsWith('pdate') && existing ? { ...existing.fields, ...fields } : fields;
      if (JSON.stringify(merged).length > RECORD_LIMIT_BYTES) {
        fail('BAD_REQUEST', 'record too large');
        continue;
      }
      tagCounter += 1;
      const stored: StoredRecord = { recordName: name, recordType: record.recordType ?? existing?.recordType ?? 'Record', fields: merged, recordChangeTag: `tag-${tagCounter}` };
      working.set(name, stored);
      results.push(view(stored, body.desiredKeys));
    }
    if (failed && atomic) {
      return { status: 200, body: { records: results.map((result) => (result.serverErrorCode ? result : recordError(result.recordName, 'ATOMIC_ERROR', 'another operation failed'))) } };
    }
    // [errors] QUOTA_EXCEEDED: "you exceeded the user's iCloud quota".
    const before = usedBytes(data);
    const zoneBefore = [...zone.values()].reduce((sum, record) => sum + recordSize(record), 0);
    const zoneAfter = [...working.values()].reduce((sum, record) => sum + recordSize(record), 0);
    const after = before - zoneBefore + zoneAfter;
    if (after > before && after > data.quotaBytes) {
      return { status: 413, body: { serverErrorCode: 'QUOTA_EXCEEDED', reason: 'iCloud storage is full' } };
    }
    zone.clear();
    for (const [name, record] of working) zone.set(name, record);
    return { status: 200, body: { records: results } };
  }

  function lookup(data: UserData, body: Record<string, unknown>) {
    const { zone } = zoneOf(data, body);
    if (!zone) return { status: 404, body: { serverErrorCode: 'ZONE_NOT_FOUND', reason: 'zone not found' } };
    const wanted = Array.isArray(body.records) ? (body.records as Array<{ recordName?: string }>) : [];
    return {
      status: 200,
      body: {
        records: wanted.map(({ recordName }) => {
          const record = recordName === undefined ? undefined : zone.get(recordName);
          return record ? view(record, body.desiredKeys) : recordError(recordName, 'NOT_FOUND', 'record not found');
        }),
      },
    };
  }

  /** [query]: sorted by recordName; the marker names the last record served, so pages stay right while records change. */
  function query(data: UserData, body: Record<string, unknown>) {
    const { zone } = zoneOf(data, body);
    if (!zone) return { status: 404, body: { serverErrorCode: 'ZONE_NOT_FOUND', reason: 'zone not found' } };
    const recordType = (body.query as { recordType?: string } | undefined)?.recordType;
    const after = typeof body.continuationMarker === 'string' ? (JSON.parse(Buffer.from(body.continuationMarker, 'base64url').toString('utf8')) as { after: string | null }).after : null;
    const all = [...zone.values()].filter((record) => record.recordType === recordType && (after === null || record.recordName > after)).sort((a, b) => (a.recordName < b.recordName ? -1 : 1));
    let limit = typeof body.resultsLimit === 'number' && body.resultsLimit > 0 ? body.resultsLimit : 200;
    if (partial) limit = partialToggle++ % 2 === 0 ? 0 : 1;
    const page = all.slice(0, limit);
    const more = all.length > page.length;
    const lastName = page.length > 0 ? page[page.length - 1]!.recordName : after;
    markerCounter += 1;
    return {
      status: 200,
      body: {
        records: page.map((record) => view(record, body.desiredKeys)),
        ...(more ? { continuationMarker: Buffer.from(JSON.stringify({ after: lastName, page: markerCounter }), 'utf8').toString('base64url') } : {}),
      },
    };
  }

  function zonesModify(data: UserData, body: Record<string, unknown>) {
    const operations = Array.isArray(body.operations) ? (body.operations as Array<{ operationType?: string; zone?: { zoneID?: { zoneName?: string } } }>) : [];
    const zones = operations.map((op) => {
      const name = op.zone?.zoneID?.zoneName;
      if (!name) return { serverErrorCode: 'BAD_REQUEST', reason: 'zoneName missing' };
      if (op.operationType === 'create') {
        if (!data.zones.has(name)) data.zones.set(name, new Map());
      } else if (op.operationType === 'delete') {
        data.zones.delete(name);
      }
      return { zoneID: { zoneName: name } };
    });
    return { status: 200, body: { zones } };
  }

  function send(res: ServerResponse, status: number, body: unknown, session: number | null): void {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8' };
    if (session !== null && sessions.get(session)?.active) headers[WEB_AUTH_TOKEN_HEADER] = issueToken(session);
    res.writeHead(status, headers);
    res.end(JSON.stringify(body));
  }

  async function readBody(req: IncomingMessage): Promise<string | null> {
    let total = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      total += (chunk as Buffer).length;
      if (total > REQUEST_LIMIT_BYTES) return null;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const prefix = `/database/1/${container}/${environment}/`;
    const decodedPath = decodeURIComponent(url.pathname);
    const rest = decodedPath.startsWith(prefix) ? decodedPath.slice(prefix.length) : null;
    const match = rest === null ? null : /^(private|public)\/(records\/modify|records\/lookup|records\/query|zones\/modify|users\/caller)$/.exec(rest);
    const operation = match?.[2] ?? 'unknown';
    const token = url.searchParams.get('ckWebAuthToken');
    const entry: RequestLogEntry = { operation, webAuthToken: token, status: 0 };
    log.push(entry);
    const answer = (status: number, body: unknown, session: number | null) => {
      entry.status = status;
      send(res, status, body, session);
    };
    const cutIndex = faults.findIndex((next) => next.operation === 'any' || next.operation === operation);
    if (cutIndex >= 0 && faults[cutIndex]!.fault.kind === 'cut-request') {
      faults.splice(cutIndex, 1);
      entry.status = -1;
      return readHalfThenCut(req);
    }
    const text = await readBody(req);
    if (text === null) return answer(400, { serverErrorCode: 'BAD_REQUEST', reason: 'request too large' }, null);
    if (!match) return answer(404, { serverErrorCode: 'NOT_FOUND', reason: 'no such endpoint' }, null);
    const expectedDatabase = operation === 'users/caller' ? 'public' : 'private';
    if (match[1] !== expectedDatabase) return answer(400, { serverErrorCode: 'BAD_REQUEST', reason: 'wrong database' }, null);
    // [compose]: ?ckAPIToken=…&ckWebAuthToken=…
    if (url.searchParams.get('ckAPIToken') !== apiToken) return answer(401, { serverErrorCode: 'AUTHENTICATION_FAILED', reason: 'bad API token' }, null);
    // [errors]: 421 when no user authentication was given, 401 when it was rejected.
    if (token === null || token === '') return answer(421, { serverErrorCode: 'AUTHENTICATION_REQUIRED', reason: 'sign in', redirectURL: 'https://idmsa.apple.com/' }, null);
    const session = tokens.get(token);
    const state = session === undefined ? undefined : sessions.get(session);
    if (session === undefined || !state || !state.active) return answer(401, { serverErrorCode: 'AUTHENTICATION_FAILED', reason: 'web auth token rejected' }, null);
    let body: Record<string, unknown> = {};
    if (text !== '') {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        return answer(400, { serverErrorCode: 'BAD_REQUEST', reason: 'invalid JSON' }, session);
      }
    }
    const held = holds.findIndex((hold) => hold.match(operation, body));
    if (held >= 0) {
      const [hold] = holds.splice(held, 1);
      hold!.arrive();
      await hold!.gate;
    }
    const faultIndex = faults.findIndex((next) => next.operation === 'any' || next.operation === operation);
    const fault = faultIndex >= 0 ? faults.splice(faultIndex, 1)[0]!.fault : null;
    if (fault?.kind === 'drop' && fault.when === 'before') {
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'http') {
      return answer(fault.status, { serverErrorCode: fault.code, reason: 'injected', ...(fault.retryAfter === undefined ? {} : { retryAfter: fault.retryAfter }) }, session);
    }
    const data = userData(state.user);
    if (fault?.kind === 'record') {
      const names = (Array.isArray(body.operations) ? (body.operations as Array<{ record?: { recordName?: string } }>).map((op) => op.record?.recordName) : []).concat(
        Array.isArray(body.records) ? (body.records as Array<{ recordName?: string }>).map((record) => record.recordName) : [],
      );
      return answer(200, { records: names.map((name) => recordError(name, fault.code, 'injected', fault.retryAfter)) }, session);
    }
    let result: { status: number; body: Record<string, unknown> };
    if (operation === 'users/caller') result = { status: 200, body: { users: [{ userRecordName: userRecordNameOf(state.user) }] } };
    else if (operation === 'records/modify') result = modify(data, body);
    else if (operation === 'records/lookup') result = lookup(data, body);
    else if (operation === 'records/query') result = query(data, body);
    else result = zonesModify(data, body);
    if (fault?.kind === 'drop') {
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    answer(result.status, result.body, session);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ serverErrorCode: 'INTERNAL_ERROR', reason: error instanceof Error ? error.message : String(error) }));
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    container,
    environment,
    apiToken,
    log,
    signIn(user) {
      sessionCounter += 1;
      sessions.set(sessionCounter, { user, latest: '', active: true });
      userData(user);
      return issueToken(sessionCounter);
    },
    userRecordName: (user) => userRecordNameOf(user),
    expireSupersededTokens() {
      for (const [token, session] of tokens) if (sessions.get(session)?.latest !== token) tokens.delete(token);
    },
    signOut(user) {
      for (const state of sessions.values()) if (state.user === user) state.active = false;
    },
    setQuotaBytes(user, bytes) {
      userData(user).quotaBytes = bytes;
    },
    failNext(operation, fault) {
      faults.push({ operation, fault });
    },
    partialPages(on) {
      partial = on;
      partialToggle = 0;
    },
    hold(match) {
      let arrive!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      holds.push({ match, arrive, gate });
      return { arrived, release };
    },
    putRecord(user, zoneName, record) {
      const data = userData(user);
      let zone = data.zones.get(zoneName);
      if (!zone) data.zones.set(zoneName, (zone = new Map()));
      tagCounter += 1;
      zone.set(record.recordName, { ...record, recordChangeTag: `tag-${tagCounter}` });
    },
    records(user, zoneName) {
      const zone = users.get(user)?.zones.get(zoneName);
      const out: Record<string, Uint8Array> = {};
      for (const record of zone?.values() ?? []) {
        const value = record.fields.bytes?.value;
        out[record.recordName] = new Uint8Array(Buffer.from(typeof value === 'string' ? value : '', 'base64'));
      }
      return out;
    },
    zones: (user) => [...(users.get(user)?.zones.keys() ?? [])],
    dropZone(user, zoneName) {
      users.get(user)?.zones.delete(zoneName);
    },
    close() {
      for (const hold of holds.splice(0)) hold.arrive();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function userRecordNameOf(user: string): string {
  return `_${Buffer.from(user, 'utf8').toString('hex')}`;
}
