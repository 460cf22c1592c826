/**
 * The audit's transition memo (src/audit/transition-memo.ts, issue 6) must be exact: with it,
 * replay reaches the same snapshots (state, context, status) as xstate computing every row, on
 * realistic logs and on tampered ones, and its memory stays bounded.
 */
import { createMachine, assign } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { findMachine } from '../../machines/registry.ts';
import { replayStep, type ReplayStep } from '../../src/audit/flow-replayer.ts';
import { createTransitionMemo, type TransitionMemo } from '../../src/audit/transition-memo.ts';
import type { StoredRow } from '../../src/ports/event-store.ts';
import { syntheticLog } from '../../scripts/synthetic-log.ts';
import { auditLog, type AuditReport } from '../../src/audit/audit-log.ts';
import { rechain } from './audit-helpers.ts';

interface Replayed {
  results: ReplayStep[];
  memo: TransitionMemo | undefined;
}

/** Replays every row of a log, flow by flow in log order, with or without a memo. */
function replayAll(rows: readonly StoredRow[], memo?: TransitionMemo): Replayed {
  const open = new Map<string, { snapshot: AnyMachineSnapshot | undefined; state: string; machine: AnyStateMachine }>();
  const results: ReplayStep[] = [];
  for (const row of rows) {
    let flow = open.get(row.flowId);
    if (flow === undefined) {
      const found = findMachine(row.machineId, row.machineVersion);
      if (!found.ok) throw new Error(`no machine ${row.machineId}@${row.machineVersion}`);
      flow = { snapshot: undefined, state: 'null', machine: found.machine };
      open.set(row.flowId, flow);
    }
    let payload: unknown;
    try {
      payload = JSON.parse(row.payload);
    } catch (error) {
      payload = error;
    }
    const result = replayStep(flow.machine, flow.snapshot, flow.state, row, payload, memo);
    results.push(result);
    if (!result.ok || result.final) open.delete(row.flowId);
    else {
      flow.snapshot = result.snapshot;
      flow.state = result.state;
    }
  }
  return { results, memo };
}

/** What a replay step tells: its verdict, and for a success the snapshot's observable parts. */
function observable(step: ReplayStep) {
  if (!step.ok) return step;
  const s = step.snapshot;
  return { state: step.state, final: step.final, value: s.value, context: s.context, status: s.status, output: s.output, tags: [...s.tags].sort(), children: s.children };
}

