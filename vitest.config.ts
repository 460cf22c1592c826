import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The default output, then the model-based coverage table last (issue 3).
    reporters: ['default', './test/model/coverage-reporter.ts'],
  },
});
