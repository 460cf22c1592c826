/**
 * E5: a recorded flow replays through the pure machine definition to the same states. Uses a small
 * inline machine (input, context, guards on event data, nested states, a final state).
 */
import { assign, initialTransition, setup, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { openMemoryEventStore } from '../../adapters/store/memory-event-store.ts';
import { createRedactor } from '../../src/log/redact.ts';
import { INIT_EVENT_TYPE, encodeStateValue, replayFlow } from '../../src/log/replay.ts';
import { verifyChain } from '../../src/log/row-hash.ts';
import type { StoredRow, TransitionRecord } from '../../src/ports/event-store.ts';
import { collect } from './log-fixtures.ts';

type Ev =
  | { type: 'KEYRING.FOUND'; epoch: number }
  | { type: 'KEYRING.NONE' }
  | { type: 'PASSWORD.ENTERED'; password?: string }
  | { type: 'KEYRING.UNLOCKED'; epoch: number }
  | { type: 'KEYRING.WRONG_PASSWORD'; hints: string[] }
  | { type: 'UPLOAD.DONE' };

const machine = setup({
  types: {} as { input: { provider: string }; context: { provider: string; epoch: number | null; attempts: number }; events: Ev },
}).createMachine({
  id: 'mini-backup',
  context: ({ input }) => ({ provider: input.provider, epoch: null, attempts: 0 }),
  initial: 'loading',
  states: {
    loading: {
      on: {
        'KEYRING.FOUND': { target: 'unlock', actions: assign({ epoch: ({ event }) => event.epoch }) },
        'KEYRING.NONE': 'create',
      },
    },
    unlock: {
      initial: 'asking',
      states: {
        asking: { on: { 'PASSWORD.ENTERED': 'checking' } },
        checking: {
          on: {
            'KEYRING.UNLOCKED': { target: '#mini-backup.uploading' },
            'KEYRING.WRONG_PASSWORD': [
              { guard: ({ context }) => context.attempts >= 2, target: '#mini-backup.lockedOut' },
              { target: 'asking', actions: assign({ attempts: ({ context }) => context.attempts + 1 }) },
            ],
          },
        },
      },
    },
    create: { on: { 'PASSWORD.ENTERED': 'uploading' } },
    uploading: { on: { 'UPLOAD.DONE': 'done' } },
    lockedOut: { type: 'final' },
    done: { type: 'final' },
  },
});

const redact = createRedactor({
  'KEYRING.FOUND': ['epoch'],
  'KEYRING.UNLOCKED': ['epoch'],
  'KEYRING.WRONG_PASSWORD': ['hints'],
  'PASSWORD.ENTERED': ['password'], // the denylist drops it anyway
});

/** Runs the machine as the engine would and records each transition with a redacted payload. */
function record(flowId: string, input: { provider: string }, events: Ev[]): TransitionRecord[] {
  const at = (i: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString();
  let [snapshot] = initialTransition(machine, input);
  const records: TransitionRecord[] = [
    {
      flowId, position: 0, machineId: machine.id, machineVersion: 1, fromState: null, eventType: INIT_EVENT_TYPE,
      payload: JSON.stringify(input), toState: encodeStateValue(snapshot.value), at: at(0),
    },
  ];
  events.forEach((event, i) => {
    const from = encodeStateValue(snapshot.value);
    [snapshot] = transition(machine, snapshot, event);
    records.push({
      flowId, position: i + 1, machineId: machine.id, machineVersion: 1, fromState: from, eventType: event.type,
      payload: JSON.stringify(redact(event)), toState: encodeStateValue(snapshot.value), at: at(i + 1),
    });
  });
  return records;
}

const HISTORY: Ev[] = [
  { type: 'KEYRING.FOUND', epoch: 3 },
  { type: 'PASSWORD.ENTERED', password: 'hunter2hunter2' },
  { type: 'KEYRING.WRONG_PASSWORD', hints: ['caps-lock'] },
  { type: 'PASSWORD.ENTERED', password: 'Hunter2hunter2' },
  { type: 'KEYRING.UNLOCKED', epoch: 3 },
  { type: 'UPLOAD.DONE' },
];

async function storedFlow(flowId = 'flow-1', events = HISTORY): Promise<StoredRow[]> {
  const store = openMemoryEventStore();
  for (const r of record(flowId, { provider: 'icloud' }, events)) {
    const result = await store.append(r);
    if (!result.ok) throw new Error('append refused');
  }
  expect(await verifyChain(store.readAll())).toMatchObject({ ok: true });
  return collect(store.readAll());
}

describe('replayFlow (E5)', () => {
  it('replays a faithful log to the same states and final snapshot', async () => {
    const rows = await storedFlow();
    expect(rows.map((r) => r.toState)).toEqual([
      '"loading"', '{"unlock":"asking"}', '{"unlock":"checking"}', '{"unlock":"asking"}', '{"unlock":"checking"}',
      '"uploading"', '"done"',
    ]);
    expect(rows.some((r) => r.payload.includes('hunter2'))).toBe(false); // R6: the password never reached the log
    const result = replayFlow(machine, rows);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.finalSnapshot.value).toBe('done');
      expect(result.finalSnapshot.status).toBe('done');
      expect(result.finalSnapshot.context).toEqual({ provider: 'icloud', epoch: 3, attempts: 1 });
    }
  });

  it('replays a flow that never left its initial state', async () => {
    const rows = await storedFlow('f', []);
    const result = replayFlow(machine, rows);
    expect(result.ok && result.finalSnapshot.value).toBe('loading');
  });

  it('reports the position of a doctored to_state, with the state the machine reaches', async () => {
    const rows = await storedFlow();
    rows[4] = { ...rows[4]!, toState: '"done"' };
    expect(replayFlow(machine, rows)).toEqual({
      ok: false, position: 4, problem: 'to-state', expected: '{"unlock":"checking"}', actual: '"done"',
    });
  });

  it('reports a doctored from_state', async () => {
    const rows = await storedFlow();
    rows[2] = { ...rows[2]!, fromState: '"create"' };
    expect(replayFlow(machine, rows)).toMatchObject({
      ok: false, position: 2, problem: 'from-state', expected: '{"unlock":"asking"}', actual: '"create"',
    });
  });

  it('reports a doctored event (type or payload) where its effect shows', async () => {
    const rows = await storedFlow();
    const typeChanged = rows.map((r) => ({ ...r }));
    typeChanged[1] = { ...typeChanged[1]!, eventType: 'KEYRING.NONE' };
    expect(replayFlow(machine, typeChanged)).toMatchObject({ ok: false, position: 1, problem: 'to-state', expected: '"create"' });
    const badJson = rows.map((r) => ({ ...r }));
    badJson[3] = { ...badJson[3]!, payload: '{not json' };
    expect(replayFlow(machine, badJson)).toMatchObject({ ok: false, position: 3, problem: 'bad-payload' });
    const notObject = rows.map((r) => ({ ...r }));
    notObject[3] = { ...notObject[3]!, payload: '[1]' };
    expect(replayFlow(machine, notObject)).toMatchObject({ ok: false, position: 3, problem: 'bad-payload' });
  });

  it('lets the recorded event type win over a stray `type` in the payload', async () => {
    const rows = await storedFlow();
    rows[6] = { ...rows[6]!, payload: '{"type":"KEYRING.NONE"}' };
    expect(replayFlow(machine, rows).ok).toBe(true);
  });

  it('reports structural problems: no rows, a missing init row, a gap, rows of two flows', async () => {
    expect(replayFlow(machine, [])).toMatchObject({ ok: false, position: 0, problem: 'no-rows' });
    const rows = await storedFlow();
    expect(replayFlow(machine, rows.slice(1))).toMatchObject({ ok: false, position: 1, problem: 'init-event', expected: 'xstate.init' });
    expect(replayFlow(machine, [rows[0]!, rows[2]!])).toMatchObject({ ok: false, position: 2, problem: 'position' });
    const other = await storedFlow('flow-2');
    expect(replayFlow(machine, [rows[0]!, other[1]!])).toMatchObject({ ok: false, position: 1, problem: 'wrong-flow' });
  });

  it('reports a machine that throws while replaying, instead of throwing', async () => {
    const rows = await storedFlow();
    const throwing = setup({ types: {} as { events: { type: string } } }).createMachine({
      id: 'mini-backup',
      initial: 'loading',
      context: () => {
        throw new Error('boom');
      },
      states: { loading: {} },
    });
    const result = replayFlow(throwing, rows);
    expect(result).toMatchObject({ ok: false, position: 0, problem: 'machine-error' });
  });
});
