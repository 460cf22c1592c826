/**
 * The packages as their users get them (issue 12): `npm pack` of the library (this repository's
 * root) and of the CLI (packages/cli), installed into scratch projects with `npm install`, then
 * imported, run, type-checked and bundled from there. One file, so the build that `prepack` runs
 * happens once (two files packing at once would both rebuild dist/).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleForBrowser } from '../support/browser-bundle.ts';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, installedPackages, linkFromRepo, npmInstall, pack, REPO_MODULES, ROOT, run, scratchProject, tsc, type Packed } from './packed.ts';

const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

/** The gzipped size the browser bundle of the core must stay within (README, "Embedding"). */
export const BROWSER_BUNDLE_BUDGET_BYTES = 100 * 1024;

/** Packages an embedding app must never receive from this one. */
const NOT_FOR_EMBEDDERS = [
  'better-sqlite3', 'tsx', 'esbuild', 'typescript', 'commander', 'cli-table3', 'cli-progress', '@inquirer/password', 'ws',
  '@viz-js/viz', '@statelyai/inspect', 'prebuild-install', 'node-gyp', 'bindings',
];

/** The package's entries: '.', './machines', './records', './clouds', './node', './sqlite-wasm', './op-sqlite', './expo-sqlite' (file names under dist/src). */
const ENTRIES = ['index', 'machines', 'records', 'clouds', 'node', 'sqlite-wasm', 'op-sqlite', 'expo-sqlite'] as const;
const specifier = (entry: (typeof ENTRIES)[number]) => (entry === 'index' ? 'wallet-backup-engine' : `wallet-backup-engine/${entry}`);

let packed: Packed;
let packedCli: Packed;
let app: string;

function transpile(fixture: string, module: ts.ModuleKind): string {
  const source = readFileSync(join(ROOT, 'test/package/consumer', fixture), 'utf8');
  return ts.transpileModule(source, { compilerOptions: { module, target: ts.ScriptTarget.ES2022 } }).outputText;
}

function node(cwd: string, script: string, type: 'module' | 'commonjs') {
  return run(process.execPath, [`--input-type=${type}`, '-e', script], cwd);
}

beforeAll(() => {
  const destination = scratchProject('tarballs');
  packed = pack(ROOT, destination);
  // The root's prepack built both packages; the CLI's own prepack would build them again.
  packedCli = pack(join(ROOT, 'packages/cli'), destination, true);
  app = scratchProject('app');
  npmInstall(app, [packed.tarball]);
  // The app's own code, compiled as its build would: ESM and CommonJS flavours of each fixture.
  writeFileSync(join(app, 'round-trip.mjs'), transpile('round-trip.ts', ts.ModuleKind.ESNext));
  writeFileSync(join(app, 'round-trip.cjs'), transpile('round-trip.ts', ts.ModuleKind.CommonJS));
  writeFileSync(join(app, 'node-round-trip.mjs'), transpile('node-round-trip.ts', ts.ModuleKind.ESNext));
  writeFileSync(join(app, 'node-round-trip.cjs'), transpile('node-round-trip.ts', ts.ModuleKind.CommonJS));
}, 300_000);

describe('the packed library', () => {
  it('ships compiled JavaScript, declarations, docs and the licence; no sources, tests, benchmarks or images', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('dist/src/index.js');
    expect(paths).toContain('dist/src/index.d.ts');
    for (const entry of ENTRIES) {
      expect(paths).toContain(`dist/src/${entry}.js`);
      expect(paths).toContain(`dist/src/${entry}.d.ts`);
    }
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('README.md');
    const stray = paths.filter((p) => !/^(dist\/.*\.(js|d\.ts)|docs\/.*\.md|LICENSE|README\.md|package\.json)$/.test(p));
    expect(stray).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
  });

  it('declares an exports map with types and default for every entry, main and types for older resolvers, and no side effects', () => {
    const json = JSON.parse(readFileSync(join(app, 'node_modules/wallet-backup-engine/package.json'), 'utf8'));
    expect(Object.keys(json.exports)).toEqual([...ENTRIES.map((e) => (e === 'index' ? '.' : `./${e}`)), './package.json']);
    for (const entry of ENTRIES) {
      expect(json.exports[entry === 'index' ? '.' : `./${entry}`]).toEqual({ types: `./dist/src/${entry}.d.ts`, default: `./dist/src/${entry}.js` });
    }
    expect(json.main).toBe(json.exports['.'].default);
    expect(json.types).toBe(json.exports['.'].types);
    expect(json.sideEffects).toBe(false);
    expect(json.bin).toBeUndefined();
    // The @noble packages declare node >= 20.19; so does this package.
    expect(json.engines.node).toBe('>=20.19');
    for (const dependency of ['@noble/hashes', '@noble/ciphers']) {
      const declared = JSON.parse(readFileSync(join(app, 'node_modules', dependency, 'package.json'), 'utf8')).engines?.node;
      expect(declared, dependency).toBe('>= 20.19.0');
    }
  });

  it('installs no native module, TypeScript loader, CLI, inspector or demo package into an app', () => {
    const installed = installedPackages(app);
    const names = installed.map((p) => p.name);
    expect(names.filter((n) => NOT_FOR_EMBEDDERS.includes(n))).toEqual([]);
    const building = installed.filter((p) => p.json.gypfile === true || ['preinstall', 'install', 'postinstall'].some((s) => p.json.scripts?.[s] !== undefined));
    expect(building.map((p) => p.name)).toEqual([]);
    expect(names).toContain('wallet-backup-engine');
  });
});

