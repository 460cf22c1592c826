/**
 * The machines' transitions, written out by hand from the requirements and checked on the pure
 * machines (no engine): for every declared transition (source, event, guard branch), the state
 * it leads to and exactly what it changes in the context; every state's meta (the effect the
 * engine runs, what a waiting state accepts, the outcome and reason of a final state); each
 * machine's initial context and output. The table must take every declared transition, so a
 * transition added to a machine needs a row here.
 *
 * The model-based suites (test/model) derive their paths from the machines themselves, so a
 * consistent change (a RETRY that goes elsewhere, an assign that drops a field) can pass them;
 * this table is the independent statement of what each transition does, and it runs in
 * milliseconds, which is what lets the mutation run (`npm run test:mutation`) kill a machine
 * mutant before the slow suites start.
 */
import { describe, expect, it } from 'vitest';
import { createActor, initialTransition, type AnyStateMachine, type StateValue } from 'xstate';
import {
  backupMachine,
  backupMachineV2,
  backupMachineV3,
  restoreMachineV3,
  providerSwitchMachineV3,
  currentRelease,
  findMachine,
  MACHINE_RELEASES,
  offlineCopyMachine,
  providerSwitchMachine,
  providerSwitchMachineV2,
  restoreMachine,
  restoreMachineV2,
  type ProviderId,
  type StateMeta,
} from '../../machines/index.ts';
import { createStepRecorder, machineCoverage, stateNodesOf, type ExecutedStep } from '../../src/model/index.ts';

type Ctx = Record<string, unknown>;
type Ev = { type: string; [key: string]: unknown };

interface Row {
  /** Dotted state path the transition starts from, e.g. 'loadingKeyring.running'. */
  from: string;
  event: Ev;
  /** Dotted state path it ends in (the same for a targetless transition). */
  to: string;
  /** Context overrides before the event (on top of the machine's initial context). */
  given?: Ctx;
  /** Exactly the context fields the transition changes, with their new values. */
  sets?: Ctx;
  /** The guard refuses: nothing happens (no transition taken). */
  ignored?: boolean;
}

function valueOf(path: string): StateValue {
  const [head, ...rest] = path.split('.');
  return rest.length === 0 ? head! : { [head!]: valueOf(rest.join('.')) };
}

interface Fired {
  value: StateValue;
  status: string;
  context: Ctx;
  output: unknown;
  before: Ctx;
  steps: ExecutedStep[];
}

function fire(machine: AnyStateMachine, input: Ctx, from: string, given: Ctx, event: Ev): Fired {
  const [initial] = initialTransition(machine, input as never);
  const snapshot = machine.resolveState({ value: valueOf(from), context: { ...(initial.context as Ctx), ...given } });
  const recorder = createStepRecorder();
  const actor = createActor(machine, { snapshot, input, inspect: recorder.inspect } as never);
  actor.start();
  actor.send(event as never);
  const next = actor.getSnapshot() as { value: StateValue; status: string; context: Ctx; output: unknown };
  actor.stop();
  return { value: next.value, status: next.status, context: next.context, output: next.output, before: snapshot.context as Ctx, steps: recorder.steps };
}

/** Runs the table against the machine, and checks the table takes every declared transition. */
function checkTable(machine: AnyStateMachine, input: Ctx, rows: Row[], extraSteps: () => ExecutedStep[] = () => []) {
  const steps: ExecutedStep[] = [];
  it.each(rows.map((row) => [`${row.from} --${row.event.type}--> ${row.to}${row.ignored ? ' (ignored)' : ''}`, row] as const))('%s', (_name, row) => {
    const fired = fire(machine, input, row.from, row.given ?? {}, row.event);
    expect(fired.value).toEqual(valueOf(row.to));
    expect(fired.context).toEqual({ ...fired.before, ...(row.sets ?? {}) });
    const taken = fired.steps.flatMap((s) => s.transitions);
    if (row.ignored) expect(taken).toEqual([]);
    else expect(taken).toHaveLength(1);
    steps.push(...fired.steps);
  });
  it('the table takes every transition the machine declares', () => {
    const coverage = machineCoverage(machine, [...steps, ...extraSteps()]);
    expect(coverage.transitions.missing).toEqual([]);
    expect(coverage.states.missing).toEqual([]);
  });
}

