/**
 * Machines version 3 (machines/retry-states.ts): every cloud step backs off on NETWORK.RETRYING,
 * tries again on BACKOFF.DONE, can be cancelled while it waits, and keeps the retry facts in
 * context until the step answers anything else. Pure: xstate's transition, no engine.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import {
  backupMachineV2,
  backupMachineV3,
  leafMeta,
  providerSwitchMachineV3,
  restoreMachineV2,
  restoreMachineV3,
} from '../../machines/index.ts';
import { stateNodesOf } from '../../src/model/index.ts';

const retrying = (operation: string, attempt: number) => ({ type: 'NETWORK.RETRYING', operation, attempt, delayMs: 250 * attempt, reason: 'HTTP 503' });

function run(machine: AnyStateMachine, input: Record<string, unknown>, events: Array<{ type: string } & Record<string, unknown>>): AnyMachineSnapshot {
  let [snapshot] = initialTransition(machine, input);
  for (const event of events) [snapshot] = transition(machine, snapshot, event);
  return snapshot;
}

const BACKUP_INPUT = { provider: 'gdrive', walletName: 'Main', expectedAccount: null };
const toUploading = [
  { type: 'MNEMONIC.VALID', words: 12 },
  { type: 'PROVIDER.READY', account: 'alice@example.com' },
  { type: 'KEYRING.NONE' },
  { type: 'PASSWORD.CHOSEN', tooShort: false, mismatch: false },
  { type: 'KEYRING.CREATED', epoch: 1 },
  { type: 'WALLET.ENCRYPTED', walletId: 'w-1', bytes: 10 },
];

/** Cloud steps: compound states with a running effect and a networkError, by their path. */
function cloudSteps(machine: AnyStateMachine): string[] {
  return stateNodesOf(machine)
    .filter((node) => node.path.at(-1) === 'networkError')
    .map((node) => node.path.slice(0, -1).join('.'));
}

describe('machines version 3: logged retries', () => {
  it('add a backingOff state, with the backoff effect, to every cloud step of version 2 and nowhere else', () => {
    for (const [v2, v3] of [
      [backupMachineV2, backupMachineV3],
      [restoreMachineV2, restoreMachineV3],
    ] as const) {
      const steps = cloudSteps(v2);
      expect(steps.length).toBeGreaterThan(2);
      const backingOff = stateNodesOf(v3).filter((node) => node.path.at(-1) === 'backingOff');
      expect(backingOff.map((node) => node.path.slice(0, -1).join('.')).sort()).toEqual([...steps].sort());
      for (const node of backingOff) expect(node.meta).toEqual({ effect: 'backoff' });
    }
    expect(stateNodesOf(providerSwitchMachineV3).filter((n) => n.path.at(-1) === 'backingOff').map((n) => n.path.join('.'))).toEqual(['checkingProvider.backingOff']);
  });

  it('back off on NETWORK.RETRYING, remember the try, and run the step again on BACKOFF.DONE', () => {
    const waiting = run(backupMachineV3, BACKUP_INPUT, [...toUploading, retrying('upload', 1)]);
    expect(waiting.value).toEqual({ uploading: 'backingOff' });
    expect(leafMeta(waiting).effect).toBe('backoff');
    expect(waiting.context.retry).toEqual({ operation: 'upload', attempt: 1, delayMs: 250, reason: 'HTTP 503' });
    const again = run(backupMachineV3, BACKUP_INPUT, [...toUploading, retrying('upload', 1), { type: 'BACKOFF.DONE' }, retrying('upload', 2)]);
    expect(again.context.retry).toEqual({ operation: 'upload', attempt: 2, delayMs: 500, reason: 'HTTP 503' });
    const tried = run(backupMachineV3, BACKUP_INPUT, [...toUploading, retrying('upload', 1), { type: 'BACKOFF.DONE' }]);
    expect(tried.value).toEqual({ uploading: 'running' });
    expect(tried.context.retry).not.toBeNull();
  });

  it('forget the retry when the step answers anything but a failure', () => {
    const done = run(backupMachineV3, BACKUP_INPUT, [...toUploading, retrying('upload', 1), { type: 'BACKOFF.DONE' }, { type: 'UPLOAD.DONE' }]);
    expect(done.value).toEqual({ verifying: 'running' });
    expect(done.context.retry).toBeNull();
    const full = run(backupMachineV3, BACKUP_INPUT, [...toUploading, retrying('upload', 1), { type: 'BACKOFF.DONE' }, { type: 'UPLOAD.QUOTA_EXCEEDED', neededBytes: 5 }]);
    expect(full.value).toEqual({ uploading: 'storageFull' });
    expect(full.context.retry).toBeNull();
    expect(full.context.neededBytes).toBe(5);
  });

  it('keep the last retry when the budget is spent (NETWORK.FAILED), and forget it on the person\'s RETRY', () => {
    const spent = run(backupMachineV3, BACKUP_INPUT, [...toUploading, retrying('upload', 1), { type: 'BACKOFF.DONE' }, { type: 'NETWORK.FAILED', operation: 'upload' }]);
    expect(spent.value).toEqual({ uploading: 'networkError' });
    expect(spent.context.retry).toMatchObject({ attempt: 1 });
    const retried = run(backupMachineV3, BACKUP_INPUT, [...toUploading, retrying('upload', 1), { type: 'BACKOFF.DONE' }, { type: 'NETWORK.FAILED', operation: 'upload' }, { type: 'RETRY' }]);
    expect(retried.value).toEqual({ uploading: 'running' });
    expect(retried.context.retry).toBeNull();
  });

  it('let a person cancel while a step backs off, and end in failed when the wait itself fails', () => {
    expect(run(backupMachineV3, BACKUP_INPUT, [...toUploading, retrying('upload', 1), { type: 'CANCEL' }]).value).toBe('cancelled');
    const failure = { type: 'EFFECT.FAILED', effect: 'backoff', error: 'Error', code: null, message: 'timer' };
    expect(run(backupMachineV3, BACKUP_INPUT, [...toUploading, retrying('upload', 1), failure]).value).toBe('failed');
  });

  it('back off in the provider check of every flow, and in restore steps', () => {
    const check = run(providerSwitchMachineV3, { from: null, provider: 'gdrive' }, [retrying('checkProvider', 1)]);
    expect(check.value).toEqual({ checkingProvider: 'backingOff' });
    const listing = run(restoreMachineV3, { provider: 'gdrive' }, [{ type: 'PROVIDER.READY', account: 'a@example.com' }, retrying('listBackups', 1)]);
    expect(listing.value).toEqual({ listing: 'backingOff' });
  });

  it('leave version 2 without the backoff (released machines are never edited)', () => {
    const [v2] = transition(backupMachineV2, run(backupMachineV2, BACKUP_INPUT, toUploading), retrying('upload', 1));
    expect(v2.value).toEqual({ uploading: 'running' });
    expect(stateNodesOf(backupMachineV2).some((n) => n.path.at(-1) === 'backingOff')).toBe(false);
  });
});