describe('an app importing the core entry', () => {
  it('backs up and restores a phrase in plain Node ESM', () => {
    const result = node(app, `import { roundTrip } from './round-trip.mjs'; console.log(JSON.stringify(await roundTrip(${JSON.stringify(PHRASE)})));`, 'module');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ backup: 'done', restore: 'done', same: true });
  });

  it('backs up and restores a phrase through require()', () => {
    const result = node(app, `require('./round-trip.cjs').roundTrip(${JSON.stringify(PHRASE)}).then((r) => console.log(JSON.stringify(r)));`, 'commonjs');
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ backup: 'done', restore: 'done', same: true });
  });

  it('imports every entry but ./node in ESM and through require() without better-sqlite3', () => {
    for (const entry of ENTRIES.filter((e) => e !== 'node')) {
      const esm = node(app, `const m = await import('${specifier(entry)}'); console.log(Object.keys(m).length);`, 'module');
      expect(esm.status, esm.stderr).toBe(0);
      const cjs = node(app, `console.log(Object.keys(require('${specifier(entry)}')).length);`, 'commonjs');
      expect(cjs.status, cjs.stderr).toBe(0);
      expect(Number(cjs.stdout)).toBe(Number(esm.stdout));
      expect(Number(esm.stdout)).toBeGreaterThanOrEqual(2);
    }
  });

  it('fails to import the Node entry without its optional peer better-sqlite3, naming it', () => {
    const result = node(app, `await import('wallet-backup-engine/node');`, 'module');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("Cannot find package 'better-sqlite3'");
  });

  it('finds the package through main and types when the resolver ignores exports', () => {
    const json = JSON.parse(readFileSync(join(app, 'node_modules/wallet-backup-engine/package.json'), 'utf8'));
    const resolved = ts.resolveModuleName('wallet-backup-engine', join(app, 'index.ts'), { moduleResolution: ts.ModuleResolutionKind.Node10 }, ts.sys);
    expect(resolved.resolvedModule?.resolvedFileName).toBe(join(app, 'node_modules/wallet-backup-engine', json.types));
    const result = node(app, `const m = await import('./node_modules/wallet-backup-engine/${json.main}'); console.log(typeof m.createBackupEngine);`, 'module');
    expect(result.stdout.trim()).toBe('function');
  });
});

