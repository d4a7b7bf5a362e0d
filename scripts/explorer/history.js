// The history views: what `lineage indexer` recorded of the finalized chain, read from its read
// API (`?indexer=URL`, default http://127.0.0.1:8070): emission, fees and held-back amounts of
// every era; an account's payouts over time; a dataset's jobs and revenue; a provider's record;
// model versions trained on snapshots later withdrawn. Every id, account and block links to its
// page.

import uPlot from 'uplot';
import { unitsText } from './market.js';
import {
  state,
  el,
  section,
  table,
  facts,
  num,
  count,
  money,
  amount,
  href,
  go,
  blockLink,
  datasetLink,
  versionLink,
  modelLink,
  jobLink,
  accountLink,
  accountCell,
  parseAccount,
  parseId,
  UserError,
} from './ui.js';

const DEFAULT_INDEXER = 'http://127.0.0.1:8070';

/** The indexer this page reads: `?indexer=` of the page, else the last one that answered. */
export function indexerUrl() {
  const asked = new URLSearchParams(location.search).get('indexer');
  return (asked ?? localStorage.getItem('lineage-indexer') ?? DEFAULT_INDEXER).replace(/\/$/, '');
}

class NoIndexer extends Error {}

async function ask(path) {
  const base = indexerUrl();
  let res;
  try {
    res = await fetch(`${base}/${path}`);
  } catch {
    throw new NoIndexer(base);
  }
  const body = await res.json();
  if (res.status === 400) throw new UserError(body.error);
  if (!res.ok) throw new Error(body.error);
  localStorage.setItem('lineage-indexer', base);
  return body;
}

const when = (iso) => new Date(iso).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
const plancksToUnits = (p) => Number(BigInt(p)) / 10 ** state.decimals;
const COLOURS = ['#2f6fd0', '#4f9a5f', '#b3261e', '#8a5cc2', '#d08a2f', '#3aa0a8', '#8a96ab'];

/** The charts on the page, destroyed before the next render draws its own. */
let plots = [];

/**
 * A chart of amounts by era: one line (with points) per series. `eras` are the x values,
 * `series` [{ label, values }] in plancks (null where there is none).
 */
