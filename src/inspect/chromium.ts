/**
 * Headless Chromium for the inspector's browser test and `npm run docs`: Debian's `chromium`
 * package driven by playwright-core (a dev dependency). A browser is never downloaded: when
 * /usr/bin/chromium is missing this fails with the command that installs it.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** CHROMIUM_PATH overrides it on machines that keep Chromium elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(executablePath: string = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium is not installed at ${executablePath}. Install Debian's package: apt-get install -y chromium ` +
        '(the inspector\'s browser test and npm run docs never download a browser).',
    );
  }
  return chromium.launch({ executablePath, args: ARGS, timeout: 30_000 });
}
