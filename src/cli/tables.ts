/**
 * cli-table3 tables without colour codes (output often goes to files and pipes), and the small
 * formatters the tables share. Every cell is a field of outside text (a wallet name from the
 * cloud, a payload from the log): renderTable shows each with terminalSafe, so an escape sequence
 * is shown escaped and a line break in a name cannot start a row of its own.
 */
import Table from 'cli-table3';
import { terminalSafe } from '../text/terminal-safe.ts';

/** colWidths (with word wrap) keeps long cells, such as an event's payload, inside a terminal. */
function plainTable(head: string[], colWidths?: Array<number | null>): Table.Table {
  return new Table({ head, style: { head: [], border: [] }, ...(colWidths ? { colWidths, wordWrap: true } : {}) });
}

export function renderTable(head: string[], rows: string[][], colWidths?: Array<number | null>): string {
  const table = plainTable(head.map(terminalSafe), colWidths);
  table.push(...rows.map((row) => row.map(terminalSafe)));
  return table.toString();
}

/** "2025-01-31T12:00:00.000Z" → "2025-01-31 12:00:00Z": readable, still exact and sortable. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** A JSON state value as a path: {"uploading":"storageFull"} → "uploading.storageFull". */
export function statePath(json: string | null): string {
  if (json === null) return '(start)';
  const value: unknown = JSON.parse(json);
  const walk = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object') {
      return Object.entries(v as Record<string, unknown>)
        .map(([key, inner]) => `${key}.${walk(inner)}`)
        .join(' | ');
    }
    return String(v);
  };
  return walk(value);
}
