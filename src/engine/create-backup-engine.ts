/**
 * createBackupEngine: the one object a wallet app embeds.
 *
 * It starts flows (backup, restore, provider switch) as XState actors over the pure
 * machines, runs their effects through the ports it is given (cloud drives, event store,
 * scrypt), and records every transition in the event log. It imports no Node-only module:
 * React Native and browsers hand in their own adapters.
 */
import { Subject } from 'rxjs';
import type { AnyStateMachine } from 'xstate';
import {
  BACKUP_MACHINE_ID,
  currentRelease,
  OFFLINE_COPY_MACHINE_VERSION,
  offlineCopyMachine,
  PROVIDER_SWITCH_MACHINE_ID,
  RESTORE_MACHINE_ID,
} from '../../machines/index.ts';
import type { CloudDrive, CloudDrives } from '../ports/cloud-drive.ts';
import type { EventStore, FlowTags, StoredRow } from '../ports/event-store.ts';
import { PRODUCTION_SCRYPT_LOG_N, type ScryptKdf } from '../ports/kdf.ts';
import { isProviderId, type ProviderId } from '../ports/providers.ts';
import { createRedactor } from '../log/redact.ts';
import { normalizePassword } from '../format/index.ts';
import { withCloud } from './cloud-outcome.ts';
import { backoffEffect } from './backoff-effect.ts';
import { timerSleep, type BackoffSleep } from './backoff-sleep.ts';
import { checkRetryPolicy } from './retry-schedule.ts';
import { retryingCall } from './retrying-call.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../ports/retry.ts';
import { backupEffects, emptyBackupSlot, wipeBackupSlot, type BackupSlot } from './backup-effects.ts';
import { readAccountListing, type AccountListing, type ListedWallet, type ListingProblem } from './cloud-listing.ts';
import { restoreEffects, emptyRestoreSlot, wipeRestoreSecrets, type RestoreSlot } from './restore-effects.ts';
import { accountsWithBackups, activeProvider, cloudOnlyWallets, type CloudOnlyWallet } from './device-history.ts';
import { EngineError } from './engine-error.ts';
import { createCheckpointWriter } from './checkpoint-writer.ts';
import { checkpointKey } from '../log/checkpoint.ts';
import { checkProvider } from './provider-check.ts';
import { FlowRunner, type FlowRunnerOptions } from './flow-runner.ts';
import { backupFlow, providerSwitchFlow, restoreFlow } from './flows.ts';
import type { BackupFlow, ProviderSwitchFlow, RestoreFlow, Subscribable } from './flow-types.ts';
import { LOGGED_EVENT_FIELDS } from './redaction-rules.ts';
import { assertPlatform } from '../platform/requirements.ts';

export interface BackupEngineOptions {
  eventLog: EventStore;
  clouds: CloudDrives;
  /** scrypt for age's scrypt stanza: node:crypto on Node, @noble/hashes elsewhere. */
  kdf: ScryptKdf;
  device?: { id?: string };
  /** scrypt work factor for new keyrings; production is 17 (E1). Tests may lower it explicitly. */
  scryptLogN?: number;
  now?: () => Date;
  newFlowId?: () => string;
  /**
   * Passed to every actor as XState's `inspect` option: e.g. @statelyai/inspect's
   * `inspector.inspect`. Typed loosely so the core's declarations carry no xstate types; XState
   * calls it with its InspectionEvent objects.
   */
  inspect?: FlowInspector;
  /**
   * For tests only: run flows on these definitions instead of the released machines (the
   * model-based tests prove that a machine with a wrong target fails them). The log still names
   * the released machine id and version, so replay checks the run against the release.
   */
  machines?: { backup?: TestMachine; restore?: TestMachine; providerSwitch?: TestMachine };
  /**
   * Runs before every effect of every flow, as part of it: an error it throws ends the flow in
   * `failed` with that cause, as any unexpected failure of the effect would. For tests that need
   * such a failure where nothing real can cause one, and for tracing effects.
   */
  beforeEffect?: (effect: string) => void | Promise<void>;
  /**
   * How often and how long a cloud step is tried again after a transient failure (a dropped
   * connection, 429, 5xx, a provider's "try again later"); default DEFAULT_RETRY_POLICY. Each
   * retry is a logged transition (NETWORK.RETRYING, then BACKOFF.DONE); when the budget is spent
   * the step waits for the person's RETRY (NETWORK.FAILED). listBackups uses the same policy.
   */
  retry?: RetryPolicy;
  /** The backoff's wait (default setTimeout); tests pass one that does not wait. */
  sleep?: BackoffSleep;
  /** The backoff's jitter, a number in [0, 1) (default Math.random). */
  random?: () => number;
}

