/**
 * The provider check every flow starts with: someone signed in (R11), the expected account
 * when the app knows it (R11), and for Huawei an installed, recent HMS Core (R13). Each
 * failure is a waiting state the person leaves with RETRY (after fixing it) or CANCEL.
 *
 * Machines spread these states into their own config; `ready` is where PROVIDER.READY goes.
 * Actions named here ('rememberAccount', 'rememberHmsProblem', 'rememberWrongAccount')
 * must be implemented by every machine that uses the check.
 */
import { outcome, waitsFor } from './state-meta.ts';

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

/** A cloud step: `running` names the effect; a network failure waits for RETRY or CANCEL. */
export function cloudStep(machineId: string, effectName: string, on: Record<string, unknown>) {
  return {
    initial: 'running',
    states: {
      running: { meta: { effect: effectName }, on: { ...hmsLostTransitions(machineId), ...on, 'NETWORK.FAILED': 'networkError' } },
      networkError: {
        ...waitsFor(['RETRY', 'CANCEL'], 'network'),
        on: { RETRY: 'running', CANCEL: `#${machineId}.cancelled` },
      },
    },
  } as const;
}
