/**
 * Test helper for the consumer suite: packs this repository's two packages with `npm pack`
 * (whose `prepack` runs the build) and installs the tarballs into scratch projects the way an app
 * would, with `npm install`. Nothing is downloaded that `npm ci` did not already put in npm's
 * cache, except package metadata (`--prefer-offline`).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const REPO_MODULES = join(ROOT, 'node_modules');

export interface PackedFile {
  path: string;
  size: number;
}

export interface Packed {
  tarball: string;
  files: PackedFile[];
  /** Size of the .tgz in bytes. */
  packedSize: number;
}

interface NpmPackJson {
  filename: string;
  size: number;
  files: PackedFile[];
}

function npm(args: string[], cwd: string): string {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} (in ${cwd}) exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** `npm pack` of the package in `dir` into `destination`; `ignoreScripts` skips prepack when the build already ran. */
export function pack(dir: string, destination: string, ignoreScripts = false): Packed {
  const out = npm(['pack', '--json', '--pack-destination', destination, ...(ignoreScripts ? ['--ignore-scripts'] : [])], dir);
  // prepack's own output (the build) may precede the JSON on stdout.
  const json = JSON.parse(out.slice(out.indexOf('[\n'))) as NpmPackJson[];
  const info = json[0]!;
  return { tarball: join(destination, info.filename), files: info.files, packedSize: info.size };
}

/** A fresh folder holding an app's package.json. */
export function scratchProject(name: string, extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `wbe-consumer-${name}-`));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `consumer-${name}`, version: '1.0.0', private: true, ...extra }, null, 2)}\n`);
  return dir;
}

export function npmInstall(dir: string, specs: string[], flags: string[] = []): void {
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-save', ...flags, ...specs], dir);
}

/**
 * Makes `node_modules/<name>` of the app a link to this repository's installed copy: an optional
 * peer (better-sqlite3, @types/*) that the app "already has", without building it again.
 */
export function linkFromRepo(dir: string, name: string): void {
  const target = join(dir, 'node_modules', name);
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(join(REPO_MODULES, name), target, 'dir');
}

export interface InstalledPackage {
  name: string;
  version: string;
  dir: string;
  json: { scripts?: Record<string, string>; gypfile?: boolean };
}

/** Every package under `node_modules` (nested ones too), read from disk as npm left it. */
export function installedPackages(dir: string): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  const walk = (modules: string) => {
    let names: string[];
    try {
      names = readdirSync(modules);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) {
        for (const scoped of readdirSync(join(modules, name))) visit(join(modules, name, scoped));
      } else visit(join(modules, name));
    }
  };
  const visit = (pkgDir: string) => {
    const json = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as InstalledPackage['json'] & { name: string; version: string };
    found.push({ name: json.name, version: json.version, dir: pkgDir, json });
    walk(join(pkgDir, 'node_modules'));
  };
  walk(join(dir, 'node_modules'));
  return found;
}

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
}

/** The repository's TypeScript compiler, run on an app's tsconfig. */
export function tsc(cwd: string, project: string): SpawnSyncReturns<string> {
  return run(process.execPath, [join(REPO_MODULES, 'typescript/bin/tsc'), '-p', project], cwd);
}

export function copyFixture(name: string, dir: string): void {
  cpSync(join(ROOT, 'test/package/consumer', name), join(dir, name));
}
