/**
 * Shared test data and byte-twiddling helpers for the record-format tests.
 * Test data only: these mnemonics are public BIP39 test vectors, never use them for funds.
 */
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { createKeyring, deriveWalletId, encryptAgeFile, type EpochIdentity, type SealWalletInput } from '../../src/format/index.ts';
import type { ScryptKdf } from '../../src/ports/kdf.ts';

/** Tests use 2^10 for speed; production is PRODUCTION_SCRYPT_LOG_N (2^17). */
export const TEST_LOG_N = 10;

/** BIP39 test vector (trezor vectors.json, entropy 7f7f...). */
export const MNEMONIC_12 = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
/** BIP39 test vector (trezor vectors.json, entropy 8080... 32 bytes). */
export const MNEMONIC_24 =
  'letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless';

export const ACCOUNT = 'alice@example.com';
export const PASSWORD = 'correct horse 1';
export const NOW = new Date('2025-03-01T10:00:00.000Z');

export const nodeKdf: ScryptKdf = createNodeScrypt();

/** When the test wallets were created. */
export const CREATED = '2025-03-01T10:05:00.000Z';

/** A wallet of the epoch, sealed with the mnemonic's derived id unless `walletId` says otherwise. */
export function walletInput(epoch: EpochIdentity, mnemonic = MNEMONIC_12, walletId = deriveWalletId(epoch, mnemonic)): SealWalletInput {
  return { walletId, accountId: epoch.accountId, epoch: epoch.epoch, name: 'Daily spending', mnemonic, createdAt: CREATED };
}

/** Where a wallet record is expected: what openWallet checks it against. */
export function placeOf(input: { walletId: string; accountId: string; epoch: number }) {
  return { walletId: input.walletId, accountId: input.accountId, epoch: input.epoch };
}

/** The JSON a valid wallet record holds for `input` (tests alter it to make invalid ones). */
export function walletContent(input: SealWalletInput) {
  return {
    format: 'wallet-backup-engine/wallet',
    version: 1,
    walletId: input.walletId,
    accountId: input.accountId,
    epoch: input.epoch,
    name: input.name,
    words: input.mnemonic.split(' ').length,
    createdAt: input.createdAt,
    mnemonic: input.mnemonic,
  };
}

/** A wallet record with arbitrary JSON inside, as a future or foreign writer could make. */
export async function sealJson(epoch: EpochIdentity, payload: unknown): Promise<Uint8Array> {
  return encryptAgeFile(new TextEncoder().encode(JSON.stringify(payload)), epoch.recipient);
}

export async function makeEpoch(accountId = ACCOUNT, epoch = 1, kdf: ScryptKdf = nodeKdf): Promise<{ bytes: Uint8Array; identity: EpochIdentity }> {
  return createKeyring({ accountId, epoch, password: PASSWORD, kdf, logN: TEST_LOG_N, now: NOW });
}

/** Offset just past the header's "--- <mac>\n" line: the payload nonce starts there. */
export function headerLength(file: Uint8Array): number {
  const text = new TextDecoder('latin1').decode(file);
  const macLine = text.indexOf('\n--- ');
  if (macLine === -1) throw new Error('no MAC line');
  return text.indexOf('\n', macLine + 1) + 1;
}

export function headerText(file: Uint8Array): string {
  return new TextDecoder().decode(file.subarray(0, headerLength(file)));
}

/** A copy with the byte at `index` XORed with `mask`. */
export function flipByte(file: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const copy = file.slice();
  copy[index] = (copy[index] ?? 0) ^ mask;
  return copy;
}

/** A copy with the header character at `index` replaced by another valid base64 character. */
export function replaceBase64Char(file: Uint8Array, index: number): Uint8Array {
  const copy = file.slice();
  const current = String.fromCharCode(copy[index] ?? 0);
  if (!/[A-Za-z0-9+/]/.test(current)) throw new Error(`not a base64 character at ${index}: ${current}`);
  copy[index] = (current === 'A' ? 'B' : 'A').charCodeAt(0);
  return copy;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
