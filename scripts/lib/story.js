// The Lineage story on a dev chain, step by step, checking at each step what the chain says
// (events, balances, storage, runtime APIs) and collecting who was paid what and why:
//
// three contributors build a datanet (single items and a batch), a curator reviews, a snapshot
// is taken; a builder publishes a model and a fine-tuned child; users pay for inference jobs; the
// provider cheats once, is challenged and slashed by the arbiter; an era passes and everyone
// claims; a contributor withdraws consent and the model family is tainted and refuses new jobs;
// the next snapshot leaves the item out and is clean.
//
// It uses the dev accounts (//Alice … //Ferdie, and //Curator, //User1, //User2 funded by Alice)
// and refuses to run on a chain without the dev chain's sudo key.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  signer,
  submitOk,
  submit,
  eventData,
  heldBalance,
  freeBalance,
  until,
  claimMatchesPending,
} from './api.js';
import { LIN, PERBILL, chainSs58, formatBalance } from './units.js';
import { verifySnapshot } from './snapshots.js';

/** The cast: name → role. */
export const CAST = {
  alice: ['//Alice', 'datanet owner; sudo, so the arbiter on the dev chain'],
  bob: ['//Bob', 'contributor (one item)'],
  charlie: ['//Charlie', 'contributor (a batch of 3 items)'],
  dave: ['//Dave', 'contributor (one item)'],
  curator: ['//Curator', 'curator of the datanet'],
  eve: ['//Eve', 'model builder (base model and fine-tuned child)'],
  ferdie: ['//Ferdie', 'compute provider'],
  user1: ['//User1', 'pays for inference on the child'],
  user2: ['//User2', 'pays for inference on the base; challenges the cheat'],
};

/**
 * Plays the story on `api` (a dev chain) and returns the report: the cast, every payment with
 * its reason, each participant's balance change, the model's lineage tree and how long it took.
 * `log` receives a line per step. Throws (an assertion error) when the chain disagrees.
 */
export async function playStory(api, log = () => {}) {
  const started = Date.now();
  const who = Object.fromEntries(
    Object.entries(CAST).map(([name, [suri]]) => [name, signer(suri, chainSs58(api))]),
  );
  const sudoKey = await api.query.sudo.key();
  assert.ok(
    sudoKey.isSome && sudoKey.unwrap().toString() === who.alice.address,
    'the story needs the dev chain (//Alice is sudo)',
  );

  const salt = randomBytes(4).toString('hex');
  let serial = 0;
  const content = (label) => ({
    hash: '0x' + salt + randomBytes(28).toString('hex'),
    uri: `ipfs://lineage-demo/${salt}/${label}-${serial++}`,
    bytes: 4096,
  });
  const ok = (tx, pair) => submitOk(api, tx, pair);
  const held = (pair, pallet, reason, at) => heldBalance(api, pair.address, pallet, reason, at);
  const payments = [];
  const pay = (name, amount, why) => payments.push({ who: name, amount: BigInt(amount), why });
  const nameOf = (address) => Object.keys(who).find((n) => who[n].address === address.toString());
  const treasury = api.consts.compute.treasury.toString();
  const dataPot = api.consts.compute.dataRevenueAccount.toString();

  const total = async (address, at) => {
    const q = at ? await api.at(at) : api;
    const { data } = await q.query.system.account(address);
    return data.free.toBigInt() + data.reserved.toBigInt();
  };

  // What every step reads; each step adds what later ones need.
  const s = {
    api,
    log,
    who,
    salt,
    content,
    ok,
    held,
    payments,
    pay,
    nameOf,
    treasury,
    dataPot,
    total,
  };
  await fund(s);
  await createDatanet(s);
  await contribute(s);
  await review(s);
  await takeSnapshot(s);
  await publishModels(s);
  await submitJobs(s);
  await work(s);
  await challengeAndRule(s);
  await settle(s);
  await endEra(s);
  await claim(s);
  await withdrawConsent(s);
  await cleanSnapshot(s);
  const {
    before,
    baseModel,
    tunedModel,
    dataset,
    version,
    base,
    child,
    job1,
    job2,
    era,
    refused,
    clean,
  } = s;
  const after = {};
  for (const name of Object.keys(who)) after[name] = await total(who[name].address);
  after.treasury = await total(treasury);
  after.dataPot = await total(dataPot);
  const finalLineage = (await api.call.modelsApi.lineage(child)).unwrap();

  return {
    seconds: Math.round((Date.now() - started) / 1000),
    ids: {
      dataset,
      snapshot: version,
      cleanSnapshot: clean.version,
      baseModel,
      tunedModel,
      base,
      child,
      job1,
      job2,
    },
    cast: Object.fromEntries(
      Object.entries(CAST).map(([name, [suri, role]]) => [
        name,
        { suri, address: who[name].address, role },
      ]),
    ),
    payments: payments.map((p) => ({ ...p, amount: p.amount.toString() })),
    balances: Object.keys(before).map((name) => ({
      who: name,
      before: before[name].toString(),
      after: after[name].toString(),
      change: (after[name] - before[name]).toString(),
    })),
    era: {
      ...era,
      fees: era.fees.toString(),
      minted: era.minted.toString(),
      heldBack: era.heldBack.toString(),
    },
    refused: refused.error,
    lineage: lineageJson(finalLineage, nameOf),
  };
}

