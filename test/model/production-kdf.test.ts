/**
 * Issue 3, item 2: a few generated paths run with the production scrypt work factor (2^17, E1):
 * a binding backup, a backup that verifies the password, a restore. Same system, same checks as
 * every other path; the keyring in the cloud says 17.
 */
import { describe, expect, it } from 'vitest';
import { PRODUCTION_SCRYPT_LOG_N } from '../../src/ports/kdf.ts';
import { generatePaths, type ModelPath } from '../../src/model/index.ts';
import { checkRun, disposeRun } from './harness/check-run.ts';
import { runPath } from './harness/run-path.ts';
import { ALICE } from './harness/secrets.ts';

const types = (path: ModelPath) => path.steps.map((s) => s.event.type);
const endsDone = (path: ModelPath) => path.steps.at(-1)!.state === 'done';
const shortest = (paths: ModelPath[]) => paths.reduce((a, b) => (b.steps.length < a.steps.length ? b : a));

const CHOSEN = [
  shortest(generatePaths('backup').filter((p) => endsDone(p) && types(p).includes('KEYRING.NONE'))),
  shortest(generatePaths('backup').filter((p) => endsDone(p) && types(p).includes('KEYRING.UNLOCKED'))),
  shortest(generatePaths('restore').filter(endsDone)),
];

describe(`production key derivation (scrypt 2^${PRODUCTION_SCRYPT_LOG_N})`, () => {
  it.each(CHOSEN)('$id: $description', async (path) => {
    const run = await runPath(path, { scryptLogN: PRODUCTION_SCRYPT_LOG_N });
    try {
      await checkRun(run);
      const keyring = run.cloud.files.snapshot()[ALICE]?.['wallet-backup/keyrings/epoch-1.age'];
      expect(new TextDecoder().decode(keyring).split('\n')[1]).toMatch(new RegExp(`^-> scrypt \\S+ ${PRODUCTION_SCRYPT_LOG_N}$`));
    } finally {
      await disposeRun(run);
    }
  });
});
