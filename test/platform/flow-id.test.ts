/** Flow ids need only crypto.getRandomValues (react-native-get-random-values), not randomUUID. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomFlowId } from '../../src/engine/create-backup-engine.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('flow ids', () => {
  afterEach(() => vi.restoreAllMocks());

  it('are distinct version-4 UUIDs', () => {
    const ids = Array.from({ length: 2000 }, randomFlowId);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('are made from 16 bytes of getRandomValues with the version and variant bits set, never from randomUUID', () => {
    vi.spyOn(globalThis.crypto, 'randomUUID').mockImplementation(() => {
      throw new Error('randomUUID must not be used');
    });
    vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
      (array as unknown as Uint8Array).fill(0xff);
      return array;
    });
    expect(randomFlowId()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
  });
});
