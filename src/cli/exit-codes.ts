/**
 * The CLI's one table of problems: every machine outcome or reason and every input error, with
 * its exit code and a message that names the problem AND the fix, in the guide's words.
 *
 * Commands never print an error themselves: they throw a CliError naming a row of this table,
 * and main prints the row's message and exits with its code. So the README's exit-code table
 * and the program cannot drift apart: both read PROBLEMS.
 */
// Sub-modules, not the format barrel: this table loads on every run, the crypto need not.
import { HINT_TEXT, type PasswordHint } from '../format/password.ts';
import { PROVIDER_NAMES, type ProviderId } from '../ports/providers.ts';
import { HMS_MISSING_FIX, HMS_OUTDATED_FIX } from '../../adapters/cloud/drive-errors.ts';

export const EXIT_OK = 0;

/** Which cloud record a corrupt-record problem is about (E2: "say which"). */
export type RecordKind = 'keyring' | 'wallet record' | 'manifest';

/** The reasons a record fails to open, as the machines' RecordProblem names them. */
const RECORD_PROBLEM_TEXT: Record<string, string> = {
  tampered: 'failed authentication: it was altered or damaged after it was written',
  malformed: 'is not a well-formed backup file (age v1) of this app',
  'unsupported-version': 'has a format version this build does not know; update wallet-backup and retry',
  'metadata-mismatch': 'belongs to another account, password epoch or wallet (it was moved or copied)',
  'invalid-mnemonic': 'decrypted, but the phrase inside is not a valid BIP39 phrase',
  missing: 'is missing from the cloud folder',
};

const name = (provider: ProviderId) => PROVIDER_NAMES[provider];
const quoteList = (items: readonly string[]) => items.join(', ');

function wrongPasswordText(hints: readonly PasswordHint[]): string {
  const specific = hints.map((hint) => `  - ${HINT_TEXT[hint]}`);
  const checks =
    specific.length > 0
      ? `What you typed suggests:\n${specific.join('\n')}`
      : 'Double-check Caps Lock, spaces before or after, and similar-looking characters (0 vs O, l vs I vs 1).';
  return `The backup password is wrong: one wrong character is enough. ${checks}\nThere is no stored hint and no way to reset it.`;
}

/**
 * Each row: the exit code, a few words for `--help`'s exit-code list (help-text.ts), then the
 * message built from the row's details. The detail types
 * are the message parameters, so a CliError cannot be thrown without what its text needs.
 */
