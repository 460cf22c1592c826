/**
 * Events the machines understand. None carries a secret: the engine keeps passwords and
 * mnemonics in a private per-flow slot and sends only facts about them (E5, R6). Every
 * effect's outcome arrives as one of these, so a redacted log replays exactly.
 */
export type ProviderId = 'icloud' | 'gdrive' | 'huawei';
export type PasswordHint = 'caps-lock' | 'leading-or-trailing-space' | 'look-alike-characters';
export type MnemonicProblem = 'wrong-length' | 'unknown-word' | 'bad-checksum';
export type RecordProblem =
  | 'malformed'
  | 'tampered'
  | 'unsupported-version'
  | 'metadata-mismatch'
  | 'invalid-mnemonic'
  | 'missing';

/** Outcomes of the provider check shared by every flow (R11, R13, R15). */
export type ProviderCheckEvent =
  | { type: 'PROVIDER.READY'; account: string }
  | { type: 'PROVIDER.NOT_SIGNED_IN' }
  | { type: 'PROVIDER.WRONG_ACCOUNT'; expected: string; actual: string }
  | { type: 'PROVIDER.HMS_MISSING' }
  | { type: 'PROVIDER.HMS_OUTDATED' };

/** What a person does at a waiting state. */
export type UserEvent = { type: 'RETRY' } | { type: 'CANCEL' };

/** Any effect that talks to the cloud can fail on the network; the user may retry. */
export type NetworkEvent =
  | { type: 'NETWORK.FAILED'; operation: string }
  /** Version 3: a transient failure with retry budget left; the step backs off (retry-states.ts). */
  | { type: 'NETWORK.RETRYING'; operation: string; attempt: number; delayMs: number; reason: string }
  | { type: 'BACKOFF.DONE' };

export type BackupEvent =
  | ProviderCheckEvent
  | UserEvent
  | NetworkEvent
  | { type: 'MNEMONIC.VALID'; words: PhraseWordCount }
  | { type: 'MNEMONIC.INVALID'; reason: MnemonicProblem }
  | { type: 'PROVIDER.INACTIVE'; active: ProviderId }
  | { type: 'KEYRING.NONE' }
  | { type: 'KEYRING.FOUND'; epoch: number }
  | { type: 'KEYRING.CORRUPT'; reason: RecordProblem }
  | { type: 'PASSWORD.CHOSEN'; tooShort: boolean; mismatch: boolean }
  | { type: 'PASSWORD.ENTERED' }
  | { type: 'PASSWORD.FORGOTTEN' }
  | { type: 'KEYRING.CREATED'; epoch: number }
  | { type: 'KEYRING.UNLOCKED'; epoch: number }
  | { type: 'KEYRING.WRONG_PASSWORD'; hints: PasswordHint[] }
  | { type: 'WALLET.ENCRYPTED'; walletId: string; bytes: number }
  | { type: 'UPLOAD.DONE' }
  | { type: 'UPLOAD.QUOTA_EXCEEDED'; neededBytes: number }
  | { type: 'ACCOUNT.CHANGED'; account: string | null }
  | { type: 'SPACE.FREED' }
  | { type: 'VERIFY.OK' }
  | { type: 'VERIFY.MISMATCH'; path: string }
  | { type: 'MANIFEST.PUBLISHED' };

/** The word counts of a BIP39 phrase (the machines only carry the number; src/format checks it). */
export type PhraseWordCount = 12 | 15 | 18 | 21 | 24;

export interface BackupEntry {
  walletId: string;
  /** Restore version 1 logged every wallet's name; version 2 logs ids and epochs only. */
  name?: string;
  epoch: number;
}

export type RestoreEvent =
  | ProviderCheckEvent
  | UserEvent
  | NetworkEvent
  | { type: 'BACKUPS.FOUND'; wallets: BackupEntry[] }
  | { type: 'BACKUPS.NONE'; knownAccounts: string[] }
  | { type: 'MANIFEST.CORRUPT'; reason: RecordProblem }
  | { type: 'WALLET.CHOSEN'; walletId: string }
  | { type: 'PASSWORD.ENTERED' }
  | { type: 'KEYRING.UNLOCKED'; epoch: number }
  | { type: 'KEYRING.WRONG_PASSWORD'; hints: PasswordHint[] }
  | { type: 'KEYRING.CORRUPT'; reason: RecordProblem }
  | { type: 'WALLET.DECRYPTED' }
  | { type: 'RECORD.CORRUPT'; reason: RecordProblem }
  | { type: 'MNEMONIC.VALID'; words: PhraseWordCount }
  | { type: 'MNEMONIC.INVALID'; reason: MnemonicProblem }
  /** Signed out or into another account since the check: check again (R11). */
  | { type: 'ACCOUNT.CHANGED'; account: string | null };

export type ProviderSwitchEvent =
  | ProviderCheckEvent
  | UserEvent
  | NetworkEvent
  | { type: 'CONFIRM' };
