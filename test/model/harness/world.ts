/**
 * The scripted world: for the outcome a path expects next, arrange the cloud so the engine's
 * effect really meets it; for a person's event, do what the person does through the flow's
 * methods. Nothing is faked past the drive: the engine, its crypto and its log run for real.
 *
 *   PROVIDER.READY            signed in (Alice; Carol, who has no backups, when BACKUPS.NONE follows)
 *   PROVIDER.NOT_SIGNED_IN    signed out             PROVIDER.WRONG_ACCOUNT   Bob signed in
 *   PROVIDER.HMS_*            HMS Core missing / outdated on the Huawei device (also mid-flow)
 *   NETWORK.FAILED            the effect's first cloud call fails on the network (status() for checkProvider)
 *   UPLOAD.QUOTA_EXCEEDED     quota set below what the account already uses
 *   ACCOUNT.CHANGED           Bob signed in, or signed out, while the step runs
 *   VERIFY.MISMATCH           the read-back of the wallet record returns a flipped bit
 *   KEYRING/MANIFEST/RECORD.CORRUPT  the file deleted, replaced, flipped, re-encrypted (corruptions.ts)
 *   KEYRING.WRONG_PASSWORD    (at PASSWORD.ENTERED) a wrong password with exactly those hints
 *   KEYRING.NONE              no backup files in the account (deleted elsewhere, if a backup made them)
 *   PROVIDER.INACTIVE         the person made another provider active on this device (a real switch flow)
 * Preconditions (plan.ts) give KEYRING.FOUND / BACKUPS.FOUND and the switch's `from`.
 * Before every other outcome the world is healthy: the flow's account signed in, HMS Core ok,
 * space free, no fault.
 */
import { MEMORY_DEFAULT_QUOTA_BYTES, type MemoryCloud } from '../../../adapters/cloud/memory.ts';
import type { PasswordHint, ProviderId, RecordProblem } from '../../../machines/events.ts';
import type { ModelPath } from '../../../src/model/index.ts';
import type { ScryptKdf } from '../../../src/ports/kdf.ts';
import { corruptKeyring, corruptManifest, corruptRecord, wipeBackups, type CorruptionDeps } from './corruptions.ts';
import type { ScriptedDrive } from './scripted-drive.ts';
import { ALICE, BOB, CAROL, MISMATCHED, NEW_PASSWORD, PASSWORD, TOO_SHORT, wrongPasswordWith } from './secrets.ts';

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
  /** Wallet ids of the backups made beforehand, in order. */
  existingWalletIds: string[];
  /** Completes a provider switch on this device's engine (R15). */
  switchDeviceTo(provider: ProviderId): Promise<void>;
}

export interface World {
  /** Arranges the cloud for the outcome at path.steps[index] (nothing for a person's event). */
  prepare(index: number): Promise<void>;
  /** Performs the person's event at path.steps[index] through the flow. */
  act(flow: AnyFlow, index: number): Promise<void>;
  /** Every password typed so far (R6 needles). */
  readonly typed: string[];
  /** The password of the keyring this flow created, if it created one. */
  readonly chosenPassword: string | null;
}

const isUnder = (state: unknown, parent: string) =>
  state === parent || (typeof state === 'object' && state !== null && parent in state);

