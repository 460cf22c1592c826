/**
 * The backup flow (R1..R5, R8..R13, R15, R16, E3), as a pure XState v5 statechart.
 *
 *   checkingMnemonic -> checkingProvider -> loadingKeyring
 *     no keyring (first backup)        -> choosingPassword -> creatingKeyring  (binding, R4)
 *     keyring found                    -> enteringPassword -> unlockingKeyring (verify, R5)
 *        wrong password                -> enteringPassword with hints (R10)
 *        forgotten / --new-password    -> choosingPassword -> creatingKeyring  (new epoch, R8)
 *   -> encrypting -> uploading (storage full waits for SPACE.FREED, R12)
 *   -> verifying (read back, E3) -> publishing (manifest) -> done
 *   signed out or another account on the way -> accountChanged (R11); HMS Core lost -> hmsUnavailable (R13)
 *
 * No invoke, no after, no clock: the engine runs each state's `meta.effect` and answers with
 * an event (E5). Guards read only non-secret facts carried by events.
 */
import { assign, setup } from 'xstate';
import type { BackupEvent, PasswordHint, ProviderId, PhraseWordCount } from './events.ts';
import { cloudStep, providerCheckActions, providerCheckStates } from './provider-check.ts';
import { effect, outcome, waitsFor } from './state-meta.ts';

export const BACKUP_MACHINE_ID = 'backup';
export const BACKUP_MACHINE_VERSION = 1;

export interface BackupInput {
  provider: ProviderId;
  walletName: string;
  /** Start a new password epoch even though the account has a keyring (R8). */
  newEpoch?: boolean;
  /** The account the app expects to be signed in, when it knows one (R11). */
  expectedAccount?: string | null;
  /** The person confirmed a written, offline copy of the mnemonic (R17). */
  offlineCopyConfirmed?: boolean;
}

export interface BackupContext {
  provider: ProviderId;
  walletName: string;
  newEpochRequested: boolean;
  expectedAccount: string | null;
  offlineCopyConfirmed: boolean;
  words: PhraseWordCount | null;
  account: string | null;
  /** The wrong account signed in, when the check found one. */
  actualAccount: string | null;
  hmsProblem: 'missing' | 'outdated' | null;
  /** Latest epoch found in the cloud, then the epoch this backup is encrypted under. */
  epoch: number | null;
  binding: boolean;
  passwordProblem: 'too-short' | 'mismatch' | null;
  wrongPasswordAttempts: number;
  hints: PasswordHint[];
  walletId: string | null;
  neededBytes: number | null;
  failure: string | null;
}

const ID = BACKUP_MACHINE_ID;

