/**
 * The text of `wallet-backup audit`: what was checked and how it came out, then the per-account
 * history told from the log, then the findings. The --json object carries the same report as
 * data (src/audit/audit-log.ts's AuditReport).
 *
 * Names, accounts, ids, machines, notes and finding messages come from the log (and through it
 * from the cloud, for ever: the log is append-only) or from the checkpoints in the cloud: every
 * line that quotes one is built with the `safe` tag, each quoted value escaped as one field.
 */
import type { AuditReport } from '../audit/audit-log.ts';
import type { Finding } from '../audit/findings.ts';
import type { AccountHistory, FlowProblem, FlowRecord } from '../audit/history.ts';
import { PROVIDER_NAMES, isProviderId } from '../ports/providers.ts';
import { renderTable, shortTime } from './tables.ts';
import { safe } from '../text/terminal-safe.ts';

const providerName = (p: string | null) => (p !== null && isProviderId(p) ? PROVIDER_NAMES[p] : (p ?? 'unknown provider'));

const PROBLEM_TEXT: Record<FlowProblem['cause'], string> = {
  'wrong-password': 'wrong password',
  'storage-full': 'storage full',
  'hms-missing': 'HMS Core missing',
  'hms-outdated': 'HMS Core outdated',
  network: 'network failure',
  'not-signed-in': 'not signed in',
  'wrong-account': 'wrong account signed in',
  'account-changed': 'account changed during the flow',
  'provider-inactive': 'not the active provider',
  'password-too-short': 'password too short',
  'password-mismatch': 'passwords did not match',
  'invalid-mnemonic': 'invalid recovery phrase',
  'corrupt-record': 'corrupt record',
  'verify-mismatch': 'read-back did not match',
  'no-backups': 'no backups',
};

const OUTCOME_TEXT: Record<string, string> = {
  done: 'done',
  cancelled: 'cancelled',
  confirmed: 'recorded',
  providerInactive: 'refused: not the active provider (R15)',
  alreadyActive: 'already the active provider',
  invalidMnemonic: 'refused: invalid recovery phrase (R16)',
  keyringCorrupt: 'failed: corrupt keyring (E2)',
  recordCorrupt: 'failed: corrupt record (E2)',
  accountChanged: 'stopped: the account changed (R11)',
};

function problemsText(problems: readonly FlowProblem[]): string {
  return problems
    .map((p) => `${PROBLEM_TEXT[p.cause]}${p.count > 1 ? ` ×${p.count}` : ''}${p.detail ? ` (${p.detail})` : ''}`)
    .join('; ');
}

function outcomeText(flow: FlowRecord): string {
  if (!flow.finished) return `interrupted at ${flow.outcome}`;
  return OUTCOME_TEXT[flow.outcome] ?? flow.outcome;
}

function flowLine(flow: FlowRecord): string {
  const wallet = [flow.walletName ? `"${flow.walletName}"` : null, flow.walletId].filter(Boolean).join(' ');
  let what: string;
  switch (flow.kind) {
    case 'backup':
      what = `backup ${wallet || '(no wallet id yet)'}: ${outcomeText(flow)}${flow.epoch !== null && flow.finished && flow.outcome === 'done' ? `, password epoch ${flow.epoch}` : ''}`;
      break;
    case 'restore':
      what = `restore ${wallet || '(no wallet chosen)'}: ${outcomeText(flow)}${flow.epoch !== null ? `, password epoch ${flow.epoch}` : ''}`;
      break;
    case 'offlineCopy':
      what = `offline copy of ${wallet}: ${outcomeText(flow)}`;
      break;
    case 'providerSwitch':
      what = `switch ${providerName(flow.from)} → ${providerName(flow.provider)}${flow.account ? ` (${flow.account})` : ''}: ${outcomeText(flow)}`;
      break;
    default:
      what = `${flow.machine} flow ${flow.flowId}: ${outcomeText(flow)}`;
  }
  const notes = flow.notes.length > 0 ? `. ${flow.notes.join('; ')}` : '';
  const problems = flow.problems.length > 0 ? `. Problems: ${problemsText(flow.problems)}` : '';
  return safe`    ${shortTime(flow.startedAt)}  ${what}${notes}${problems}.`;
}

