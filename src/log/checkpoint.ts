/**
 * Log checkpoints ("anchors"): the head of this device's event log, written into the cloud
 * account beside the backups after every completed backup, so that a log cut or rewritten
 * after that point can be told from the one that was (issue 4, E4).
 *
 * A hash chain alone proves only that the rows agree with each other: whoever holds the SQLite
 * file can cut its tail, or rewrite any row and recompute every hash after it. A checkpoint
 * kept elsewhere pins one row of the chain: audit compares the local log against it.
 *
 * CHECKPOINT FORMAT v1, clear JSON at `wallet-backup/checkpoints/<logId>.json`:
 *
 *   format, version     'wallet-backup-engine/log-checkpoint', 1
 *   logId               the hash of the log's first row: names the log (one file per log)
 *   deviceId            the engine's device id, or null
 *   provider, account   where the checkpoint was written
 *   epoch               the password epoch whose identity keyed the MAC
 *   seq, flowId,        the log's head when it was written: the last row this engine had
 *   position, hash      appended (after the backup's `done` row)
 *   writtenAt           ISO-8601
 *   mac                 hex HMAC-SHA256 over the canonical JSON array of the fields above, in
 *                       this order, keyed by checkpointKey(epoch identity)
 *
 * The MAC key is HMAC-SHA256(key = the epoch's age identity string, CHECKPOINT_KEY_DOMAIN): only
 * someone who can open that epoch's keyring (who knows the backup password) can make or check
 * one. The cloud provider, or anyone with the device's files but not the password, cannot forge
 * a checkpoint. Nothing in a checkpoint is secret and the key is never stored (R6).
 *
 * Browser-safe: @noble/hashes only.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { decodeUtf8Strict, encodeUtf8 } from '../text/utf8.ts';

export const CHECKPOINT_FORMAT = 'wallet-backup-engine/log-checkpoint';
export const CHECKPOINT_VERSION = 1;
export const CHECKPOINTS_FOLDER = 'wallet-backup/checkpoints';
export const CHECKPOINT_KEY_DOMAIN = 'wallet-backup-engine/log-checkpoint-key\0';

const HASH_RE = /^[0-9a-f]{64}$/;

/** Everything a checkpoint says, without its MAC. */
export interface CheckpointBody {
  logId: string;
  deviceId: string | null;
  provider: string;
  account: string;
  epoch: number;
  seq: number;
  flowId: string;
  position: number;
  hash: string;
  writtenAt: string;
}

export interface Checkpoint extends CheckpointBody {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  mac: string;
}

/** The cloud path of a log's checkpoint. */
export function checkpointPath(logId: string): string {
  if (!HASH_RE.test(logId)) throw new TypeError('A log id is the 64 lowercase hex digits of the log\'s first row hash');
  return `${CHECKPOINTS_FOLDER}/${logId}.json`;
}

/** The MAC key of an epoch: derived from its age identity (AGE-SECRET-KEY-1...), in memory only. */
export function checkpointKey(epochIdentity: string): Uint8Array {
  return hmac(sha256, encodeUtf8(epochIdentity), encodeUtf8(CHECKPOINT_KEY_DOMAIN));
}

function macText(body: CheckpointBody): string {
  return JSON.stringify([
    CHECKPOINT_FORMAT,
    CHECKPOINT_VERSION,
    body.logId,
    body.deviceId,
    body.provider,
    body.account,
    body.epoch,
    body.seq,
    body.flowId,
    body.position,
    body.hash,
    body.writtenAt,
  ]);
}

function macOf(body: CheckpointBody, key: Uint8Array): string {
  return bytesToHex(hmac(sha256, key, encodeUtf8(macText(body))));
}

export function sealCheckpoint(body: CheckpointBody, key: Uint8Array): Checkpoint {
  return { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, ...body, mac: macOf(body, key) };
}

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  return encodeUtf8(`${JSON.stringify(checkpoint, null, 2)}\n`);
}

/** Constant-time comparison of two hex strings of equal length. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** True when the checkpoint's MAC was made with this key (the epoch identity's). */
export function checkpointMacValid(checkpoint: Checkpoint, key: Uint8Array): boolean {
  return sameHex(macOf(checkpoint, key), checkpoint.mac);
}

export type DecodedCheckpoint = { ok: true; checkpoint: Checkpoint } | { ok: false; problem: string };

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Parses and checks the shape of a checkpoint file (not its MAC: that needs the key). */
export function decodeCheckpoint(bytes: Uint8Array): DecodedCheckpoint {
  const text = decodeUtf8Strict(bytes);
  if (text === null) return { ok: false, problem: 'it is not UTF-8 JSON' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { ok: false, problem: 'it is not UTF-8 JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, problem: 'it is not a JSON object' };
  const c = value as Record<string, unknown>;
  if (c.format !== CHECKPOINT_FORMAT) return { ok: false, problem: `its format is not ${CHECKPOINT_FORMAT}` };
  if (c.version !== CHECKPOINT_VERSION) return { ok: false, problem: `its version ${JSON.stringify(c.version)} is not one this build knows (${CHECKPOINT_VERSION})` };
  for (const field of ['logId', 'hash', 'mac'] as const) {
    if (typeof c[field] !== 'string' || !HASH_RE.test(c[field] as string)) return { ok: false, problem: `${field} must be 64 lowercase hex digits` };
  }
  for (const field of ['provider', 'account', 'flowId', 'writtenAt'] as const) {
    if (typeof c[field] !== 'string' || c[field] === '') return { ok: false, problem: `${field} must be a non-empty string` };
  }
  if (c.deviceId !== null && typeof c.deviceId !== 'string') return { ok: false, problem: 'deviceId must be a string or null' };
  for (const field of ['epoch', 'seq', 'position'] as const) {
    if (!isIndex(c[field])) return { ok: false, problem: `${field} must be a whole number` };
  }
  const checkpoint: Checkpoint = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    logId: c.logId as string,
    deviceId: c.deviceId as string | null,
    provider: c.provider as string,
    account: c.account as string,
    epoch: c.epoch as number,
    seq: c.seq as number,
    flowId: c.flowId as string,
    position: c.position as number,
    hash: c.hash as string,
    writtenAt: c.writtenAt as string,
    mac: c.mac as string,
  };
  return { ok: true, checkpoint };
}
