/**
 * Figure 3b, a backup over HTTP: the engine's backup (password verified: the account already has
 * a keyring) through the Google Drive adapter (adapters/cloud/google-drive.ts) against the Drive
 * emulator the tests use (the third-party google-drive-mock behind our fault proxy, no fault,
 * 127.0.0.1), against the same HTTP requests sent bare.
 *
 * Each round, on a fresh Drive (its own token): a first backup binds the password (untimed); the
 * second backup is timed from the call that starts it to its result, the password entered as soon
 * as asked, every request it makes recorded by a fetch wrapper (method, URL, headers, body).
 * Then the baseline: those requests replayed with plain fetch, one after another, each answer
 * read whole (a replayed create makes a second file and a replayed conditional update may be
 * refused: the round trips are the same, the answers may differ), plus one node:crypto scrypt
 * call with the keyring's parameters. The keyrings are made at scrypt 2^10, not the production
 * 2^17, so that the figure shows what the engine adds to its round trips (figure 3 has the
 * production KDF, where one scrypt run is nearly all of a backup): crypto, the event log's durable
 * rows (SQLite file, WAL, synchronous=FULL), the machines, the adapter's request building and
 * answer checking. The emulator is local, but google-drive-mock delays every answer by a random
 * 0 to 20 ms (its own simulation of network latency; it has no option to turn it off), so both
 * sides wait about 10 ms a request: the figure is the engine's overhead over its round trips on
 * a fast network, not a real network's latency.
 */
import { randomBytes, scrypt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { createGoogleDriveCloud } from '../adapters/cloud/google-drive.ts';
import { createNodeScrypt } from '../adapters/kdf/node-scrypt.ts';
import { openSqliteEventStore } from '../adapters/store/sqlite-event-store.ts';
import { createBackupEngine } from '../src/engine/index.ts';
import { countingKdf } from '../src/format/index.ts';
import { startDriveEmulator, type DriveEmulator } from '../test/support/drive-fault-proxy.ts';
import { median, now, round } from './lib/stats.ts';
import type { BenchOptions, FigureResult } from './lib/types.ts';

const PASSWORD = 'correct horse battery 7';
const ACCOUNT = 'alice@example.com';
const LOG_N = 10;

interface Recorded {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: ArrayBuffer | null;
}

/** fetch, recording every request while `on` is set (the body read from a clone). */
function recordingFetch() {
  const state = { on: false, requests: [] as Recorded[] };
  const wrapped: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (state.on) {
      const body = request.body === null ? null : await request.clone().arrayBuffer();
      const headers: Array<[string, string]> = [];
      request.headers.forEach((value, name) => headers.push([name, value]));
      state.requests.push({ method: request.method, url: request.url, headers, body });
    }
    return fetch(request);
  };
  return { state, fetch: wrapped };
}

/** The recorded requests again, bare, one after another, each answer read whole. */
async function replay(requests: readonly Recorded[]): Promise<number> {
  const started = now();
  for (const r of requests) {
    const answer = await fetch(r.url, { method: r.method, headers: r.headers, ...(r.body !== null ? { body: r.body } : {}) });
    await answer.arrayBuffer();
  }
  return now() - started;
}

function scryptOnce(): Promise<number> {
  const started = now();
  return new Promise((resolve, reject) => {
    scrypt(PASSWORD, randomBytes(16), 32, { N: 2 ** LOG_N, r: 8, p: 1 }, (error) => (error ? reject(error) : resolve(now() - started)));
  });
}

interface Round {
  backupMs: number;
  replayMs: number;
  scryptMs: number;
  requests: number;
  uploadBytes: number;
}

