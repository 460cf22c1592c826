/**
 * The scripted world: for the outcome a path expects next, arrange the cloud so the engine's
 * effect really meets it; for a person's event, do what the person does through the flow's
 * methods. Nothing is faked past the drive: the engine, its crypto and its log run for real.
 * Alice is signed in unless a step says otherwise.
 *
 *   PROVIDER.NOT_SIGNED_IN    signed out             PROVIDER.WRONG_ACCOUNT   Bob signed in
 *   PROVIDER.HMS_*            HMS Core missing / outdated on the Huawei device (also mid-flow)
 *   PROVIDER.INACTIVE         the person made another provider active on this device (a real switch flow)
 *   NETWORK.FAILED            the effect's first cloud call fails on the network (status() for checkProvider): a
 *                             failure no retry helps, or right after a BACKOFF.DONE a transient one that spends
 *                             the harness policy's budget of 2 tries (run-path.ts)
 *   NETWORK.RETRYING          the effect's first cloud call fails transiently ('connection dropped'), budget left
 *   CANCEL while backing off  the backoff is interrupted (scripted-drive.ts: the person's interrupt)
 *   UPLOAD.QUOTA_EXCEEDED     quota set below what the account already uses
 *   ACCOUNT.CHANGED           Bob signed in, or signed out, while the step runs
 *   VERIFY.MISMATCH           the read-back of the wallet record returns a flipped bit
 *   KEYRING.FOUND, BACKUPS.FOUND  Alice's backups made on another device (a real setup engine), if not there yet
 *   KEYRING.NONE, BACKUPS.NONE    Alice's backup files deleted (from another device), if there
 *   KEYRING/MANIFEST/RECORD.CORRUPT  the file deleted, replaced, flipped, re-encrypted (corruptions.ts);
 *                             at backup's loadKeyring: the latest keyring over its size cap
 *   KEYRING.TAKEN             another device binds the epoch this flow creates, first, with its own password
 *   EFFECT.FAILED             the effect meets an error no step expects (the engine's beforeEffect hook throws)
 *   PASSWORD.ENTERED          the epoch's password, or a wrong one with exactly the hints the unlock answers
 *   PASSWORD.CHOSEN           too short, mismatched, or a good one (PASSWORD to bind, NEW_PASSWORD for a new epoch)
 * Before every other outcome the world is healthy: Alice signed in, HMS Core ok, space free, no fault.
 */
import { MEMORY_DEFAULT_QUOTA_BYTES, type MemoryCloud } from '../../../adapters/cloud/memory.ts';
import { MODEL_RETRY_REASON } from '../../../src/model/variants-common.ts';
import type { PasswordHint, ProviderId, RecordProblem } from '../../../machines/events.ts';
import { KEYRINGS_FOLDER } from '../../../src/format/index.ts';
import type { ModelPath } from '../../../src/model/index.ts';
import type { ScryptKdf } from '../../../src/ports/kdf.ts';
import { corruptKeyring, corruptRecord, keyringMadeElsewhere, oversizeKeyring, removeKeyrings, wipeBackups, type CorruptionDeps } from './corruptions.ts';
import type { ScriptedDrive } from './scripted-drive.ts';
import { ALICE, BOB, MISMATCHED, NEW_PASSWORD, OTHER_DEVICE_PASSWORD, PASSWORD, TOO_SHORT, wrongPasswordWith } from './secrets.ts';

export const USER_EVENTS = new Set(['RETRY', 'CANCEL', 'CONFIRM', 'SPACE.FREED', 'PASSWORD.CHOSEN', 'PASSWORD.ENTERED', 'PASSWORD.FORGOTTEN', 'WALLET.CHOSEN']);

/** The methods a person uses, whichever flow it is. */
export interface AnyFlow {
  retry(): Promise<unknown>;
  cancel(): Promise<unknown>;
  confirm?(): Promise<unknown>;
  spaceFreed?(): Promise<unknown>;
  choosePassword?(password: string, confirmation: string): Promise<unknown>;
  enterPassword?(password: string): Promise<unknown>;
  forgotPassword?(): Promise<unknown>;
  chooseWallet?(walletId: string): Promise<unknown>;
}

export interface WorldDeps {
  path: ModelPath;
  cloud: MemoryCloud;
  drive: ScriptedDrive;
  kdf: ScryptKdf;
  scryptLogN: number;
  /** Backs these phrases up under Alice with PASSWORD on another device; answers their wallet ids. */
  backUpElsewhere(mnemonics: string[]): Promise<string[]>;
  /** Phrases Alice has backed up elsewhere, made when a step first needs them. */
  existing: string[];
  /** Completes a provider switch on this device's engine (R15). */
  switchDeviceTo(provider: ProviderId): Promise<void>;
}

