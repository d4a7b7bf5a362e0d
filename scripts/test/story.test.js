// The whole Lineage story on a real dev node, played by `lineage demo` (which checks events,
// balances, storage and runtime-API results at every step and fails otherwise), then read back
// through the runtime APIs and the node's `lineage_*` JSON-RPC views, including the README tour's
// commands and the operations guide's curl examples.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { devNodeFixture } from './helpers.js';
import { LIN } from '../lib/units.js';
import { repoRoot } from '../lib/node.js';
import { formatReport } from '../lib/story.js';

const cliPath = fileURLToPath(new URL('../cli/lineage.js', import.meta.url));

let api;
let node;
devNodeFixture(before, after, (n, a) => {
  node = n;
  api = a;
});

let report;

test('lineage demo plays the story and reports who was paid what', async () => {
  const { stdout, stderr, code } = await new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, 'demo', '--json', '--ws', node.wsUrl],
      { timeout: 600_000, maxBuffer: 1 << 24 },
      (error, out, err) => resolve({ code: error ? error.code : 0, stdout: out, stderr: err }),
    );
  });
  assert.equal(code, 0, stderr);
  report = JSON.parse(stdout);
  console.log(formatReport(report));

  const paid = (who, why) =>
    report.payments.filter((p) => p.who === who && why.test(p.why)).map((p) => BigInt(p.amount));
  assert.deepEqual(paid('ferdie', /fee less/), [9n * LIN]);
  assert.deepEqual(paid('ferdie', /slashed/), [-15n * LIN]);
  assert.deepEqual(paid('user2', /refunded/), [12n * LIN]);
  assert.deepEqual(paid('user2', /collateral/), [7_500_000_000_000n]);
  assert.deepEqual(paid('eve', /builder share/), [1_620_000_000_000n]);
  for (const who of ['bob', 'dave', 'charlie', 'eve', 'ferdie'])
    assert.ok(paid(who, /^claim/)[0] > 0n, `${who} claimed`);
  assert.equal(report.refused.name, 'compute.ModelTainted');
  assert.deepEqual(
    report.lineage.nodes.map((n) => n.version),
    [report.ids.child, report.ids.base],
  );
  assert.ok(report.lineage.taint.snapshotWithdrawn);
  const change = Object.fromEntries(report.balances.map((b) => [b.who, BigInt(b.change)]));
  // The requester of the cheated job got everything back but its transaction fees.
  assert.ok(change.user2 > 7n * LIN, 'user2 gained half the slashed collateral');
  assert.ok(change.user1 < -13n * LIN && change.user1 > -14n * LIN, 'user1 paid the job and fees');
});

test('the chain agrees with the report', async () => {
  const { ids } = report;
  const job1 = (await api.call.computeApi.job(ids.job1)).unwrap();
  assert.equal(job1.state.asEnded.type, 'Settled');
  assert.equal(job1.requester.toString(), report.cast.user1.address);
  assert.equal(job1.provider.unwrap().toString(), report.cast.ferdie.address);
  const job2 = (await api.call.computeApi.job(ids.job2)).unwrap();
  assert.equal(job2.challenge.unwrap().challenger.toString(), report.cast.user2.address);
  const taint = (await api.call.modelsApi.taint(ids.child)).unwrap();
  assert.equal(taint.asSnapshotWithdrawn.dataset.toNumber(), ids.dataset);
  const clean = { dataset: ids.dataset, version: ids.cleanSnapshot };
  assert.equal(ids.cleanSnapshot, ids.snapshot + 1);
  assert.equal((await api.call.datasetsApi.snapshotStatus(clean)).unwrap().type, 'Active');
  assert.equal(
    (await api.call.datasetsApi.points(ids.dataset, report.cast.bob.address)).toNumber(),
    0,
    'withdrawn',
  );
  assert.equal(
    (await api.call.datasetsApi.points(ids.dataset, report.cast.charlie.address)).toNumber(),
    210,
  );
});

