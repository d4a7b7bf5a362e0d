// The Lineage explorer: reads a node through @polkadot/api from the browser (no server-side
// state) and shows datasets, a model version's lineage, jobs with their responsibility records,
// rewards against fees, and how concentrated compute is. Every figure comes from a runtime API;
// each view redraws on a new block.

import { ApiPromise, WsProvider } from '@polkadot/api';
import uPlot from 'uplot';
import { formatAmount, DEFAULT_WS } from '../lib/units.js';
import { lineageGraph, lineageSvg, snapshotKey, describeTaint } from './graph.js';

const PAGE = 100;
const state = { api: null, decimals: 12, symbol: 'LIN', block: null, plot: null };

// ---- helpers ----

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'onclick' || name === 'onsubmit' || name === 'onchange') node[name] = value;
    else if (value !== null && value !== undefined && value !== false)
      node.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const amount = (plancks) =>
  `${formatAmount(BigInt(plancks.toString()), state.decimals)} ${state.symbol}`;
const num = (value) => el('td', { class: 'num' }, value);
const money = (value) =>
  el('td', { class: 'num', 'data-plancks': value.toString() }, amount(value));

function table(headers, rows, { id, foot } = {}) {
  return el(
    'table',
    { id },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        headers.map((h) => el('th', { class: h.num ? 'num' : null }, h.label ?? h)),
      ),
    ),
    el('tbody', {}, rows),
    foot ? el('tfoot', {}, foot) : null,
  );
}

function section(title, ...children) {
  return el('section', {}, el('h2', {}, title), ...children);
}

/** Every item of a paged runtime-API listing (`Page { items, next }`). */
async function allPages(fetchPage, limit = 1_000) {
  const items = [];
  let cursor = null;
  for (;;) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    if (page.next.isNone || items.length >= limit) return items;
    cursor = page.next.unwrap();
  }
}

// ---- views ----

/**
 * What a version's taint means for new jobs: none at once (a takedown, a revocation, a dataset
 * without withdrawal grace), or, when only consent withdrawals reached it, jobs until the end of
 * the least grace its withdrawn snapshots were taken with, counted from the first job after the
 * withdrawal.
 */
async function taintNote(api, version, lineage) {
  const note = (cls, text, extra = {}) => el('p', { id: 'taint', class: cls, ...extra }, text);
  if (!lineage.taint) return note('ok', 'Usable: no taint.');
  const reason = describeTaint(lineage.taint);
  if (!lineage.taint.snapshotWithdrawn) return note('bad', `Not usable: ${reason}`);
  let grace = null;
  for (const { snapshot } of lineage.attribution) {
    const status = await api.call.datasetsApi.snapshotStatus(snapshot);
    if (status.isNone || status.unwrap().type !== 'Withdrawn') continue;
    const stored = await api.query.datasets.snapshots(snapshot.dataset, snapshot.version);
    const blocks = stored.isSome ? stored.unwrap().withdrawalGrace.toNumber() : 0;
    grace = grace === null ? blocks : Math.min(grace, blocks);
  }
  if (!grace) return note('bad', `Not usable: ${reason}`);
  const started = await api.query.models.graceStarted(version);
  if (started.isNone) {
    return note(
      'warn',
      `Tainted: ${reason}. The next job starts its withdrawal grace: it takes jobs for ` +
        `${grace.toLocaleString('en-US')} more blocks, then none.`,
      { 'data-grace': grace },
    );
  }
  const until = started.unwrap().toNumber() + grace;
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  if (now >= until) return note('bad', `Not usable: ${reason} (its withdrawal grace ended).`);
  return note(
    'warn',
    `Tainted: ${reason}. It takes jobs until block #${until.toLocaleString('en-US')} ` +
      `(its withdrawal grace), then none.`,
    { 'data-grace': grace, 'data-until': until },
  );
}