export interface BackupRequest {
  provider: ProviderId;
  mnemonic: string;
  walletName?: string;
  expectedAccount?: string;
  newEpoch?: boolean;
  offlineCopyConfirmed?: boolean;
}

export interface RestoreRequest {
  provider: ProviderId;
  expectedAccount?: string;
  /** Choose this wallet as soon as the listing arrives. */
  walletId?: string;
}

export type BackupListing =
  | {
      ok: true;
      account: string;
      /** The page asked for (all wallets without a limit), in order of epoch, then id. */
      wallets: Array<ListedWallet & { offlineCopyConfirmed: boolean }>;
      /** How many wallets the account holds, and the page's place among them. */
      total: number;
      offset: number;
      /** Wallets of the whole account (not only the page) with no confirmed offline copy (R17). */
      cloudOnly: number;
      epochs: number[];
      /** Listing entries or a layout-1 manifest that could not be read (their wallets are still listed, from their records). */
      problems: ListingProblem[];
      /** Other accounts this device's log saw backing up to the provider (R11). */
      otherAccounts: string[];
    }
  | { ok: false; problem: string; detail: Record<string, unknown> };

export interface BackupEngine {
  backup(request: BackupRequest): Promise<BackupFlow>;
  restore(request: RestoreRequest): Promise<RestoreFlow>;
  switchProvider(request: { to: ProviderId; expectedAccount?: string }): Promise<ProviderSwitchFlow>;
  /** Records that the person keeps a written copy of this wallet's phrase (R17). */
  confirmOfflineCopy(request: { provider: ProviderId; account: string; walletId: string }): Promise<void>;
  /** The signed-in account's backups, read from its manifest; no flow, nothing logged. */
  /**
   * The account's wallets, from one list() call: `offset`/`limit` choose a page (default: all);
   * `names: false` skips reading the page's names (one read per wallet).
   */
  listBackups(request: { provider: ProviderId; expectedAccount?: string; names?: boolean; offset?: number; limit?: number }): Promise<BackupListing>;
  activeProvider(): Promise<ProviderId | null>;
  /** Backed-up wallets with no confirmed offline copy (R17). */
  cloudOnlyWallets(): Promise<CloudOnlyWallet[]>;
  /** Every row the engine appends, as it is appended. */
  readonly rows$: Subscribable<StoredRow>;
}

/** An XState machine (StateMachine) standing in for a released one; see `machines`. */
export type TestMachine = object;

/** XState's inspection event, as far as the engine's types say (its `type` is e.g. '@xstate.event'). */
export interface FlowInspectionEvent {
  readonly type: string;
}

/** An XState inspection observer, or a function taking each inspection event. */
export type FlowInspector =
  | { next?(event: FlowInspectionEvent): void; error?(error: unknown): void; complete?(): void }
  // A method's parameter is checked both ways: a function typed for xstate's InspectionEvent fits.
  | { bivariant(event: FlowInspectionEvent): void }['bivariant'];

/** The releases new flows run: the highest version of each machine (machines/registry.ts). */
const BACKUP = currentRelease(BACKUP_MACHINE_ID);
const RESTORE = currentRelease(RESTORE_MACHINE_ID);
const PROVIDER_SWITCH = currentRelease(PROVIDER_SWITCH_MACHINE_ID);

/** A test's stand-in machine, typed opaquely in the options (TestMachine), is an XState machine. */
function released(machine: TestMachine | undefined): AnyStateMachine | undefined {
  return machine as AnyStateMachine | undefined;
}

/**
 * A random (version 4) UUID from 16 bytes of crypto.getRandomValues, as RFC 9562 section 5.4
 * lays it out. Not crypto.randomUUID: React Native's react-native-get-random-values provides
 * getRandomValues only.
 */
