/**
 * E5 and machine versions (issue 4): audit replays every flow, row by row, through the machine
 * version that recorded it, and refuses clearly, never crashing, on a version this build lacks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredRow } from '../../src/ports/event-store.ts';
import { replayFlow } from '../../src/log/replay.ts';
import { currentRelease, findMachine, MACHINE_RELEASES } from '../../machines/registry.ts';
import { audit, errors, firstError, history, rechain } from './audit-helpers.ts';

function edit(rows: StoredRow[], index: number, change: Partial<StoredRow>): StoredRow[] {
  return rechain(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
}

describe('E5: incremental replay through the recording machine', () => {
  it('E5: audit\'s row-by-row replay agrees with replayFlow (xstate\'s pure transition) on every flow of random histories', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 80 }), async (seed, rows) => {
        const log = history(seed, rows, 3);
        const report = await audit(log);
        expect(report.findings.filter((f) => f.kind === 'replay-mismatch')).toEqual([]);
        const flows = new Map<string, StoredRow[]>();
        for (const row of log) flows.set(row.flowId, [...(flows.get(row.flowId) ?? []), row]);
        for (const flowRows of flows.values()) {
          const found = findMachine(flowRows[0]!.machineId, flowRows[0]!.machineVersion);
          expect(found.ok).toBe(true);
          if (found.ok) expect(replayFlow(found.machine, flowRows).ok).toBe(true);
        }
        expect(report.flows).toBe(flows.size);
      }),
      { numRuns: 60 },
    );
  });

  it('E5: a recorded state the machine does not reach is reported at its row, with the state the machine requires', async () => {
    const log = history(11, 40, 1);
    const index = log.findIndex((row) => row.position === 2);
    const tampered = edit(log, index, { toState: JSON.stringify('uploading') });
    const report = await audit(tampered);
    expect(report.chain.ok).toBe(true); // the chain was rebuilt: only replay sees it
    const first = firstError(report)!;
    expect(first).toMatchObject({ kind: 'replay-mismatch', index: index + 1, flowId: log[index]!.flowId, position: 2, actual: '"uploading"' });
    expect(first.expected).toBe(log[index]!.toState);
  });

  it('E5: an event the machine cannot take in that state is reported (the machine stays, the row says it moved)', async () => {
    const log = history(12, 40, 1);
    const index = log.findIndex((row) => row.position === 1);
    const tampered = edit(log, index, { eventType: 'MANIFEST.PUBLISHED' });
    expect(firstError(await audit(tampered))).toMatchObject({ kind: 'replay-mismatch', index: index + 1 });
  });

  it('E5: a payload that is not JSON is reported, not thrown', async () => {
    const log = history(13, 20, 1);
    const report = await audit(edit(log, 3, { payload: '{not json' }));
    expect(firstError(report)).toMatchObject({ kind: 'replay-mismatch', index: 4 });
    expect(firstError(report)!.message).toContain('bad-payload');
  });
});

describe('E5: machine versions (machines/registry.ts)', () => {
  it('E5: every machine a log can name is in the registry: every version 1, versions 2 and 3 of backup, restore and providerSwitch (3 is the release new flows run)', () => {
    expect(MACHINE_RELEASES.map((r) => `${r.id}@${r.version}`).sort()).toEqual([
      'backup@1',
      'backup@2',
      'backup@3',
      'offlineCopy@1',
      'providerSwitch@1',
      'providerSwitch@2',
      'providerSwitch@3',
      'restore@1',
      'restore@2',
      'restore@3',
    ]);
    expect(['backup', 'restore', 'providerSwitch', 'offlineCopy'].map((id) => `${id}@${currentRelease(id).version}`)).toEqual([
      'backup@3',
      'restore@3',
      'providerSwitch@3',
      'offlineCopy@1',
    ]);
  });

  it('E5: a flow recorded by an unknown version of a known machine is refused clearly; the rest is still audited', async () => {
    const log = history(21, 60, 2);
    const flowId = log.find((row) => row.machineId === 'backup')!.flowId;
    const tampered = rechain(log.map((row) => (row.flowId === flowId ? { ...row, machineVersion: 7 } : row)));
    const report = await audit(tampered);
    expect(report.ok).toBe(false);
    const refusal = errors(report);
    expect(refusal).toHaveLength(1); // one refusal for the flow, no crash, no noise from its other rows
    expect(refusal[0]).toMatchObject({ kind: 'unknown-version', flowId, position: 0, actual: 'backup@7', expected: 'backup@1, backup@2, backup@3' });
    expect(refusal[0]!.message).toContain('known versions: 1, 2, 3');
    expect(report.machines['backup@7']).toBe(1);
    expect(report.rows).toBe(log.length);
  });

  it('E5: an unknown machine id is refused the same way', async () => {
    const log = history(22, 30, 1);
    const flowId = log[0]!.flowId;
    const report = await audit(rechain(log.map((row) => (row.flowId === flowId ? { ...row, machineId: 'teleport' } : row))));
    expect(errors(report)).toEqual([expect.objectContaining({ kind: 'unknown-machine', flowId, actual: 'teleport@1' })]);
  });

  it('E5: a flow whose rows switch machine version midway is reported at the row that switches', async () => {
    const log = history(23, 40, 1);
    const index = log.findIndex((row) => row.position === 3);
    const report = await audit(edit(log, index, { machineVersion: 2 }));
    expect(firstError(report)).toMatchObject({ kind: 'machine-changed', index: index + 1, expected: `${log[index]!.machineId}@1` });
  });
});

describe('E4: interrupted flows', () => {
  it('E4: a flow that never reached a final state is reported as interrupted, which is not an error', async () => {
    const log = history(31, 50, 3);
    const cut = log.slice(0, 37);
    const report = await audit(cut);
    expect(report.ok).toBe(true);
    expect(report.interrupted.length).toBeGreaterThan(0);
    const interrupted = report.findings.filter((f) => f.kind === 'interrupted');
    expect(interrupted.length).toBe(report.interrupted.filter((f) => f.replayed).length);
    expect(interrupted.every((f) => f.severity === 'info')).toBe(true);
    for (const flow of report.interrupted) expect(flow.waitingFor !== null || flow.effect !== null).toBe(true);
  });
});
