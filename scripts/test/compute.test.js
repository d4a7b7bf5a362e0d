// The compute market on a real dev node: a provider bonds, a requester pays for jobs on a model
// version, results are challenged and the arbiter origin (sudo on the dev chain) resolves them
// both ways. Checks every party's balances and holds and the jobs' responsibility records
// through the ComputeApi runtime API.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  signer,
  submit,
  submitOk,
  eventData,
  heldBalance,
  freeBalance,
  until,
} from '../lib/api.js';
import { devNodeFixture, contentRef } from './helpers.js';
import { LIN, PERBILL } from '../lib/units.js';
import { blake2AsHex } from '@polkadot/util-crypto';
import { stringToHex } from '@polkadot/util';

const alice = signer('//Alice'); // sudo: the arbiter until the council lands
const bob = signer('//Bob'); // contributes data
const charlie = signer('//Charlie'); // owns the model
const dave = signer('//Dave'); // provider
const eve = signer('//Eve'); // requester
const ferdie = signer('//Ferdie'); // challenger

let api;
devNodeFixture(before, after, (_node, a) => {
  api = a;
});

const ok = (tx, who) => submitOk(api, tx, who);
const content = (n) => contentRef(n);
/** The bytes of job `job`'s result (Dave serves them) and the reference to them. */
const output = (job) => `the answer to job ${job}`;
const outputRef = (job) => ({
  hash: blake2AsHex(output(job)),
  uri: `https://gpu.example/out/${job}`,
  bytes: output(job).length,
});
const held = (who, reason, at) => heldBalance(api, who.address, 'Compute', reason, at);
const free = (who, at) => freeBalance(api, who.address, at);

let version;
let dataset;
let treasury;
let dataPot;

/** Dataset → snapshot → model version priced at 2 LIN with half to the builder; Dave bonds 200 LIN. */
async function setUp() {
  const open = {
    admission: 'Open',
    contributionDeposit: 0,
    rejectSlash: 0,
    minConsent: { training: true, commercial: true },
  };
  let res = await ok(api.tx.datasets.createDataset(content(1), 'Cc0', open), alice);
  dataset = eventData(res, 'datasets', 'DatasetCreated').dataset.toNumber();
  await ok(
    api.tx.datasets.contribute(dataset, content(2), 'Cc0', { training: true, commercial: true }),
    bob,
  );
  await ok(api.tx.datasets.snapshot(dataset), alice);
  res = await ok(api.tx.models.registerModel(content(3), 'Apache2'), charlie);
  const model = eventData(res, 'models', 'ModelRegistered').model.toNumber();
  const inputs = [{ snapshot: { dataset, version: 1 }, weight: PERBILL }];
  res = await ok(
    api.tx.models.publishVersion(model, content(4), inputs, null, 500_000_000, 2n * LIN),
    charlie,
  );
  version = eventData(res, 'models', 'VersionPublished').version.toNumber();
  res = await ok(
    api.tx.compute.registerProvider(
      200n * LIN,
      'https://gpu.example',
      { training: true, fineTune: true, inference: true, evaluation: true },
      dave.address,
      'eu-west',
    ),
    dave,
  );
  assert.equal(await held(dave, 'ProviderBond', res.blockHash), 200n * LIN);
}

