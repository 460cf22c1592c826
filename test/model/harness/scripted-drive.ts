/**
 * The scripted drive: a CloudDrive that the engine under test uses, over a memory cloud.
 *
 * Before each effect runs, the scripted world (world.ts) arranges the cloud for the outcome the
 * path expects next, possibly asynchronously (deleting or re-encrypting a file); every call of
 * the drive first waits for that arrangement, so the effect sees the world as scripted. It adds
 * one fault the memory cloud has not got: status() failing on the network (the provider check
 * itself cannot reach the provider), transient or not.
 *
 * It is also the engine's backoff sleep (machines v3): it does not wait (the harness policy's
 * delays are 0), and when the path has the person CANCEL while the step backs off it answers
 * 'interrupted', standing in for the person's interrupt: the harness only acts when the flow
 * rests, and a flow backing off does not. test/engine/logged-retries.test.ts covers the real
 * interrupt through flow.cancel().
 */
import type { MemoryCloud } from '../../../adapters/cloud/memory.ts';
import { networkError } from '../../../adapters/cloud/drive-errors.ts';
import { CloudError, type CloudDrive } from '../../../src/ports/cloud-drive.ts';
import type { BackoffSleep } from '../../../src/engine/backoff-sleep.ts';

export interface ScriptedDrive extends CloudDrive {
  /** The next drive call waits for this before it runs. */
  arrange(preparation: Promise<void>): void;
  /** The next status() throws CloudError('network'), transient with this reason when one is given. */
  failStatusOnce(transientReason?: string): void;
  /** The next backoff is interrupted (the person's CANCEL while the step waits). */
  interruptNextBackoff(): void;
  /** The engine's backoff sleep. */
  sleep: BackoffSleep;
  clearStatusFault(): void;
  /** The next effect to run fails with an error no step expects (EFFECT.FAILED). */
  failNextEffect(): void;
  /** The engine's beforeEffect hook: throws once when failNextEffect asked for it. */
  beforeEffect(effect: string): Promise<void>;
}

export function createScriptedDrive(cloud: MemoryCloud): ScriptedDrive {
  let pending: Promise<void> = Promise.resolve();
  let statusFails = false;
  let statusReason: string | undefined;
  let effectFails = false;
  let interrupt = false;
  const ready = () => pending;
  return {
    provider: cloud.provider,
    arrange(preparation) {
      pending = preparation;
    },
    failStatusOnce(transientReason) {
      statusFails = true;
      statusReason = transientReason;
    },
    clearStatusFault() {
      statusFails = false;
      statusReason = undefined;
      effectFails = false;
      interrupt = false;
    },
    interruptNextBackoff() {
      interrupt = true;
    },
    async sleep() {
      if (!interrupt) return 'slept';
      interrupt = false;
      return 'interrupted';
    },
    failNextEffect() {
      effectFails = true;
    },
    // No wait for the arrangement here: an arrangement may itself run a flow (a provider switch)
    // whose effects pass this hook. failNextEffect is set synchronously when the step is arranged.
    async beforeEffect(effect) {
      if (!effectFails) return;
      effectFails = false;
      throw new Error(`injected failure before ${effect} (the model's EFFECT.FAILED)`);
    },
    async status() {
      await ready();
      if (statusFails) {
        statusFails = false;
        const failed = networkError(cloud.provider, 'the provider could not be reached');
        if (statusReason === undefined) throw failed;
        throw new CloudError('network', failed.message, undefined, { transient: true, reason: statusReason });
      }
      return cloud.status();
    },
    async read(path, limit) {
      await ready();
      return cloud.read(path, limit);
    },
    async create(path, bytes) {
      await ready();
      return cloud.create(path, bytes);
    },
    async write(path, bytes) {
      await ready();
      return cloud.write(path, bytes);
    },
    async list(prefix) {
      await ready();
      return cloud.list(prefix);
    },
    async delete(path) {
      await ready();
      return cloud.delete(path);
    },
    async quota() {
      await ready();
      return cloud.quota();
    },
  };
}