describe('transition memo (issue 6: audit replays remembered transitions without the interpreter)', () => {
  it('E5: with the memo, every row of realistic logs replays to the same state, context and status as xstate alone', () => {
    for (const seed of [1, 2, 3]) {
      const { rows } = syntheticLog({ seed, rows: 6_000, concurrency: 4, reuseStates: false });
      const plain = replayAll(rows);
      const memoised = replayAll(rows, createTransitionMemo());
      expect(plain.results.every((r) => r.ok)).toBe(true);
      expect(memoised.results.map(observable)).toEqual(plain.results.map(observable));
      // The memo did its job: most rows were answered without the interpreter.
      const { bySnapshot, byTransition, misses } = memoised.memo!.stats;
      expect(bySnapshot + byTransition + misses).toBe(rows.length);
      expect(bySnapshot).toBeGreaterThan(0);
      expect(byTransition).toBeGreaterThan(0);
      expect(misses).toBeLessThan(rows.length / 4);
    }
  });

  it('E5: a tiny memo that keeps starting again gives the same answers (bounded memory)', () => {
    const { rows } = syntheticLog({ seed: 4, rows: 4_000, concurrency: 3, reuseStates: false });
    const plain = replayAll(rows);
    const tiny = replayAll(rows, createTransitionMemo(3));
    expect(tiny.results.map(observable)).toEqual(plain.results.map(observable));
  });

  it('E5: tampered rows fail the same way with and without the memo', () => {
    const { rows } = syntheticLog({ seed: 5, rows: 3_000, concurrency: 3, reuseStates: false });
    const tampered = rows.map((row, i) => {
      if (i % 97 === 5) return { ...row, toState: JSON.stringify('done') };
      if (i % 101 === 7) return { ...row, eventType: 'UPLOAD.DONE' };
      if (i % 89 === 3) return { ...row, payload: '{"walletId":7}' };
      return row;
    });
    const plain = replayAll(tampered);
    const memoised = replayAll(tampered, createTransitionMemo());
    expect(plain.results.some((r) => !r.ok)).toBe(true);
    expect(memoised.results.map(observable)).toEqual(plain.results.map(observable));
  });

  it('E5: a guarded transition is answered with the branch xstate chooses on each flow\'s own context', () => {
    const gate = createMachine({
      id: 'gate',
      types: {} as { context: { open: boolean; name: string }; input: { open: boolean; name: string } },
      context: ({ input }) => ({ open: input.open, name: input.name }),
      initial: 'waiting',
      states: {
        waiting: { on: { PUSH: [{ guard: ({ context }) => context.open, target: 'passed' }, { target: 'refused' }] } },
        passed: {},
        refused: {},
      },
    });
    const memo = createTransitionMemo();
    const row = (flowId: string, position: number, eventType: string, payload: string, toState: string, fromState: string | null): StoredRow => ({
      seq: 0, flowId, position, machineId: 'gate', machineVersion: 1, fromState, eventType, payload, toState, at: '', prevHash: '', hash: '',
    });
    // Each flow has its own input (its name), so no two flows share a snapshot (memo 1).
    const run = (flowId: string, open: boolean) => {
      const input = { open, name: flowId };
      const init = replayStep(gate, undefined, 'null', row(flowId, 0, 'xstate.init', JSON.stringify(input), '"waiting"', null), input, memo);
      if (!init.ok) throw new Error('init');
      return replayStep(gate, init.snapshot, init.state, row(flowId, 1, 'PUSH', '{}', open ? '"passed"' : '"refused"', '"waiting"'), {}, memo);
    };
    expect(run('a', true)).toMatchObject({ ok: true, state: '"passed"' });
    expect(run('b', false)).toMatchObject({ ok: true, state: '"refused"' });
    expect(run('c', true)).toMatchObject({ ok: true, state: '"passed"' });
    expect(run('d', false)).toMatchObject({ ok: true, state: '"refused"' });
    // c and d: xstate's own guard evaluation, on each flow's context, chose the transition.
    expect(memo.stats.byTransition).toBe(2);
  });

  it('E5: a transition with an action other than assign is always left to xstate', () => {
    const calls: string[] = [];
    const noisy = createMachine({
      id: 'noisy',
      types: {} as { context: { name: string }; input: { name: string } },
      context: ({ input }) => ({ name: input.name }),
      initial: 'a',
      states: { a: { on: { GO: { target: 'b', actions: () => calls.push('ran') } } }, b: { on: { GO: 'a' } } },
    });
    const memo = createTransitionMemo();
    for (const name of ['x', 'y', 'z']) {
      const mk = (position: number, eventType: string, payload: string, fromState: string | null, toState: string): StoredRow => ({
        seq: 0, flowId: name, position, machineId: 'noisy', machineVersion: 1, fromState, eventType, payload, toState, at: '', prevHash: '', hash: '',
      });
      const s0 = replayStep(noisy, undefined, 'null', mk(0, 'xstate.init', JSON.stringify({ name }), null, '"a"'), { name }, memo);
      if (!s0.ok) throw new Error('init');
      expect(replayStep(noisy, s0.snapshot, s0.state, mk(1, 'GO', JSON.stringify({ n: name }), '"a"', '"b"'), { n: name }, memo)).toMatchObject({ ok: true, state: '"b"' });
    }
    expect(memo.stats.byTransition).toBe(0);
    expect(calls).toEqual([]); // replay collects actions and never runs them
  });

  it('E5: a transition that assigns the context gives each flow its own context and final output', () => {
    const counter = createMachine({
      id: 'counter',
      types: {} as { context: { n: number; name: string }; input: { name: string } },
      context: ({ input }) => ({ n: 0, name: input.name }),
      initial: 'a',
      states: {
        a: { on: { GO: { target: 'b', actions: assign({ n: ({ context }) => context.n + 1 }) } } },
        b: { on: { GO: 'c' } },
        c: { type: 'final', output: ({ context }: { context: { name: string } }) => `bye ${context.name}` },
      },
      output: ({ context, event }) => ({ n: context.n, name: context.name, said: (event as { output?: unknown }).output }),
    });
    const memo = createTransitionMemo();
    const results: ReplayStep[] = [];
    for (const name of ['x', 'y', 'z']) {
      const mk = (position: number, eventType: string, payload: string, fromState: string | null, toState: string): StoredRow => ({
        seq: 0, flowId: name, position, machineId: 'counter', machineVersion: 1, fromState, eventType, payload, toState, at: '', prevHash: '', hash: '',
      });
      const s0 = replayStep(counter, undefined, 'null', mk(0, 'xstate.init', JSON.stringify({ name }), null, '"a"'), { name }, memo);
      if (!s0.ok) throw new Error('init');
      const s1 = replayStep(counter, s0.snapshot, s0.state, mk(1, 'GO', '{}', '"a"', '"b"'), {}, memo);
      if (!s1.ok) throw new Error('first GO');
      const s2 = replayStep(counter, s1.snapshot, s1.state, mk(2, 'GO', '{}', '"b"', '"c"'), {}, memo);
      results.push(s1, s2);
      expect(s1.snapshot.context).toEqual({ n: 1, name });
      expect(s2).toMatchObject({ ok: true, final: true });
      // The machine's output, from the root's mapper given the final state's own output.
      expect(s2.ok && s2.snapshot.output).toEqual({ n: 1, name, said: `bye ${name}` });
    }
    // a → b assigns: by transition for y and z, each with its own context.
    // b → c enters the top-level final state: by transition too, with each flow's own output.
    expect(memo.stats.byTransition).toBe(4);
  });
});

