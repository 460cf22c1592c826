/**
 * Statechart SVGs of every released machine (machines/registry.ts), laid out by Graphviz
 * compiled to WebAssembly (@viz-js/viz): no network, no native binary. The inspector serves
 * these SVGs and `npm run docs` writes the same ones to docs/machines/.
 */
import { instance, type Viz } from '@viz-js/viz';
import { MACHINE_RELEASES, type MachineRelease } from '../../machines/registry.ts';
import { machineToDot } from './statechart-dot.ts';

export interface MachineDiagram {
  id: string;
  version: number;
  svg: string;
}

let vizPromise: Promise<Viz> | null = null;

function viz(): Promise<Viz> {
  vizPromise ??= instance();
  return vizPromise;
}

/** Graphviz's SVG without its XML prologue and comments: ready to inline in a page or save. */
function tidy(svg: string): string {
  return svg
    .replace(/<\?xml[^>]*\?>\s*/, '')
    .replace(/<!DOCTYPE[^>]*>\s*/, '')
    .replace(/<!--[\s\S]*?-->\s*/g, '');
}

export async function renderMachineSvg(release: MachineRelease): Promise<MachineDiagram> {
  const result = (await viz()).render(machineToDot(release.machine), { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz could not draw ${release.id}@${release.version}: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return { id: release.id, version: release.version, svg: tidy(result.output) };
}

let all: Promise<MachineDiagram[]> | null = null;

/** Every released machine's diagram, drawn once per process. */
export function machineDiagrams(): Promise<MachineDiagram[]> {
  all ??= Promise.all(MACHINE_RELEASES.map(renderMachineSvg));
  return all;
}