/** The provider check every flow starts with (R11, R13); `ready` is where PROVIDER.READY leads. */
function providerCheckRows(ready: string): Row[] {
  const rows: Row[] = [
    {
      from: 'checkingProvider.running',
      event: { type: 'PROVIDER.READY', account: 'alice@example.com' },
      to: ready,
      given: { account: null, actualAccount: 'mallory@example.com', hmsProblem: 'outdated' },
      sets: { account: 'alice@example.com', actualAccount: null, hmsProblem: null },
    },
    { from: 'checkingProvider.running', event: { type: 'PROVIDER.NOT_SIGNED_IN' }, to: 'notSignedIn' },
    {
      from: 'checkingProvider.running',
      event: { type: 'PROVIDER.WRONG_ACCOUNT', expected: 'alice@example.com', actual: 'mallory@example.com' },
      to: 'wrongAccount',
      sets: { actualAccount: 'mallory@example.com' },
    },
    { from: 'checkingProvider.running', event: { type: 'PROVIDER.HMS_MISSING' }, to: 'hmsUnavailable', given: { hmsProblem: 'outdated' }, sets: { hmsProblem: 'missing' } },
    { from: 'checkingProvider.running', event: { type: 'PROVIDER.HMS_OUTDATED' }, to: 'hmsUnavailable', given: { hmsProblem: 'missing' }, sets: { hmsProblem: 'outdated' } },
    { from: 'checkingProvider.running', event: { type: 'NETWORK.FAILED', operation: 'whoami' }, to: 'checkingProvider.networkError' },
    { from: 'checkingProvider.networkError', event: { type: 'RETRY' }, to: 'checkingProvider.running' },
    { from: 'checkingProvider.networkError', event: { type: 'CANCEL' }, to: 'cancelled' },
  ];
  for (const waiting of ['notSignedIn', 'wrongAccount', 'hmsUnavailable']) {
    rows.push({ from: waiting, event: { type: 'RETRY' }, to: 'checkingProvider.running' });
    rows.push({ from: waiting, event: { type: 'CANCEL' }, to: 'cancelled' });
  }
  return rows;
}

/** What every cloud step shares: HMS Core lost (R13), network failure, and for writes a full drive (R12). */
function cloudStepRows(step: string, writes: boolean): Row[] {
  const rows: Row[] = [
    { from: `${step}.running`, event: { type: 'PROVIDER.HMS_MISSING' }, to: 'hmsUnavailable', sets: { hmsProblem: 'missing' } },
    { from: `${step}.running`, event: { type: 'PROVIDER.HMS_OUTDATED' }, to: 'hmsUnavailable', sets: { hmsProblem: 'outdated' } },
    { from: `${step}.running`, event: { type: 'NETWORK.FAILED', operation: step }, to: `${step}.networkError` },
    { from: `${step}.networkError`, event: { type: 'RETRY' }, to: `${step}.running` },
    { from: `${step}.networkError`, event: { type: 'CANCEL' }, to: 'cancelled' },
  ];
  if (writes) {
    rows.push(
      { from: `${step}.running`, event: { type: 'UPLOAD.QUOTA_EXCEEDED', neededBytes: 4096 }, to: `${step}.storageFull`, sets: { neededBytes: 4096 } },
      { from: `${step}.storageFull`, event: { type: 'SPACE.FREED' }, to: `${step}.running` },
      { from: `${step}.storageFull`, event: { type: 'RETRY' }, to: `${step}.running` },
      { from: `${step}.storageFull`, event: { type: 'CANCEL' }, to: 'cancelled' },
    );
  } else {
    rows.push({ from: `${step}.running`, event: { type: 'UPLOAD.QUOTA_EXCEEDED', neededBytes: 4096 }, to: `${step}.running`, ignored: true });
  }
  return rows;
}

const NETWORK_WAIT: StateMeta = { waitsFor: ['RETRY', 'CANCEL'], reason: 'network' };
const PROVIDER_CHECK_META: Record<string, StateMeta> = {
  'checkingProvider.running': { effect: 'checkProvider' },
  'checkingProvider.networkError': NETWORK_WAIT,
  notSignedIn: { waitsFor: ['RETRY', 'CANCEL'], reason: 'not-signed-in' },
  wrongAccount: { waitsFor: ['RETRY', 'CANCEL'], reason: 'wrong-account' },
  hmsUnavailable: { waitsFor: ['RETRY', 'CANCEL'], reason: 'hms' },
  cancelled: { outcome: 'cancelled' },
};

function cloudStepMeta(step: string, effect: string, writes: boolean): Record<string, StateMeta> {
  return {
    [`${step}.running`]: { effect },
    [`${step}.networkError`]: NETWORK_WAIT,
    ...(writes ? { [`${step}.storageFull`]: { waitsFor: ['SPACE.FREED', 'RETRY', 'CANCEL'], reason: 'storage-full' } } : {}),
  };
}