function accountLines(account: AccountHistory): string[] {
  const who = account.account ?? 'account not known (the provider check never passed)';
  const facts = [
    account.epochs.length > 0 ? `password epochs ${epochsText(account.epochs)}` : null,
    `${account.backupsDone} backup(s) done`,
    `${account.restoresDone} restore(s) done`,
  ].filter(Boolean);
  const lines = [``, safe`  ${providerName(account.provider)}, ${who}: ${facts.join(', ')}.`];
  const hidden = account.flowsOmitted + Math.max(0, account.flows.length - SHOWN_FLOWS);
  if (hidden > 0) lines.push(`    (${hidden} earlier flows not shown${account.flows.length > SHOWN_FLOWS ? '; --json has the last 200' : ''})`);
  for (const flow of account.flows.slice(-SHOWN_FLOWS)) lines.push(flowLine(flow));
  const failures = Object.entries(account.failures);
  if (failures.length > 0) {
    lines.push(safe`    Failures: ${failures.map(([cause, n]) => `${PROBLEM_TEXT[cause as FlowProblem['cause']]} ×${n}`).join(', ')}.`);
  }
  if (account.wallets.length > 0) {
    const rows = account.wallets.slice(-SHOWN).map((w) => [
      w.walletId,
      w.name ?? '',
      w.epoch === null ? '' : String(w.epoch),
      String(w.backups),
      shortTime(w.lastBackupAt),
      String(w.restores),
      w.offlineCopyConfirmed ? 'yes' : 'NO',
    ]);
    lines.push(
      renderTable(['Wallet', 'Name', 'Epoch', 'Backups', 'Last backup', 'Restores', 'Offline copy'], rows)
        .split('\n')
        .map((line) => `    ${line}`)
        .join('\n'),
    );
    if (account.wallets.length > SHOWN) lines.push(`    (the ${SHOWN} most recent of ${account.wallets.length} wallets; --json lists all)`);
  }
  return lines;
}

/** Lists in the text stay readable on a huge log; --json has everything. */
const SHOWN = 30;
const SHOWN_FLOWS = 50;

function epochsText(epochs: readonly number[]): string {
  return epochs.length > 8 ? `${epochs.slice(0, 3).join(', ')}, ... ${epochs.at(-1)} (${epochs.length})` : epochs.join(', ');
}

function findingLine(finding: Finding): string {
  return safe`  [${finding.severity}] ${finding.kind}: ${finding.message}`;
}

