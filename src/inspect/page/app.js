/**
 * The inspector page's entry: the tabs (Replay, Live, Machines; the tab is kept in the URL's
 * #view=...), then each view. Machines shows every released machine's chart with a legend.
 */
import { el, getJson } from './dom.js';
import { startLive } from './live.js';
import { startReplay } from './replay.js';

const views = ['replay', 'live', 'machines'];

function showView(name) {
  const view = views.includes(name) ? name : 'replay';
  for (const other of views) document.getElementById(`view-${other}`).hidden = other !== view;
  for (const tab of document.querySelectorAll('.tabs button')) tab.setAttribute('aria-selected', String(tab.dataset.view === view));
  const hash = new URLSearchParams(location.hash.slice(1));
  hash.set('view', view);
  history.replaceState(null, '', `${location.pathname}${location.search}#${hash}`);
}

async function startGallery() {
  const { machines } = await getJson('/api/machines');
  const legend = el(
    'p',
    { class: 'legend muted' },
    'Boxes are states (a grey frame holds a compound state\'s substates); ● marks the initial state; a double border a final state (green done, grey cancelled, red failed); ',
    'yellow states wait for the person, "effect" states wait for the engine. Arrows carry the events, with [guards].',
  );
  const figures = await Promise.all(
    machines.map(async (m) => {
      const url = `/api/machines/${encodeURIComponent(m.id)}/${m.version}.svg`;
      const svg = await (await fetch(url)).text();
      const caption = el('figcaption', {}, `${m.id} @ version ${m.version}`, el('a', { href: url, target: '_blank' }, 'full size'));
      const figure = el('figure', { 'data-machine': `${m.id}@${m.version}` }, caption);
      const holder = el('div', { class: 'chart' });
      holder.innerHTML = svg;
      figure.append(holder);
      return figure;
    }),
  );
  document.getElementById('machine-gallery').replaceChildren(legend, ...figures);
}

showView(new URLSearchParams(location.hash.slice(1)).get('view'));
const replay = startReplay();
for (const tab of document.querySelectorAll('.tabs button')) {
  tab.addEventListener('click', () => {
    showView(tab.dataset.view);
    // Flows recorded while another tab was shown (a live run, say) appear on coming back.
    if (tab.dataset.view === 'replay') replay.reload();
  });
}
startLive();
startGallery();
