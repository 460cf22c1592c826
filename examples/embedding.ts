/**
 * Embedding wallet-backup-engine in a wallet app (Node flavour). docs/embedding.md shows this
 * file verbatim and test/examples/embedding.test.ts runs it, so the example cannot rot.
 * In a browser or React Native app, import from 'wallet-backup-engine' instead and pass your
 * own CloudDrive adapters, an EventStore, and createNobleScrypt().
 */
import { createBackupEngine, HINT_TEXT, type PasswordHint } from '../src/index.ts';
import { createLocalFolderClouds, createNodeScrypt, openSqliteEventStore } from '../src/node.ts';

export async function embeddingExample(dir: string, log: (line: string) => void = console.log) {
  const eventLog = openSqliteEventStore({ path: `${dir}/wallet-backup.db` });
  const engine = createBackupEngine({
    eventLog,
    clouds: createLocalFolderClouds({ root: `${dir}/cloud`, account: 'alice@example.com' }),
    kdf: createNodeScrypt(),
    device: { id: 'my-phone' },
  });

  // Every transition, as it is durably appended (no secret is ever in a row).
  const rows = engine.rows$.subscribe((row) => log(`${row.machineId} ${row.eventType} -> ${row.toState}`));

  // Back up: the engine checks the phrase, the provider, then asks for what it needs.
  const mnemonic = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
  const backup = await engine.backup({ provider: 'icloud', mnemonic, walletName: 'Main' });
  backup.state$.subscribe((snapshot) => log(`backup is at ${JSON.stringify(snapshot.value)}`));

  let view = backup.view();
  if (view.state === 'choosingPassword') {
    // First backup under this account: the password is set and bound to it (R4).
    view = await backup.choosePassword('my backup password', 'my backup password');
  } else if (view.state === 'enteringPassword') {
    // Later backups verify it (R5); a wrong one comes back with the guide's hints (R10).
    view = await backup.enterPassword('my backup password');
    const hints = backup.context().hints as PasswordHint[];
    for (const hint of hints) log(HINT_TEXT[hint]);
  }
  const { outcome, walletId, epoch } = backup.result();
  log(`backup ${outcome}: wallet ${walletId}, password epoch ${epoch}`);

  // Restore, e.g. on a new phone: the cloud lists the wallets, the password unlocks them.
  const restore = await engine.restore({ provider: 'icloud', walletId: walletId! });
  await restore.enterPassword('my backup password');
  const restored = restore.result();
  log(`restore ${restored.outcome}: ${restored.mnemonic === mnemonic ? 'same phrase' : 'DIFFERENT phrase'}`);

  rows.unsubscribe();
  await eventLog.close();
  return { backup: backup.result(), restored };
}
