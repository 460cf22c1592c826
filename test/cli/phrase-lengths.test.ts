/**
 * R16 as issue 11 extends it, through the real binary: a phrase of each BIP39 length other than
 * 12 and 24 backs up and restores to the same words.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sandbox, walletIdOf } from './cli-sandbox.ts';

const PHRASES: Record<number, string> = {
  15: 'legal winner thank year wave sausage worth useful legal winner thank year wave sausage wise',
  18: 'legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal will',
  21: 'legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year viable',
};
const box = sandbox();
afterAll(() => box.cleanup());

describe('R16: 15-, 18- and 21-word phrases through the CLI', () => {
  it.each([15, 18, 21])('%i words: backup exits 0 and restore writes the same phrase', async (words) => {
    const phrase = PHRASES[words]!;
    const file = box.file(`phrase-${words}.txt`, `${phrase}\n`);
    const backup = await box.run(['backup', '--provider', 'gdrive', '--account', 'alice@example.com', '--mnemonic-file', file], { password: 'correct horse 7' });
    expect(backup.code, backup.stderr).toBe(0);
    const out = join(box.dir, `restored-${words}.txt`);
    const restore = await box.run(['restore', '--provider', 'gdrive', '--account', 'alice@example.com', '--wallet', walletIdOf(backup), '--out', out], {
      password: 'correct horse 7',
    });
    expect(restore.code, restore.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').trim()).toBe(phrase);
  }, 60_000);
});
