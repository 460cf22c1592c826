/**
 * The browser test needs Debian's Chromium and never downloads one: without it, launching fails
 * (the browser test then fails, it is not skipped) with the command that installs it.
 */
import { describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/inspect/chromium.ts';

describe('launchChromium', () => {
  it('fails with the apt-get command when Chromium is missing', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow('apt-get install -y chromium');
  });
});