/** 1. Funding, the two models and the provider (already registered when the story runs again). */
async function fund(s) {
  const { api, log, who, content, ok, held, treasury, dataPot, total } = s;
  log(
    '1. Alice funds the curator and two users; Eve registers two models; Ferdie bonds 200 LIN as a provider',
  );
  const fund = api.tx.utility.batchAll(
    [who.curator, who.user1, who.user2].map((p) =>
      api.tx.balances.transferKeepAlive(p.address, 1_000n * LIN),
    ),
  );
  const kinds = { training: true, fineTune: true, inference: true, evaluation: true };
  const registered = (await api.query.compute.providers(who.ferdie.address)).isSome;
  const user1Start = await freeBalance(api, who.user1.address);
  const [, modelsRes, providerRes] = await Promise.all([
    ok(fund, who.alice),
    ok(
      api.tx.utility.batchAll([
        api.tx.models.registerModel(content('base-card'), 'Apache2'),
        api.tx.models.registerModel(content('tuned-card'), 'Apache2'),
      ]),
      who.eve,
    ),
    registered
      ? null
      : ok(
          api.tx.compute.registerProvider(
            200n * LIN,
            'https://gpu.ferdie.example',
            kinds,
            who.ferdie.address,
            'eu-west',
          ),
          who.ferdie,
        ),
  ]);
  if (providerRes)
    assert.equal(
      await held(who.ferdie, 'Compute', 'ProviderBond', providerRes.blockHash),
      200n * LIN,
    );
  assert.equal(await freeBalance(api, who.user1.address), user1Start + 1_000n * LIN);
  const before = {};
  for (const name of Object.keys(who)) before[name] = await total(who[name].address);
  before.treasury = await total(treasury);
  before.dataPot = await total(dataPot);
  const [baseModel, tunedModel] = modelsRes.events
    .filter((e) => e.section === 'models' && e.method === 'ModelRegistered')
    .map((e) => e.data.model.toNumber());
  assert.ok(baseModel !== undefined && tunedModel !== undefined, 'two ModelRegistered events');

  Object.assign(s, { before, baseModel, tunedModel });
}

/** 2. The datanet, curated, with a curator. */
async function createDatanet(s) {
  const { api, log, who, content, ok } = s;
  log(
    '2. Alice creates a curated datanet (CC-BY, 1 LIN review deposit, 30% slashed on rejection) and adds a curator',
  );
  const policy = {
    admission: 'Curated',
    contributionDeposit: LIN,
    rejectSlash: 300_000_000,
    minConsent: { training: true, commercial: true },
  };
  let res = await ok(api.tx.datasets.createDataset(content('datanet'), 'CcBy', policy), who.alice);
  const dataset = eventData(res, 'datasets', 'DatasetCreated').dataset.toNumber();
  res = await ok(api.tx.datasets.addCurator(dataset, who.curator.address), who.alice);
  const details = (await api.call.datasetsApi.dataset(dataset)).unwrap();
  assert.equal(details.info.owner.toString(), who.alice.address);
  assert.ok(
    details.curators.some((c) => c.toString() === who.curator.address),
    'the curator is listed',
  );

  Object.assign(s, { dataset });
}