test('the lineage_* views are the runtime APIs as JSON', async () => {
  const { ids, cast } = report;
  const rpc = (method, params) => node.rpc(method, params);

  const lineage = await rpc('lineage_modelLineage', [ids.child]);
  assert.deepEqual(
    lineage.nodes.map((n) => n.version),
    [ids.child, ids.base],
  );
  assert.equal(lineage.nodes[0].publisher, cast.eve.address);
  assert.equal(lineage.nodes[0].parent, ids.base);
  assert.deepEqual(lineage.attribution, [
    { snapshot: { dataset: ids.dataset, version: ids.snapshot }, share: 1_000_000_000 },
  ]);
  assert.deepEqual(lineage.taint, {
    SnapshotWithdrawn: { dataset: ids.dataset, version: ids.snapshot },
  });
  assert.equal(await rpc('lineage_modelLineage', [9_999]), null);

  const job = await rpc('lineage_job', [ids.job2]);
  const apiJob = (await api.call.computeApi.job(ids.job2)).unwrap();
  assert.equal(job.requester, cast.user2.address);
  assert.equal(job.model_version, ids.base);
  assert.deepEqual(job.state, { Ended: 'ChallengeUpheld' });
  assert.deepEqual(job.ruling, { verdict: 'ProviderWrong', by: 'Reexecution' });
  assert.deepEqual(
    job.payouts.map((p) => [p.payee, p.account, p.amount]),
    apiJob.payouts.map((p) => [p.payee.type, p.account.toString(), p.amount.toBigInt().toString()]),
  );
  assert.equal(job.input.uri, apiJob.input.uri.toUtf8());

  const pending = await rpc('lineage_pendingRewards', [cast.bob.address]);
  const apiPending = await api.call.rewardsApi.pending(cast.bob.address, null, 20);
  assert.equal(pending.account, apiPending.account.toBigInt().toString());
  assert.deepEqual(
    pending.datasets,
    apiPending.datasets.map(([d, first, all, emission]) => [
      d.toNumber(),
      first.toNumber(),
      all.toBigInt().toString(),
      emission.toBigInt().toString(),
    ]),
  );

  const dataset = await rpc('lineage_dataset', [ids.dataset]);
  assert.equal(dataset.info.owner, cast.alice.address);
  assert.ok(dataset.curators.includes(cast.curator.address));
  const snapshots = await rpc('lineage_snapshots', [ids.dataset]);
  assert.equal(snapshots.length, 2);
  assert.equal(snapshots[0].version, ids.snapshot);
  assert.equal(snapshots[0].snapshot.items, 5);
  assert.equal(snapshots[0].snapshot.total_points, 350);
  assert.equal(snapshots[0].status, 'Withdrawn');
  // The next snapshot leaves out Bob's item and his 80 points.
  assert.equal(snapshots[1].version, ids.cleanSnapshot);
  assert.deepEqual(
    [snapshots[1].snapshot.items, snapshots[1].snapshot.total_points, snapshots[1].status],
    [4, 270, 'Active'],
  );

  const era = await rpc('lineage_era', []);
  const [minted, cap] = await api.call.rewardsApi.supply();
  assert.equal(era.cap, cap.toBigInt().toString());
  assert.ok(BigInt(era.minted) >= minted.toBigInt());
  assert.equal(era.parameters.params.emission.alpha, 50_000_000);
  assert.ok(era.last.length === 2 && era.last[0] >= report.era.index);

  // The listings: which models used the dataset, the jobs a requester paid for, the dataset's
  // contributions in the order its root chains them, the eras so far.
  const used = await rpc('lineage_versions', [{ dataset: ids.dataset }]);
  assert.deepEqual(
    used.items.map((v) => v.id),
    [ids.base, ids.child],
  );
  assert.equal(used.next, null);
  const fromSnapshot = await rpc('lineage_versions', [
    { snapshot: { dataset: ids.dataset, version: ids.snapshot } },
  ]);
  assert.ok(fromSnapshot.items.some((v) => v.id === ids.base));
  const models = await rpc('lineage_models', [cast.eve.address]);
  assert.deepEqual(
    models.items.map((m) => m.id),
    [ids.baseModel, ids.tunedModel],
  );
  const jobs = await rpc('lineage_jobs', [{ requester: cast.user2.address }]);
  assert.ok(jobs.items.some(([id]) => id === ids.job2));
  assert.ok(jobs.items.every(([, j]) => j.requester === cast.user2.address));
  const apiJobs = await api.call.computeApi.jobs({ Requester: cast.user2.address }, null, 20);
  assert.deepEqual(
    jobs.items.map(([id]) => id),
    apiJobs.items.map(([id]) => id.toNumber()),
  );
  const accepted = await rpc('lineage_acceptedContributions', [ids.dataset, null, 2]);
  assert.equal(accepted.items.length, 2);
  assert.equal(accepted.next, 1);
  const rest = await rpc('lineage_acceptedContributions', [ids.dataset, accepted.next, 100]);
  assert.equal(accepted.items.length + rest.items.length, dataset.info.accepted);
  const eras = await rpc('lineage_eras', []);
  assert.ok(eras.items.some(([index]) => index === era.last[0]));
  const providers = await rpc('lineage_providers', []);
  assert.ok(providers.items.length >= 1);
  await assert.rejects(rpc('lineage_jobs', [{ nobody: 1 }]), /invalid filter/);

  // An unknown account is refused by the RPC layer, not by the runtime.
  await assert.rejects(
    rpc('lineage_pendingRewards', ['not-an-address']),
    /Invalid params|invalid/i,
  );
});

