/** The printed table and notes (bench/run.ts). */
import type { FigureRow } from './types.ts';

function formatValue(value: number | null, unit: string): string {
  if (value === null) return '-';
  switch (unit) {
    case 's':
      return `${value.toFixed(3)} s`;
    case 'count':
      return value.toLocaleString('en-US');
    case 'KiB':
      return `${value.toFixed(1)} KiB`;
    case 'MB':
      return `${value.toFixed(0)} MB`;
    case 'paths/s':
      return `${value.toFixed(1)}/s`;
    default:
      return `${Math.round(value).toLocaleString('en-US')}/s`;
  }
}

function metText(met: boolean | null): string {
  return met === null ? '-' : met ? 'yes' : 'NO';
}

export function formatTable(rows: readonly FigureRow[]): string {
  const header = ['figure', 'engine', 'baseline', 'ratio', 'target', 'met?'];
  const cells = rows.map((r) => [
    r.figure,
    formatValue(r.engine, r.unit),
    formatValue(r.baseline, r.unit),
    r.ratio === null ? '-' : r.ratio.toFixed(3),
    r.target,
    metText(r.met),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((text, i) => (i === 0 || i === 4 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** Wraps a note to `width` columns; continuation lines keep its leading indent plus three spaces. */
export function wrapNote(note: string, width = 100): string[] {
  const indent = /^ */.exec(note)![0];
  const words = note.trim().split(/\s+/);
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    const blank = line.trim() === '';
    if (!blank && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${indent}   ${word}`;
    } else line = blank ? `${line}${word}` : `${line} ${word}`;
  }
  if (line.trim() !== '') lines.push(line);
  return lines;
}
