// The Node entry as a Node app types it: the SQLite log and the local-folder clouds. Needs
// @types/node and, for the log's `db`, @types/better-sqlite3 (optional peers of the package).
import { createNodeBackupEngine, type NodeBackupEngine } from 'wallet-backup-engine/node';

export async function nodeRoundTrip(dir: string, mnemonic: string): Promise<{ backup: string; restore: string; same: boolean; rows: number }> {
  const engine: NodeBackupEngine = createNodeBackupEngine({ db: `${dir}/log.db`, cloud: `${dir}/cloud`, account: 'alice@example.com', scryptLogN: 10 });
  try {
    const backup = await engine.backup({ provider: 'icloud', mnemonic, walletName: 'Main' });
    await backup.choosePassword('correct horse battery', 'correct horse battery');
    const { outcome, walletId } = backup.result();
    if (walletId === undefined || walletId === null) return { backup: outcome, restore: 'not run', same: false, rows: 0 };
    const restore = await engine.restore({ provider: 'icloud', walletId });
    await restore.enterPassword('correct horse battery');
    const restored = restore.result();
    const rows = engine.eventLog.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    return { backup: outcome, restore: restored.outcome, same: restored.mnemonic === mnemonic, rows: rows.n };
  } finally {
    await engine.close();
  }
}
