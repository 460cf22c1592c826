/**
 * A Google Drive emulator for tests: the third-party `google-drive-mock` (1.2.0) as the server,
 * behind a fault-injecting proxy of ours on 127.0.0.1 (node:http, port 0).
 *
 * What the mock does (read in node_modules/google-drive-mock/src): multipart create (metadata
 * spread into the file, so a client `id` is used as given), list with `q` (`name = '…'`,
 * `trashed = false`), pageSize/pageToken, get with alt=media, PATCH media update, delete (204/404),
 * `about`, and 401 for any token but two fixed ones. What it lacks, and this proxy adds:
 *   - binary bodies: the mock parses uploads as UTF-8 text, so the proxy carries media through it
 *     as "b64:<base64>" text and decodes it again on download;
 *   - the appDataFolder space: the mock ignores `spaces`; the proxy keeps a listing with
 *     spaces=appDataFolder to files whose parents hold 'appDataFolder' (and the drive space to the rest);
 *   - files.generateIds (v3): the mock has only the v2 route;
 *   - a create with an id already in use: Drive answers 409, the mock would overwrite the file;
 *   - Google's error body {error:{code,message,errors:[{domain,reason,message}]}} (the mock's has no errors[]);
 *   - storage quota: usage counted by the proxy, a settable limit (or none: unlimited), 403
 *     storageQuotaExceeded beyond it;  https://developers.google.com/drive/api/guides/handle-errors
 *   - accounts: each token belongs to one account, and an account sees only its own files (the
 *     proxy stores names upstream as "@<account>/<name>" and checks the owner of every id);
 *   - tokens that can expire (401 authError);
 *   - scripted faults: any status with a reason and Retry-After, a connection dropped before the
 *     request reaches the mock or after it did (the answer lost), an upload cut off mid-body, a
 *     huge download body;
 *   - paging faults: a forced small page size (partial pages) and an empty page before each real one;
 *   - holds: a matching request waits until the test releases it, to force interleavings.
 * The mock keeps one store per process (a module singleton): one emulator per test file at a time.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer } from 'google-drive-mock';
import { readHalfThenCut } from './cut-request.ts';

export interface RequestSeen {
  method: string;
  /** Path only; no query (no token is ever in a query, but the log stays minimal). */
  path: string;
  op: string;
}

export type FaultAction =
  | { kind: 'status'; status: number; reason?: string; retryAfter?: string }
  | { kind: 'drop-before' }
  | { kind: 'drop-after' }
  | { kind: 'huge'; bytes: number; declareLength?: boolean }
  /** The answer's headers and half its body, then the connection drops (a download cut off). */
  | { kind: 'cut-body' }
  /** A listing that does not show the file made last (a listing lagging behind a create). */
  | { kind: 'lagging-list' }
  /** An upload cut off mid-body: half the request body is read, then the connection drops (nothing reaches the mock). */
  | { kind: 'cut-request' };

export interface HeldRequest {
  readonly op: string;
  release(): void;
}

/** Operation names the proxy gives requests, like the adapter's: files.list, files.create, … */
export type DriveOp = 'files.list' | 'files.create' | 'files.update' | 'files.get' | 'files.delete' | 'files.generateIds' | 'about.get' | 'other';

