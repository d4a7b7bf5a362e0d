// The two ways a coalition could farm emission, tried on a real dev node against honest users in
// the same era, and shown not to pay:
//
// 1. Forged counts: Charlie and Dave each open a dataset and contribute one batch claiming
//    4,294,967,295 items. An open dataset credits a batch as one item, and points never draw
//    emission across datasets: they claim nothing, and Bob's claim in the honest dataset is exactly
//    its revenue and α × that revenue, whatever the forgers did.
// 2. Self-dealing with a thin pool: honest Alice pays a 10,000 LIN job on an almost unpriced model
//    (nearly all fees go to the compute pool); the coalition buys a 101 LIN job from itself
//    (Charlie's dataset, model and request, Dave's provider). Each pool's rate is capped at α per
//    unit of its own fees, so its emission stays under the 10.1 LIN protocol fee it paid.
//
// Each asserts the coalition ends with no more than it started with (free + held, across all its
// accounts) and prints the figures: claimed, paid, net.
//
// Then settlement that nobody can freeze, dodge or stall, beside an honest job: a provider that
// locks everything it has (free and held) in a conviction-voting delegation after accepting still
// times out and loses its collateral; a requester that does the same after delivery still pays;
// the free-work coalition (a requester challenging its own job through a second account, with an
// arbiter that never rules) loses a bond as large as the escrow, and the provider, who publishes
// the challenged output on chain, is paid.
//
// Last, revenue by snapshot: ten items Charlie adds after snapshot 1 earn nothing from a job on a
// model trained on it (all 40.5 LIN go to Bob, whose item it holds); a rival (Dave) who
// contributes once and withdraws while jobs are in flight confiscates nothing (both jobs pay the
// dataset in full, Bob's share untouched) and earns nothing; the model trained on the snapshot
// its withdrawal reached keeps taking jobs for the grace the dataset declared, then stops.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signer, submit, submitOk, eventData, until, heldBalance } from '../lib/api.js';
import { devNodeFixture } from './helpers.js';
import { LIN } from '../lib/units.js';
import { blake2AsHex } from '@polkadot/util-crypto';
import { stringToHex } from '@polkadot/util';

const PERBILL = 1_000_000_000n;
const FORGED = 4_294_967_295;

const alice = signer('//Alice'); // honest requester, owns the honest dataset
const bob = signer('//Bob'); // honest contributor
const eve = signer('//Eve'); // honest model owner
const ferdie = signer('//Ferdie'); // honest provider
const charlie = signer('//Charlie'); // coalition: forger, dataset, model and requester
const dave = signer('//Dave'); // coalition: forger and provider
const coalition = [charlie, dave];

let api;
devNodeFixture(before, after, (_node, a) => {
  api = a;
});

const ok = (tx, who) => submitOk(api, tx, who);
let nonce = 0;
const content = (tag) => {
  nonce += 1;
  const hex = Buffer.from(`${tag}-${nonce}`).toString('hex').slice(0, 64).padEnd(64, '0');
  return { hash: '0x' + hex, uri: `ipfs://attack/${tag}/${nonce}`, bytes: 4096 };
};
const full = { training: true, commercial: true };
const open = { admission: 'Open', contributionDeposit: 0, rejectSlash: 0, minConsent: full };
const kinds = { training: true, fineTune: true, inference: true, evaluation: true };
const fmt = (x) => `${x < 0n ? '-' : ''}${(Number(x < 0n ? -x : x) / 1e12).toFixed(6)} LIN`;

/** Free + held across `pairs`. */
async function wealth(pairs) {
  let sum = 0n;
  for (const p of pairs) {
    const { data } = await api.query.system.account(p.address);
    sum += data.free.toBigInt() + data.reserved.toBigInt();
  }
  return sum;
}

/**
 * Open dataset by `owner` with one item from `contributor`, snapshotted, with a withdrawal grace
 * of `grace` blocks; returns its id.
 */
async function dataset(owner, contributor, grace = 0) {
  const policy = { ...open, withdrawalGrace: grace };
  const res = await ok(api.tx.datasets.createDataset(content('dataset'), 'Cc0', policy), owner);
  const id = eventData(res, 'datasets', 'DatasetCreated').dataset.toNumber();
  await ok(api.tx.datasets.contribute(id, content('item'), 'Cc0', full), contributor);
  await ok(api.tx.datasets.snapshot(id), owner);
  return id;
}

