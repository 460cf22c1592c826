/**
 * The identifiers and times that records and the manifest carry, and what makes them valid.
 *
 * They end up in cloud paths (wallet ids, epochs) and in the comment lines of the keyring, an
 * age identity file read line by line, so none may contain a '/', a '..' or a line break.
 */

/** A cloud account id as the provider reports it (an e-mail address, a user id): no control characters. */
export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 320 && !/[\p{Cc}\u2028\u2029]/u.test(value);
}

/** Password epochs count from 1; a new password starts the next one (R8). */
export function isEpoch(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

/** Safe as a file name on every provider: letters, digits, '-' and '_'. */
export const WALLET_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isWalletId(value: unknown): value is string {
  return typeof value === 'string' && WALLET_ID_PATTERN.test(value);
}

const ISO_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 date-time with a zone, as Date.prototype.toISOString writes. */
export function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_TIME_PATTERN.test(value) && !Number.isNaN(Date.parse(value));
}

export function assertAccountId(value: unknown): asserts value is string {
  if (!isAccountId(value)) throw new RangeError('account id must be a non-empty string without control characters');
}

export function assertEpoch(value: unknown): asserts value is number {
  if (!isEpoch(value)) throw new RangeError(`epoch must be an integer of at least 1, got ${String(value)}`);
}

export function assertWalletId(value: unknown): asserts value is string {
  if (!isWalletId(value)) throw new RangeError(`wallet id must match ${WALLET_ID_PATTERN}, got ${JSON.stringify(value)}`);
}

export function assertIsoTime(value: unknown): asserts value is string {
  if (!isIsoTime(value)) throw new RangeError(`time must be an ISO-8601 string such as 2025-01-31T12:00:00.000Z, got ${JSON.stringify(value)}`);
}
