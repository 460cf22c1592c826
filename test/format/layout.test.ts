/**
 * The cloud layout: where the manifest, keyrings and wallet records live.
 */
import { describe, expect, it } from 'vitest';
import { keyringPath, listingEntryPath, MANIFEST_PATH, parseRecordPath, walletRecordPath } from '../../src/format/index.ts';

describe('cloud layout', () => {
  it('E2: manifest, keyrings and wallet records have fixed paths under wallet-backup/', () => {
    expect(MANIFEST_PATH).toBe('wallet-backup/manifest.json');
    expect(keyringPath(1)).toBe('wallet-backup/keyrings/epoch-1.age');
    expect(keyringPath(12)).toBe('wallet-backup/keyrings/epoch-12.age');
    expect(walletRecordPath('w-0123456789abcdef', 3)).toBe('wallet-backup/wallets/epoch-3/w-0123456789abcdef.age');
    expect(listingEntryPath('w-0123456789abcdef', 3)).toBe('wallet-backup/listing/epoch-3/w-0123456789abcdef.json');
    // Layout 1 (read, never written): every record beside the others.
    expect(walletRecordPath('w-0123456789abcdef', 3, 1)).toBe('wallet-backup/wallets/w-0123456789abcdef.age');
  });

  it('E6: ids that could escape the folder or are not epochs are refused', () => {
    expect(() => walletRecordPath('../manifest', 1)).toThrow(RangeError);
    expect(() => walletRecordPath('a/b', 1)).toThrow(RangeError);
    expect(() => walletRecordPath('', 1)).toThrow(RangeError);
    expect(() => walletRecordPath('w-00ff', 0)).toThrow(RangeError);
    expect(() => listingEntryPath('w-00ff', 1.5)).toThrow(RangeError);
    expect(() => listingEntryPath('../x', 1)).toThrow(RangeError);
    expect(() => keyringPath(0)).toThrow(RangeError);
    expect(() => keyringPath(1.5)).toThrow(RangeError);
  });

  it('E2: listed paths parse back to what they are, and foreign files to null', () => {
    expect(parseRecordPath(MANIFEST_PATH)).toEqual({ kind: 'manifest' });
    expect(parseRecordPath(keyringPath(3))).toEqual({ kind: 'keyring', epoch: 3 });
    expect(parseRecordPath(walletRecordPath('w-00ff', 2))).toEqual({ kind: 'wallet', walletId: 'w-00ff', epoch: 2, layout: 2 });
    expect(parseRecordPath(walletRecordPath('w-00ff', 2, 1))).toEqual({ kind: 'wallet', walletId: 'w-00ff', epoch: null, layout: 1 });
    expect(parseRecordPath(listingEntryPath('w-00ff', 2))).toEqual({ kind: 'listing', walletId: 'w-00ff', epoch: 2 });
    expect(parseRecordPath('wallet-backup/wallets/epoch-2/w-00ff.json')).toBeNull();
    expect(parseRecordPath('wallet-backup/listing/epoch-2/w-00ff.age')).toBeNull();
    expect(parseRecordPath('wallet-backup/listing/epoch-0/w-00ff.json')).toBeNull();
    expect(parseRecordPath('wallet-backup/keyrings/epoch-01.age')).toBeNull();
    expect(parseRecordPath('wallet-backup/wallets/x.age.tmp')).toBeNull();
    expect(parseRecordPath('wallet-backup/notes.txt')).toBeNull();
  });

  it('E2: only whole paths under wallet-backup/ are records, multi-digit epochs included', () => {
    expect(parseRecordPath(keyringPath(10))).toEqual({ kind: 'keyring', epoch: 10 });
    expect(parseRecordPath(keyringPath(203))).toEqual({ kind: 'keyring', epoch: 203 });
    for (const foreign of [
      'wallet-backup/keyrings/epoch-1.age.tmp',
      'old/wallet-backup/keyrings/epoch-1.age',
      'old/wallet-backup/wallets/w-00ff.age',
      'wallet-backup/wallets/w-00ff.age/x',
    ]) {
      expect(parseRecordPath(foreign), foreign).toBeNull();
    }
  });
});