/** A model version of `owner` trained on `datasetId`, at `price` with `builderShare` (parts per billion). */
async function version(owner, datasetId, builderShare, price) {
  let res = await ok(api.tx.models.registerModel(content('model'), 'Apache2'), owner);
  const model = eventData(res, 'models', 'ModelRegistered').model.toNumber();
  const inputs = [{ snapshot: { dataset: datasetId, version: 1 }, weight: PERBILL }];
  res = await ok(
    api.tx.models.publishVersion(model, content('weights'), inputs, null, builderShare, price),
    owner,
  );
  return eventData(res, 'models', 'VersionPublished').version.toNumber();
}

async function jobSettled(job) {
  return until(`job ${job} to settle`, 120, async () => {
    const record = (await api.call.computeApi.job(job)).unwrap();
    return record.state.isEnded ? record : null;
  });
}

/** Claims everything `pair` can (its datasets and its account); returns the emission part. */
async function claimAll(pair, datasets) {
  let emission = 0n;
  let amount = 0n;
  for (const d of datasets) {
    const res = await submit(api, api.tx.rewards.claim(d, 1), pair);
    if (!res.ok) {
      // Nothing earned yet, or no points there at all.
      assert.ok(
        ['rewards.NothingToClaim', 'rewards.NoPosition'].includes(res.error.name),
        res.error.name,
      );
      continue;
    }
    const claimed = eventData(res, 'rewards', 'Claimed');
    emission += claimed.emission.toBigInt();
    amount += claimed.amount.toBigInt();
  }
  const res = await submit(api, api.tx.rewards.claimAccount(), pair);
  if (res.ok) {
    const claimed = eventData(res, 'rewards', 'AccountClaimed').amount.toBigInt();
    emission += claimed;
    amount += claimed;
  } else {
    assert.equal(res.error.name, 'rewards.NothingToClaim');
  }
  return { emission, amount };
}