/** Every state's meta, exactly; states not named have none. Final states are exactly those with an outcome. */
function checkMeta(machine: AnyStateMachine, expected: Record<string, StateMeta>) {
  it('every state names exactly its effect, what it waits for, or its outcome', () => {
    const actual: Record<string, unknown> = {};
    const finals: string[] = [];
    for (const node of stateNodesOf(machine)) {
      const path = node.path.join('.');
      if (node.meta !== undefined) actual[path] = node.meta;
      if (node.type === 'final') finals.push(path);
    }
    expect(actual).toStrictEqual(expected);
    expect(finals.sort()).toEqual(
      Object.entries(expected)
        .filter(([, meta]) => meta.outcome !== undefined)
        .map(([path]) => path)
        .sort(),
    );
  });
}

// The tables of version 1 of each machine; version 2 (below) takes each of them too.

const BACKUP_META: Record<string, StateMeta> = {
  checkingMnemonic: { effect: 'checkMnemonic' },
  ...PROVIDER_CHECK_META,
  providerInactive: { outcome: 'failed', reason: 'provider-inactive' },
  ...cloudStepMeta('loadingKeyring', 'loadKeyring', false),
  choosingPassword: { waitsFor: ['PASSWORD.CHOSEN', 'CANCEL'] },
  creatingKeyring: { effect: 'createKeyring' },
  enteringPassword: { waitsFor: ['PASSWORD.ENTERED', 'PASSWORD.FORGOTTEN', 'CANCEL'] },
  unlockingKeyring: { effect: 'unlockKeyring' },
  encrypting: { effect: 'encryptWallet' },
  ...cloudStepMeta('uploading', 'upload', true),
  ...cloudStepMeta('verifying', 'verifyUpload', false),
  verifyFailed: { waitsFor: ['RETRY', 'CANCEL'], reason: 'verify-mismatch' },
  ...cloudStepMeta('publishing', 'publishManifest', true),
  done: { outcome: 'done' },
  invalidMnemonic: { outcome: 'failed', reason: 'invalid-mnemonic' },
  keyringCorrupt: { outcome: 'failed', reason: 'corrupt' },
  accountChanged: { outcome: 'failed', reason: 'account-changed' },
};