describe('auditLog with the memo switched off (AuditOptions.memo: false, WALLET_BACKUP_AUDIT_MEMO=off)', () => {
  /** The report without how it was replayed: what the memo must never change. */
  const verdict = ({ replay: _replay, ...report }: AuditReport) => report;

  it('E5: gives the same report on realistic logs, with every row replayed by xstate itself', async () => {
    for (const seed of [1, 2]) {
      const { rows } = syntheticLog({ seed, rows: 4_000, concurrency: 4, reuseStates: false });
      const withMemo = await auditLog(rows);
      const without = await auditLog(rows, { memo: false });
      expect(withMemo.ok).toBe(true);
      expect(verdict(without)).toEqual(verdict(withMemo));
      expect(without.replay).toEqual({ memo: false, rows: withMemo.replay.rows, remembered: 0 });
      expect(withMemo.replay.memo).toBe(true);
      // Most rows of a long log repeat a transition already computed: that is what the memo is for.
      expect(withMemo.replay.remembered).toBeGreaterThan(withMemo.replay.rows / 2);
    }
  });

  it('E4 E5: gives the same findings on tampered logs', async () => {
    const { rows } = syntheticLog({ seed: 7, rows: 3_000, concurrency: 3, reuseStates: false });
    // Rows edited and re-chained (so only replay can tell), at places spread over the log.
    const edited = rows.map((row, i) => (i % 499 === 17 && row.toState !== null ? { ...row, toState: JSON.stringify('uploading') } : row));
    const rechained = rechain(edited);
    const withMemo = await auditLog(rechained);
    const without = await auditLog(rechained, { memo: false });
    expect(withMemo.ok).toBe(false);
    expect(verdict(without)).toEqual(verdict(withMemo));
  });
});