test('no coalition farms emission: forged counts and self-dealing with a thin pool', async () => {
  const start = await wealth(coalition);

  // The honest economy: Bob's data in Alice's dataset, Eve's model priced at 10 LIN, Ferdie's
  // provider.
  const honestData = await dataset(alice, bob);
  const honestVersion = await version(eve, honestData, 500_000_000n, 10n * LIN);
  await ok(
    api.tx.compute.registerProvider(
      20_000n * LIN,
      'https://ferdie.example',
      kinds,
      ferdie.address,
      'eu-west',
    ),
    ferdie,
  );

  // Attack 1: forged counts, in two datasets of the coalition's own.
  const forged = [];
  for (const forger of coalition) {
    const res = await ok(api.tx.datasets.createDataset(content('forged'), 'Cc0', open), forger);
    const id = eventData(res, 'datasets', 'DatasetCreated').dataset.toNumber();
    const batch = await ok(
      api.tx.datasets.contributeBatch(
        id,
        content('root').hash,
        FORGED,
        1n << 40n,
        'ipfs://forged',
        'Cc0',
        full,
      ),
      forger,
    );
    assert.equal(
      eventData(batch, 'datasets', 'ContributionAccepted').points.toNumber(),
      50,
      'a forged batch earns one item',
    );
    forged.push(id);
  }

  // Attack 2: the coalition's own supply chain: dataset, model at 100 LIN with a 60% builder
  // share, provider.
  const ownData = await dataset(charlie, charlie);
  const ownVersion = await version(charlie, ownData, 600_000_000n, 100n * LIN);
  await ok(
    api.tx.compute.registerProvider(
      200n * LIN,
      'https://dave.example',
      kinds,
      dave.address,
      'eu-west',
    ),
    dave,
  );

  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const [honestRes, ownRes] = await Promise.all([
    ok(
      api.tx.compute.submitJob(
        'Inference',
        honestVersion,
        content('prompt'),
        10_000n * LIN,
        10n * LIN,
        head + 100,
      ),
      alice,
    ),
    ok(
      api.tx.compute.submitJob(
        'Inference',
        ownVersion,
        content('prompt'),
        LIN,
        100n * LIN,
        head + 100,
      ),
      charlie,
    ),
  ]);
  const honestJob = eventData(honestRes, 'compute', 'JobSubmitted').job.toNumber();
  const ownJob = eventData(ownRes, 'compute', 'JobSubmitted').job.toNumber();
  await Promise.all([
    ok(api.tx.compute.acceptJob(honestJob), ferdie),
    ok(api.tx.compute.acceptJob(ownJob), dave),
  ]);
  // Both results early in one era, so both jobs settle in it when their windows close.
  const eraLength = (await api.call.rewardsApi.era()).length.toNumber();
  await until('the start of an era', 2 * eraLength * 6, async () => {
    const era = await api.call.rewardsApi.era();
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    return now - era.start.toNumber() <= 1;
  });
  await Promise.all([
    ok(api.tx.compute.submitResult(honestJob, content('answer')), ferdie),
    ok(api.tx.compute.submitResult(ownJob, content('answer')), dave),
  ]);
  const [honestRecord, ownRecord] = await Promise.all([jobSettled(honestJob), jobSettled(ownJob)]);
  assert.equal(ownRecord.state.asEnded.type, 'Settled');
  assert.equal(honestRecord.state.asEnded.type, 'Settled');
  const ownTreasury = ownRecord.payouts
    .filter((p) => p.payee.isTreasury)
    .reduce((s, p) => s + p.amount.toBigInt(), 0n);
  assert.equal(ownTreasury, 10_100_000_000_000n, 'the protocol fee: 10% of the 101 LIN escrow');
  const honestData4 = honestRecord.payouts.find((p) => p.payee.isDataset).amount.toBigInt();

  // The era ends and mints; everyone claims.
  const settledEra = (await api.call.rewardsApi.era()).index.toNumber();
  await until('the era to end', 120, async () => {
    const found = await api.call.rewardsApi.lastEra();
    return found.isSome && found.unwrap()[0].toNumber() >= settledEra;
  });
  const summary = (await api.query.rewards.eras(settledEra)).unwrap();
  const alpha = summary.alpha.toBigInt();
  const heldBack =
    summary.heldBack.data.toBigInt() +
    summary.heldBack.models.toBigInt() +
    summary.heldBack.compute.toBigInt();

  const charlieClaims = await claimAll(charlie, [...forged, ownData]);
  const daveClaims = await claimAll(dave, forged);
  const bobClaims = await claimAll(bob, [honestData]);
  const end = await wealth(coalition);

  const emission = charlieClaims.emission + daveClaims.emission;
  const claimed = charlieClaims.amount + daveClaims.amount;
  console.log(
    `era ${settledEra}: fees paid ${fmt(summary.fees.paid.toBigInt())}, matching rate ${Number(alpha) / 1e7}%, ` +
      `minted ${fmt(summary.minted.toBigInt())}, held back by the pool rate cap ${fmt(heldBack)}\n` +
      `coalition: claimed ${fmt(claimed)} (emission ${fmt(emission)}), paid 101 LIN of which ${fmt(ownTreasury)} protocol fee, ` +
      `net ${fmt(end - start)} (free + held, transaction fees and deposits included)\n` +
      `honest contributor: claimed ${fmt(bobClaims.amount)} (revenue ${fmt(honestData4)}, emission ${fmt(bobClaims.emission)})`,
  );

  // Forged counts paid nothing: the forged datasets earned no revenue and so no emission.
  for (const d of forged) {
    for (const who of coalition) {
      const pending = await api.call.rewardsApi.pending(who.address, null, 50);
      const entry = pending.datasets.find(([id]) => id.toNumber() === d);
      assert.ok(!entry || entry[2].toBigInt() === 0n, 'nothing pending in a forged dataset');
    }
  }
  // The honest contributor's claim is its revenue and α × it (the data pool is capped at α per
  // unit of its fees), whatever the forgers did.
  const bobEmission = (honestData4 * alpha) / PERBILL;
  assert.equal(bobClaims.amount - bobClaims.emission, honestData4);
  assert.ok(
    bobClaims.emission <= bobEmission && bobClaims.emission >= bobEmission - 2n,
    `bob's emission ${bobClaims.emission} vs ${bobEmission}`,
  );

  // Self-dealing: the coalition's emission is at most α × the revenue it got back (91 of 101 LIN
  // less the protocol fee), below the protocol fee it paid; it ends poorer.
  assert.ok(
    emission <= (90_900_000_000_000n * alpha) / PERBILL + 3n,
    `coalition emission ${fmt(emission)}`,
  );
  assert.ok(emission < ownTreasury, 'emission below the protocol fee paid');
  assert.ok(end < start, `the coalition went from ${fmt(start)} to ${fmt(end)}`);
  assert.ok(heldBack > 0n, 'the pool rate cap held back the thin pools’ shares');
});

