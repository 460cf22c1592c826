/**
 * The identifiers and times records carry (identifiers.ts): what is accepted, at the edges.
 */
import { describe, expect, it } from 'vitest';
import { isAccountId, isEpoch, isIsoTime, isWalletId } from '../../src/format/index.ts';

describe('identifiers', () => {
  it('R11: an account id is 1 to 320 characters of text without control characters', () => {
    expect(isAccountId('alice@example.com')).toBe(true);
    expect(isAccountId('a'.repeat(320))).toBe(true);
    expect(isAccountId('a'.repeat(321))).toBe(false);
    expect(isAccountId('')).toBe(false);
    expect(isAccountId('alice\n@example.com')).toBe(false);
    expect(isAccountId('alice\u2028')).toBe(false);
    // Only strings: a list holding an id is not an id.
    expect(isAccountId(['alice@example.com'])).toBe(false);
    expect(isAccountId(42)).toBe(false);
  });

  it('R8: an epoch is a safe integer from 1', () => {
    expect(isEpoch(1)).toBe(true);
    expect(isEpoch(0)).toBe(false);
    expect(isEpoch(1.5)).toBe(false);
    expect(isEpoch('1')).toBe(false);
    expect(isEpoch(2 ** 53)).toBe(false);
  });

  it('E6: a wallet id is a file-name-safe string', () => {
    expect(isWalletId('w-0123456789abcdef')).toBe(true);
    expect(isWalletId(['w-0123456789abcdef'])).toBe(false);
    expect(isWalletId('../x')).toBe(false);
  });

  it('E2: a time is an ISO-8601 date-time with a zone that is a real date', () => {
    for (const ok of ['2025-03-01T10:00:00.000Z', '2025-03-01T10:00:00Z', '2025-03-01T10:00:00+01:00', '2025-03-01T10:00:00.123456789-05:30']) {
      expect(isIsoTime(ok), ok).toBe(true);
    }
    for (const bad of [
      'March 1, 2025', // a date Date.parse reads, but not ISO
      '2025-13-45T99:99:99Z', // ISO-shaped, but no such date
      '+002025-03-01T10:00:00.000Z', // extended year
      '2025-03-01T10:00:00', // no zone
      '2025-03-01T10:00:00+0100',
    ]) {
      expect(isIsoTime(bad), bad).toBe(false);
    }
    expect(isIsoTime(['2025-03-01T10:00:00.000Z'])).toBe(false);
    expect(isIsoTime(Date.parse('2025-03-01T10:00:00.000Z'))).toBe(false);
  });
});
