// The explorer in a real browser (playwright-core driving Debian's chromium): a dev node plays
// the demo story, `lineage explorer` serves the page, and every page shows what the runtime APIs
// return — the lineage graph's nodes, edges and taint, a settled job's payouts summing to its
// escrow and a slashed job's explained, the emission plot's last point equal to the last era's
// summary, the contributors' points, the market's concentration, an account's balances, holds,
// records and claims. The search finds each kind of record, every link opens what it names, a
// mistake reads as a plain sentence, a node that does not answer is never remembered, and every
// page fits a 390 px phone. A screenshot of each page goes to scripts/test-output/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { decodeAddress } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { devNodeFixture, lyingProxy, scripts } from './helpers.js';
import { chainSpecWith, freePort, peerId, tempDir } from '../lib/node.js';
import { signer, until } from '../lib/api.js';
import { playStory } from '../lib/story.js';
import { serveExplorer } from '../explorer/server.js';
import { lineageGraph, snapshotKey } from '../explorer/graph.js';

const output = fileURLToPath(new URL('../test-output/', import.meta.url));
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

let api;
let node;
// A known node key: the chain spec the verified mode starts from names the node as boot node.
const NODE_KEY = '0000000000000000000000000000000000000000000000000000000000000001';
devNodeFixture(
  before,
  after,
  (n, a) => {
    node = n;
    api = a;
  },
  // Every state kept: the history test's indexer reads the chain from genesis.
  ['--node-key', NODE_KEY, '--state-pruning', 'archive-canonical'],
);

let server;
let browser;
let page;
let report;

before(async () => {
  mkdirSync(output, { recursive: true });
  ({ server } = await serveExplorer({ port: 0 }));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
});

after(async () => {
  await browser?.close();
  server?.close();
});

const base = () => `http://127.0.0.1:${server.address().port}/`;

/** Waits until the page shows `view` for the address in its location bar, drawn from the chain. */
async function settled(view) {
  await page.waitForFunction(
    (v) => {
      const main = document.getElementById('view');
      return (
        main.dataset.shown === location.hash &&
        main.dataset.rendered?.startsWith(`${v}@`) &&
        main.dataset.busy === undefined
      );
    },
    view,
    { timeout: 60_000 },
  );
  const rendered = await page.getAttribute('#view', 'data-rendered');
  assert.notEqual(rendered, `${view}@error`, await page.textContent('#view'));
  // Nothing a reader should never see: an object printed as text, a missing or broken number.
  const text = await page.textContent('body');
  for (const broken of ['[object', 'undefined', 'NaN', 'createType'])
    assert.ok(!text.includes(broken), `"${broken}" on the ${view} page`);
  return rendered;
}

/** Opens `view` with `params` and waits until the page has drawn it from the chain. */
async function open(view, params = {}, expect = view) {
  const query = new URLSearchParams(params).toString();
  const hash = `${view}${query ? '?' + query : ''}`;
  const url = `${base()}?ws=${encodeURIComponent(node.wsUrl)}#${hash}`;
  if (page.url() === 'about:blank') await page.goto(url);
  else await page.evaluate((h) => (location.hash = h), hash);
  const rendered = await settled(expect);
  assert.notEqual(rendered, `${expect}@invalid`, await page.textContent('#view'));
}

/** Types `query` into the search box, submits it, and waits for the page it leads to. */
async function search(query, view) {
  await page.fill('#search input[name=q]', query);
  await page.press('#search input[name=q]', 'Enter');
  return settled(view);
}

/** The text of the fact `label` on the page (a two-column table of facts). */
const fact = (label) => page.$eval(`tr[data-fact="${label}"] td`, (td) => td.textContent.trim());

/** Every amount on the page reads "1,234.5678 LIN" and holds its exact value on hover. */
async function amountsReadable() {
  const amounts = await page.$$eval('span.amount', (spans) =>
    spans.map((s) => ({ text: s.textContent, title: s.title, plancks: s.dataset.plancks })),
  );
  for (const a of amounts) {
    assert.match(a.text, /^-?\d{1,3}(,\d{3})*(\.\d+)? LIN$/, a.text);
    const [whole, fraction = ''] = a.title
      .replace(/ LIN$/, '')
      .replace(/,/g, '')
      .replace('-', '')
      .split('.');
    assert.equal(
      BigInt(whole) * 10n ** 12n + BigInt(fraction.padEnd(12, '0')),
      BigInt(a.plancks.replace('-', '')),
      `${a.title} is ${a.plancks} plancks`,
    );
  }
  return amounts.length;
}

const shot = (name) => page.screenshot({ path: `${output}explorer-${name}.png`, fullPage: true });

test('the demo story on a dev node', { timeout: 600_000 }, async () => {
  assert.ok(CHROMIUM, 'chromium is installed (scripts/setup.sh installs it)');
  report = await playStory(api, () => {});
  assert.ok(report.ids.child > report.ids.base);
});