/** Eve submits an inference job with a 10 LIN fee; Dave accepts it and submits a result; Ferdie challenges. */
async function challengedJob() {
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const [escrow, collateral, bond] = [
    await held(eve, 'Escrow'),
    await held(dave, 'Collateral'),
    await held(ferdie, 'ChallengeBond'),
  ];
  let res = await ok(
    api.tx.compute.submitJob('Inference', version, content(10), 10n * LIN, 2n * LIN, head + 200),
    eve,
  );
  const job = eventData(res, 'compute', 'JobSubmitted').job.toNumber();
  assert.equal((await held(eve, 'Escrow', res.blockHash)) - escrow, 12n * LIN);
  res = await ok(api.tx.compute.acceptJob(job), dave);
  assert.equal(eventData(res, 'compute', 'JobAccepted').collateral.toBigInt(), 15n * LIN);
  assert.equal((await held(dave, 'Collateral', res.blockHash)) - collateral, 15n * LIN);
  await ok(api.tx.compute.submitResult(job, outputRef(job)), dave);
  res = await ok(api.tx.compute.challenge(job, content(12)), ferdie);
  // The bond is the job's escrow (12 LIN), above the least bond of 10 LIN.
  assert.equal((await held(ferdie, 'ChallengeBond', res.blockHash)) - bond, 12n * LIN);
  assert.equal(eventData(res, 'compute', 'Challenged').bond.toBigInt(), 12n * LIN);
  return job;
}

async function balances(at) {
  const out = {};
  for (const [name, who] of Object.entries({ dave, eve, ferdie, charlie }))
    out[name] = await free(who, at);
  out.treasury = await freeBalance(api, treasury, at);
  out.dataPot = await freeBalance(api, dataPot, at);
  return out;
}

test('a challenge upheld: the provider is slashed, the challenger paid, the requester refunded', async () => {
  await setUp();
  const consts = api.consts.compute;
  treasury = consts.treasury.toString();
  dataPot = consts.dataRevenueAccount.toString();
  const job = await challengedJob();

  const before = await balances();
  const res = await ok(api.tx.sudo.sudo(api.tx.compute.resolve(job, 'ProviderWrong')), alice);
  assert.ok(eventData(res, 'sudo', 'Sudid').sudoResult.isOk);
  const after = await balances(res.blockHash);
  assert.equal(after.eve - before.eve, 12n * LIN, 'requester refunded');
  assert.equal(
    after.ferdie - before.ferdie,
    12n * LIN + 7_500_000_000_000n,
    'challenge bond back + half the collateral',
  );
  assert.equal(
    after.treasury - before.treasury,
    7_500_000_000_000n,
    'the other half to the treasury',
  );
  assert.equal(await held(dave, 'Collateral', res.blockHash), 0n);
  assert.equal(await held(dave, 'ProviderBond', res.blockHash), 185n * LIN);
  assert.equal(await held(eve, 'Escrow', res.blockHash), 0n);

  const record = (await api.call.computeApi.job(job)).unwrap();
  assert.equal(record.requester.toString(), eve.address);
  assert.equal(record.provider.unwrap().toString(), dave.address);
  assert.equal(record.operator.unwrap().toString(), dave.address);
  assert.equal(record.modelVersion.toNumber(), version);
  assert.equal(record.attribution[0].snapshot.dataset.toNumber(), dataset);
  assert.equal(record.challenge.unwrap().challenger.toString(), ferdie.address);
  assert.equal(record.ruling.unwrap().verdict.type, 'ProviderWrong');
  assert.ok(record.ruling.unwrap().by.isRoot, 'the record names who ruled');
  assert.equal(record.state.asEnded.type, 'ChallengeUpheld');
  assert.ok(record.steps.resolved.isSome && record.steps.ended.isSome);
  assert.deepEqual(
    record.payouts.map((p) => [p.payee.type, p.account.toString(), p.amount.toBigInt()]),
    [
      ['Challenger', ferdie.address, 7_500_000_000_000n],
      ['Treasury', treasury, 7_500_000_000_000n],
      ['Requester', eve.address, 12n * LIN],
    ],
  );
});

