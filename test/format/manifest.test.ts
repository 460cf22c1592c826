/**
 * The manifest: the clear index of an account's backups (E2), nothing secret in it.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeManifest,
  emptyManifest,
  encodeManifest,
  isRecordError,
  latestEpoch,
  RecordError,
  withEpoch,
  withWallet,
  type Manifest,
  type ManifestWallet,
  type RecordErrorCode,
} from '../../src/format/index.ts';
import { ACCOUNT } from './helpers.ts';

const T1 = '2025-03-01T10:00:00.000Z';
const T2 = '2025-03-02T10:00:00.000Z';

const wallet: ManifestWallet = { walletId: 'w-0123456789abcdef', name: 'Daily', epoch: 1, words: 12, createdAt: T1, updatedAt: T1 };

function codeOf(run: () => unknown): RecordErrorCode | 'returned' | 'other' {
  try {
    run();
    return 'returned';
  } catch (error) {
    return error instanceof RecordError ? error.code : 'other';
  }
}

function bytesOf(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function sample(): Manifest {
  return withWallet(withEpoch(emptyManifest(ACCOUNT), 1, T1), wallet);
}

describe('manifest', () => {
  it('E2: a manifest round-trips as pretty JSON with a trailing newline', () => {
    const manifest = sample();
    const bytes = encodeManifest(manifest);
    const text = new TextDecoder().decode(bytes);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "format": "wallet-backup-engine/manifest"');
    expect(decodeManifest(bytes, ACCOUNT)).toEqual(manifest);
    expect(JSON.parse(text)).toEqual({
      format: 'wallet-backup-engine/manifest',
      version: 1,
      accountId: ACCOUNT,
      epochs: [{ epoch: 1, createdAt: T1 }],
      wallets: [wallet],
    });
  });

  it('E2: an empty manifest has no epoch; latestEpoch follows withEpoch', () => {
    const empty = emptyManifest(ACCOUNT);
    expect(latestEpoch(empty)).toBeNull();
    const two = withEpoch(withEpoch(empty, 2, T2), 1, T1);
    expect(two.epochs.map((entry) => entry.epoch)).toEqual([1, 2]);
    expect(latestEpoch(two)).toBe(2);
    // Adding an epoch again keeps its first creation time.
    expect(withEpoch(two, 1, T2).epochs[0]).toEqual({ epoch: 1, createdAt: T1 });
    expect(decodeManifest(encodeManifest(empty), ACCOUNT)).toEqual(empty);
  });

  it('R8: latestEpoch is the highest epoch, whatever the order of the list', () => {
    const listed = (epochs: number[]): Manifest => ({ ...emptyManifest(ACCOUNT), epochs: epochs.map((epoch) => ({ epoch, createdAt: T1 })) });
    expect(latestEpoch(listed([3, 1]))).toBe(3);
    expect(latestEpoch(listed([1, 3, 2]))).toBe(3);
    expect(latestEpoch(listed([5]))).toBe(5);
  });

  it('E2: withWallet replaces by walletId and leaves the input unchanged', () => {
    const manifest = sample();
    const updated = withWallet(manifest, { ...wallet, name: 'Renamed', updatedAt: T2 });
    expect(updated.wallets).toEqual([{ ...wallet, name: 'Renamed', updatedAt: T2 }]);
    expect(manifest.wallets).toEqual([wallet]);
    const added = withWallet(updated, { ...wallet, walletId: 'w-fedcba9876543210' });
    expect(added.wallets.map((entry) => entry.walletId)).toEqual(['w-0123456789abcdef', 'w-fedcba9876543210']);
  });

  it('R11: a manifest of another account is metadata-mismatch', () => {
    const bytes = encodeManifest(sample());
    expect(codeOf(() => decodeManifest(bytes, 'bob@example.com'))).toBe('metadata-mismatch');
  });

  it('E2: an unknown manifest version is unsupported-version', () => {
    const error = (() => {
      try {
        return decodeManifest(bytesOf({ ...sample(), version: 2 }), ACCOUNT);
      } catch (caught) {
        return caught;
      }
    })();
    expect(isRecordError(error, 'unsupported-version')).toBe(true);
  });

  it('E2: an invalid manifest is malformed, and encodeManifest refuses to write one', () => {
    const good = sample();
    const bad: unknown[] = [
      'text',
      null,
      [],
      { ...good, format: 'other' },
      { ...good, version: '1' },
      { ...good, secret: 'x' },
      { ...good, accountId: '' },
      { ...good, epochs: {} },
      { ...good, epochs: [{ epoch: 0, createdAt: T1 }] },
      { ...good, epochs: [{ epoch: 1, createdAt: T1 }, { epoch: 1, createdAt: T2 }] },
      { ...good, wallets: [{ ...wallet, epoch: 3 }] },
      { ...good, wallets: [{ ...wallet, words: 13 }] },
      { ...good, wallets: [{ ...wallet, walletId: '../x' }] },
      { ...good, wallets: [{ ...wallet, updatedAt: 'now' }] },
      { ...good, wallets: [{ ...wallet, mnemonic: 'leak' }] },
      { ...good, wallets: [wallet, wallet] },
    ];
    for (const value of bad) {
      expect(codeOf(() => decodeManifest(bytesOf(value), ACCOUNT)), JSON.stringify(value)).toBe('malformed');
    }
    expect(codeOf(() => decodeManifest(new TextEncoder().encode('{'), ACCOUNT))).toBe('malformed');
    expect(codeOf(() => decodeManifest(new Uint8Array([0xff, 0xfe]), ACCOUNT))).toBe('malformed');
    expect(codeOf(() => encodeManifest({ ...good, wallets: [{ ...wallet, epoch: 9 }] }))).toBe('malformed');
  });
});