test('datasets: snapshots with their status, contributors with their points and consent', async () => {
  const { ids } = report;
  await open('datasets', { dataset: ids.dataset });
  const listed = await page.$$eval('#datasets tbody tr', (rows) =>
    rows.map((r) => Number(r.dataset.dataset)),
  );
  const all = await api.call.datasetsApi.datasets(null, 100);
  assert.deepEqual(
    listed,
    all.items.map((d) => d.id.toNumber()),
  );
  const snapshots = await page.$$eval('#snapshots tbody tr', (rows) =>
    rows.map((r) => [Number(r.dataset.snapshot), r.cells[5].textContent]),
  );
  assert.deepEqual(snapshots, [
    [ids.snapshot, 'Withdrawn'],
    [ids.cleanSnapshot, 'Active'],
  ]);
  const contributors = await page.$$eval('#contributors tbody tr', (rows) =>
    rows.map((r) => [r.dataset.contributor, r.cells[3].textContent, r.cells[4].textContent]),
  );
  assert.ok(contributors.length >= 3);
  for (const [who, points, consent] of contributors) {
    const onChain = await api.call.datasetsApi.points(ids.dataset, who);
    assert.equal(points.replace(/,/g, ''), onChain.toString(), `${who}'s points`);
    assert.equal(consent.startsWith('withdrawn'), who === report.cast.bob.address, who);
  }
  // The models trained on it, each a link to its lineage.
  const trained = await page.$$eval('#trained-on tbody tr', (rows) =>
    rows.map((r) => Number(r.dataset.version)),
  );
  const onChain = await api.call.modelsApi.versionsWhere({ Dataset: ids.dataset }, null, 100);
  assert.deepEqual(
    trained,
    onChain.items.map((v) => v.id.toNumber()),
  );
  assert.ok(trained.includes(ids.child) && trained.includes(ids.base));
  assert.equal(
    await fact('owner'),
    await page.$eval('tr[data-fact=owner] a', (a) => a.textContent),
  );
  assert.ok((await amountsReadable()) > 0);
  await shot('datasets');
});

test('lineage: the graph has the runtime API’s nodes and edges, taint in colour', async () => {
  const { ids } = report;
  await open('lineage', { version: ids.child });
  const lineage = (await api.call.modelsApi.lineage(ids.child)).unwrap().toJSON();
  const statuses = {};
  for (const n of lineage.nodes)
    for (const { snapshot } of n.inputs)
      statuses[snapshotKey(snapshot.dataset, snapshot.version)] = (
        await api.call.datasetsApi.snapshotStatus(snapshot)
      )
        .unwrap()
        .type.toString();
  const expected = lineageGraph(lineage, statuses);
  // The parent was trained on the withdrawn snapshot too: tainted as well.
  assert.ok((await api.call.modelsApi.taint(ids.base)).isSome);
  const drawn = await page.evaluate(() => ({
    nodes: [...document.querySelectorAll('#lineage-graph g.node')].map((g) => g.dataset.key),
    tainted: [...document.querySelectorAll('#lineage-graph g.node.tainted')].map(
      (g) => g.dataset.key,
    ),
    reasons: [...document.querySelectorAll('#lineage-graph g.node.tainted title')].map(
      (t) => t.textContent,
    ),
    edges: [...document.querySelectorAll('#lineage-graph path.edge')].map(
      (p) => `${p.dataset.from}>${p.dataset.to}`,
    ),
  }));
  // The child and its parent, and the snapshot both were trained on.
  const versions = lineage.nodes.map((n) => `v${n.version}`);
  assert.deepEqual(versions, [`v${ids.child}`, `v${ids.base}`]);
  assert.deepEqual(
    drawn.nodes,
    expected.nodes.map((n) => n.key),
  );
  assert.ok(drawn.nodes.includes(snapshotKey(ids.dataset, ids.snapshot)));
  const edges = [
    ...lineage.nodes.filter((n) => n.parent !== null).map((n) => `v${n.version}>v${n.parent}`),
    ...lineage.nodes.flatMap((n) =>
      n.inputs.map((i) => `v${n.version}>${snapshotKey(i.snapshot.dataset, i.snapshot.version)}`),
    ),
  ];
  assert.deepEqual([...drawn.edges].sort(), [...edges].sort());
  // Bob withdrew consent: the snapshot is withdrawn and the child tainted, with the reason shown.
  assert.ok(drawn.tainted.includes(snapshotKey(ids.dataset, ids.snapshot)));
  assert.ok(drawn.tainted.includes(`v${ids.child}`) && drawn.tainted.includes(`v${ids.base}`));
  assert.ok(drawn.reasons.some((r) => /withdrawn/.test(r)));
  const shares = await page.$$eval('#attribution tbody tr', (rows) => rows.length);
  assert.equal(shares, lineage.attribution.length);
  await shot('lineage');
});

