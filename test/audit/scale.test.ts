/**
 * Scale (issue 4): scripts/generate-log.ts fills a SQLite log with realistic flows quickly, and
 * audit streams it: rows one at a time from a single cursor, one snapshot per open flow, a
 * bounded history. The benchmark issue measures 1,000,000 rows; this test checks the same path
 * on 30,000 and that what audit keeps does not grow with the log.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteLogReader } from '../../adapters/store/sqlite-log-reader.ts';
import { auditLog } from '../../src/audit/audit-log.ts';
import { generateLog } from '../../scripts/generate-log.ts';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('audit at scale', () => {
  it('E4 E5: a generated 30,000-row log audits clean, streaming, with a bounded report', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'wbe-scale-')), 'big.db');
    const generated = generateLog({ db, rows: 30_000, seed: 3 });
    expect(generated.rows).toBe(30_000);
    const reader = openSqliteLogReader(db);
    const progress: number[] = [];
    try {
      expect(reader.expectedRows()).toBe(30_000);
      const report = await auditLog(reader.auditRows(), { digest, flowSummaries: reader.summaries, onProgress: (n) => progress.push(n), historyLimit: 50 });
      expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.rows).toBe(30_000);
      expect(report.flows).toBe(generated.flows);
      expect(Object.keys(report.machines).sort()).toEqual(['backup@1', 'offlineCopy@1', 'providerSwitch@1', 'restore@1']);
      // Progress is reported as rows stream, and ends at the total.
      expect(progress.length).toBeGreaterThan(10);
      expect(progress.at(-1)).toBe(30_000);
      // Bounded: a few open flows at the end, at most historyLimit flows told per account.
      expect(report.interrupted.length).toBeLessThanOrEqual(3);
      for (const account of report.history.accounts) expect(account.flows.length).toBeLessThanOrEqual(50);
      expect(report.history.accounts.reduce((n, a) => n + a.flows.length + a.flowsOmitted, 0) + report.history.switches.length + report.history.switchesOmitted).toBeGreaterThan(1000);
    } finally {
      reader.close();
    }
  });
});
