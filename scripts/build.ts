/**
 * `npm run build` (and `prepack`): what the two packages ship, made from the sources.
 *
 * - dist/: the library `wallet-backup-engine` — ESM JavaScript and .d.ts files for the entries
 *   in package.json's `exports` (src/index.ts, src/node.ts) and everything they import, by plain
 *   tsc (tsconfig.build.json). tsc rewrites `.ts` import paths to `.js` in JavaScript but not in
 *   declaration files; this script does that for the .d.ts files.
 * - packages/cli/dist/: the command `wallet-backup` (package `wallet-backup-cli`) — src/cli
 *   bundled by esbuild into ESM files (an entry and the chunks each command loads when it runs),
 *   npm packages left as imports (they are the CLI package's dependencies), the version inlined, the
 *   inspector's page beside it. No TypeScript loader at run time.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const CLI = join(ROOT, 'packages/cli');
const CLI_DIST = join(CLI, 'dist');

const RELATIVE_TS_IMPORT = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*?)\.ts(['"])/g;

/** Rewrites `./x.ts` to `./x.js` in every .d.ts under `dir`. */
function rewriteDeclarationImports(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    const text = readFileSync(path, 'utf8');
    const rewritten = text.replace(RELATIVE_TS_IMPORT, '$1$2.js$3');
    if (rewritten !== text) writeFileSync(path, rewritten);
  }
}

function buildLibrary(): void {
  rmSync(DIST, { recursive: true, force: true });
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  rewriteDeclarationImports(DIST);
}

async function buildCli(): Promise<void> {
  rmSync(CLI_DIST, { recursive: true, force: true });
  const { version } = JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8')) as { version: string };
  const result = await build({
    absWorkingDir: ROOT,
    metafile: true,
    entryPoints: { 'wallet-backup': 'src/cli/main.ts' },
    outdir: CLI_DIST,
    bundle: true,
    // Each command's modules (and the npm packages they import) load only when it runs: chunks
    // beside the entry, so a chunk's import.meta.url has the entry's folder.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    define: { __WALLET_BACKUP_VERSION__: JSON.stringify(version) },
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  checkCliDependencies(result.metafile);
  // src/inspect/server.ts serves new URL('./page/', import.meta.url): beside the bundle's entry.
  cpSync(join(ROOT, 'src/inspect/page'), join(CLI_DIST, 'page'), { recursive: true });
  cpSync(join(ROOT, 'LICENSE'), join(CLI, 'LICENSE'));
}

/** The npm package a bare import names: `@scope/name` or `name`, without a subpath. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Every npm package the CLI bundle imports must be a dependency of the CLI package, with the
 * range the root's package.json gives it (the one the tests ran against); otherwise the
 * installed command would fail only when the command that imports it runs.
 */
function checkCliDependencies(metafile: Metafile): void {
  const cli = JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const problems: string[] = [];
  if (cli.version !== root.version) problems.push(`packages/cli is version ${cli.version}, the library ${root.version}`);
  const imported = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const { path, external } of output.imports) if (external && !path.startsWith('node:')) imported.add(packageOf(path));
  }
  for (const name of [...imported].sort()) {
    const range = root.dependencies[name] ?? root.devDependencies[name];
    if (cli.dependencies[name] === undefined) problems.push(`${name} is imported by the CLI but is not a dependency of packages/cli`);
    else if (cli.dependencies[name] !== range) problems.push(`${name}: packages/cli says ${cli.dependencies[name]}, the root ${range}`);
  }
  for (const name of Object.keys(cli.dependencies)) if (!imported.has(name)) problems.push(`${name} is a dependency of packages/cli that the CLI never imports`);
  if (problems.length > 0) throw new Error(`The CLI package's dependencies do not match its bundle:\n  ${problems.join('\n  ')}`);
}

buildLibrary();
await buildCli();