test('jobs: the responsibility record, and a settled job’s payouts sum to its escrow', async () => {
  const { ids } = report;
  await open('jobs', { job: ids.job1 });
  const record = (await api.call.computeApi.job(ids.job1)).unwrap();
  assert.equal(record.state.asEnded.type, 'Settled');
  const shown = await page.evaluate(() => ({
    escrow: document.getElementById('escrow').dataset.plancks,
    payouts: [...document.querySelectorAll('#payouts tbody td[data-plancks]')].map(
      (td) => td.dataset.plancks,
    ),
    total: document.querySelector('#payouts tfoot td[data-plancks]').dataset.plancks,
    steps: Object.fromEntries(
      [...document.querySelectorAll('#steps tbody tr')].map((r) => [
        r.dataset.step,
        r.cells[1].dataset.block,
      ]),
    ),
    parties: [...document.querySelectorAll('#parties tbody tr')].map(
      (r) => r.cells[1].querySelector('a')?.dataset.id,
    ),
    sources: [...document.querySelectorAll('#sources tbody tr')].map((r) => r.dataset.source),
  }));
  assert.equal(shown.escrow, record.escrow.toString());
  assert.deepEqual(
    shown.payouts,
    record.payouts.map((p) => p.amount.toString()),
  );
  const sum = shown.payouts.reduce((s, p) => s + BigInt(p), 0n);
  assert.equal(sum, record.escrow.toBigInt(), 'the payouts sum to the escrow');
  assert.equal(shown.total, sum.toString());
  assert.equal(shown.steps.submitted, String(record.steps.submitted.toNumber()));
  assert.equal(shown.steps.ended, String(record.steps.ended.unwrap().toNumber()));
  assert.equal(shown.parties[0], report.cast.user1.address);
  assert.equal(shown.parties[1], report.cast.ferdie.address);
  // A settled job paid out its escrow and nothing else.
  assert.deepEqual(shown.sources, ['escrow']);
  await amountsReadable();
  await shot('jobs');

  // The job whose provider was found wrong: the payouts exceed the escrow by the slashed
  // collateral, and the page says so.
  await open('jobs', { job: ids.job2 });
  const slashed = (await api.call.computeApi.job(ids.job2)).unwrap();
  assert.equal(slashed.state.asEnded.type, 'ChallengeUpheld');
  const explained = await page.evaluate(() => ({
    sources: Object.fromEntries(
      [...document.querySelectorAll('#sources tbody tr')].map((r) => [
        r.dataset.source,
        [r.cells[1].textContent, r.querySelector('td[data-plancks]').dataset.plancks],
      ]),
    ),
    total: document.querySelector('#sources tfoot td[data-plancks]').dataset.plancks,
    why: [...document.querySelectorAll('#payouts tbody tr')].map((r) => [
      r.dataset.payee,
      r.cells[2].textContent,
    ]),
  }));
  const paid = slashed.payouts.reduce((sum, p) => sum + p.amount.toBigInt(), 0n);
  assert.equal(explained.total, paid.toString());
  assert.equal(explained.sources.escrow[1], slashed.escrow.toString());
  assert.equal(
    BigInt(explained.sources.collateral[1]),
    paid - slashed.escrow.toBigInt(),
    'the rest came from the collateral',
  );
  assert.match(explained.sources.collateral[0], /slashed/);
  assert.deepEqual(
    explained.why.map(([payee]) => payee),
    slashed.payouts.map((p) => p.payee.type),
  );
  assert.ok(explained.why.some(([p, why]) => p === 'Requester' && /refund/.test(why)));
  assert.ok(explained.why.some(([p, why]) => p === 'Challenger' && /collateral/.test(why)));
  assert.ok(explained.why.some(([p, why]) => p === 'Treasury' && /slashed collateral/.test(why)));
  await shot('job-slashed');

  // The jobs a requester paid for, through the filter form.
  await open('jobs', { by: 'requester', value: report.cast.user2.address });
  const listed = await page.$$eval('#jobs tbody tr', (rows) =>
    rows.map((r) => Number(r.dataset.job)),
  );
  assert.ok(listed.includes(ids.job2) && !listed.includes(ids.job1));
});

