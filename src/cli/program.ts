/**
 * The command line: commander's definition of every command and flag. Each action only
 * records which command ran and the report it returned; printing and exit codes are run.ts's.
 * Command modules are imported when their command runs, so `--help` or `sim` does not load the
 * engine, SQLite and the crypto (half the start-up time of a run through tsx).
 */
import { Command, Option } from 'commander';
import type { CommandIo, CommandReport } from './command-io.ts';
import type { BackupOptions } from './cmd-backup.ts';
import type { RestoreOptions } from './cmd-restore.ts';
import type { ListOptions } from './cmd-list.ts';
import type { HistoryOptions } from './cmd-history.ts';
import type { InspectOptions } from './cmd-inspect.ts';
import type { SwitchOptions } from './cmd-switch.ts';
import type { ConfirmOfflineOptions } from './cmd-confirm-offline.ts';
import type { SimOptions } from './cmd-sim.ts';
import type { AuditOptions } from './cmd-audit.ts';
import type { ExportOptions } from './cmd-export.ts';
import type { PathsOptions } from './cmd-paths.ts';
import { cliVersion } from './version.ts';
import { terminalSafe, terminalSafeLines } from '../text/terminal-safe.ts';
import { addAccount, addCloud, addCloudFolder, addDb, addJson, addPasswordFile, parseAccount, parseCount, parseWalletName, providerOption, type JsonOption } from './options.ts';
import { commonHelp, examplesHelp } from './help-text.ts';

/** `--help`'s examples: the program's, then each command's. */
const EXAMPLES: Record<string, ReadonlyArray<readonly [comment: string, line: string]>> = {
  'wallet-backup': [
    ['back up a phrase; the password is asked twice on a terminal', 'wallet-backup backup --provider icloud --account me@example.com --mnemonic-file phrase.txt'],
    ['the backups in an account', 'wallet-backup list --provider icloud --account me@example.com'],
    ['verify this device\'s event log', 'wallet-backup audit'],
    ['the usage of one command', 'wallet-backup help backup'],
  ],
  backup: [
    ['the phrase from a file, the password asked on the terminal (twice the first time)', 'wallet-backup backup --provider gdrive --account me@gmail.com --mnemonic-file phrase.txt --name Savings'],
    ['the password from a pipe on stdin, the phrase from a file', 'pass show wallet | wallet-backup backup --provider gdrive --account me@gmail.com --mnemonic-file phrase.txt --password-file -'],
    ['the phrase on stdin, the password from a file', 'wallet-backup backup --provider icloud --account me@example.com --mnemonic-file - --password-file pw.txt < phrase.txt'],
    ['forgot the password: start a new password epoch', 'wallet-backup backup --provider icloud --account me@example.com --mnemonic-file phrase.txt --new-password'],
  ],
  restore: [
    ['restore a wallet into a new file (mode 0600)', 'wallet-backup restore --provider icloud --account me@example.com --wallet w-0123abcd --out phrase.txt'],
    ['the password from a pipe on stdin', 'pass show wallet | wallet-backup restore --provider icloud --account me@example.com --wallet w-0123abcd --out phrase.txt --password-file -'],
  ],
  list: [
    ['the backups in an account (reads the log, never creates it)', 'wallet-backup list --provider huawei --account me@huawei.example'],
    ['the next page, as JSON', 'wallet-backup list --provider huawei --account me@huawei.example --offset 100 --limit 100 --json'],
  ],
  history: [
    ['every flow this device recorded (exit 4 when there is no log yet)', 'wallet-backup history'],
    ['one flow, by a prefix of its id', 'wallet-backup history --flow 3f2a'],
  ],
  inspect: [
    ['open the inspector on a free port', 'wallet-backup inspect --port 0'],
    ['for scripts: one JSON line with the URL as soon as it listens', 'wallet-backup inspect --port 0 --json'],
  ],
  switch: [
    ['back up to Google Drive from now on', 'wallet-backup switch --provider gdrive --account me@gmail.com --yes'],
  ],
  'confirm-offline': [
    ['record that you keep a written copy of a wallet\'s phrase', 'wallet-backup confirm-offline --provider icloud --account me@example.com --wallet w-0123abcd'],
  ],
  sim: [
    ['simulate a full Huawei Cloud, then the next 5 calls failing', 'wallet-backup sim --provider huawei --quota 1000 --fail-next 5'],
    ['back to the defaults', 'wallet-backup sim --provider huawei --reset'],
  ],
  audit: [
    ['verify the log (exit 8 when broken, 4 when there is none yet)', 'wallet-backup audit --db wallet-backup.db'],
    ['also against the cloud checkpoints, the password from stdin', 'pass show wallet | wallet-backup audit --cloud wallet-cloud --password-file -'],
    ['verify an export', 'wallet-backup audit --from-jsonl log.jsonl'],
  ],
  paths: [
    ['the test paths of the backup machine', 'wallet-backup paths --machine backup'],
  ],
  export: [
    ['the log as JSONL into a new file', 'wallet-backup export --format jsonl --out log.jsonl'],
  ],
};