const BACKUP_ROWS: Row[] = [
  // R16: the phrase is checked first.
  { from: 'checkingMnemonic', event: { type: 'MNEMONIC.VALID', words: 24 }, to: 'checkingProvider.running', sets: { words: 24 } },
  { from: 'checkingMnemonic', event: { type: 'MNEMONIC.INVALID', reason: 'bad-checksum' }, to: 'invalidMnemonic', sets: { failure: 'bad-checksum' } },
  ...providerCheckRows('loadingKeyring.running'),
  // R15: only the active provider.
  { from: 'checkingProvider.running', event: { type: 'PROVIDER.INACTIVE', active: 'icloud' }, to: 'providerInactive' },
  // R4: no keyring yet, this backup binds the account to a new password.
  { from: 'loadingKeyring.running', event: { type: 'KEYRING.NONE' }, to: 'choosingPassword', given: { epoch: 7 }, sets: { binding: true, epoch: null } },
  // R8: a new epoch was asked for.
  {
    from: 'loadingKeyring.running',
    event: { type: 'KEYRING.FOUND', epoch: 2 },
    to: 'choosingPassword',
    given: { newEpochRequested: true, binding: true },
    sets: { binding: false, epoch: 2 },
  },
  // R5: otherwise the account's password is verified.
  { from: 'loadingKeyring.running', event: { type: 'KEYRING.FOUND', epoch: 2 }, to: 'enteringPassword', given: { binding: true }, sets: { binding: false, epoch: 2 } },
  { from: 'loadingKeyring.running', event: { type: 'KEYRING.CORRUPT', reason: 'tampered' }, to: 'keyringCorrupt', sets: { failure: 'tampered' } },
  { from: 'loadingKeyring.running', event: { type: 'ACCOUNT.CHANGED', account: null }, to: 'accountChanged' },
  ...cloudStepRows('loadingKeyring', false),
  // R3: at least 6 characters (too short is reported before a mismatch), entered twice.
  { from: 'choosingPassword', event: { type: 'PASSWORD.CHOSEN', tooShort: true, mismatch: true }, to: 'choosingPassword', sets: { passwordProblem: 'too-short' } },
  { from: 'choosingPassword', event: { type: 'PASSWORD.CHOSEN', tooShort: false, mismatch: true }, to: 'choosingPassword', sets: { passwordProblem: 'mismatch' } },
  {
    from: 'choosingPassword',
    event: { type: 'PASSWORD.CHOSEN', tooShort: false, mismatch: false },
    to: 'creatingKeyring',
    given: { passwordProblem: 'mismatch' },
    sets: { passwordProblem: null },
  },
  { from: 'choosingPassword', event: { type: 'CANCEL' }, to: 'cancelled' },
  { from: 'creatingKeyring', event: { type: 'KEYRING.CREATED', epoch: 3 }, to: 'encrypting', sets: { epoch: 3 } },
  { from: 'enteringPassword', event: { type: 'PASSWORD.ENTERED' }, to: 'unlockingKeyring' },
  // R8: a forgotten password starts a new epoch; the old hints no longer apply.
  { from: 'enteringPassword', event: { type: 'PASSWORD.FORGOTTEN' }, to: 'choosingPassword', given: { hints: ['caps-lock'] }, sets: { newEpochRequested: true, hints: [] } },
  { from: 'enteringPassword', event: { type: 'CANCEL' }, to: 'cancelled' },
  { from: 'unlockingKeyring', event: { type: 'KEYRING.UNLOCKED', epoch: 2 }, to: 'encrypting', given: { hints: ['caps-lock'] }, sets: { epoch: 2, hints: [] } },
  // R10: wrong password, try again with hints; the attempts are counted.
  {
    from: 'unlockingKeyring',
    event: { type: 'KEYRING.WRONG_PASSWORD', hints: ['look-alike-characters'] },
    to: 'enteringPassword',
    given: { wrongPasswordAttempts: 1, hints: ['caps-lock'] },
    sets: { wrongPasswordAttempts: 2, hints: ['look-alike-characters'] },
  },
  { from: 'unlockingKeyring', event: { type: 'KEYRING.CORRUPT', reason: 'malformed' }, to: 'keyringCorrupt', sets: { failure: 'malformed' } },
  { from: 'unlockingKeyring', event: { type: 'NETWORK.FAILED', operation: 'unlock' }, to: 'unlockingKeyring', ignored: true },
  { from: 'encrypting', event: { type: 'WALLET.ENCRYPTED', walletId: 'w-1', bytes: 600 }, to: 'uploading.running', sets: { walletId: 'w-1' } },
  { from: 'uploading.running', event: { type: 'UPLOAD.DONE' }, to: 'verifying.running' },
  // R11: the account changed on the way.
  { from: 'uploading.running', event: { type: 'ACCOUNT.CHANGED', account: 'mallory@example.com' }, to: 'accountChanged' },
  ...cloudStepRows('uploading', true),
  // E3: read back before publishing.
  { from: 'verifying.running', event: { type: 'VERIFY.OK' }, to: 'publishing.running' },
  { from: 'verifying.running', event: { type: 'VERIFY.MISMATCH', path: 'wallet-backup/wallets/w-1.age' }, to: 'verifyFailed', sets: { failure: 'wallet-backup/wallets/w-1.age' } },
  { from: 'verifying.running', event: { type: 'ACCOUNT.CHANGED', account: null }, to: 'accountChanged' },
  ...cloudStepRows('verifying', false),
  { from: 'verifyFailed', event: { type: 'RETRY' }, to: 'uploading.running' },
  { from: 'verifyFailed', event: { type: 'CANCEL' }, to: 'cancelled' },
  { from: 'publishing.running', event: { type: 'MANIFEST.PUBLISHED' }, to: 'done' },
  { from: 'publishing.running', event: { type: 'ACCOUNT.CHANGED', account: null }, to: 'accountChanged' },
  ...cloudStepRows('publishing', true),
];

/** BACKUPS.FOUND of restore version 1 carries names; version 2's carries ids and epochs only. */
const WALLETS_V1 = [
  { walletId: 'w-1', name: 'Savings', epoch: 1 },
  { walletId: 'w-2', name: 'Daily', epoch: 3 },
];
const WALLETS_V2 = [
  { walletId: 'w-1', epoch: 1 },
  { walletId: 'w-2', epoch: 3 },
];

const RESTORE_META: Record<string, StateMeta> = {
  ...PROVIDER_CHECK_META,
  ...cloudStepMeta('listing', 'listBackups', false),
  noBackups: { waitsFor: ['RETRY', 'CANCEL'], reason: 'no-backups' },
  choosingWallet: { waitsFor: ['WALLET.CHOSEN', 'CANCEL'] },
  enteringPassword: { waitsFor: ['PASSWORD.ENTERED', 'CANCEL'] },
  ...cloudStepMeta('unlockingKeyring', 'unlockKeyring', false),
  ...cloudStepMeta('decrypting', 'decryptWallet', false),
  validating: { effect: 'validateMnemonic' },
  done: { outcome: 'done' },
  recordCorrupt: { outcome: 'failed', reason: 'corrupt' },
};