test('rewards: the emission plot ends at the last era’s summary; claims by source', async () => {
  const who = report.cast.charlie.address;
  await open('rewards', { who });
  await page.waitForSelector('#emission-chart canvas');
  const [index, summary] = (await api.call.rewardsApi.lastEra()).unwrap();
  const chart = await page.$eval('#emission-chart', (c) => ({ ...c.dataset }));
  assert.equal(Number(chart.lastEra), index.toNumber());
  assert.equal(chart.lastMinted, summary.minted.toString());
  assert.equal(chart.lastFees, summary.fees.paid.toString());
  const eras = await api.call.rewardsApi.eras(null, 100);
  assert.equal(Number(chart.eras), eras.items.length);
  // Two value axes (fees on a log scale, the schedule on its own) and a legend naming each line.
  const drawn = await page.$eval('#emission-chart', (c) => ({
    axes: c.querySelectorAll('.u-axis').length,
    legend: [...c.querySelectorAll('.u-legend .u-label')].map((l) => l.textContent),
  }));
  assert.equal(drawn.axes, 3);
  assert.deepEqual(drawn.legend, [
    'era',
    'fees paid',
    'minted',
    'α × fees (demand cap)',
    'schedule',
  ]);
  const pending = await api.call.rewardsApi.pending(who, null, 100);
  const shown = await page.$$eval('#pending td[data-plancks]', (tds) =>
    tds.map((td) => td.dataset.plancks),
  );
  assert.equal(shown[0], pending.account.toString());
  assert.deepEqual(
    shown.slice(1),
    pending.datasets.flatMap(([, , all, emission]) => [all.toString(), emission.toString()]),
  );
  await shot('rewards');
});

test('compute: concentration and providers as the runtime API reports them', async () => {
  await open('compute');
  const market = await api.call.computeApi.concentration();
  const shown = await page.$eval('#bond-operators', (b) => ({ ...b.dataset }));
  assert.equal(Number(shown.herfindahl), market.bondByOperator.herfindahl.toNumber());
  assert.equal(Number(shown.nakamoto), market.bondByOperator.nakamoto.toNumber());
  const providers = await page.$$eval('#providers tbody tr', (rows) =>
    rows.map((r) => r.dataset.provider),
  );
  assert.ok(providers.includes(report.cast.ferdie.address));
  // Each block names its largest holders with their share, and draws a bar for each.
  const largest = await page.$eval('#bond-operators', (b) => ({
    labels: [...b.querySelectorAll('div.holder')].map((d) => d.textContent),
    bars: b.querySelectorAll('.bar').length,
  }));
  assert.equal(largest.labels.length, market.bondByOperator.largest.length);
  assert.equal(largest.bars, market.bondByOperator.largest.length);
  for (const label of largest.labels) assert.match(label, /: \d+\.\d%$/);
  await shot('compute');
});

test('the search finds every kind of record from what a reader types', async () => {
  const { ids, cast } = report;
  await open('home');
  const best = Number(await page.getAttribute('body', 'data-block'));
  await shot('home');

  // An account (any address form), and a provider's account with its record.
  await search(cast.charlie.address, 'account');
  assert.equal(await page.textContent('#address'), cast.charlie.address);
  const hexKey = u8aToHex(decodeAddress(cast.charlie.address));
  await search(hexKey, 'account');
  assert.equal(await page.textContent('#address'), cast.charlie.address);
  await search(cast.ferdie.address, 'account');
  assert.ok(await page.$('#provider'), 'the provider record on its account page');

  // A block by number and by hash; an extrinsic by hash.
  await search(`block ${best - 1}`, 'block');
  assert.match(
    await page.textContent('h2'),
    new RegExp(`Block #${(best - 1).toLocaleString('en-US')}`),
  );
  const hash = (await api.rpc.chain.getBlockHash(best - 1)).toHex();
  await search(hash, 'block');
  assert.equal(await fact('hash'), hash);
  const withExtrinsic = await findSignedExtrinsic(best);
  await search(withExtrinsic.hash, 'extrinsic');
  assert.equal(await fact('hash'), withExtrinsic.hash);
  assert.equal(await fact('call'), withExtrinsic.call);

  // Lineage records by kind and number.
  await search(`dataset ${ids.dataset}`, 'datasets');
  assert.equal(
    await page.getAttribute('#datasets tr.selected', 'data-dataset'),
    String(ids.dataset),
  );
  await search(`model ${ids.tunedModel}`, 'model');
  assert.match(await page.textContent('h2'), new RegExp(`Model ${ids.tunedModel}`));
  await search(`version ${ids.child}`, 'lineage');
  assert.match(await page.textContent('h2'), new RegExp(`Lineage of version ${ids.child}`));
  await search(`job ${ids.job2}`, 'jobs');
  assert.equal(await page.getAttribute('#jobs tr.selected', 'data-job'), String(ids.job2));

  // A bare number can be several records: each is listed, and each hit leads to its page.
  await search(String(ids.job1), 'search');
  const hits = await page.$$eval('#hits li', (lis) =>
    lis.map((li) => [li.dataset.kind, li.querySelector('a').getAttribute('href')]),
  );
  const kinds = hits.map(([kind]) => kind);
  assert.ok(kinds.includes('block') && kinds.includes('job'), kinds.join());
  await page.click('#hits li[data-kind=job] a');
  await settled('jobs');
  assert.equal(await page.getAttribute('#jobs tr.selected', 'data-job'), String(ids.job1));

  // Nothing found: a plain sentence that says what can be searched.
  await search('not-an-account', 'search');
  assert.match(await page.textContent('#problem'), /Nothing is called “not-an-account”/);
  await search('job 99999', 'search');
  assert.match(await page.textContent('#problem'), /No block, dataset, model, version or job/);
  await shot('search-miss');
});