/** What the action of the command that ran leaves for run.ts. */
export interface ProgramRun {
  command: string | null;
  json: boolean;
  report: CommandReport | null;
}

export function buildProgram(io: CommandIo, run: ProgramRun): Command {
  const program = new Command('wallet-backup')
    .description('Encrypted cloud backup of wallet recovery phrases (iCloud, Google Drive, Huawei Cloud) as standard age files.')
    .version(cliVersion())
    // Parse errors throw (and run.ts exits 2) instead of commander calling process.exit(1).
    .exitOverride()
    .showHelpAfterError('(run "wallet-backup help <command>" for the usage)')
    // commander's messages quote the flags as typed: printed through the same boundary as run.ts's,
    // and an error (one line and its line end) as one field, so a flag's line break is shown escaped.
    .configureOutput({
      writeErr: (text) => process.stderr.write(terminalSafeLines(text)),
      writeOut: (text) => process.stdout.write(terminalSafeLines(text)),
      outputError: (text, write) => write(`${terminalSafe(text.replace(/\n$/, ''))}\n`),
    });

  /** Registers a command's action: remembers the command and its --json, then runs it. */
  function act<O extends Partial<JsonOption>>(name: string, load: () => Promise<(options: O, io: CommandIo) => Promise<CommandReport>>) {
    return async (options: O) => {
      run.command = name;
      run.json = options.json === true;
      const command = await load();
      run.report = await command(options, io);
    };
  }

  const backup = program
    .command('backup')
    .description('Back up a wallet\'s recovery phrase: encrypted on this device, uploaded, read back and verified.')
    .requiredOption('--mnemonic-file <file>', 'file holding the 12- or 24-word phrase ("-" reads stdin)')
    .option('--name <label>', 'the wallet\'s name in listings', parseWalletName)
    .option('--new-password', 'forgot the password: start a new password epoch (old backups stay restorable with the old one)', false)
    .option('--offline-copy-confirmed', 'you keep a written, offline copy of this phrase', false);
  [addAccount, addPasswordFile, addDb, addCloud, addJson].forEach((add) => add(backup));
  backup.action(act<BackupOptions & JsonOption>('backup', async () => (await import('./cmd-backup.ts')).backupCommand));

  const restore = program
    .command('restore')
    .description('Restore a wallet\'s recovery phrase from the cloud into a file (mode 0600).')
    .requiredOption('--wallet <id>', 'the wallet id (see "list")')
    .requiredOption('--out <file>', 'where to write the phrase; never overwritten unless --force')
    .option('--force', 'replace --out if it exists', false);
  [addAccount, addPasswordFile, addDb, addCloud, addJson].forEach((add) => add(restore));
  restore.action(act<RestoreOptions & JsonOption>('restore', async () => (await import('./cmd-restore.ts')).restoreCommand));

  const list = program.command('list').description('List the backups in the signed-in account.');
  [addAccount, addDb, addCloud, addJson].forEach((add) => add(list));
  list
    .option('--offset <n>', 'the first wallet shown (0 is the first)', parseCount)
    .option('--limit <n>', 'how many wallets to show with their names (default 100)', parseCount);
  list.action(act<ListOptions & JsonOption>('list', async () => (await import('./cmd-list.ts')).listCommand));

  const history = program
    .command('history')
    .description('Show the flows in this device\'s event log and their transitions.')
    .option('--flow <id>', 'only this flow (its full id or a unique prefix)');
  [addDb, addJson].forEach((add) => add(history));
  history.action(act<HistoryOptions & JsonOption>('history', async () => (await import('./cmd-history.ts')).historyCommand));

  const inspect = program
    .command('inspect')
    .description('Open the offline inspector on 127.0.0.1: machine charts, recorded flows replayed step by step, live actors.')
    .option('--port <n>', 'TCP port on 127.0.0.1 (0 picks a free one)', parseCount, 4747);
  [addDb, addJson].forEach((add) => add(inspect));
  inspect.action(act<InspectOptions & JsonOption>('inspect', async () => (await import('./cmd-inspect.ts')).inspectCommand));

  const switchProvider = program
    .command('switch')
    .description('Make --provider this device\'s one active backup provider.')
    .option('--yes', 'confirm without asking', false);
  [addAccount, addDb, addCloud, addJson].forEach((add) => add(switchProvider));
  switchProvider.action(act<SwitchOptions & JsonOption>('switch', async () => (await import('./cmd-switch.ts')).switchCommand));

  const confirmOffline = program
    .command('confirm-offline')
    .description('Record that you keep a written, offline copy of a wallet\'s phrase.')
    .requiredOption('--wallet <id>', 'the wallet id (see "list")');
  [addAccount, addDb, addCloud, addJson].forEach((add) => add(confirmOffline));
  confirmOffline.action(act<ConfirmOfflineOptions & JsonOption>('confirm-offline', async () => (await import('./cmd-confirm-offline.ts')).confirmOfflineCommand));

  const sim = program
    .command('sim')
    .description('Show or change the simulated device of a local-folder cloud (to reproduce every error).')
    .addOption(providerOption())
    .option('--sign-in <account>', 'sign in to this account (other than --account: wrong account)', parseAccount)
    .option('--sign-out', 'sign out (not signed in)')
    .option('--quota <bytes>', 'storage per account, in bytes', parseCount)
    .addOption(new Option('--hms <state>', 'HMS Core on the device (Huawei only)').choices(['missing', 'outdated', 'ok']))
    .option('--fail-next <n>', 'the next N cloud calls fail with a network error', parseCount)
    .option('--reset', 'back to the defaults (signed in as --account, 15 MiB, HMS ok, no failures)');
  [addCloudFolder, addJson].forEach((add) => add(sim));
  sim.action(act<SimOptions & JsonOption>('sim', async () => (await import('./cmd-sim.ts')).simCommand));

  const audit = program
    .command('audit')
    .description('Verify the event log (hash chain, positions, replay of every flow) and tell each account\'s history; exit 8 if it is broken.')
    .option('--cloud <dir>', 'also compare the log with the checkpoints the engine wrote into this cloud folder (detects a cut or rewritten log)')
    .addOption(new Option('--from-jsonl <file>', 'verify a JSONL export (see "export") instead of the SQLite log').conflicts('db'));
  [addPasswordFile, addDb, addJson].forEach((add) => add(audit));
  audit.action(act<AuditOptions & JsonOption>('audit', async () => (await import('./cmd-audit.ts')).auditCommand));

  const paths = program
    .command('paths')
    .description('Print the test paths generated from each machine and the state and transition coverage they give.')
    .option('--machine <id>', 'only this machine (backup, restore, providerSwitch, offlineCopy)');
  addJson(paths);
  paths.action(act<PathsOptions & JsonOption>('paths', async () => (await import('./cmd-paths.ts')).pathsCommand));

  const exportLog = program
    .command('export')
    .description('Write the event log for other tools: one row per line, every column.')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl']).makeOptionMandatory())
    .option('--out <file>', 'write to this file (default: stdout); never overwritten unless --force')
    .option('--force', 'replace --out if it exists', false);
  [addDb, addJson].forEach((add) => add(exportLog));
  exportLog.action(act<ExportOptions & JsonOption>('export', async () => (await import('./cmd-export.ts')).exportCommand));

  // Every command's examples, then (for the program and each command) the exit codes and the environment.
  for (const command of [program, ...program.commands]) {
    const examples = EXAMPLES[command.name()];
    if (examples === undefined) throw new Error(`no --help examples for the command ${command.name()}`);
    command.addHelpText('after', examplesHelp(examples));
  }
  program.addHelpText('afterAll', commonHelp);
  return program;
}
