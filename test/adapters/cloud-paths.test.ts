/**
 * The drive path rules shared by the cloud adapters: relative, '/'-separated, no climbing out.
 */
import { join, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDrivePath, checkDrivePrefix, enclosingFolders, isDrivePath, isUnderFolder, TEMP_NAME_PREFIX } from '../../adapters/cloud/paths.ts';

describe('cloud drive paths', () => {
  it('accepts relative, /-separated paths, unicode and dots inside names included', () => {
    for (const good of ['wallet-backup/keyring.age', 'a', 'a/b/c.d', '...', '.hidden', 'a..b/c', 'wallets/w ü 1.age']) {
      expect(checkDrivePath(good)).toBe(good);
    }
  });

  it('names the problem of each bad path', () => {
    expect(() => checkDrivePath('../x')).toThrow(/'\.\.' segments are not allowed/);
    expect(() => checkDrivePath('/abs')).toThrow(/absolute paths are not allowed/);
    expect(() => checkDrivePath('a//b')).toThrow(/empty segment/);
    expect(() => checkDrivePath('')).toThrow(/must not be empty/);
    expect(() => checkDrivePath('a/./b')).toThrow(/'\.' segments/);
    expect(() => checkDrivePath('a\\b')).toThrow(/use '\/' as the separator/);
    expect(() => checkDrivePath(`x/${TEMP_NAME_PREFIX}1`)).toThrow(/reserved for in-progress writes/);
    expect(() => checkDrivePath(42 as unknown as string)).toThrow(/expected a string/);
  });

  it('list prefixes: "" is the whole folder, one trailing slash is allowed', () => {
    expect(checkDrivePrefix('')).toBe('');
    expect(checkDrivePrefix('wallet-backup/')).toBe('wallet-backup');
    expect(checkDrivePrefix('wallet-backup/wallets')).toBe('wallet-backup/wallets');
    expect(() => checkDrivePrefix('/')).toThrow(/absolute/);
    expect(() => checkDrivePrefix('a//')).toThrow(/empty segment/);
    expect(() => checkDrivePrefix('../')).toThrow(/'\.\.'/);
  });

  it('folder membership is by whole segments', () => {
    expect(isUnderFolder('wallet-backup/a', 'wallet-backup')).toBe(true);
    expect(isUnderFolder('wallet-backupX/a', 'wallet-backup')).toBe(false);
    expect(isUnderFolder('wallet-backup', 'wallet-backup')).toBe(false);
    expect(isUnderFolder('anything', '')).toBe(true);
    expect(enclosingFolders('a/b/c')).toEqual(['a', 'a/b']);
    expect(enclosingFolders('a')).toEqual([]);
  });

  it('any accepted path, joined to a root, stays strictly inside that root', () => {
    const root = resolve('/srv/cloud/account');
    const segment = fc.oneof(fc.constantFrom('..', '.', '', 'a', '\\', '..\\..', '/', 'C:'), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const path = segments.join('/');
        if (!isDrivePath(path)) return;
        expect(join(root, path).startsWith(root + sep)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