test("the README's tour checks a record as written", async () => {
  const readme = readFileSync(`${repoRoot}/README.md`, 'utf8');
  const block = readme.split('<!-- lineage-tour -->')[1].split('```')[1];
  const commands = block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('npx ') || l.startsWith('curl '));
  assert.equal(commands.length, 2);
  const [verify, curl] = commands;
  // `npx lineage` from scripts/, against the test's node.
  const out = execSync(verify, {
    cwd: `${repoRoot}/scripts`,
    encoding: 'utf8',
    env: { ...process.env, LINEAGE_WS: node.wsUrl },
  });
  const verified = JSON.parse(out);
  assert.deepEqual([verified.dataset, verified.version], [0, 1]);
  assert.ok(verified.contentRootMatches && verified.withdrawnRootMatches, out);
  const reply = JSON.parse(
    execSync(curl.replaceAll('127.0.0.1:9944', `127.0.0.1:${node.rpcPort}`), { encoding: 'utf8' }),
  );
  const jobs = reply.result.items.map(([, job]) => job);
  const cheat = jobs.find((job) => job.state.Ended === 'ChallengeUpheld');
  assert.ok(cheat, JSON.stringify(reply));
  assert.deepEqual(cheat.ruling, { by: 'Reexecution', verdict: 'ProviderWrong' });
  assert.ok(jobs.some((job) => job.state.Ended === 'Settled'));
});

test("the operations guide's curl examples run as written", async () => {
  const guide = readFileSync(`${repoRoot}/docs/operations.md`, 'utf8');
  const block = guide.split('<!-- lineage-rpc-examples -->')[1].split('```')[1];
  const commands = block.split('\n').filter((l) => l.startsWith('curl '));
  assert.ok(commands.length >= 6);
  const methods = new Set();
  for (const command of commands) {
    const out = execSync(command.replaceAll('127.0.0.1:9944', `127.0.0.1:${node.rpcPort}`), {
      encoding: 'utf8',
    });
    const reply = JSON.parse(out);
    assert.ok(!reply.error, `${command}: ${out}`);
    methods.add(JSON.parse(/-d '([^']+)'/.exec(command)[1]).method);
  }
  for (const m of [
    'lineage_dataset',
    'lineage_snapshots',
    'lineage_modelLineage',
    'lineage_job',
    'lineage_pendingRewards',
    'lineage_era',
  ]) {
    assert.ok(methods.has(m), `docs/operations.md shows ${m}`);
  }
});
