/**
 * The inspector's local web server (Node only), bound to 127.0.0.1:
 *
 *   GET /                               the page (src/inspect/page/), which loads nothing else
 *   GET /assets/<file>                  its scripts and style
 *   GET /api/machines                   the released machines [{ id, version }]
 *   GET /api/machines/<id>/<v>.svg      a machine's statechart (render-svg.ts)
 *   GET /api/flows?account=&wallet=&machine=&outcome=   flows and filter values (flow-api.ts)
 *   GET /api/flows/<flowId>             a flow's rows: redacted payloads, times, chain status
 *   WS  /live                           the page's live feed (live-relay.ts messages)
 *   WS  /                               apps: @statelyai/inspect's createWebSocketInspector
 *
 * Requests must name this server in their Host header (no DNS rebinding). A WebSocket upgrade is
 * refused on any other path (404), and from any Origin but this server's own on every path
 * (403): browsers send the Origin of the page that opens a WebSocket, so no web page elsewhere
 * can read the live feed or feed fake actors to it; the page's live feed must come from a page
 * of this server, and apps are programs (no Origin, as Node's WebSocket clients send none) or
 * pages of this server. A Content-Security-Policy keeps the page to this server.
 *
 * The server answers only its own assets, looked up in a Map (never a prototype's property:
 * /assets/constructor is a 404), and an error never sends its message or stack, which may hold
 * install paths: the page gets a plain 500, the cause goes to onError.
 *
 * The SQLite log is opened when it exists (not created) and read on every request, so flows
 * appended while the server runs appear on reload.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { openSqliteEventStoreForReading } from '../../adapters/store/sqlite-event-store.ts';
import { MACHINE_RELEASES } from '../../machines/registry.ts';
import type { EventStore } from '../ports/event-store.ts';
import { flowDetail, listFlows } from './flow-api.ts';
import { LiveRelay } from './live-relay.ts';
import { machineDiagrams } from './render-svg.ts';
import { terminalSafeLines } from '../text/terminal-safe.ts';

export interface InspectServerOptions {
  /** The SQLite event log to show; ignored when `store` is given. */
  dbPath?: string;
  /** A store to show instead of opening dbPath (tests, embedding). Not closed by close(). */
  store?: EventStore;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Where an unexpected error while answering a request goes (its body is a plain 500); default: stderr. */
  onError?: (error: unknown) => void;
}