/** The newest signed extrinsic at or below block `from`: its hash and call. */
async function findSignedExtrinsic(from) {
  for (let n = from; n > 0; n--) {
    const block = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
    const ex = block.block.extrinsics.find((x) => x.isSigned);
    if (ex) return { hash: ex.hash.toHex(), call: `${ex.method.section}.${ex.method.method}` };
  }
  throw new Error('no signed extrinsic');
}

test('account: balances, holds, records, jobs and claims, as the chain has them', async () => {
  const { cast, ids } = report;
  const charlie = cast.charlie.address;
  await open('account', { id: charlie });
  const { data } = await api.query.system.account(charlie);
  assert.equal(await page.getAttribute('#free .amount', 'data-plancks'), data.free.toString());
  const contributions = await page.$$eval('#contributions tbody tr', (rows) =>
    rows.map((r) => Number(r.dataset.contribution)),
  );
  const onChain = await api.call.datasetsApi.accountContributions(charlie, null, 100);
  assert.deepEqual(
    contributions,
    onChain.map((c) => c.id.toNumber()),
  );
  // Charlie claimed from the datanet during the story: the claim is listed with its amount.
  const claims = await page.$$eval('#claims tr.claim td[data-plancks]', (tds) =>
    tds.map((td) => td.dataset.plancks),
  );
  assert.ok(claims.length >= 1, 'a claim in the latest blocks');
  assert.ok(claims.every((c) => BigInt(c) > 0n));
  await amountsReadable();
  await shot('account');

  // Alice owns the datanet; Eve the models; Ferdie is a provider with jobs and a bond held.
  await open('account', { id: cast.alice.address });
  const owned = await page.$$eval('#owned-datasets tbody tr', (rows) =>
    rows.map((r) => Number(r.dataset.dataset)),
  );
  assert.ok(owned.includes(ids.dataset));
  await open('account', { id: cast.eve.address });
  const models = await page.$$eval('#models tbody tr', (rows) =>
    rows.map((r) => Number(r.dataset.model)),
  );
  assert.ok(models.includes(ids.baseModel) && models.includes(ids.tunedModel));
  const ferdie = cast.ferdie.address;
  await open('account', { id: ferdie });
  const provided = await page.$$eval('#jobs-provided tbody tr', (rows) =>
    rows.map((r) => Number(r.dataset.job)),
  );
  assert.ok(provided.includes(ids.job1) && provided.includes(ids.job2));
  const holds = await api.query.balances.holds(ferdie);
  const shownHolds = await page.$$eval('#holds tbody tr', (rows) =>
    rows.map((r) => [r.dataset.hold, r.querySelector('td[data-plancks]').dataset.plancks]),
  );
  assert.deepEqual(
    shownHolds,
    holds.map((h) => {
      const [pallet, reason] = Object.entries(h.id.toJSON())[0];
      return [`${pallet}.${reason}`, h.amount.toString()];
    }),
  );
  const bond = (await api.call.computeApi.provider(ferdie)).unwrap().bond;
  assert.equal(
    await page.$eval('tr[data-fact=bond] span.amount', (s) => s.dataset.plancks),
    bond.toString(),
  );

  // The chain's own accounts go by their names.
  const treasury = api.consts.compute.treasury.toString();
  await open('account', { id: treasury });
  assert.equal(await page.textContent('h2'), 'Treasury');
});

