// Mutation testing of the machines and the record-format (crypto) module, issue 3 item 5.
// Run with `npm run test:mutation`; the score and the equivalent survivors are in docs/mutation-testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: ['machines/**/*.ts', 'src/format/**/*.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // A static mutant runs every test file (about 90 s on 2 busy cores): leave it room, so a slow
  // run of an equivalent mutant is not reported as a timeout (which would count as killed).
  timeoutFactor: 2.5,
  timeoutMS: 10000,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