/** Every restore row but MANIFEST.CORRUPT, which version 2 no longer takes (the listing comes from the records' paths). */
const restoreRows = (wallets: Array<{ walletId: string; epoch: number }>): Row[] => [
  ...providerCheckRows('listing.running'),
  { from: 'listing.running', event: { type: 'BACKUPS.FOUND', wallets }, to: 'choosingWallet', sets: { wallets } },
  // R11: none in this account; the accounts this device backed up from are named.
  {
    from: 'listing.running',
    event: { type: 'BACKUPS.NONE', knownAccounts: ['bob@example.com'] },
    to: 'noBackups',
    given: { wallets },
    sets: { knownAccounts: ['bob@example.com'], wallets: [] },
  },
  { from: 'listing.running', event: { type: 'ACCOUNT.CHANGED', account: null }, to: 'checkingProvider.running' },
  ...cloudStepRows('listing', false),
  { from: 'noBackups', event: { type: 'RETRY' }, to: 'checkingProvider.running' },
  { from: 'noBackups', event: { type: 'CANCEL' }, to: 'cancelled' },
  // R8: the chosen wallet's epoch decides which keyring (password) opens it.
  { from: 'choosingWallet', event: { type: 'WALLET.CHOSEN', walletId: 'w-2' }, to: 'enteringPassword', given: { wallets }, sets: { walletId: 'w-2', epoch: 3 } },
  { from: 'choosingWallet', event: { type: 'WALLET.CHOSEN', walletId: 'w-1' }, to: 'enteringPassword', given: { wallets }, sets: { walletId: 'w-1', epoch: 1 } },
  { from: 'choosingWallet', event: { type: 'WALLET.CHOSEN', walletId: 'w-9' }, to: 'choosingWallet', given: { wallets }, ignored: true },
  { from: 'choosingWallet', event: { type: 'CANCEL' }, to: 'cancelled' },
  { from: 'enteringPassword', event: { type: 'PASSWORD.ENTERED' }, to: 'unlockingKeyring.running' },
  { from: 'enteringPassword', event: { type: 'CANCEL' }, to: 'cancelled' },
  { from: 'unlockingKeyring.running', event: { type: 'KEYRING.UNLOCKED', epoch: 3 }, to: 'decrypting.running', given: { hints: ['caps-lock'] }, sets: { hints: [] } },
  // R10
  {
    from: 'unlockingKeyring.running',
    event: { type: 'KEYRING.WRONG_PASSWORD', hints: ['leading-or-trailing-space'] },
    to: 'enteringPassword',
    given: { wrongPasswordAttempts: 2 },
    sets: { wrongPasswordAttempts: 3, hints: ['leading-or-trailing-space'] },
  },
  { from: 'unlockingKeyring.running', event: { type: 'KEYRING.CORRUPT', reason: 'tampered' }, to: 'recordCorrupt', sets: { failure: 'tampered' } },
  { from: 'unlockingKeyring.running', event: { type: 'ACCOUNT.CHANGED', account: 'mallory@example.com' }, to: 'checkingProvider.running' },
  ...cloudStepRows('unlockingKeyring', false),
  { from: 'decrypting.running', event: { type: 'WALLET.DECRYPTED' }, to: 'validating' },
  // E1/E2: a record that does not open as what the manifest says is corrupt.
  { from: 'decrypting.running', event: { type: 'RECORD.CORRUPT', reason: 'metadata-mismatch' }, to: 'recordCorrupt', sets: { failure: 'metadata-mismatch' } },
  { from: 'decrypting.running', event: { type: 'ACCOUNT.CHANGED', account: null }, to: 'checkingProvider.running' },
  ...cloudStepRows('decrypting', false),
  { from: 'validating', event: { type: 'MNEMONIC.VALID', words: 24 }, to: 'done', sets: { words: 24 } },
];

const RESTORE_MANIFEST_CORRUPT: Row = { from: 'listing.running', event: { type: 'MANIFEST.CORRUPT', reason: 'malformed' }, to: 'recordCorrupt', sets: { failure: 'malformed' } };

const SWITCH_META: Record<string, StateMeta> = {
  ...PROVIDER_CHECK_META,
  confirming: { waitsFor: ['CONFIRM', 'CANCEL'] },
  done: { outcome: 'done' },
  alreadyActive: { outcome: 'done', reason: 'already-active' },
};

/** The provider switch's eventless decision on start, both branches. */
function switchDecisions(machine: AnyStateMachine): ExecutedStep[] {
  return [
    { from: 'gdrive' as ProviderId | null, provider: 'huawei' as ProviderId },
    { from: 'huawei' as ProviderId | null, provider: 'huawei' as ProviderId },
  ].flatMap((i) => {
    const recorder = createStepRecorder();
    createActor(machine, { input: i, inspect: recorder.inspect } as never)
      .start()
      .stop();
    return recorder.steps;
  });
}