test('every link opens the record it names', async () => {
  const { ids, cast } = report;
  const pages = [
    ['datasets', { dataset: ids.dataset }],
    ['lineage', { version: ids.child }],
    ['jobs', { job: ids.job2 }],
    ['account', { id: cast.ferdie.address }],
    ['home', {}],
  ];
  const seen = new Set();
  let followed = 0;
  for (const [view, params] of pages) {
    await open(view, params);
    const links = await page.$$eval('a[data-link]', (as) =>
      as.map((a) => ({ kind: a.dataset.link, id: a.dataset.id, href: a.getAttribute('href') })),
    );
    assert.ok(links.length > 0, `links on the ${view} page`);
    for (const link of links) {
      if (seen.has(link.href)) continue;
      seen.add(link.href);
      await page.evaluate((h) => (location.hash = h), link.href.slice(1));
      const target = {
        account: 'account',
        block: 'block',
        dataset: 'datasets',
        model: 'model',
        version: 'lineage',
        job: 'jobs',
        extrinsic: 'extrinsic',
      }[link.kind];
      const rendered = await settled(target);
      assert.notEqual(
        rendered,
        `${target}@invalid`,
        `${link.href}: ${await page.textContent('#view')}`,
      );
      // The page opened is the one the link named.
      const shownId = {
        account: () => page.textContent('#address'),
        block: async () => (await page.textContent('h2')).replace(/^Block #/, '').replace(/,/g, ''),
        dataset: () => page.getAttribute('#datasets tr.selected', 'data-dataset'),
        model: async () => (await page.textContent('h2')).replace(/^Model /, ''),
        version: async () => (await page.textContent('h2')).replace(/^Lineage of version /, ''),
        job: () => page.getAttribute('#jobs tr.selected', 'data-job'),
        extrinsic: () => fact('hash'),
      }[link.kind];
      assert.equal(await shownId(), link.id, `${link.kind} link ${link.href}`);
      followed += 1;
      await page.evaluate((h) => (location.hash = h), `${view}?${new URLSearchParams(params)}`);
      await settled(view);
    }
  }
  console.log(`# followed ${followed} distinct links`);
  assert.ok(followed >= 10);
});

test('a mistake in the page reads as a plain sentence', async () => {
  const cases = [
    [{ view: 'jobs', params: { by: 'requester', value: '0x1234' } }, /“0x1234” is not a requester/],
    [{ view: 'jobs', params: { by: 'dataset', value: 'abc' } }, /“abc” is not a dataset number/],
    [{ view: 'datasets', params: { dataset: 999 } }, /There is no dataset 999/],
    [{ view: 'lineage', params: { version: 4242 } }, /There is no model version 4242/],
    [{ view: 'account', params: { id: 'alice' } }, /“alice” is not an account address/],
    [{ view: 'block', params: { id: 10_000_000 } }, /no block 10000000/],
    [{ view: 'rewards', params: { who: '5Fake' } }, /“5Fake” is not an account address/],
  ];
  for (const [{ view, params }, message] of cases) {
    const hash = `${view}?${new URLSearchParams(params)}`;
    await page.evaluate((h) => (location.hash = h), hash);
    const rendered = await settled(view);
    assert.equal(rendered, `${view}@invalid`, hash);
    assert.match(await page.textContent('#problem'), message);
  }
  await shot('mistake');
});

test('a node that does not answer is never remembered', async () => {
  await open('datasets');
  const remembered = await page.evaluate(() => localStorage.getItem('lineage-ws'));
  await page.fill('#endpoint input[name=ws]', 'ws://127.0.0.1:1');
  await page.click('#endpoint button');
  await page.waitForFunction(
    () => /Could not connect/.test(document.getElementById('endpoint-error').textContent),
    null,
    {
      timeout: 30_000,
    },
  );
  assert.match(await page.textContent('#endpoint-error'), /Still reading the previous node/);
  assert.equal(await page.evaluate(() => localStorage.getItem('lineage-ws')), remembered);
  await page.fill('#endpoint input[name=ws]', 'not a url');
  await page.click('#endpoint button');
  await page.waitForFunction(() =>
    /is not a node address/.test(document.getElementById('endpoint-error').textContent),
  );
  // The page still reads the node it had.
  await page.evaluate(() => (location.hash = 'compute'));
  await settled('compute');

  // The node that answered is remembered: a visit without ?ws= opens it.
  await page.fill('#endpoint input[name=ws]', node.wsUrl);
  await page.click('#endpoint button');
  await page.waitForFunction((ws) => localStorage.getItem('lineage-ws') === ws, node.wsUrl);
  await page.goto(`${base()}#datasets`);
  await settled('datasets');
  assert.equal(await page.inputValue('#endpoint input[name=ws]'), node.wsUrl);
});

test('every page fits a 390 px phone', async () => {
  const { ids, cast } = report;
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  try {
    const views = [
      ['home', ''],
      ['datasets', `dataset=${ids.dataset}`],
      ['lineage', `version=${ids.child}`],
      ['jobs', `job=${ids.job2}`],
      ['rewards', `who=${cast.charlie.address}`],
      ['compute', ''],
      ['account', `id=${cast.ferdie.address}`],
      ['block', 'id=1'],
    ];
    for (const [view, query] of views) {
      await phone.goto(
        `${base()}?ws=${encodeURIComponent(node.wsUrl)}#${view}${query ? '?' + query : ''}`,
      );
      await phone.waitForFunction(
        (v) => {
          const main = document.getElementById('view');
          return (
            main.dataset.shown === location.hash &&
            main.dataset.rendered?.startsWith(`${v}@`) &&
            !main.dataset.busy
          );
        },
        view,
        { timeout: 60_000 },
      );
      assert.ok(!(await phone.getAttribute('#view', 'data-rendered')).endsWith('@error'), view);
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `the ${view} page is ${width} px wide on a 390 px phone`);
      await phone.screenshot({ path: `${output}explorer-phone-${view}.png`, fullPage: true });
    }
  } finally {
    await phone.close();
  }
});

