/**
 * A vitest reporter that ends the run's output with the model-based coverage table: machine,
 * states covered/total, transitions covered/total, path count. The rows come from the coverage
 * tests of the model suites (harness/path-suite.ts), through their meta. Registered in
 * vitest.config.ts after the default reporter, so the table is the last thing printed.
 */
import type { Reporter, TestModule } from 'vitest/node';
import { formatCoverageTable, MODELS, type CoverageRow } from '../../src/model/index.ts';

export default class ModelCoverageReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows: CoverageRow[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const row = test.meta().modelCoverage;
        if (row) rows.push(row);
      }
    }
    if (rows.length === 0) return;
    const order = MODELS.map((m) => m.id);
    rows.sort((a, b) => order.indexOf(a.machine) - order.indexOf(b.machine));
    process.stdout.write(`\nModel-based coverage, from paths executed against the real engine:\n${formatCoverageTable(rows)}\n`);
  }
}
