// Datasets, models and a version's lineage: who contributed what, which snapshot each model
// version was trained on, which models used a dataset, and whether a version may still be used.

import {
  el,
  section,
  table,
  facts,
  num,
  count,
  amount,
  money,
  percent,
  go,
  blockLink,
  datasetLink,
  modelLink,
  versionLink,
  jobLink,
  accountLink,
  accountCell,
  parseId,
  allPages,
  UserError,
} from './ui.js';
import { lineageGraph, lineageSvg, snapshotKey, describeTaint } from './graph.js';

const PAGE = 100;

function consentText(consent) {
  const parts = [];
  if (consent.training.isTrue) parts.push('training');
  if (consent.commercial.isTrue) parts.push('commercial');
  return parts.length ? parts.join(' + ') : 'none';
}

export async function datasetsView(api, params) {
  const datasets = await allPages((c) => api.call.datasetsApi.datasets(c, PAGE));
  const chosen =
    params.dataset !== undefined
      ? parseId(params.dataset, 'dataset')
      : datasets.length
        ? datasets[0].id.toNumber()
        : null;
  const rows = datasets.map((d) => {
    const info = d.info;
    const id = d.id.toNumber();
    return el(
      'tr',
      { class: id === chosen ? 'selected' : null, 'data-dataset': id },
      el('td', {}, datasetLink(id)),
      accountCell(info.owner),
      el('td', {}, info.licence.type),
      el('td', {}, info.status.type),
      num(count(info.accepted)),
      num(count(info.items)),
      num(count(info.totalPoints)),
      el('td', {}, consentText(info.consent)),
      num(count(info.snapshots)),
    );
  });
  const out = [
    section(
      `Datasets (${datasets.length})`,
      table(
        [
          'dataset',
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
  if (chosen !== null) out.push(...(await datasetDetail(api, chosen)));
  return out;
}

async function datasetDetail(api, dataset) {
  const found = await api.call.datasetsApi.dataset(dataset);
  if (found.isNone) throw new UserError(`There is no dataset ${dataset}.`);
  const { info, curators } = found.unwrap();
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
      el('td', { class: 'num' }, blockLink(s.block.toNumber())),
      num(count(s.contributions)),
      num(count(s.items)),
      num(count(s.totalPoints)),
      el('td', { class: status === 'Active' ? 'ok' : 'bad' }, status),
      el(
        'td',
        {},
        el('code', { title: s.contentRoot.toHex() }, s.contentRoot.toHex().slice(0, 18) + '…'),
      ),
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
      accountCell(who),
      num(count(e.contributions)),
      num(count(e.items)),
      num(count(points[i])),
      el(
        'td',
        { class: e.withdrawn ? 'bad' : 'ok' },
        e.withdrawn ? `withdrawn (${e.withdrawn} of ${e.contributions})` : 'given',
      ),
    ),
  );
  const models = await allPages((c) =>
    api.call.modelsApi.versionsWhere({ Dataset: dataset }, c, PAGE),
  );
  const modelRows = models.map((v) =>
    el(
      'tr',
      { 'data-version': v.id.toNumber() },
      el('td', {}, versionLink(v.id.toNumber())),
      el('td', {}, modelLink(v.model.toNumber())),
      accountCell(v.owner),
      money(v.price),
      el(
        'td',
        { class: v.taint.isSome ? 'bad' : 'ok' },
        v.taint.isSome ? describeTaint(v.taint.unwrap().toJSON()) : 'usable',
      ),
    ),
  );
  return [
    section(
      `Dataset ${dataset}`,
      facts(
        [
          ['owner', accountLink(info.owner)],
          ['curators', curators.length ? curators.map((c) => accountLink(c)) : 'none (open)'],
          ['licence', info.licence.type],
          ['status', info.status.type],
          ['created', blockLink(info.created.toNumber())],
          ['deposit held', amount(info.deposit)],
        ],
        'dataset-facts',
      ),
    ),
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
    section(
      `Models trained on dataset ${dataset} (${models.length})`,
      modelRows.length
        ? table(['version', 'model', 'owner', { label: 'price', num: 1 }, 'taint'], modelRows, {
            id: 'trained-on',
          })
        : el('p', { id: 'trained-on' }, 'No model version was trained on it yet.'),
    ),
  ];
}

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
        `${count(grace)} more blocks, then none.`,
      { 'data-grace': grace },
    );
  }
  const until = started.unwrap().toNumber() + grace;
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  if (now >= until) return note('bad', `Not usable: ${reason} (its withdrawal grace ended).`);
  return note(
    'warn',
    `Tainted: ${reason}. It takes jobs until block #${count(until)} (its withdrawal grace), then none.`,
    { 'data-grace': grace, 'data-until': until },
  );
}