async function datasetsView(api, params) {
  const datasets = await allPages((c) => api.call.datasetsApi.datasets(c, PAGE));
  const rows = datasets.map((d) => {
    const info = d.info;
    const id = d.id.toNumber();
    return el(
      'tr',
      {
        class: `clickable${params.dataset === String(id) ? ' selected' : ''}`,
        'data-dataset': id,
        onclick: () => go('datasets', { dataset: id }),
      },
      num(id),
      el('td', {}, info.owner.toString()),
      el('td', {}, info.licence.type),
      el('td', {}, info.status.type),
      num(info.accepted.toNumber()),
      num(info.items.toString()),
      num(info.totalPoints.toString()),
      el('td', {}, consentText(info.consent)),
      num(info.snapshots.toNumber()),
    );
  });
  const out = [
    section(
      `Datasets (${datasets.length})`,
      table(
        [
          'id',
          'owner',
          'licence',
          'status',
          { label: 'accepted', num: 1 },
          { label: 'items', num: 1 },
          { label: 'points', num: 1 },
          'consent',
          { label: 'snapshots', num: 1 },
        ],
        rows,
        { id: 'datasets' },
      ),
    ),
  ];
  const chosen = params.dataset ?? (datasets.length ? String(datasets[0].id.toNumber()) : null);
  if (chosen !== null) out.push(...(await datasetDetail(api, Number(chosen))));
  return out;
}

function consentText(consent) {
  const parts = [];
  if (consent.training.isTrue) parts.push('training');
  if (consent.commercial.isTrue) parts.push('commercial');
  return parts.length ? parts.join(' + ') : 'none';
}

async function datasetDetail(api, dataset) {
  const snapshots = await api.call.datasetsApi.snapshots(dataset, 1, PAGE);
  const statuses = await Promise.all(
    snapshots.map(([version]) => api.call.datasetsApi.snapshotStatus({ dataset, version })),
  );
  const snapshotRows = snapshots.map(([version, s], i) => {
    const status = statuses[i].isSome ? statuses[i].unwrap().type : 'unknown';
    return el(
      'tr',
      { 'data-snapshot': version.toNumber() },
      num(version.toNumber()),
      num(s.block.toNumber()),
      num(s.contributions.toNumber()),
      num(s.items.toString()),
      num(s.totalPoints.toString()),
      el('td', { class: status === 'Active' ? 'ok' : 'bad' }, status),
      el('td', {}, el('code', {}, s.contentRoot.toHex().slice(0, 18) + '…')),
    );
  });
  const contributions = await allPages((c) =>
    api.call.datasetsApi.acceptedContributions(dataset, c, PAGE),
  );
  const byContributor = new Map();
  for (const { contribution: c } of contributions) {
    const who = c.contributor.toString();
    const entry = byContributor.get(who) ?? { contributions: 0, withdrawn: 0, items: 0 };
    entry.contributions += 1;
    entry.items += c.items.toNumber();
    if (c.state.asAccepted.withdrawn.isSome) entry.withdrawn += 1;
    byContributor.set(who, entry);
  }
  const points = await Promise.all(
    [...byContributor.keys()].map((who) => api.call.datasetsApi.points(dataset, who)),
  );
  const contributorRows = [...byContributor.entries()].map(([who, e], i) =>
    el(
      'tr',
      { 'data-contributor': who },
      el('td', {}, who),
      num(e.contributions),
      num(e.items),
      num(points[i].toString()),
      el(
        'td',
        { class: e.withdrawn ? 'bad' : 'ok' },
        e.withdrawn ? `withdrawn (${e.withdrawn} of ${e.contributions})` : 'given',
      ),
    ),
  );
  return [
    section(
      `Dataset ${dataset}: snapshots`,
      table(
        [
          { label: 'version', num: 1 },
          { label: 'block', num: 1 },
          { label: 'contributions', num: 1 },
          { label: 'items', num: 1 },
          { label: 'points', num: 1 },
          'status',
          'content root',
        ],
        snapshotRows,
        { id: 'snapshots' },
      ),
    ),
    section(
      `Dataset ${dataset}: contributors`,
      table(
        [
          'contributor',
          { label: 'contributions', num: 1 },
          { label: 'items', num: 1 },
          { label: 'points', num: 1 },
          'consent',
        ],
        contributorRows,
        { id: 'contributors' },
      ),
    ),
  ];
}

