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
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const CLI = join(ROOT, 'packages/cli');
const CLI_DIST = join(CLI, 'dist');

const RELATIVE_TS_IMPORT = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*?)\.ts(['"])/g;

/** Rewrites `./x.ts` to `./x.js` in every .d.ts under `dir`; returns how many files changed. */
function rewriteDeclarationImports(dir: string): number {
  let changed = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    const text = readFileSync(path, 'utf8');
    const rewritten = text.replace(RELATIVE_TS_IMPORT, '$1$2.js$3');
    if (rewritten !== text) {
      writeFileSync(path, rewritten);
      changed += 1;
    }
  }
  return changed;
}

function buildLibrary(): void {
  rmSync(DIST, { recursive: true, force: true });
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  rewriteDeclarationImports(DIST);
}

async function buildCli(): Promise<void> {
  rmSync(CLI_DIST, { recursive: true, force: true });
  const { version } = JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8')) as { version: string };
  await build({
    absWorkingDir: ROOT,
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
  // src/inspect/server.ts serves new URL('./page/', import.meta.url): beside the bundle's entry.
  cpSync(join(ROOT, 'src/inspect/page'), join(CLI_DIST, 'page'), { recursive: true });
  cpSync(join(ROOT, 'LICENSE'), join(CLI, 'LICENSE'));
}

buildLibrary();
await buildCli();
