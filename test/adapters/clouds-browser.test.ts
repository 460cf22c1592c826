/**
 * The three HTTP adapters must run in browsers and React Native: esbuild bundles the package's
 * `./clouds` entry (src/clouds.ts: Google Drive, HUAWEI Drive Kit, CloudKit Web Services) for the
 * browser platform, as an app's bundler would; no `node:` module and no Node built-in may be in
 * it (https://nodejs.org/api/module.html#modulebuiltinmodules). The bundle itself then creates,
 * lists and reads over HTTP against each adapter's emulator on 127.0.0.1 with nothing but fetch.
 */
import { builtinModules } from 'node:module';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type * as Clouds from '../../src/clouds.ts';
import { bundleForBrowser, type BrowserBundle } from '../support/browser-bundle.ts';
import { startCloudKitEmulator } from '../support/cloudkit-emulator.ts';
import { startDriveEmulator } from '../support/drive-fault-proxy.ts';
import { startHuaweiDriveEmulator } from '../support/huawei-drive-emulator.ts';

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const PATH = 'wallet-backup/keyrings/epoch-1.age';
const BYTES = Uint8Array.from([0, 255, 1, 254, 128]);

let bundle: BrowserBundle;
let clouds: typeof Clouds;
beforeAll(async () => {
  bundle = await bundleForBrowser('src/clouds.ts');
  clouds = await bundle.load<typeof Clouds>();
});

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('the ./clouds entry on the browser platform', () => {
  it('bundles the three HTTP adapters with no node: module and no Node built-in, imported or bundled', () => {
    for (const adapter of ['adapters/cloud/google-drive.ts', 'adapters/cloud/huawei-drive.ts', 'adapters/cloud/cloudkit.ts', 'adapters/http/retry.ts']) {
      expect(bundle.inputs).toContain(adapter);
    }
    expect(bundle.inputs.filter((input) => input.startsWith('node:') || NODE_BUILTINS.has(input))).toEqual([]);
    expect(bundle.imports.filter((path) => NODE_BUILTINS.has(path))).toEqual([]);
    expect(new TextDecoder().decode(bundle.code)).not.toMatch(/\bfrom\s+["']node:|require\(["']node:/);
  });

  it('the bundled Google Drive adapter creates, lists and reads over HTTP (google-drive-mock behind the fault proxy)', async () => {
    const emulator = await startDriveEmulator();
    closers.push(() => emulator.close());
    const token = emulator.issueToken();
    const drive = clouds.createGoogleDriveCloud({ getAccessToken: async () => token, baseUrl: emulator.url });
    expect(await drive.create(PATH, BYTES)).toBe('created');
    expect(await drive.list('wallet-backup')).toEqual([PATH]);
    expect(await drive.read(PATH, { maxBytes: 10 })).toEqual(BYTES);
    expect(await drive.status()).toEqual({ account: 'alice@example.com', hms: 'ok' });
  });

  it('the bundled HUAWEI Drive adapter creates, lists and reads over HTTP (our Drive Kit emulator)', async () => {
    const emulator = await startHuaweiDriveEmulator();
    closers.push(() => emulator.close());
    emulator.addToken('AT-browser', 'alice@example.com');
    const drive = clouds.createHuaweiDriveCloud({ getAccessToken: async () => 'AT-browser', checkHmsCore: async () => clouds.HMS_CONNECTION_RESULT.SUCCESS, baseUrl: emulator.url });
    expect(await drive.create(PATH, BYTES)).toBe('created');
    expect(await drive.list('wallet-backup')).toEqual([PATH]);
    expect(await drive.read(PATH, { maxBytes: 10 })).toEqual(BYTES);
    expect(await drive.status()).toEqual({ account: 'alice@example.com', hms: 'ok' });
  });

  it('the bundled CloudKit adapter creates, lists and reads over HTTP (our CloudKit Web Services emulator)', async () => {
    const ck = await startCloudKitEmulator();
    closers.push(() => ck.close());
    const drive = clouds.createCloudKitCloud({
      container: ck.container,
      environment: 'development',
      apiToken: ck.apiToken,
      webAuthToken: ck.signIn('alice@example.com'),
      baseUrl: ck.url,
    });
    expect(await drive.create(PATH, BYTES)).toBe('created');
    expect(await drive.list('wallet-backup')).toEqual([PATH]);
    expect(await drive.read(PATH, { maxBytes: 10 })).toEqual(BYTES);
    expect(await drive.status()).toEqual({ account: ck.userRecordName('alice@example.com'), hms: 'ok' });
  });
});
