/**
 * Figure 5, the command's start-up and the browser bundle (issue 14, "the user's clock"):
 *
 *   5.  `wallet-backup --version` and `wallet-backup list --json` of the compiled command
 *       (packages/cli/dist, built by `npm run build` at the start of this figure, so it is the
 *       sources' own build), wall time from spawn to exit as the parent sees it, against
 *       `node -e 0` spawned the same way: what the command adds to starting Node at all. `list`
 *       reads a local-folder cloud holding one backup (made with the same compiled command before
 *       the clock starts), its log opened read-only.
 *   5a. Each one's peak RSS (getrusage's ru_maxrss, written at exit by a preload,
 *       test/cli/max-rss-probe.mjs, given to every side including `node -e 0`).
 *   6.  The browser bundle of the core as an app's bundler makes it (esbuild, platform browser,
 *       minified, ESM; an entry importing createBackupEngine, createMemoryClouds,
 *       openMemoryEventStore, createNobleScrypt from the built package), gzipped at level 9,
 *       against its budget (test/package/consumer.test.ts holds it to 100 KiB); 6a the same for
 *       xstate alone (createActor, createMachine), the engine's one state-machine runtime, to show
 *       what the engine adds over it.
 *
 * Sides alternate every round (node, --version, list) after one untimed round; medians over rounds.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { median, now, round } from './lib/stats.ts';
import type { BenchOptions, FigureResult, FigureRow } from './lib/types.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'packages/cli/dist/wallet-backup.js');
const RSS_PROBE = join(ROOT, 'test/cli/max-rss-probe.mjs');
/** test/package/consumer.test.ts's BROWSER_BUNDLE_BUDGET_BYTES (not imported: that module is a test file). */
const BUNDLE_BUDGET_KIB = 100;
const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

interface Run {
  ms: number;
  maxRssMB: number;
}