const SWITCH_ROWS: Row[] = [
  ...providerCheckRows('confirming'),
  { from: 'confirming', event: { type: 'CONFIRM' }, to: 'done' },
  { from: 'confirming', event: { type: 'CANCEL' }, to: 'cancelled' },
];

describe('backup machine', () => {
  const input = { provider: 'gdrive' as ProviderId, walletName: 'Savings' };

  it('starts by checking the mnemonic, with a context made from its input', () => {
    const [plain] = initialTransition(backupMachine, input);
    expect(plain.value).toBe('checkingMnemonic');
    expect(plain.context).toStrictEqual({
      provider: 'gdrive',
      walletName: 'Savings',
      newEpochRequested: false,
      expectedAccount: null,
      offlineCopyConfirmed: false,
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
    });
    const [full] = initialTransition(backupMachine, {
      provider: 'huawei',
      walletName: 'Daily',
      newEpoch: true,
      expectedAccount: 'alice@example.com',
      offlineCopyConfirmed: true,
    });
    expect(full.context).toMatchObject({
      provider: 'huawei',
      walletName: 'Daily',
      newEpochRequested: true,
      expectedAccount: 'alice@example.com',
      offlineCopyConfirmed: true,
    });
    const [explicitFalse] = initialTransition(backupMachine, { ...input, newEpoch: false, offlineCopyConfirmed: false, expectedAccount: null });
    expect(explicitFalse.context).toMatchObject({ newEpochRequested: false, offlineCopyConfirmed: false, expectedAccount: null });
  });

  it('outputs the account, epoch and wallet id when done', () => {
    const fired = fire(backupMachine, input, 'publishing.running', { account: 'alice@example.com', epoch: 2, walletId: 'w-1' }, { type: 'MANIFEST.PUBLISHED' });
    expect(fired.status).toBe('done');
    expect(fired.output).toStrictEqual({ account: 'alice@example.com', epoch: 2, walletId: 'w-1' });
  });

  checkMeta(backupMachine, BACKUP_META);

  checkTable(backupMachine, input, BACKUP_ROWS);
});

describe('restore machine', () => {
  const input = { provider: 'icloud' as ProviderId };

  it('starts with the provider check, with a context made from its input', () => {
    const [plain] = initialTransition(restoreMachine, input);
    expect(plain.value).toEqual({ checkingProvider: 'running' });
    expect(plain.context).toStrictEqual({
      provider: 'icloud',
      expectedAccount: null,
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
    });
    const [expecting] = initialTransition(restoreMachine, { provider: 'huawei', expectedAccount: 'alice@example.com' });
    expect(expecting.context).toMatchObject({ provider: 'huawei', expectedAccount: 'alice@example.com' });
  });

  it('outputs the account, wallet, epoch and word count when done', () => {
    const fired = fire(restoreMachine, input, 'validating', { account: 'alice@example.com', walletId: 'w-2', epoch: 3 }, { type: 'MNEMONIC.VALID', words: 12 });
    expect(fired.status).toBe('done');
    expect(fired.output).toStrictEqual({ account: 'alice@example.com', walletId: 'w-2', epoch: 3, words: 12 });
  });

  checkMeta(restoreMachine, RESTORE_META);

  checkTable(restoreMachine, input, [...restoreRows(WALLETS_V1), RESTORE_MANIFEST_CORRUPT]);
});

describe('provider switch machine', () => {
  const input = { from: 'gdrive' as ProviderId | null, provider: 'huawei' as ProviderId };

  it('R15: switching to the provider already active is done at once; another one is checked first', () => {
    const [same] = initialTransition(providerSwitchMachine, { from: 'gdrive', provider: 'gdrive' });
    expect(same.value).toBe('alreadyActive');
    expect(same.status).toBe('done');
    expect(same.output).toStrictEqual({ from: 'gdrive', provider: 'gdrive', account: null });
    for (const from of ['gdrive', null] as const) {
      const [other] = initialTransition(providerSwitchMachine, { from, provider: 'huawei' });
      expect(other.value).toEqual({ checkingProvider: 'running' });
      expect(other.status).toBe('active');
    }
  });

  it('has a context made from its input, and outputs from, provider and account when done', () => {
    const [plain] = initialTransition(providerSwitchMachine, input);
    expect(plain.context).toStrictEqual({ from: 'gdrive', provider: 'huawei', expectedAccount: null, account: null, actualAccount: null, hmsProblem: null });
    const [expecting] = initialTransition(providerSwitchMachine, { ...input, expectedAccount: 'alice@example.com' });
    expect(expecting.context).toMatchObject({ expectedAccount: 'alice@example.com' });
    const fired = fire(providerSwitchMachine, input, 'confirming', { account: 'alice@example.com' }, { type: 'CONFIRM' });
    expect(fired.status).toBe('done');
    expect(fired.output).toStrictEqual({ from: 'gdrive', provider: 'huawei', account: 'alice@example.com' });
  });

  checkMeta(providerSwitchMachine, SWITCH_META);

  checkTable(providerSwitchMachine, input, SWITCH_ROWS, () => switchDecisions(providerSwitchMachine));
});

