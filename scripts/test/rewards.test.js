// Rewards on a real dev node (one-minute eras, 30-second challenge windows): a job settles by
// itself through the on_idle queue, an era passes and mints for it, and the contributor, the
// model owner and the provider claim exactly what RewardsApi reported as pending.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { devNodeFixture, signer, submitOk, eventData, until, claimMatchesPending } from '../lib/api.js';

const LIN = 10n ** 12n;

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
const content = (n) => ({ hash: '0x' + n.toString(16).padStart(2, '0').repeat(32), uri: `ipfs://c-${n}`, bytes: 4096 });
test('a job settles, an era passes, and everyone claims what RewardsApi reported', async () => {
  const params = (await api.call.rewardsApi.parameters()).params;
  assert.equal(params.alpha.toNumber(), 50_000_000);
  assert.equal(params.challengePeriod.toNumber(), 5);

  const open = { admission: 'Open', contributionDeposit: 0, rejectSlash: 0, minConsent: { training: true, commercial: true } };
  let res = await ok(api.tx.datasets.createDataset(content(1), 'Cc0', open), alice);
  const dataset = eventData(res, 'datasets', 'DatasetCreated').dataset.toNumber();
  await ok(api.tx.datasets.contribute(dataset, content(2), 'Cc0', { training: true, commercial: true }), bob);
  await ok(api.tx.datasets.snapshot(dataset), alice);
  res = await ok(api.tx.models.registerModel(content(3), 'Apache2'), charlie);
  const model = eventData(res, 'models', 'ModelRegistered').model.toNumber();
  res = await ok(api.tx.models.publishVersion(model, content(4), [{ snapshot: { dataset, version: 1 }, weight: 1_000_000_000 }], null, 500_000_000, 2n * LIN), charlie);
  const version = eventData(res, 'models', 'VersionPublished').version.toNumber();
  const kinds = { training: true, fineTune: true, inference: true, evaluation: true };
  await ok(api.tx.compute.registerProvider(200n * LIN, 'https://gpu.example', kinds, dave.address, 'eu-west'), dave);

  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  res = await ok(api.tx.compute.submitJob('Inference', version, content(10), 10n * LIN, head + 100), eve);
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
  // α × 12 LIN = 0.6 LIN of usage emission, well under the schedule: demand-bound.
  assert.equal(summary.usage.toBigInt(), 600_000_000_000n);
  assert.equal(summary.bound.unwrap().type, 'Demand');
  assert.ok(last[1].minted.toBigInt() > 0n);
  const [minted, cap] = await api.call.rewardsApi.supply();
  assert.ok(minted.toBigInt() > 0n && minted.toBigInt() <= cap.toBigInt());

  // Bob (the only contributor) claims the dataset's share: its 0.9 LIN of direct revenue, 40%
  // of the usage emission, and the bootstrap allowance by points.
  const { amount: bobClaimed } = await claimMatchesPending(api, api.tx.rewards.claim(dataset), bob, (p) => p.datasets.find(([d]) => d.toNumber() === dataset)[1].toBigInt(), 'Claimed');
  assert.ok(bobClaimed >= 900_000_000_000n + 240_000_000_000n);
  // The model owner's 20% and the provider's 30% of 0.6 LIN (rounded down by their rates).
  const { amount: owner } = await claimMatchesPending(api, api.tx.rewards.claimAccount(), charlie, (p) => p.account.toBigInt(), 'AccountClaimed');
  assert.ok(owner <= 120_000_000_000n && owner >= 119_999_999_999n);
  const { amount: provider } = await claimMatchesPending(api, api.tx.rewards.claimAccount(), dave, (p) => p.account.toBigInt(), 'AccountClaimed');
  assert.ok(provider <= 180_000_000_000n && provider >= 179_999_999_999n);
  const after = await api.call.rewardsApi.pending(dave.address, null, 10);
  assert.equal(after.account.toBigInt(), 0n);
});
