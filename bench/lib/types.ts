/** What every figure module returns: rows of the printed table, and the data behind them. */

export interface BenchOptions {
  /** 100k-row audit log, fewer rounds: for development, not for docs/benchmarks.md. */
  quick: boolean;
  /** Progress and notes (stderr; stdout is kept for the table or the JSON). */
  log: (line: string) => void;
}

export interface FigureRow {
  /** Stable key for --json, e.g. 'recording'. */
  id: string;
  /** What is measured, as printed in the table. */
  figure: string;
  unit: string;
  engine: number;
  /** The physical baseline measured in the same run; null when the figure has none. */
  baseline: number | null;
  /** engine / baseline (for latencies: engine time / baseline time); null without a baseline. */
  ratio: number | null;
  /** The target, as printed ('>= 0.9', '< 200 MB', 'info'). */
  target: string;
  /** Whether the target is met; null for information only. */
  met: boolean | null;
}

export interface FigureResult {
  rows: FigureRow[];
  /** Lines printed under the table: how it was measured, what the numbers include. */
  notes: string[];
  /** Everything else (per-round numbers, sizes), for --json. */
  detail: Record<string, unknown>;
}
