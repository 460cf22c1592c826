/**
 * Crash safety (issue 4): backups run in a child process (crash-child.ts: the real engine on a
 * SQLite log and a local-folder cloud) that is SIGKILLed at many points: right after its Nth
 * appended row, and at random moments (mid-effect: during a KDF, an upload, a read-back). After
 * every kill:
 *   - the log still verifies (chain, positions, replay, flows table: no error finding, E4/E5);
 *   - every flow the kill interrupted is reported as `interrupted`, an info finding, not an
 *     error; and the next run redoes its work (the same wallet backed up again, same wallet id);
 *   - nothing half-written is visible as a completed backup: the cloud lists (a listing entry,
 *     cloud layout 2) only wallets whose records decrypt with their epoch's keyring and hold a
 *     valid phrase (E3, R12); nothing is deleted, so a cut backup may leave an unlisted record;
 *   - a keyring, once written, is never replaced (created only if absent), and a listed wallet
 *     stays listed.
 * After a last run without a kill, audit --cloud also verifies every checkpoint (MAC included).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountFolder } from '../../adapters/cloud/local-folder.ts';
import { listLocalCheckpoints, readLocalKeyring } from '../../adapters/cloud/local-checkpoints.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { openSqliteLogReader } from '../../adapters/store/sqlite-log-reader.ts';
import { auditLog, type AuditReport } from '../../src/audit/audit-log.ts';
import { readCheckpoints } from '../../src/audit/checkpoint-auth.ts';
import {
  BACKUP_FOLDER,
  decodeListingEntry,
  keyringPath,
  MANIFEST_PATH,
  openKeyring,
  openWallet,
  parseRecordPath,
  walletRecordPath,
  type EpochIdentity,
} from '../../src/format/index.ts';
import { CRASH_ACCOUNT, CRASH_PASSWORD, CRASH_WALLETS } from './crash-fixture.ts';

const CHILD = resolve(import.meta.dirname, 'crash-child.ts');
/** Kill points (rows appended by that run) spread over binding, verifying, offline copy and restore flows. */
const KILL_AFTER_ROWS = [1, 2, 4, 6, 8, 9, 10, 11, 13, 16, 20, 24, 27, 31, 37, 44];
const RANDOM_KILLS = 5;

function runChild(env: Record<string, string>, killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    // One process (tsx as a loader, not its CLI, which would run the script in a grandchild).
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code, signal, stderr });
    });
  });
}

async function auditDir(db: string, cloud: string | null): Promise<AuditReport> {
  const reader = openSqliteLogReader(db);
  try {
    const checkpoints =
      cloud === null
        ? undefined
        : await readCheckpoints(await listLocalCheckpoints(cloud), {
            password: CRASH_PASSWORD,
            kdf: createNodeScrypt(),
            readKeyring: (provider, account, epoch) => readLocalKeyring(cloud, provider, account, epoch),
          });
    return await auditLog(reader.rows(), { flowSummaries: reader.summaries, ...(checkpoints ? { checkpoints } : {}) });
  } finally {
    reader.close();
  }
}

/**
 * Every wallet the cloud lists (cloud layout 2: a listing entry per wallet, written once its
 * record read back) opens with its epoch's keyring and holds one of the phrases, and its entry
 * names it; no manifest is written. A record with no entry (a backup the kill cut short) is
 * allowed: it is not listed. Returns the listed wallet ids and each keyring file's bytes.
 */
async function expectCloudConsistent(cloud: string): Promise<{ listed: string[]; keyrings: Map<string, Buffer> }> {
  const account = accountFolder(cloud, 'icloud', CRASH_ACCOUNT);
  const keyrings = new Map<string, Buffer>();
  if (!existsSync(join(account, BACKUP_FOLDER))) return { listed: [], keyrings };
  expect(existsSync(join(account, MANIFEST_PATH))).toBe(false);
  const paths = (readdirSync(join(account, BACKUP_FOLDER), { recursive: true, encoding: 'utf8' }) as string[])
    .map((p) => `${BACKUP_FOLDER}/${p.split(sep).join('/')}`)
    .sort();
  const identities = new Map<number, EpochIdentity>();
  const listed: string[] = [];
  for (const path of paths) {
    const found = parseRecordPath(path);
    if (found?.kind === 'keyring') keyrings.set(path, readFileSync(join(account, path)));
    if (found?.kind !== 'listing') continue;
    const { walletId, epoch } = found;
    const entry = decodeListingEntry(readFileSync(join(account, path)), { accountId: CRASH_ACCOUNT, walletId, epoch });
    let identity = identities.get(epoch);
    if (!identity) {
      identity = await openKeyring(readFileSync(join(account, keyringPath(epoch))), CRASH_PASSWORD, { accountId: CRASH_ACCOUNT, epoch }, createNodeScrypt());
      identities.set(epoch, identity);
    }
    const record = readFileSync(join(account, walletRecordPath(walletId, epoch)));
    const payload = await openWallet(record, identity, { walletId, accountId: CRASH_ACCOUNT, epoch });
    expect(CRASH_WALLETS).toContain(payload.mnemonic);
    expect(entry.name).toBe(payload.name);
    expect(entry.words).toBe(payload.mnemonic.split(' ').length);
    listed.push(walletId);
  }
  return { listed, keyrings };
}