export function auditLines(report: AuditReport): string[] {
  const source = report.source.path ?? 'the log';
  const machines = Object.entries(report.machines).map(([m, n]) => `${m}: ${n}`).join(', ');
  const lines = [safe`Audit of ${source} (${report.source.kind}): ${report.rows} rows, ${report.flows} flows${machines ? ` (${machines})` : ''}.`];
  const chain = report.chain;
  lines.push(
    chain.ok
      ? safe`  Hash chain: intact over ${chain.rows} rows${chain.head ? `, head seq ${chain.head.seq} ${chain.head.hash}` : ''} (E4).`
      : safe`  Hash chain: BROKEN at ${chain.breaks} row(s); first at seq ${chain.firstBreak?.seq ?? '?'}: ${chain.firstBreak?.kind ?? ''} (E4).`,
  );
  const kinds = (list: readonly string[]) => report.findings.filter((f) => list.includes(f.kind) && f.severity === 'error').length;
  const positions = kinds(['position-gap', 'position-duplicate', 'row-after-final', 'machine-changed']);
  const refused = kinds(['unknown-machine', 'unknown-version']);
  const replay = kinds(['replay-mismatch']);
  lines.push(positions === 0 ? '  Positions: continuous from 0 in every flow.' : `  Positions: ${positions} problem(s).`);
  lines.push(
    replay === 0 && refused === 0
      ? '  Replay: every flow reaches its recorded states through the machine version that recorded it (E5).'
      : `  Replay: ${replay} flow(s) differ from their machine, ${refused} recorded by a machine version this build does not have (E5).`,
  );
  if (report.source.kind === 'sqlite') {
    const table = kinds(['flows-table-mismatch']);
    lines.push(table === 0 ? '  Flows table: agrees with the rows.' : `  Flows table: ${table} entry(ies) disagree with the rows.`);
  }
  if (report.checkpoints === null) {
    lines.push('  Checkpoints: not compared (pass --cloud DIR to detect a log cut or rewritten after its last checkpoint).');
  } else if (report.checkpoints.length === 0) {
    lines.push('  Checkpoints: none of this log in the cloud folder.');
  } else {
    for (const c of report.checkpoints) {
      lines.push(safe`  Checkpoint ${providerName(c.provider)}/${c.account}: seq ${c.seq}, written ${shortTime(c.writtenAt)}: ${c.status}, MAC ${c.authenticity}${c.note ? ` (${c.note})` : ''}.`);
    }
  }
  lines.push(
    report.interrupted.length === 0
      ? '  Interrupted flows: none.'
      : `  Interrupted flows: ${report.interrupted.length} never reached a final state (not errors; see the findings).`,
  );

  const history = report.history;
  lines.push('', 'History, per cloud account (times UTC):');
  const accounts = [...history.accounts].sort((a, b) => (a.account === null ? 1 : 0) - (b.account === null ? 1 : 0));
  if (accounts.length === 0) lines.push('  No backups or restores recorded.');
  for (const account of accounts) lines.push(...accountLines(account));
  if (history.switches.length > 0) {
    lines.push('', '  Provider switches (one active provider per device, R15):');
    if (history.switchesOmitted > 0) lines.push(`    (${history.switchesOmitted} earlier switches not shown)`);
    for (const flow of history.switches) lines.push(flowLine(flow));
  }
  lines.push('', safe`  Active provider at the end of the log: ${history.activeProvider ? providerName(history.activeProvider) : 'none yet'}.`);
  if (history.cloudOnly.length === 0) {
    lines.push('  Every backed-up wallet has a confirmed offline copy (R17).');
  } else {
    lines.push(`  Relying on the cloud alone, with no confirmed offline copy (R17): ${history.cloudOnly.length} wallet(s):`);
    if (history.cloudOnly.length > SHOWN) lines.push(`    (the ${SHOWN} most recent; --json lists all)`);
    for (const w of history.cloudOnly.slice(-SHOWN)) lines.push(safe`    ${providerName(w.provider)} / ${w.account} / ${w.walletId}${w.name ? ` "${w.name}"` : ''}`);
  }

  const shown = report.findings.filter((f) => f.kind !== 'checkpoint-ok');
  if (shown.length > 0) {
    lines.push('', 'Findings:');
    for (const finding of shown) lines.push(findingLine(finding));
    if (report.findingsOmitted > 0) lines.push(`  ... and ${report.findingsOmitted} more.`);
  }
  const { error, warning } = report.counts;
  lines.push(
    '',
    error === 0
      ? `Result: the log verifies${warning > 0 ? `, with ${warning} warning(s)` : ''}.`
      : `Result: the log is broken or inconsistent: ${error} error(s).`,
  );
  return lines;
}

/** The error findings, for the exit-8 message: the first ones, each naming its row. */
export function errorSummary(report: AuditReport, max = 10): string[] {
  const errors = report.findings.filter((f) => f.severity === 'error');
  const lines = errors.slice(0, max).map((f) => safe`  - ${f.message}`);
  const more = report.counts.error - Math.min(max, errors.length);
  if (more > 0) lines.push(`  - ... and ${more} more.`);
  return lines;
}