async function lineageView(api, params) {
  const versions = await allPages((c) => api.call.modelsApi.versionsWhere('All', c, PAGE));
  const chosen = params.version ?? (versions.length ? String(versions.at(-1).id.toNumber()) : '');
  const form = el(
    'form',
    {
      class: 'inline',
      onsubmit: (e) => {
        e.preventDefault();
        go('lineage', { version: e.target.version.value });
      },
    },
    el('label', {}, 'Model version ', el('input', { name: 'version', value: chosen, size: 6 })),
    el('button', {}, 'Show'),
    el('span', {}, `${versions.length} versions`),
  );
  if (chosen === '') return [section('Lineage', form, 'No model version yet.')];
  const found = await api.call.modelsApi.lineage(Number(chosen));
  if (found.isNone) return [section('Lineage', form, `No version ${chosen}.`)];
  const lineage = found.unwrap().toJSON();
  const statuses = {};
  for (const node of lineage.nodes) {
    for (const { snapshot } of node.inputs) {
      const status = await api.call.datasetsApi.snapshotStatus(snapshot);
      statuses[snapshotKey(snapshot.dataset, snapshot.version)] = status.isSome
        ? status.unwrap().type
        : 'unknown';
    }
  }
  const taints = {};
  for (const node of lineage.nodes.slice(1)) {
    const taint = await api.call.modelsApi.taint(node.version);
    taints[`v${node.version}`] = taint.isSome ? taint.unwrap().toJSON() : null;
  }
  const graph = lineageGraph(lineage, statuses, taints);
  const drawing = el('div', { id: 'lineage-graph' });
  drawing.innerHTML = lineageSvg(graph);
  const rows = lineage.attribution.map((e) =>
    el(
      'tr',
      { 'data-dataset': e.snapshot.dataset },
      num(e.snapshot.dataset),
      num(e.snapshot.version),
      num(`${(e.share / 1e7).toFixed(2)}%`),
    ),
  );
  return [
    section(
      `Lineage of version ${chosen}`,
      form,
      await taintNote(api, Number(chosen), lineage),
      drawing,
    ),
    section(
      'Attribution: each dataset’s share of the data revenue',
      table(
        [
          { label: 'dataset', num: 1 },
          { label: 'snapshot', num: 1 },
          { label: 'share', num: 1 },
        ],
        rows,
        { id: 'attribution' },
      ),
    ),
  ];
}

const JOB_FILTERS = {
  all: () => 'All',
  open: () => ({ Open: null }),
  requester: (v) => ({ Requester: v }),
  provider: (v) => ({ Provider: v }),
  modelVersion: (v) => ({ ModelVersion: Number(v) }),
  dataset: (v) => ({ Dataset: Number(v) }),
};

async function jobsView(api, params) {
  const by = params.by in JOB_FILTERS ? params.by : 'all';
  const jobs = await api.call.computeApi.jobs(JOB_FILTERS[by](params.value ?? ''), null, PAGE);
  const form = el(
    'form',
    {
      class: 'inline',
      onsubmit: (e) => {
        e.preventDefault();
        go('jobs', { by: e.target.by.value, value: e.target.value.value });
      },
    },
    el(
      'select',
      { name: 'by' },
      Object.keys(JOB_FILTERS).map((name) =>
        el('option', { value: name, selected: name === by }, name),
      ),
    ),
    el('input', {
      name: 'value',
      value: params.value ?? '',
      placeholder: 'account or id',
      size: 50,
    }),
    el('button', {}, 'List'),
  );
  const rows = jobs.items.map(([id, job]) =>
    el(
      'tr',
      {
        class: `clickable${params.job === String(id.toNumber()) ? ' selected' : ''}`,
        'data-job': id.toNumber(),
        onclick: () => go('jobs', { ...params, job: id.toNumber() }),
      },
      num(id.toNumber()),
      el('td', {}, job.kind.type),
      num(job.modelVersion.toNumber()),
      el('td', {}, job.requester.toString()),
      el('td', {}, job.provider.isSome ? job.provider.unwrap().toString() : '—'),
      el('td', {}, job.state.isEnded ? `Ended: ${job.state.asEnded.type}` : job.state.type),
      money(job.escrow),
    ),
  );
  const out = [
    section(
      `Jobs (${by}${params.value ? ' ' + params.value : ''}), newest first`,
      form,
      table(
        [
          { label: 'id', num: 1 },
          'kind',
          { label: 'version', num: 1 },
          'requester',
          'provider',
          'state',
          { label: 'escrow', num: 1 },
        ],
        rows,
        { id: 'jobs' },
      ),
    ),
  ];
  const chosen = params.job ?? (jobs.items.length ? String(jobs.items[0][0].toNumber()) : null);
  if (chosen !== null) out.push(await jobDetail(api, Number(chosen)));
  return out;
}

