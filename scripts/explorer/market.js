// The market: jobs with their responsibility record and where every amount came from and went,
// rewards against the fees users paid, and how concentrated compute is.

import uPlot from 'uplot';
import { formatAmount } from '../lib/units.js';
import {
  state,
  el,
  section,
  table,
  facts,
  figure,
  num,
  count,
  amount,
  money,
  percent,
  go,
  blockLink,
  datasetLink,
  versionLink,
  jobLink,
  accountLink,
  accountCell,
  parseAccount,
  parseId,
  allPages,
  UserError,
} from './ui.js';

const PAGE = 100;

/** Job filters: how each reads the value typed next to it. */
const JOB_FILTERS = {
  all: { label: 'all jobs', make: () => 'All' },
  open: { label: 'open jobs', make: () => ({ Open: null }) },
  requester: { label: 'requested by', make: (v) => ({ Requester: parseAccount(v, 'requester') }) },
  provider: { label: 'run by provider', make: (v) => ({ Provider: parseAccount(v, 'provider') }) },
  modelVersion: {
    label: 'on model version',
    make: (v) => ({ ModelVersion: parseId(v, 'model version') }),
  },
  dataset: { label: 'using dataset', make: (v) => ({ Dataset: parseId(v, 'dataset') }) },
};

const stateText = (job) =>
  job.state.isEnded ? `Ended: ${job.state.asEnded.type}` : job.state.type;

export async function jobsView(api, params) {
  const by = params.by in JOB_FILTERS ? params.by : 'all';
  const filter = JOB_FILTERS[by].make(params.value ?? '');
  const jobs = await api.call.computeApi.jobs(filter, null, PAGE);
  const form = el(
    'form',
    {
      class: 'inline',
      onsubmit: (e) => {
        e.preventDefault();
        go('jobs', { by: e.target.by.value, value: e.target.value.value.trim() });
      },
    },
    el(
      'select',
      { name: 'by' },
      Object.entries(JOB_FILTERS).map(([name, f]) =>
        el('option', { value: name, selected: name === by }, f.label),
      ),
    ),
    el('input', {
      name: 'value',
      value: params.value ?? '',
      placeholder: 'account or id',
      size: 40,
    }),
    el('button', {}, 'List'),
  );
  const chosen =
    params.job !== undefined
      ? parseId(params.job, 'job')
      : jobs.items.length
        ? jobs.items[0][0].toNumber()
        : null;
  const rows = jobs.items.map(([id, job]) =>
    el(
      'tr',
      { class: id.toNumber() === chosen ? 'selected' : null, 'data-job': id.toNumber() },
      el('td', {}, jobLink(id.toNumber())),
      el('td', {}, job.kind.type),
      el('td', {}, versionLink(job.modelVersion.toNumber())),
      accountCell(job.requester),
      accountCell(job.provider.isSome ? job.provider.unwrap() : null),
      el('td', {}, stateText(job)),
      money(job.escrow),
    ),
  );
  const out = [
    section(
      `Jobs (${JOB_FILTERS[by].label}${params.value ? ' ' + params.value : ''}), newest first`,
      form,
      table(
        ['job', 'kind', 'version', 'requester', 'provider', 'state', { label: 'escrow', num: 1 }],
        rows,
        { id: 'jobs' },
      ),
    ),
  ];
  if (chosen !== null) out.push(...(await jobDetail(api, chosen)));
  return out;
}

const RETURNED = ['Aborted', 'Unresolved'];
const SLASHED = ['ChallengeUpheld', 'TimedOut'];

/** Why each payee was paid, by how the job ended and whether a stake paid it. */
function payoutReason(payee, outcome, fromStake) {
  if (RETURNED.includes(outcome)) {
    return (
      {
        Requester: 'its escrow, returned',
        Provider: 'its collateral, returned',
        Challenger: 'its challenge bond, returned',
      }[payee.type] ?? 'could not be paid to its payee'
    );
  }
  switch (payee.type) {
    case 'Requester':
      return 'refund of the escrow';
    case 'Provider':
      return fromStake ? 'its share of the forfeited challenge bond' : 'fee less the protocol fee';
    case 'ModelOwner':
      return 'builder share of the price';
    case 'Dataset':
      return 'the dataset’s share of the price, for its contributors';
    case 'Challenger':
      return 'its share of the provider’s slashed collateral';
    case 'Treasury':
      if (!fromStake) return 'protocol fee and rounding';
      return SLASHED.includes(outcome)
        ? 'the rest of the slashed collateral'
        : 'the rest of the forfeited challenge bond';
    default:
      return payee.type;
  }
}

/**
 * Where the money a job paid out came from: the escrow always; on top of it the provider's
 * collateral when it was slashed, or the challenger's bond when the challenge failed or lapsed.
 */
