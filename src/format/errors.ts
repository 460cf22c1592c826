/**
 * RecordError: the one error type of the record format (E2, E6).
 *
 * Every way a cloud record can fail to open is decided here, at the format boundary, as a typed
 * code, so the engine can turn it into a named machine event and the user gets a message that
 * names the problem and the fix. Messages never contain a password, a mnemonic or a key (R6).
 */

export type RecordErrorCode =
  /** The backup password does not open the keyring (R10). */
  | 'wrong-password'
  /** The bytes are not a well-formed age file or record of ours. */
  | 'malformed'
  /** The age authentication failed: the file was altered, truncated, or not made for this key. */
  | 'tampered'
  /** A well-formed record of a format version this code does not know (E2). */
  | 'unsupported-version'
  /** The record opens but belongs to another account, epoch or wallet (E1). */
  | 'metadata-mismatch'
  /** The mnemonic is not a valid BIP39 phrase (R16). */
  | 'invalid-mnemonic';

export class RecordError extends Error {
  override readonly name = 'RecordError';
  constructor(
    readonly code: RecordErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isRecordError(error: unknown, code?: RecordErrorCode): error is RecordError {
  return error instanceof RecordError && (code === undefined || error.code === code);
}

/** The message every wrong-password failure carries, so the UI and the CLI say the same thing. */
export const WRONG_PASSWORD_MESSAGE =
  'The backup password is wrong: one wrong character is enough. ' +
  'Check Caps Lock, spaces before or after, and similar-looking characters (0/O, l/I/1), then try again. ' +
  'There is no way to reset it.';