test("the page is served gzip'd", async () => {
  const raw = await fetch(`${base()}app.js`, { headers: { 'accept-encoding': 'identity' } });
  const rawBytes = (await raw.arrayBuffer()).byteLength;
  const zipped = await new Promise((resolve, reject) => {
    http
      .get(`${base()}app.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        let bytes = 0;
        res.on('data', (d) => (bytes += d.length));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes }));
      })
      .on('error', reject);
  });
  console.log(
    `# app.js ${Math.round(rawBytes / 1024)} kB, ${Math.round(zipped.bytes / 1024)} kB gzip'd`,
  );
  assert.equal(zipped.encoding, 'gzip');
  assert.ok(zipped.bytes < rawBytes / 2);
});

test('the page follows new blocks', async () => {
  const first = Number(await page.getAttribute('body', 'data-block'));
  await page.waitForFunction((b) => Number(document.body.dataset.block) > b, first, {
    timeout: 30_000,
  });
});

test('verified mode reads through a light client, marks each value, and a lying node cannot forge one', async () => {
  const { job1 } = report.ids;
  const provider = report.cast.ferdie.address;
  const mallory = signer('//Mallory').address;
  const hex = (who) => u8aToHex(decodeAddress(who)).slice(2);
  const proxy = await lyingProxy(node.wsUrl, { ComputeApi_job: [[hex(provider), hex(mallory)]] });
  // An explorer serving the chain spec the verified mode starts from.
  const chainSpec = chainSpecWith('dev', node.bootNodes(peerId(NODE_KEY)));
  const served = await serveExplorer({ port: 0, chainSpec });
  const base = () => served.url;
  const verifiedPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  verifiedPage.on('pageerror', (e) => console.error('page error:', e.message));
  const partiesOf = (p) =>
    p.$$eval('#parties tbody tr', (rows) =>
      rows.map((r) => r.cells[1].querySelector('a')?.dataset.id),
    );
  const shown = async (p, view) => {
    await p.waitForFunction(
      (v) => {
        const main = document.getElementById('view');
        return main.dataset.shown === location.hash && main.dataset.rendered?.startsWith(`${v}@`);
      },
      view,
      { timeout: 120_000 },
    );
    assert.doesNotMatch(await p.getAttribute('#view', 'data-rendered'), /@(error|invalid)$/);
  };
  try {
    // Through the lying node, the plain page shows the forged provider.
    const ws = encodeURIComponent(proxy.url);
    await verifiedPage.goto(`${base()}?ws=${ws}#jobs?job=${job1}`);
    await shown(verifiedPage, 'jobs');
    assert.equal((await partiesOf(verifiedPage))[1], mallory);
    assert.equal(await verifiedPage.$('body.verified'), null);

    // Told the same node, the verified page never asks it: the true provider, marked as proven.
    const started = Date.now();
    await verifiedPage.goto(`${base()}?ws=${ws}&verified=1#jobs?job=${job1}`);
    await shown(verifiedPage, 'jobs');
    console.log(`# verified page drawn ${((Date.now() - started) / 1000).toFixed(1)} s after load`);
    assert.equal((await partiesOf(verifiedPage))[1], provider);
    assert.match(
      await verifiedPage.textContent('#status'),
      /^verified by a light client · finalized #[\d,]+$/,
    );
    // Each value carries the mark: every heading and amount of the record (once the page's
    // styles apply to what it drew).
    await verifiedPage
      .waitForFunction(
        () => {
          const els = [...document.querySelectorAll('#view h2, #view .amount')];
          return (
            els.length > 3 && els.every((e) => getComputedStyle(e, '::after').content.includes('✓'))
          );
        },
        null,
        { timeout: 30_000 },
      )
      .catch(() => {});
    const marks = await verifiedPage.$$eval('#view h2, #view .amount', (els) =>
      els.map((e) => ({
        what: `${e.tagName.toLowerCase()} “${e.textContent.slice(0, 40)}”`,
        mark: getComputedStyle(e, '::after').content,
      })),
    );
    assert.ok(marks.length > 3);
    for (const { what, mark } of marks) assert.match(mark, /✓/, `${what} has no mark`);
    const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead()))
      .number;
    assert.ok(
      Number(await verifiedPage.getAttribute('body', 'data-block')) <= finalized.toNumber(),
    );
    await verifiedPage.screenshot({ path: `${output}explorer-verified.png`, fullPage: true });
  } finally {
    await verifiedPage.close();
    proxy.close();
    served.server.close();
  }
});

