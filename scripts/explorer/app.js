// The Lineage explorer: reads a node through @polkadot/api from the browser (no server-side
// state). A search box finds any account, block, extrinsic, dataset, model, version or job; every
// id, account and block on a page links to its own page. Every figure comes from the chain; each
// page redraws on a new block. In verified mode (`?verified=1`, or the box beside the node field)
// the page reads the chain through an embedded light client started from the chain spec the
// explorer serves, trusting no node: every value is proven at the latest finalized block, and
// marked so.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { DEFAULT_WS } from '../lib/units.js';
import { chainAccounts } from '../lib/accounts.js';
import { state, el, section, go, UserError } from './ui.js';
import { homeView, blockView, extrinsicView, accountView, searchView } from './chain.js';
import { datasetsView, lineageView, modelView } from './data.js';
import { jobsView, rewardsView, computeView } from './market.js';
import { historyView } from './history.js';

const VIEWS = {
  home: homeView,
  search: searchView,
  block: blockView,
  extrinsic: extrinsicView,
  account: accountView,
  datasets: datasetsView,
  lineage: lineageView,
  model: modelView,
  jobs: jobsView,
  rewards: rewardsView,
  compute: computeView,
  history: historyView,
};

/** The header link that is lit on each page. */
const TAB = {
  home: 'home',
  block: 'home',
  extrinsic: 'home',
  search: 'home',
  account: 'home',
  model: 'lineage',
};

// ---- navigation and rendering ----

function readHash() {
  const [view, query = ''] = location.hash.slice(1).split('?');
  return {
    view: view in VIEWS ? view : 'home',
    params: Object.fromEntries(new URLSearchParams(query)),
  };
}

// One render at a time; a block or a navigation during one asks for one more after it.
let busy = false;
let again = false;
async function render() {
  if (busy) {
    again = true;
    return;
  }
  busy = true;
  const main = document.getElementById('view');
  main.dataset.busy = 'yes';
  try {
    do {
      again = false;
      await renderOnce();
    } while (again);
  } finally {
    busy = false;
    delete main.dataset.busy;
  }
}

async function renderOnce() {
  const hash = location.hash;
  const { view, params } = readHash();
  const tab = TAB[view] ?? view;
  for (const a of document.querySelectorAll('nav a'))
    a.classList.toggle('active', a.dataset.view === tab);
  const main = document.getElementById('view');
  if (!state.api) return;
  try {
    const content = await VIEWS[view](state.api, params);
    main.replaceChildren(...content);
    main.dataset.rendered = `${view}@${state.block ?? 0}`;
    main.dataset.shown = hash;
  } catch (e) {
    if (e instanceof UserError) {
      main.replaceChildren(
        section('Not found', el('p', { class: 'bad', id: 'problem' }, e.message)),
      );
      main.dataset.rendered = `${view}@invalid`;
      main.dataset.shown = hash;
    } else {
      main.replaceChildren(
        section(
          'The node could not answer',
          el('p', { class: 'bad', id: 'problem' }, e.message.split('\n')[0]),
          el('p', {}, 'Check that the node is running and synced, then reload the page.'),
        ),
      );
      main.dataset.rendered = `${view}@error`;
      main.dataset.shown = hash;
    }
  }
}

// ---- the connection ----

/** Connects to `ws`, or fails within `timeoutMs` with a plain reason. */
async function open(ws, timeoutMs = 10_000) {
  if (!/^wss?:\/\/[^\s/]+/.test(ws)) {
    throw new Error(`“${ws}” is not a node address: use ws://host:port or wss://host.`);
  }
  const provider = new WsProvider(ws, 2_500);
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`no node answered at ${ws}`)), timeoutMs),
  );
  try {
    await Promise.race([provider.isReady, timeout]);
    return await Promise.race([ApiPromise.create({ provider, noInitWarn: true }), timeout]);
  } catch (e) {
    await provider.disconnect().catch(() => {});
    throw e;
  }
}