async function jobDetail(api, id) {
  const found = await api.call.computeApi.job(id);
  if (found.isNone) return section(`Job ${id}`, 'Not on record.');
  const job = found.unwrap();
  const optional = (o) => (o.isSome ? o.unwrap().toString() : '—');
  const parties = [
    ['requester', job.requester.toString()],
    ['provider', optional(job.provider)],
    ['operator', optional(job.operator)],
    ['challenger', job.challenge.isSome ? job.challenge.unwrap().challenger.toString() : '—'],
    [
      'ruled by',
      job.ruling.isSome
        ? `${job.ruling.unwrap().by.type} (${job.ruling.unwrap().verdict.type})`
        : '—',
    ],
  ];
  const steps = ['submitted', 'accepted', 'result', 'challenged', 'resolved', 'ended'].map(
    (step) => {
      const at = job.steps[step];
      const block =
        at.isSome === undefined ? at.toNumber() : at.isSome ? at.unwrap().toNumber() : null;
      return el(
        'tr',
        { 'data-step': step },
        el('td', {}, step),
        num(block === null ? '—' : `#${block}`),
      );
    },
  );
  const payouts = job.payouts.map((p) =>
    el(
      'tr',
      { class: 'payout' },
      el(
        'td',
        {},
        p.payee.isDataset ? `dataset ${p.payee.asDataset.dataset.toNumber()}` : p.payee.type,
      ),
      el('td', {}, p.account.toString()),
      money(p.amount),
    ),
  );
  const total = job.payouts.reduce((sum, p) => sum + p.amount.toBigInt(), 0n);
  return section(
    `Job ${id}: who did what`,
    el(
      'div',
      { class: 'figures' },
      el(
        'div',
        { class: 'figure' },
        'state',
        el('b', {}, job.state.isEnded ? `Ended: ${job.state.asEnded.type}` : job.state.type),
      ),
      el(
        'div',
        { class: 'figure' },
        'escrow',
        el('b', { id: 'escrow', 'data-plancks': job.escrow.toString() }, amount(job.escrow)),
      ),
      el('div', { class: 'figure' }, 'collateral', el('b', {}, amount(job.collateral))),
    ),
    table(
      ['party', 'account'],
      parties.map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, v))),
      { id: 'parties' },
    ),
    table(['step', { label: 'block', num: 1 }], steps, { id: 'steps' }),
    table(['paid to', 'account', { label: 'amount', num: 1 }], payouts, {
      id: 'payouts',
      foot: el('tr', {}, el('td', {}, 'total'), el('td', {}), money(total)),
    }),
  );
}