function chart(id, eras, series) {
  const target = el('div', { class: 'chart', id, 'data-points': eras.length });
  queueMicrotask(() => {
    const width = Math.max(300, target.clientWidth || 800);
    plots.push(
      new uPlot(
        {
          width,
          height: 260,
          scales: {
            x: {
              time: false,
              range: (u, min, max) => (min === max ? [min - 1, max + 1] : [min, max]),
            },
          },
          axes: [
            {
              label: 'era',
              values: (u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')),
            },
            { label: state.symbol, size: 70 },
          ],
          series: [
            { label: 'era', value: (u, v) => (v === null ? '—' : `era ${v}`) },
            ...series.map((s, i) => ({
              label: s.label,
              stroke: COLOURS[i % COLOURS.length],
              width: 2,
              points: { show: true },
              value: (u, v) => unitsText(v),
            })),
          ],
        },
        [eras, ...series.map((s) => s.values.map((v) => (v === null ? null : plancksToUnits(v))))],
        target,
      ),
    );
  });
  return target;
}

function lookupForm() {
  const form = el(
    'form',
    { id: 'history-lookup', class: 'inline' },
    el(
      'label',
      {},
      'Account or dataset ',
      el('input', { name: 'q', size: 50, spellcheck: 'false' }),
    ),
    el('button', {}, 'Show its history'),
    el('span', { class: 'bad', role: 'alert' }),
  );
  form.onsubmit = (e) => {
    e.preventDefault();
    const q = form.q.value.trim();
    try {
      if (/^\d+$/.test(q)) go('history', { dataset: parseId(q, 'dataset') });
      else go('history', { account: parseAccount(q) });
    } catch (err) {
      form.querySelector('[role=alert]').textContent = err.message;
    }
  };
  return form;
}

const source = (status) =>
  el(
    'p',
    { class: 'note', id: 'history-source' },
    `From the indexer at ${indexerUrl()} (${status.backend}; not proven by a light client), finalized blocks through `,
    status.indexed ? blockLink(status.indexed.block) : 'none yet',
    status.indexed ? ` (${when(status.indexed.at)})` : '',
    '.',
  );

export async function historyView(api, params) {
  for (const p of plots) p.destroy();
  plots = [];
  let status;
  try {
    status = await ask('status');
  } catch (e) {
    if (!(e instanceof NoIndexer)) throw e;
    return [
      section(
        'History',
        el(
          'p',
          { class: 'bad', id: 'problem' },
          `No indexer answers at ${e.message}. Start one beside the node with \`lineage indexer\` ` +
            '(it follows the finalized chain into PostgreSQL and serves its history), or open this ' +
            'page with ?indexer=URL.',
        ),
      ),
    ];
  }
  const content = params.account
    ? await accountHistory(parseAccount(params.account), status)
    : params.dataset !== undefined
      ? await datasetHistory(parseId(params.dataset, 'dataset'), status)
      : await chainHistory(status);
  // What the indexer says is not proven by the light client: never marked as verified.
  return [el('div', { class: 'from-indexer' }, content)];
}

async function chainHistory(status) {
  const eras = await ask('eras');
  const withdrawn = await ask('withdrawn-models');
  const rows = eras.map((e) =>
    el(
      'tr',
      { 'data-era': e.era },
      num(e.era),
      el('td', {}, blockLink(e.block)),
      el('td', {}, when(e.at)),
      money(e.fees_paid),
      num(`${(e.alpha_ppb / 1e7).toFixed(2)}%`),
      money(e.minted),
      money(e.treasury),
      money(e.held_back),
      el('td', {}, e.bound ?? 'none'),
      num(count(e.settled_jobs)),
    ),
  );
  return [
    source(status),
    section('Look up', lookupForm()),
    section(
      'Emission, fees and held back, every era',
      chart(
        'era-chart',
        eras.map((e) => e.era),
        [
          { label: 'fees paid', values: eras.map((e) => e.fees_paid) },
          { label: 'minted', values: eras.map((e) => e.minted) },
          { label: 'held back', values: eras.map((e) => e.held_back) },
        ],
      ),
      table(
        [
          { label: 'era', num: 1 },
          'ended at',
          'time',
          { label: 'fees paid', num: 1 },
          { label: 'α', num: 1 },
          { label: 'minted', num: 1 },
          { label: 'to treasury', num: 1 },
          { label: 'held back', num: 1 },
          'bound',
          { label: 'jobs settled', num: 1 },
        ],
        rows,
        { id: 'history-eras' },
      ),
    ),
    section(
      'Models trained on snapshots later withdrawn',
      table(
        ['version', 'model', 'published', 'snapshot', 'withdrawn at', 'by'],
        withdrawn.map((w) =>
          el(
            'tr',
            { 'data-version': w.version },
            el('td', {}, versionLink(w.version)),
            el('td', {}, modelLink(w.model)),
            el('td', {}, blockLink(w.published)),
            el('td', {}, datasetLink(w.dataset), ` · snapshot ${w.snapshot}`),
            el('td', {}, blockLink(w.withdrawn)),
            accountCell(w.contributor),
          ),
        ),
        { id: 'history-withdrawn' },
      ),
    ),
  ];
}

/** Series by era for each kind of a `{ period, kind, amount }` list (nothing paid: 0). */
function byKind(series) {
  const eras = [...new Set(series.map((s) => Number(s.period)))].sort((a, b) => a - b);
  const kinds = [...new Set(series.map((s) => s.kind))];
  return {
    eras,
    series: kinds.map((kind) => ({
      label: kind,
      values: eras.map(
        (e) => series.find((s) => Number(s.period) === e && s.kind === kind)?.amount ?? '0',
      ),
    })),
  };
}

async function accountHistory(account, status) {
  const paid = await ask(`payouts/${account}?by=era`);
  const record = await ask(`providers/${account}`);
  const { eras, series } = byKind(paid.series);
  const out = [
    source(status),
    section(
      ['Payouts to ', accountLink(account)],
      chart('payouts-chart', eras, series),
      table(
        [
          'kind',
          { label: 'payouts', num: 1 },
          { label: 'amount', num: 1 },
          { label: 'of which emission', num: 1 },
        ],
        paid.totals.map((t) =>
          el(
            'tr',
            { 'data-kind': t.kind },
            el('td', {}, t.kind),
            num(count(t.count)),
            money(t.amount),
            money(t.emission),
          ),
        ),
        { id: 'payout-totals' },
      ),
      paid.data.length
        ? [
            el('h3', {}, 'As a contributor'),
            table(
              [
                'dataset',
                { label: 'items', num: 1 },
                { label: 'points', num: 1 },
                'since',
                { label: 'jobs that paid it since', num: 1 },
                { label: 'its revenue since', num: 1 },
                { label: 'claimed', num: 1 },
              ],
              paid.data.map((d) =>
                el(
                  'tr',
                  { 'data-dataset': d.dataset },
                  el(
                    'td',
                    {},
                    el(
                      'a',
                      { href: href('history', { dataset: d.dataset }) },
                      `dataset ${d.dataset}`,
                    ),
                  ),
                  num(count(d.contributions)),
                  num(count(d.points)),
                  el('td', {}, blockLink(d.since)),
                  num(count(d.jobs)),
                  money(d.revenue),
                  money(d.claimed),
                ),
              ),
              { id: 'contributor-data' },
            ),
          ]
        : null,
      el('h3', {}, 'Latest'),
      table(
        ['block', 'time', { label: 'era', num: 1 }, 'kind', { label: 'amount', num: 1 }, 'for'],
        paid.latest.map((p) =>
          el(
            'tr',
            {},
            el('td', {}, blockLink(p.block)),
            el('td', {}, when(p.at)),
            num(p.era),
            el('td', {}, p.kind),
            money(p.amount),
            el(
              'td',
              {},
              p.job !== null ? jobLink(p.job) : '',
              p.job !== null && p.dataset !== null ? ' · ' : '',
              p.dataset !== null ? datasetLink(p.dataset) : '',
            ),
          ),
        ),
        { id: 'payout-latest' },
      ),
    ),
  ];
  if (record.jobs.length) {
    const l = record.latency;
    const blocks = (v) => (v === null ? '—' : `${v.toFixed(1)} blocks`);
    out.push(
      section(
        'As a provider',
        facts(
          [
            ['earned in fees', amount(record.fees)],
            ['emission claimed', amount(record.emission)],
            [
              'jobs by outcome',
              record.outcomes.map((o) => `${o.outcome} ${count(o.jobs)}`).join(', '),
            ],
            [
              'accepted after (mean · median · 90%)',
              `${blocks(l.accept_avg)} · ${blocks(l.accept_p50)} · ${blocks(l.accept_p90)}`,
            ],
            [
              'result after acceptance',
              `${blocks(l.result_avg)} · ${blocks(l.result_p50)} · ${blocks(l.result_p90)}`,
            ],
          ],
          'provider-record',
        ),
        el('h3', {}, 'Slashes'),
        table(
          ['block', 'job', 'as', { label: 'amount', num: 1 }],
          record.slashes.map((s) =>
            el(
              'tr',
              {},
              el('td', {}, blockLink(s.block)),
              el('td', {}, jobLink(s.job)),
              el('td', {}, s.role),
              money(s.amount),
            ),
          ),
          { id: 'provider-slashes' },
        ),
      ),
    );
  }
  return out;
}

async function datasetHistory(id, status) {
  const d = await ask(`datasets/${id}?by=era`);
  return [
    source(status),
    section(
      ['History of ', datasetLink(id)],
      facts(
        [
          ['paid by jobs', [amount(d.revenue), ` in ${count(d.paid_jobs)} job payments`]],
          [
            'contributions accepted',
            `${count(d.contributions)} from ${count(d.contributors)} contributors (${count(d.points)} points)`,
          ],
        ],
        'dataset-history',
      ),
      chart(
        'revenue-chart',
        d.series.map((s) => Number(s.period)),
        [{ label: 'revenue', values: d.series.map((s) => s.revenue) }],
      ),
      el('h3', {}, 'Jobs that paid it'),
      table(
        ['job', 'block', 'time', { label: 'paid', num: 1 }, 'version', 'requester', 'provider'],
        d.jobs.map((j) =>
          el(
            'tr',
            { 'data-job': j.job },
            el('td', {}, jobLink(j.job)),
            el('td', {}, blockLink(j.block)),
            el('td', {}, when(j.at)),
            money(j.amount),
            el('td', {}, versionLink(j.model_version)),
            accountCell(j.requester),
            accountCell(j.provider),
          ),
        ),
        { id: 'dataset-jobs' },
      ),
      el('h3', {}, 'Consent withdrawals'),
      table(
        ['block', 'contribution', 'contributor', { label: 'points', num: 1 }, 'tainted snapshots'],
        d.withdrawals.map((w) =>
          el(
            'tr',
            {},
            el('td', {}, blockLink(w.block)),
            num(w.contribution),
            accountCell(w.contributor),
            num(count(w.points_removed)),
            el(
              'td',
              {},
              w.tainted_from === null
                ? 'none'
                : w.tainted_from === w.tainted_through
                  ? String(w.tainted_from)
                  : `${w.tainted_from}–${w.tainted_through}`,
            ),
          ),
        ),
        { id: 'dataset-withdrawals' },
      ),
    ),
  ];
}
