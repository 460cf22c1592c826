/**
 * The fault matrix (issue 13): for each HTTP provider and each fault, the REAL `wallet-backup`
 * binary backs up over `--cloud <provider>+http://127.0.0.1:…` against that provider's emulator
 * with the fault injected (test/support/emulated-clouds.ts), and the cell records what the engine
 * did (from this device's event log: the flow's last state, the retries it logged) and the exit
 * code. A backup that ends `done` is then restored by a second device with a fresh log, so "done"
 * in the table means "another device read it back".
 *
 * docs/fault-matrix.md is this run's table: the last test fails when the committed page differs
 * from what the run produced (UPDATE_FAULT_MATRIX=1 writes it), so every cell is produced here.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROVIDERS, PROVIDER_NAMES, type ProviderId } from '../../src/ports/providers.ts';
import { FAULTS, faultEnv, faultsOf, startEmulatedCloud, type FaultName } from '../support/emulated-clouds.ts';
import { PHRASES, cliEnv, runBinary, type CliResult } from './cli-sandbox.ts';

const PAGE = resolve(import.meta.dirname, '../../docs/fault-matrix.md');
const README = resolve(import.meta.dirname, '../../README.md');
const README_START = '<!-- fault-matrix: produced by test/cli/fault-matrix.test.ts -->';
const README_END = '<!-- fault-matrix end -->';
const PASSWORD = 'correct horse battery';
/** A fast policy: 3 tries, backoff of at most 20 ms, 5 s in all (a Retry-After of 1 s still waits 1 s). */
const RETRY_ENV = { WALLET_BACKUP_RETRY_ATTEMPTS: '3', WALLET_BACKUP_RETRY_BASE_MS: '10', WALLET_BACKUP_RETRY_MAX_MS: '20', WALLET_BACKUP_RETRY_TOTAL_MS: '5000' };

interface Cell {
  provider: ProviderId;
  fault: FaultName;
  command: string;
  engine: string;
  /** The README's few words: the state it ended or waited in, and the retries. */
  short: string;
  exit: number;
}