export interface World {
  /** Arranges the cloud for the outcome at path.steps[index] (nothing for a person's event). */
  prepare(index: number): Promise<void>;
  /** Performs the person's event at path.steps[index] through the flow. */
  act(flow: AnyFlow, index: number): Promise<void>;
  /** The password of a password epoch of Alice's account. */
  passwordOf(epoch: number): string;
  /** Every password typed so far (R6 needles). */
  readonly typed: string[];
}

const isUnder = (state: unknown, parent: string) =>
  state === parent || (typeof state === 'object' && state !== null && parent in state);

export function createWorld(deps: WorldDeps): World {
  const { path, cloud, drive } = deps;
  const steps = path.steps;
  const typed: string[] = [];
  const passwords = new Map<number, string>();
  let walletIds: string[] = [];
  const corruption = (): CorruptionDeps => ({ cloud, account: ALICE, kdf: deps.kdf, scryptLogN: deps.scryptLogN });

  /** The first step after `index` whose event type is one of `types`. */
  const next = (index: number, types: string[]) => steps.slice(index + 1).find((s) => types.includes(s.event.type));

  /** The outcome of backup's unlock after step `index`, unless the keyring is loaded again first. */
  function backupUnlockAfter(index: number) {
    for (let j = index + 1; j < steps.length; j++) {
      const source = steps[j - 1]!.state;
      if (isUnder(source, 'loadingKeyring')) return null;
      if (source === 'unlockingKeyring') return steps[j]!.event;
    }
    return null;
  }

  function aliceFiles(): Record<string, Uint8Array> {
    return cloud.files.snapshot()[ALICE] ?? {};
  }

  function latestEpoch(): number {
    const epochs = Object.keys(aliceFiles()).flatMap((p) => (p.startsWith(`${KEYRINGS_FOLDER}/`) ? [Number(/(\d+)\.age$/.exec(p)?.[1])] : []));
    return Math.max(0, ...epochs);
  }

  async function ensureBackups(): Promise<void> {
    if (latestEpoch() > 0) return; // a keyring is there (this flow's own, or made before)
    walletIds = await deps.backUpElsewhere(deps.existing);
    passwords.set(1, PASSWORD);
  }

  async function wipe(): Promise<void> {
    await wipeBackups(corruption());
    walletIds = [];
    passwords.clear();
  }

  function healthy(): void {
    cloud.faults.clear();
    drive.clearStatusFault();
    cloud.device.setHms('ok');
    cloud.device.setQuotaBytes(MEMORY_DEFAULT_QUOTA_BYTES);
    cloud.device.setAccount(ALICE);
  }

  function usedBytes(): number {
    return Object.values(aliceFiles()).reduce((sum, bytes) => sum + bytes.length, 0);
  }

  async function arrange(index: number): Promise<void> {
    healthy();
    const event = steps[index]?.event;
    const from = steps[index - 1]?.state;
    // Set before the backoff's sleep runs: this arrangement starts synchronously when the row is logged.
    if (event?.type === 'CANCEL' && steps[index - 1]?.event.type === 'NETWORK.RETRYING') drive.interruptNextBackoff();
    if (event === undefined || USER_EVENTS.has(event.type)) return;
    const reason = event.reason as RecordProblem;
    switch (event.type) {
      case 'PROVIDER.NOT_SIGNED_IN':
        return cloud.device.setAccount(null);
      case 'PROVIDER.WRONG_ACCOUNT':
        return cloud.device.setAccount(BOB);
      case 'PROVIDER.HMS_MISSING':
        return cloud.device.setHms('missing');
      case 'PROVIDER.HMS_OUTDATED':
        return cloud.device.setHms('outdated');
      case 'PROVIDER.INACTIVE':
        return deps.switchDeviceTo(event.active as ProviderId);
      case 'NETWORK.FAILED': {
        // After a retry the budget (2 tries) is spent by a transient failure; else a failure no retry helps.
        const spent = steps[index - 1]?.event.type === 'BACKOFF.DONE' ? MODEL_RETRY_REASON : undefined;
        if (event.operation === 'checkProvider') drive.failStatusOnce(spent);
        else cloud.faults.failNext('any', 'network', spent === undefined ? {} : { transient: { reason: spent } });
        return;
      }
      case 'NETWORK.RETRYING':
        if (event.operation === 'checkProvider') drive.failStatusOnce(MODEL_RETRY_REASON);
        else cloud.faults.failNext('any', 'network', { transient: { reason: MODEL_RETRY_REASON } });
        return;
      case 'ACCOUNT.CHANGED':
        return cloud.device.setAccount(event.account === null ? null : BOB);
      case 'UPLOAD.QUOTA_EXCEEDED':
        return cloud.device.setQuotaBytes(Math.max(0, usedBytes() - 1));
      case 'VERIFY.MISMATCH':
        return cloud.faults.corruptRead((p) => p.startsWith('wallet-backup/wallets/'));
      case 'KEYRING.NONE':
      case 'BACKUPS.NONE':
        return wipe();
      case 'BACKUPS.FOUND':
        return ensureBackups();
      case 'KEYRING.FOUND': {
        await ensureBackups();
        // Backup reads the keyring here and opens those bytes later: corrupt them now if the unlock must fail.
        const unlock = path.machineId === 'backup' ? backupUnlockAfter(index) : null;
        if (unlock?.type === 'KEYRING.CORRUPT') await corruptKeyring(corruption(), unlock.reason as RecordProblem);
        return;
      }
      case 'KEYRING.CORRUPT':
        if (isUnder(from, 'loadingKeyring')) {
          await ensureBackups();
          if (reason === 'missing') return removeKeyrings(corruption());
          return oversizeKeyring(corruption(), latestEpoch());
        }
        if (path.machineId === 'restore') return corruptKeyring(corruption(), reason);
        return; // backup's unlock: arranged at KEYRING.FOUND
      case 'RECORD.CORRUPT':
        return corruptRecord(corruption(), reason, walletIds[0]!, walletIds[1] ?? null);
      case 'KEYRING.TAKEN': {
        const epoch = latestEpoch() + 1;
        passwords.set(epoch, OTHER_DEVICE_PASSWORD);
        typed.push(OTHER_DEVICE_PASSWORD);
        return keyringMadeElsewhere(corruption(), epoch, OTHER_DEVICE_PASSWORD);
      }
      case 'EFFECT.FAILED':
        return drive.failNextEffect();
      default:
        return;
    }
  }

  function type(password: string): string {
    typed.push(password);
    return password;
  }

  async function choose(flow: AnyFlow, event: Record<string, unknown>): Promise<void> {
    if (event.tooShort) return void (await flow.choosePassword!(type(TOO_SHORT), TOO_SHORT));
    if (event.mismatch) return void (await flow.choosePassword!(type(NEW_PASSWORD), type(MISMATCHED)));
    // Binding (R4) sets PASSWORD; a new epoch over an existing keyring (R8) sets NEW_PASSWORD.
    const epoch = latestEpoch() + 1;
    const password = epoch === 1 ? PASSWORD : NEW_PASSWORD;
    passwords.set(epoch, password);
    await flow.choosePassword!(type(password), password);
  }

  async function act(flow: AnyFlow, index: number): Promise<void> {
    const event = steps[index]!.event;
    switch (event.type) {
      case 'RETRY':
        return void (await flow.retry());
      case 'CANCEL':
        return void (await flow.cancel());
      case 'CONFIRM':
        return void (await flow.confirm!());
      case 'SPACE.FREED':
        return void (await flow.spaceFreed!());
      case 'PASSWORD.FORGOTTEN':
        return void (await flow.forgotPassword!());
      case 'PASSWORD.CHOSEN':
        return choose(flow, event);
      case 'PASSWORD.ENTERED': {
        // The unlock's eventual outcome: a network failure keeps the typed password for the retry.
        const outcome = next(index, ['KEYRING.UNLOCKED', 'KEYRING.WRONG_PASSWORD', 'KEYRING.CORRUPT', 'ACCOUNT.CHANGED', 'PASSWORD.ENTERED', 'CANCEL']);
        const wrong = outcome?.event.type === 'KEYRING.WRONG_PASSWORD';
        const right = passwords.get(latestEpoch()) ?? PASSWORD;
        return void (await flow.enterPassword!(type(wrong ? wrongPasswordWith(outcome.event.hints as PasswordHint[]) : right)));
      }
      case 'WALLET.CHOSEN':
        return void (await flow.chooseWallet!(walletIds[0]!));
      default:
        throw new Error(`harness: ${event.type} is not a person's event`);
    }
  }

  return { prepare: arrange, act, typed, passwordOf: (epoch) => passwords.get(epoch) ?? PASSWORD };
}