export function createWorld(deps: WorldDeps): World {
  const { path, cloud, drive } = deps;
  const steps = path.steps;
  let account = ALICE;
  const typed: string[] = [];
  let chosenPassword: string | null = null;
  const corruption = (): CorruptionDeps => ({ cloud, account, kdf: deps.kdf, scryptLogN: deps.scryptLogN });

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

  function healthy(): void {
    cloud.faults.clear();
    drive.clearStatusFault();
    cloud.device.setHms('ok');
    cloud.device.setQuotaBytes(MEMORY_DEFAULT_QUOTA_BYTES);
    cloud.device.setAccount(account);
  }

  function usedBytes(): number {
    return Object.values(cloud.files.snapshot()[account] ?? {}).reduce((sum, bytes) => sum + bytes.length, 0);
  }

  async function arrange(index: number): Promise<void> {
    healthy();
    const event = steps[index]?.event;
    const from = steps[index - 1]?.state;
    if (event === undefined || USER_EVENTS.has(event.type)) return;
    const reason = event.reason as RecordProblem;
    switch (event.type) {
      case 'PROVIDER.READY': {
        const listing = next(index, ['BACKUPS.FOUND', 'BACKUPS.NONE', 'MANIFEST.CORRUPT', 'ACCOUNT.CHANGED']);
        account = listing?.event.type === 'BACKUPS.NONE' ? CAROL : ALICE;
        cloud.device.setAccount(account);
        return;
      }
      case 'PROVIDER.NOT_SIGNED_IN':
        return cloud.device.setAccount(null);
      case 'PROVIDER.WRONG_ACCOUNT':
        return cloud.device.setAccount(BOB);
      case 'PROVIDER.HMS_MISSING':
        return cloud.device.setHms('missing');
      case 'PROVIDER.HMS_OUTDATED':
        return cloud.device.setHms('outdated');
      case 'NETWORK.FAILED':
        if (event.operation === 'checkProvider') drive.failStatusOnce();
        else cloud.faults.failNext('any', 'network');
        return;
      case 'ACCOUNT.CHANGED':
        return cloud.device.setAccount(event.account === null ? null : BOB);
      case 'UPLOAD.QUOTA_EXCEEDED':
        return cloud.device.setQuotaBytes(Math.max(0, usedBytes() - 1));
      case 'VERIFY.MISMATCH':
        return cloud.faults.corruptRead((p) => p.startsWith('wallet-backup/wallets/'));
      case 'PROVIDER.INACTIVE':
        return deps.switchDeviceTo(event.active as ProviderId);
      case 'KEYRING.NONE':
        return wipeBackups(corruption());
      case 'KEYRING.FOUND': {
        // Backup reads the keyring here and opens those bytes later: corrupt them now if the unlock must fail.
        const unlock = path.machineId === 'backup' ? backupUnlockAfter(index) : null;
        if (unlock?.type === 'KEYRING.CORRUPT') await corruptKeyring(corruption(), unlock.reason as RecordProblem);
        return;
      }
      case 'KEYRING.CORRUPT':
        if (isUnder(from, 'loadingKeyring')) return corruptManifest(corruption(), reason);
        if (path.machineId === 'restore') return corruptKeyring(corruption(), reason);
        return; // backup's unlock: arranged at KEYRING.FOUND
      case 'MANIFEST.CORRUPT':
        return corruptManifest(corruption(), reason);
      case 'RECORD.CORRUPT':
        return corruptRecord(corruption(), reason, deps.existingWalletIds[0]!, deps.existingWalletIds[1] ?? null);
      default:
        return;
    }
  }

  function type(password: string): string {
    typed.push(password);
    return password;
  }

  async function act(flow: AnyFlow, index: number): Promise<void> {
    const event = steps[index]!.event;
    switch (event.type) {
      case 'RETRY':
        await flow.retry();
        return;
      case 'CANCEL':
        await flow.cancel();
        return;
      case 'CONFIRM':
        await flow.confirm!();
        return;
      case 'SPACE.FREED':
        await flow.spaceFreed!();
        return;
      case 'PASSWORD.FORGOTTEN':
        await flow.forgotPassword!();
        return;
      case 'PASSWORD.CHOSEN': {
        // Binding (R4) sets PASSWORD; a new epoch (R8) over an existing keyring sets NEW_PASSWORD.
        const fresh = deps.existingWalletIds.length > 0 ? NEW_PASSWORD : PASSWORD;
        if (event.tooShort) await flow.choosePassword!(type(TOO_SHORT), TOO_SHORT);
        else if (event.mismatch) await flow.choosePassword!(type(NEW_PASSWORD), type(MISMATCHED));
        else {
          chosenPassword = fresh;
          await flow.choosePassword!(type(fresh), fresh);
        }
        return;
      }
      case 'PASSWORD.ENTERED': {
        // The unlock's eventual outcome: a network failure keeps the typed password for the retry.
        const outcome = next(index, ['KEYRING.UNLOCKED', 'KEYRING.WRONG_PASSWORD', 'KEYRING.CORRUPT', 'ACCOUNT.CHANGED', 'PASSWORD.ENTERED', 'CANCEL']);
        const wrong = outcome?.event.type === 'KEYRING.WRONG_PASSWORD';
        await flow.enterPassword!(type(wrong ? wrongPasswordWith(outcome.event.hints as PasswordHint[]) : PASSWORD));
        return;
      }
      case 'WALLET.CHOSEN':
        await flow.chooseWallet!(deps.existingWalletIds[0]!);
        return;
      default:
        throw new Error(`harness: ${event.type} is not a person's event`);
    }
  }

  return {
    prepare: arrange,
    act,
    typed,
    get chosenPassword() {
      return chosenPassword;
    },
  };
}
