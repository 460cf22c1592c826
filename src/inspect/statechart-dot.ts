/**
 * A machine definition drawn as a statechart, in Graphviz's DOT language, read from the
 * definition itself (machine.root and its state nodes' transitions): nothing is listed by hand,
 * so a state or transition added to a machine appears in its diagram.
 *
 * - a compound state is a cluster (`id="state:<node id>"`), an atomic or final state a box
 *   (`id="state:<node id>"`): the inspector page highlights states by these ids;
 * - each level's initial state gets an arrow from a small filled dot (`class="initial"`);
 * - a final state has a double border, coloured by its outcome (done, cancelled, failed);
 * - a state naming an effect or a wait says so under its name;
 * - transitions between the same two states are one edge (`id="edge:<source>-><target>"`),
 *   labelled with every event and guard on it ("EVENT [guard]"); a targetless transition is a
 *   loop on its state; an eventless one is labelled "always".
 *
 * Browser-safe: no I/O.
 */
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import type { StateMeta } from '../../machines/state-meta.ts';

export const STATE_ID_PREFIX = 'state:';
export const EDGE_ID_PREFIX = 'edge:';

/** The SVG id of a state node's box or cluster. */
export function stateElementId(nodeId: string): string {
  return `${STATE_ID_PREFIX}${nodeId}`;
}

/** The SVG id of the edge drawn for every transition from `source` to `target` (node ids). */
export function edgeElementId(source: string, target: string): string {
  return `${EDGE_ID_PREFIX}${source}->${target}`;
}

const OUTCOME_COLOURS: Record<string, { border: string; fill: string }> = {
  done: { border: '#2e7d32', fill: '#e8f5e9' },
  cancelled: { border: '#6d6d6d', fill: '#f1f1f1' },
  failed: { border: '#c62828', fill: '#fdecea' },
};

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attributes(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .map(([key, value]) => `${key}=${value.startsWith('<') ? value : quote(value)}`)
    .join(', ');
}

function metaOf(node: AnyStateNode): StateMeta {
  return (node.meta ?? {}) as StateMeta;
}

function children(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states) as AnyStateNode[];
}

function isCluster(node: AnyStateNode): boolean {
  return node.type === 'compound' || node.type === 'parallel';
}

/** The atomic node an edge to or from a cluster is drawn to (its initial descendant). */
function anchorOf(node: AnyStateNode): AnyStateNode {
  let current = node;
  while (isCluster(current)) {
    const initial = current.initial?.target?.[0] as AnyStateNode | undefined;
    current = initial ?? children(current)[0]!;
  }
  return current;
}

function clusterName(node: AnyStateNode): string {
  return `cluster_${node.id}`;
}

function guardText(t: AnyTransitionDefinition): string {
  const guard = t.guard as unknown;
  if (guard === undefined || guard === null) return '';
  if (typeof guard === 'string') return ` [${guard}]`;
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') return ` [${guard.type}]`;
  if (typeof guard === 'function' && guard.name) return ` [${guard.name}]`;
  return ' [guard]';
}

function stateLabel(node: AnyStateNode): string {
  const meta = metaOf(node);
  const note = meta.outcome
    ? `outcome: ${meta.outcome}${meta.reason ? ` (${meta.reason})` : ''}`
    : meta.effect
      ? `effect: ${meta.effect}`
      : meta.waitsFor
        ? 'waits for the person'
        : '';
  const name = `<B>${html(node.key)}</B>`;
  return note ? `<${name}<BR/><FONT POINT-SIZE="8" COLOR="#5f6b77">${html(note)}</FONT>>` : `<${name}>`;
}

function stateAttributes(node: AnyStateNode): Record<string, string> {
  const meta = metaOf(node);
  const kind = meta.outcome ? 'final' : meta.effect ? 'effect' : meta.waitsFor ? 'waiting' : 'atomic';
  const attrs: Record<string, string> = { id: stateElementId(node.id), class: `state ${kind}`, label: stateLabel(node) };
  if (node.type === 'final') {
    const colours = OUTCOME_COLOURS[meta.outcome ?? 'done'] ?? OUTCOME_COLOURS.done!;
    Object.assign(attrs, { peripheries: '2', color: colours.border, fillcolor: colours.fill, class: `state final outcome-${meta.outcome ?? 'done'}` });
  } else if (meta.waitsFor) {
    attrs.fillcolor = '#fff8e1';
  }
  return attrs;
}

interface Edge {
  source: AnyStateNode;
  target: AnyStateNode;
  labels: string[];
}

