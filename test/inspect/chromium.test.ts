/**
 * Which Chromium the browser tests use, found in src/inspect/chromium.ts and never downloaded:
 * the system one when it exists, else the one shipped inside the npm package @sparticuz/chromium;
 * without either, an error that names both ways to install one.
 */
import { describe, expect, it } from 'vitest';
import { ChromiumUnavailableError, resolveChromium } from '../../src/inspect/chromium.ts';
import { launchChromiumOrRequirement } from '../support/chromium.ts';
import { requireOrSkip } from '../support/requirements.ts';

describe('Chromium resolution', () => {
  it('prefers the system executable when it exists (no npm unpacking)', () => {
    expect(resolveChromium(process.execPath)).toEqual({ source: 'system', executablePath: process.execPath, env: {} });
  });

  it('without the system Chromium and the npm fallback: an error naming apt-get and @sparticuz/chromium', () => {
    const resolve = () => resolveChromium('/nonexistent/chromium', { npmFallback: false });
    expect(resolve).toThrow(ChromiumUnavailableError);
    expect(resolve).toThrow('apt-get install -y chromium');
    expect(resolve).toThrow('npm install -D @sparticuz/chromium@147.0.0');
  });

  it('without the system Chromium, the one inside @sparticuz/chromium launches and runs a page', async (ctx) => {
    const { browser, requirement } = await launchChromiumOrRequirement('/nonexistent/chromium');
    requireOrSkip(ctx, requirement);
    try {
      expect(browser!.version()).toMatch(/^147\./);
      const page = await browser!.newPage();
      // Form controls, as the inspector page has: when fontconfig finds no font, this Chromium
      // aborts on them ("SkFontMgr_FontConfigInterface: Not implemented").
      await page.setContent(
        '<p id="p" style="font-family: monospace">static</p><select><option>replay</option></select><input type="text" value="filter">' +
          '<script>document.getElementById("p").textContent = "scripted"</script>',
      );
      expect(await page.textContent('#p')).toBe('scripted');
      expect((await page.screenshot()).length).toBeGreaterThan(1000);
    } finally {
      await browser!.close();
    }
  });
});
