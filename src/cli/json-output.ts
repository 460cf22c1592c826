/**
 * The --json objects on stdout: every one has the same base keys (null when they do not apply),
 * and is printed through jsonTerminalSafe (src/text/terminal-safe.ts): JSON.stringify's text
 * with DEL, C1 and the format characters written as \u escapes too, so nothing in it is obeyed
 * by a terminal that shows it.
 */
import { jsonTerminalSafe } from '../text/terminal-safe.ts';

/** The keys every --json object has, null when they do not apply. */
export const JSON_BASE = { flowId: null, outcome: null, reason: null, account: null, walletId: null, epoch: null };

/** One --json object: indented (a command's result), or on one line (inspect's, printed while it runs, for a reader of lines). */
export function printJson(object: Record<string, unknown>, layout: 'indented' | 'line' = 'indented'): void {
  const text = layout === 'line' ? JSON.stringify(object) : JSON.stringify(object, null, 2);
  process.stdout.write(`${jsonTerminalSafe(text)}\n`);
}