test(
  'history: eras, payouts and revenue over time from the indexer, every id a link',
  { timeout: 300_000 },
  async () => {
    const { ids, cast } = report;
    const ws = encodeURIComponent(node.wsUrl);
    // With no indexer, the page says how to start one.
    await page.goto(
      `${base()}?ws=${ws}&indexer=${encodeURIComponent('http://127.0.0.1:1')}#history`,
    );
    await settled('history');
    assert.match(
      await page.textContent('#problem'),
      /^No indexer answers at http:\/\/127\.0\.0\.1:1\. Start one beside the node with `lineage indexer`/,
    );
    const dir = tempDir('lineage-indexer-');
    const port = await freePort();
    const indexer = spawn(process.execPath, [
      join(scripts, 'cli', 'lineage.js'),
      'indexer',
      '--ws',
      node.wsUrl,
      '--db',
      join(dir, 'db'),
      '--port',
      String(port),
    ]);
    const url = `http://127.0.0.1:${port}`;
    try {
      const finalized = (
        await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())
      ).number.toNumber();
      await until('the indexer to reach the finalized head', 240, async () => {
        const status = await fetch(`${url}/status`)
          .then((r) => r.json())
          .catch(() => null);
        return status?.indexed?.block >= finalized;
      });
      const get = async (path) => (await fetch(`${url}/${path}`)).json();

      // Every ended era, its minted amount as the indexer has it, drawn and listed.
      await page.goto(`${base()}?ws=${ws}&indexer=${encodeURIComponent(url)}#history`);
      await settled('history');
      const eras = await get('eras');
      const shown = await page.$$eval('#history-eras tbody tr', (rows) =>
        rows.map((r) => ({
          era: Number(r.dataset.era),
          minted: r.querySelectorAll('td[data-plancks]')[1].dataset.plancks,
        })),
      );
      assert.ok(shown.length >= eras.length - 1 && shown.length > 1);
      for (const row of shown)
        assert.equal(row.minted, eras.find((e) => e.era === row.era).minted, `era ${row.era}`);
      assert.ok(
        shown.some((r) => BigInt(r.minted) > 0n),
        'an era minted for the story’s fees',
      );
      assert.ok(await page.$('#era-chart canvas'), 'the eras drawn');
      const withdrawn = await page.$$eval('#history-withdrawn tbody tr', (rows) =>
        rows.map((r) => Number(r.dataset.version)),
      );
      assert.deepEqual(withdrawn.sort(), [ids.base, ids.child].sort());
      assert.ok(await page.$('#history-withdrawn a[data-link=version]'));
      await amountsReadable();
      await shot('history');

      // Ferdie's payouts: the honest job's fee, with a link to the job; its record as a provider.
      await page.evaluate((h) => (location.hash = h), `history?account=${cast.ferdie.address}`);
      await settled('history');
      const paid = await get(`payouts/${cast.ferdie.address}`);
      const totals = await page.$$eval('#payout-totals tbody tr', (rows) =>
        rows.map((r) => [r.dataset.kind, r.querySelector('td[data-plancks]').dataset.plancks]),
      );
      assert.deepEqual(
        totals,
        paid.totals.map((t) => [t.kind, t.amount]),
      );
      assert.ok(totals.some(([kind, amount]) => kind === 'provider' && amount === '9000000000000'));
      assert.ok(await page.$('#payout-latest a[data-link=job]'), 'each job payout links its job');
      assert.match(await fact('jobs by outcome'), /ChallengeUpheld 1, Settled 1/);
      assert.equal(await page.$$eval('#provider-slashes tbody tr', (r) => r.length), 1);
      await amountsReadable();
      await shot('history-account');

      // A contributor's data: the datanet, the job that paid it, what Charlie claimed from it.
      await page.evaluate((h) => (location.hash = h), `history?account=${cast.charlie.address}`);
      await settled('history');
      const data = await page.$$eval('#contributor-data tbody tr', (rows) =>
        rows.map((r) => Number(r.dataset.dataset)),
      );
      assert.deepEqual(data, [ids.dataset]);
      assert.ok(await page.$('#contributor-data a[href*="history?dataset="]'));

      // The datanet's revenue and the job that paid it; its withdrawal.
      await page.evaluate((h) => (location.hash = h), `history?dataset=${ids.dataset}`);
      await settled('history');
      const d = await get(`datasets/${ids.dataset}`);
      const jobs = await page.$$eval('#dataset-jobs tbody tr', (rows) =>
        rows.map((r) => Number(r.dataset.job)),
      );
      assert.deepEqual(
        jobs,
        d.jobs.map((j) => j.job),
      );
      assert.ok(jobs.length >= 1);
      assert.equal(await page.$$eval('#dataset-withdrawals tbody tr', (r) => r.length), 1);
      await shot('history-dataset');

      // The account page leads to the account's history.
      await open('account', { id: cast.ferdie.address });
      await page.click('#history-link');
      await settled('history');
      assert.ok(await page.$('#payout-totals'));
    } finally {
      indexer.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