export interface DriveEmulator {
  readonly url: string;
  readonly requests: RequestSeen[];
  /**
   * A fresh token for an account (default alice@example.com). `drive` names the set of files it
   * sees (default: the account's own): tests that need a fresh, empty Drive of the same account
   * (one per property run) give each run its own.
   */
  issueToken(account?: string, options?: { drive?: string }): string;
  expireToken(token: string): void;
  /** The next `times` requests of `op` (or any; 'upload': files.create or files.update) get `action`. Faults queue in order. */
  fail(op: DriveOp | 'any' | 'upload', action: FaultAction, times?: number): void;
  /** null: unlimited (about has no `limit`). */
  setQuotaLimit(bytes: number | null): void;
  usedBytes(account?: string): number;
  /** Pages hold at most this many files (null: what the client asked). */
  setPageSize(size: number | null): void;
  /** An empty page (with a next token) before every real page. */
  setEmptyPages(on: boolean): void;
  /** The next request of `op` matching waits for release(); resolves once it is waiting. */
  hold(op: DriveOp, matches?: (body: Buffer) => boolean): Promise<HeldRequest>;
  /** Stores a file directly (as a crashed device would have left it), in appDataFolder unless told. */
  seed(name: string, bytes: Uint8Array, options?: { createdTime?: string; parents?: string[]; account?: string }): Promise<string>;
  /** Drops every queued fault and pending corruption. */
  clearFaults(): void;
  /** The next download (files.get alt=media) of a file whose name (as its owner sees it) matches comes with one bit flipped (the lowest of the middle byte); the stored file is untouched. */
  corruptNextDownload(matches: (name: string) => boolean): void;
  /** Deletes a file straight from the mock (as another device would have), bypassing faults. */
  removeFile(id: string): Promise<void>;
  /** Every file the mock holds: owner, id, name (as the owner sees it), parents, createdTime and decoded bytes. */
  files(): Promise<Array<{ account: string; id: string; name: string; parents: string[]; createdTime: string; bytes: Uint8Array }>>;
  close(): Promise<void>;
}

const UPSTREAM_TOKEN = 'valid-token';
const ALICE = 'alice@example.com';
const prefixOf = (account: string): string => `@${account}/`;

function googleError(code: number, reason: string, message: string, domain = 'global') {
  return JSON.stringify({ error: { code, message, errors: [{ domain, reason, message }] } });
}

function opOf(method: string, path: string): DriveOp {
  if (path === '/drive/v3/files/generateIds') return 'files.generateIds';
  if (path === '/drive/v3/about') return 'about.get';
  if (path === '/drive/v3/files' && method === 'GET') return 'files.list';
  if (path === '/upload/drive/v3/files' && method === 'POST') return 'files.create';
  if (path.startsWith('/upload/drive/v3/files/') && method === 'PATCH') return 'files.update';
  if (path.startsWith('/drive/v3/files/') && method === 'GET') return 'files.get';
  if (path.startsWith('/drive/v3/files/') && method === 'DELETE') return 'files.delete';
  return 'other';
}

async function readAll(stream: IncomingMessage, max = 32 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > max) throw new Error('request body over the emulator cap');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The parts of a multipart/related body: [headers, body] each, binary-safe. */
function multipartParts(body: Buffer, boundary: string): Array<{ headers: string; body: Buffer }> {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ headers: string; body: Buffer }> = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const raw = body.subarray(start + delimiter.length, next);
    const split = raw.indexOf('\r\n\r\n');
    if (split !== -1) {
      let content = raw.subarray(split + 4);
      if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
      parts.push({ headers: raw.subarray(0, split).toString(), body: content });
    }
    start = next;
  }
  return parts;
}

const B64 = 'b64:';
function encodeMedia(bytes: Uint8Array): string {
  return B64 + Buffer.from(bytes).toString('base64');
}
function decodeMedia(text: Buffer): Buffer {
  const asText = text.toString('utf8');
  return asText.startsWith(B64) ? Buffer.from(asText.slice(B64.length), 'base64') : text;
}