async function rewardsView(api, params) {
  const eras = await allPages((c) => api.call.rewardsApi.eras(c, PAGE));
  const [minted, cap] = await api.call.rewardsApi.supply();
  const current = await api.call.rewardsApi.era();
  const series = [[], [], [], [], []];
  for (const [index, s] of eras) {
    series[0].push(index.toNumber());
    series[1].push(toUnits(s.fees.paid));
    series[2].push(toUnits(s.minted));
    series[3].push(toUnits(s.demand));
    series[4].push(toUnits(s.schedule));
  }
  const last = eras.at(-1);
  const chart = el('div', {
    id: 'emission-chart',
    'data-eras': eras.length,
    'data-last-era': last ? last[0].toNumber() : null,
    'data-last-minted': last ? last[1].minted.toString() : null,
    'data-last-fees': last ? last[1].fees.paid.toString() : null,
  });
  const out = [
    section(
      'Emission per era against the fees paid',
      el(
        'div',
        { class: 'figures' },
        el('div', { class: 'figure' }, 'current era', el('b', {}, current.index.toNumber())),
        el('div', { class: 'figure' }, 'fees so far', el('b', {}, amount(current.fees.paid))),
        el('div', { class: 'figure' }, 'minted', el('b', { id: 'minted' }, amount(minted))),
        el('div', { class: 'figure' }, 'cap', el('b', {}, amount(cap))),
      ),
      chart,
      el(
        'p',
        {},
        'Minted is at most α × fees (the demand line) and at most the schedule; an era whose users paid nothing mints nothing.',
      ),
    ),
  ];
  queueMicrotask(() => drawEmission(chart, series));
  const form = el(
    'form',
    {
      class: 'inline',
      onsubmit: (e) => {
        e.preventDefault();
        go('rewards', { who: e.target.who.value.trim() });
      },
    },
    el('label', {}, 'Account ', el('input', { name: 'who', value: params.who ?? '', size: 50 })),
    el('button', {}, 'What can it claim?'),
  );
  const claim = [form];
  if (params.who) {
    const pending = await api.call.rewardsApi.pending(params.who, null, PAGE);
    claim.push(
      table(
        ['from', { label: 'claimable', num: 1 }, { label: 'of which emission', num: 1 }],
        [
          el(
            'tr',
            {},
            el('td', {}, 'as model owner and provider'),
            money(pending.account),
            el('td', {}),
          ),
          ...pending.datasets.map(([d, first, all, emission]) =>
            el(
              'tr',
              {
                class: 'clickable',
                'data-dataset': d.toNumber(),
                'data-first-snapshot': first.toNumber(),
                onclick: () => go('datasets', { dataset: d.toNumber() }),
              },
              el('td', {}, `dataset ${d.toNumber()}, items first in snapshot ${first.toNumber()}`),
              money(all),
              money(emission),
            ),
          ),
        ],
        { id: 'pending' },
      ),
    );
  }
  out.push(section('Claims', ...claim));
  return out;
}

const toUnits = (plancks) => Number(plancks.toBigInt()) / 10 ** state.decimals;

function drawEmission(target, data) {
  state.plot?.destroy();
  const width = Math.max(480, target.clientWidth || 800);
  state.plot = new uPlot(
    {
      width,
      height: 300,
      scales: { x: { time: false } },
      axes: [{ label: 'era' }, { label: state.symbol }],
      series: [
        { label: 'era' },
        { label: 'fees paid', stroke: '#4f9a5f', width: 2 },
        { label: 'minted', stroke: '#59a6ff', width: 2, fill: 'rgba(89,166,255,0.12)' },
        { label: 'α × fees (demand cap)', stroke: '#b3261e', dash: [6, 4] },
        { label: 'schedule', stroke: '#8a96ab', dash: [2, 3] },
      ],
    },
    data,
    target,
  );
}

