/**
 * A machine's statechart on the page: fetches the server's SVG (ids from statechart-dot.ts:
 * "state:<node id>" for states, "edge:<source>-><target>" for transitions), shows it with zoom
 * buttons, and highlights a step: the current state (class "current"), the compound states
 * around it ("active"), states already passed ("visited") and the edges just taken ("taken").
 */
import { el } from './dom.js';

const svgCache = new Map();

function fetchSvg(id, version) {
  const key = `${id}@${version}`;
  if (!svgCache.has(key)) {
    svgCache.set(
      key,
      fetch(`/api/machines/${encodeURIComponent(id)}/${version}.svg`).then((r) => {
        if (!r.ok) throw new Error(`no diagram for ${key}`);
        return r.text();
      }),
    );
  }
  return svgCache.get(key);
}

const MARKS = ['current', 'active', 'visited', 'taken'];
const READABLE_SCALE = 0.75;

export class Diagram {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    this.key = null;
    this.zoom = null;
    this.toolbar = el(
      'div',
      { class: 'zoom' },
      el('button', { type: 'button', title: 'Zoom out', onclick: () => this.setZoom(this.scale() / 1.25) }, '−'),
      el('button', { type: 'button', title: 'Fit the whole chart', onclick: () => this.setZoom(this.fitScale()) }, 'Fit'),
      el('button', { type: 'button', title: 'Zoom in', onclick: () => this.setZoom(this.scale() * 1.25) }, '+'),
    );
    this.viewport = el('div', { class: 'viewport' });
    container.replaceChildren(this.toolbar, this.viewport);
    new ResizeObserver(() => this.applyZoom()).observe(this.viewport);
  }

  /** Shows a machine's chart (no-op when it is already shown); null shows a note instead. */
  async show(id, version, note) {
    const key = id === null ? null : `${id}@${version}`;
    if (key === this.key && key !== null) return;
    this.key = key;
    if (key === null) {
      this.viewport.replaceChildren(el('p', { class: 'muted' }, note ?? 'No diagram.'));
      return;
    }
    const svg = await fetchSvg(id, version);
    if (this.key !== key) return;
    this.viewport.innerHTML = svg;
    this.svg = this.viewport.querySelector('svg');
    this.natural = { width: this.svg.width.baseVal.value, height: this.svg.height.baseVal.value };
    this.svg.setAttribute('data-machine', key);
    this.applyZoom();
  }

  /** The scale that fits the chart in the viewport (never above 1). */
  fitScale() {
    if (!this.natural) return 1;
    const box = this.viewport.getBoundingClientRect();
    // A hidden view measures 0: keep the last fit until it is shown again.
    if (box.width < 50 || box.height < 50) return this.lastFit ?? 1;
    this.lastFit = Math.min(1, (box.width - 16) / this.natural.width, (box.height - 16) / this.natural.height);
    return this.lastFit;
  }

  /** Until a zoom is chosen: the whole chart when it fits at 75% or more, else 75% around the current state. */
  scale() {
    return this.zoom ?? Math.min(1, Math.max(this.fitScale(), READABLE_SCALE));
  }

  /** A scale factor, kept between 0.2 and 2. */
  setZoom(zoom) {
    this.zoom = Math.min(2, Math.max(0.2, zoom));
    this.applyZoom();
    this.reveal();
  }

  applyZoom() {
    if (!this.svg || !this.natural) return;
    const s = this.scale();
    this.svg.setAttribute('width', `${Math.round(this.natural.width * s)}`);
    this.svg.setAttribute('height', `${Math.round(this.natural.height * s)}`);
  }

  /**
   * Marks one step: `leafIds` current, `activeIds` active, `visitedIds` visited, `edgeIds` taken.
   * Ids are machine node ids; unknown ones are ignored.
   */
  highlight({ activeIds = [], leafIds = [], visitedIds = [], edgeIds = [] }) {
    if (!this.svg) return;
    for (const mark of MARKS) this.svg.querySelectorAll(`.${mark}`).forEach((node) => node.classList.remove(mark));
    const mark = (id, name) => this.svg.getElementById(id)?.classList.add(name);
    visitedIds.forEach((id) => mark(`state:${id}`, 'visited'));
    activeIds.forEach((id) => mark(`state:${id}`, 'active'));
    leafIds.forEach((id) => mark(`state:${id}`, 'current'));
    edgeIds.forEach((id) => mark(id, 'taken'));
    this.reveal();
  }

  /** Scrolls the current state into the middle of the viewport when the chart overflows it. */
  reveal() {
    const current = this.svg?.querySelector('g.state.current');
    if (!current) return;
    const box = current.getBoundingClientRect();
    const view = this.viewport.getBoundingClientRect();
    this.viewport.scrollBy({
      left: box.left + box.width / 2 - (view.left + view.width / 2),
      top: box.top + box.height / 2 - (view.top + view.height / 2),
    });
  }
}
