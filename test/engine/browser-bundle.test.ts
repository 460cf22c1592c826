/**
 * Wallet apps run in browsers and on React Native: the machines, the engine and the record
 * format must import no Node-only module. esbuild bundles the public entry for the browser
 * platform (it fails on any node: import or Node built-in), then the bundle runs a whole
 * backup and restore on the portable parts alone: noble scrypt, memory cloud, memory log.
 */
import { bundleForBrowser } from '../support/browser-bundle.ts';
import { describe, expect, it } from 'vitest';

describe('browser platform', () => {
  it('the core bundles for platform browser with no Node built-in', async () => {
    const { inputs } = await bundleForBrowser('src/index.ts');
    expect(inputs.some((f) => f.startsWith('node:') || f.includes('better-sqlite3'))).toBe(false);
    expect(inputs).toContain('src/engine/create-backup-engine.ts');
    expect(inputs).toContain('machines/backup.machine.ts');
    expect(inputs).toContain('src/format/keyring.ts');
  });

  it('the browser bundle backs up and restores a wallet on portable adapters only (R14)', async () => {
    // The bundle is untyped JavaScript: its exports are used as the README shows them.
    const lib = await (await bundleForBrowser('src/index.ts')).load<any>();
    const clouds = lib.createMemoryClouds({ account: 'alice@example.com' });
    const engine = lib.createBackupEngine({
      eventLog: lib.openMemoryEventStore(),
      clouds,
      kdf: lib.createNobleScrypt(),
      scryptLogN: 10,
    });
    const mnemonic = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
    const backup = await engine.backup({ provider: 'icloud', mnemonic });
    await backup.choosePassword('browser pass', 'browser pass');
    expect(backup.result().outcome).toBe('done');
    const restore = await engine.restore({ provider: 'icloud', walletId: backup.result().walletId });
    await restore.enterPassword('browser pass');
    expect(restore.result().mnemonic).toBe(mnemonic);
  });
});