export interface InspectServer {
  /** The page: http://127.0.0.1:<port>/ */
  url: string;
  /** Where apps point createWebSocketInspector: ws://127.0.0.1:<port> */
  inspectorUrl: string;
  port: number;
  /** Resolves true once a page has opened the live feed, false after timeoutMs. */
  waitForPage(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** The page's own files and their types: the only names /assets/ answers. */
const ASSETS: ReadonlyMap<string, string> = new Map([
  ['app.js', 'text/javascript'],
  ['diagram.js', 'text/javascript'],
  ['replay.js', 'text/javascript'],
  ['live.js', 'text/javascript'],
  ['dom.js', 'text/javascript'],
  ['style.css', 'text/css'],
]);
const PAGE_DIR = new URL('./page/', import.meta.url);
const HOST = '127.0.0.1';
/** The WebSocket paths: the page's live feed, and where apps' inspectors connect. */
const PAGE_SOCKET = '/live';
const APP_SOCKET = '/';

function defaultOnError(error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`Inspector: a request failed: ${terminalSafeLines(text)}\n`);
}

/** Ends an upgrade request that is refused, with a status and nothing else. */
function refuseUpgrade(socket: Duplex, status: 400 | 403 | 404): void {
  const reason = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' }[status];
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function readAsset(name: string): Buffer {
  return readFileSync(new URL(name, PAGE_DIR));
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, csp?: string): void {
  res.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...(csp ? { 'Content-Security-Policy': csp } : {}),
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', JSON.stringify(value));
}

/** A request's target as a URL of this server, or null when it is not one ("http://["). */
function requestUrl(target: string | undefined, origin: string): URL | null {
  try {
    return new URL(target ?? '/', origin);
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}

/** A percent-encoded path segment decoded, or null when its escapes are malformed ("%E0%A4%A"). */
function decodedSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    if (error instanceof URIError) return null;
    throw error;
  }
}

export async function startInspectServer(options: InspectServerOptions = {}): Promise<InspectServer> {
  let opened: EventStore | null = options.store ?? null;
  const ownsStore = options.store === undefined;
  const relay = new LiveRelay();
  const pages = new Set<WebSocket>();
  const pageWaiters: Array<() => void> = [];

  function store(): EventStore | null {
    if (opened === null && options.dbPath !== undefined && existsSync(options.dbPath)) {
      opened = openSqliteEventStoreForReading(options.dbPath);
    }
    return opened;
  }

  const onError = options.onError ?? defaultOnError;
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) sendJson(res, 500, { error: 'The inspector could not answer this request.' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${HOST}:${port}`;
  const allowedHosts = new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const ownOrigins = new Set([...allowedHosts].map((host) => `http://${host}`));
  const csp = `default-src 'self'; connect-src 'self' ws://${HOST}:${port}; img-src 'self' data:; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has(req.headers.host ?? '')) return send(res, 421, 'text/plain', 'Unknown host.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Only GET.');
    const url = requestUrl(req.url, origin);
    if (url === null) return send(res, 400, 'text/plain', 'Bad request target.');
    const path = url.pathname;
    if (path === '/' || path === '/index.html') return send(res, 200, 'text/html', readAsset('index.html'), csp);
    const asset = /^\/assets\/([a-z.]+)$/.exec(path)?.[1];
    const assetType = asset === undefined ? undefined : ASSETS.get(asset);
    if (asset !== undefined && assetType !== undefined) return send(res, 200, assetType, readAsset(asset), csp);
    if (path === '/api/machines') {
      return sendJson(res, 200, { machines: MACHINE_RELEASES.map((r) => ({ id: r.id, version: r.version })) });
    }
    const svg = /^\/api\/machines\/([A-Za-z0-9_-]+)\/(\d+)\.svg$/.exec(path);
    if (svg) {
      const diagram = (await machineDiagrams()).find((d) => d.id === svg[1] && d.version === Number(svg[2]));
      return diagram ? send(res, 200, 'image/svg+xml', diagram.svg) : sendJson(res, 404, { error: 'No such machine.' });
    }
    if (path === '/api/flows') {
      const log = store();
      const query = Object.fromEntries(['account', 'wallet', 'machine', 'outcome'].map((k) => [k, url.searchParams.get(k) ?? '']));
      const listing = log ? await listFlows(log, query) : { flows: [], facets: { accounts: [], wallets: [], machines: [], outcomes: [] } };
      return sendJson(res, 200, { log: { path: options.dbPath ?? null, exists: log !== null }, ...listing });
    }
    const flow = /^\/api\/flows\/([^/]+)$/.exec(path);
    if (flow) {
      const log = store();
      const flowId = decodedSegment(flow[1]!);
      const detail = log && flowId !== null ? await flowDetail(log, flowId) : null;
      return detail ? sendJson(res, 200, detail) : sendJson(res, 404, { error: 'No such flow.' });
    }
    return send(res, 404, 'text/plain', 'Not found.');
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    if (!allowedHosts.has(req.headers.host ?? '')) return refuseUpgrade(socket, 403);
    // Browsers always send the Origin of the page opening the socket: only this server's pages pass.
    const pageOrigin = req.headers.origin;
    if (pageOrigin !== undefined && !ownOrigins.has(pageOrigin)) return refuseUpgrade(socket, 403);
    const path = requestUrl(req.url, origin)?.pathname ?? null;
    if (path === null) return refuseUpgrade(socket, 400);
    if (path === PAGE_SOCKET) {
      // The live feed is for this server's page, which a browser opens: it names its Origin.
      if (pageOrigin === undefined) return refuseUpgrade(socket, 403);
      return sockets.handleUpgrade(req, socket, head, addPage);
    }
    if (path === APP_SOCKET) return sockets.handleUpgrade(req, socket, head, addApp);
    return refuseUpgrade(socket, 404);
  });

  function addPage(ws: WebSocket): void {
    pages.add(ws);
    ws.on('close', () => pages.delete(ws));
    ws.send(JSON.stringify({ kind: 'history', messages: relay.history() }));
    pageWaiters.splice(0).forEach((wake) => wake());
  }

  let apps = 0;
  function addApp(ws: WebSocket): void {
    const connection = `app${++apps}`;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message;
      try {
        message = relay.accept(data.toString(), connection);
      } catch (error) {
        // A frame the relay cannot read costs that frame, never the server (a throw here is uncaught).
        onError(error);
        return;
      }
      if (message === null) return;
      const text = JSON.stringify(message);
      for (const page of pages) if (page.readyState === WebSocket.OPEN) page.send(text);
    });
  }

  return {
    url: `${origin}/`,
    inspectorUrl: `ws://${HOST}:${port}`,
    port,
    waitForPage(timeoutMs) {
      if (pages.size > 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        pageWaiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    async close() {
      for (const ws of sockets.clients) ws.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsStore && opened !== null) await opened.close();
    },
  };
}