export const PROBLEMS = {
  // 1: a bug or an environment failure nobody anticipated.
  unexpected: {
    exitCode: 1,
    summary: 'a bug in this program (DEBUG=1 prints the stack)',
    message: (d: { message: string }) => `Unexpected error: ${d.message}. Run again with DEBUG=1 for details.`,
  },

  // 2: bad input (E6).
  'bad-flags': {
    exitCode: 2,
    summary: 'bad flags',
    message: (d: { problem: string }) => `${d.problem} Run "wallet-backup help" for the usage.`,
  },
  'unreadable-file': {
    exitCode: 2,
    summary: 'an input file that cannot be read',
    message: (d: { what: string; path: string; cause: string }) => `Cannot read the ${d.what} ${d.path}: ${d.cause}. Check the path, then retry.`,
  },
  'unwritable-file': {
    exitCode: 2,
    summary: 'an output file that cannot be written',
    message: (d: { what: string; path: string; cause: string }) =>
      `Cannot write the ${d.what} ${d.path}: ${d.cause}. Check that its folder exists and is writable, then retry.`,
  },
  'invalid-mnemonic': {
    exitCode: 2,
    summary: 'not a valid BIP39 phrase',
    message: (d: { reason: string; detail: string }) =>
      `The recovery phrase is not a valid BIP39 phrase (${d.reason}): ${d.detail} Nothing was derived or uploaded; fix the phrase file, then retry.`,
  },
  'password-too-short': {
    exitCode: 2,
    summary: 'a new password under 6 characters',
    message: () => 'The backup password is too short: it needs at least 6 characters (any characters; spaces count). Choose a longer one, then retry.',
  },
  'password-mismatch': {
    exitCode: 2,
    summary: 'the two new passwords differ',
    message: () => 'The two backup passwords you typed are not the same. Type the same password twice.',
  },
  'no-password': {
    exitCode: 2,
    summary: 'no password source',
    message: () =>
      'No backup password given. Set WALLET_BACKUP_PASSWORD, pass --password-file FILE (- reads it from stdin), or run in a terminal to be asked for it.',
  },
  'provider-inactive': {
    exitCode: 2,
    summary: 'provider not active on this device (switch first)',
    message: (d: { provider: ProviderId; active: ProviderId | null; account: string }) =>
      `${name(d.provider)} is not this device's backup provider: it backs up to ${d.active ? name(d.active) : 'another provider'}, ` +
      `one provider at a time. Switch provider first: wallet-backup switch --provider ${d.provider} --account ${d.account}, then retry.`,
  },
  'out-exists': {
    exitCode: 2,
    summary: '--out exists (no --force)',
    message: (d: { path: string; command: string }) =>
      `${d.path} already exists and ${d.command} never overwrites a file. Choose another --out path, or pass --force to replace it.`,
  },
  'out-not-a-file': {
    exitCode: 2,
    summary: '--out is not a file',
    message: (d: { path: string; kind: string }) =>
      `--out ${d.path} is ${d.kind}: it must name a new file, or with --force an existing regular file (a folder, link, device or pipe is never written). Choose another path.`,
  },
  'switch-not-confirmed': {
    exitCode: 2,
    summary: 'switch not confirmed',
    message: (d: { from: ProviderId | null; to: ProviderId }) =>
      `Switching to ${name(d.to)} needs your confirmation: new backups will go to ${name(d.to)} only` +
      `${d.from ? `, and backups already in ${name(d.from)} stay there` : ''}. Pass --yes to confirm, or run in a terminal to be asked.`,
  },
  'bad-sim-state': {
    exitCode: 2,
    summary: 'an unusable simulated device',
    message: (d: { problem: string }) => `${d.problem}. Fix the sim flags (or delete the device.json it names), then retry.`,
  },

  // 3: wrong password (R10).
  'wrong-password': {
    exitCode: 3,
    summary: 'wrong password',
    message: (d: { hints: readonly PasswordHint[]; canStartNewEpoch: boolean; keyringTaken?: boolean }) =>
      (d.keyringTaken
        ? 'Another device set the backup password of this account first, while this backup was choosing one: this backup must use that password. '
        : '') +
      wrongPasswordText(d.hints) +
      (d.canStartNewEpoch
        ? '\nIf you forgot it, back up with --new-password to start a new password; wallets backed up with the old one stay in the cloud and can still be restored with it if you recall it.'
        : ''),
  },

  // 4: nothing to restore in this account (R11).
  'no-backups': {
    exitCode: 4,
    summary: 'no backup in this account',
    message: (d: { provider: ProviderId; account: string; knownAccounts: readonly string[] }) =>
      d.knownAccounts.length > 0
        ? `No backup in ${name(d.provider)} account ${d.account}. This device made backups under ${quoteList(d.knownAccounts)}: sign in to it and retry.`
        : `No backup in ${name(d.provider)} account ${d.account}. Backups are found only in the account that made them: sign in with the account of your first backup, then retry.`,
  },
  'backup-missing': {
    exitCode: 4,
    summary: 'a backup the log calls done is gone from the cloud',
    message: (d: { count: number; details: readonly string[] }) =>
      `${d.count} backup(s) this device's log calls done are gone from the cloud; the log itself verifies.\n${d.details.join('\n')}`,
  },
  'no-log': {
    exitCode: 4,
    summary: 'no event log yet (nothing created)',
    message: (d: { path: string; command: string }) =>
      `No event log yet: ${d.path} does not exist, so there is nothing to ${d.command} (it was not created). ` +
      'A backup, restore, switch or confirm-offline starts it; if this device has one elsewhere, pass --db with its path.',
  },
  'wallet-not-found': {
    exitCode: 4,
    summary: 'no such wallet',
    message: (d: { provider: ProviderId; account: string; walletId: string; walletIds: readonly string[] }) =>
      `No backup of wallet ${d.walletId} in ${name(d.provider)} account ${d.account}; it holds ${d.walletIds.length > 0 ? quoteList(d.walletIds) : 'none'}. ` +
      `Run "wallet-backup list --provider ${d.provider} --account ${d.account}" to see them.`,
  },

  // 5: storage full (R12).
  'storage-full': {
    exitCode: 5,
    summary: 'cloud storage full',
    message: (d: { provider: ProviderId; neededBytes: number }) =>
      `${name(d.provider)} storage is full: the backup needs ${d.neededBytes} more bytes. Free up space (delete unused files or photos, ` +
      'clear app caches, or upgrade the storage plan), then retry the backup. Nothing was marked as backed up.',
  },

  // 6: HMS Core (R13).
  'hms-missing': {
    exitCode: 6,
    summary: 'HMS Core missing',
    message: () => `Huawei Cloud needs HMS Core, which is not installed on this device. ${HMS_MISSING_FIX}`,
  },
  'hms-outdated': {
    exitCode: 6,
    summary: 'HMS Core outdated',
    message: () => `Huawei Cloud needs a newer HMS Core than the one on this device. ${HMS_OUTDATED_FIX}`,
  },

  // 7: a record that cannot be trusted (E2).
  corrupt: {
    exitCode: 7,
    summary: 'a corrupt, tampered or moved record',
    message: (d: { record: RecordKind; path: string; reason: string }) =>
      `The ${d.record} ${d.path} ${RECORD_PROBLEM_TEXT[d.reason] ?? `cannot be opened (${d.reason})`}. ` +
      'It was refused and left untouched. Restore from your written (offline) copy of the phrase, or back the wallet up again from a device that has it.',
  },
  'verify-mismatch': {
    exitCode: 7,
    summary: 'the read-back differs from the upload',
    message: (d: { provider: ProviderId; path: string }) =>
      `${name(d.provider)} returned something else than was uploaded when ${d.path} was read back, so the backup does not count as done. Retry the backup later.`,
  },

  // 8: audit (issue 4): the event log is broken or inconsistent (E4, E5).
  'log-broken': {
    exitCode: 8,
    summary: 'the event log fails the audit',
    message: (d: { source: string; errors: number; details: readonly string[] }) =>
      `The event log ${d.source} fails the audit with ${d.errors} error(s): it was edited, cut, reordered or rewritten, or it holds rows ` +
      `this build cannot replay.\n${d.details.join('\n')}\nRun "wallet-backup audit --json" for every finding and the history as recorded.`,
  },

  // 9: the account (R11).
  'not-signed-in': {
    exitCode: 9,
    summary: 'not signed in',
    message: (d: { provider: ProviderId; account: string }) =>
      `No ${name(d.provider)} account is signed in on this device. Sign in with ${d.account}, then retry.`,
  },
  'wrong-account': {
    exitCode: 9,
    summary: 'another account signed in',
    message: (d: { provider: ProviderId; expected: string; actual: string }) =>
      `${name(d.provider)} is signed in as ${d.actual}, not ${d.expected}. Backups are found only in the account that made them: ` +
      `log out, log back in with ${d.expected}, then retry (or pass --account ${d.actual} if you meant that account).`,
  },
  'account-changed': {
    exitCode: 9,
    summary: 'the account changed during the backup',
    message: (d: { provider: ProviderId; account: string; now: string | null }) =>
      `The ${name(d.provider)} account changed during the backup (${d.now ? `now ${d.now}` : 'now signed out'}), so it was stopped and not marked as done. ` +
      `Sign in with ${d.account} again, then retry.`,
  },

  // 10: network (the engine already retried transient failures under its policy, logged).
  network: {
    exitCode: 10,
    summary: 'network failure after retries',
    message: (d: { provider: ProviderId; attempts: number }) =>
      `Could not reach ${name(d.provider)} (${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}). Check the connection, then retry.`,
  },

  // 11: the device's own event log cannot be written (read-only file or media, full disk).
  'log-unwritable': {
    exitCode: 11,
    summary: 'the event log cannot be written',
    message: (d: { path: string; cause: string; backupInCloud: boolean }) =>
      `The event log ${d.path} cannot be written (${d.cause}). ` +
      (d.backupInCloud
        ? 'The backup itself IS in the cloud, read back and restorable; only this device\'s log missed its last step. '
        : 'Nothing was marked as backed up. ') +
      'Free disk space or make the file and its folder writable (or pass --db with a writable path), then retry.',
  },

  // 12: a step failed in a way none expects (an unreadable folder, a disk error): the flow ended
  // `failed`, logged with this cause (machines version 2).
  'step-failed': {
    exitCode: 12,
    summary: 'a step failed unexpectedly (its cause is logged)',
    message: (d: { flow: string; step: string; cause: string; backupInCloud: boolean }) =>
      `The ${d.flow} stopped: its step "${d.step}" failed with ${d.cause}. ` +
      (d.backupInCloud ? 'The backup had already been read back from the cloud and is restorable. ' : 'Nothing was marked as backed up. ') +
      'Fix the cause (permissions, disk, the cloud folder), then retry; the event log keeps this cause (wallet-backup history).',
  },

  // 130: the person stopped at a prompt (Ctrl-C), as shells report SIGINT.
  cancelled: {
    exitCode: 130,
    summary: 'cancelled at a prompt',
    message: () => 'Cancelled at your request.',
  },
} as const;

export type ProblemKey = keyof typeof PROBLEMS;
export type ProblemDetail<K extends ProblemKey> = Parameters<(typeof PROBLEMS)[K]['message']>[0];

export function exitCodeOf(problem: ProblemKey): number {
  return PROBLEMS[problem].exitCode;
}

export function messageOf<K extends ProblemKey>(problem: K, detail: ProblemDetail<K>): string {
  const row = PROBLEMS[problem] as { message: (d: ProblemDetail<K>) => string };
  return row.message(detail);
}
