/**
 * The scripted drive: a CloudDrive that the engine under test uses, over a memory cloud.
 *
 * Before each effect runs, the scripted world (world.ts) arranges the cloud for the outcome the
 * path expects next, possibly asynchronously (deleting or re-encrypting a file); every call of
 * the drive first waits for that arrangement, so the effect sees the world as scripted. It adds
 * one fault the memory cloud has not got: status() failing on the network (the provider check
 * itself cannot reach the provider).
 */
import type { MemoryCloud } from '../../../adapters/cloud/memory.ts';
import { networkError } from '../../../adapters/cloud/drive-errors.ts';
import type { CloudDrive } from '../../../src/ports/cloud-drive.ts';

export interface ScriptedDrive extends CloudDrive {
  /** The next drive call waits for this before it runs. */
  arrange(preparation: Promise<void>): void;
  /** The next status() throws CloudError('network'). */
  failStatusOnce(): void;
  clearStatusFault(): void;
  /** The next effect to run fails with an error no step expects (EFFECT.FAILED). */
  failNextEffect(): void;
  /** The engine's beforeEffect hook: throws once when failNextEffect asked for it. */
  beforeEffect(effect: string): Promise<void>;
}

export function createScriptedDrive(cloud: MemoryCloud): ScriptedDrive {
  let pending: Promise<void> = Promise.resolve();
  let statusFails = false;
  let effectFails = false;
  const ready = () => pending;
  return {
    provider: cloud.provider,
    arrange(preparation) {
      pending = preparation;
    },
    failStatusOnce() {
      statusFails = true;
    },
    clearStatusFault() {
      statusFails = false;
      effectFails = false;
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
        throw networkError(cloud.provider, 'the provider could not be reached');
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