export function randomFlowId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function createBackupEngine(options: BackupEngineOptions): BackupEngine {
  assertPlatform();
  const store = options.eventLog;
  const kdf = options.kdf;
  const scryptLogN = options.scryptLogN ?? PRODUCTION_SCRYPT_LOG_N;
  const now = options.now ?? (() => new Date());
  const newFlowId = options.newFlowId ?? randomFlowId;
  const deviceId = options.device?.id ?? null;
  const redact = createRedactor(LOGGED_EVENT_FIELDS);
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const policyProblem = checkRetryPolicy(policy);
  if (policyProblem !== null) throw new EngineError('bad-input', `The retry policy is not usable: ${policyProblem}.`);
  const retry = { policy, clock: () => now().getTime(), random: options.random ?? Math.random };
  const sleep = options.sleep ?? timerSleep;
  const rows = new Subject<StoredRow>();
  // Issue 4: the log's head goes into the cloud after each completed backup (src/log/checkpoint.ts).
  const checkpoints = createCheckpointWriter(store, deviceId, now);
  rows.subscribe((row) => checkpoints.observe(row));

  function driveFor(provider: ProviderId): CloudDrive {
    if (!isProviderId(provider)) throw new EngineError('bad-input', `Unknown provider "${String(provider)}"; use icloud, gdrive or huawei.`);
    const drive = options.clouds[provider];
    if (!drive) throw new EngineError('provider-not-configured', `No ${provider} drive was given to the engine; pass it in clouds.${provider}.`);
    return drive;
  }

  function tagsFrom(provider: ProviderId) {
    return (context: Record<string, unknown>): FlowTags => {
      const tags: FlowTags = { provider };
      if (typeof context.account === 'string') tags.account = context.account;
      if (typeof context.walletId === 'string') tags.walletId = context.walletId;
      if (typeof context.epoch === 'number') tags.epoch = context.epoch;
      return tags;
    };
  }

  function common<Slot>(
    rest: Omit<FlowRunnerOptions<Slot>, 'flowId' | 'store' | 'redact' | 'now' | 'onRow' | 'inspect' | 'loggedInput' | 'beforeEffect' | 'retry'>,
  ): FlowRunnerOptions<Slot> {
    const input = rest.input;
    const loggedInput = deviceId === null ? { ...input } : { ...input, deviceId };
    return {
      ...rest,
      effects: { ...rest.effects, backoff: backoffEffect<Slot>(sleep) },
      retry,
      flowId: newFlowId(),
      loggedInput: redact({ type: 'xstate.init', ...loggedInput }),
      store,
      redact,
      now,
      onRow: (row) => rows.next(row),
      ...(options.inspect ? { inspect: options.inspect } : {}),
      ...(options.beforeEffect ? { beforeEffect: options.beforeEffect } : {}),
    };
  }

  const passwordForms = (password: string | null) => (password ? [password, normalizePassword(password)] : []);

  const engine: BackupEngine = {
    rows$: rows.asObservable(),

    async backup(request) {
      const drive = driveFor(request.provider);
      const slot = emptyBackupSlot(request.mnemonic);
      const input = {
        provider: request.provider,
        walletName: request.walletName ?? 'Wallet',
        newEpoch: request.newEpoch === true,
        expectedAccount: request.expectedAccount ?? null,
        offlineCopyConfirmed: request.offlineCopyConfirmed === true,
      };
      const raw = request.mnemonic;
      let anchor: { key: Uint8Array; epoch: number } | null = null;
      const runner = await FlowRunner.start<BackupSlot>(
        common({
          machine: released(options.machines?.backup) ?? BACKUP.machine,
          machineVersion: BACKUP.version,
          input,
          slot,
          effects: backupEffects({ drive, kdf, scryptLogN, now, activeProvider: () => activeProvider(store) }),
          secrets: (s) => [raw, ...(s.mnemonic ? [s.mnemonic] : []), ...passwordForms(s.password), ...(s.identity ? [s.identity.identity] : [])],
          tags: tagsFrom(request.provider),
          // The checkpoint's MAC key is taken from the epoch identity before the wipe, used once after done, then zeroed.
          wipe: (s) => {
            anchor = s.identity ? { key: checkpointKey(s.identity.identity), epoch: s.identity.epoch } : null;
            wipeBackupSlot(s);
          },
          // R17: a backup made with a confirmed offline copy records that confirmation too.
          onFinal: async (context, meta) => {
            const { account, walletId } = context as { account: string | null; walletId: string | null };
            if (meta.outcome === 'done' && request.offlineCopyConfirmed && account && walletId) {
              await engine.confirmOfflineCopy({ provider: request.provider, account, walletId });
            }
            const held = anchor;
            anchor = null;
            if (meta.outcome === 'done' && account && held) {
              await checkpoints.write({ drive, provider: request.provider, account, epoch: held.epoch, key: held.key });
            }
            held?.key.fill(0);
          },
        }),
      );
      return backupFlow(runner, slot);
    },

    async restore(request) {
      const drive = driveFor(request.provider);
      const slot = emptyRestoreSlot();
      const runner = await FlowRunner.start<RestoreSlot>(
        common({
          machine: released(options.machines?.restore) ?? RESTORE.machine,
          machineVersion: RESTORE.version,
          input: { provider: request.provider, expectedAccount: request.expectedAccount ?? null },
          slot,
          effects: restoreEffects({ drive, kdf, knownAccounts: () => accountsWithBackups(store, request.provider) }),
          secrets: (s) => [...passwordForms(s.password), ...(s.identity ? [s.identity.identity] : []), ...(s.mnemonic ? [s.mnemonic] : [])],
          tags: tagsFrom(request.provider),
          wipe: wipeRestoreSecrets,
        }),
      );
      const flow = restoreFlow(runner, slot);
      if (request.walletId !== undefined && flow.view().meta.waitsFor?.includes('WALLET.CHOSEN')) {
        try {
          await flow.chooseWallet(request.walletId);
        } catch (error) {
          // The app asked for a wallet this account does not have: end the flow, logged, and say so.
          if (error instanceof EngineError && error.code === 'bad-input') await flow.cancel();
          throw error;
        }
      }
      return flow;
    },

    async switchProvider(request) {
      const drive = driveFor(request.to);
      const from = await activeProvider(store);
      const runner = await FlowRunner.start<object>(
        common({
          machine: released(options.machines?.providerSwitch) ?? PROVIDER_SWITCH.machine,
          machineVersion: PROVIDER_SWITCH.version,
          input: { from, provider: request.to, expectedAccount: request.expectedAccount ?? null },
          slot: {},
          effects: { checkProvider: async () => checkProvider({ drive, expectedAccount: request.expectedAccount ?? null }) },
          secrets: () => [],
          tags: tagsFrom(request.to),
          wipe: () => {},
        }),
      );
      return providerSwitchFlow(runner);
    },

    async confirmOfflineCopy(request) {
      const runner = await FlowRunner.start<object>(
        common({
          machine: offlineCopyMachine,
          machineVersion: OFFLINE_COPY_MACHINE_VERSION,
          input: { provider: request.provider, account: request.account, walletId: request.walletId },
          slot: {},
          effects: {},
          secrets: () => [],
          tags: () => ({ provider: request.provider, account: request.account, walletId: request.walletId }),
          wipe: () => {},
        }),
      );
      await runner.idle();
    },

    async listBackups(request) {
      const drive = driveFor(request.provider);
      const checked = await retryingCall(() => checkProvider({ drive, expectedAccount: request.expectedAccount ?? null }), retry, sleep);
      const check = checked.event;
      if (check.type !== 'PROVIDER.READY') {
        const { type, ...detail } = check;
        return { ok: false, problem: type, detail: type === 'NETWORK.FAILED' ? { ...detail, tries: checked.tries } : detail };
      }
      const account = check.account as string;
      let listing: AccountListing | null = null;
      const read = await retryingCall(
        () =>
          withCloud('listBackups', async () => {
            const offset = Math.max(0, request.offset ?? 0);
            const limit = Math.max(0, request.limit ?? Number.MAX_SAFE_INTEGER);
            listing = await readAccountListing(drive, account, { names: request.names === false ? null : { offset, limit } });
            return { type: 'LISTED' };
          }),
        retry,
        sleep,
      );
      if (listing === null) {
        const { type, ...detail } = read.event;
        return { ok: false, problem: type, detail: type === 'NETWORK.FAILED' ? { ...detail, tries: read.tries } : detail };
      }
      const { wallets, epochs, problems }: AccountListing = listing;
      const confirmed = new Set(
        (await store.flows({ machineId: 'offlineCopy', provider: request.provider, account })).map((f) => f.walletId),
      );
      const offset = Math.min(Math.max(0, request.offset ?? 0), wallets.length);
      const page = wallets.slice(offset, offset + Math.max(0, request.limit ?? wallets.length));
      return {
        ok: true,
        account,
        epochs,
        problems,
        total: wallets.length,
        offset,
        cloudOnly: wallets.filter((w) => !confirmed.has(w.walletId)).length,
        wallets: page.map((w) => ({ ...w, offlineCopyConfirmed: confirmed.has(w.walletId) })),
        otherAccounts: (await accountsWithBackups(store, request.provider)).filter((a) => a !== account),
      };
    },

    activeProvider: () => activeProvider(store),
    cloudOnlyWallets: () => cloudOnlyWallets(store),
  };
  return engine;
}

