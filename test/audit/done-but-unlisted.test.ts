/**
 * Issue 11: `audit --cloud` compares the backups the log calls done with what the cloud still
 * has. A done backup the account no longer has is reported (exit 4, naming the wallet), even
 * though the log itself verifies; one whose listing entry alone is gone is a warning (its record
 * still restores by id).
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliEnv, runBinary, sandbox, walletIdOf, type Sandbox } from '../cli/cli-sandbox.ts';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';

const ACCOUNT = 'alice@example.com';
const PASSWORD = 'correct horse 7';
let box: Sandbox;
afterEach(() => box.cleanup());

async function backedUp(): Promise<{ walletId: string; folder: string }> {
  box = sandbox();
  const phrase = box.file('phrase.txt', 'legal winner thank year wave sausage worth useful legal winner thank yellow\n');
  const result = await box.run(['backup', '--provider', 'gdrive', '--account', ACCOUNT, '--mnemonic-file', phrase], { password: PASSWORD });
  expect(result.code, result.stderr).toBe(0);
  return { walletId: walletIdOf(result), folder: join(box.cloud, 'gdrive', 'accounts', encodeURIComponent(ACCOUNT), 'wallet-backup') };
}

describe('audit --cloud: done backups against what the cloud lists', () => {
  it('every done backup still listed: exit 0, no backup finding', async () => {
    await backedUp();
    const result = await box.run(['audit', '--json'], { password: PASSWORD });
    expect(result.code, result.stderr).toBe(0);
    const kinds = (JSON.parse(result.stdout) as { audit: { findings: Array<{ kind: string }> } }).audit.findings.map((f) => f.kind);
    expect(kinds.filter((k) => k.startsWith('backup-'))).toEqual([]);
  });

  it('the wallet deleted from the cloud: exit 4 naming it, though the log verifies', async () => {
    const { walletId, folder } = await backedUp();
    rmSync(join(folder, 'listing'), { recursive: true });
    rmSync(join(folder, 'wallets'), { recursive: true });
    const result = await box.run(['audit'], { password: PASSWORD });
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain(`wallet ${walletId} was backed up to gdrive account ${ACCOUNT}`);
    expect(result.stderr).toContain('the log itself verifies');
  });

  it('an empty log beside an account with checkpoints (every row deleted, or a new install): a warning, never a silent info', async () => {
    await backedUp();
    const empty = join(box.dir, 'empty.db');
    // A new install's log: created and migrated, no row yet (list and the other read-only commands never create one).
    await openSqliteEventStore({ path: empty }).close();
    const result = await runBinary(['audit', '--json', '--db', empty, '--cloud', box.cloud], cliEnv({ WALLET_BACKUP_PASSWORD: PASSWORD }));
    expect(result.code, result.stderr).toBe(0);
    const findings = (JSON.parse(result.stdout) as { audit: { findings: Array<{ kind: string; severity: string; message: string }> } }).audit.findings;
    expect(findings.find((f) => f.kind === 'checkpoint-other-log')).toMatchObject({ severity: 'warning', message: expect.stringContaining('this log is empty') });
  });

  it('only the listing entry deleted: a warning, exit 0; the record still restores by id', async () => {
    const { walletId, folder } = await backedUp();
    for (const epoch of readdirSync(join(folder, 'listing'))) rmSync(join(folder, 'listing', epoch), { recursive: true });
    const result = await box.run(['audit', '--json'], { password: PASSWORD });
    expect(result.code, result.stderr).toBe(0);
    const findings = (JSON.parse(result.stdout) as { audit: { findings: Array<{ kind: string; severity: string; message: string }> } }).audit.findings;
    expect(findings.filter((f) => f.kind === 'backup-unlisted')).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining(walletId) })]);
    const out = join(box.dir, 'restored.txt');
    const restored = await box.run(['restore', '--provider', 'gdrive', '--account', ACCOUNT, '--wallet', walletId, '--out', out], { password: PASSWORD });
    expect(restored.code, restored.stderr).toBe(0);
  });
});