describe('an app using the Node entry with better-sqlite3 installed', () => {
  let nodeApp: string;
  beforeAll(() => {
    nodeApp = scratchProject('node-app');
    npmInstall(nodeApp, [packed.tarball]);
    for (const peer of ['better-sqlite3', '@types/better-sqlite3', '@types/node']) linkFromRepo(nodeApp, peer);
    for (const file of ['node-round-trip.mjs', 'node-round-trip.cjs']) writeFileSync(join(nodeApp, file), readFileSync(join(app, file)));
    for (const flavour of ['esm', 'cjs']) mkdirSync(join(nodeApp, flavour));
  }, 300_000);

  it('imports the Node entry in ESM and through require()', () => {
    const esm = node(nodeApp, `const m = await import('wallet-backup-engine/node'); console.log(typeof m.createNodeBackupEngine);`, 'module');
    expect(esm.stdout.trim(), esm.stderr).toBe('function');
    const cjs = node(nodeApp, `console.log(typeof require('wallet-backup-engine/node').openSqliteEventStore);`, 'commonjs');
    expect(cjs.stdout.trim(), cjs.stderr).toBe('function');
  });

  it('backs up to a folder and restores with the SQLite log, in ESM and through require()', () => {
    for (const [flavour, script] of [
      ['module', `import { nodeRoundTrip } from './node-round-trip.mjs'; console.log(JSON.stringify(await nodeRoundTrip('esm', ${JSON.stringify(PHRASE)})));`],
      ['commonjs', `require('./node-round-trip.cjs').nodeRoundTrip('cjs', ${JSON.stringify(PHRASE)}).then((r) => console.log(JSON.stringify(r)));`],
    ] as const) {
      const result = node(nodeApp, script, flavour);
      expect(result.status, result.stderr).toBe(0);
      const outcome = JSON.parse(result.stdout);
      expect(outcome).toMatchObject({ backup: 'done', restore: 'done', same: true });
      expect(outcome.rows).toBeGreaterThan(10);
    }
  });

  it('type-checks with @types/node and @types/better-sqlite3 under strict settings', () => {
    copyFixture('node-round-trip.ts', nodeApp);
    writeFileSync(join(nodeApp, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...STRICT_CONSUMER, module: 'nodenext', moduleResolution: 'nodenext', types: ['node'] }, files: ['node-round-trip.ts'] }));
    writeFileSync(join(nodeApp, 'package.json'), JSON.stringify({ name: 'consumer-node-app', private: true, type: 'module' }));
    const result = tsc(nodeApp, 'tsconfig.json');
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

/** What a careful app turns on; lib ES2022 and no `types`: neither DOM nor Node types. */
const STRICT_CONSUMER = {
  strict: true,
  skipLibCheck: false,
  noPropertyAccessFromIndexSignature: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noEmit: true,
  target: 'ES2022',
  lib: ['ES2022'],
  types: [] as string[],
};

/**
 * A TypeScript project inside the app (so it resolves the installed package): `files` are
 * fixtures from test/package/consumer/ or { name: source }; returns tsc's exit and output.
 */
function typeCheck(name: string, files: Array<string | { name: string; source: string }>, compilerOptions: Record<string, unknown>) {
  const dir = join(app, `ts-${name}`);
  mkdirSync(dir, { recursive: true });
  const esm = compilerOptions['module'] !== 'commonjs';
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `ts-${name}`, private: true, ...(esm ? { type: 'module' } : {}) }));
  for (const file of files) {
    if (typeof file === 'string') copyFixture(file, dir);
    else writeFileSync(join(dir, file.name), file.source);
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: files.map((f) => (typeof f === 'string' ? f : f.name)) }));
  const result = tsc(dir, 'tsconfig.json');
  return { status: result.status, output: result.stdout + result.stderr };
}

const NODENEXT = { module: 'nodenext', moduleResolution: 'nodenext' };

describe('a TypeScript app importing the core entry', () => {
  it.each([
    ['node16', { module: 'node16', moduleResolution: 'node16' }],
    ['nodenext', NODENEXT],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
    ['node10 (no exports support: main and types)', { module: 'commonjs', moduleResolution: 'node10' }],
  ])('type-checks with moduleResolution %s, strict, skipLibCheck false, no DOM and no Node types', (name, settings) => {
    expect(typeCheck(name.split(' ')[0]!, ['round-trip.ts'], { ...STRICT_CONSUMER, ...settings })).toEqual({ status: 0, output: '' });
  });

  it('fails to type-check when the app gets a type wrong (the check is real)', () => {
    const source = `import { createNobleScrypt, type ProviderId } from 'wallet-backup-engine';\nconst p: ProviderId = 'dropbox';\ncreateNobleScrypt(p);\n`;
    const result = typeCheck('wrong', [{ name: 'wrong.ts', source }], { ...STRICT_CONSUMER, ...NODENEXT });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(`error TS2322: Type '"dropbox"' is not assignable to type`);
  });
});

describe('a TypeScript tool importing ./machines and ./records', () => {
  // Their types are xstate's and age-encryption's: lib DOM, and not exactOptionalPropertyTypes,
  // which xstate 5's own declarations fail with skipLibCheck off (docs/packages.md).
  const TOOL = { ...STRICT_CONSUMER, ...NODENEXT, lib: ['ES2022', 'DOM'], exactOptionalPropertyTypes: false };

  it('type-checks with lib DOM, strict and skipLibCheck false', () => {
    expect(typeCheck('tool', ['tools.ts'], TOOL)).toEqual({ status: 0, output: '' });
  });

  it('does not type-check without lib DOM: the docs say why these entries need it', () => {
    const result = typeCheck('tool-no-dom', ['tools.ts'], { ...TOOL, lib: ['ES2022'] });
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/Cannot find name '(AbortSignal|ReadableStream|CryptoKey)'/);
  });
});

describe('a TypeScript app importing ./clouds', () => {
  it('type-checks with lib DOM (fetch), strict, exactOptionalPropertyTypes and skipLibCheck false', () => {
    expect(typeCheck('clouds', ['clouds.ts'], { ...STRICT_CONSUMER, ...NODENEXT, lib: ['ES2022', 'DOM'] })).toEqual({ status: 0, output: '' });
  });

  it('bundles for the browser with no node: import', async () => {
    const entry = join(app, 'clouds-entry.mjs');
    writeFileSync(entry, `export { createCloudKitCloud, createGoogleDriveCloud, createHuaweiDriveCloud } from 'wallet-backup-engine/clouds';\n`);
    const { imports, code } = await bundleForBrowser(entry, { cwd: app, minify: true });
    expect(imports.filter((path) => path.startsWith('node:'))).toEqual([]);
    expect(code.byteLength).toBeGreaterThan(1000);
  });
});