describe('crash safety: SIGKILL at many points', () => {
  it('E4 E5 E3 R12: after every kill the log verifies, interrupted flows are recorded as such, and the cloud lists only verified wallets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbe-crash-'));
    const db = join(dir, 'device.db');
    const cloud = join(dir, 'cloud');
    const env = { DB: db, CLOUD: cloud };
    const kills: Array<{ env: Record<string, string>; afterMs?: number }> = [
      ...KILL_AFTER_ROWS.map((n, round) => ({ env: { ...env, CRASH_AFTER_ROWS: String(n), ROUND: String(round) } })),
      ...Array.from({ length: RANDOM_KILLS }, (_, i) => ({ env: { ...env, ROUND: String(i) }, afterMs: 700 + Math.floor(Math.random() * 900) })),
    ];
    const interruptedAt = new Set<string>();
    let previous = new Set<string>();
    let keyringsBefore = new Map<string, Buffer>();
    for (const kill of kills) {
      const result = await runChild(kill.env, kill.afterMs);
      // Killed (or, for a late random kill, finished cleanly); never a crash of its own.
      expect(result.signal === 'SIGKILL' || result.code === 0, result.stderr).toBe(true);
      if (!existsSync(db)) continue; // killed before the log was even created

      const report = await auditDir(db, null);
      expect(report.findings.filter((f) => f.severity === 'error'), JSON.stringify(report.findings)).toEqual([]);
      expect(report.chain.ok).toBe(true);
      for (const flow of report.interrupted) {
        expect(flow.replayed).toBe(true);
        expect(report.findings).toContainEqual(expect.objectContaining({ kind: 'interrupted', severity: 'info', flowId: flow.flowId }));
      }
      for (const flow of report.interrupted) interruptedAt.add(`${flow.machine} ${flow.state}`);

      const now = await expectCloudConsistent(cloud);
      const listed = new Set(now.listed);
      for (const id of previous) expect(listed.has(id)).toBe(true); // a published backup is never lost
      for (const [path, bytes] of keyringsBefore) expect(now.keyrings.get(path)?.equals(bytes), `${path} unchanged`).toBe(true);
      previous = listed;
      keyringsBefore = now.keyrings;
    }
    // The kills landed in many different places (waiting for input, mid-effect, several machines).
    expect(interruptedAt.size, [...interruptedAt].join('\n')).toBeGreaterThanOrEqual(5);

    // The next run without a kill redoes the interrupted work: every wallet is backed up.
    const last = await runChild(env);
    expect(last.code, last.stderr).toBe(0);
    const { listed, keyrings } = await expectCloudConsistent(cloud);
    expect(listed).toHaveLength(CRASH_WALLETS.length);
    expect([...keyrings.keys()]).toEqual([keyringPath(1)]); // one password, one epoch, bound once
    for (const [path, bytes] of keyringsBefore) expect(keyrings.get(path)?.equals(bytes), `${path} unchanged`).toBe(true);
    const final = await auditDir(db, cloud);
    expect(final.findings.filter((f) => f.severity === 'error'), JSON.stringify(final.findings)).toEqual([]);
    expect(final.checkpoints!.length).toBeGreaterThan(0);
    expect(final.checkpoints!.every((c) => c.status === 'ok' && c.authenticity === 'verified')).toBe(true);
    // The interrupted flows stay in the log, recorded as interrupted: nothing was rewritten.
    expect(final.interrupted.length).toBeGreaterThan(0);
  }, 120_000);
});
