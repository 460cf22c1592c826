/**
 * A small HUAWEI Drive Kit server (REST drive/v1) on 127.0.0.1, for the adapter's tests. No
 * third-party emulator exists, so this one is written from the documented REST reference, only
 * the endpoints adapters/cloud/huawei-drive.ts uses, each citing its page:
 * - GET    /drive/v1/about?fields=*         About.get (storageQuota.usedSpace/userCapacity, user)
 *          https://developer.huawei.com/consumer/en/doc/HMSCore-References/server-api-aboutget-0000001050151684
 * - GET    /drive/v1/files?containers=applicationData[&queryParam=fileName = 'x'][&cursor=c]
 *          Files.list: pageSize 1..100 (default 100), "partial or empty result pages" before the
 *          end, nextCursor while results remain
 *          https://developer.huawei.com/consumer/en/doc/HMSCore-References/server-api-fileslist-0000001050153649
 * - POST   /upload/drive/v1/files?uploadType=multipart   Files.create (multipart)
 *          https://developer.huawei.com/consumer/cn/doc/HMSCore-References/server-api-filescreatemultipart-0000001050151694
 *          (link only: its body was not in the search index; the two-part related body follows the
 *          general Drive Kit upload convention)
 * - GET    /drive/v1/files/{fileId}?form=content          Files.get.content
 *          https://developer.huawei.com/consumer/en/doc/HMSCore-References/server-api-filesgetcontent-0000001050153651
 * - PATCH  /upload/drive/v1/files/{fileId}?uploadType=content   Files.update.patchcontent
 *          https://developer.huawei.com/consumer/en/doc/HMSCore-References/server-api-filesupdatepatchcontent-0000001050151700
 * - DELETE /drive/v1/files/{fileId}                       Files.delete (204)
 *          https://developer.huawei.com/consumer/cn/doc/HMSCore-References/server-api-filesdelete-0000001050153647 (link only)
 *
 * Errors carry HTTP status plus an 8-digit result code whose last four digits are those of the
 * status-code page (https://developer.huawei.com/consumer/en/doc/hmscore-guides/status-code-0000001050992633):
 * 401 21004011 (authentication failed), 401 21004016 (session expired), 403 21004039 (user storage
 * insufficient), 404 21004041 (file not found), 429 22074292 (APP_REQUEST_TOO_MANY, code from
 * issue 13), 403 21084031 (DATA_MIGRATING, from the Files.subscribe page's error table). The
 * JSON layout of an error body is not shown on any page found; this emulator uses
 * {"error":{"code":<status>,"description":...,"errorDetail":[{"errorCode":"<code>","reason":...}]}}.
 *
 * Like the real service (and unlike a POSIX folder), two files may share a name: nothing here
 * refuses a duplicate. Faults (one-shot, queued per operation; an upload cut off mid-body among
 * them, test/support/cut-request.ts), a request hold (to force
 * interleavings), token expiry, quota and paging are controlled by the test.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readHalfThenCut } from './cut-request.ts';

export type HuaweiOp = 'about.get' | 'files.list' | 'files.create' | 'files.get' | 'files.update' | 'files.delete';

export type HuaweiFault =
  /** Answer with this HTTP status and result code (and a Retry-After, in seconds, when given). */
  | { kind: 'error'; status: number; code: string; retryAfterSeconds?: number }
  /**
   * Destroy the connection without answering (a dropped connection); with `afterApplying`, the
   * request is carried out first and only the answer is lost (the client cannot tell it happened).
   */
  | { kind: 'drop'; afterApplying?: boolean }
  /** files.get only: stream this many bytes without Content-Length, whatever the file holds. */
  | { kind: 'oversize'; bytes: number }
  /** An upload cut off mid-body: half the request body is read, then the connection drops; nothing is stored. */
  | { kind: 'cut-request' };