/** 3. Contributions: two single items and a batch. */
async function contribute(s) {
  const { api, log, who, salt, content, ok, held, dataset } = s;
  log('3. Bob and Dave contribute an item each, Charlie a batch of 3 items (each holds a deposit)');
  const full = { training: true, commercial: true };
  const batchRoot = '0x' + salt + randomBytes(28).toString('hex');
  const [bobRes, daveRes, charlieRes] = await Promise.all([
    ok(api.tx.datasets.contribute(dataset, content('bob-item'), 'Cc0', full), who.bob),
    ok(api.tx.datasets.contribute(dataset, content('dave-item'), 'CcBy', full), who.dave),
    ok(
      api.tx.datasets.contributeBatch(
        dataset,
        batchRoot,
        3,
        3n * 4096n,
        `ipfs://lineage-demo/${salt}/batch`,
        'Cc0',
        full,
      ),
      who.charlie,
    ),
  ]);
  const contribution = {
    bob: eventData(bobRes, 'datasets', 'Contributed').contribution.toNumber(),
    dave: eventData(daveRes, 'datasets', 'Contributed').contribution.toNumber(),
    charlie: eventData(charlieRes, 'datasets', 'Contributed').contribution.toNumber(),
  };
  for (const [name, id] of Object.entries(contribution)) {
    const stored = (await api.query.datasets.contributions(id)).unwrap();
    assert.ok(stored.state.isPending, `${name}'s contribution awaits review`);
    assert.ok(
      (await held(who[name], 'Datasets', 'ContributionDeposit')) >= LIN,
      `${name}'s deposit is held`,
    );
  }

  Object.assign(s, { contribution });
}

/** 4. Review. */
async function review(s) {
  const { api, log, who, ok, dataset, contribution } = s;
  log('4. The curator accepts all three (quality 80, 60 and 70 per item): points 80, 60, 210');
  const quality = { bob: 80, dave: 60, charlie: 70 };
  const res = await ok(
    api.tx.utility.batchAll(
      Object.entries(contribution).map(([name, id]) =>
        api.tx.datasets.review(id, { Accept: { quality: quality[name] } }),
      ),
    ),
    who.curator,
  );
  const accepted = res.events.filter(
    (e) => e.section === 'datasets' && e.method === 'ContributionAccepted',
  );
  assert.equal(accepted.length, 3);
  const points = {};
  for (const name of ['bob', 'dave', 'charlie'])
    points[name] = (await api.call.datasetsApi.points(dataset, who[name].address)).toNumber();
  assert.deepEqual(points, { bob: 80, dave: 60, charlie: 210 });
}

/** 5. Snapshot. */
async function takeSnapshot(s) {
  const { api, log, who, ok, dataset } = s;
  log('5. Alice takes snapshot v1 of the datanet (5 items, 350 points)');
  const res = await ok(api.tx.datasets.snapshot(dataset), who.alice);
  const version = eventData(res, 'datasets', 'SnapshotTaken').version.toNumber();
  const snapshot = { dataset, version };
  const snap = (await api.query.datasets.snapshots(dataset, version)).unwrap();
  assert.equal(snap.items.toNumber(), 5);
  assert.equal(snap.totalPoints.toNumber(), 350);
  assert.equal((await api.call.datasetsApi.snapshotStatus(snapshot)).unwrap().type, 'Active');

  Object.assign(s, { version, snapshot });
}

/** 6. Models. */
async function publishModels(s) {
  const { api, log, who, content, ok, baseModel, tunedModel, dataset, snapshot } = s;
  log(
    '6. Eve publishes the base (2 LIN a job, 50% builder share) and a fine-tuned child of it (3 LIN, 60%)',
  );
  const inputs = [{ snapshot, weight: PERBILL }];
  let res = await ok(
    api.tx.models.publishVersion(
      baseModel,
      content('base-weights'),
      inputs,
      null,
      500_000_000,
      2n * LIN,
    ),
    who.eve,
  );
  const base = eventData(res, 'models', 'VersionPublished').version.toNumber();
  res = await ok(
    api.tx.models.publishVersion(
      tunedModel,
      content('tuned-weights'),
      inputs,
      base,
      600_000_000,
      3n * LIN,
    ),
    who.eve,
  );
  const child = eventData(res, 'models', 'VersionPublished').version.toNumber();
  const lineage = (await api.call.modelsApi.lineage(child)).unwrap();
  assert.deepEqual(
    lineage.nodes.map((n) => n.version.toNumber()),
    [child, base],
  );
  assert.deepEqual(
    lineage.attribution.map((a) => [a.snapshot.dataset.toNumber(), a.share.toNumber()]),
    [[dataset, PERBILL]],
  );
  assert.ok(lineage.taint.isNone);

  Object.assign(s, { base, child });
}

