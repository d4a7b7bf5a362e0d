// The explorer in a real browser (playwright-core driving Debian's chromium): a dev node plays
// the demo story, `lineage explorer` serves the page, and every page shows what the runtime APIs
// return — the lineage graph's nodes, edges and taint, a settled job's payouts summing to its
// escrow, the emission plot's last point equal to the last era's summary, the contributors'
// points, the market's concentration. A screenshot of each page goes to scripts/test-output/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { devNodeFixture } from './helpers.js';
import { playStory } from '../lib/story.js';
import { serveExplorer } from '../explorer/server.js';
import { lineageGraph, snapshotKey } from '../explorer/graph.js';

const output = fileURLToPath(new URL('../test-output/', import.meta.url));
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

let api;
let node;
devNodeFixture(before, after, (n, a) => {
  node = n;
  api = a;
});

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

/** Opens `view` with `params` and waits until the page has drawn it from the chain. */
async function open(view, params = {}) {
  const query = new URLSearchParams(params).toString();
  const { port } = server.address();
  const ws = encodeURIComponent(node.wsUrl);
  const url = `http://127.0.0.1:${port}/?ws=${ws}#${view}${query ? '?' + query : ''}`;
  if (page.url() === 'about:blank') await page.goto(url);
  else await page.evaluate((hash) => (location.hash = hash), url.split('#')[1]);
  await page.waitForFunction(
    ([v, q]) => {
      const main = document.getElementById('view');
      return (
        location.hash.endsWith(q) &&
        main.dataset.rendered?.startsWith(`${v}@`) &&
        main.dataset.busy === undefined
      );
    },
    [view, query],
    { timeout: 60_000 },
  );
  const rendered = await page.getAttribute('#view', 'data-rendered');
  assert.notEqual(rendered, `${view}@error`, await page.textContent('#view'));
  // Nothing a reader should never see: an object printed as text, a missing or broken number.
  const text = await page.textContent('body');
  for (const broken of ['[object', 'undefined', 'NaN'])
    assert.ok(!text.includes(broken), `"${broken}" on the ${view} page`);
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
    assert.equal(points, onChain.toString(), `${who}'s points`);
    assert.equal(consent.startsWith('withdrawn'), who === report.cast.bob.address, who);
  }
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
        r.cells[1].textContent,
      ]),
    ),
    parties: [...document.querySelectorAll('#parties tbody tr')].map((r) => r.cells[1].textContent),
  }));
  assert.equal(shown.escrow, record.escrow.toString());
  assert.deepEqual(
    shown.payouts,
    record.payouts.map((p) => p.amount.toString()),
  );
  const sum = shown.payouts.reduce((s, p) => s + BigInt(p), 0n);
  assert.equal(sum, record.escrow.toBigInt(), 'the payouts sum to the escrow');
  assert.equal(shown.total, sum.toString());
  assert.equal(shown.steps.submitted, `#${record.steps.submitted.toNumber()}`);
  assert.equal(shown.steps.ended, `#${record.steps.ended.unwrap().toNumber()}`);
  assert.equal(shown.parties[0], report.cast.user1.address);
  assert.equal(shown.parties[1], report.cast.ferdie.address);
  await shot('jobs');

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
    labels: [...b.querySelectorAll('div:not(.bar)')].map((d) => d.textContent),
    bars: b.querySelectorAll('.bar').length,
  }));
  assert.equal(largest.labels.length, market.bondByOperator.largest.length);
  assert.equal(largest.bars, market.bondByOperator.largest.length);
  for (const label of largest.labels) assert.match(label, /: \d+\.\d%$/);
  await shot('compute');
});

test('the page follows new blocks', async () => {
  const first = Number(await page.getAttribute('body', 'data-block'));
  await page.waitForFunction((b) => Number(document.body.dataset.block) > b, first, {
    timeout: 30_000,
  });
});
