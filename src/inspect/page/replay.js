/**
 * Replay mode: filters (machine, outcome, account, wallet) over the recorded flows, a flow's
 * transitions stepped with buttons, the slider or the keyboard (← → Home End), the current state
 * highlighted on the machine's chart and the event list beside it, each row with its redacted
 * payload, time and hash-chain status.
 */
import { Diagram } from './diagram.js';
import { CHAIN_TEXT, clockText, dateText, el, getJson, payloadText, shortId, shown, stateText } from './dom.js';

const $ = (id) => document.getElementById(id);
const FILTERS = ['machine', 'outcome', 'account', 'wallet'];

export function startReplay() {
  const diagram = new Diagram($('replay-diagram'));
  const form = $('filters');
  const slider = $('step-slider');
  let detail = null;
  let step = 0;
  let selectedId = new URLSearchParams(location.search).get('flow');
  // ?flow=ID#step=N opens a flow at a step (the docs' screenshot does); later picks start at 0.
  const stepParam = new URLSearchParams(location.hash.slice(1)).get('step');
  let initialStep = stepParam !== null && /^\d+$/.test(stepParam) ? Number(stepParam) : null;

  function fillSelect(name, values, current) {
    const select = form.elements.namedItem(name);
    select.replaceChildren(el('option', { value: '' }, 'any'), ...values.map((v) => el('option', { value: v, selected: v === current }, v)));
  }

  async function loadFlows() {
    const query = new URLSearchParams();
    for (const name of FILTERS) {
      const value = form.elements.namedItem(name).value;
      if (value) query.set(name, value);
    }
    const listing = await getJson(`/api/flows?${query}`);
    $('log-path').textContent = listing.log.path ? `Log: ${shown(listing.log.path)}${listing.log.exists ? '' : ' (not created yet)'}` : '';
    const facets = listing.facets;
    for (const name of FILTERS) fillSelect(name, facets[`${name === 'wallet' ? 'wallets' : `${name}s`}`] ?? [], query.get(name) ?? '');
    const list = $('flow-list');
    list.replaceChildren(
      ...listing.flows.map((flow) =>
        el(
          'li',
          { 'data-flow-id': flow.flowId, class: flow.flowId === selectedId ? 'selected' : '' },
          el(
            'button',
            { type: 'button', onclick: () => selectFlow(flow.flowId) },
            el('span', { class: 'row1' }, el('b', {}, flow.machineId), ' ', el('span', { class: `badge ${flow.outcome}` }, flow.outcome)),
            el('span', { class: 'row2' }, `${shortId(flow.flowId)} · ${flow.transitions} rows · ${dateText(flow.startedAt)}`),
            el('span', { class: 'row3' }, [flow.account, flow.walletId].filter(Boolean).join(' · ') || flow.provider || ''),
          ),
        ),
      ),
    );
    if (listing.flows.length === 0) list.append(el('li', { class: 'muted empty' }, 'No flow matches.'));
  }

  async function selectFlow(flowId) {
    selectedId = flowId;
    for (const item of document.querySelectorAll('#flow-list li')) item.classList.toggle('selected', item.dataset.flowId === flowId);
    history.replaceState(null, '', `?flow=${encodeURIComponent(flowId)}${location.hash}`);
    detail = await getJson(`/api/flows/${encodeURIComponent(flowId)}`);
    const flow = detail.flow;
    $('flow-head').replaceChildren(
      el('b', {}, `${flow.machineId}@${flow.machineVersion}`),
      ` flow ${flow.flowId} `,
      el('span', { class: `badge ${flow.outcome}` }, flow.outcome),
      el('span', { class: 'muted' }, ` ${[flow.provider, flow.account, flow.walletId].filter(Boolean).join(' · ')}`),
    );
    $('flow-head').classList.remove('muted');
    const verdict = $('chain-verdict');
    verdict.textContent = detail.chain.ok ? `✓ log chain intact (${detail.chain.rows} rows)` : `✗ log chain broken at row ${detail.chain.brokenAt}`;
    verdict.className = `verdict ${detail.chain.ok ? 'ok' : 'broken'}`;
    renderEvents();
    slider.max = String(Math.max(0, detail.rows.length - 1));
    await diagram.show(detail.known ? flow.machineId : null, flow.machineVersion, 'This machine version is not in this release: no diagram.');
    goTo(initialStep ?? 0);
    initialStep = null;
  }

  function renderEvents() {
    $('event-list').replaceChildren(
      ...detail.rows.map((row, index) => {
        const chain = CHAIN_TEXT[row.chain] ?? CHAIN_TEXT['hash-mismatch'];
        return el(
          'li',
          { 'data-position': row.position, class: `chain-${row.chain}`, onclick: () => goTo(index) },
          el('span', { class: 'pos' }, String(row.position)),
          el(
            'span',
            { class: 'body' },
            el('span', { class: 'line' }, el('b', { class: 'event' }, row.event), el('time', { datetime: row.at, title: row.at }, clockText(row.at))),
            el('span', { class: 'payload' }, payloadText(row.payload)),
            el('span', { class: 'states' }, `${row.from === null ? '' : `${stateText(row.from)} → `}${stateText(row.to)}`),
          ),
          el('span', { class: `chain ${row.chain}`, title: `${chain.text}\nhash ${shown(row.hash)}\nprev ${shown(row.prevHash)}` }, chain.mark),
        );
      }),
    );
  }

  function goTo(index) {
    if (!detail || detail.rows.length === 0) return;
    step = Math.min(detail.rows.length - 1, Math.max(0, index));
    const row = detail.rows[step];
    slider.value = String(step);
    $('step-label').textContent = `${step + 1} / ${detail.rows.length} · ${shown(stateText(row.to))}`;
    const visited = new Set(detail.rows.slice(0, step).flatMap((r) => r.leafIds));
    diagram.highlight({ activeIds: row.activeIds, leafIds: row.leafIds, visitedIds: [...visited], edgeIds: row.edgeIds });
    document.querySelectorAll('#event-list li').forEach((item, i) => {
      item.classList.toggle('current', i === step);
      item.classList.toggle('future', i > step);
    });
    document.querySelector('#event-list li.current')?.scrollIntoView({ block: 'nearest' });
  }

  form.addEventListener('change', () => loadFlows());
  $('reload-flows').addEventListener('click', () => loadFlows());
  slider.addEventListener('input', () => goTo(Number(slider.value)));
  $('step-first').addEventListener('click', () => goTo(0));
  $('step-prev').addEventListener('click', () => goTo(step - 1));
  $('step-next').addEventListener('click', () => goTo(step + 1));
  $('step-last').addEventListener('click', () => goTo(Number.MAX_SAFE_INTEGER));
  document.addEventListener('keydown', (event) => {
    if ($('view-replay').hidden || event.target.closest?.('input, select, textarea')) return;
    const moves = { ArrowLeft: step - 1, ArrowRight: step + 1, Home: 0, End: Number.MAX_SAFE_INTEGER };
    if (!(event.key in moves)) return;
    event.preventDefault();
    goTo(moves[event.key]);
  });

  loadFlows().then(() => (selectedId ? selectFlow(selectedId) : undefined));
  return { reload: loadFlows };
}