function sources(job, total) {
  const outcome = job.state.isEnded ? job.state.asEnded.type : null;
  const escrow = job.escrow.toBigInt();
  const rows = [
    ['escrow', `held from the requester: the fee and the model's price`, escrow, 'escrow'],
  ];
  const extra = total - escrow;
  if (extra > 0n) {
    if (RETURNED.includes(outcome)) {
      rows.push([
        'stakes',
        'the provider’s collateral and any challenge bond, returned to their owners',
        extra,
        'stakes',
      ]);
    } else if (SLASHED.includes(outcome)) {
      rows.push([
        'collateral',
        outcome === 'TimedOut'
          ? 'the provider’s, slashed: it delivered nothing by the deadline'
          : job.ruling.isSome && job.ruling.unwrap().by.isOutputWithheld
            ? 'the provider’s, slashed: nobody published the challenged output in time'
            : 'the provider’s, slashed: the arbiter upheld the challenge',
        extra,
        'collateral',
      ]);
    } else if (job.challenge.isSome) {
      rows.push([
        'challenge bond',
        outcome === 'Lapsed'
          ? 'the challenger’s, forfeited: the arbiter did not rule in time and the result stood'
          : 'the challenger’s, forfeited: the challenge was rejected',
        extra,
        'bond',
      ]);
    } else {
      rows.push(['other', 'stakes the job held', extra, 'other']);
    }
  }
  return rows;
}

async function jobDetail(api, id) {
  const found = await api.call.computeApi.job(id);
  if (found.isNone) throw new UserError(`There is no job ${id} on record.`);
  const job = found.unwrap();
  const outcome = job.state.isEnded ? job.state.asEnded.type : null;
  const parties = [
    ['requester', accountLink(job.requester)],
    ['provider', job.provider.isSome ? accountLink(job.provider.unwrap()) : '—'],
    ['operator', job.operator.isSome ? accountLink(job.operator.unwrap()) : '—'],
    ['challenger', job.challenge.isSome ? accountLink(job.challenge.unwrap().challenger) : '—'],
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
        el(
          'td',
          { class: 'num', 'data-block': block ?? '' },
          block === null ? '—' : blockLink(block),
        ),
      );
    },
  );
  const total = job.payouts.reduce((sum, p) => sum + p.amount.toBigInt(), 0n);
  const escrow = job.escrow.toBigInt();
  let paidFromEscrow = 0n;
  const payouts = job.payouts.map((p) => {
    // A slashed job refunds the escrow to the requester and pays everyone else from the
    // collateral; otherwise the escrow is paid out first and a forfeited bond after it.
    const fromStake = SLASHED.includes(outcome)
      ? p.payee.type !== 'Requester'
      : paidFromEscrow >= escrow;
    paidFromEscrow += p.amount.toBigInt();
    return el(
      'tr',
      { class: 'payout', 'data-payee': p.payee.type },
      el(
        'td',
        {},
        p.payee.isDataset
          ? [
              datasetLink(p.payee.asDataset.dataset.toNumber()),
              ` · snapshot ${p.payee.asDataset.version.toNumber()}`,
            ]
          : p.payee.type,
      ),
      accountCell(p.account),
      el('td', {}, payoutReason(p.payee, outcome, fromStake)),
      money(p.amount),
    );
  });
  const came = sources(job, total);
  return [
    section(
      `Job ${id}: who did what`,
      el(
        'div',
        { class: 'figures' },
        figure('state', stateText(job)),
        figure('escrow', amount(job.escrow), {
          id: 'escrow',
          'data-plancks': job.escrow.toString(),
        }),
        figure('fee', amount(job.fee)),
        figure('price', amount(job.price)),
        figure('collateral', amount(job.collateral)),
      ),
      facts(
        [
          ['kind', job.kind.type],
          ['model version', versionLink(job.modelVersion.toNumber())],
          ['deadline', blockLink(job.deadline.toNumber())],
          [
            'datasets paid',
            job.attribution.map((a) => [datasetLink(a.snapshot.dataset.toNumber()), ' ']),
          ],
        ],
        'job-facts',
      ),
      table(
        ['party', 'account'],
        parties.map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, v))),
        { id: 'parties' },
      ),
      table(['step', { label: 'block', num: 1 }], steps, { id: 'steps' }),
    ),
    section(
      'Where the money came from',
      table(
        ['source', 'what it is', { label: 'amount', num: 1 }],
        came.map(([name, what, value, key]) =>
          el('tr', { 'data-source': key }, el('td', {}, name), el('td', {}, what), money(value)),
        ),
        {
          id: 'sources',
          foot: job.payouts.length
            ? el('tr', {}, el('td', {}, 'total'), el('td', {}), money(total))
            : null,
        },
      ),
      job.payouts.length ? null : el('p', {}, 'Still held: nothing paid out yet.'),
    ),
    section(
      'Where it went',
      table(['paid to', 'account', 'why', { label: 'amount', num: 1 }], payouts, {
        id: 'payouts',
        foot: el('tr', {}, el('td', {}, 'total'), el('td', {}), el('td', {}), money(total)),
      }),
    ),
  ];
}

// ---- rewards ----

const toUnits = (plancks) => Number(plancks.toBigInt()) / 10 ** state.decimals;
/** Zero has no place on a log scale: drawn as a gap. */
const positive = (x) => (x > 0 ? x : null);

