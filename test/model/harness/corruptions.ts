/**
 * Bytes for each corruption reason (E2), made the way they arise in the cloud: a file gone, a
 * file that is no age file, a flipped bit, a record of a newer format version (encrypted like a
 * real one, so only the version gate can refuse it), a record moved from another wallet or
 * account, a record whose phrase is not BIP39. Written straight into the memory cloud.
 */
import { generateX25519Identity } from 'age-encryption';
import type { MemoryCloud } from '../../../adapters/cloud/memory.ts';
import type { RecordProblem } from '../../../machines/events.ts';
import {
  createKeyring,
  decodeManifest,
  emptyManifest,
  encodeManifest,
  encryptAgeFile,
  KEYRINGS_FOLDER,
  keyringPath,
  encodeListingEntry,
  LISTING_FOLDER,
  listingEntryPath,
  READ_LIMITS,
  keyringText,
  MANIFEST_PATH,
  openKeyring,
  ScryptStanzaRecipient,
  walletRecordPath,
  WALLET_FORMAT,
  withEpoch,
} from '../../../src/format/index.ts';
import type { ScryptKdf } from '../../../src/ports/kdf.ts';
import { BOB, PASSWORD } from './secrets.ts';

const NOT_AGE = new TextEncoder().encode('this is not an age file\n');
const CREATED = '2026-01-02T03:04:05.000Z';

function stored(cloud: MemoryCloud, account: string, path: string): Uint8Array {
  const bytes = cloud.files.snapshot()[account]?.[path];
  if (!bytes) throw new Error(`harness: ${account} has no ${path} to corrupt`);
  return bytes;
}

/** The last byte flipped: the age payload no longer authenticates. */
function flipLastBit(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  out[out.length - 1] = (out[out.length - 1] ?? 0) ^ 1;
  return out;
}

async function remove(cloud: MemoryCloud, account: string, path: string): Promise<void> {
  const signedIn = (await cloud.status()).account;
  cloud.device.setAccount(account);
  await cloud.delete(path);
  cloud.device.setAccount(signedIn);
}

/** Every backup file of the account deleted (say from another device) since the flow last looked. */
export async function wipeBackups({ cloud, account }: CorruptionDeps): Promise<void> {
  for (const path of Object.keys(cloud.files.snapshot()[account] ?? {})) await remove(cloud, account, path);
}

export interface CorruptionDeps {
  cloud: MemoryCloud;
  account: string;
  kdf: ScryptKdf;
  scryptLogN: number;
}

/** The manifest as loadKeyring and listBackups meet it: malformed, from the future, or another account's. */
export async function corruptManifest({ cloud, account }: CorruptionDeps, reason: RecordProblem): Promise<void> {
  if (reason === 'missing') {
    // The manifest lists the latest epoch, but every keyring file is gone.
    const files = cloud.files.snapshot()[account] ?? {};
    const keyrings = Object.keys(files).filter((p) => p.startsWith(`${KEYRINGS_FOLDER}/`));
    const latest = Math.max(1, ...keyrings.map((p) => Number(/(\d+)\.age$/.exec(p)?.[1])));
    const listed = files[MANIFEST_PATH] ? decodeManifest(files[MANIFEST_PATH], account) : emptyManifest(account);
    cloud.files.put(account, MANIFEST_PATH, encodeManifest(withEpoch(listed, latest, CREATED)));
    for (const path of keyrings) await remove(cloud, account, path);
    return;
  }
  const manifest = JSON.parse(new TextDecoder().decode(stored(cloud, account, MANIFEST_PATH))) as Record<string, unknown>;
  const changed =
    reason === 'malformed'
      ? '{"format": "wallet-backup-engine/manifest", "version": 1, "wallets": ['
      : reason === 'unsupported-version'
        ? JSON.stringify({ ...manifest, version: 2 })
        : JSON.stringify({ ...manifest, accountId: BOB }); // metadata-mismatch: moved from Bob's folder
  cloud.files.put(account, MANIFEST_PATH, new TextEncoder().encode(changed));
}

