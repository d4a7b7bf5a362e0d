// The chain's own records: recent blocks, a block, an extrinsic, an account, and the search that
// finds any of them (and the Lineage records by id) from what a reader types.

import { isHex } from '@polkadot/util';
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
  href,
  blockLink,
  datasetLink,
  modelLink,
  versionLink,
  jobLink,
  extrinsicLink,
  accountLink,
  accountCell,
  address,
  identicon,
  parseAccount,
  parseId,
  allPages,
  UserError,
} from './ui.js';
import { pendingTable } from './market.js';

const PAGE = 100;
/** How far back the page looks for an extrinsic by hash or for an account's recent claims. */
export const RECENT = 128;

// ---- blocks and their events, each read once ----

const blocks = new Map();

/** A block with its events, author and extrinsic hashes, read once per hash. */
export function blockAt(hash) {
  const key = hash.toString();
  if (!blocks.has(key)) {
    blocks.set(key, readBlock(state.api, key));
    if (blocks.size > 4 * RECENT) blocks.delete(blocks.keys().next().value);
  }
  return blocks.get(key);
}

async function readBlock(api, hash) {
  const signed = await api.rpc.chain.getBlock(hash);
  const { header, extrinsics } = signed.block;
  let events = null;
  try {
    events = await (await api.at(hash)).query.system.events();
  } catch {
    // A node that pruned this block's state no longer has its events.
  }
  return {
    number: header.number.toNumber(),
    hash,
    header,
    extrinsics: extrinsics.map((ex, index) => ({ index, ex, hash: ex.hash.toHex() })),
    events,
    author: await author(api, header, hash),
  };
}

