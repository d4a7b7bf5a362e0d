// Rewards on a real dev node (one-minute eras, 30-second challenge windows): a job settles by
// itself through the on_idle queue, an era passes and mints for it under the pool rate cap, and
// the contributor, the model owner and the provider claim exactly what RewardsApi reported as
// pending.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signer, submitOk, eventData, until, claimMatchesPending } from '../lib/api.js';
import { devNodeFixture, contentRef } from './helpers.js';
import { LIN } from '../lib/units.js';

const alice = signer('//Alice'); // dataset owner
const bob = signer('//Bob'); // contributor
const charlie = signer('//Charlie'); // model owner
const dave = signer('//Dave'); // provider
const eve = signer('//Eve'); // requester

let api;
devNodeFixture(before, after, (_node, a) => {
  api = a;
});

const ok = (tx, who) => submitOk(api, tx, who);
const content = (n) => contentRef(n);
test('a job settles, an era passes, and everyone claims what RewardsApi reported', async () => {
  const { emission, compute } = (await api.call.parametersApi.parameters()).params;
  assert.equal(emission.alpha.toNumber(), 50_000_000);
  assert.equal(compute.challengePeriods.inference.toNumber(), 5);
  assert.equal(compute.challengePeriods.training.toNumber(), 20);
  assert.equal(compute.resolutionPeriod.toNumber(), 10);

  const open = {
    admission: 'Open',
    contributionDeposit: 0,
    rejectSlash: 0,
    minConsent: { training: true, commercial: true },
  };
  let res = await ok(api.tx.datasets.createDataset(content(1), 'Cc0', open), alice);
  const dataset = eventData(res, 'datasets', 'DatasetCreated').dataset.toNumber();
  await ok(
    api.tx.datasets.contribute(dataset, content(2), 'Cc0', { training: true, commercial: true }),
    bob,
  );
  await ok(api.tx.datasets.snapshot(dataset), alice);
  res = await ok(api.tx.models.registerModel(content(3), 'Apache2'), charlie);
  const model = eventData(res, 'models', 'ModelRegistered').model.toNumber();
  res = await ok(
    api.tx.models.publishVersion(
      model,
      content(4),
      [{ snapshot: { dataset, version: 1 }, weight: 1_000_000_000 }],
      null,
      500_000_000,
      2n * LIN,
    ),
    charlie,
  );
  const version = eventData(res, 'models', 'VersionPublished').version.toNumber();
  const kinds = { training: true, fineTune: true, inference: true, evaluation: true };
  await ok(
    api.tx.compute.registerProvider(
      200n * LIN,
      'https://gpu.example',
      kinds,
      dave.address,
      'eu-west',
    ),
    dave,
  );

  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  res = await ok(
    api.tx.compute.submitJob('Inference', version, content(10), 10n * LIN, 2n * LIN, head + 100),
    eve,
  );
  const job = eventData(res, 'compute', 'JobSubmitted').job.toNumber();
  await ok(api.tx.compute.acceptJob(job), dave);
  res = await ok(api.tx.compute.submitResult(job, content(11)), dave);
  const settledEra = (await api.call.rewardsApi.era()).index.toNumber();

  // Nobody calls finalize: the on_idle queue settles the job when its window closes.
  await until('the job to settle', 90, async () => {
    const record = (await api.call.computeApi.job(job)).unwrap();
    return record.state.isEnded && record.state.asEnded.type === 'Settled';
  });
  const era = await api.call.rewardsApi.era();
  assert.equal(era.length.toNumber(), 10);
  const settledIn = era.index.toNumber();
  assert.ok(settledIn >= settledEra);
  if (settledIn === settledEra) assert.equal(era.fees.paid.toBigInt(), 12n * LIN);

  // The era with the job ends and mints for it.
  const last = await until('the era to end', 90, async () => {
    const found = await api.call.rewardsApi.lastEra();
    return found.isSome && found.unwrap()[0].toNumber() >= settledIn ? found.unwrap() : null;
  });
  const summary = (await api.query.rewards.eras(settledIn)).unwrap();
  assert.equal(summary.fees.paid.toBigInt(), 12n * LIN);
  // The escrow of 12 LIN: 1.2 protocol fee, 9 to the provider, 0.9 to the owner, 0.9 to the data.
  assert.equal(summary.fees.compute.toBigInt(), 9n * LIN);
  assert.equal(summary.fees.models.toBigInt(), 900_000_000_000n);
  assert.equal(summary.fees.data.toBigInt(), 900_000_000_000n);
  // The matching rate is α 5% plus the bootstrap rate (4%, decaying over 30 days of eras).
  const alpha = summary.alpha.toBigInt();
  assert.ok(alpha > 89_000_000n && alpha <= 90_000_000n, `matching rate ${alpha}`);
  const times = (amount) => (amount * alpha) / 1_000_000_000n;
  // α × 12 LIN, well under the schedule: demand-bound.
  const demand = times(12n * LIN);
  assert.equal(summary.demand.toBigInt(), demand);
  assert.equal(summary.bound.unwrap().type, 'Demand');
  // The data and model pools may take at most α × their own 0.9 LIN; the rest of their 40% and
  // 20% shares is held back, not minted. The compute pool's 30% is under α × 9 LIN.
  const cap = times(900_000_000_000n);
  assert.equal(summary.heldBack.data.toBigInt(), (demand * 4n) / 10n - cap);
  assert.equal(summary.heldBack.models.toBigInt(), (demand * 2n) / 10n - cap);
  assert.equal(summary.heldBack.compute.toBigInt(), 0n);
  assert.equal(last[1].minted.toBigInt(), 2n * cap + (demand * 3n) / 10n + demand / 10n);
  const [minted, supplyCap] = await api.call.rewardsApi.supply();
  assert.ok(minted.toBigInt() > 0n && minted.toBigInt() <= supplyCap.toBigInt());

  // Bob (the only contributor) claims the dataset's share: its 0.9 LIN of revenue and the
  // emission it backs, α × 0.9 LIN (rounded down by the rate).
  const { amount: bobClaimed, blockHash } = await claimMatchesPending(
    api,
    api.tx.rewards.claim(dataset, 1),
    bob,
    (p) =>
      p.datasets
        .find(([d, first]) => d.toNumber() === dataset && first.toNumber() === 1)[2]
        .toBigInt(),
    'Claimed',
  );
  const claimed = (await (await api.at(blockHash)).query.system.events()).find(
    ({ event }) => event.section === 'rewards' && event.method === 'Claimed',
  ).event.data;
  assert.equal(bobClaimed, 900_000_000_000n + claimed.emission.toBigInt());
  assert.ok(claimed.emission.toBigInt() <= cap && claimed.emission.toBigInt() >= cap - 2n);
  // The model owner: α × its 0.9 LIN; the provider: the compute pool's 30% of the budget.
  const { amount: owner } = await claimMatchesPending(
    api,
    api.tx.rewards.claimAccount(),
    charlie,
    (p) => p.account.toBigInt(),
    'AccountClaimed',
  );
  assert.ok(owner <= cap && owner >= cap - 1n);
  const { amount: provider } = await claimMatchesPending(
    api,
    api.tx.rewards.claimAccount(),
    dave,
    (p) => p.account.toBigInt(),
    'AccountClaimed',
  );
  assert.ok(provider <= (demand * 3n) / 10n && provider >= (demand * 3n) / 10n - 1n);
  const after = await api.call.rewardsApi.pending(dave.address, null, 10);
  assert.equal(after.account.toBigInt(), 0n);
});