/** 7. Jobs. */
async function submitJobs(s) {
  const { api, log, who, content, ok, held, base, child } = s;
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const [job1Res, job2Res] = await Promise.all([
    ok(
      api.tx.compute.submitJob(
        'Inference',
        child,
        content('prompt-1'),
        10n * LIN,
        3n * LIN,
        head + 200,
      ),
      who.user1,
    ),
    ok(
      api.tx.compute.submitJob(
        'Inference',
        base,
        content('prompt-2'),
        10n * LIN,
        2n * LIN,
        head + 200,
      ),
      who.user2,
    ),
  ]);
  const job1 = eventData(job1Res, 'compute', 'JobSubmitted').job.toNumber();
  const job2 = eventData(job2Res, 'compute', 'JobSubmitted').job.toNumber();
  log(
    `7. User1 pays for inference on the child (10 LIN fee): job ${job1}; User2 on the base (10 LIN fee): job ${job2}`,
  );
  assert.equal(
    await held(who.user1, 'Compute', 'Escrow', job1Res.blockHash),
    13n * LIN,
    'escrow: fee + child price',
  );
  assert.equal(
    await held(who.user2, 'Compute', 'Escrow', job2Res.blockHash),
    12n * LIN,
    'escrow: fee + base price',
  );

  Object.assign(s, { head, job1, job2 });
}

/** 8. The provider works: honestly on job 1, cheating on job 2. */
async function work(s) {
  const { api, log, who, content, ok, held, job1, job2 } = s;
  log(
    `8. Ferdie accepts both (15 LIN collateral each), answers job ${job1} honestly and job ${job2} with garbage`,
  );
  const bond = await held(who.ferdie, 'Compute', 'ProviderBond');
  const collateral = await held(who.ferdie, 'Compute', 'Collateral');
  let res = await ok(
    api.tx.utility.batchAll([api.tx.compute.acceptJob(job1), api.tx.compute.acceptJob(job2)]),
    who.ferdie,
  );
  assert.equal(
    await held(who.ferdie, 'Compute', 'Collateral', res.blockHash),
    collateral + 30n * LIN,
  );
  res = await ok(
    api.tx.utility.batchAll([
      api.tx.compute.submitResult(job1, content('answer-1')),
      api.tx.compute.submitResult(job2, content('garbage')),
    ]),
    who.ferdie,
  );
  const resultBlock = (await api.rpc.chain.getHeader(res.blockHash)).number.toNumber();

  Object.assign(s, { bond, collateral, resultBlock });
}

/** 9. The cheat is challenged and the arbiter slashes. */
async function challengeAndRule(s) {
  const { api, log, who, content, ok, held, pay, nameOf, treasury, job1, job2, bond, collateral } =
    s;
  log(
    `9. User2 challenges job ${job2} (a bond of the job's 12 LIN escrow); the arbiter (sudo) finds the provider wrong`,
  );
  let res = await ok(api.tx.compute.challenge(job2, content('evidence')), who.user2);
  assert.equal(await held(who.user2, 'Compute', 'ChallengeBond', res.blockHash), 12n * LIN);
  res = await ok(api.tx.sudo.sudo(api.tx.compute.resolve(job2, 'ProviderWrong')), who.alice);
  assert.ok(eventData(res, 'sudo', 'Sudid').sudoResult.isOk, 'the arbiter resolved');
  assert.equal(
    await held(who.ferdie, 'Compute', 'Collateral', res.blockHash),
    collateral + 15n * LIN,
    `job ${job2}'s collateral is gone, job ${job1}'s still held`,
  );
  assert.equal(
    await held(who.ferdie, 'Compute', 'ProviderBond', res.blockHash),
    bond - 30n * LIN,
    'both collaterals came out of the bond',
  );
  const record2 = (await api.call.computeApi.job(job2)).unwrap();
  assert.equal(record2.state.asEnded.type, 'ChallengeUpheld');
  assert.equal(record2.ruling.unwrap().verdict.type, 'ProviderWrong');
  assert.ok(record2.ruling.unwrap().by.isRoot, 'the record names who ruled');
  for (const p of record2.payouts) {
    const name = p.account.toString() === treasury ? 'treasury' : nameOf(p.account);
    const why = {
      Challenger: "half the cheating provider's collateral (job " + job2 + ')',
      Treasury: 'the other half of the slashed collateral',
      Requester: 'escrow refunded: the job was wrong',
    }[p.payee.type];
    pay(name, p.amount.toBigInt(), why);
  }
  assert.deepEqual(
    record2.payouts.map((p) => [p.payee.type, p.amount.toBigInt()]),
    [
      ['Challenger', 7_500_000_000_000n],
      ['Treasury', 7_500_000_000_000n],
      ['Requester', 12n * LIN],
    ],
  );
  pay('ferdie', -15n * LIN, 'collateral slashed for the wrong answer to job ' + job2);
}

