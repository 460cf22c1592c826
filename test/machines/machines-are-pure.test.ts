/**
 * E5 and the invariants of docs/design.md, checked on the machine definitions themselves: no invoke, no
 * after (so xstate/graph can traverse them and the engine owns every effect); every state
 * that waits has a way out; every state is reachable; every effect a state names exists.
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { MACHINE_RELEASES } from '../../machines/index.ts';
import type { StateMeta } from '../../machines/state-meta.ts';

function allNodes(machine: AnyStateMachine): AnyStateNode[] {
  const out: AnyStateNode[] = [];
  const walk = (node: AnyStateNode) => {
    out.push(node);
    for (const child of Object.values(node.states)) walk(child as AnyStateNode);
  };
  walk(machine.root);
  return out;
}

const ENGINE_EFFECTS: Record<string, string[]> = {
  // 'backoff': the wait of a version-3 cloud step's backingOff (src/engine/backoff-effect.ts), added to every flow's effects.
  backup: ['checkMnemonic', 'checkProvider', 'loadKeyring', 'createKeyring', 'unlockKeyring', 'encryptWallet', 'upload', 'verifyUpload', 'publishManifest', 'backoff'],
  restore: ['checkProvider', 'listBackups', 'unlockKeyring', 'decryptWallet', 'validateMnemonic', 'backoff'],
  providerSwitch: ['checkProvider', 'backoff'],
  offlineCopy: [],
};

describe.each(MACHINE_RELEASES.map((r) => [r.id, r] as const))('machine %s', (_id, release) => {
  const nodes = allNodes(release.machine);

  it('E5: has no invoke and no delayed transition', () => {
    for (const node of nodes) {
      expect(node.invoke, node.id).toEqual([]);
      expect(node.after, node.id).toEqual([]);
    }
  });

  it('names its id and version', () => {
    expect(release.machine.id).toBe(release.id);
    expect(release.machine.version).toBe(String(release.version));
  });

  it('every atomic state runs an effect, waits for the person with a way out, or is final', () => {
    for (const node of nodes.filter((n) => n.type === 'atomic' || n.type === 'final')) {
      const meta = (node.meta ?? {}) as StateMeta;
      if (node.type === 'final') {
        expect(meta.outcome, node.id).toBeDefined();
        continue;
      }
      const eventless = node.always ?? [];
      if (eventless.length > 0) continue;
      expect(meta.effect !== undefined || meta.waitsFor !== undefined, node.id).toBe(true);
      if (meta.effect) expect(ENGINE_EFFECTS[release.id], node.id).toContain(meta.effect);
      if (meta.waitsFor) expect(meta.waitsFor, `${node.id} must be cancellable`).toContain('CANCEL');
    }
  });
});

describe('reachability', () => {
  it('R4, R5, R8, R12, R13: every backup state is reachable by some event sequence', () => {
    const release = MACHINE_RELEASES.find((r) => r.id === 'backup')!;
    const events = [
      { type: 'MNEMONIC.VALID', words: 12 },
      { type: 'MNEMONIC.INVALID', reason: 'bad-checksum' },
      { type: 'PROVIDER.READY', account: 'a@example.com' },
      { type: 'PROVIDER.NOT_SIGNED_IN' },
      { type: 'PROVIDER.WRONG_ACCOUNT', expected: 'a', actual: 'b' },
      { type: 'PROVIDER.HMS_MISSING' },
      { type: 'PROVIDER.HMS_OUTDATED' },
      { type: 'PROVIDER.INACTIVE', active: 'icloud' },
      { type: 'NETWORK.FAILED', operation: 'x' },
      { type: 'KEYRING.NONE' },
      { type: 'KEYRING.FOUND', epoch: 1 },
      { type: 'KEYRING.CORRUPT', reason: 'tampered' },
      { type: 'PASSWORD.CHOSEN', tooShort: false, mismatch: false },
      { type: 'PASSWORD.ENTERED' },
      { type: 'PASSWORD.FORGOTTEN' },
      { type: 'KEYRING.CREATED', epoch: 1 },
      { type: 'KEYRING.UNLOCKED', epoch: 1 },
      { type: 'KEYRING.WRONG_PASSWORD', hints: [] },
      { type: 'WALLET.ENCRYPTED', walletId: 'w-1', bytes: 10 },
      { type: 'UPLOAD.DONE' },
      { type: 'UPLOAD.QUOTA_EXCEEDED', neededBytes: 10 },
      { type: 'ACCOUNT.CHANGED', account: null },
      { type: 'SPACE.FREED' },
      { type: 'VERIFY.OK' },
      { type: 'VERIFY.MISMATCH', path: 'p' },
      { type: 'MANIFEST.PUBLISHED' },
      { type: 'RETRY' },
      { type: 'CANCEL' },
    ];
    const paths = getShortestPaths(release.machine, {
      events,
      input: { provider: 'gdrive', walletName: 'w' },
      // Context counts (attempts, hints) do not change where a flow can go next.
      serializeState: (s: { value: unknown }) => JSON.stringify(s.value),
    } as never);
    const reached = new Set(paths.map((p) => JSON.stringify(p.state.value)));
    const leaves = allNodes(release.machine).filter((n) => n.type === 'atomic' || n.type === 'final');
    for (const leaf of leaves) {
      const path = leaf.path;
      const value = path.length === 1 ? JSON.stringify(path[0]) : JSON.stringify({ [path[0]!]: path[1] });
      expect(reached, leaf.id).toContain(value);
    }
  });
});
