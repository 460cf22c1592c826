/**
 * Live mode: the page's WebSocket to the server's /live feed. Apps connected with
 * @statelyai/inspect's createWebSocketInspector appear as actors; each transition updates the
 * actor's state, its chart's highlight and the transition list, as it happens. Reconnects when
 * the server comes back.
 */
import { Diagram } from './diagram.js';
import { clockText, el, payloadText, stateText } from './dom.js';

const $ = (id) => document.getElementById(id);

export function startLive() {
  const diagram = new Diagram($('live-diagram'));
  const actors = new Map();
  let selected = null;
  $('inspector-url').textContent = `ws://${location.host}`;

  function actorItem(actor) {
    return el(
      'li',
      { 'data-session-id': actor.sessionId, class: actor.sessionId === selected ? 'selected' : '' },
      el(
        'button',
        { type: 'button', onclick: () => select(actor.sessionId, true) },
        el('span', { class: 'row1' }, el('b', {}, actor.machineId), ' ', el('span', { class: `badge ${actor.outcome ?? 'open'}` }, actor.outcome ?? actor.status)),
        el('span', { class: 'row2' }, `${actor.sessionId} · ${actor.transitions.length} transitions`),
        el('span', { class: 'row3 state' }, stateText(actor.state)),
      ),
    );
  }

  function renderActors() {
    $('actor-list').replaceChildren(...[...actors.values()].reverse().map(actorItem));
    $('live-count').textContent = actors.size > 0 ? String(actors.size) : '';
  }

  function renderSelected() {
    const actor = actors.get(selected);
    if (!actor) return;
    $('live-head').classList.remove('muted');
    $('live-head').replaceChildren(
      el('b', {}, `${actor.machineId}${actor.machineVersion === null ? '' : `@${actor.machineVersion}`}`),
      ` actor ${actor.sessionId} · `,
      el('span', { class: 'live-state' }, stateText(actor.state)),
    );
    $('live-events').replaceChildren(
      ...actor.transitions.map((t, i) =>
        el(
          'li',
          { class: i === actor.transitions.length - 1 ? 'current' : '' },
          el('span', { class: 'pos' }, String(i)),
          el(
            'span',
            { class: 'body' },
            el('span', { class: 'line' }, el('b', { class: 'event' }, t.event), el('time', { datetime: t.at, title: t.at }, clockText(t.at))),
            el('span', { class: 'payload' }, payloadText(t.payload)),
            el('span', { class: 'states' }, stateText(t.state)),
          ),
        ),
      ),
    );
    document.querySelector('#live-events li.current')?.scrollIntoView({ block: 'nearest' });
    const last = actor.transitions.at(-1);
    diagram
      .show(actor.known ? actor.machineId : null, actor.machineVersion, `${actor.machineId} is not a machine of this release: states are listed, not drawn.`)
      .then(() => {
        if (actors.get(selected) !== actor) return;
        const visited = new Set(actor.transitions.slice(0, -1).flatMap((t) => t.leafIds));
        diagram.highlight({ activeIds: last?.activeIds ?? [], leafIds: last?.leafIds ?? [], visitedIds: [...visited], edgeIds: last?.edgeIds ?? [] });
      });
  }

  function select(sessionId, pinned) {
    selected = sessionId;
    if (pinned) $('live-follow').checked = false;
    renderActors();
    renderSelected();
  }

  function accept(message) {
    if (message.kind === 'actor') {
      if (!actors.has(message.sessionId)) actors.set(message.sessionId, { ...message, transitions: [] });
      if ($('live-follow').checked || selected === null) selected = message.sessionId;
    } else if (message.kind === 'transition') {
      const actor = actors.get(message.sessionId);
      if (!actor) return;
      Object.assign(actor, { state: message.state, status: message.status, outcome: message.outcome });
      actor.transitions.push(message);
    }
  }

  function connect() {
    const socket = new WebSocket(`ws://${location.host}/live`);
    socket.addEventListener('open', () => {
      $('live-status').textContent = 'Live: connected to the inspect server.';
      $('live-status').className = 'live-status on';
    });
    socket.addEventListener('message', (event) => {
      const data = JSON.parse(event.data);
      // On (re)connecting the server sends everything it kept: start over from it.
      if (data.kind === 'history') actors.clear();
      for (const message of data.kind === 'history' ? data.messages : [data]) accept(message);
      renderActors();
      renderSelected();
    });
    socket.addEventListener('close', () => {
      $('live-status').textContent = 'Disconnected: retrying…';
      $('live-status').className = 'live-status off';
      setTimeout(connect, 2000);
    });
  }

  connect();
}
