/**
 * The provider check every flow starts with: someone signed in (R11), the expected account
 * when the app knows it (R11), and for Huawei an installed, recent HMS Core (R13). Each
 * failure is a waiting state the person leaves with RETRY (after fixing it) or CANCEL.
 *
 * Machines spread these states into their own config; `ready` is where PROVIDER.READY goes,
 * and spread providerCheckActions() into their setup's actions.
 */
import { assign, type EventObject } from 'xstate';
import type { ProviderCheckEvent } from './events.ts';
import { outcome, waitsFor } from './state-meta.ts';

/** The context fields the provider check fills in. */
export interface ProviderCheckContext {
  account: string | null;
  /** The wrong account signed in, when the check found one. */
  actualAccount: string | null;
  hmsProblem: 'missing' | 'outdated' | null;
}

/** The actions the provider check's transitions name, for a machine's `setup({ actions })`. */
export function providerCheckActions<Context extends ProviderCheckContext, Event extends EventObject>() {
  const remember = (update: (event: ProviderCheckEvent) => Partial<ProviderCheckContext>) =>
    assign<Context, Event, undefined, Event, never>(({ event }) => update(event as unknown as ProviderCheckEvent) as Partial<Context>);
  return {
    rememberAccount: remember((event) => ({
      account: event.type === 'PROVIDER.READY' ? event.account : null,
      actualAccount: null,
      hmsProblem: null,
    })),
    rememberWrongAccount: remember((event) => ({
      actualAccount: event.type === 'PROVIDER.WRONG_ACCOUNT' ? event.actual : null,
    })),
    rememberHmsProblem: remember((event) => ({
      hmsProblem: event.type === 'PROVIDER.HMS_OUTDATED' ? 'outdated' : 'missing',
    })),
  };
}

export function providerCheckStates<Extra extends Record<string, unknown>>(
  machineId: string,
  ready: string,
  /** Outcomes only this machine's check has (the backup's PROVIDER.INACTIVE). */
  extra?: Extra,
) {
  const cancelled = `#${machineId}.cancelled`;
  const check = `#${machineId}.checkingProvider`;
  return {
    checkingProvider: {
      initial: 'running',
      states: {
        running: {
          meta: { effect: 'checkProvider' },
          on: {
            'PROVIDER.READY': { target: `#${machineId}.${ready}`, actions: 'rememberAccount' },
            'PROVIDER.NOT_SIGNED_IN': `#${machineId}.notSignedIn`,
            'PROVIDER.WRONG_ACCOUNT': { target: `#${machineId}.wrongAccount`, actions: 'rememberWrongAccount' },
            'PROVIDER.HMS_MISSING': { target: `#${machineId}.hmsUnavailable`, actions: 'rememberHmsProblem' },
            'PROVIDER.HMS_OUTDATED': { target: `#${machineId}.hmsUnavailable`, actions: 'rememberHmsProblem' },
            'NETWORK.FAILED': 'networkError',
            ...(extra as Extra),
          },
        },
        networkError: {
          ...waitsFor(['RETRY', 'CANCEL'], 'network'),
          on: { RETRY: 'running', CANCEL: cancelled },
        },
      },
    },
    notSignedIn: { ...waitsFor(['RETRY', 'CANCEL'], 'not-signed-in'), on: { RETRY: check, CANCEL: cancelled } },
    wrongAccount: { ...waitsFor(['RETRY', 'CANCEL'], 'wrong-account'), on: { RETRY: check, CANCEL: cancelled } },
    hmsUnavailable: { ...waitsFor(['RETRY', 'CANCEL'], 'hms'), on: { RETRY: check, CANCEL: cancelled } },
    cancelled: outcome('cancelled'),
  } as const;
}

/**
 * HMS Core gone or outdated in the middle of a flow (the drive refuses every call, R13): the
 * provider check's waiting state, whose RETRY checks again. Spread into every state whose
 * effect calls the cloud, so no drive error leaves a flow in a state it cannot leave.
 */
export function hmsLostTransitions(machineId: string) {
  return {
    'PROVIDER.HMS_MISSING': { target: `#${machineId}.hmsUnavailable`, actions: 'rememberHmsProblem' },
    'PROVIDER.HMS_OUTDATED': { target: `#${machineId}.hmsUnavailable`, actions: 'rememberHmsProblem' },
  } as const;
}

/**
 * A cloud step: `running` names the effect; a network failure waits for RETRY or CANCEL. A step
 * that writes (`writes: true`) also waits in `storageFull` when the drive is full, until the
 * person frees space (R12); its machine implements the action 'rememberNeededBytes'.
 */
export function cloudStep(
  machineId: string,
  effectName: string,
  on: Record<string, unknown>,
  options: { writes?: boolean } = {},
) {
  const cancelled = `#${machineId}.cancelled`;
  // Typed loosely, as `on` is: xstate checks the assembled machine config against its own types.
  const storage: { on: Record<string, unknown>; states: Record<string, unknown> } = options.writes
    ? ({
        on: { 'UPLOAD.QUOTA_EXCEEDED': { target: 'storageFull', actions: 'rememberNeededBytes' } },
        states: {
          storageFull: {
            ...waitsFor(['SPACE.FREED', 'RETRY', 'CANCEL'], 'storage-full'),
            on: { 'SPACE.FREED': 'running', RETRY: 'running', CANCEL: cancelled },
          },
        },
      } as const)
    : ({ on: {}, states: {} } as const);
  return {
    initial: 'running',
    states: {
      running: {
        meta: { effect: effectName },
        on: { ...hmsLostTransitions(machineId), ...on, ...storage.on, 'NETWORK.FAILED': 'networkError' },
      },
      ...storage.states,
      networkError: {
        ...waitsFor(['RETRY', 'CANCEL'], 'network'),
        on: { RETRY: 'running', CANCEL: cancelled },
      },
    },
  } as const;
}