/** The Aura author: the authority whose turn the block's slot was. */
async function author(api, header, hash) {
  const pre = header.digest.logs.find(
    (log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura',
  );
  if (!pre) return null;
  try {
    const slot = api.createType('u64', pre.asPreRuntime[1]).toBigInt();
    const authorities = await (await api.at(hash)).query.aura.authorities();
    if (!authorities.length) return null;
    return address(authorities[Number(slot % BigInt(authorities.length))]);
  } catch {
    return null;
  }
}

async function blockByNumber(api, n) {
  const hash = await api.rpc.chain.getBlockHash(n);
  if (hash.isEmpty) return null;
  return blockAt(hash.toHex());
}

async function bestNumber(api) {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

/** The latest `n` blocks, newest first. */
async function recentBlocks(api, n) {
  const best = await bestNumber(api);
  const numbers = [];
  for (let b = best; b >= 0 && numbers.length < n; b--) numbers.push(b);
  return (await Promise.all(numbers.map((b) => blockByNumber(api, b)))).filter(Boolean);
}

/** The events of extrinsic `index` of `block`. */
const eventsOf = (block, index) =>
  (block.events ?? []).filter(
    ({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === index,
  );

/** Whether an extrinsic succeeded, and its fee, from its events. */
function outcome(api, block, index) {
  const events = eventsOf(block, index).map((r) => r.event);
  const failed = events.find((e) => api.events.system.ExtrinsicFailed.is(e));
  const feePaid = events.find((e) => api.events.transactionPayment?.TransactionFeePaid?.is(e));
  let error = null;
  if (failed) {
    const dispatchError = failed.data[0];
    if (dispatchError.isModule) {
      const meta = api.registry.findMetaError(dispatchError.asModule);
      error = `${meta.section}.${meta.name}: ${meta.docs.join(' ')}`;
    } else {
      error = dispatchError.type;
    }
  }
  return {
    known: block.events !== null,
    ok: !failed,
    error,
    fee: feePaid ? feePaid.data[1].toBigInt() : null,
  };
}

// ---- an event's fields, each as people read it ----

/** One event field: amounts with units, accounts as links, the rest as the chain names it. */
function fieldValue(value, typeName = '') {
  if (/Balance/.test(typeName) && typeof value.toBigInt === 'function') return amount(value);
  if (/AccountId/.test(typeName) && !/Vec|Option/.test(typeName)) return accountLink(value);
  const human = value.toHuman();
  return typeof human === 'string' ? human : JSON.stringify(human);
}

function eventFields(event) {
  const fields = event.meta.fields;
  return event.data.map((value, i) => {
    const name = fields[i]?.name?.isSome ? fields[i].name.unwrap().toString() : String(i);
    const typeName = fields[i]?.typeName?.isSome ? fields[i].typeName.unwrap().toString() : '';
    return el('span', { class: 'field' }, `${name}: `, fieldValue(value, typeName));
  });
}

function eventRows(records) {
  return records.map(({ phase, event }) =>
    el(
      'tr',
      { 'data-event': `${event.section}.${event.method}` },
      el(
        'td',
        {},
        phase.isApplyExtrinsic ? `extrinsic ${phase.asApplyExtrinsic.toNumber()}` : phase.type,
      ),
      el('td', {}, `${event.section}.${event.method}`),
      el('td', {}, eventFields(event)),
    ),
  );
}

const eventTable = (records, id = 'events') =>
  table(['phase', 'event', 'fields'], eventRows(records), { id });

// ---- pages ----

export async function homeView(api) {
  const recent = await recentBlocks(api, 10);
  const finalized = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
  const issuance = await api.query.balances.totalIssuance();
  const rows = recent.map((b) =>
    el(
      'tr',
      { 'data-block': b.number },
      el('td', {}, blockLink(b.number)),
      el('td', {}, el('code', {}, `${b.hash.slice(0, 18)}…`)),
      num(b.extrinsics.length),
      num(b.events ? b.events.length : '—'),
      accountCell(b.author),
    ),
  );
  return [
    section(
      'Lineage',
      el(
        'div',
        { class: 'figures' },
        figure('best block', blockLink(recent[0]?.number ?? 0)),
        figure('finalized', blockLink(finalized.number.toNumber())),
        figure('total issuance', amount(issuance)),
      ),
      el(
        'p',
        {},
        'Search above for an account, a block number or hash, an extrinsic hash, or ',
        el('code', {}, 'dataset 3'),
        ', ',
        el('code', {}, 'model 1'),
        ', ',
        el('code', {}, 'version 2'),
        ', ',
        el('code', {}, 'job 0'),
        '.',
      ),
    ),
    section(
      'Latest blocks',
      table(
        ['block', 'hash', { label: 'extrinsics', num: 1 }, { label: 'events', num: 1 }, 'author'],
        rows,
        { id: 'blocks' },
      ),
    ),
  ];
}

export async function blockView(api, params) {
  const id = String(params.id ?? '').trim();
  let block;
  if (isHex(id, 256)) {
    try {
      block = await blockAt(id);
    } catch {
      block = null;
    }
  } else {
    const n = parseId(id, 'block');
    block = await blockByNumber(api, n);
  }
  if (!block) {
    throw new UserError(
      `This node has no block ${id} (its best is #${count(await bestNumber(api))}).`,
    );
  }
  const { header } = block;
  const best = await bestNumber(api);
  const rows = block.extrinsics.map(({ index, ex, hash }) => {
    const result = outcome(api, block, index);
    return el(
      'tr',
      { 'data-extrinsic': index },
      el('td', {}, extrinsicLink(block.number, index, hash)),
      el('td', {}, `${ex.method.section}.${ex.method.method}`),
      accountCell(ex.isSigned ? ex.signer.toString() : null),
      el('td', { class: result.ok ? 'ok' : 'bad' }, result.ok ? 'success' : 'failed'),
      result.fee === null ? el('td', {}, '—') : money(result.fee),
    );
  });
  return [
    section(
      `Block #${count(block.number)}`,
      facts(
        [
          ['hash', el('code', {}, block.hash)],
          ['parent', block.number > 0 ? blockLink(block.number - 1) : '—'],
          ['author', block.author ? accountLink(block.author) : '—'],
          ['state root', el('code', {}, header.stateRoot.toHex())],
          ['extrinsics root', el('code', {}, header.extrinsicsRoot.toHex())],
          ['next', block.number < best ? blockLink(block.number + 1) : 'none yet'],
        ],
        'block-facts',
      ),
    ),
    section(
      `Extrinsics (${block.extrinsics.length})`,
      table(['extrinsic', 'call', 'signer', 'result', { label: 'fee', num: 1 }], rows, {
        id: 'extrinsics',
      }),
    ),
    section(
      `Events (${block.events ? block.events.length : 'no longer kept by this node'})`,
      eventTable(block.events ?? []),
    ),
  ];
}

/** An extrinsic by block and index, or by hash among the latest blocks. */
export async function extrinsicView(api, params) {
  let block;
  let index;
  if (params.hash) {
    const found = await findExtrinsic(api, params.hash);
    if (!found) {
      throw new UserError(
        `No extrinsic ${params.hash} in the latest ${RECENT} blocks of this node.`,
      );
    }
    ({ block, index } = found);
  } else {
    block = await blockByNumber(api, parseId(params.block, 'block'));
    index = parseId(params.index, 'extrinsic index');
    if (!block || index >= block.extrinsics.length) {
      throw new UserError(`No extrinsic ${params.block}-${params.index} on this chain.`);
    }
  }
  const { ex, hash } = block.extrinsics[index];
  const result = outcome(api, block, index);
  const args = ex.method.args.map((arg, i) => {
    const meta = ex.method.meta.args[i];
    return el(
      'tr',
      {},
      el('td', {}, meta.name.toString()),
      el('td', {}, fieldValue(arg, meta.typeName.isSome ? meta.typeName.unwrap().toString() : '')),
    );
  });
  return [
    section(
      `Extrinsic ${count(block.number)}-${index}`,
      facts(
        [
          ['hash', el('code', {}, hash)],
          ['block', blockLink(block.number)],
          ['call', `${ex.method.section}.${ex.method.method}`],
          ['signer', ex.isSigned ? accountLink(ex.signer.toString()) : 'none (inherent)'],
          ex.isSigned ? ['nonce', count(ex.nonce)] : null,
          [
            'result',
            el(
              'span',
              { class: result.ok ? 'ok' : 'bad' },
              result.known ? (result.ok ? 'success' : `failed: ${result.error}`) : 'unknown',
            ),
          ],
          ['fee', result.fee === null ? '—' : amount(result.fee)],
        ],
        'extrinsic-facts',
      ),
      table(['argument', 'value'], args, { id: 'arguments' }),
    ),
    section('Events', eventTable(eventsOf(block, index))),
  ];
}

async function findExtrinsic(api, hash) {
  const wanted = hash.toLowerCase();
  for (const block of await recentBlocks(api, RECENT)) {
    const hit = block.extrinsics.find((x) => x.hash === wanted);
    if (hit) return { block, index: hit.index };
  }
  return null;
}

export async function accountView(api, params) {
  const who = parseAccount(params.id);
  const [account, holds, provider, owned, contributions, models, requested, provided, pending] =
    await Promise.all([
      api.query.system.account(who),
      api.query.balances.holds(who),
      api.call.computeApi.provider(who),
      api.call.datasetsApi.ownedDatasets(who, null, PAGE),
      api.call.datasetsApi.accountContributions(who, null, PAGE),
      allPages((c) => api.call.modelsApi.models(who, c, PAGE)),
      api.call.computeApi.jobs({ Requester: who }, null, PAGE),
      api.call.computeApi.jobs({ Provider: who }, null, PAGE),
      api.call.rewardsApi.pending(who, null, PAGE),
    ]);
  const { data, nonce } = account;
  const name = state.names.get(who);
  const out = [
    section(
      el('span', { class: 'title' }, identicon(who, 28), name ? `${name}` : 'Account'),
      el(
        'p',
        {},
        el('code', { id: 'address' }, who),
        ' · ',
        el(
          'a',
          { href: href('history', { account: who }), id: 'history-link' },
          'payouts over time',
        ),
      ),
      el(
        'div',
        { class: 'figures' },
        figure('free', amount(data.free), { id: 'free' }),
        figure('reserved (held)', amount(data.reserved)),
        figure('frozen', amount(data.frozen)),
        figure('transactions sent', count(nonce)),
      ),
      holds.length
        ? table(
            ['held by', 'why', { label: 'amount', num: 1 }],
            holds.map((h) => {
              const [pallet, reason] = Object.entries(h.id.toJSON())[0] ?? ['', ''];
              return el(
                'tr',
                { 'data-hold': `${pallet}.${reason}` },
                el('td', {}, pallet),
                el('td', {}, String(reason)),
                money(h.amount),
              );
            }),
            { id: 'holds' },
          )
        : el('p', {}, 'Nothing held.'),
    ),
  ];
  if (provider.isSome) {
    const p = provider.unwrap();
    out.push(
      section(
        'Provider record',
        facts(
          [
            ['operator', accountLink(p.operator)],
            ['endpoint', p.endpoint.toUtf8()],
            ['region', p.region.toUtf8()],
            ['bond', amount(p.bond)],
            ['locked as collateral', amount(p.locked)],
            ['active jobs', count(p.activeJobs)],
            ['status', p.leaving.isTrue ? 'leaving' : 'active'],
            ['registered', blockLink(p.registered.toNumber())],
          ],
          'provider',
        ),
      ),
    );
  }
  if (owned.length) {
    out.push(
      section(
        `Datasets owned (${owned.length})`,
        table(
          ['dataset', 'status', { label: 'accepted', num: 1 }, { label: 'snapshots', num: 1 }],
          owned.map((d) =>
            el(
              'tr',
              { 'data-dataset': d.id.toNumber() },
              el('td', {}, datasetLink(d.id.toNumber())),
              el('td', {}, d.info.status.type),
              num(count(d.info.accepted)),
              num(count(d.info.snapshots)),
            ),
          ),
          { id: 'owned-datasets' },
        ),
      ),
    );
  }
  if (contributions.length) {
    out.push(
      section(
        `Contributions (${contributions.length})`,
        table(
          ['id', 'dataset', { label: 'items', num: 1 }, 'state', { label: 'points', num: 1 }],
          contributions.map(({ id, contribution: c }) => {
            const accepted = c.state.isAccepted ? c.state.asAccepted : null;
            return el(
              'tr',
              { 'data-contribution': id.toNumber() },
              num(id.toNumber()),
              el('td', {}, datasetLink(c.dataset.toNumber())),
              num(count(c.items)),
              el(
                'td',
                {},
                accepted
                  ? accepted.withdrawn.isSome
                    ? 'consent withdrawn'
                    : `accepted, first in snapshot ${accepted.firstSnapshot.toNumber()}`
                  : 'waiting for a curator',
              ),
              num(accepted ? count(accepted.points) : '—'),
            );
          }),
          { id: 'contributions' },
        ),
      ),
    );
  }
  if (models.length) {
    out.push(
      section(
        `Models owned (${models.length})`,
        table(
          ['model', { label: 'versions', num: 1 }, 'latest'],
          models.map((m) =>
            el(
              'tr',
              { 'data-model': m.id.toNumber() },
              el('td', {}, modelLink(m.id.toNumber())),
              num(count(m.info.versions)),
              el(
                'td',
                {},
                m.info.latest.isSome ? versionLink(m.info.latest.unwrap().toNumber()) : '—',
              ),
            ),
          ),
          { id: 'models' },
        ),
      ),
    );
  }
  for (const [title, jobs, id] of [
    ['Jobs requested', requested.items, 'jobs-requested'],
    ['Jobs run as provider', provided.items, 'jobs-provided'],
  ]) {
    if (!jobs.length) continue;
    out.push(
      section(
        `${title} (${jobs.length}${jobs.length === PAGE ? '+' : ''})`,
        table(
          ['job', 'version', 'state', { label: 'escrow', num: 1 }],
          jobs.map(([jid, job]) =>
            el(
              'tr',
              { 'data-job': jid.toNumber() },
              el('td', {}, jobLink(jid.toNumber())),
              el('td', {}, versionLink(job.modelVersion.toNumber())),
              el('td', {}, job.state.isEnded ? `Ended: ${job.state.asEnded.type}` : job.state.type),
              money(job.escrow),
            ),
          ),
          { id },
        ),
      ),
    );
  }
  const claims = await recentClaims(api, who);
  out.push(
    section(
      'Rewards',
      pendingTable(pending),
      el('h3', {}, `Claims in the latest ${RECENT} blocks`),
      claims.length
        ? table(
            ['block', 'from', { label: 'amount', num: 1 }],
            claims.map(({ block, from, paid }) =>
              el(
                'tr',
                { class: 'claim' },
                el('td', {}, blockLink(block)),
                el('td', {}, from),
                money(paid),
              ),
            ),
            { id: 'claims' },
          )
        : el('p', { id: 'claims' }, 'None.'),
    ),
  );
  return out;
}

/** The account's claims found in the events of the latest blocks. */
async function recentClaims(api, who) {
  const claims = [];
  for (const block of await recentBlocks(api, RECENT)) {
    for (const { event } of block.events ?? []) {
      if (event.section !== 'rewards') continue;
      if (!['Claimed', 'AccountClaimed'].includes(event.method)) continue;
      if (address(event.data[0]) !== who) continue;
      if (event.method === 'Claimed') {
        claims.push({
          block: block.number,
          from: [datasetLink(event.data[1].toNumber()), `, snapshot ${event.data[2].toNumber()}`],
          paid: event.data[3],
        });
      } else if (event.method === 'AccountClaimed') {
        claims.push({
          block: block.number,
          from: 'as model owner and provider',
          paid: event.data[1],
        });
      }
    }
  }
  return claims;
}

// ---- search ----

const KINDS = {
  block: 'block',
  dataset: 'dataset',
  datanet: 'dataset',
  model: 'model',
  version: 'version',
  job: 'job',
  account: 'account',
  provider: 'account',
};

/** Where each kind of record with number `n` is, if it exists. */
async function numberHits(api, n, only) {
  const want = (kind) => !only || only === kind;
  const checks = [];
  if (want('block'))
    checks.push(
      bestNumber(api).then((best) =>
        n <= best
          ? { kind: 'block', text: `block #${count(n)}`, to: href('block', { id: n }) }
          : null,
      ),
    );
  if (want('dataset'))
    checks.push(
      api.call.datasetsApi
        .dataset(n)
        .then((d) =>
          d.isSome
            ? { kind: 'dataset', text: `dataset ${n}`, to: href('datasets', { dataset: n }) }
            : null,
        ),
    );
  if (want('model'))
    checks.push(
      api.call.modelsApi
        .model(n)
        .then((m) =>
          m.isSome ? { kind: 'model', text: `model ${n}`, to: href('model', { id: n }) } : null,
        ),
    );
  if (want('version'))
    checks.push(
      api.call.modelsApi
        .version(n)
        .then((v) =>
          v.isSome
            ? { kind: 'version', text: `model version ${n}`, to: href('lineage', { version: n }) }
            : null,
        ),
    );
  if (want('job'))
    checks.push(
      api.call.computeApi
        .job(n)
        .then((j) =>
          j.isSome ? { kind: 'job', text: `job ${n}`, to: href('jobs', { job: n }) } : null,
        ),
    );
  return (await Promise.all(checks)).filter(Boolean);
}

/** Every record what the reader typed can mean. */
export async function searchHits(api, query) {
  const q = query.trim();
  if (q === '')
    throw new UserError(
      'Type an account, a block number or hash, an extrinsic hash, or “dataset 3”.',
    );
  const named = q.match(/^([a-z]+)\s*#?\s*([\d,]+)$/i);
  if (named && KINDS[named[1].toLowerCase()] && KINDS[named[1].toLowerCase()] !== 'account') {
    return numberHits(api, parseId(named[2], named[1]), KINDS[named[1].toLowerCase()]);
  }
  if (/^#?[\d,]+$/.test(q)) return numberHits(api, parseId(q, 'record'));
  if (isHex(q, 256)) {
    const hits = [];
    const header = await api.rpc.chain.getHeader(q).catch(() => null);
    if (header) {
      hits.push({
        kind: 'block',
        text: `block #${count(header.number)}`,
        to: href('block', { id: q }),
      });
    }
    const found = await findExtrinsic(api, q);
    if (found) {
      hits.push({
        kind: 'extrinsic',
        text: `extrinsic ${count(found.block.number)}-${found.index}`,
        to: href('extrinsic', { block: found.block.number, index: found.index }),
      });
    }
    if (!hits.length) hits.push(...(await accountHits(api, parseAccount(q))));
    return hits;
  }
  let who;
  try {
    who = parseAccount(q);
  } catch {
    throw new UserError(
      `Nothing is called “${q}”. Search for an account address, a block number or hash, an extrinsic hash, or “dataset 3”, “model 1”, “version 2”, “job 0”.`,
    );
  }
  return accountHits(api, who);
}

async function accountHits(api, who) {
  const hits = [{ kind: 'account', text: `account ${who}`, to: href('account', { id: who }) }];
  if ((await api.call.computeApi.provider(who)).isSome) {
    hits.push({ kind: 'provider', text: `provider ${who}`, to: href('account', { id: who }) });
  }
  return hits;
}

export async function searchView(api, params) {
  const q = params.q ?? '';
  const hits = await searchHits(api, q);
  if (!hits.length) {
    throw new UserError(`No block, dataset, model, version or job has the number ${q.trim()}.`);
  }
  // One record (or one account, provider or not): open it.
  if (new Set(hits.map((h) => h.to)).size === 1) {
    location.replace(hits[0].to);
    return [section('Search', `Opening ${hits[0].text}…`)];
  }
  return [
    section(
      `Search: “${q.trim()}”`,
      el(
        'ul',
        { id: 'hits' },
        hits.map((h) => el('li', { 'data-kind': h.kind }, el('a', { href: h.to }, h.text))),
      ),
    ),
  ];
}