/**
 * Version 2 of backup, restore and the provider switch (machines/unexpected-failure.ts): each is
 * its version 1, whose every row above it still takes, plus EFFECT.FAILED from every state that
 * runs an effect to the final state `failed` (reason unexpected, the cause kept in the context),
 * and what cloud layout 2 needs. Waiting states do not take EFFECT.FAILED: no effect runs there.
 */
const CAUSE = { effect: 'upload', error: 'Error', code: 'EACCES', message: 'permission denied' };
const FAILED_META: Record<string, StateMeta> = { failed: { outcome: 'failed', reason: 'unexpected' } };

function effectFailedRows(effectStates: string[], waitingStates: string[]): Row[] {
  return [
    ...effectStates.map((from) => ({
      from,
      event: { type: 'EFFECT.FAILED', ...CAUSE, effect: from },
      to: 'failed',
      sets: { failure: 'unexpected', cause: { ...CAUSE, effect: from } },
    })),
    ...waitingStates.map((from) => ({ from, event: { type: 'EFFECT.FAILED', ...CAUSE }, to: from, ignored: true })),
  ];
}

describe('backup machine, version 2', () => {
  const input = { provider: 'gdrive' as ProviderId, walletName: 'Savings' };

  it('is version 2 of backup; its context is version 1\'s plus cause and keyringTaken', () => {
    expect([backupMachineV2.id, backupMachineV2.version]).toEqual(['backup', '2']);
    const [v1] = initialTransition(backupMachine, input);
    const [v2] = initialTransition(backupMachineV2, input);
    expect(v2.value).toBe('checkingMnemonic');
    expect(v2.context).toStrictEqual({ ...v1.context, cause: null, keyringTaken: false });
  });

  it('fails with its cause, and still outputs the account, epoch and wallet id', () => {
    const fired = fire(backupMachineV2, input, 'uploading.running', { account: 'alice@example.com', epoch: 2, walletId: 'w-1' }, { type: 'EFFECT.FAILED', ...CAUSE });
    expect(fired.status).toBe('done');
    expect(fired.value).toBe('failed');
    expect(fired.output).toStrictEqual({ account: 'alice@example.com', epoch: 2, walletId: 'w-1' });
  });

  checkMeta(backupMachineV2, { ...BACKUP_META, ...FAILED_META });

  checkTable(backupMachineV2, input, [
    ...BACKUP_ROWS,
    ...effectFailedRows(
      [
        'checkingMnemonic',
        'checkingProvider.running',
        'loadingKeyring.running',
        'creatingKeyring',
        'unlockingKeyring',
        'encrypting',
        'uploading.running',
        'verifying.running',
        'publishing.running',
      ],
      ['choosingPassword', 'enteringPassword', 'uploading.networkError', 'uploading.storageFull', 'verifyFailed', 'publishing.networkError'],
    ),
    // R4/R5: another device bound this epoch first (its keyring is created only if absent): ask
    // for that password, as a later backup does; the hints of this flow no longer apply.
    {
      from: 'uploading.running',
      event: { type: 'KEYRING.TAKEN', epoch: 1 },
      to: 'enteringPassword',
      given: { binding: true, epoch: 1, hints: ['caps-lock'] },
      sets: { binding: false, keyringTaken: true, hints: [] },
    },
    // The epoch asked for is the one taken (the event's).
    { from: 'uploading.running', event: { type: 'KEYRING.TAKEN', epoch: 3 }, to: 'enteringPassword', given: { newEpochRequested: true, epoch: 2 }, sets: { keyringTaken: true, epoch: 3 } },
    { from: 'verifying.running', event: { type: 'KEYRING.TAKEN', epoch: 1 }, to: 'verifying.running', ignored: true },
    // E3: listed only once the record reads back restorable, at publish too.
    {
      from: 'publishing.running',
      event: { type: 'VERIFY.MISMATCH', path: 'wallet-backup/wallets/epoch-1/w-1.age' },
      to: 'verifyFailed',
      sets: { failure: 'wallet-backup/wallets/epoch-1/w-1.age' },
    },
  ]);
});