async function computeView(api) {
  const market = await api.call.computeApi.concentration();
  const providers = await allPages((c) => api.call.computeApi.providers(c, PAGE));
  const block = (title, c, id) =>
    el(
      'div',
      {
        class: 'bars',
        id,
        'data-herfindahl': c.herfindahl.toNumber(),
        'data-nakamoto': c.nakamoto.toNumber(),
      },
      el('h3', {}, title),
      el(
        'p',
        {},
        `total ${amount(c.total)} · HHI ${(c.herfindahl.toNumber() / 1e7).toFixed(1)}% · Nakamoto coefficient ${c.nakamoto.toNumber()}`,
      ),
      c.largest.map(([key, share]) => [
        el('div', {}, `${keyText(key)}: ${(share.toNumber() / 1e7).toFixed(1)}%`),
        el('div', { class: 'bar', style: `width:${share.toNumber() / 1e7}%` }),
      ]),
    );
  const rows = providers.map(([who, p]) =>
    el(
      'tr',
      { 'data-provider': who.toString() },
      el('td', {}, who.toString()),
      el('td', {}, p.operator.toString()),
      el('td', {}, keyText(p.region)),
      money(p.bond),
      num(p.activeJobs.toNumber()),
      el('td', {}, p.leaving.isTrue ? 'leaving' : 'active'),
    ),
  );
  return [
    section(
      'How concentrated compute is',
      el(
        'div',
        { class: 'figures' },
        block('bond by operator', market.bondByOperator, 'bond-operators'),
        block('fees by operator', market.feesByOperator, 'fee-operators'),
        block('bond by region', market.bondByRegion, 'bond-regions'),
        block('fees by region', market.feesByRegion, 'fee-regions'),
      ),
    ),
    section(
      `Providers (${providers.length})`,
      table(
        [
          'provider',
          'operator',
          'region',
          { label: 'bond', num: 1 },
          { label: 'active jobs', num: 1 },
          'status',
        ],
        rows,
        { id: 'providers' },
      ),
    ),
  ];
}

/** An account, or a region's bytes as text. */
function keyText(key) {
  return key.toRawType() === 'Bytes' ? key.toUtf8() : key.toString();
}

const VIEWS = {
  datasets: datasetsView,
  lineage: lineageView,
  jobs: jobsView,
  rewards: rewardsView,
  compute: computeView,
};

// ---- navigation, connection, live updates ----

function readHash() {
  const [view, query = ''] = location.hash.slice(1).split('?');
  return {
    view: view in VIEWS ? view : 'datasets',
    params: Object.fromEntries(new URLSearchParams(query)),
  };
}

function go(view, params = {}) {
  const query = new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== ''),
  ).toString();
  location.hash = `${view}${query ? '?' + query : ''}`;
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
  const { view, params } = readHash();
  for (const a of document.querySelectorAll('nav a'))
    a.classList.toggle('active', a.dataset.view === view);
  const main = document.getElementById('view');
  if (!state.api) return;
  try {
    const content = await VIEWS[view](state.api, params);
    main.replaceChildren(...content);
    main.dataset.rendered = `${view}@${state.block ?? 0}`;
  } catch (e) {
    main.replaceChildren(section('Error', el('pre', { class: 'bad' }, e.message)));
    main.dataset.rendered = `${view}@error`;
  }
}

async function connect(ws) {
  const status = document.getElementById('status');
  status.textContent = `connecting to ${ws}…`;
  await state.api?.disconnect();
  state.api = null;
  const api = await ApiPromise.create({ provider: new WsProvider(ws), noInitWarn: true });
  state.api = api;
  state.decimals = api.registry.chainDecimals[0] ?? 12;
  state.symbol = api.registry.chainTokens[0] ?? 'LIN';
  await api.rpc.chain.subscribeNewHeads(async (header) => {
    state.block = header.number.toNumber();
    status.textContent = `${ws} · block #${state.block}`;
    document.body.dataset.block = state.block;
    await render();
  });
  await render();
}

window.addEventListener('hashchange', render);
const form = document.getElementById('endpoint');
const initial =
  new URLSearchParams(location.search).get('ws') ??
  localStorage.getItem('lineage-ws') ??
  DEFAULT_WS;
form.ws.value = initial;
form.onsubmit = (e) => {
  e.preventDefault();
  localStorage.setItem('lineage-ws', form.ws.value);
  connect(form.ws.value).catch(
    (err) => (document.getElementById('status').textContent = err.message),
  );
};
connect(initial).catch((err) => (document.getElementById('status').textContent = err.message));
