/**
 * Test helper: bundles an entry for the browser with esbuild (ESM, platform browser, nothing
 * external), as an app's bundler would, and can load the bundle in this process to run it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export interface BrowserBundle {
  /** The bundled source files and packages, as esbuild names them (node: built-ins included, if any). */
  inputs: string[];
  /** Every import path the bundled files named. */
  imports: string[];
  code: Uint8Array;
  /** Imports the bundle as an ES module (written to a temp file first). */
  load<T>(): Promise<T>;
}

export async function bundleForBrowser(entry: string, options: { cwd?: string; minify?: boolean } = {}): Promise<BrowserBundle> {
  const result = await build({
    entryPoints: [entry],
    ...(options.cwd !== undefined ? { absWorkingDir: options.cwd } : {}),
    bundle: true,
    minify: options.minify ?? false,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return {
    inputs: Object.keys(result.metafile.inputs),
    imports: Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path)),
    code,
    async load<T>() {
      const file = join(mkdtempSync(join(tmpdir(), 'wbe-browser-bundle-')), 'bundle.mjs');
      writeFileSync(file, code);
      return (await import(pathToFileURL(file).href)) as T;
    },
  };
}