function collectEdges(machine: AnyStateMachine): Edge[] {
  const edges = new Map<string, Edge>();
  const add = (source: AnyStateNode, target: AnyStateNode, label: string) => {
    const key = `${source.id}->${target.id}`;
    const edge = edges.get(key) ?? { source, target, labels: [] };
    if (!edge.labels.includes(label)) edge.labels.push(label);
    edges.set(key, edge);
  };
  const walk = (node: AnyStateNode) => {
    for (const [event, candidates] of node.transitions) {
      for (const t of candidates) {
        const targets = (t.target ?? [node]) as AnyStateNode[];
        for (const target of targets) add(node, target, `${event}${guardText(t)}`);
      }
    }
    for (const t of node.always ?? []) {
      const targets = (t.target ?? [node]) as AnyStateNode[];
      for (const target of targets) add(node, target, `always${guardText(t)}`);
    }
    children(node).forEach(walk);
  };
  walk(machine.root);
  return [...edges.values()];
}

function initialLines(parent: AnyStateNode, indent: string): string[] {
  const initial = parent.initial?.target?.[0] as AnyStateNode | undefined;
  if (!initial || parent.type === 'parallel') return [];
  const marker = `init:${parent.id}`;
  const target = anchorOf(initial);
  const head: Record<string, string> = isCluster(initial) ? { lhead: clusterName(initial) } : {};
  return [
    `${indent}${quote(marker)} [${attributes({ id: marker, class: 'initial', shape: 'point', width: '0.13', color: '#33414e', label: '' })}];`,
    `${indent}${quote(marker)} -> ${quote(target.id)} [${attributes({ class: 'initial', color: '#33414e', ...head })}];`,
  ];
}

function nodeLines(node: AnyStateNode, indent: string): string[] {
  if (!isCluster(node)) return [`${indent}${quote(node.id)} [${attributes(stateAttributes(node))}];`];
  const inner = `${indent}  `;
  return [
    `${indent}subgraph ${quote(clusterName(node))} {`,
    `${inner}${attributes({
      id: stateElementId(node.id),
      class: `state ${node.type}`,
      label: `<<B>${html(node.key)}</B>>`,
      style: node.type === 'parallel' ? 'rounded,dashed' : 'rounded,filled',
      fillcolor: '#f5f8fb',
      color: '#8a9aab',
      labeljust: 'l',
    }).replace(/, /g, `;\n${inner}`)};`,
    ...initialLines(node, inner),
    ...children(node).flatMap((child) => nodeLines(child, inner)),
    `${indent}}`,
  ];
}

function edgeLine(edge: Edge): string {
  const attrs: Record<string, string> = {
    id: edgeElementId(edge.source.id, edge.target.id),
    class: 'transition',
    // A space each side keeps the labels of two edges running side by side apart.
    label: edge.labels.map((line) => ` ${line} `).join('\n'),
  };
  // Edges into a cancelled state (CANCEL from every waiting state) are drawn light, so the
  // flow's own path reads first.
  if (edge.target.type === 'final' && metaOf(edge.target).outcome === 'cancelled') {
    Object.assign(attrs, { class: 'transition to-cancelled', color: '#c3cbd3', fontcolor: '#8a96a3' });
  }
  if (isCluster(edge.source)) attrs.ltail = clusterName(edge.source);
  if (isCluster(edge.target) && edge.target !== edge.source) attrs.lhead = clusterName(edge.target);
  return `  ${quote(anchorOf(edge.source).id)} -> ${quote(anchorOf(edge.target).id)} [${attributes(attrs)}];`;
}

/** The DOT text of a machine's statechart. */
export function machineToDot(machine: AnyStateMachine): string {
  const root = machine.root as AnyStateNode;
  return [
    `digraph ${quote(root.id)} {`,
    `  graph [${attributes({ id: `machine:${root.id}`, rankdir: 'TB', compound: 'true', newrank: 'true', fontname: 'Helvetica', fontsize: '11', nodesep: '0.2', ranksep: '0.3', bgcolor: 'transparent', pad: '0.2' })}];`,
    `  node [${attributes({ shape: 'box', style: 'rounded,filled', fillcolor: '#ffffff', color: '#5b6b7b', fontname: 'Helvetica', fontsize: '11', fontcolor: '#1f2a35', margin: '0.14,0.06', height: '0.3' })}];`,
    `  edge [${attributes({ fontname: 'Helvetica', fontsize: '8', color: '#8796a5', fontcolor: '#34495e', arrowsize: '0.6' })}];`,
    ...initialLines(root, '  '),
    ...children(root).flatMap((child) => nodeLines(child, '  ')),
    ...collectEdges(machine).map(edgeLine),
    '}',
  ].join('\n');
}