test('a challenge rejected: the challenger is slashed and the job settles exactly', async () => {
  const job = await challengedJob();
  const before = await balances();
  const res = await ok(api.tx.sudo.sudo(api.tx.compute.resolve(job, 'ChallengerWrong')), alice);
  const after = await balances(res.blockHash);
  // Escrow 12 LIN: 1.2 protocol fee; of 10.8, 9 to the provider and 1.8 for the price: 0.9 to
  // the owner, 0.9 to the dataset. Ferdie's 12 LIN bond: 6 to the provider, 6 to the treasury.
  assert.equal(after.dave - before.dave, 9n * LIN + 6n * LIN);
  assert.equal(after.charlie - before.charlie, 900_000_000_000n);
  assert.equal(after.dataPot - before.dataPot, 900_000_000_000n);
  assert.equal(after.treasury - before.treasury, 1_200_000_000_000n + 6n * LIN);
  assert.equal(after.ferdie, before.ferdie);
  assert.equal(await held(ferdie, 'ChallengeBond', res.blockHash), 0n);
  assert.equal(await held(dave, 'ProviderBond', res.blockHash), 185n * LIN);
  const settled = eventData(res, 'compute', 'JobSettled');
  assert.equal(settled.providerPaid.toBigInt(), 9n * LIN);
  // The event names the parties and each dataset's part, as the record does.
  assert.equal(settled.provider.toString(), dave.address);
  assert.deepEqual(
    settled.datasets.map(([d, amount]) => [d.toNumber(), amount.toBigInt()]),
    [[dataset, 900_000_000_000n]],
  );

  const record = (await api.call.computeApi.job(job)).unwrap();
  assert.equal(record.state.asEnded.type, 'Settled');
  const dataPayout = record.payouts.find((p) => p.payee.isDataset);
  assert.equal(dataPayout.payee.asDataset.dataset.toNumber(), dataset);
  assert.equal(dataPayout.amount.toBigInt(), 900_000_000_000n);

  // The market: one operator holds everything.
  const market = await api.call.computeApi.concentration();
  assert.equal(market.bondByOperator.nakamoto.toNumber(), 1);
  assert.equal(market.bondByOperator.largest[0][0].toString(), dave.address);
  assert.equal(market.feesByOperator.total.toBigInt(), 9n * LIN);
  const quote = (await api.call.computeApi.quote(version, 10n * LIN)).unwrap();
  assert.deepEqual(
    quote.map((x) => x.toBigInt()),
    [12n * LIN, 100_000_000_000n, 15n * LIN],
  );
});

test('the wrong origin or a bad call fails with the pallet error', async () => {
  const job = await challengedJob();
  let res = await submit(api, api.tx.compute.resolve(job, 'ProviderWrong'), eve);
  assert.equal(res.error?.name, 'BadOrigin');
  res = await submit(api, api.tx.compute.finalize(job), eve);
  assert.equal(res.error?.name, 'compute.UnderChallenge');
  res = await submit(api, api.tx.compute.unbond(190n * LIN), dave);
  assert.equal(res.error?.name, 'compute.BondLocked');
  assert.match(res.error.docs, /locked/);
});

test('a price raised above max_price fails the job; a provider updates its declaration', async () => {
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const before = await held(eve, 'Escrow');
  // The version costs 2 LIN; Eve accepts at most 1 LIN.
  const res = await submit(
    api,
    api.tx.compute.submitJob('Inference', version, content(20), 10n * LIN, LIN, head + 200),
    eve,
  );
  assert.equal(res.error?.name, 'compute.PriceAboveMax');
  assert.equal(await held(eve, 'Escrow', res.blockHash), before, 'nothing held');

  const updated = await ok(
    api.tx.compute.updateProvider(
      'https://gpu2.example',
      { training: false, fineTune: false, inference: true, evaluation: false },
      'us-east',
    ),
    dave,
  );
  assert.equal(eventData(updated, 'compute', 'ProviderUpdated').region.toUtf8(), 'us-east');
  const provider = (await api.call.computeApi.provider(dave.address)).unwrap();
  assert.equal(provider.endpoint.toUtf8(), 'https://gpu2.example');
  assert.deepEqual(provider.kinds.toJSON(), {
    training: false,
    fineTune: false,
    inference: true,
    evaluation: false,
  });
  const market = await api.call.computeApi.concentration();
  assert.equal(market.bondByRegion.largest[0][0].toUtf8(), 'us-east');
});