export const backupMachine = setup({
  types: {
    input: {} as BackupInput,
    context: {} as BackupContext,
    events: {} as BackupEvent,
  },
  guards: {
    passwordTooShort: ({ event }) => event.type === 'PASSWORD.CHOSEN' && event.tooShort,
    passwordMismatch: ({ event }) => event.type === 'PASSWORD.CHOSEN' && event.mismatch,
    newEpochRequested: ({ context }) => context.newEpochRequested,
  },
  actions: {
    ...providerCheckActions<BackupContext, BackupEvent>(),
    rememberNeededBytes: assign({
      neededBytes: ({ event }) => (event.type === 'UPLOAD.QUOTA_EXCEEDED' ? event.neededBytes : null),
    }),
  },
}).createMachine({
  id: ID,
  version: String(BACKUP_MACHINE_VERSION),
  context: ({ input }) => ({
    provider: input.provider,
    walletName: input.walletName,
    newEpochRequested: input.newEpoch === true,
    expectedAccount: input.expectedAccount ?? null,
    offlineCopyConfirmed: input.offlineCopyConfirmed === true,
    words: null,
    account: null,
    actualAccount: null,
    hmsProblem: null,
    epoch: null,
    binding: false,
    passwordProblem: null,
    wrongPasswordAttempts: 0,
    hints: [],
    walletId: null,
    neededBytes: null,
    failure: null,
  }),
  initial: 'checkingMnemonic',
  states: {
    // R16: an invalid phrase is refused before anything is derived or uploaded.
    checkingMnemonic: {
      ...effect('checkMnemonic'),
      on: {
        'MNEMONIC.VALID': {
          target: 'checkingProvider',
          actions: assign({ words: ({ event }) => event.words }),
        },
        'MNEMONIC.INVALID': {
          target: 'invalidMnemonic',
          actions: assign({ failure: ({ event }) => event.reason }),
        },
      },
    },
    ...providerCheckStates(ID, 'loadingKeyring', { 'PROVIDER.INACTIVE': `#${ID}.providerInactive` }),
    // R15: a device backs up to its one active provider only.
    providerInactive: outcome('failed', 'provider-inactive'),
    loadingKeyring: cloudStep(ID, 'loadKeyring', {
      'KEYRING.NONE': {
        target: `#${ID}.choosingPassword`,
        actions: assign({ binding: true, epoch: null }),
      },
      'KEYRING.FOUND': [
        {
          guard: 'newEpochRequested',
          target: `#${ID}.choosingPassword`,
          actions: assign({ binding: false, epoch: ({ event }) => event.epoch }),
        },
        {
          target: `#${ID}.enteringPassword`,
          actions: assign({ binding: false, epoch: ({ event }) => event.epoch }),
        },
      ],
      'KEYRING.CORRUPT': {
        target: `#${ID}.keyringCorrupt`,
        actions: assign({ failure: ({ event }) => event.reason }),
      },
      'ACCOUNT.CHANGED': `#${ID}.accountChanged`,
    }),
    // R3/R4/R8: a new password, at least 6 characters, entered twice.
    choosingPassword: {
      ...waitsFor(['PASSWORD.CHOSEN', 'CANCEL']),
      on: {
        'PASSWORD.CHOSEN': [
          { guard: 'passwordTooShort', actions: assign({ passwordProblem: 'too-short' }) },
          { guard: 'passwordMismatch', actions: assign({ passwordProblem: 'mismatch' }) },
          { target: 'creatingKeyring', actions: assign({ passwordProblem: null }) },
        ],
        CANCEL: 'cancelled',
      },
    },
    creatingKeyring: {
      ...effect('createKeyring'),
      on: {
        'KEYRING.CREATED': {
          target: 'encrypting',
          actions: assign({ epoch: ({ event }) => event.epoch }),
        },
      },
    },
    // R5: a later backup verifies the account's password; R10: wrong -> hints, try again.
    enteringPassword: {
      ...waitsFor(['PASSWORD.ENTERED', 'PASSWORD.FORGOTTEN', 'CANCEL']),
      on: {
        'PASSWORD.ENTERED': 'unlockingKeyring',
        'PASSWORD.FORGOTTEN': {
          target: 'choosingPassword',
          actions: assign({ newEpochRequested: true, hints: [] }),
        },
        CANCEL: 'cancelled',
      },
    },
    unlockingKeyring: {
      ...effect('unlockKeyring'),
      on: {
        'KEYRING.UNLOCKED': {
          target: 'encrypting',
          actions: assign({ epoch: ({ event }) => event.epoch, hints: [] }),
        },
        'KEYRING.WRONG_PASSWORD': {
          target: 'enteringPassword',
          actions: assign({
            hints: ({ event }) => event.hints,
            wrongPasswordAttempts: ({ context }) => context.wrongPasswordAttempts + 1,
          }),
        },
        'KEYRING.CORRUPT': {
          target: 'keyringCorrupt',
          actions: assign({ failure: ({ event }) => event.reason }),
        },
        // No NETWORK.FAILED: unlocking opens the keyring bytes loadingKeyring already read, in
        // memory; the model-based tests found the old network branch unreachable.
      },
    },
    encrypting: {
      ...effect('encryptWallet'),
      on: {
        'WALLET.ENCRYPTED': {
          target: 'uploading',
          actions: assign({ walletId: ({ event }) => event.walletId }),
        },
      },
    },
    // R12: storage full waits for the person to free space; nothing half-written stays.
    uploading: cloudStep(
      ID,
      'upload',
      { 'UPLOAD.DONE': `#${ID}.verifying`, 'ACCOUNT.CHANGED': `#${ID}.accountChanged` },
      { writes: true },
    ),
    // E3: read back; the keyring byte for byte, the wallet record decrypted in memory.
    verifying: cloudStep(ID, 'verifyUpload', {
      'VERIFY.OK': `#${ID}.publishing`,
      'VERIFY.MISMATCH': {
        target: `#${ID}.verifyFailed`,
        actions: assign({ failure: ({ event }) => event.path }),
      },
      'ACCOUNT.CHANGED': `#${ID}.accountChanged`,
    }),
    verifyFailed: {
      ...waitsFor(['RETRY', 'CANCEL'], 'verify-mismatch'),
      on: { RETRY: 'uploading', CANCEL: 'cancelled' },
    },
    // Only a verified wallet enters the manifest, so a listing never shows a half backup.
    publishing: cloudStep(
      ID,
      'publishManifest',
      { 'MANIFEST.PUBLISHED': `#${ID}.done`, 'ACCOUNT.CHANGED': `#${ID}.accountChanged` },
      { writes: true },
    ),
    done: outcome('done'),
    invalidMnemonic: outcome('failed', 'invalid-mnemonic'),
    keyringCorrupt: outcome('failed', 'corrupt'),
    accountChanged: outcome('failed', 'account-changed'),
  },
  output: ({ context }) => ({
    account: context.account,
    epoch: context.epoch,
    walletId: context.walletId,
  }),
});

export type BackupMachine = typeof backupMachine;