/**
 * Locks all `pair` has, free and held, in a conviction-voting delegation to `to` (all but 1 LIN
 * of it, for the call's own fee).
 */
async function freezeEverything(pair, to) {
  const { data } = await api.query.system.account(pair.address);
  const everything = data.free.toBigInt() + data.reserved.toBigInt() - LIN;
  await ok(api.tx.convictionVoting.delegate(0, to.address, 'Locked1x', everything), pair);
  const after = (await api.query.system.account(pair.address)).data;
  assert.equal(after.frozen.toBigInt(), everything);
  assert.ok(after.frozen.toBigInt() > after.free.toBigInt(), 'held funds are locked too');
}

async function jobEnded(job, seconds = 180) {
  return until(`job ${job} to end`, seconds, async () => {
    const record = (await api.call.computeApi.job(job)).unwrap();
    return record.state.isEnded ? record : null;
  });
}

const payoutsOf = (record) =>
  record.payouts.map((p) => [p.payee.type, p.account.toString(), p.amount.toBigInt()]);

test('nobody freezes, dodges or stalls a settlement, with honest users beside', async () => {
  const stash = signer('//Charlie//stash'); // coalition: Charlie's second account
  const treasury = api.consts.compute.treasury.toString();
  const data = await dataset(alice, bob);
  const priced = await version(eve, data, 500_000_000n, LIN);
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const submitJob = async (who, fee, deadline) => {
    const res = await ok(
      api.tx.compute.submitJob('Inference', priced, content('prompt'), fee, LIN, deadline),
      who,
    );
    return eventData(res, 'compute', 'JobSubmitted').job.toNumber();
  };

  // Four jobs side by side: (1) Alice's, which Dave accepts and then freezes everything it has
  // instead of delivering; (2) Bob's, an honest job Ferdie delivers; (3) Charlie's, which
  // Ferdie delivers before Charlie freezes everything; (4) the free-work coalition: Charlie asks
  // for 100 LIN of work, Ferdie delivers, Charlie's second account challenges and the arbiter
  // stays silent.
  const coalitionStart = await wealth([charlie, stash]);
  const ferdieStart = (await api.query.system.account(ferdie.address)).data.free.toBigInt();
  const frozenProviderJob = await submitJob(alice, 10n * LIN, head + 12);
  const honestJob = await submitJob(bob, 10n * LIN, head + 40);
  const frozenRequesterJob = await submitJob(charlie, 10n * LIN, head + 40);
  const freeWorkJob = await submitJob(charlie, 100n * LIN, head + 40);
  await ok(api.tx.compute.acceptJob(frozenProviderJob), dave);
  await freezeEverything(dave, eve);
  const answer = 'the work Charlie asked for';
  for (const job of [honestJob, frozenRequesterJob, freeWorkJob]) {
    await ok(api.tx.compute.acceptJob(job), ferdie);
    const result =
      job === freeWorkJob
        ? { hash: blake2AsHex(answer), uri: 'https://ferdie.example/out', bytes: answer.length }
        : content('answer');
    await ok(api.tx.compute.submitResult(job, result), ferdie);
  }
  const challenged = await ok(api.tx.compute.challenge(freeWorkJob, content('evidence')), stash);
  // Ferdie publishes the challenged output on chain (free): delivered, for everyone to see.
  await ok(api.tx.compute.publishOutput(freeWorkJob, stringToHex(answer)), ferdie);
  assert.equal(
    eventData(challenged, 'compute', 'Challenged').bond.toBigInt(),
    101n * LIN,
    'the bond is the escrow',
  );
  await freezeEverything(charlie, eve);

  const timedOut = await jobEnded(frozenProviderJob);
  assert.equal(timedOut.state.asEnded.type, 'TimedOut');
  assert.deepEqual(payoutsOf(timedOut), [
    ['Treasury', treasury, 15n * LIN],
    ['Requester', alice.address, 11n * LIN],
  ]);
  assert.equal(await heldBalance(api, dave.address, 'Compute', 'Collateral'), 0n);

  const [honest, delivered] = [await jobEnded(honestJob), await jobEnded(frozenRequesterJob)];
  assert.equal(honest.state.asEnded.type, 'Settled');
  assert.equal(delivered.state.asEnded.type, 'Settled');
  assert.deepEqual(
    payoutsOf(delivered).find(([payee]) => payee === 'Provider'),
    ['Provider', ferdie.address, 9n * LIN],
  );

  const lapsed = await jobEnded(freeWorkJob, 240);
  assert.equal(lapsed.state.asEnded.type, 'Lapsed');
  assert.ok(lapsed.ruling.isNone);
  // Frozen Charlie's escrows all moved, the challenge bond too.
  assert.equal(await heldBalance(api, charlie.address, 'Compute', 'Escrow'), 0n);
  assert.equal(await heldBalance(api, stash.address, 'Compute', 'ChallengeBond'), 0n);
  const coalitionEnd = await wealth([charlie, stash]);
  const ferdieEnd = (await api.query.system.account(ferdie.address)).data.free.toBigInt();
  const paid = payoutsOf(lapsed)
    .filter(([payee]) => payee === 'Provider')
    .reduce((sum, [, , amount]) => sum + amount, 0n);
  // Ferdie: its 90 LIN fee share as if unchallenged and half of the 101 LIN bond.
  assert.equal(paid, 90n * LIN + 50_500_000_000_000n);
  assert.ok(ferdieEnd - ferdieStart >= paid - LIN, 'the provider is paid (less its fees)');
  const lost = coalitionStart - coalitionEnd;
  console.log(
    `free-work coalition with a silent arbiter: lost ${fmt(lost)} (escrow 101 LIN, bond 101 LIN); ` +
      `provider paid ${fmt(paid)}`,
  );
  assert.ok(lost >= 202n * LIN, `the coalition lost the escrow and the bond: ${fmt(lost)}`);
});

