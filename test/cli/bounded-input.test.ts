/**
 * Bounded memory on hostile local input (issue 11): the REAL binary, fed /dev/zero, an endless
 * pipe, huge sparse files, bytes that are not UTF-8, a 600 MB JSONL line, a folder where a file
 * belongs, and a broken device.json. Each case must end (within a deadline) with exit 2 and a
 * message naming the file and the cap, and the child's peak memory must stay near what the same
 * command takes on a tiny bad input.
 *
 * Peak memory is the kernel's own number: max-rss-probe.mjs, preloaded into the child, writes
 * getrusage's ru_maxrss when the process exits. While the child runs, /proc/<pid>/status is
 * polled so that a regression cannot eat the machine: past KILL_RSS_BYTES the child is killed and
 * the test fails.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, PHRASES, cliEnv, expectExit, sandbox, type Sandbox } from './cli-sandbox.ts';
import { MAX_PHRASE_FILE_BYTES } from '../../src/cli/mnemonic-file.ts';
import { MAX_PASSWORD_FILE_BYTES } from '../../src/cli/password-source.ts';
import { MAX_JSONL_LINE_BYTES } from '../../src/audit/jsonl.ts';

const PROBE = resolve(import.meta.dirname, 'max-rss-probe.mjs');
const MiB = 1024 * 1024;
/** How much more than the same command on a tiny bad input a hostile run may take at its peak. */
const PEAK_MARGIN_BYTES = 64 * MiB;
/** A run past this resident size is killed: the test has failed, the machine must not suffer. */
const KILL_RSS_BYTES = 1024 * MiB;
/** Each run must end by then (a hang is a failure). */
const DEADLINE_MS = 30_000;

interface BoundedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size in bytes, as the kernel counted it. */
  peakRssBytes: number;
}

/**
 * An endless stream of zero bytes from a child process, to its stdout or (`fifo`) into a named
 * pipe it opens itself, as a shell's `<(command)` does; stopped when the test is done with it.
 */
function endlessWriter(fifo?: string): ChildProcess {
  const out = fifo === undefined ? 'process.stdout' : `require("node:fs").createWriteStream(${JSON.stringify(fifo)})`;
  const source = `const out = ${out}; const b = Buffer.alloc(65536); (function pump() { while (out.write(b)); out.once("drain", pump); })();`;
  return spawn(process.execPath, ['-e', source], { stdio: ['ignore', fifo === undefined ? 'pipe' : 'ignore', 'ignore'] });
}

function residentBytes(pid: number): number | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch (error) {
    // Gone already (or no /proc on this system): nothing to watch.
    if ((error as { code?: unknown }).code === 'ENOENT') return null;
    throw error;
  }
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return kb === undefined ? null : Number(kb) * 1024;
}

/**
 * Runs the binary with the probe preloaded; stdin is a string, or 'endless' (a writer child that
 * never stops); `endlessFifo` names a FIFO that another writer child fills forever.
 */
