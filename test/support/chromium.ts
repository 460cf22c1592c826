/**
 * The browser tests' Chromium (resolved by src/inspect/chromium.ts: Debian's, else the one inside
 * @sparticuz/chromium), or the Requirement that says why none can run here, for requireOrSkip.
 */
import type { Browser } from 'playwright-core';
import { ChromiumUnavailableError, launchChromium } from '../../src/inspect/chromium.ts';
import type { Requirement } from './requirements.ts';

export async function launchChromiumOrRequirement(
  ...args: Parameters<typeof launchChromium>
): Promise<{ browser: Browser | undefined; requirement: Requirement }> {
  const requirement = (missing: string | undefined): Requirement => ({
    what: 'a headless Chromium',
    missing,
    install: 'apt-get install -y chromium (Debian), or npm install -D @sparticuz/chromium@147.0.0',
  });
  try {
    return { browser: await launchChromium(...args), requirement: requirement(undefined) };
  } catch (error) {
    if (!(error instanceof ChromiumUnavailableError)) throw error;
    return { browser: undefined, requirement: requirement(error.message) };
  }
}
