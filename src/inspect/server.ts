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
 *   WS  any other path                  apps: @statelyai/inspect's createWebSocketInspector
 *
 * Requests must name this server in their Host header (no DNS rebinding) and the page's live
 * feed must come from a page of this server (its Origin); a Content-Security-Policy keeps the page to this
 * server. The SQLite log is opened when it exists (not created) and read on every request, so
 * flows appended while the server runs appear on reload.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';
import { openSqliteEventStoreForReading } from '../../adapters/store/sqlite-event-store.ts';
import { MACHINE_RELEASES } from '../../machines/registry.ts';
import type { EventStore } from '../ports/event-store.ts';
import { flowDetail, listFlows } from './flow-api.ts';
import { LiveRelay } from './live-relay.ts';
import { machineDiagrams } from './render-svg.ts';

export interface InspectServerOptions {
  /** The SQLite event log to show; ignored when `store` is given. */
  dbPath?: string;
  /** A store to show instead of opening dbPath (tests, embedding). Not closed by close(). */
  store?: EventStore;
  /** 0 (the default) picks a free port. */
  port?: number;
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

const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript',
  'diagram.js': 'text/javascript',
  'replay.js': 'text/javascript',
  'live.js': 'text/javascript',
  'dom.js': 'text/javascript',
  'style.css': 'text/css',
};
const PAGE_DIR = new URL('./page/', import.meta.url);
const HOST = '127.0.0.1';

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

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${HOST}:${port}`;
  const allowedHosts = new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const csp = `default-src 'self'; connect-src 'self' ws://${HOST}:${port}; img-src 'self' data:; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has(req.headers.host ?? '')) return send(res, 421, 'text/plain', 'Unknown host.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Only GET.');
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    if (path === '/' || path === '/index.html') return send(res, 200, 'text/html', readAsset('index.html'), csp);
    const asset = /^\/assets\/([a-z.]+)$/.exec(path)?.[1];
    if (asset !== undefined && ASSETS[asset]) return send(res, 200, ASSETS[asset], readAsset(asset), csp);
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
      const detail = log ? await flowDetail(log, decodeURIComponent(flow[1]!)) : null;
      return detail ? sendJson(res, 200, detail) : sendJson(res, 404, { error: 'No such flow.' });
    }
    return send(res, 404, 'text/plain', 'Not found.');
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    const isPage = path === '/live';
    if (!allowedHosts.has(req.headers.host ?? '') || (isPage && !allowedHosts.has((req.headers.origin ?? '').replace(/^http:\/\//, '')))) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => (isPage ? addPage(ws) : addApp(ws)));
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
      const message = relay.accept(data.toString(), connection);
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