export async function startDriveEmulator(options: { port?: number } = {}): Promise<DriveEmulator> {
  const upstream: Server = startServer(0, '127.0.0.1');
  await new Promise<void>((resolve) => (upstream.listening ? resolve() : upstream.once('listening', () => resolve())));
  const upstreamPort = (upstream.address() as AddressInfo).port;

  const requests: RequestSeen[] = [];
  const tokens = new Map<string, { account: string; drive: string; expired: boolean }>();
  /** The account each file id belongs to. */
  const owners = new Map<string, string>();
  const faults: Array<{ op: DriveOp | 'any' | 'upload'; action: FaultAction; times: number }> = [];
  const faultMatches = (faultOp: DriveOp | 'any' | 'upload', op: DriveOp): boolean =>
    faultOp === 'any' || faultOp === op || (faultOp === 'upload' && (op === 'files.create' || op === 'files.update'));
  const holds: Array<{ op: DriveOp; matches: (body: Buffer) => boolean; arrived: (held: HeldRequest) => void }> = [];
  /** Decoded size of each file the proxy saw made, by id: the quota's usage. */
  const sizes = new Map<string, number>();
  const corruptions: Array<(name: string) => boolean> = [];
  let quotaLimit: number | null = 15 * 1024 * 1024;
  let pageSize: number | null = null;
  let emptyPages = false;

  function send(upPath: string, method: string, body: Buffer | string | null, contentType?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${UPSTREAM_TOKEN}` };
      if (contentType !== undefined) headers['content-type'] = contentType;
      const payload = body === null ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
      if (payload !== null) headers['content-length'] = String(payload.length);
      const request = http.request({ host: '127.0.0.1', port: upstreamPort, path: upPath, method, headers }, (response) => {
        readAll(response).then((data) => resolve({ status: response.statusCode ?? 500, headers: response.headers, body: data }), reject);
      });
      request.on('error', reject);
      request.end(payload ?? undefined);
    });
  }

  function reply(res: ServerResponse, status: number, body: Buffer | string, headers: Record<string, string> = {}): void {
    const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': String(payload.length), ...headers });
    res.end(payload);
  }

  /** Upstream errors in Google's shape (the mock's lack errors[]). */
  function relayError(res: ServerResponse, status: number, body: Buffer): void {
    let message = `HTTP ${status}`;
    try {
      const parsed = JSON.parse(body.toString()) as { error?: { message?: string; errors?: unknown[] } };
      if (parsed.error?.errors !== undefined) return reply(res, status, body);
      message = parsed.error?.message ?? message;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
    const reason = status === 404 ? 'notFound' : status === 401 ? 'authError' : 'badRequest';
    reply(res, status, googleError(status, reason, message));
  }

  function usage(account = ALICE): number {
    let total = 0;
    for (const [id, size] of sizes) if (owners.get(id) === account) total += size;
    return total;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const op = opOf(method, url.pathname);
    const cutIndex = faults.findIndex((fault) => faultMatches(fault.op, op));
    if (cutIndex !== -1 && faults[cutIndex]!.action.kind === 'cut-request') {
      const cut = faults[cutIndex]!;
      cut.times -= 1;
      if (cut.times <= 0) faults.splice(cutIndex, 1);
      requests.push({ method, path: url.pathname, op });
      return readHalfThenCut(req);
    }
    const body = await readAll(req);
    requests.push({ method, path: url.pathname, op });

    const holdIndex = holds.findIndex((hold) => hold.op === op && hold.matches(body));
    if (holdIndex !== -1) {
      const [hold] = holds.splice(holdIndex, 1);
      await new Promise<void>((release) => hold!.arrived({ op, release }));
    }

    const faultIndex = faults.findIndex((fault) => faultMatches(fault.op, op));
    let dropAfter = false;
    let cutBody = false;
    let laggingList = false;
    if (faultIndex !== -1) {
      const fault = faults[faultIndex]!;
      fault.times -= 1;
      if (fault.times <= 0) faults.splice(faultIndex, 1);
      const action = fault.action;
      if (action.kind === 'status') {
        const headers: Record<string, string> = action.retryAfter !== undefined ? { 'retry-after': action.retryAfter } : {};
        return reply(res, action.status, googleError(action.status, action.reason ?? 'backendError', `injected ${action.status}`, action.reason?.includes('RateLimit') ? 'usageLimits' : 'global'), headers);
      }
      if (action.kind === 'drop-before') {
        req.socket.destroy();
        return;
      }
      if (action.kind === 'huge') {
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        res.writeHead(200, { 'content-type': 'application/octet-stream', ...(action.declareLength ? { 'content-length': String(action.bytes) } : {}) });
        let sent = 0;
        const pump = (): void => {
          while (sent < action.bytes) {
            const piece = chunk.subarray(0, Math.min(chunk.length, action.bytes - sent));
            sent += piece.length;
            if (!res.write(piece)) return void res.once('drain', pump);
          }
          res.end();
        };
        // The client is expected to hang up mid-body (a capped read): that error ends the pump, nothing else.
        res.on('error', () => undefined);
        res.on('close', () => (sent = action.bytes));
        pump();
        return;
      }
      if (action.kind === 'cut-body') cutBody = true;
      else if (action.kind === 'lagging-list') laggingList = true;
      else dropAfter = true;
    }

    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
    const known = tokens.get(token);
    if (known === undefined || known.expired) {
      return reply(res, 401, googleError(401, 'authError', 'Request had invalid authentication credentials.'), { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' });
    }

    // `account` below is the set of files the token sees (the account's Drive); `about` shows its user.
    const account = known.drive;
    const prefix = prefixOf(account);
    const notFound = (): void => reply(res, 404, googleError(404, 'notFound', 'File not found.'));
    const finish = (status: number, payload: Buffer | string, headers: Record<string, string> = {}): void => {
      if (dropAfter) {
        req.socket.destroy();
        return;
      }
      if (cutBody) {
        const whole = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
        res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': String(whole.length), ...headers });
        res.write(whole.subarray(0, Math.floor(whole.length / 2)), () => req.socket.destroy());
        return;
      }
      reply(res, status, payload, headers);
    };

    switch (op) {
      case 'files.generateIds': {
        const count = Math.min(Number(url.searchParams.get('count') ?? '10') || 10, 1000);
        const ids = Array.from({ length: count }, () => randomBytes(24).toString('base64url'));
        return finish(200, JSON.stringify({ kind: 'drive#generatedIds', space: url.searchParams.get('space') ?? 'drive', ids }));
      }
      case 'about.get': {
        const answer = await send('/drive/v3/about', 'GET', null);
        const about = JSON.parse(answer.body.toString()) as { user: Record<string, unknown>; storageQuota: Record<string, string> };
        about.user.emailAddress = known.account;
        const quota: Record<string, string> = { usage: String(usage(account)), usageInDrive: String(usage(account)), usageInDriveTrash: '0' };
        if (quotaLimit !== null) quota.limit = String(quotaLimit);
        const fields = url.searchParams.get('fields') ?? '';
        const result: Record<string, unknown> = { kind: 'drive#about' };
        if (fields === '' || fields.includes('user')) result.user = about.user;
        if (fields === '' || fields.includes('storageQuota')) result.storageQuota = quota;
        return finish(200, JSON.stringify(result));
      }
      case 'files.create': {
        const contentType = req.headers['content-type'] ?? '';
        const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
        const parts = boundary === undefined ? [] : multipartParts(body, boundary);
        if (url.searchParams.get('uploadType') !== 'multipart' || parts.length !== 2) {
          return finish(400, googleError(400, 'badRequest', 'expected a multipart upload with metadata and media'));
        }
        const metadata = JSON.parse(parts[0]!.body.toString()) as { id?: string; name?: string; parents?: string[] };
        const media = parts[1]!.body;
        if (metadata.id !== undefined && sizes.has(metadata.id)) {
          return finish(409, googleError(409, 'duplicate', 'A file already exists with the provided ID.'));
        }
        if (quotaLimit !== null && usage(account) + media.length > quotaLimit) {
          return finish(403, googleError(403, 'storageQuotaExceeded', "The user's Drive storage quota has been exceeded.", 'usageLimits'));
        }
        const forwarded = `--wbe_emulator_part\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ ...metadata, name: prefix + (metadata.name ?? 'Untitled') })}\r\n--wbe_emulator_part\r\nContent-Type: text/plain\r\n\r\n${encodeMedia(media)}\r\n--wbe_emulator_part--`;
        const answer = await send(`/upload/drive/v3/files?uploadType=multipart`, 'POST', forwarded, 'multipart/related; boundary=wbe_emulator_part');
        if (answer.status !== 200) return relayError(res, answer.status, answer.body);
        const made = JSON.parse(answer.body.toString()) as { id: string };
        sizes.set(made.id, media.length);
        owners.set(made.id, account);
        return finish(200, JSON.stringify({ kind: 'drive#file', id: made.id, name: metadata.name }));
      }
      case 'files.update': {
        const id = decodeURIComponent(url.pathname.slice('/upload/drive/v3/files/'.length));
        if (url.searchParams.get('uploadType') !== 'media') return finish(400, googleError(400, 'badRequest', 'expected uploadType=media'));
        if (owners.get(id) !== account) return notFound();
        const old = sizes.get(id) ?? 0;
        if (quotaLimit !== null && usage(account) - old + body.length > quotaLimit) {
          return finish(403, googleError(403, 'storageQuotaExceeded', "The user's Drive storage quota has been exceeded.", 'usageLimits'));
        }
        const answer = await send(`/upload/drive/v3/files/${encodeURIComponent(id)}?uploadType=media`, 'PATCH', encodeMedia(body), 'text/plain');
        if (answer.status !== 200) return relayError(res, answer.status, answer.body);
        sizes.set(id, body.length);
        return finish(200, JSON.stringify({ kind: 'drive#file', id }));
      }
      case 'files.get': {
        if (owners.get(decodeURIComponent(url.pathname.slice('/drive/v3/files/'.length))) !== account) return notFound();
        const answer = await send(`${url.pathname}${url.search}`, 'GET', null);
        if (answer.status !== 200) return relayError(res, answer.status, answer.body);
        if (url.searchParams.get('alt') === 'media') {
          let media = decodeMedia(answer.body);
          if (corruptions.length > 0 && media.length > 0) {
            const meta = await send(url.pathname, 'GET', null);
            const name = (JSON.parse(meta.body.toString()) as { name?: string }).name?.slice(prefix.length) ?? '';
            const index = corruptions.findIndex((matches) => matches(name));
            if (index !== -1) {
              corruptions.splice(index, 1);
              media = Buffer.from(media);
              media[Math.floor(media.length / 2)]! ^= 1;
            }
          }
          return finish(200, media, { 'content-type': 'application/octet-stream' });
        }
        const metadata = JSON.parse(answer.body.toString()) as Record<string, unknown>;
        if (typeof metadata.name === 'string') metadata.name = metadata.name.slice(prefix.length);
        return finish(200, JSON.stringify(metadata));
      }
      case 'files.delete': {
        if (owners.get(decodeURIComponent(url.pathname.slice('/drive/v3/files/'.length))) !== account) return notFound();
        const answer = await send(url.pathname, 'DELETE', null);
        if (answer.status !== 204) return relayError(res, answer.status, answer.body);
        sizes.delete(decodeURIComponent(url.pathname.slice('/drive/v3/files/'.length)));
        if (dropAfter) return void req.socket.destroy();
        res.writeHead(204);
        res.end();
        return;
      }
      case 'files.list': {
        let pageToken = url.searchParams.get('pageToken');
        if (emptyPages && (pageToken === null || !pageToken.startsWith('e:'))) {
          return finish(200, JSON.stringify({ kind: 'drive#fileList', files: [], nextPageToken: `e:${pageToken ?? ''}` }));
        }
        if (pageToken?.startsWith('e:')) pageToken = pageToken.slice(2) || null;
        const space = url.searchParams.get('spaces') ?? 'drive';
        const asked = Number(url.searchParams.get('pageSize') ?? '100');
        const params = new URLSearchParams({ pageSize: String(pageSize === null ? asked : Math.min(asked, pageSize)) });
        const q = url.searchParams.get('q');
        if (q !== null) params.set('q', q.replaceAll("name = '", `name = '${prefix}`));
        if (pageToken !== null) params.set('pageToken', pageToken);
        const answer = await send(`/drive/v3/files?${params}`, 'GET', null);
        if (answer.status !== 200) return relayError(res, answer.status, answer.body);
        const page = JSON.parse(answer.body.toString()) as { files: Array<Record<string, unknown>>; nextPageToken?: string };
        // Drive's spaces: appDataFolder files are listed only with spaces=appDataFolder.
        const newest = [...owners.keys()].at(-1);
        const inSpace = page.files.filter(
          (file) => !(laggingList && file.id === newest) && owners.get(file.id as string) === account && ((file.parents as string[] | undefined) ?? []).includes('appDataFolder') === (space === 'appDataFolder'),
        );
        const files = inSpace.map((file) => ({ kind: 'drive#file', id: file.id, name: (file.name as string).slice(prefix.length), createdTime: file.createdTime, mimeType: file.mimeType, size: String(sizes.get(file.id as string) ?? 0) }));
        return finish(200, JSON.stringify({ kind: 'drive#fileList', files, ...(page.nextPageToken !== undefined ? { nextPageToken: page.nextPageToken } : {}) }));
      }
      default:
        return finish(404, googleError(404, 'notFound', 'the emulator has no such route'));
    }
  }

  const proxy = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, googleError(500, 'backendError', `emulator: ${error instanceof Error ? error.message : String(error)}`));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => proxy.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  await send('/debug/clear', 'POST', null);

  return {
    url,
    requests,
    issueToken(account = ALICE, options = {}) {
      const token = `tok-${randomBytes(12).toString('hex')}`;
      tokens.set(token, { account, drive: options.drive ?? account, expired: false });
      return token;
    },
    expireToken(token) {
      const known = tokens.get(token);
      if (known !== undefined) known.expired = true;
    },
    fail(op, action, times = 1) {
      faults.push({ op, action, times });
    },
    setQuotaLimit(bytes) {
      quotaLimit = bytes;
    },
    usedBytes: usage,
    setPageSize(size) {
      pageSize = size;
    },
    setEmptyPages(on) {
      emptyPages = on;
    },
    hold(op, matches = () => true) {
      return new Promise((arrived) => holds.push({ op, matches, arrived }));
    },
    async seed(name, bytes, options = {}) {
      const account = options.account ?? ALICE;
      const metadata = { name: prefixOf(account) + name, parents: options.parents ?? ['appDataFolder'], mimeType: 'application/octet-stream', ...(options.createdTime ? { createdTime: options.createdTime } : {}) };
      const forwarded = `--wbe_emulator_part\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(metadata)}\r\n--wbe_emulator_part\r\nContent-Type: text/plain\r\n\r\n${encodeMedia(bytes)}\r\n--wbe_emulator_part--`;
      const answer = await send('/upload/drive/v3/files?uploadType=multipart', 'POST', forwarded, 'multipart/related; boundary=wbe_emulator_part');
      const made = JSON.parse(answer.body.toString()) as { id: string };
      sizes.set(made.id, bytes.length);
      owners.set(made.id, account);
      return made.id;
    },
    clearFaults() {
      faults.length = 0;
      corruptions.length = 0;
    },
    corruptNextDownload(matches) {
      corruptions.push(matches);
    },
    async removeFile(id) {
      await send(`/drive/v3/files/${encodeURIComponent(id)}`, 'DELETE', null);
      sizes.delete(id);
      owners.delete(id);
    },
    async files() {
      const answer = await send('/drive/v3/files?pageSize=1000', 'GET', null);
      const page = JSON.parse(answer.body.toString()) as { files: Array<{ id: string; name: string; parents?: string[]; createdTime: string }> };
      const result = [];
      for (const file of page.files) {
        const media = await send(`/drive/v3/files/${encodeURIComponent(file.id)}?alt=media`, 'GET', null);
        const account = owners.get(file.id) ?? '';
        result.push({ account, id: file.id, name: file.name.slice(prefixOf(account).length), parents: file.parents ?? [], createdTime: file.createdTime, bytes: new Uint8Array(decodeMedia(media.body)) });
      }
      return result;
    },
    async close() {
      proxy.closeAllConnections();
      upstream.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    },
  };
}
