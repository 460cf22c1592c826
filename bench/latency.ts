/**
 * Figure 3, backup and restore latency with the production KDF (scrypt, N = 2^17, r = 8, p = 1),
 * against one node:crypto scrypt call with the same parameters.
 *
 * The real engine on its Node defaults: SQLite file log (WAL, synchronous=FULL), local-folder
 * clouds in a temp dir, node:crypto scrypt counted (countingKdf), production work factor. Each
 * round, on a fresh cloud account: a first backup (binds a password: creates the keyring); a
 * second backup (verifies the password: the account has a keyring, R5); a restore of the second
 * wallet (unlock, decrypt, validate the phrase). Each flow is timed from the call that starts it
 * to its result, with the password entered as soon as the flow asks for it (no person in the
 * loop), including every cloud read and write, every log row, and the checkpoint written after a
 * completed backup. Every flow must end done having run scrypt exactly once.
 *
 * A scrypt call comes before and after every flow (scrypt, bind, scrypt, backup, scrypt, restore,
 * scrypt): a flow's baseline is the mean of the two around it, so a machine getting busier or
 * quieter during the round moves both. The ratio is the median over rounds of flow / baseline.
 * One round first, untimed, warms everything up.
 */
import { randomBytes, scrypt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { createLocalFolderClouds } from '../adapters/cloud/local-folder.ts';
import { createNodeScrypt } from '../adapters/kdf/node-scrypt.ts';
import { openSqliteEventStore } from '../adapters/store/sqlite-event-store.ts';
import { createBackupEngine } from '../src/engine/index.ts';
import { countingKdf, normalizeMnemonic } from '../src/format/index.ts';
import { PRODUCTION_SCRYPT_LOG_N } from '../src/ports/kdf.ts';
import { median, now, round } from './lib/stats.ts';
import type { BenchOptions, FigureResult, FigureRow } from './lib/types.ts';

const PASSWORD = 'correct horse battery 7';
const N = 2 ** PRODUCTION_SCRYPT_LOG_N;
const R = 8;
const P = 1;

/** The baseline: one scrypt call as the node:crypto adapter makes it (libuv thread pool). */
function scryptOnce(): Promise<number> {
  const salt = randomBytes(16);
  const started = now();
  return new Promise((resolve, reject) => {
    scrypt(PASSWORD, salt, 32, { N, r: R, p: P, maxmem: 2 * 128 * N * R }, (error) => {
      if (error) reject(error);
      else resolve(now() - started);
    });
  });
}

interface RoundTimes {
  /** The four scrypt calls around the three flows. */
  scrypt: [number, number, number, number];
  bind: number;
  backup: number;
  restore: number;
  bindScrypt: number;
  backupScrypt: number;
  restoreScrypt: number;
}

async function oneRound(dir: string, index: number): Promise<RoundTimes> {
  const account = `bench-${index}@example.com`;
  const store = openSqliteEventStore({ path: join(dir, 'wallet-backup.db') });
  const kdf = countingKdf(createNodeScrypt());
  const engine = createBackupEngine({
    eventLog: store,
    clouds: createLocalFolderClouds({ root: join(dir, 'cloud'), account }),
    kdf,
    device: { id: 'bench-device' },
  });
  const expectRuns = (runs: number, what: string) => {
    if (kdf.runs !== runs) throw new Error(`${what} ran scrypt ${kdf.runs - runs + 1} times, not once`);
  };
  try {
    // Each round writes to a new account: the first backup binds a password.
    const provider = 'gdrive' as const;

    const s0 = await scryptOnce();
    let t = now();
    const first = await engine.backup({ provider, mnemonic: generateMnemonic(wordlist, 128), walletName: 'First' });
    if (first.view().state !== 'choosingPassword') throw new Error(`binding backup waits at ${JSON.stringify(first.view().state)}`);
    await first.choosePassword(PASSWORD, PASSWORD);
    const bind = now() - t;
    if (first.result().outcome !== 'done') throw new Error(`binding backup ended ${first.result().outcome}`);
    expectRuns(1, 'the binding backup');

    const mnemonic = generateMnemonic(wordlist, 128);
    const s1 = await scryptOnce();
    t = now();
    const second = await engine.backup({ provider, mnemonic, walletName: 'Second' });
    if (second.view().state !== 'enteringPassword') throw new Error(`verify backup waits at ${JSON.stringify(second.view().state)}`);
    await second.enterPassword(PASSWORD);
    const backup = now() - t;
    const backedUp = second.result();
    if (backedUp.outcome !== 'done' || !backedUp.walletId) throw new Error(`verify backup ended ${backedUp.outcome}`);
    expectRuns(2, 'the verify backup');

    const s2 = await scryptOnce();
    t = now();
    const restore = await engine.restore({ provider, walletId: backedUp.walletId });
    await restore.enterPassword(PASSWORD);
    const restore_ = now() - t;
    const restored = restore.result();
    if (restored.outcome !== 'done' || restored.mnemonic !== normalizeMnemonic(mnemonic)) {
      throw new Error(`restore ended ${restored.outcome}${restored.mnemonic ? ' with another phrase' : ''}`);
    }
    expectRuns(3, 'the restore');
    const s3 = await scryptOnce();
    return {
      scrypt: [s0, s1, s2, s3],
      bind,
      backup,
      restore: restore_,
      bindScrypt: (s0 + s1) / 2,
      backupScrypt: (s1 + s2) / 2,
      restoreScrypt: (s2 + s3) / 2,
    };
  } finally {
    await store.close();
  }
}

type Flow = 'bind' | 'backup' | 'restore';
type Baseline = 'bindScrypt' | 'backupScrypt' | 'restoreScrypt';

export async function benchLatency(options: BenchOptions): Promise<FigureResult> {
  const rounds = options.quick ? 3 : 9;
  const dir = mkdtempSync(join(tmpdir(), 'wbe-bench-latency-'));
  try {
    options.log(`latency: 1 warm-up + ${rounds} rounds of scrypt, bind, scrypt, verify backup, scrypt, restore, scrypt (2^${PRODUCTION_SCRYPT_LOG_N})`);
    await oneRound(dir, 0);
    const times: RoundTimes[] = [];
    for (let i = 1; i <= rounds; i++) times.push(await oneRound(dir, i));
    const figure = (
      id: string,
      label: string,
      flow: Flow,
      base: Baseline,
      target: string | null,
    ): FigureRow => {
      const ratio = median(times.map((t) => t[flow] / t[base]));
      return {
        id,
        figure: label,
        unit: 's',
        engine: round(median(times.map((t) => t[flow])) / 1000, 3),
        baseline: round(median(times.map((t) => t[base])) / 1000, 3),
        ratio: round(ratio, 3),
        target: target ?? 'info',
        met: target === null ? null : ratio <= 1.15,
      };
    };
    const ratios = (flow: Flow, base: Baseline) => times.map((t) => (t[flow] / t[base]).toFixed(3)).join(' ');
    return {
      rows: [
        figure('latency.backup', '3. Backup latency (password verified)', 'backup', 'backupScrypt', '<= 1.15'),
        figure('latency.restore', '3. Restore latency', 'restore', 'restoreScrypt', '<= 1.15'),
        figure('latency.bind', '3a. ... first backup (binds the password)', 'bind', 'bindScrypt', null),
      ],
      notes: [
        `3. The engine on SQLite file log + local-folder cloud in a temp dir, scrypt 2^${PRODUCTION_SCRYPT_LOG_N} (r=8, p=1) ` +
          `through node:crypto, one KDF run per flow (counted); each flow timed from its start to its result, ` +
          `password entered as soon as asked, vs one node:crypto scrypt call with the same parameters (mean of the calls just ` +
          `before and after the flow); ` +
          `ratio = median of ${rounds} rounds (backup ${ratios('backup', 'backupScrypt')}; restore ${ratios('restore', 'restoreScrypt')}).`,
      ],
      detail: { rounds: times },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