test('a challenge nobody rules on lapses: the job settles and the bond goes to the provider', async () => {
  const job = await challengedJob();
  // Dave publishes the output on chain, for free; anyone can read it in the block.
  const davePays = await free(dave);
  const published = await ok(api.tx.compute.publishOutput(job, stringToHex(output(job))), dave);
  assert.equal(eventData(published, 'compute', 'OutputPublished').job.toNumber(), job);
  assert.equal(await free(dave, published.blockHash), davePays, 'publishing costs no fee');
  assert.ok((await api.query.compute.unpublishedOutputs(job)).isNone);
  const again = await submit(
    api,
    api.tx.compute.publishOutput(job, stringToHex(output(job))),
    dave,
  );
  assert.equal(again.error?.name, 'compute.OutputNotAwaited');
  const record = await until('the challenge to lapse', 180, async () => {
    const found = (await api.call.computeApi.job(job)).unwrap();
    return found.state.isEnded ? found : null;
  });
  // Balances just before and at the block the job ended in (an earlier test's challenge lapses
  // at another block).
  const ended = record.steps.ended.unwrap().toNumber();
  const before = await balances(await api.rpc.chain.getBlockHash(ended - 1));
  const after = await balances(await api.rpc.chain.getBlockHash(ended));
  assert.equal(
    record.state.asEnded.type,
    'Lapsed',
    'ended by the queue after the resolution period',
  );
  assert.ok(record.ruling.isNone);
  // Ferdie's 12 LIN bond: 6 to Dave, 6 to the treasury; then the escrow settles as if
  // unchallenged: 9 to Dave, 0.9 to the owner, 0.9 to the dataset, 1.2 to the treasury.
  assert.deepEqual(
    record.payouts.map((p) => [p.payee.type, p.amount.toBigInt()]),
    [
      ['Provider', 6n * LIN],
      ['Treasury', 6n * LIN],
      ['Provider', 9n * LIN],
      ['ModelOwner', 900_000_000_000n],
      ['Dataset', 900_000_000_000n],
      ['Treasury', 1_200_000_000_000n],
    ],
  );
  assert.equal(after.dave - before.dave, 15n * LIN, 'the fee and half the bond');
  assert.equal(after.eve, before.eve, 'the requester paid for the result it holds');
  assert.equal(after.ferdie, before.ferdie, 'the challenger lost its held bond');
  assert.equal(await held(ferdie, 'ChallengeBond'), 0n);
  assert.equal(await held(eve, 'Escrow'), 0n);
});

test('a challenged output nobody publishes was not delivered: the challenge is upheld without a ruling', async () => {
  const job = await challengedJob();
  assert.ok((await api.query.compute.unpublishedOutputs(job)).isSome);
  const wrong = await submit(api, api.tx.compute.publishOutput(job, stringToHex('not it')), dave);
  assert.equal(wrong.error?.name, 'compute.NotTheJobsContent');
  const record = await until('the resolution period to end', 180, async () => {
    const found = (await api.call.computeApi.job(job)).unwrap();
    return found.state.isEnded ? found : null;
  });
  assert.equal(record.state.asEnded.type, 'ChallengeUpheld');
  assert.equal(record.ruling.unwrap().verdict.type, 'ProviderWrong');
  assert.ok(record.ruling.unwrap().by.isOutputWithheld, 'the record says why');
  // As a ruling against Dave: his 15 LIN collateral half to Ferdie, half to the treasury; Eve
  // refunded; Ferdie's bond back.
  assert.deepEqual(
    record.payouts.map((p) => [p.payee.type, p.account.toString(), p.amount.toBigInt()]),
    [
      ['Challenger', ferdie.address, 7_500_000_000_000n],
      ['Treasury', treasury, 7_500_000_000_000n],
      ['Requester', eve.address, 12n * LIN],
    ],
  );
  assert.equal(await held(ferdie, 'ChallengeBond'), 0n);
});
