/**
 * The statechart SVGs are drawn from the machine definitions: every state node of every released
 * machine is in its SVG (compound ones as clusters), every level has its initial marker, final
 * states are marked with their outcome, every transition is an edge labelled with its event and
 * guard. And docs/machines/*.svg, which docs/inspector.md shows, are what `npm run docs` draws now.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AnyStateNode } from 'xstate';
import { describe, expect, it } from 'vitest';
import { currentRelease, MACHINE_RELEASES } from '../../machines/registry.ts';
import { machineDiagrams } from '../../src/inspect/render-svg.ts';
import { edgeElementId, stateElementId } from '../../src/inspect/statechart-dot.ts';

function nodesOf(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states as Record<string, AnyStateNode>).flatMap((child) => [child, ...nodesOf(child)]);
}

/** The <g> element with this id, as text up to its closing tag. */
function group(svg: string, id: string): string {
  const start = svg.indexOf(`<g id="${id}"`);
  expect(start, `no element ${id}`).toBeGreaterThan(-1);
  return svg.slice(start, svg.indexOf('</g>', start));
}

function unescape(text: string): string {
  return text.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&').replace(/&#45;/g, '-');
}

describe('statechart SVGs', async () => {
  const diagrams = await machineDiagrams();

  for (const release of MACHINE_RELEASES) {
    it(`${release.id}@${release.version}: every state, initial marker, final state and transition`, () => {
      // As a browser reads it: Graphviz writes '-' and '>' in attributes as character references.
      const svg = unescape(diagrams.find((d) => d.id === release.id && d.version === release.version)!.svg);
      const root = release.machine.root as AnyStateNode;
      expect(svg).toContain('id="init:' + root.id + '"');
      for (const node of nodesOf(root)) {
        const g = group(svg, stateElementId(node.id));
        expect(g).toContain(`>${node.key}<`);
        if (node.type === 'compound') {
          expect(g).toMatch(/class="cluster state compound"/);
          expect(svg).toContain(`id="init:${node.id}"`);
        }
        if (node.type === 'final') expect(g).toMatch(new RegExp(`class="node state final outcome-${(node.meta as { outcome: string }).outcome}"`));
        for (const [event, candidates] of node.transitions) {
          for (const t of candidates) {
            for (const target of (t.target ?? [node]) as AnyStateNode[]) {
              const label = group(svg, edgeElementId(node.id, target.id));
              const guard = typeof t.guard === 'string' ? ` [${t.guard}]` : '';
              expect(label, `${node.id} --${event}--> ${target.id}`).toContain(`${event}${guard}`);
            }
          }
        }
      }
    });
  }

  it('docs/machines/<id>.svg are current: the newest release of each machine (else run npm run docs)', () => {
    const ids = [...new Set(MACHINE_RELEASES.map((r) => r.id))];
    expect(ids.sort()).toEqual(['backup', 'offlineCopy', 'providerSwitch', 'restore']);
    for (const id of ids) {
      const { version } = currentRelease(id);
      const d = diagrams.find((diagram) => diagram.id === id && diagram.version === version)!;
      expect(d, `${id}@${version} is drawn`).toBeDefined();
      const path = resolve(import.meta.dirname, `../../docs/machines/${id}.svg`);
      expect(readFileSync(path, 'utf8').trim(), `${path} is stale (not ${id}@${version}): run npm run docs`).toBe(d.svg.trim());
    }
  });
});
