/**
 * The restore flow (R8, R10, R11, R14, E1, E2), as a pure XState v5 statechart.
 *
 *   checkingProvider -> listing (the account's manifest)
 *     none -> noBackups: wrong-account guidance (R11), RETRY after signing in to the right one
 *   -> choosingWallet -> enteringPassword (of that wallet's epoch, R8)
 *   -> unlockingKeyring (wrong -> enteringPassword with hints, R10)
 *   -> decrypting (metadata checked, E1) -> validating (BIP39, R16) -> done
 *   corrupt, tampered, moved or unknown-version record -> recordCorrupt (E2)
 *   signed out or into another account on the way -> checkingProvider again (R11)
 *
 * Works on an empty local database (R14): everything it needs is in the cloud.
 */
import { assign, setup } from 'xstate';
import type { BackupEntry, PasswordHint, ProviderId, RecordProblem, RestoreEvent, PhraseWordCount } from './events.ts';
import { cloudStep, providerCheckActions, providerCheckStates } from './provider-check.ts';
import { effect, outcome, waitsFor } from './state-meta.ts';

export const RESTORE_MACHINE_ID = 'restore';
export const RESTORE_MACHINE_VERSION = 1;

export interface RestoreInput {
  provider: ProviderId;
  expectedAccount?: string | null;
}

export interface RestoreContext {
  provider: ProviderId;
  expectedAccount: string | null;
  account: string | null;
  actualAccount: string | null;
  hmsProblem: 'missing' | 'outdated' | null;
  wallets: BackupEntry[];
  /** Accounts this device's own history saw backing up to this provider (R11). */
  knownAccounts: string[];
  walletId: string | null;
  epoch: number | null;
  wrongPasswordAttempts: number;
  hints: PasswordHint[];
  words: PhraseWordCount | null;
  failure: RecordProblem | 'invalid-mnemonic' | null;
}

const ID = RESTORE_MACHINE_ID;
const corrupt = (reason: RecordProblem) => reason;

export const restoreMachine = setup({
  types: {
    input: {} as RestoreInput,
    context: {} as RestoreContext,
    events: {} as RestoreEvent,
  },
  guards: {
    walletListed: ({ context, event }) =>
      event.type === 'WALLET.CHOSEN' && context.wallets.some((w) => w.walletId === event.walletId),
  },
  actions: {
    ...providerCheckActions<RestoreContext, RestoreEvent>(),
  },
}).createMachine({
  id: ID,
  version: String(RESTORE_MACHINE_VERSION),
  context: ({ input }) => ({
    provider: input.provider,
    expectedAccount: input.expectedAccount ?? null,
    account: null,
    actualAccount: null,
    hmsProblem: null,
    wallets: [],
    knownAccounts: [],
    walletId: null,
    epoch: null,
    wrongPasswordAttempts: 0,
    hints: [],
    words: null,
    failure: null,
  }),
  initial: 'checkingProvider',
  states: {
    ...providerCheckStates(ID, 'listing'),
    listing: cloudStep(ID, 'listBackups', {
      'BACKUPS.FOUND': {
        target: `#${ID}.choosingWallet`,
        actions: assign({ wallets: ({ event }) => event.wallets }),
      },
      'BACKUPS.NONE': {
        target: `#${ID}.noBackups`,
        actions: assign({ knownAccounts: ({ event }) => event.knownAccounts, wallets: [] }),
      },
      'MANIFEST.CORRUPT': {
        target: `#${ID}.recordCorrupt`,
        actions: assign({ failure: ({ event }) => corrupt(event.reason) }),
      },
      'ACCOUNT.CHANGED': `#${ID}.checkingProvider`,
    }),
    // R11: backups live only in the account that made them; say so, and let the person retry.
    noBackups: {
      ...waitsFor(['RETRY', 'CANCEL'], 'no-backups'),
      on: { RETRY: 'checkingProvider', CANCEL: 'cancelled' },
    },
    choosingWallet: {
      ...waitsFor(['WALLET.CHOSEN', 'CANCEL']),
      on: {
        'WALLET.CHOSEN': {
          guard: 'walletListed',
          target: 'enteringPassword',
          actions: assign(({ context, event }) => {
            const wallet = context.wallets.find((w) => w.walletId === event.walletId);
            return { walletId: event.walletId, epoch: wallet ? wallet.epoch : null };
          }),
        },
        CANCEL: 'cancelled',
      },
    },
    enteringPassword: {
      ...waitsFor(['PASSWORD.ENTERED', 'CANCEL']),
      on: { 'PASSWORD.ENTERED': 'unlockingKeyring', CANCEL: 'cancelled' },
    },
    unlockingKeyring: cloudStep(ID, 'unlockKeyring', {
      'KEYRING.UNLOCKED': { target: `#${ID}.decrypting`, actions: assign({ hints: [] }) },
      'KEYRING.WRONG_PASSWORD': {
        target: `#${ID}.enteringPassword`,
        actions: assign({
          hints: ({ event }) => event.hints,
          wrongPasswordAttempts: ({ context }) => context.wrongPasswordAttempts + 1,
        }),
      },
      'KEYRING.CORRUPT': {
        target: `#${ID}.recordCorrupt`,
        actions: assign({ failure: ({ event }) => corrupt(event.reason) }),
      },
      'ACCOUNT.CHANGED': `#${ID}.checkingProvider`,
    }),
    decrypting: cloudStep(ID, 'decryptWallet', {
      'WALLET.DECRYPTED': `#${ID}.validating`,
      'RECORD.CORRUPT': {
        target: `#${ID}.recordCorrupt`,
        actions: assign({ failure: ({ event }) => corrupt(event.reason) }),
      },
      'ACCOUNT.CHANGED': `#${ID}.checkingProvider`,
    }),
    validating: {
      ...effect('validateMnemonic'),
      on: {
        'MNEMONIC.VALID': { target: 'done', actions: assign({ words: ({ event }) => event.words }) },
        // No MNEMONIC.INVALID: opening the record already refuses an invalid phrase
        // (RECORD.CORRUPT 'invalid-mnemonic' from decrypting); the model-based tests found the old
        // branch unreachable.
      },
    },
    done: outcome('done'),
    recordCorrupt: outcome('failed', 'corrupt'),
  },
  output: ({ context }) => ({
    account: context.account,
    walletId: context.walletId,
    epoch: context.epoch,
    words: context.words,
  }),
});

export type RestoreMachine = typeof restoreMachine;