export async function rewardsView(api, params) {
  const eras = await allPages((c) => api.call.rewardsApi.eras(c, PAGE));
  const [minted, cap] = await api.call.rewardsApi.supply();
  const current = await api.call.rewardsApi.era();
  const series = [[], [], [], [], []];
  for (const [index, s] of eras) {
    series[0].push(index.toNumber());
    series[1].push(positive(toUnits(s.fees.paid)));
    series[2].push(positive(toUnits(s.minted)));
    series[3].push(positive(toUnits(s.demand)));
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
        figure('current era', count(current.index)),
        figure('fees so far', amount(current.fees.paid)),
        figure('minted', amount(minted), { id: 'minted' }),
        figure('cap', amount(cap)),
      ),
      chart,
      el(
        'p',
        {},
        'Left axis (log scale): what users paid, α × fees (the demand cap) and what was minted. ' +
          'Right axis: the schedule. Minted is at most α × fees and at most the schedule; an era ' +
          'whose users paid nothing mints nothing (a gap on the log scale).',
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
    el('label', {}, 'Account ', el('input', { name: 'who', value: params.who ?? '', size: 40 })),
    el('button', {}, 'What can it claim?'),
  );
  const claim = [form];
  if (params.who) {
    const who = parseAccount(params.who);
    const pending = await api.call.rewardsApi.pending(who, null, PAGE);
    claim.push(el('p', {}, 'For ', accountLink(who)), pendingTable(pending));
  }
  out.push(section('Claims', ...claim));
  return out;
}

/** What an account can claim (`RewardsApi.pending`): as model owner and provider, and by dataset. */
export function pendingTable(pending) {
  return table(
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
          { 'data-dataset': d.toNumber(), 'data-first-snapshot': first.toNumber() },
          el('td', {}, datasetLink(d.toNumber()), `, items first in snapshot ${first.toNumber()}`),
          money(all),
          money(emission),
        ),
      ),
    ],
    { id: 'pending' },
  );
}

/** An amount in whole units (a chart's value) as "1,234.5678 LIN". */
export const unitsText = (v) =>
  v === null || v === undefined
    ? '—'
    : `${formatAmount(BigInt(Math.round(v * 10 ** state.decimals)), state.decimals)} ${state.symbol}`;

function drawEmission(target, data) {
  state.plot?.destroy();
  const width = Math.max(300, target.clientWidth || 800);
  const eraTicks = (u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : ''));
  state.plot = new uPlot(
    {
      width,
      height: 300,
      scales: {
        x: {
          time: false,
          range: (u, min, max) => (min === max ? [min - 1, max + 1] : [min, max]),
        },
        fees: {
          distr: 3,
          range: (u, min, max) =>
            min === null || max === null ? [0.01, 1] : uPlot.rangeLog(min, max, 10, true),
        },
        schedule: { range: (u, min, max) => [0, Math.max(1, max ?? 1) * 1.1] },
      },
      axes: [
        { label: 'era', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], values: eraTicks },
        { label: `${state.symbol} (log)`, scale: 'fees', size: 70 },
        {
          label: `schedule (${state.symbol})`,
          scale: 'schedule',
          side: 1,
          grid: { show: false },
          size: 70,
        },
      ],
      series: [
        { label: 'era', value: (u, v) => (v === null ? '—' : `era ${v}`) },
        {
          label: 'fees paid',
          scale: 'fees',
          stroke: '#4f9a5f',
          width: 2,
          value: (u, v) => unitsText(v),
        },
        {
          label: 'minted',
          scale: 'fees',
          stroke: '#2f6fd0',
          width: 2,
          points: { show: true },
          value: (u, v) => unitsText(v),
        },
        {
          label: 'α × fees (demand cap)',
          scale: 'fees',
          stroke: '#b3261e',
          dash: [6, 4],
          value: (u, v) => unitsText(v),
        },
        {
          label: 'schedule',
          scale: 'schedule',
          stroke: '#8a96ab',
          dash: [2, 3],
          value: (u, v) => unitsText(v),
        },
      ],
    },
    data,
    target,
  );
}

// ---- compute ----

export async function computeView(api) {
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
        'total ',
        amount(c.total),
        ` · HHI ${percent(c.herfindahl)} · Nakamoto coefficient ${c.nakamoto.toNumber()}`,
      ),
      c.largest.map(([key, share]) => [
        el('div', { class: 'holder' }, keyText(key), `: ${percent(share)}`),
        el('div', { class: 'bar', style: `width:${share.toNumber() / 1e7}%` }),
      ]),
    );
  const rows = providers.map(([who, p]) =>
    el(
      'tr',
      { 'data-provider': who.toString() },
      accountCell(who),
      accountCell(p.operator),
      el('td', {}, keyText(p.region)),
      money(p.bond),
      num(count(p.activeJobs)),
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

/** An account as a link, or a region's bytes as text. */
function keyText(key) {
  return key.toRawType() === 'Bytes' ? key.toUtf8() : accountLink(key);
}