async function oneRound(drive: DriveEmulator, dir: string, index: number): Promise<Round> {
  const token = drive.issueToken(ACCOUNT, { drive: `bench-${index}` });
  const recorder = recordingFetch();
  const store = openSqliteEventStore({ path: join(dir, 'wallet-backup.db') });
  const kdf = countingKdf(createNodeScrypt());
  const engine = createBackupEngine({
    eventLog: store,
    clouds: {
      gdrive: createGoogleDriveCloud({ baseUrl: drive.url, getAccessToken: async () => token, getAccount: async () => ACCOUNT, fetch: recorder.fetch }),
    },
    kdf,
    scryptLogN: LOG_N,
    device: { id: 'bench-device' },
  });
  try {
    const first = await engine.backup({ provider: 'gdrive', mnemonic: generateMnemonic(wordlist, 128), walletName: 'First' });
    await first.choosePassword(PASSWORD, PASSWORD);
    if (first.result().outcome !== 'done') throw new Error(`binding backup ended ${first.result().outcome}`);

    recorder.state.on = true;
    const started = now();
    const second = await engine.backup({ provider: 'gdrive', mnemonic: generateMnemonic(wordlist, 128), walletName: 'Second' });
    if (second.view().state !== 'enteringPassword') throw new Error(`verify backup waits at ${JSON.stringify(second.view().state)}`);
    await second.enterPassword(PASSWORD);
    const backupMs = now() - started;
    recorder.state.on = false;
    if (second.result().outcome !== 'done') throw new Error(`verify backup ended ${second.result().outcome}`);
    if (kdf.runs !== 2) throw new Error(`the two backups ran scrypt ${kdf.runs} times, not twice`);

    const requests = recorder.state.requests;
    const replayMs = await replay(requests);
    const scryptMs = await scryptOnce();
    return { backupMs, replayMs, scryptMs, requests: requests.length, uploadBytes: requests.reduce((n, r) => n + (r.body?.byteLength ?? 0), 0) };
  } finally {
    await store.close();
  }
}

export async function benchHttpLatency(options: BenchOptions): Promise<FigureResult> {
  const rounds = options.quick ? 5 : 15;
  const dir = mkdtempSync(join(tmpdir(), 'wbe-bench-http-'));
  const drive = await startDriveEmulator();
  try {
    options.log(`http: 1 warm-up + ${rounds} rounds of bind, timed verify backup over the Drive emulator, its requests replayed bare, scrypt 2^${LOG_N}`);
    await oneRound(drive, dir, 0);
    const times: Round[] = [];
    for (let i = 1; i <= rounds; i++) times.push(await oneRound(drive, dir, i));
    const baseline = (t: Round) => t.replayMs + t.scryptMs;
    const ratios = times.map((t) => t.backupMs / baseline(t));
    return {
      rows: [
        {
          id: 'latency.http',
          figure: `3b. Backup over the Drive emulator (scrypt 2^${LOG_N})`,
          unit: 's',
          engine: round(median(times.map((t) => t.backupMs)) / 1000, 3),
          baseline: round(median(times.map(baseline)) / 1000, 3),
          ratio: round(median(ratios), 3),
          target: 'info',
          met: null,
        },
        {
          id: 'latency.http.requests',
          figure: '3c. ... HTTP requests per backup',
          unit: 'count',
          engine: median(times.map((t) => t.requests)),
          baseline: null,
          ratio: null,
          target: 'info',
          met: null,
        },
      ],
      notes: [
        `3b. The engine (SQLite file log, Google Drive adapter, keyring at scrypt 2^${LOG_N}) backing up a second wallet ` +
          `to a fresh Drive of the emulator on 127.0.0.1 (google-drive-mock behind the fault proxy, no fault), timed from ` +
          `its start to its result, vs the same ${median(times.map((t) => t.requests))} requests ` +
          `(${Math.round(median(times.map((t) => t.uploadBytes)))} bytes of bodies) replayed bare with fetch plus one scrypt ` +
          `2^${LOG_N} call; ratio = median of ${rounds} rounds (${ratios.map((r) => r.toFixed(2)).join(' ')}). ` +
          `Bare round trips alone: median ${median(times.map((t) => t.replayMs)).toFixed(1)} ms (google-drive-mock delays ` +
          `each answer by a random 0-20 ms).`,
      ],
      detail: { rounds: times },
    };
  } finally {
    await drive.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