/** 10. Job 1 settles by itself once its challenge window closes. */
async function settle(s) {
  const { api, log, pay, job1, resultBlock } = s;
  log(`10. Nobody challenges job ${job1}: it settles by itself when its window closes`);
  const settled = await until(`job ${job1} to settle`, 120, async () => {
    const r = (await api.call.computeApi.job(job1)).unwrap();
    return r.state.isEnded ? r : null;
  });
  assert.equal(settled.state.asEnded.type, 'Settled');
  assert.ok(settled.steps.ended.unwrap().toNumber() > resultBlock);
  const payoutSum = settled.payouts.reduce((s, p) => s + p.amount.toBigInt(), 0n);
  assert.equal(payoutSum, 13n * LIN, 'the whole escrow is paid out');
  const byPayee = Object.fromEntries(settled.payouts.map((p) => [p.payee.type, p]));
  assert.equal(byPayee.Provider.amount.toBigInt(), 9n * LIN, 'fee minus the 10% protocol fee');
  assert.equal(
    byPayee.ModelOwner.amount.toBigInt(),
    1_620_000_000_000n,
    '60% of the 2.7 LIN price net',
  );
  assert.equal(
    byPayee.Dataset.amount.toBigInt(),
    1_080_000_000_000n,
    '40% of the price net, to the datanet',
  );
  assert.equal(byPayee.Treasury.amount.toBigInt(), 1_300_000_000_000n, '10% of the escrow');
  pay('ferdie', 9n * LIN, `job ${job1} fee less the 10% protocol fee`);
  pay(
    'eve',
    byPayee.ModelOwner.amount.toBigInt(),
    `builder share (60%) of the child's 3 LIN price less protocol fee`,
  );
  pay(
    'treasury',
    byPayee.Treasury.amount.toBigInt(),
    'protocol fee: 10% of job ' + job1 + "'s whole escrow",
  );
  const settledEra = (await api.call.rewardsApi.era()).index.toNumber();

  Object.assign(s, { settledEra });
}

/** 11. The era ends and mints for the fees paid in it. */
async function endEra(s) {
  const { api, log, settledEra } = s;
  log('11. The era with the settled job ends; the chain mints for the fees users paid');
  const last = await until('the era to end', 120, async () => {
    const found = await api.call.rewardsApi.lastEra();
    return found.isSome && found.unwrap()[0].toNumber() >= settledEra ? found.unwrap() : null;
  });
  const summary = (await api.query.rewards.eras(settledEra)).unwrap();
  assert.ok(summary.fees.paid.toBigInt() >= 13n * LIN, `the era counted job ${s.job1}`);
  const [minted, cap] = await api.call.rewardsApi.supply();
  assert.ok(minted.toBigInt() > 0n && minted.toBigInt() <= cap.toBigInt());
  const heldBack = ['data', 'models', 'compute'].reduce(
    (sum, pool) => sum + summary.heldBack[pool].toBigInt(),
    0n,
  );
  const era = {
    index: settledEra,
    fees: summary.fees.paid.toBigInt(),
    alpha: summary.alpha.toNumber(),
    minted: summary.minted.toBigInt(),
    heldBack,
    bound: summary.bound.isSome ? summary.bound.unwrap().type : 'none',
    lastEnded: last[0].toNumber(),
  };

  Object.assign(s, { era });
}