export async function lineageView(api, params) {
  const versions = await allPages((c) => api.call.modelsApi.versionsWhere('All', c, PAGE));
  const chosen =
    params.version !== undefined && params.version !== ''
      ? parseId(params.version, 'model version')
      : versions.length
        ? versions.at(-1).id.toNumber()
        : null;
  const form = el(
    'form',
    {
      class: 'inline',
      onsubmit: (e) => {
        e.preventDefault();
        go('lineage', { version: e.target.version.value.trim() });
      },
    },
    el(
      'label',
      {},
      'Model version ',
      el('input', { name: 'version', value: chosen ?? '', size: 6 }),
    ),
    el('button', {}, 'Show'),
    el('span', {}, `${versions.length} versions`),
  );
  if (chosen === null) return [section('Lineage', form, 'No model version yet.')];
  const found = await api.call.modelsApi.lineage(chosen);
  if (found.isNone) throw new UserError(`There is no model version ${chosen}.`);
  const details = (await api.call.modelsApi.version(chosen)).unwrap();
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
  const drawing = el('div', { id: 'lineage-graph', class: 'scroll' });
  drawing.innerHTML = lineageSvg(graph);
  const rows = lineage.attribution.map((e) =>
    el(
      'tr',
      { 'data-dataset': e.snapshot.dataset },
      el('td', {}, datasetLink(e.snapshot.dataset)),
      num(e.snapshot.version),
      num(percent(e.share, 2)),
    ),
  );
  const jobs = await api.call.computeApi.jobs({ ModelVersion: chosen }, null, 20);
  return [
    section(
      `Lineage of version ${chosen}`,
      form,
      await taintNote(api, chosen, lineage),
      facts(
        [
          ['model', modelLink(details.model.toNumber())],
          ['number in its model', details.number.toNumber()],
          ['owner', accountLink(details.owner)],
          ['published by', accountLink(details.publisher)],
          ['published', blockLink(details.published.toNumber())],
          ['price of a job', amount(details.price)],
          ['builder share', percent(details.builderShare)],
          [
            'parent',
            details.parent.isSome ? versionLink(details.parent.unwrap().toNumber()) : 'none',
          ],
        ],
        'version-facts',
      ),
      drawing,
    ),
    section(
      'Attribution: each dataset’s share of the data revenue',
      table(['dataset', { label: 'snapshot', num: 1 }, { label: 'share', num: 1 }], rows, {
        id: 'attribution',
      }),
    ),
    section(
      'Latest jobs on this version',
      jobs.items.length
        ? table(
            ['job', 'requester', 'state', { label: 'escrow', num: 1 }],
            jobs.items.map(([id, job]) =>
              el(
                'tr',
                { 'data-job': id.toNumber() },
                el('td', {}, jobLink(id.toNumber())),
                accountCell(job.requester),
                el(
                  'td',
                  {},
                  job.state.isEnded ? `Ended: ${job.state.asEnded.type}` : job.state.type,
                ),
                money(job.escrow),
              ),
            ),
            { id: 'version-jobs' },
          )
        : el('p', {}, 'None yet.'),
    ),
  ];
}

export async function modelView(api, params) {
  const id = parseId(params.id, 'model');
  const found = await api.call.modelsApi.model(id);
  if (found.isNone) throw new UserError(`There is no model ${id}.`);
  const { info } = found.unwrap();
  const versions = await api.call.modelsApi.versions(id, null, PAGE);
  return [
    section(
      `Model ${id}`,
      facts(
        [
          ['owner', accountLink(info.owner)],
          ['licence', info.licence.type],
          ['versions', count(info.versions)],
          ['latest', info.latest.isSome ? versionLink(info.latest.unwrap().toNumber()) : 'none'],
          ['created', blockLink(info.created.toNumber())],
          ['deposit held', amount(info.deposit)],
        ],
        'model-facts',
      ),
    ),
    section(
      `Versions of model ${id}`,
      table(
        [
          'version',
          { label: 'number', num: 1 },
          'parent',
          { label: 'price', num: 1 },
          'published',
          'taint',
        ],
        versions.map((v) =>
          el(
            'tr',
            { 'data-version': v.id.toNumber() },
            el('td', {}, versionLink(v.id.toNumber())),
            num(v.number.toNumber()),
            el('td', {}, v.parent.isSome ? versionLink(v.parent.unwrap().toNumber()) : '—'),
            money(v.price),
            el('td', {}, blockLink(v.published.toNumber())),
            el(
              'td',
              { class: v.taint.isSome ? 'bad' : 'ok' },
              v.taint.isSome ? describeTaint(v.taint.unwrap().toJSON()) : 'usable',
            ),
          ),
        ),
        { id: 'versions' },
      ),
    ),
  ];
}
