// A wallet app's first use of the core entry, as it would type it: back up a phrase into a
// memory cloud and restore it. The consumer suite type-checks this file under each TypeScript
// setting it names, with no DOM and no Node types, and runs it (compiled) in Node.
import {
  createBackupEngine,
  createMemoryClouds,
  createNobleScrypt,
  openMemoryEventStore,
  type BackupEngine,
  type ProviderId,
} from 'wallet-backup-engine';

export async function roundTrip(mnemonic: string): Promise<{ backup: string; restore: string; same: boolean }> {
  const provider: ProviderId = 'gdrive';
  const engine: BackupEngine = createBackupEngine({
    eventLog: openMemoryEventStore(),
    clouds: createMemoryClouds({ account: 'alice@example.com' }),
    kdf: createNobleScrypt(),
    scryptLogN: 10,
  });
  const backup = await engine.backup({ provider, mnemonic, walletName: 'Main' });
  await backup.choosePassword('correct horse battery', 'correct horse battery');
  const { outcome, walletId } = backup.result();
  if (walletId === undefined || walletId === null) return { backup: outcome, restore: 'not run', same: false };
  const restore = await engine.restore({ provider, walletId });
  await restore.enterPassword('correct horse battery');
  const restored = restore.result();
  return { backup: outcome, restore: restored.outcome, same: restored.mnemonic === mnemonic };
}