describe('a browser bundle of the core', () => {
  it('has no node: import and stays within its gzip budget', async () => {
    const entry = join(app, 'browser-entry.mjs');
    writeFileSync(entry, `export { createBackupEngine, createMemoryClouds, openMemoryEventStore, createNobleScrypt } from 'wallet-backup-engine';\n`);
    const { imports, code } = await bundleForBrowser(entry, { cwd: app, minify: true });
    expect(imports.filter((path) => path.startsWith('node:'))).toEqual([]);
    const gzipped = gzipSync(code, { level: 9 }).byteLength;
    console.log(`browser bundle of the core: ${code.byteLength} bytes minified, ${gzipped} bytes gzipped (budget ${BROWSER_BUNDLE_BUDGET_BYTES})`);
    expect(gzipped).toBeLessThanOrEqual(BROWSER_BUNDLE_BUDGET_BYTES);
    expect(new TextDecoder().decode(code)).not.toMatch(/from\s*"node:|require\("node:/);
  });
});

describe('the packed CLI, installed as a command', () => {
  let cliApp: string;
  let bin: string;
  const env: NodeJS.ProcessEnv = { ...process.env, WALLET_BACKUP_SCRYPT_LOG_N: '10', WALLET_BACKUP_PASSWORD: 'Tr0ub4dor&3 horse' };
  delete env.DEBUG;

  beforeAll(() => {
    cliApp = scratchProject('cli');
    // better-sqlite3 is the CLI's one native dependency: installed without its build script and
    // given this repository's compiled addon (same version), instead of compiling it again here.
    const sqliteVersion = JSON.parse(readFileSync(join(REPO_MODULES, 'better-sqlite3/package.json'), 'utf8')).version;
    npmInstall(cliApp, [packedCli.tarball, `better-sqlite3@${sqliteVersion}`], ['--ignore-scripts']);
    const addon = 'better-sqlite3/build/Release/better_sqlite3.node';
    mkdirSync(join(cliApp, 'node_modules', addon, '..'), { recursive: true });
    copyFileSync(join(REPO_MODULES, addon), join(cliApp, 'node_modules', addon));
    bin = join(cliApp, 'node_modules/.bin/wallet-backup');
  }, 300_000);

  it('ships the bundled JavaScript, the inspector page and the licence; no TypeScript', () => {
    const paths = packedCli.files.map((f) => f.path);
    expect(paths).toContain('dist/wallet-backup.js');
    expect(paths).toContain('dist/page/index.html');
    expect(paths).toContain('LICENSE');
    expect(paths.filter((p) => !/^(dist\/[\w.-]+\.js|dist\/page\/[\w.-]+|LICENSE|README\.md|package\.json)$/.test(p))).toEqual([]);
  });

  it('runs compiled JavaScript, with no TypeScript loader installed or imported', () => {
    const names = installedPackages(cliApp).map((p) => p.name);
    for (const loader of ['tsx', 'typescript', 'esbuild', '@statelyai/inspect']) expect(names).not.toContain(loader);
    const entry = readFileSync(join(cliApp, 'node_modules/wallet-backup-cli/dist/wallet-backup.js'), 'utf8');
    expect(entry.split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(entry).not.toMatch(/from ["']tsx|\.ts["']/);
    const version = run(bin, ['--version'], cliApp, env);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('backs up a phrase to a cloud folder and restores it on a fresh device log', () => {
    const phrase = join(cliApp, 'phrase.txt');
    writeFileSync(phrase, `${PHRASE}\n`);
    const account = ['--provider', 'gdrive', '--account', 'alice@example.com', '--cloud', join(cliApp, 'cloud')];
    const backup = run(bin, ['backup', ...account, '--db', join(cliApp, 'phone.db'), '--mnemonic-file', phrase, '--name', 'Main', '--json'], cliApp, env);
    expect(backup.status, backup.stderr).toBe(0);
    const walletId = JSON.parse(backup.stdout).walletId as string;
    const out = join(cliApp, 'restored.txt');
    const restore = run(bin, ['restore', ...account, '--db', join(cliApp, 'new-phone.db'), '--wallet', walletId, '--out', out], cliApp, env);
    expect(restore.status, restore.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(`${PHRASE}\n`);
    const audit = run(bin, ['audit', '--db', join(cliApp, 'phone.db')], cliApp, env);
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);
  });
});