/** 12. Everyone claims what RewardsApi says is pending. */
async function claim(s) {
  const { api, log, who, pay, dataset } = s;
  log('12. Contributors claim from the datanet, Eve and Ferdie claim their accounts');
  const claims = await Promise.all([
    ...['bob', 'dave', 'charlie'].map((name) =>
      claimMatchesPending(
        api,
        api.tx.rewards.claim(dataset, 1),
        who[name],
        (p) =>
          p.datasets
            .find(([d, first]) => d.toNumber() === dataset && first.toNumber() === 1)?.[2]
            .toBigInt() ?? 0n,
        'Claimed',
      ),
    ),
    claimMatchesPending(
      api,
      api.tx.rewards.claimAccount(),
      who.eve,
      (p) => p.account.toBigInt(),
      'AccountClaimed',
    ),
    claimMatchesPending(
      api,
      api.tx.rewards.claimAccount(),
      who.ferdie,
      (p) => p.account.toBigInt(),
      'AccountClaimed',
    ),
  ]);
  const [bobC, daveC, charlieC, eveC, ferdieC] = claims.map((c) => c.amount);
  // Contributors claiming in the same block share the datanet's revenue and emission by points
  // (80 : 60 : 210); each claim rounds down per accumulator, by a few plancks.
  if (new Set(claims.slice(0, 3).map((c) => c.blockHash)).size === 1) {
    assert.ok(close(bobC * 60n, daveC * 80n, 1_000_000n), 'bob : dave = 80 : 60');
    assert.ok(close(charlieC * 80n, bobC * 210n, 1_000_000n), 'charlie : bob = 210 : 80');
  }
  pay('bob', bobC, 'claim: datanet revenue and emission by points (80 of 350)');
  pay('dave', daveC, 'claim: datanet revenue and emission by points (60 of 350)');
  pay('charlie', charlieC, 'claim: datanet revenue and emission by points (210 of 350)');
  pay('eve', eveC, "claim: the model pool's emission for her models' usage");
  pay('ferdie', ferdieC, "claim: the compute pool's emission for fees earned");
}

/** 13. Consent withdrawn: the family is tainted and refuses jobs. */
async function withdrawConsent(s) {
  const { api, log, who, content, ok, held, contribution, snapshot, base, child, head } = s;
  log(
    '13. Bob withdraws consent: snapshot v1 is withdrawn, both models are tainted and refuse new jobs',
  );
  await ok(api.tx.datasets.withdrawConsent(contribution.bob), who.bob);
  assert.equal((await api.call.datasetsApi.snapshotStatus(snapshot)).unwrap().type, 'Withdrawn');
  for (const v of [base, child]) {
    const taint = await api.call.modelsApi.taint(v);
    assert.ok(taint.isSome && taint.unwrap().isSnapshotWithdrawn, `version ${v} is tainted`);
  }
  const user1Before = await freeBalance(api, who.user1.address);
  const refused = await submit(
    api,
    api.tx.compute.submitJob(
      'Inference',
      child,
      content('prompt-3'),
      10n * LIN,
      3n * LIN,
      head + 400,
    ),
    who.user1,
  );
  assert.equal(refused.ok, false);
  assert.equal(refused.error.name, 'compute.ModelTainted');
  assert.equal(
    await freeBalance(api, who.user1.address, refused.blockHash),
    user1Before - refused.fee,
    'only the fee was paid',
  );
  assert.equal(await held(who.user1, 'Compute', 'Escrow', refused.blockHash), 0n);

  Object.assign(s, { refused });
}

/** 14. The next snapshot leaves Bob's item out: the data is usable again. */
async function cleanSnapshot(s) {
  const { api, log, who, ok, dataset, contribution, snapshot } = s;
  log(
    "14. Alice snapshots again: v2 leaves Bob's item out, is clean, and its roots recompute from the records",
  );
  const res = await ok(api.tx.datasets.snapshot(dataset), who.alice);
  const clean = {
    dataset,
    version: eventData(res, 'datasets', 'SnapshotTaken').version.toNumber(),
  };
  assert.equal((await api.call.datasetsApi.snapshotStatus(clean)).unwrap().type, 'Active');
  assert.equal((await api.call.datasetsApi.snapshotStatus(snapshot)).unwrap().type, 'Withdrawn');
  const check = await verifySnapshot(api, dataset, clean.version);
  assert.ok(check.contentRootMatches && check.withdrawnRootMatches, 'both roots recompute');
  assert.ok(!check.contributions.includes(String(contribution.bob)), "Bob's item is left out");

  Object.assign(s, { clean });
}

/** |a − b| ≤ tolerance. */
function close(a, b, tolerance) {
  return (a > b ? a - b : b - a) <= tolerance;
}

