/**
 * `--help`, of the program and of every command (and `help <command>`), shows examples, the exit
 * codes and the environment variables. The exit codes are the program's own table (PROBLEMS in
 * src/cli/exit-codes.ts): every code it uses, with every row's summary, and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../src/cli/exit-codes.ts';
import { buildProgram } from '../../src/cli/program.ts';
import { processIo } from '../../src/cli/run.ts';
import { cliEnv, expectExit, runBinary } from './cli-sandbox.ts';

const ENVIRONMENT = [
  'WALLET_BACKUP_PASSWORD',
  'WALLET_BACKUP_SCRYPT_LOG_N',
  'WALLET_BACKUP_DEVICE_ID',
  'WALLET_BACKUP_HMS_RESULT',
  'DEBUG',
  'WALLET_BACKUP_RETRY_ATTEMPTS',
  'WALLET_BACKUP_RETRY_BASE_MS',
  'WALLET_BACKUP_RETRY_MAX_MS',
  'WALLET_BACKUP_RETRY_TOTAL_MS',
  'WALLET_BACKUP_AUDIT_MEMO',
];

/** The command names, from the program itself: a new command cannot go without help. */
const COMMANDS = buildProgram(processIo(), { command: null, json: false, report: null }).commands.map((command) => command.name());

function section(help: string, title: string): string {
  const start = help.indexOf(`\n${title}:\n`);
  expect(start, `${title}: in\n${help}`).toBeGreaterThan(-1);
  const rest = help.slice(start + title.length + 3);
  const end = rest.search(/\n\n|\n[A-Z][a-z]+:\n/);
  return end === -1 ? rest : rest.slice(0, end);
}

function expectFullHelp(help: string, command: string | null): void {
  const examples = section(help, 'Examples');
  expect(examples).toMatch(command === null ? /\$ wallet-backup / : new RegExp(`\\$ (?:.*\\| )?wallet-backup ${command} `));

  const exitCodes = section(help, 'Exit codes');
  const listed = [...exitCodes.matchAll(/^ {2}(\d+) {2,}/gm)].map((match) => Number(match[1]));
  const program = [...new Set(Object.values(PROBLEMS).map((row) => row.exitCode))].sort((a, b) => a - b);
  expect(listed).toEqual([0, ...program]);
  const flat = exitCodes.replace(/\s+/g, ' ');
  for (const [problem, row] of Object.entries(PROBLEMS)) expect(flat, problem).toContain(row.summary);

  const environment = section(help, 'Environment');
  const names = [...environment.matchAll(/^ {2}([A-Z_]+) {2,}\S/gm)].map((match) => match[1]);
  expect(names).toEqual(ENVIRONMENT);
}

describe('wallet-backup --help', () => {
  it('the program: examples, every exit code of the table with every row, and the environment variables, one line each', async () => {
    const result = await runBinary(['--help'], cliEnv());
    expectExit(result, 0);
    expectFullHelp(result.stdout, null);
    expect(result.stdout).toMatch(/WALLET_BACKUP_SCRYPT_LOG_N {2,}TESTS ONLY/);
  });

  it('every command, as `<command> --help` and `help <command>`: its own examples, the exit codes and the environment', async () => {
    expect(COMMANDS).toContain('backup');
    for (const command of COMMANDS) {
      const result = await runBinary([command, '--help'], cliEnv());
      expectExit(result, 0);
      expect(result.stdout).toContain(`Usage: wallet-backup ${command}`);
      expectFullHelp(result.stdout, command);
    }
    const viaHelp = await runBinary(['help', 'backup'], cliEnv());
    expectExit(viaHelp, 0);
    expectFullHelp(viaHelp.stdout, 'backup');
    expect(viaHelp.stdout).toContain('--password-file -');
  });
});
