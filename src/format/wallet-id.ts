/**
 * Wallet ids: `w-` and 16 hex digits of HMAC-SHA256(key = the epoch's identity string,
 * "wallet-backup-engine/wallet-id\0" || normalised mnemonic).
 *
 * The same wallet backed up twice in an epoch gets the same id (a re-backup replaces its record
 * instead of adding one), while the id, which is in clear in paths and in the manifest, reveals
 * nothing about the mnemonic to anyone without the epoch's key. 64 bits keep collisions between a
 * user's few wallets out of reach.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { RecordError } from './errors.ts';
import type { EpochIdentity } from './keyring.ts';
import { checkMnemonic } from './mnemonic.ts';

export const WALLET_ID_DOMAIN = 'wallet-backup-engine/wallet-id\0';

export function deriveWalletId(epochIdentity: EpochIdentity, normalizedMnemonic: string): string {
  // Normalised again so that the id cannot depend on how the phrase was spaced or cased.
  const check = checkMnemonic(normalizedMnemonic);
  if (!check.ok) throw new RecordError('invalid-mnemonic', `The recovery phrase is not valid: ${check.detail}`);
  const encoder = new TextEncoder();
  const mac = hmac(sha256, encoder.encode(epochIdentity.identity), encoder.encode(WALLET_ID_DOMAIN + check.normalized));
  return `w-${bytesToHex(mac.subarray(0, 8))}`;
}
