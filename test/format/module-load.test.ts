/**
 * The record-format module loads: its lookup tables (the base64 alphabet, the BIP39 word set, the
 * look-alike characters) are built when it is imported. Imported here inside a test, so a broken
 * table is a failing test rather than a file that fails to import, which Stryker's vitest runner
 * would not count (stryker-js#6150).
 */
import { describe, expect, it } from 'vitest';

describe('record-format module', () => {
  it('E2: imports, and its tables work', async () => {
    const format = await import('../../src/format/index.ts');
    expect(format.decodeBase64NoPad('AQID')).toEqual(new Uint8Array([1, 2, 3]));
    expect(format.checkMnemonic('legal winner thank year wave sausage worth useful legal winner thank yellow').ok).toBe(true);
    expect(format.passwordHints('passw0rd')).toEqual(['look-alike-characters']);
  });
});
