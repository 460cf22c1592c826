/**
 * The Drive adapter must run in browsers and React Native: esbuild bundles it for the browser
 * platform (failing on any node: import or Node built-in), and the bundle itself then writes,
 * creates, lists and reads over HTTP against the emulator with nothing but fetch.
 */
import { bundleForBrowser } from '../support/browser-bundle.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createGoogleDriveCloud as CreateGoogleDriveCloud } from '../../adapters/cloud/google-drive.ts';
import { startDriveEmulator, type DriveEmulator } from '../support/drive-fault-proxy.ts';

let emulator: DriveEmulator;
beforeAll(async () => {
  emulator = await startDriveEmulator();
});
afterAll(async () => {
  await emulator.close();
});

describe('Google Drive adapter on the browser platform', () => {
  it('bundles for platform browser with no Node built-in, and the bundle does a round trip over HTTP', async () => {
    const bundle = await bundleForBrowser('adapters/cloud/google-drive.ts');
    const inputs = bundle.inputs;
    expect(inputs.filter((input) => input.startsWith('node:'))).toEqual([]);
    expect(inputs).toContain('adapters/http/retry.ts');
    const lib = await bundle.load<{ createGoogleDriveCloud: typeof CreateGoogleDriveCloud }>();
    const token = emulator.issueToken();
    const drive = lib.createGoogleDriveCloud({ getAccessToken: async () => token, baseUrl: emulator.url });
    const bytes = Uint8Array.from([0, 255, 1, 254, 128]);
    expect(await drive.create('wallet-backup/keyrings/epoch-1.age', bytes)).toBe('created');
    expect(await drive.list('wallet-backup')).toEqual(['wallet-backup/keyrings/epoch-1.age']);
    expect(await drive.read('wallet-backup/keyrings/epoch-1.age', { maxBytes: 10 })).toEqual(bytes);
    expect(await drive.status()).toEqual({ account: 'alice@example.com', hms: 'ok' });
  });
});