/** The keyring of epoch 1, as unlockKeyring opens it with the right password. */
export async function corruptKeyring(deps: CorruptionDeps, reason: RecordProblem): Promise<void> {
  const { cloud, account, kdf, scryptLogN } = deps;
  const path = keyringPath(1);
  let bytes: Uint8Array;
  switch (reason) {
    case 'missing':
      return remove(cloud, account, path);
    case 'malformed':
      bytes = NOT_AGE;
      break;
    case 'tampered':
      bytes = flipLastBit(stored(cloud, account, path));
      break;
    case 'unsupported-version': {
      const text = keyringText(account, 1, CREATED, await generateX25519Identity()).replace(' v1\n', ' v2\n');
      bytes = await encryptAgeFile(new TextEncoder().encode(text), new ScryptStanzaRecipient(PASSWORD, scryptLogN, kdf));
      break;
    }
    case 'metadata-mismatch':
      // Bob's keyring, same password, copied into this account's folder.
      bytes = (await createKeyring({ accountId: BOB, epoch: 1, password: PASSWORD, kdf, logN: scryptLogN, now: new Date(CREATED) })).bytes;
      break;
    default:
      throw new Error(`harness: no keyring corruption "${reason}"`);
  }
  cloud.files.put(account, path, bytes);
}

async function epochRecipient({ cloud, account, kdf }: CorruptionDeps): Promise<string> {
  const identity = await openKeyring(stored(cloud, account, keyringPath(1)), PASSWORD, { accountId: account, epoch: 1 }, kdf);
  return identity.recipient;
}

async function sealedPayload(deps: CorruptionDeps, fields: Record<string, unknown>): Promise<Uint8Array> {
  const plaintext = new TextEncoder().encode(`${JSON.stringify(fields, null, 2)}\n`);
  return encryptAgeFile(plaintext, await epochRecipient(deps));
}

/** A wallet record, as decryptWallet opens it with the epoch identity. */
export async function corruptRecord(deps: CorruptionDeps, reason: RecordProblem, walletId: string, otherWalletId: string | null): Promise<void> {
  const { cloud, account } = deps;
  const path = walletRecordPath(walletId, 1);
  const payload = { format: WALLET_FORMAT, version: 1, walletId, accountId: account, epoch: 1, name: 'Main', words: 12, createdAt: CREATED };
  let bytes: Uint8Array;
  switch (reason) {
    case 'missing':
      return remove(cloud, account, path);
    case 'malformed':
      bytes = NOT_AGE;
      break;
    case 'tampered':
      bytes = flipLastBit(stored(cloud, account, path));
      break;
    case 'unsupported-version':
      bytes = await sealedPayload(deps, { ...payload, version: 2, mnemonic: 'from the future' });
      break;
    case 'metadata-mismatch':
      if (otherWalletId === null) throw new Error('harness: a moved record needs a second wallet');
      bytes = stored(cloud, account, walletRecordPath(otherWalletId, 1));
      break;
    case 'invalid-mnemonic':
      bytes = await sealedPayload(deps, { ...payload, mnemonic: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon' });
      break;
  }
  cloud.files.put(account, path, bytes);
}

/** Another device binds `epoch` first, with its own password: its keyring is there when this flow creates its own (KEYRING.TAKEN). */
export async function keyringMadeElsewhere(deps: CorruptionDeps, epoch: number, password: string): Promise<void> {
  const { cloud, account, kdf, scryptLogN } = deps;
  const keyring = await createKeyring({ accountId: account, epoch, password, kdf, logN: scryptLogN, now: new Date(CREATED) });
  cloud.files.put(account, keyringPath(epoch), keyring.bytes);
}

/** The latest keyring replaced by a file larger than any keyring may be (loadKeyring refuses it unread: KEYRING.CORRUPT malformed). */
export function oversizeKeyring({ cloud, account }: CorruptionDeps, epoch: number): void {
  cloud.files.put(account, keyringPath(epoch), new Uint8Array(READ_LIMITS.keyring.maxBytes + 1));
}

/** Every keyring file gone, the listing entries left: the epoch they name has no keyring (KEYRING.CORRUPT missing at loadKeyring). */
export async function removeKeyrings({ cloud, account }: CorruptionDeps): Promise<void> {
  const files = cloud.files.snapshot()[account] ?? {};
  const keyrings = Object.keys(files).filter((p) => p.startsWith(`${KEYRINGS_FOLDER}/`));
  const latest = Math.max(1, ...keyrings.map((p) => Number(/(\d+)\.age$/.exec(p)?.[1])));
  // The epoch must name a listed wallet (a keyring made elsewhere may have none yet): list one.
  if (!Object.keys(files).some((p) => p.startsWith(`${LISTING_FOLDER}/epoch-${latest}/`))) {
    const walletId = 'w-00000000000000ee';
    const entry = { accountId: account, walletId, epoch: latest, name: 'Elsewhere', words: 12 as const, createdAt: CREATED, updatedAt: CREATED };
    cloud.files.put(account, listingEntryPath(walletId, latest), encodeListingEntry(entry));
  }
  for (const path of keyrings) await remove(cloud, account, path);
}
