/**
 * The inspector server (src/inspect/server.ts) against a hostile browser page and hostile
 * requests, through real HTTP and WebSocket connections on 127.0.0.1: it answers only its own
 * assets (no prototype lookups, no install path or stack in an error body), refuses WebSocket
 * upgrades from a foreign Origin on every path and on any path but its two endpoints, so no
 * other web page can feed fake live actors to the page; a live frame naming a prototype
 * property in its state costs nothing.
 */
import { get, type IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { startInspectServer, type InspectServer } from '../../src/inspect/server.ts';
import type { EventStore } from '../../src/ports/event-store.ts';

const INSTALL_DIR = fileURLToPath(new URL('../../', import.meta.url));
const PAGE_DIR = fileURLToPath(new URL('../../src/inspect/page/', import.meta.url));

let server: InspectServer | null = null;
let errors: unknown[] = [];
afterEach(async () => {
  await server?.close();
  server = null;
  errors = [];
});

async function start(store: EventStore = openMemoryEventStore()): Promise<InspectServer> {
  server = await startInspectServer({ store, onError: (error) => errors.push(error) });
  return server;
}

/** A GET through node:http, so the path goes out exactly as written. */
function getRaw(url: string): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    }).on('error', reject);
  });
}

/** A body that names no file of the install and carries no stack. */
function expectNoInternals(body: string): void {
  expect(body).not.toContain(INSTALL_DIR);
  expect(body).not.toContain(PAGE_DIR);
  expect(body).not.toMatch(/ENOENT|EISDIR|\bat .+:\d+:\d+|node_modules|file:\/\//);
}

type Upgrade = { opened: true; socket: WebSocket } | { opened: false; status: number };

/** Opens a WebSocket to `path`, sending `origin` (or no Origin header at all, as Node apps do). */
function upgrade(path: string, origin?: string): Promise<Upgrade> {
  const socket = new WebSocket(`${server!.inspectorUrl}${path}`, origin === undefined ? {} : { origin });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ opened: true, socket }));
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ opened: false, status: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

async function statusOf(path: string, origin?: string): Promise<number | 'open'> {
  const result = await upgrade(path, origin);
  if (result.opened) {
    result.socket.close();
    return 'open';
  }
  return result.status;
}

const actorFrame = (sessionId: string) =>
  JSON.stringify({ type: '@xstate.actor', sessionId, name: 'backup', definition: JSON.stringify({ id: 'backup', version: '1' }) });
const snapshotFrame = (sessionId: string, value: unknown) =>
  JSON.stringify({ type: '@xstate.snapshot', sessionId, event: { type: 'RETRY' }, snapshot: { value, status: 'active' } });

/** The page's live feed, collecting the live messages after its history. */
async function openPage(): Promise<{ messages: Array<Record<string, unknown>>; next: () => Promise<Record<string, unknown>> }> {
  const result = await upgrade('/live', server!.url.replace(/\/$/, ''));
  if (!result.opened) throw new Error(`the page's live feed was refused: ${result.status}`);
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<(m: Record<string, unknown>) => void> = [];
  result.socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
    if (message.kind === 'history') return;
    messages.push(message);
    waiters.splice(0).forEach((wake) => wake(message));
  });
  // A message that never comes fails within seconds, not at the test's time limit.
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no live message reached the page within 5 s')), 5000);
      waiters.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  return { messages, next };
}

describe('inspector assets and errors', () => {
  it('answers /assets/ for its own files only: prototype names are 404 with no install path or stack', async () => {
    const { url } = await start();
    expect((await getRaw(`${url}assets/app.js`)).status).toBe(200);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'index.html']) {
      const response = await getRaw(`${url}assets/${name}`);
      expect(response.status, name).toBe(404);
      expectNoInternals(response.body);
    }
    expect(errors).toEqual([]);
  });

  it('an error while answering is a plain 500 naming no file; its cause goes to onError', async () => {
    const store = openMemoryEventStore();
    const failing: EventStore = {
      ...store,
      flows: async () => {
        throw new Error(`SQLITE_CANTOPEN: unable to open ${INSTALL_DIR}secret/wallet-backup.db`);
      },
    };
    const { url } = await start(failing);
    const response = await getRaw(`${url}api/flows`);
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ error: 'The inspector could not answer this request.' });
    expectNoInternals(response.body);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('SQLITE_CANTOPEN');
  });

  it('a flow id with a malformed percent escape is a 404, not a 500', async () => {
    const { url } = await start();
    const response = await getRaw(`${url}api/flows/%E0%A4%A`);
    expect(response.status).toBe(404);
    expect(errors).toEqual([]);
  });
});

describe('inspector WebSocket upgrades', () => {
  it('refuses a foreign Origin on every path, the live feed and the app endpoint included (403)', async () => {
    const { port } = await start();
    const foreign = ['http://evil.example', 'null', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, `http://127.0.0.1:${port}.evil.example`];
    for (const origin of foreign) {
      for (const path of ['/', '/live', '/anything', '/assets/app.js']) expect(await statusOf(path, origin), `${origin} ${path}`).toBe(403);
    }
  });

  it('refuses upgrades on any path but / and /live (404), even from its own page', async () => {
    const { url } = await start();
    const own = url.replace(/\/$/, '');
    for (const path of ['/x', '/live/x', '/livex', '/api/flows', '/assets/app.js', '/constructor']) {
      expect(await statusOf(path, own), path).toBe(404);
      expect(await statusOf(path), path).toBe(404);
    }
    expect(await statusOf('/', own)).toBe('open');
    expect(await statusOf('/live', own)).toBe('open');
    expect(await statusOf('/live', `http://localhost:${server!.port}`)).toBe('open');
  });

  it('the live feed needs its page\'s Origin, while apps (Node programs) connect with none', async () => {
    await start();
    expect(await statusOf('/live')).toBe(403);
    expect(await statusOf('/')).toBe('open');
  });

  it('a foreign page cannot inject a live actor; an app without Origin reaches the page', async () => {
    await start();
    const page = await openPage();
    // What any web page could do before: open a socket on a path other than /live and send an actor.
    for (const path of ['/', '/inject']) expect(await statusOf(path, 'http://evil.example')).toBe(403);

    const app = await upgrade('/');
    if (!app.opened) throw new Error('the app was refused');
    const arrived = page.next();
    app.socket.send(actorFrame('x:0'));
    expect(await arrived).toMatchObject({ kind: 'actor', machineId: 'backup', sessionId: expect.stringMatching(/\/x:0$/) });
    expect(page.messages).toHaveLength(1);
    app.socket.close();
  });

  it('a live state naming a prototype property or holding null neither stops the server nor reaches the page as a node', async () => {
    const { url } = await start();
    const page = await openPage();
    const app = await upgrade('/');
    if (!app.opened) throw new Error('the app was refused');
    let arrived = page.next();
    app.socket.send(actorFrame('x:0'));
    await arrived;
    for (const value of ['constructor', { __proto__: null, constructor: 'x' }, { toString: { valueOf: 'x' } }, { checkingMnemonic: null }, 7]) {
      arrived = page.next();
      app.socket.send(snapshotFrame('x:0', value));
      const message = await arrived;
      expect(message.activeIds, JSON.stringify(value)).toEqual(JSON.stringify(value).includes('checkingMnemonic') ? ['backup.checkingMnemonic'] : []);
    }
    expect(errors).toEqual([]);
    expect((await getRaw(`${url}api/machines`)).status).toBe(200);
    app.socket.close();
  });
});