describe('restore machine, version 2', () => {
  const input = { provider: 'icloud' as ProviderId };

  it('is version 2 of restore; its context is version 1\'s plus cause', () => {
    expect([restoreMachineV2.id, restoreMachineV2.version]).toEqual(['restore', '2']);
    const [v1] = initialTransition(restoreMachine, input);
    const [v2] = initialTransition(restoreMachineV2, input);
    expect(v2.value).toEqual({ checkingProvider: 'running' });
    expect(v2.context).toStrictEqual({ ...v1.context, cause: null });
  });

  checkMeta(restoreMachineV2, { ...RESTORE_META, ...FAILED_META });

  checkTable(restoreMachineV2, input, [
    ...restoreRows(WALLETS_V2),
    // The listing comes from the records' paths: no damaged index ends a restore.
    { ...RESTORE_MANIFEST_CORRUPT, to: 'listing.running', sets: undefined, ignored: true },
    ...effectFailedRows(
      ['checkingProvider.running', 'listing.running', 'unlockingKeyring.running', 'decrypting.running', 'validating'],
      ['noBackups', 'choosingWallet', 'enteringPassword', 'listing.networkError'],
    ),
  ]);
});

describe('provider switch machine, version 2', () => {
  const input = { from: 'gdrive' as ProviderId | null, provider: 'huawei' as ProviderId };

  it('is version 2 of providerSwitch; its context is version 1\'s plus cause', () => {
    expect([providerSwitchMachineV2.id, providerSwitchMachineV2.version]).toEqual(['providerSwitch', '2']);
    const [v1] = initialTransition(providerSwitchMachine, input);
    const [v2] = initialTransition(providerSwitchMachineV2, input);
    expect(v2.context).toStrictEqual({ ...v1.context, cause: null });
  });

  checkMeta(providerSwitchMachineV2, { ...SWITCH_META, ...FAILED_META });

  checkTable(
    providerSwitchMachineV2,
    input,
    [...SWITCH_ROWS, ...effectFailedRows(['checkingProvider.running'], ['confirming', 'notSignedIn', 'checkingProvider.networkError'])],
    () => switchDecisions(providerSwitchMachineV2),
  );
});

describe('offline copy machine', () => {
  it('R17: its one state is the record, done at once, keeping its input', () => {
    const input = { provider: 'gdrive' as ProviderId, account: 'alice@example.com', walletId: 'w-1' };
    const [snapshot] = initialTransition(offlineCopyMachine, input);
    expect(snapshot.value).toBe('confirmed');
    expect(snapshot.status).toBe('done');
    expect(snapshot.context).toStrictEqual(input);
  });

  checkMeta(offlineCopyMachine, { confirmed: { outcome: 'done' } });
});

describe('released machines (E5)', () => {
  it('are looked up by id and version', () => {
    expect(MACHINE_RELEASES.map((r) => [r.id, r.version, r.machine])).toEqual([
      ['backup', 1, backupMachine],
      ['restore', 1, restoreMachine],
      ['providerSwitch', 1, providerSwitchMachine],
      ['offlineCopy', 1, offlineCopyMachine],
      ['backup', 2, backupMachineV2],
      ['restore', 2, restoreMachineV2],
      ['providerSwitch', 2, providerSwitchMachineV2],
      ['backup', 3, backupMachineV3],
      ['restore', 3, restoreMachineV3],
      ['providerSwitch', 3, providerSwitchMachineV3],
    ]);
    for (const release of MACHINE_RELEASES) {
      expect(findMachine(release.id, release.version)).toEqual({ ok: true, machine: release.machine });
      expect(release.machine.version).toBe(String(release.version));
    }
  });

  it('new flows run the highest version of each machine', () => {
    expect(currentRelease('backup')).toEqual({ id: 'backup', version: 3, machine: backupMachineV3 });
    expect(currentRelease('restore')).toEqual({ id: 'restore', version: 3, machine: restoreMachineV3 });
    expect(currentRelease('providerSwitch')).toEqual({ id: 'providerSwitch', version: 3, machine: providerSwitchMachineV3 });
    expect(currentRelease('offlineCopy')).toEqual({ id: 'offlineCopy', version: 1, machine: offlineCopyMachine });
    expect(() => currentRelease('unknown')).toThrow(/No released machine unknown/);
  });

  it('name an unknown machine, and the known versions of a known machine at an unknown version', () => {
    expect(findMachine('unknown', 1)).toEqual({ ok: false, reason: 'unknown-machine', known: [] });
    expect(findMachine('restore', 4)).toEqual({ ok: false, reason: 'unknown-version', known: [1, 2, 3] });
    expect(findMachine('offlineCopy', 2)).toEqual({ ok: false, reason: 'unknown-version', known: [1] });
  });
});