/** Starts a light client from the chain spec this explorer serves; fails with a plain reason. */
async function openVerified() {
  const res = await fetch('chain-spec.json');
  if (!res.ok)
    throw new Error(
      'this explorer serves no chain spec to start a light client from (lineage explorer --chain-spec FILE)',
    );
  const { startLightClient } = await import('../lib/light.js');
  return startLightClient(await res.text(), { timeoutMs: 60_000 });
}

/**
 * `api` reading runtime APIs and storage at the block `at` decorates (a finalized block the light
 * client proved); everything else (blocks, headers) as `api` does.
 */
const readingAt = (api, at) =>
  new Proxy(api, {
    get(target, key) {
      if (key === 'call' || key === 'query') return at[key];
      const value = target[key];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

let unsubscribe = null;
let closing = null;

/**
 * Reads the chain at `ws` (or, `verified`, through a light client) from now on; the previous
 * connection stays in use until the new one answers.
 */
async function connect(ws, verified = false) {
  const status = document.getElementById('status');
  const problem = document.getElementById('endpoint-error');
  problem.textContent = verified ? 'starting a light client…' : `connecting to ${ws}…`;
  const light = verified ? await openVerified() : null;
  const api = light ? light.api : await open(ws);
  problem.textContent = '';
  unsubscribe?.();
  await closing?.();
  closing = light ? light.close : () => api.disconnect();
  // Verified, every read is at the latest finalized block, from the first page drawn.
  state.api = verified ? readingAt(api, await api.at(await api.rpc.chain.getFinalizedHead())) : api;
  state.verified = verified;
  state.decimals = api.registry.chainDecimals[0] ?? 12;
  state.symbol = api.registry.chainTokens[0] ?? 'LIN';
  state.ss58 = api.registry.chainSS58 ?? 42;
  state.names = chainAccounts(api);
  document.body.classList.toggle('verified', verified);
  form.ws.value = ws;
  form.verified.checked = verified;
  const where = verified ? 'verified by a light client · finalized' : `${ws} · block`;
  const follow = verified ? api.rpc.chain.subscribeFinalizedHeads : api.rpc.chain.subscribeNewHeads;
  unsubscribe = await follow(async (header) => {
    if (verified) state.api = readingAt(api, await api.at(header.hash));
    state.block = header.number.toNumber();
    status.textContent = `${where} #${state.block.toLocaleString('en-US')}`;
    document.body.dataset.block = state.block;
    await render();
  });
  await render();
}

function failed(ws, err) {
  document.getElementById('endpoint-error').textContent =
    `Could not connect to ${ws}: ${err.message}.` +
    (state.api ? ' Still reading the previous node.' : '');
}

window.addEventListener('hashchange', render);

document.getElementById('search').onsubmit = (e) => {
  e.preventDefault();
  const q = e.target.q.value.trim();
  if (q) go('search', { q });
};

const form = document.getElementById('endpoint');
form.onsubmit = (e) => {
  e.preventDefault();
  const ws = form.ws.value.trim();
  const verified = form.verified.checked;
  // Only a node that answered is remembered for the next visit.
  connect(ws, verified)
    .then(() => localStorage.setItem('lineage-ws', ws))
    .catch((err) => failed(verified ? 'the light client' : ws, err));
};
form.verified.onchange = () => form.requestSubmit();

const query = new URLSearchParams(location.search);
const asked = query.get('ws');
const saved = localStorage.getItem('lineage-ws');
const initial = asked ?? saved ?? DEFAULT_WS;
form.ws.value = initial;
if (query.get('verified') === '1')
  connect(initial, true).catch((err) => failed('the light client', err));
else
  connect(initial).catch((err) => {
    failed(initial, err);
    // A remembered node that no longer answers is forgotten; the default is tried instead.
    if (!asked && saved && saved !== DEFAULT_WS) {
      localStorage.removeItem('lineage-ws');
      connect(DEFAULT_WS).catch((e) => failed(DEFAULT_WS, e));
    }
  });