async function runBounded(
  box: Sandbox,
  args: string[],
  options: { stdin?: string | 'endless'; endlessFifo?: string; env?: Record<string, string> } = {},
): Promise<BoundedRun> {
  const rssFile = join(box.dir, `max-rss-${Date.now()}-${Math.random().toString(16).slice(2)}`);
  const child = spawn(process.execPath, ['--import', PROBE, BIN, ...args], {
    env: cliEnv({ WBE_MAX_RSS_FILE: rssFile, ...options.env }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let writer: ChildProcess | undefined;
  const fifoWriter = options.endlessFifo === undefined ? undefined : endlessWriter(options.endlessFifo);
  if (options.stdin === 'endless') {
    writer = endlessWriter();
    writer.stdout!.pipe(child.stdin);
    // The CLI closes its stdin once the cap is reached: the broken pipe is expected.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  } else {
    child.stdin.end(options.stdin ?? '');
  }
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let killedFor: string | null = null;
  const watch = setInterval(() => {
    const rss = residentBytes(child.pid!);
    if (rss !== null && rss > KILL_RSS_BYTES) {
      killedFor = `its resident memory reached ${Math.round(rss / MiB)} MiB`;
      child.kill('SIGKILL');
    }
  }, 20);
  const deadline = setTimeout(() => {
    killedFor = `it did not end within ${DEADLINE_MS} ms`;
    child.kill('SIGKILL');
  }, DEADLINE_MS);
  try {
    const code = await new Promise<number | null>((done, fail) => {
      child.on('error', fail);
      child.on('close', (exitCode) => done(exitCode));
    });
    if (killedFor !== null) throw new Error(`wallet-backup ${args.join(' ')} was killed: ${killedFor}\n--- stderr\n${stderr}`);
    if (!existsSync(rssFile)) throw new Error(`wallet-backup ${args.join(' ')} left no peak memory report (exit ${code})\n--- stderr\n${stderr}`);
    return { code, stdout, stderr, peakRssBytes: Number(readFileSync(rssFile, 'utf8')) };
  } finally {
    clearInterval(watch);
    clearTimeout(deadline);
    writer?.kill();
    fifoWriter?.kill();
  }
}

function expectBoundedExit2(run: BoundedRun, baselineBytes: number): void {
  expectExit({ code: run.code ?? -1, stdout: run.stdout, stderr: run.stderr }, 2);
  // One clear line, no Node stack trace.
  expect(run.stderr).toMatch(/^Error: Cannot read the /);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.peakRssBytes, `peak ${Math.round(run.peakRssBytes / MiB)} MiB against a baseline of ${Math.round(baselineBytes / MiB)} MiB`).toBeLessThan(
    baselineBytes + PEAK_MARGIN_BYTES,
  );
}

/** A sparse file of `bytes` zero bytes: costs no disk, reads as that many zeros. */
function sparseFile(box: Sandbox, name: string, bytes: number): string {
  const path = box.file(name, '');
  truncateSync(path, bytes);
  return path;
}

const account = ['--provider', 'gdrive', '--account', 'alice@example.com'];
const PASSWORD = 'correct horse battery';

describe('bounded memory on hostile CLI input (exit 2, the file and the cap named, the process ends)', () => {
  let box: Sandbox;
  let backupBaseline = 0;
  let auditBaseline = 0;
  const withDb = (args: string[]) => [...args, '--db', box.db, '--cloud', box.cloud];

  beforeAll(async () => {
    box = sandbox();
    // The same commands on tiny bad input: what a run costs anyway (Node, tsx, the CLI's modules).
    const missing = await runBounded(box, withDb(['backup', ...account, '--mnemonic-file', join(box.dir, 'missing.txt')]), { env: { WALLET_BACKUP_PASSWORD: PASSWORD } });
    expectExit({ code: missing.code ?? -1, stdout: missing.stdout, stderr: missing.stderr }, 2);
    backupBaseline = missing.peakRssBytes;
    const garbage = await runBounded(box, ['audit', '--from-jsonl', box.file('garbage.jsonl', 'not json\n')]);
    expectExit({ code: garbage.code ?? -1, stdout: garbage.stdout, stderr: garbage.stderr }, 8);
    auditBaseline = garbage.peakRssBytes;
  }, 120_000);
  afterAll(() => box.cleanup());

  it('--mnemonic-file /dev/zero is cut at the 4 KiB cap: exit 2 naming /dev/zero and the cap', async () => {
    expect(MAX_PHRASE_FILE_BYTES).toBe(4096);
    const run = await runBounded(box, withDb(['backup', ...account, '--mnemonic-file', '/dev/zero']), { env: { WALLET_BACKUP_PASSWORD: PASSWORD } });
    expectBoundedExit2(run, backupBaseline);
    expect(run.stderr).toContain('recovery phrase file "/dev/zero"');
    expect(run.stderr).toContain('more than 4096 bytes (4 KiB), the most a recovery phrase file may hold');
  });

  it('--mnemonic-file - fed by a child that writes forever is cut at the cap, closes stdin and ends: exit 2 naming standard input and the cap', async () => {
    const run = await runBounded(box, withDb(['backup', ...account, '--mnemonic-file', '-']), { stdin: 'endless', env: { WALLET_BACKUP_PASSWORD: PASSWORD } });
    expectBoundedExit2(run, backupBaseline);
    expect(run.stderr).toContain('recovery phrase file on standard input (--mnemonic-file -)');
    expect(run.stderr).toContain('more than 4096 bytes (4 KiB)');
  });

  it('--password-file naming a pipe that a child fills forever (as `<(command)` hands one over) is cut at the cap: exit 2 naming it and the cap', async () => {
    const phrase = box.file('phrase.txt', PHRASES.abandon);
    const fifo = join(box.dir, 'password.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = await runBounded(box, withDb(['backup', ...account, '--mnemonic-file', phrase, '--password-file', fifo]), { endlessFifo: fifo });
    expectBoundedExit2(run, backupBaseline);
    expect(run.stderr).toContain(`password file ${JSON.stringify(fifo)}`);
    expect(run.stderr).toContain('more than 4096 bytes (4 KiB), the most a password file may hold');
  });

  it('a 1 GiB (sparse) --password-file is refused from its size: exit 2 naming the file and the cap, nothing read into memory', async () => {
    expect(MAX_PASSWORD_FILE_BYTES).toBe(4096);
    const huge = sparseFile(box, 'huge-password.txt', 1024 * MiB);
    const run = await runBounded(box, withDb(['backup', ...account, '--mnemonic-file', box.file('phrase.txt', PHRASES.abandon), '--password-file', huge]));
    expectBoundedExit2(run, backupBaseline);
    expect(run.stderr).toContain(`password file ${JSON.stringify(huge)}`);
    expect(run.stderr).toContain('more than 4096 bytes (4 KiB)');
  });

  it('R3/E1: a --password-file that is not UTF-8 is refused (exit 2, the byte named), never decoded lossily, and its text is not shown', async () => {
    const bytes = Buffer.concat([Buffer.from('correct horse'), Buffer.from([0xff]), Buffer.from(' battery\n')]);
    const path = join(box.dir, 'latin1-password.txt');
    writeFileSync(path, bytes);
    const run = await runBounded(box, withDb(['backup', ...account, '--mnemonic-file', box.file('phrase.txt', PHRASES.abandon), '--password-file', path]));
    expectBoundedExit2(run, backupBaseline);
    expect(run.stderr).toContain(`password file ${JSON.stringify(path)}: it is not UTF-8 text (the first invalid byte sequence starts at byte 13); save it as UTF-8`);
    expect(`${run.stdout}${run.stderr}`).not.toContain('correct horse');
    expect(`${run.stdout}${run.stderr}`).not.toContain('battery');
    // Nothing was backed up: no keyring exists for the account.
    expect(existsSync(join(box.cloud, 'gdrive', 'accounts', 'alice%40example.com', 'wallet-backup'))).toBe(false);
  });

  it('audit --from-jsonl on a 600 MB single line (sparse) stops at the 1 MiB line cap: exit 2 naming the file, the line and the cap, no stack trace', async () => {
    expect(MAX_JSONL_LINE_BYTES).toBe(MiB);
    const huge = sparseFile(box, 'one-line.jsonl', 600 * MiB);
    const run = await runBounded(box, ['audit', '--from-jsonl', huge]);
    expectBoundedExit2(run, auditBaseline);
    expect(run.stderr).toContain(`JSONL export ${JSON.stringify(huge)}: line 1 is longer than 1048576 bytes (1 MiB), the most one row of the log may take`);
  });

  it('audit --from-jsonl on a folder is exit 2 saying it is a folder (not exit 1)', async () => {
    const folder = join(box.dir, 'a-folder.jsonl');
    mkdirSync(folder);
    const run = await runBounded(box, ['audit', '--from-jsonl', folder]);
    expectBoundedExit2(run, auditBaseline);
    expect(run.stderr).toContain(`JSONL export ${JSON.stringify(folder)}: it is a folder, not a file`);
  });
});

describe('device.json and checkpoints under --cloud: bounded, never followed', () => {
  const boxes: Sandbox[] = [];
  const newBox = () => {
    const box = sandbox();
    boxes.push(box);
    return box;
  };
  afterAll(() => boxes.forEach((box) => box.cleanup()));

  it('E6: a malformed, huge or symlinked device.json ends backup, list and restore with exit 2 (bad-sim-state) naming the file, never exit 1', async () => {
    const box = newBox();
    const phrase = box.file('phrase.txt', PHRASES.abandon);
    const device = join(box.cloud, 'gdrive', 'device.json');
    mkdirSync(join(box.cloud, 'gdrive'), { recursive: true });
    const cases: Array<[string, () => void, RegExp]> = [
      ['malformed', () => writeFileSync(device, '{ "signedIn": tru'), /is not valid JSON/],
      [
        'huge',
        () => {
          writeFileSync(device, '');
          truncateSync(device, 512 * MiB);
        },
        /is larger than 65536 bytes \(64 KiB\), the most it may hold/,
      ],
      ['symlinked to /dev/zero', () => symlinkSync('/dev/zero', device), /is a symbolic link, not a regular file/],
    ];
    for (const [label, make, message] of cases) {
      make();
      for (const args of [
        ['backup', ...account, '--mnemonic-file', phrase],
        ['list', ...account],
        ['restore', ...account, '--wallet', 'w-0123456789abcdef', '--out', join(box.dir, 'out.txt')],
      ]) {
        const run = await runBounded(box, [...args, '--json', '--db', box.db, '--cloud', box.cloud], { env: { WALLET_BACKUP_PASSWORD: PASSWORD } });
        expect(run.code, `${label} device.json, ${args[0]}: ${run.stderr}`).toBe(2);
        expect(run.stderr).toContain(`Simulated device state ${JSON.stringify(device)}`);
        expect(run.stderr).toMatch(message);
        expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, exitCode: 2, problem: 'bad-sim-state' });
      }
      // Remove whatever stands there (the symlink itself, not /dev/zero).
      rmSync(device, { force: true });
    }
  }, 180_000);

  it('E4: audit --cloud reports a 3 GB checkpoint and one symlinked to /dev/zero as unreadable (a warning naming why, neither read) and still verifies the log', async () => {
    const box = newBox();
    expectExit(await box.run(['backup', ...account, '--mnemonic-file', box.file('phrase.txt', PHRASES.legal)], { password: PASSWORD }), 0);
    const checkpoints = join(box.cloud, 'gdrive', 'accounts', 'alice%40example.com', 'wallet-backup', 'checkpoints');
    const huge = join(checkpoints, 'zz-huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 3 * 1024 * MiB);
    symlinkSync('/dev/zero', join(checkpoints, 'zz-zero.json'));

    const run = await runBounded(box, ['audit', '--json', '--db', box.db, '--cloud', box.cloud], { env: { WALLET_BACKUP_PASSWORD: PASSWORD } });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      audit: { findings: Array<{ kind: string; message: string }>; checkpoints: Array<{ authenticity: string; status: string }> | null };
    };
    // The backup's own checkpoint is still read, authenticated with the password, and matched.
    expect(report.audit.checkpoints).toEqual([expect.objectContaining({ authenticity: 'verified', status: 'ok' })]);
    const unreadable = report.audit.findings.filter((finding) => finding.kind === 'checkpoint-unreadable').map((finding) => finding.message);
    expect(unreadable).toEqual([
      expect.stringMatching(/zz-huge\.json cannot be read \(it is larger than 65536 bytes, the most a checkpoint may hold\)/),
      expect.stringMatching(/zz-zero\.json cannot be read \(it is a symbolic link, not a regular file\)/),
    ]);
  }, 120_000);
});