export const HUAWEI_CODES = {
  AUTH_FAILED: '21004011',
  SESSION_EXPIRED: '21004016',
  STORAGE_FULL: '21004039',
  NOT_FOUND: '21004041',
  PARAM_INVALID: '21004002',
  DATA_MIGRATING: '21084031',
  APP_REQUEST_TOO_MANY: '22074292',
} as const;

export interface StoredFile {
  id: string;
  fileName: string;
  bytes: Uint8Array;
  createdTime: string;
  description?: string;
}

export interface HeldRequest {
  readonly op: HuaweiOp;
  /** The label given to the request's token in addToken (which device sent it). */
  readonly client: string;
  release(): void;
}

export interface HuaweiDriveEmulator {
  readonly url: string;
  /** A token that signs `account` in, and the label held requests carry; tokens are opaque, never logged. */
  addToken(token: string, account: string, client?: string): void;
  /** The token has expired: requests carrying it get 401 21004016 (session expired). */
  expireToken(token: string): void;
  setCapacity(account: string, bytes: number): void;
  /** Queues a one-shot fault for the next request of `op` (or of any op; 'upload': files.create or files.update). */
  failNext(op: HuaweiOp | 'any' | 'upload', fault: HuaweiFault): void;
  /** Files.list page size, and whether an empty page (with a nextCursor) comes before each further page. */
  setPaging(options: { pageSize: number; emptyPages?: boolean }): void;
  /** The next request matching is held before it touches any file, until released. */
  hold(matches: (op: HuaweiOp) => boolean): Promise<HeldRequest>;
  /**
   * Until called again with null, every request matching waits at the door and is listed in
   * waiting(), so a test can release them one by one in the order it chooses (any interleaving).
   */
  gate(matches: ((op: HuaweiOp) => boolean) | null): void;
  waiting(): HeldRequest[];
  /** Stores a file directly (test setup: duplicates, foreign files). */
  put(account: string, fileName: string, bytes: Uint8Array, options?: { createdTime?: string; id?: string }): StoredFile;
  files(account: string): StoredFile[];
  /** Every request handled: its operation and HTTP status (no token, no query). */
  readonly log: Array<{ op: HuaweiOp | 'unknown'; status: number }>;
  close(): Promise<void>;
}

const DEFAULT_CAPACITY = 15 * 1024 * 1024;
const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

