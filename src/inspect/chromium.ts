/**
 * Headless Chromium for the inspector's browser test and `npm run docs`, driven by playwright-core
 * (a dev dependency), found in one place. A browser is never downloaded:
 *
 *  1. Debian's `chromium` at /usr/bin/chromium (or CHROMIUM_PATH), when it exists;
 *  2. else the Chromium that the npm package @sparticuz/chromium ships inside itself (a dev
 *     dependency, brotli-compressed in node_modules): unpacked once into the temp folder, with
 *     the NSS/NSPR/expat libraries the package also ships (its Amazon Linux set; a bare Debian
 *     machine lacks libnss3), so it needs nothing from apt;
 *  3. else neither: ChromiumUnavailableError names both ways to get one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** CHROMIUM_PATH overrides it on machines that keep Chromium elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The npm package and version whose Chromium is the fallback (package.json pins it). */
export const NPM_CHROMIUM_PACKAGE = '@sparticuz/chromium@147.0.0';

const INSTALL_HINT =
  "Install Debian's package: apt-get install -y chromium, or the npm one: npm install -D " +
  `${NPM_CHROMIUM_PACKAGE} (the inspector's browser test and npm run docs never download a browser).`;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export class ChromiumUnavailableError extends Error {
  override readonly name = 'ChromiumUnavailableError';
}

export interface ChromiumExecutable {
  /** 'system': Debian's (or CHROMIUM_PATH); 'npm': the one inside @sparticuz/chromium. */
  readonly source: 'system' | 'npm';
  readonly executablePath: string;
  /** Extra environment the browser needs (the npm one: its own libraries and fonts). */
  readonly env: Record<string, string>;
}

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Bumped whenever what unpackNpmChromium adds to the folder changes (2: our fonts.conf). */
const UNPACKED_LAYOUT = 2;

function fontsConf(dir: string): string {
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    `  <dir>${join(dir, 'fonts')}</dir>`,
    '  <dir>/usr/share/fonts</dir>',
    `  <cachedir>${join(dir, 'fonts-cache')}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
}

/**
 * Unpacks @sparticuz/chromium's browser into <tmp>/wallet-backup-engine-chromium-147.0.0 once
 * and returns where it is. The package's own executablePath() does the unpacking, in a child
 * process: it writes into os.tmpdir() and sets LD_LIBRARY_PATH and other variables on import,
 * so the child gets a private TMPDIR (a staging folder, renamed into place when complete, so
 * concurrent test processes never see half a browser) and AWS_EXECUTION_ENV naming a Node
 * runtime, which is what makes the package unpack its libraries (al2023.tar.br) too.
 */
function unpackNpmChromium(): ChromiumExecutable {
  const dir = join(tmpdir(), `wallet-backup-engine-chromium-${NPM_CHROMIUM_PACKAGE.split('@').pop()}-layout${UNPACKED_LAYOUT}`);
  const complete = join(dir, '.complete');
  if (!existsSync(complete)) {
    const staging = mkdtempSync(`${dir}.staging-`);
    const script = "const { default: c } = await import('@sparticuz/chromium'); process.stdout.write(await c.executablePath());";
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TMPDIR: staging, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (run.status !== 0 || run.stdout !== join(staging, 'chromium')) {
      rmSync(staging, { recursive: true, force: true });
      const why = run.error?.message ?? (run.stderr.trim().split('\n').find((line) => line.includes('Error')) || `exit ${run.status}`);
      throw new ChromiumUnavailableError(`${NPM_CHROMIUM_PACKAGE} could not be unpacked: ${why}`);
    }
    // The package's fonts.conf names the Lambda folders (/tmp/fonts, /var/task/fonts): with no font
    // found, Chromium aborts on the inspector page ("SkFontMgr_FontConfigInterface: Not
    // implemented"). Ours names the fonts it unpacked (Open Sans) and the system's, if any.
    writeFileSync(join(staging, 'fonts.conf'), fontsConf(dir));
    writeFileSync(join(staging, '.complete'), `${NPM_CHROMIUM_PACKAGE}\n`);
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another process put a complete copy there first: use it, drop ours.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(complete)) throw error;
    }
  }
  return {
    source: 'npm',
    executablePath: join(dir, 'chromium'),
    env: {
      LD_LIBRARY_PATH: [join(dir, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_FILE: join(dir, 'fonts.conf'),
    },
  };
}

/**
 * Where the Chromium to use is: the system one at `systemPath` if it exists, else the npm one
 * (unless `npmFallback` is false). Throws ChromiumUnavailableError, naming what to install.
 */
export function resolveChromium(systemPath: string = CHROMIUM_PATH, options: { npmFallback?: boolean } = {}): ChromiumExecutable {
  if (existsSync(systemPath)) return { source: 'system', executablePath: systemPath, env: {} };
  const notHere = `Chromium is not installed at ${systemPath}`;
  if (options.npmFallback === false) throw new ChromiumUnavailableError(`${notHere}. ${INSTALL_HINT}`);
  try {
    return unpackNpmChromium();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ChromiumUnavailableError(`${notHere}, and ${NPM_CHROMIUM_PACKAGE} is not usable (${why}). ${INSTALL_HINT}`);
  }
}

/**
 * Launches the resolved Chromium. A system Chromium that fails to launch is an error as it is;
 * the npm one failing to launch here (a machine it does not fit) is a ChromiumUnavailableError.
 */
export async function launchChromium(systemPath: string = CHROMIUM_PATH, options: { npmFallback?: boolean } = {}): Promise<Browser> {
  const found = resolveChromium(systemPath, options);
  const launch = () =>
    chromium.launch({ executablePath: found.executablePath, args: ARGS, env: { ...process.env, ...found.env }, timeout: 30_000 });
  if (found.source === 'system') return launch();
  try {
    return await launch();
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ChromiumUnavailableError(`Chromium is not installed at ${systemPath}, and ${NPM_CHROMIUM_PACKAGE}'s does not launch here (${why}). ${INSTALL_HINT}`);
  }
}