/** The number of the block `res` was included in. */
async function blockOf(res) {
  return (await api.rpc.chain.getHeader(res.blockHash)).number.toNumber();
}

/** What `pair` may claim of its points in `datasetId` first held by snapshot `first`. */
async function pendingIn(pair, datasetId, first) {
  const pending = await api.call.rewardsApi.pending(pair.address, null, 100);
  const entry = pending.datasets.find(
    ([d, f]) => d.toNumber() === datasetId && f.toNumber() === first,
  );
  return entry ? { all: entry[2].toBigInt(), emission: entry[3].toBigInt() } : null;
}

test('late contributors and a rival who withdraws take nothing from the honest contributor', async () => {
  // Charlie and Dave froze everything in the test before: their second accounts play here.
  const charlie = signer('//Eve//stash');
  const dave = signer('//Ferdie//stash');
  // Bob's one item is in snapshot 1 of Alice's open dataset, which declares a withdrawal grace of
  // 8 blocks; Eve's model is trained on it.
  const GRACE = 8;
  const data = await dataset(alice, bob, GRACE);
  const v1 = await version(eve, data, 100_000_000n, 50n * LIN);
  // After snapshot 1, Charlie adds ten items: they are first held by snapshot 2.
  const late = [];
  for (let i = 0; i < 10; i += 1) {
    const res = await ok(api.tx.datasets.contribute(data, content('late'), 'Cc0', full), charlie);
    late.push(eventData(res, 'datasets', 'Contributed').contribution.toNumber());
  }
  // Dave, a rival, contributes once; snapshot 2 holds Bob's, Charlie's and Dave's items, and Eve
  // publishes a version trained on it.
  const rival = eventData(
    await ok(api.tx.datasets.contribute(data, content('rival'), 'Cc0', full), dave),
    'datasets',
    'Contributed',
  ).contribution.toNumber();
  await ok(api.tx.datasets.snapshot(data), alice);
  let res = await ok(api.tx.models.registerModel(content('model-2'), 'Apache2'), eve);
  const model2 = eventData(res, 'models', 'ModelRegistered').model.toNumber();
  res = await ok(
    api.tx.models.publishVersion(
      model2,
      content('weights-2'),
      [{ snapshot: { dataset: data, version: 2 }, weight: PERBILL }],
      null,
      100_000_000n,
      50n * LIN,
    ),
    eve,
  );
  const v2 = eventData(res, 'models', 'VersionPublished').version.toNumber();

  // A 60 LIN job on each version (10 LIN fee, 50 LIN price: 40.5 LIN to the dataset); Ferdie
  // accepts both, then Dave withdraws consent while they are in flight.
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const jobs = [];
  for (const v of [v1, v2]) {
    const r = await ok(
      api.tx.compute.submitJob('Inference', v, content('prompt'), 10n * LIN, 50n * LIN, head + 60),
      alice,
    );
    jobs.push(eventData(r, 'compute', 'JobSubmitted').job.toNumber());
  }
  for (const job of jobs) await ok(api.tx.compute.acceptJob(job), ferdie);
  await ok(api.tx.datasets.withdrawConsent(rival), dave);
  for (const job of jobs) await ok(api.tx.compute.submitResult(job, content('answer')), ferdie);
  // The withdrawal reached snapshot 2: Eve's second version still takes jobs for the grace the
  // dataset declared, counted from the next job, then no more.
  const inGrace = await ok(
    api.tx.compute.submitJob('Inference', v2, content('prompt'), LIN, 50n * LIN, head + 200),
    alice,
  );
  const { until: graceEnd } = eventData(inGrace, 'models', 'GraceStarted');
  assert.equal(graceEnd.toNumber(), (await blockOf(inGrace)) + GRACE);
  await until('the grace to end', 120, async () =>
    (await api.rpc.chain.getHeader()).number.toNumber() >= graceEnd.toNumber() ? true : null,
  );
  const late2 = await submit(
    api,
    api.tx.compute.submitJob('Inference', v2, content('prompt'), LIN, 50n * LIN, head + 200),
    alice,
  );
  assert.equal(late2.error?.name, 'compute.ModelTainted');
  const [settled1, settled2] = [await jobSettled(jobs[0]), await jobSettled(jobs[1])];
  for (const s of [settled1, settled2]) assert.equal(s.state.asEnded.type, 'Settled');
  const dataPaid = (record) =>
    payoutsOf(record)
      .filter(([payee]) => payee === 'Dataset')
      .reduce((sum, [, , amount]) => sum + amount, 0n);
  // The withdrawal confiscated nothing: both jobs paid the dataset its full share.
  assert.equal(dataPaid(settled1), 40_500_000_000_000n);
  assert.equal(dataPaid(settled2), 40_500_000_000_000n);

  // Once the era has ended: the job on snapshot 1 is all Bob's (Charlie's items are not in it);
  // the job on snapshot 2 is shared by Bob's 50 and Charlie's 500 points (Dave's are gone).
  const fromSnapshot2 = (40_500_000_000_000n * 50n) / 550n;
  const bobShare = await until("the jobs' era to end", 120, async () => {
    const p = await pendingIn(bob, data, 1);
    return p && p.all - p.emission >= 40_500_000_000_000n + fromSnapshot2 - 2n ? p : null;
  });
  const charlieShare = await pendingIn(charlie, data, 2);
  const bobRevenue = bobShare.all - bobShare.emission;
  assert.ok(
    bobRevenue >= 40_500_000_000_000n + fromSnapshot2 - 2n &&
      bobRevenue <= 40_500_000_000_000n + fromSnapshot2,
    `bob's revenue ${fmt(bobRevenue)}`,
  );
  const charlieRevenue = charlieShare.all - charlieShare.emission;
  assert.ok(
    charlieRevenue <= 40_500_000_000_000n - fromSnapshot2,
    `charlie's revenue ${fmt(charlieRevenue)}: nothing from snapshot 1`,
  );
  // Dave holds nothing: its withdrawn points earn nowhere.
  const daveShare = await pendingIn(dave, data, 2);
  assert.ok(!daveShare || daveShare.all === 0n, 'the rival earns nothing');
  console.log(
    `late contributors: bob ${fmt(bobRevenue)} (+ emission ${fmt(bobShare.emission)}), ` +
      `charlie (ten items after snapshot 1) ${fmt(charlieRevenue)}, dave (withdrew) 0`,
  );

  // Charlie withdraws its ten late items: snapshot 1 does not hold them, so Eve's first model
  // still takes jobs.
  for (const c of late) await ok(api.tx.datasets.withdrawConsent(c), charlie);
  const again = await ok(
    api.tx.compute.submitJob('Inference', v1, content('prompt'), LIN, 50n * LIN, head + 200),
    alice,
  );
  assert.ok(eventData(again, 'compute', 'JobSubmitted'));
  assert.equal(
    await submit(api, api.tx.rewards.claim(data, 2), dave).then((r) => r.error?.name),
    'rewards.NoPosition',
  );
});