export async function startHuaweiDriveEmulator(options: { port?: number } = {}): Promise<HuaweiDriveEmulator> {
  const tokens = new Map<string, { account: string; expired: boolean; client: string }>();
  let gated: ((op: HuaweiOp) => boolean) | null = null;
  const gateQueue: HeldRequest[] = [];
  const filesByAccount = new Map<string, StoredFile[]>();
  const capacity = new Map<string, number>();
  const faults: Array<{ op: HuaweiOp | 'any' | 'upload'; fault: HuaweiFault }> = [];
  const faultMatches = (faultOp: HuaweiOp | 'any' | 'upload', op: HuaweiOp | null): boolean =>
    faultOp === 'any' || faultOp === op || (faultOp === 'upload' && (op === 'files.create' || op === 'files.update'));
  const holds: Array<{ matches: (op: HuaweiOp) => boolean; caught: (held: HeldRequest) => void }> = [];
  const log: HuaweiDriveEmulator['log'] = [];
  const sockets = new Set<Socket>();
  let paging = { pageSize: 100, emptyPages: false };
  let lastTime = 0;
  let nextId = 1;

  function stamp(): string {
    lastTime = Math.max(Date.now(), lastTime + 1);
    return new Date(lastTime).toISOString();
  }
  function newId(): string {
    return `F${String(nextId++).padStart(8, '0')}${Math.random().toString(36).slice(2, 8)}`;
  }
  function filesOf(account: string): StoredFile[] {
    let files = filesByAccount.get(account);
    if (!files) {
      files = [];
      filesByAccount.set(account, files);
    }
    return files;
  }
  function used(account: string): number {
    return filesOf(account).reduce((sum, file) => sum + file.bytes.length, 0);
  }

  function opOf(method: string, path: string): HuaweiOp | null {
    if (method === 'GET' && path === '/drive/v1/about') return 'about.get';
    if (method === 'GET' && path === '/drive/v1/files') return 'files.list';
    if (method === 'POST' && path === '/upload/drive/v1/files') return 'files.create';
    if (method === 'GET' && /^\/drive\/v1\/files\/[^/]+$/.test(path)) return 'files.get';
    if (method === 'PATCH' && /^\/upload\/drive\/v1\/files\/[^/]+$/.test(path)) return 'files.update';
    if (method === 'DELETE' && /^\/drive\/v1\/files\/[^/]+$/.test(path)) return 'files.delete';
    return null;
  }

  function sendError(response: ServerResponse, op: HuaweiOp | 'unknown', status: number, code: string, reason: string, retryAfterSeconds?: number): void {
    log.push({ op, status });
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
    response.writeHead(status, headers);
    response.end(JSON.stringify({ error: { code: status, description: reason, errorDetail: [{ errorCode: code, reason, description: reason }] } }));
  }
  function sendJson(response: ServerResponse, op: HuaweiOp, status: number, body: unknown): void {
    log.push({ op, status });
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  }
  function resource(file: StoredFile) {
    return {
      category: 'drive#file',
      id: file.id,
      fileName: file.fileName,
      size: file.bytes.length,
      createdTime: file.createdTime,
      mimeType: 'application/octet-stream',
      containers: ['applicationData'],
      ...(file.description === undefined ? {} : { description: file.description }),
    };
  }

  async function readBody(request: IncomingMessage): Promise<Buffer | null> {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of request) {
      total += (chunk as Buffer).length;
      if (total > MAX_REQUEST_BYTES) return null;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const op = opOf(request.method ?? 'GET', url.pathname);
    const cutIndex = faults.findIndex((queued) => faultMatches(queued.op, op));
    if (op !== null && cutIndex >= 0 && faults[cutIndex]!.fault.kind === 'cut-request') {
      faults.splice(cutIndex, 1);
      log.push({ op, status: 0 });
      return readHalfThenCut(request);
    }
    const body = await readBody(request);
    if (op === null) return sendError(response, 'unknown', 404, '21004005', 'ROUTING_FAILED');
    if (body === null) return sendError(response, op, 400, '21004008', 'PARAM_TOO_LONG');

    const faultIndex = faults.findIndex((queued) => faultMatches(queued.op, op));
    if (faultIndex >= 0) {
      const fault = faults.splice(faultIndex, 1)[0]!.fault;
      if (fault.kind === 'drop' && fault.afterApplying === true) {
        // Carry the request out, then lose the answer: the socket closes instead of the reply.
        response.writeHead = ((..._args: unknown[]) => {
          // The reply was logged as sent just before this; it never arrives, so log it as dropped.
          log.splice(log.length - 1, 1, { op, status: 0 });
          request.socket.destroy();
          return response;
        }) as typeof response.writeHead;
        response.end = (() => response) as typeof response.end;
      } else if (fault.kind === 'drop') {
        log.push({ op, status: 0 });
        request.socket.destroy();
        return;
      }
      else if (fault.kind === 'error') return sendError(response, op, fault.status, fault.code, 'INJECTED', fault.retryAfterSeconds);
      else if (fault.kind === 'oversize' && op === 'files.get') {
        response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 7);
        let closed = false;
        response.once('close', () => {
          closed = true;
        });
        for (let sent = 0; sent < fault.bytes && !closed; sent += chunk.length) {
          if (!response.write(chunk.subarray(0, Math.min(chunk.length, fault.bytes - sent)))) {
            await new Promise<void>((resolve) => {
              const done = () => {
                response.off('drain', done);
                response.off('close', done);
                resolve();
              };
              response.on('drain', done);
              response.on('close', done);
            });
          }
        }
        log.push({ op, status: closed ? 0 : 200 });
        response.end();
        return;
      }
    }

    // Authorization: Bearer <AT> on every call (each reference page's Request Header table).
    const auth = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    const session = auth ? tokens.get(auth[1]!) : undefined;
    if (!session) return sendError(response, op, 401, HUAWEI_CODES.AUTH_FAILED, 'AUTH_FAILED');
    if (session.expired) return sendError(response, op, 401, HUAWEI_CODES.SESSION_EXPIRED, 'SESSION_EXPIRED');
    const account = session.account;

    const holdIndex = holds.findIndex((armed) => armed.matches(op));
    if (holdIndex >= 0) {
      const [armed] = holds.splice(holdIndex, 1);
      await new Promise<void>((release) => armed!.caught({ op, client: session.client, release }));
    } else if (gated !== null && gated(op)) {
      await new Promise<void>((release) => {
        const held: HeldRequest = {
          op,
          client: session.client,
          release: () => {
            gateQueue.splice(gateQueue.indexOf(held), 1);
            release();
          },
        };
        gateQueue.push(held);
      });
    }

    const files = filesOf(account);
    const fileId = decodeURIComponent(url.pathname.split('/').pop() ?? '');
    switch (op) {
      case 'about.get':
        return sendJson(response, op, 200, {
          category: 'drive#about',
          user: { category: 'drive#user', displayName: account, permissionId: account },
          storageQuota: { usedSpace: String(used(account)), userCapacity: String(capacity.get(account) ?? DEFAULT_CAPACITY) },
        });
      case 'files.list': {
        if (url.searchParams.get('containers') !== 'applicationData') return sendError(response, op, 400, HUAWEI_CODES.PARAM_INVALID, 'PARAM_INVALID');
        const query = url.searchParams.get('queryParam');
        let matching = files;
        if (query !== null) {
          const byName = /^fileName = '([^'\\]*)'$/.exec(query);
          if (!byName) return sendError(response, op, 400, HUAWEI_CODES.PARAM_INVALID, 'PARAM_INVALID');
          matching = files.filter((file) => file.fileName === byName[1]);
        }
        const cursor = url.searchParams.get('cursor') ?? '0';
        const cursorMatch = /^(\d+)(e?)$/.exec(cursor);
        if (!cursorMatch) return sendError(response, op, 410, '21004101', 'CURSOR_EXPIRED');
        const offset = Number(cursorMatch[1]);
        if (paging.emptyPages && cursorMatch[2] === 'e') return sendJson(response, op, 200, { category: 'drive#fileList', files: [], nextCursor: String(offset) });
        const page = matching.slice(offset, offset + paging.pageSize);
        const end = offset + page.length >= matching.length;
        return sendJson(response, op, 200, {
          category: 'drive#fileList',
          files: page.map(resource),
          ...(end ? {} : { nextCursor: `${offset + page.length}${paging.emptyPages ? 'e' : ''}` }),
        });
      }
      case 'files.create': {
        const parts = multipart(request.headers['content-type'] ?? '', body);
        if (parts === null) return sendError(response, op, 400, HUAWEI_CODES.PARAM_INVALID, 'PARAM_INVALID');
        const metadata = parts.metadata as { fileName?: unknown; parentFolder?: unknown; description?: unknown };
        if (typeof metadata.fileName !== 'string' || !Array.isArray(metadata.parentFolder) || metadata.parentFolder[0] !== 'applicationData') {
          return sendError(response, op, 400, HUAWEI_CODES.PARAM_INVALID, 'PARAM_INVALID');
        }
        if (used(account) + parts.content.length > (capacity.get(account) ?? DEFAULT_CAPACITY)) {
          return sendError(response, op, 403, HUAWEI_CODES.STORAGE_FULL, 'INSUFFICIENT_USER_STORAGE');
        }
        const file: StoredFile = {
          id: newId(),
          fileName: metadata.fileName,
          bytes: new Uint8Array(parts.content),
          createdTime: stamp(),
          ...(typeof metadata.description === 'string' ? { description: metadata.description } : {}),
        };
        files.push(file);
        return sendJson(response, op, 200, resource(file));
      }
      case 'files.get': {
        if (url.searchParams.get('form') !== 'content') return sendError(response, op, 400, HUAWEI_CODES.PARAM_INVALID, 'PARAM_INVALID');
        const file = files.find((candidate) => candidate.id === fileId);
        if (!file) return sendError(response, op, 404, HUAWEI_CODES.NOT_FOUND, 'FILE_NOT_FOUND');
        log.push({ op, status: 200 });
        response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.bytes.length) });
        response.end(Buffer.from(file.bytes));
        return;
      }
      case 'files.update': {
        if (url.searchParams.get('uploadType') !== 'content') return sendError(response, op, 400, HUAWEI_CODES.PARAM_INVALID, 'PARAM_INVALID');
        const file = files.find((candidate) => candidate.id === fileId);
        if (!file) return sendError(response, op, 404, HUAWEI_CODES.NOT_FOUND, 'FILE_NOT_FOUND');
        if (used(account) - file.bytes.length + body.length > (capacity.get(account) ?? DEFAULT_CAPACITY)) {
          return sendError(response, op, 403, HUAWEI_CODES.STORAGE_FULL, 'INSUFFICIENT_USER_STORAGE');
        }
        file.bytes = new Uint8Array(body);
        return sendJson(response, op, 200, resource(file));
      }
      case 'files.delete': {
        const index = files.findIndex((candidate) => candidate.id === fileId);
        if (index < 0) return sendError(response, op, 404, HUAWEI_CODES.NOT_FOUND, 'FILE_NOT_FOUND');
        files.splice(index, 1);
        log.push({ op, status: 204 });
        response.writeHead(204);
        response.end();
        return;
      }
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.push({ op: 'unknown', status: 500 });
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(`emulator failure: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    addToken(token, account, client = account) {
      tokens.set(token, { account, expired: false, client });
    },
    gate(matches) {
      gated = matches;
    },
    waiting() {
      return [...gateQueue];
    },
    expireToken(token) {
      const session = tokens.get(token);
      if (session) session.expired = true;
    },
    setCapacity(account, bytes) {
      capacity.set(account, bytes);
    },
    failNext(op, fault) {
      faults.push({ op, fault });
    },
    setPaging(options) {
      paging = { pageSize: options.pageSize, emptyPages: options.emptyPages ?? false };
    },
    hold(matches) {
      return new Promise<HeldRequest>((caught) => holds.push({ matches, caught }));
    },
    put(account, fileName, bytes, options = {}) {
      const file: StoredFile = { id: options.id ?? newId(), fileName, bytes: bytes.slice(), createdTime: options.createdTime ?? stamp() };
      filesOf(account).push(file);
      return file;
    },
    files(account) {
      return filesOf(account).map((file) => ({ ...file, bytes: file.bytes.slice() }));
    },
    log,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A multipart/related body of two parts: JSON metadata, then the content. Null when malformed. */
function multipart(contentType: string, body: Buffer): { metadata: unknown; content: Buffer } | null {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!contentType.startsWith('multipart/related') || boundary === undefined) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  const first = body.indexOf(delimiter);
  if (first !== 0) return null;
  const parts: Buffer[] = [];
  let start = first + delimiter.length + 2; // past CRLF
  for (;;) {
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), start);
    if (next < 0) return null;
    parts.push(body.subarray(start, next));
    start = next + 2 + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    start += 2;
  }
  if (parts.length !== 2) return null;
  const split = (part: Buffer) => {
    const at = part.indexOf('\r\n\r\n');
    return at < 0 ? null : part.subarray(at + 4);
  };
  const metadataBytes = split(parts[0]!);
  const content = split(parts[1]!);
  if (metadataBytes === null || content === null) return null;
  try {
    return { metadata: JSON.parse(metadataBytes.toString('utf8')), content };
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}