const cells: Cell[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** What this device's log says the engine did (a token refresh is inside the adapter, not logged): in full, and in a few words. */
function engineSummary(db: string): { full: string; short: string } {
  const log = new Database(db, { readonly: true });
  try {
    const flow = log.prepare('SELECT flow_id, machine_id FROM events ORDER BY seq DESC LIMIT 1').get() as { flow_id: string; machine_id: string } | undefined;
    if (flow === undefined) return { full: 'no flow', short: 'no flow' };
    const rows = log.prepare('SELECT event_type, from_state, to_state FROM events WHERE flow_id = ? ORDER BY position').all(flow.flow_id) as Array<{ event_type: string; from_state: string | null; to_state: string }>;
    const retries = rows.filter((row) => row.event_type === 'NETWORK.RETRYING').length;
    const last = rows.at(-1)!;
    // A flow the CLI cancelled ends `cancelled`; the state it waited in says why.
    const waited = last.event_type === 'CANCEL' ? ` from ${stateName(last.from_state)}` : '';
    const retried = retries > 0 ? `, ${retries} retr${retries === 1 ? 'y' : 'ies'} logged` : '';
    const leaf = (json: string | null) => stateName(json).split('.').filter((part) => part !== 'running').at(-1)!;
    const short = `${last.event_type === 'CANCEL' ? leaf(last.from_state) : leaf(last.to_state)}${retries > 0 ? ` (${retries} retr${retries === 1 ? 'y' : 'ies'})` : ''}`;
    return { full: `${flow.machine_id} ${stateName(last.to_state)}${waited}${retried}`, short };
  } finally {
    log.close();
  }
}

/** A logged state value (JSON) as a dotted path: "uploading.storageFull". */
function stateName(json: string | null): string {
  if (json === null) return '-';
  const flatten = (value: unknown): string =>
    typeof value === 'string' ? value : Object.entries(value as Record<string, unknown>).map(([key, inner]) => `${key}.${flatten(inner)}`).join(',');
  return flatten(JSON.parse(json));
}

async function runCell(provider: ProviderId, fault: FaultName): Promise<Cell> {
  const dir = mkdtempSync(join(tmpdir(), `wbe-matrix-${provider}-`));
  dirs.push(dir);
  const cloud = await startEmulatedCloud(provider);
  try {
    const tokenFile = join(dir, 'token');
    await cloud.writeTokenFile(tokenFile, fault === 'wrong-account' ? 'bob' : 'alice');
    const mnemonicFile = join(dir, 'phrase.txt');
    writeFileSync(mnemonicFile, PHRASES.legal);
    const env = cliEnv({ WALLET_BACKUP_PASSWORD: PASSWORD, ...RETRY_ENV, ...faultEnv(fault) });
    const on = (db: string) => ['--provider', provider, '--account', cloud.account(), '--cloud', cloud.cloud, '--token-file', tokenFile, '--db', join(dir, db), '--json'];
    const backup = (db: string): Promise<CliResult> => runBinary(['backup', '--mnemonic-file', mnemonicFile, ...on(db)], env);

    let command = 'backup';
    let result: CliResult;
    if (fault === 'partial-pages') {
      // Listing is where pages matter: two wallets backed up, then listed page by page.
      expect((await backup('phone.db')).code).toBe(0);
      writeFileSync(mnemonicFile, PHRASES.letter);
      expect((await backup('phone.db')).code).toBe(0);
      cloud.inject(fault);
      command = 'list';
      result = await runBinary(['list', ...on('phone.db')], env);
      if (result.code === 0) expect((JSON.parse(result.stdout) as { wallets: unknown[] }).wallets).toHaveLength(2);
    } else {
      cloud.inject(fault);
      result = await backup('phone.db');
    }
    // Nothing secret in what the command printed: not the token, the password or the phrase.
    const token = readFileSync(tokenFile, 'utf8').trim().split('\n');
    for (const secret of [...token, PASSWORD, PHRASES.legal]) {
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
    const summary = command === 'list' ? { full: result.code === 0 ? 'lists both wallets' : 'listing refused', short: result.code === 0 ? 'listed' : 'refused' } : engineSummary(join(dir, 'phone.db'));
    let engine = summary.full;
    if (command === 'backup' && result.code === 0) {
      // Done means another device can read it back: a fresh log restores it.
      const walletId = (JSON.parse(result.stdout) as { walletId: string }).walletId;
      const restored = await runBinary(['restore', '--wallet', walletId, '--out', join(dir, 'restored.txt'), ...on('laptop.db')], cliEnv({ WALLET_BACKUP_PASSWORD: PASSWORD, ...RETRY_ENV }));
      expect(restored.code, restored.stderr).toBe(0);
      expect(readFileSync(join(dir, 'restored.txt'), 'utf8').trim()).toBe(PHRASES.legal);
      engine += '; restored by a second device';
    }
    return { provider, fault, command, engine, short: summary.short, exit: result.code };
  } finally {
    await cloud.close();
  }
}

function table(): string {
  const lines = [
    '| Provider | Fault | Command | What the engine did (this device\'s log) | Exit |',
    '| --- | --- | --- | --- | --- |',
    ...cells.map((c) => `| ${PROVIDER_NAMES[c.provider]} | ${FAULTS[c.fault]} | \`${c.command}\` | ${c.engine} | ${c.exit} |`),
  ];
  return lines.join('\n');
}

/** The README's matrix: a row per fault, a column per provider, each cell the exit code and the few words. */
function compactTable(): string {
  const faults = [...new Set(cells.map((c) => c.fault))];
  const cellOf = (provider: ProviderId, fault: FaultName) => {
    const cell = cells.find((c) => c.provider === provider && c.fault === fault);
    return cell === undefined ? 'n/a' : `${cell.exit}: ${cell.short}`;
  };
  return [
    `| Fault | ${PROVIDERS.map((p) => PROVIDER_NAMES[p]).join(' | ')} |`,
    `| --- |${PROVIDERS.map(() => ' --- |').join('')}`,
    ...faults.map((fault) => `| ${FAULTS[fault]}${fault === 'partial-pages' ? ' (`list`)' : ''} | ${PROVIDERS.map((p) => cellOf(p, fault)).join(' | ')} |`),
  ].join('\n');
}

const HEADER = `# Fault matrix

Produced by \`test/cli/fault-matrix.test.ts\`: the real \`wallet-backup\` command over each provider's
HTTP emulator on 127.0.0.1 (\`--cloud <provider>+http://… --token-file F\`), one fault per row,
injected by \`test/support/emulated-clouds.ts\` (the same faults \`npm run emulators\` offers). The
engine's retry policy in this run: 3 tries, backoff up to 20 ms, 5 s in all
(\`WALLET_BACKUP_RETRY_*\`). "What the engine did" is read from this device's event log: the
flow's last state, the state a cancelled flow waited in, and the retries it logged. Every \`done\`
backup was restored by a second device with a fresh log. The test fails when this page differs
from what the run produced; \`UPDATE_FAULT_MATRIX=1 npx vitest run test/cli/fault-matrix.test.ts\`
rewrites it. Exit codes: [the README's table](../README.md#exit-codes).

`;

describe.each(PROVIDERS)('fault matrix over HTTP: %s', (provider) => {
  it.each(faultsOf(provider))(`${provider}: %s`, async (fault) => {
    const cell = await runCell(provider, fault);
    cells.push(cell);
    // The cells that must succeed, and the exit codes the README promises for the others.
    const expected: Partial<Record<FaultName, number>> = {
      'none': 0,
      'storage-full': 5,
      'token-refused-once': 0,
      'token-revoked': 9,
      'unavailable-burst': 0,
      'rate-limited': 0,
      'unavailable': 10,
      'connection-dropped': 0,
      'answer-lost': 0,
      'wrong-account': 9,
      'partial-pages': 0,
      'hms-missing': 6,
      'hms-outdated': 6,
      'zone-missing': 0,
    };
    expect(cell.exit, `${provider} ${fault}: ${cell.engine}`).toBe(expected[fault]);
  }, 60_000);
});

describe('fault matrix page', () => {
  it('docs/fault-matrix.md and the README\'s matrix are the tables this run produced', () => {
    const page = `${HEADER}${table()}\n`;
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(README_START);
    const end = readme.indexOf(README_END);
    expect(start, 'the README holds the matrix between its markers').toBeGreaterThan(0);
    const withTable = `${readme.slice(0, start + README_START.length)}\n${compactTable()}\n${readme.slice(end)}`;
    if (process.env.UPDATE_FAULT_MATRIX === '1') {
      writeFileSync(PAGE, page);
      writeFileSync(README, withTable);
    }
    expect(readFileSync(PAGE, 'utf8')).toBe(page);
    expect(readFileSync(README, 'utf8')).toBe(withTable);
  });
});
