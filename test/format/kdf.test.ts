/**
 * The ScryptKdf adapters (node:crypto and @noble/hashes) and the counting wrapper.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNobleScrypt } from '../../adapters/kdf/noble-scrypt.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { countingKdf } from '../../src/format/index.ts';
import { PRODUCTION_SCRYPT_LOG_N } from '../../src/ports/kdf.ts';
import { hex } from './helpers.ts';

const node = createNodeScrypt();
const noble = createNobleScrypt();
const encode = (text: string) => new TextEncoder().encode(text);

describe('scrypt adapters', () => {
  // RFC 7914 section 12, third vector (r = 8, p = 1 as age uses); a 32-byte key is the first
  // half of the 64-byte output, since PBKDF2 computes its output blocks independently.
  const RFC7914_KEY_PREFIX = '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2';

  it('E1: node scrypt matches the RFC 7914 vector (pleaseletmein / SodiumChloride, N=2^14)', async () => {
    expect(hex(await node.derive(encode('pleaseletmein'), encode('SodiumChloride'), 14))).toBe(RFC7914_KEY_PREFIX);
  });

  it('E1: noble scrypt matches the RFC 7914 vector (pleaseletmein / SodiumChloride, N=2^14)', async () => {
    expect(hex(await noble.derive(encode('pleaseletmein'), encode('SodiumChloride'), 14))).toBe(RFC7914_KEY_PREFIX);
  });

  it('E1: node and noble scrypt derive identical keys', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ minLength: 16, maxLength: 48 }),
        fc.integer({ min: 1, max: 10 }),
        async (password, salt, logN) => {
          expect(hex(await node.derive(password, salt, logN))).toBe(hex(await noble.derive(password, salt, logN)));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('E1: both adapters derive 32-byte keys and refuse work factors outside 1..20', async () => {
    for (const kdf of [node, noble]) {
      expect((await kdf.derive(encode('pw'), encode('salt'), 4)).length).toBe(32);
      await expect(kdf.derive(encode('pw'), encode('salt'), 0)).rejects.toThrow(RangeError);
      await expect(kdf.derive(encode('pw'), encode('salt'), 21)).rejects.toThrow(RangeError);
      await expect(kdf.derive(encode('pw'), encode('salt'), 10.5)).rejects.toThrow(RangeError);
    }
  });

  it('E1: both adapters run the production work factor 2^17 and agree', async () => {
    const salt = encode('age-encryption.org/v1/scrypt0123456789abcdef');
    const nodeKey = await node.derive(encode('backup password'), salt, PRODUCTION_SCRYPT_LOG_N);
    expect(hex(await noble.derive(encode('backup password'), salt, PRODUCTION_SCRYPT_LOG_N))).toBe(hex(nodeKey));
  });

  it('E1: countingKdf counts every derivation and passes the key through unchanged', async () => {
    const counting = countingKdf(node);
    expect(counting.runs).toBe(0);
    const key = await counting.derive(encode('pw'), encode('salt'), 4);
    await counting.derive(encode('pw'), encode('salt'), 4);
    expect(counting.runs).toBe(2);
    expect(hex(key)).toBe(hex(await node.derive(encode('pw'), encode('salt'), 4)));
    expect(counting.name).toContain(node.name);
  });
});