/** Spawns `node [--import probe] args`, checks it exited 0, returns its wall time and peak RSS. */
function timed(args: readonly string[], dir: string, env: NodeJS.ProcessEnv): Run {
  const rssFile = join(dir, 'max-rss');
  rmSync(rssFile, { force: true });
  const started = now();
  const result = spawnSync(process.execPath, ['--import', RSS_PROBE, ...args], {
    cwd: dir,
    env: { ...env, WBE_MAX_RSS_FILE: rssFile },
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  const ms = now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  return { ms, maxRssMB: Number(readFileSync(rssFile, 'utf8')) / 1024 / 1024 };
}

/** A local-folder cloud with one backup in it, and the log that made it, by the compiled command. */
function oneBackup(dir: string, env: NodeJS.ProcessEnv): string[] {
  const mnemonicFile = join(dir, 'phrase.txt');
  const passwordFile = join(dir, 'password.txt');
  writeFileSync(mnemonicFile, `${MNEMONIC}\n`);
  writeFileSync(passwordFile, 'correct horse battery 7\n');
  const common = ['--provider', 'gdrive', '--account', 'alice@example.com', '--db', join(dir, 'log.db'), '--cloud', join(dir, 'cloud')];
  execFileSync(process.execPath, [CLI, 'backup', ...common, '--mnemonic-file', mnemonicFile, '--password-file', passwordFile, '--name', 'Main'], {
    cwd: dir,
    env: { ...env, WALLET_BACKUP_SCRYPT_LOG_N: '10' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return [CLI, 'list', ...common, '--json'];
}

/** An entry's browser bundle, gzipped; bare imports resolve from the repository's node_modules. */
async function gzippedKiB(source: string): Promise<number> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).byteLength / 1024;
}

export async function benchStartup(options: BenchOptions): Promise<FigureResult> {
  options.log('startup: npm run build (the compiled command and the package measured are the sources\' own build)');
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/build.ts')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = mkdtempSync(join(tmpdir(), 'wbe-bench-startup-'));
  try {
    const env = { PATH: process.env.PATH ?? '', HOME: dir, LANG: 'C.UTF-8' };
    const listArgs = oneBackup(dir, env);
    const sides = { node: ['-e', '0'], version: [CLI, '--version'], list: listArgs } as const;
    type Side = keyof typeof sides;
    const rounds = options.quick ? 7 : 21;
    options.log(`startup: ${rounds} rounds of node -e 0, wallet-backup --version, wallet-backup list --json`);
    const runs: Record<Side, Run[]> = { node: [], version: [], list: [] };
    for (const side of Object.keys(sides) as Side[]) timed(sides[side], dir, env); // warm-up: files into the page cache
    for (let r = 0; r < rounds; r++) for (const side of Object.keys(sides) as Side[]) runs[side].push(timed(sides[side], dir, env));
    const ms = (side: Side) => median(runs[side].map((run) => run.ms));
    const rss = (side: Side) => median(runs[side].map((run) => run.maxRssMB));
    const ratio = (side: Side) => median(runs[side].map((run, i) => run.ms / runs.node[i]!.ms));

    // The package's main entry as built (package.json "main": dist/src/index.js).
    const main = JSON.stringify(join(ROOT, 'dist/src/index.js'));
    const core = await gzippedKiB(`export { createBackupEngine, createMemoryClouds, openMemoryEventStore, createNobleScrypt } from ${main};\n`);
    const xstate = await gzippedKiB("export { createActor, createMachine } from 'xstate';\n");

    const startRow = (side: 'version' | 'list', label: string): FigureRow => ({
      id: `startup.${side}`,
      figure: `5. Start-up: wallet-backup ${label}`,
      unit: 's',
      engine: round(ms(side) / 1000, 3),
      baseline: round(ms('node') / 1000, 3),
      ratio: round(ratio(side), 3),
      target: 'info',
      met: null,
    });
    const rssRow = (side: 'version' | 'list', label: string): FigureRow => ({
      id: `startup.${side}.rss`,
      figure: `5a. ... peak RSS, ${label}`,
      unit: 'MB',
      engine: round(rss(side), 0),
      baseline: round(rss('node'), 0),
      ratio: round(rss(side) / rss('node'), 3),
      target: 'info',
      met: null,
    });
    return {
      rows: [
        startRow('version', '--version'),
        startRow('list', 'list (one backup)'),
        rssRow('version', '--version'),
        rssRow('list', 'list'),
        {
          id: 'bundle.browser.gz',
          figure: '6. Browser bundle of the core, gzipped',
          unit: 'KiB',
          engine: round(core, 1),
          baseline: BUNDLE_BUDGET_KIB,
          ratio: round(core / BUNDLE_BUDGET_KIB, 3),
          target: `<= ${BUNDLE_BUDGET_KIB} KiB`,
          met: core <= BUNDLE_BUDGET_KIB,
        },
        {
          id: 'bundle.xstate.gz',
          figure: '6a. ... xstate alone (createActor, createMachine)',
          unit: 'KiB',
          engine: round(xstate, 1),
          baseline: null,
          ratio: null,
          target: 'info',
          met: null,
        },
      ],
      notes: [
        `5. The compiled command (packages/cli/dist, built by npm run build first) spawned by this process, wall time ` +
          `from spawn to exit, vs node -e 0 spawned the same way; ratio = median over ${rounds} rounds of command / node. ` +
          `list --json reads a local-folder cloud holding one backup, made before by the same command. 5a: peak RSS ` +
          `(ru_maxrss at exit, written by a preload given to every side, node -e 0 included).`,
        `6. esbuild, platform browser, minified, ESM, gzip -9: an entry importing createBackupEngine, createMemoryClouds, ` +
          `openMemoryEventStore and createNobleScrypt from the built package (as test/package/consumer.test.ts does); ` +
          `baseline column: its budget. 6a: xstate's createActor and createMachine bundled the same way.`,
      ],
      detail: { rounds, runs, coreKiB: core, xstateKiB: xstate },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
