/**
 * Event payload variants shared by the machines' models: the provider check every flow starts
 * with (R11, R13, R15), network failures, the password hints (R10) and the corruption reasons
 * each effect can really produce (E2).
 *
 * A variant is an event the model may send. Payload values that only the real world decides
 * (WORLD_FIELDS: an epoch, a wallet id, byte counts) are placeholders here; a run against the
 * real engine must reproduce every other field exactly (accounts included: Alice is the model's
 * account, Bob the other one).
 * Browser-safe.
 */
import type { MnemonicProblem, PasswordHint, ProviderId, RecordProblem } from '../../machines/events.ts';
import { leafMeta } from '../../machines/state-meta.ts';

export type ModelEvent = { type: string } & Record<string, unknown>;

export const MODEL_ACCOUNT = 'alice@example.com';
export const MODEL_OTHER_ACCOUNT = 'bob@example.com';
export const MODEL_WALLET_ID = 'w-0123456789abcdef';
export const PROVIDERS: readonly ProviderId[] = ['icloud', 'gdrive', 'huawei'];

/** Payload fields whose value only the world decides (epochs, ids, sizes, paths); a run must reproduce every other field. */
export const WORLD_FIELDS: readonly string[] = ['epoch', 'walletId', 'bytes', 'neededBytes', 'path', 'wallets', 'delayMs'];

/** The payload fields a description of a path shows. */
export const DISCRIMINATING_FIELDS = ['words', 'reason', 'hints', 'active', 'tooShort', 'mismatch', 'operation', 'knownAccounts'] as const;

export const MNEMONIC_PROBLEMS: readonly MnemonicProblem[] = ['wrong-length', 'unknown-word', 'bad-checksum'];

/** No hint, each hint alone, and all three at once (R10). */
export const HINT_SETS: readonly PasswordHint[][] = [
  [],
  ['caps-lock'],
  ['leading-or-trailing-space'],
  ['look-alike-characters'],
  ['caps-lock', 'leading-or-trailing-space', 'look-alike-characters'],
];

/**
 * The corruption reasons each effect can produce against a real cloud, by effect name. A reason
 * the effect cannot produce is left out, so the model never asks the world for the impossible
 * (backup's loadKeyring does not open the keyring, so it cannot see it tampered; backup's
 * unlockKeyring opens the bytes loadKeyring read, so it cannot find them missing).
 */
export const CORRUPTION_REASONS: Readonly<Record<string, readonly RecordProblem[]>> = {
  // Backup v2 reads no manifest: a keyring over its size cap, or an epoch with listed wallets
  // whose keyring is gone, is refused before the unlock.
  loadKeyring: ['malformed', 'missing'],
  unlockKeyring: ['malformed', 'tampered', 'unsupported-version', 'metadata-mismatch', 'missing'],
  backupUnlockKeyring: ['malformed', 'tampered', 'unsupported-version', 'metadata-mismatch'],
  decryptWallet: ['missing', 'malformed', 'tampered', 'unsupported-version', 'metadata-mismatch', 'invalid-mnemonic'],
};

interface SnapshotLike {
  context: unknown;
  getMeta(): Record<string, unknown>;
}

/** The running effect's name: NETWORK.FAILED carries it as `operation`, as withCloud does. */
export function runningEffect(snapshot: SnapshotLike): string {
  return leafMeta(snapshot).effect ?? 'none';
}

/** Outcomes of the provider check, as far as the flow's input makes them possible. */
export function providerCheckVariants(provider: ProviderId, expectedAccount: string | null): ModelEvent[] {
  return [
    { type: 'PROVIDER.READY', account: expectedAccount ?? MODEL_ACCOUNT },
    { type: 'PROVIDER.NOT_SIGNED_IN' },
    // Only an app that names the expected account can be told it is the wrong one (R11).
    ...(expectedAccount === null ? [] : [{ type: 'PROVIDER.WRONG_ACCOUNT', expected: expectedAccount, actual: MODEL_OTHER_ACCOUNT }]),
    // Only Huawei Cloud needs HMS Core (R13).
    ...(provider === 'huawei' ? [{ type: 'PROVIDER.HMS_MISSING' }, { type: 'PROVIDER.HMS_OUTDATED' }] : []),
  ];
}

export function networkVariant(snapshot: SnapshotLike): ModelEvent {
  return { type: 'NETWORK.FAILED', operation: runningEffect(snapshot) };
}

/** The reason of the transient failure the model's world makes (test/model/harness/world.ts). */
export const MODEL_RETRY_REASON = 'connection dropped';

/** Tries per step in the model's world (the harness engine's RetryPolicy.attempts): one retry, then the budget is spent. */
export const MODEL_RETRY_ATTEMPTS = 2;

/**
 * Machines version 3: a running cloud step meets a transient failure with budget left
 * (NETWORK.RETRYING, the try it is, the delay the world's policy decides), and its backingOff
 * answers BACKOFF.DONE. Offered wherever the machine can take them (retry-states.ts).
 */
export function retryVariants(snapshot: SnapshotLike): ModelEvent[] {
  const effect = runningEffect(snapshot);
  if (effect === 'none') return [{ type: 'BACKOFF.DONE' }];
  const retry = (snapshot.context as { retry?: { attempt: number } | null }).retry;
  const attempt = (retry?.attempt ?? 0) + 1;
  // The try that fails is `attempt`; with the budget spent it is NETWORK.FAILED instead.
  if (attempt >= MODEL_RETRY_ATTEMPTS) return [{ type: 'BACKOFF.DONE' }];
  return [
    { type: 'NETWORK.RETRYING', operation: effect, attempt, delayMs: 0, reason: MODEL_RETRY_REASON },
    { type: 'BACKOFF.DONE' },
  ];
}

/** The signed-in account changed under a running cloud step: to another account, or signed out (R11). */
export function accountChangedVariants(): ModelEvent[] {
  return [
    { type: 'ACCOUNT.CHANGED', account: MODEL_OTHER_ACCOUNT },
    { type: 'ACCOUNT.CHANGED', account: null },
  ];
}

export function wrongPasswordVariants(): ModelEvent[] {
  return HINT_SETS.map((hints) => ({ type: 'KEYRING.WRONG_PASSWORD', hints: [...hints] }));
}

export const USER_VARIANTS: readonly ModelEvent[] = [{ type: 'RETRY' }, { type: 'CANCEL' }];

/** The phrase lengths the simple paths carry; the other BIP39 lengths (15, 18, 21) take the shortest paths only. */
export const COMMON_WORD_COUNTS: readonly number[] = [12, 24];
export const OTHER_WORD_COUNTS: readonly number[] = [15, 18, 21];

/** Variants kept to the shortest paths: each transition and variant is still taken, without multiplying the simple paths. */
export function shortestPathsOnly(event: ModelEvent): boolean {
  if (event.type === 'EFFECT.FAILED' || event.type === 'KEYRING.TAKEN') return true;
  return event.type === 'MNEMONIC.VALID' && OTHER_WORD_COUNTS.includes(event.words as number);
}

/** The message the test harness's injected failure carries (test/model/harness/scripted-drive.ts). */
export function injectedFailureMessage(effect: string): string {
  return `injected failure before ${effect} (the model's EFFECT.FAILED)`;
}

/** Machines version 2: any running effect can fail in a way no step expects. */
export function effectFailedVariants(snapshot: SnapshotLike): ModelEvent[] {
  const effect = runningEffect(snapshot);
  if (effect === 'none') return [];
  return [{ type: 'EFFECT.FAILED', effect, error: 'Error', code: null, message: injectedFailureMessage(effect) }];
}