function lineageJson(lineage, nameOf) {
  return {
    nodes: lineage.nodes.map((n) => ({
      version: n.version.toNumber(),
      model: n.model.toNumber(),
      publisher: nameOf(n.publisher) ?? n.publisher.toString(),
      parent: n.parent.isSome ? n.parent.unwrap().toNumber() : null,
      inputs: n.inputs.map((i) => ({
        dataset: i.snapshot.dataset.toNumber(),
        version: i.snapshot.version.toNumber(),
        weight: i.weight.toNumber(),
      })),
    })),
    attribution: lineage.attribution.map((a) => ({
      dataset: a.snapshot.dataset.toNumber(),
      version: a.snapshot.version.toNumber(),
      share: a.share.toNumber(),
    })),
    taint: lineage.taint.isSome ? lineage.taint.unwrap().toJSON() : null,
  };
}

const pct = (parts) => `${(parts / 10_000_000).toFixed(parts % 10_000_000 ? 2 : 0)}%`;

/** The chain's own accounts as the report names them, and as people read them. */
const CHAIN_ACCOUNTS = {
  treasury: ['Treasury', 'protocol fees and slashes'],
  dataPot: ['Data-revenue pot', "datanets' revenue until contributors claim it"],
};

/**
 * The report as text: who was paid what and why, balance changes, and the lineage tree. Amounts
 * have the token's unit, thousands separators and 4 decimals (every decimal with `exact`).
 */
export function formatReport(report, { decimals = 12, symbol = 'LIN', exact = false } = {}) {
  const lin = (x) => formatBalance(BigInt(x), decimals, symbol, { exact });
  const named = (who) => CHAIN_ACCOUNTS[who]?.[0] ?? who;
  const lines = [`The story took ${report.seconds} s.`, '', 'Who was paid what, and why:'];
  const rows = report.payments.map((p) => [named(p.who), lin(p.amount), p.why]);
  const w0 = Math.max(...rows.map((r) => r[0].length), 3);
  const w1 = Math.max(...rows.map((r) => r[1].length), 6);
  lines.push(`  ${'who'.padEnd(w0)}  ${'amount'.padStart(w1)}  why`);
  for (const [a, b, c] of rows) lines.push(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
  lines.push('', 'Balance changes over the story (free + held, fees and deposits included):');
  const changes = report.balances.map((b) => [
    named(b.who),
    lin(b.change),
    report.cast[b.who]?.role ?? CHAIN_ACCOUNTS[b.who]?.[1] ?? '',
  ]);
  const n0 = Math.max(...changes.map((r) => r[0].length));
  const n1 = Math.max(...changes.map((r) => r[1].length));
  for (const [a, b, c] of changes) lines.push(`  ${a.padEnd(n0)}  ${b.padStart(n1)}  ${c}`);
  lines.push(
    '',
    `Era ${report.era.index}: fees paid ${lin(report.era.fees)}, matched at ${pct(report.era.alpha)}, minted ${lin(report.era.minted)} (bound by ${report.era.bound}).`,
  );
  if (BigInt(report.era.heldBack) > 0n) {
    lines.push(
      `  The pool rate cap held back ${lin(report.era.heldBack)}: no pool earns more than ${pct(report.era.alpha)} of its own fees,`,
    );
    lines.push(
      '  so nobody earns more emission than that share of the revenue it was paid, and buying from yourself never pays.',
    );
  }
  lines.push('', `Lineage of model version ${report.ids.child}:`);
  report.lineage.nodes.forEach((n, depth) => {
    const pad = '  '.repeat(depth + 1);
    const inputs = n.inputs
      .map((i) => `datanet ${i.dataset} snapshot v${i.version} (${pct(i.weight)})`)
      .join(', ');
    lines.push(
      `${pad}${depth ? '└─ parent: ' : ''}version ${n.version} of model ${n.model}, by ${n.publisher}; trained on ${inputs}`,
    );
  });
  lines.push(
    `  attribution: ${report.lineage.attribution.map((a) => `datanet ${a.dataset} v${a.version} ${pct(a.share)}`).join(', ')}`,
  );
  lines.push(`  taint: ${report.lineage.taint ? JSON.stringify(report.lineage.taint) : 'none'}`);
  lines.push(`  a new job on it: refused with ${report.refused.name} (${report.refused.docs})`);
  return lines.join('\n');
}
