/**
 * The tests Stryker runs (`npm run test:mutation`, stryker.config.mjs): the ones that exercise
 * machines/ and src/format, nothing else. Not used by `npm test` (vitest.config.ts).
 *
 * Most machine mutants are "static" (the machine definitions are built when the module loads,
 * and the model suites walk them while collecting their paths), so Stryker runs every test file
 * here for each of them and stops at the first failure (bail). The files therefore run fastest
 * first: the hand-written transition table (milliseconds) and the format tests kill most mutants
 * before the model-based suites (about 45 s) start. Vitest's default order is the opposite
 * (slowest first).
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/** Position of a test file in the run: lower first; files not listed run last, by name. */
const ORDER = [
  'test/machines/modules-load.test.ts',
  'test/format/module-load.test.ts',
  'test/machines/transitions.test.ts',
  'test/machines/',
  'test/format/base64.test.ts',
  'test/format/layout.test.ts',
  'test/format/manifest.test.ts',
  'test/format/password.test.ts',
  'test/format/mnemonic.test.ts',
  'test/format/scrypt-stanza.test.ts',
  'test/format/frozen.test.ts',
  'test/format/keyring.test.ts',
  'test/format/wallet-record.test.ts',
  'test/format/',
  'test/format/kdf.test.ts',
  'test/model/offline-copy-paths.test.ts',
  'test/model/provider-switch-paths.test.ts',
  'test/model/restore-paths.test.ts',
  'test/model/',
  'test/model/backup-paths.test.ts',
];

function rank(moduleId: string): number {
  const relative = moduleId.replaceAll('\\', '/');
  // The most specific (longest) entry that names the file or its folder.
  let best = -1;
  let bestLength = -1;
  ORDER.forEach((entry, index) => {
    const matches = entry.endsWith('/') ? relative.includes(`/${entry}`) : relative.endsWith(`/${entry}`);
    if (matches && entry.length > bestLength) {
      best = index;
      bestLength = entry.length;
    }
  });
  return best === -1 ? ORDER.length : best;
}

class FastestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => rank(a.moduleId) - rank(b.moduleId) || a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  test: {
    include: ['test/machines/**/*.test.ts', 'test/format/**/*.test.ts', 'test/model/**/*.test.ts'],
    // The age CLI interop test builds its records in a beforeAll, outside any test, which makes
    // every format mutant those records touch "static" (run against all the tests above instead
    // of the few that cover it), and it needs the age tool and a pseudo-terminal. It stays in
    // `npm test`; frozen.test.ts keeps byte-level compatibility with age in this run.
    exclude: ['test/format/age-cli-interop.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    sequence: { sequencer: FastestFirst },
  },
});
