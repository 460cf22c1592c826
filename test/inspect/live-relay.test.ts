/**
 * Live mode's relay (src/inspect/live-relay.ts) on the messages @statelyai/inspect really sends:
 * an engine's flow becomes an actor and its transitions, with diagram ids; events pass the
 * redaction allowlist (a secret field never reaches the page); two apps' equal XState session
 * ids stay apart; anything that is not an inspection event is ignored.
 */
import { createInspector } from '@statelyai/inspect';
// What createWebSocketInspector serialises its frames with (a dependency of @statelyai/inspect).
import safeStableStringify from 'safe-stable-stringify';
import { describe, expect, it } from 'vitest';
import { createMemoryClouds } from '../../adapters/cloud/memory.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { createBackupEngine } from '../../src/engine/index.ts';
import { LiveRelay, type LiveMessage } from '../../src/inspect/live-relay.ts';
import { ALICE, MNEMONIC_12, PASSWORD } from '../engine/engine-helpers.ts';

const stringify = safeStableStringify.configure({ maximumDepth: 10 });

/** The JSON frames createWebSocketInspector would send for one first backup. */
async function framesOfFirstBackup(): Promise<string[]> {
  const frames: string[] = [];
  const inspector = createInspector({ send: (event) => frames.push(stringify(event) ?? '') });
  const engine = createBackupEngine({
    eventLog: openMemoryEventStore(),
    clouds: createMemoryClouds({ account: ALICE }),
    kdf: createNodeScrypt(),
    scryptLogN: 10,
    inspect: inspector.inspect,
  });
  const flow = await engine.backup({ provider: 'icloud', mnemonic: MNEMONIC_12 });
  await flow.choosePassword(PASSWORD, PASSWORD);
  // The inspector converts each event from a timer.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return frames;
}

describe('LiveRelay', () => {
  it('turns an inspected flow into an actor and its transitions, with diagram ids', async () => {
    const relay = new LiveRelay();
    const messages = (await framesOfFirstBackup()).map((f) => relay.accept(f, 'app1')).filter((m): m is LiveMessage => m !== null);
    // The engine runs the current release of the backup machine (version 3).
    expect(messages[0]).toMatchObject({ kind: 'actor', machineId: 'backup', machineVersion: 3, known: true });
    expect(messages[0]!.sessionId).toMatch(/^app1\//);
    const transitions = messages.filter((m) => m.kind === 'transition');
    expect(transitions[0]).toMatchObject({ event: 'xstate.init', payload: { provider: 'icloud' }, leafIds: ['backup.checkingMnemonic'] });
    expect(transitions.map((t) => t.event)).toContain('KEYRING.NONE');
    expect(transitions.at(-1)).toMatchObject({ state: 'done', outcome: 'done', leafIds: ['backup.done'] });
    expect(transitions.find((t) => t.event === 'KEYRING.NONE')!.edgeIds).toEqual(['edge:backup.loadingKeyring.running->backup.choosingPassword']);
    const text = JSON.stringify(relay.history());
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('legal winner');
    expect(text).not.toContain('"context"');
  });

  it('drops event fields outside the allowlist, keeps apps apart, ignores other frames', () => {
    const relay = new LiveRelay();
    const actor = (sessionId: string) => JSON.stringify({ type: '@xstate.actor', sessionId, name: 'backup', definition: JSON.stringify({ id: 'backup', version: '1' }) });
    const snapshot = (sessionId: string, event: object, value: unknown) => JSON.stringify({ type: '@xstate.snapshot', sessionId, event, snapshot: { value, status: 'active', context: { secret: 'x' } } });
    expect(relay.accept(actor('x:0'), 'app1')).toMatchObject({ sessionId: 'app1/x:0' });
    expect(relay.accept(actor('x:0'), 'app2')).toMatchObject({ sessionId: 'app2/x:0' });
    const message = relay.accept(snapshot('x:0', { type: 'KEYRING.WRONG_PASSWORD', hints: ['caps-lock'], password: 'hunter22!' }, 'enteringPassword'), 'app2');
    expect(message).toMatchObject({ sessionId: 'app2/x:0', event: 'KEYRING.WRONG_PASSWORD', payload: { hints: ['caps-lock'] }, leafIds: ['backup.enteringPassword'] });
    expect(JSON.stringify(message)).not.toContain('hunter22');
    expect(JSON.stringify(message)).not.toContain('secret');
    expect(relay.accept('not json', 'app1')).toBeNull();
    expect(relay.accept(JSON.stringify({ type: '@xstate.event', sessionId: 'x:0', event: { type: 'RETRY' } }), 'app1')).toBeNull();
    expect(relay.accept(snapshot('x:9', { type: 'RETRY' }, 'done'), 'app1')).toBeNull();
    const foreign = relay.accept(JSON.stringify({ type: '@xstate.actor', sessionId: 'x:1', name: 'toggle', definition: '{"id":"toggle"}' }), 'app1');
    expect(foreign).toMatchObject({ machineId: 'toggle', known: false, activeIds: [] });
  });
});
