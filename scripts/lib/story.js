// The Lineage story on a dev chain, step by step, checking at each step what the chain says
// (events, balances, storage, runtime APIs) and collecting who was paid what and why:
//
// three contributors build a datanet (single items and a batch of texts, in a content store the
// story serves), a curator reviews, a snapshot is taken; a builder trains a model and a child on
// it with the reference workload and publishes both; users pay for inference jobs; a provider
// agent serves them and cheats once; a verifier agent re-executes the results, challenges the
// cheat and has the chain re-execute it, which slashes the provider with no vote; an era passes
// and everyone claims; a contributor withdraws consent and the model family is tainted and
// refuses new jobs; the next snapshot leaves the item out and is clean.
//
// It uses the dev accounts (//Alice … //Ferdie, and //Curator, //User1, //User2 funded by Alice)
// and refuses to run on a chain without the dev chain's sudo key.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { put, serve } from './content.js';
import { trainOnSnapshot } from './training.js';
import { serializeModel } from './workload.js';
import { ProviderAgent, VerifierAgent } from './agents.js';

/** The cast: name → role. */
export const CAST = {
  alice: ['//Alice', 'datanet owner (sudo on the dev chain)'],
  bob: ['//Bob', 'contributor (one item)'],
  charlie: ['//Charlie', 'contributor (a batch of 3 items)'],
  dave: ['//Dave', 'contributor (one item)'],
  curator: ['//Curator', 'curator of the datanet'],
  eve: ['//Eve', 'model builder (base model and child)'],
  ferdie: ['//Ferdie', 'compute provider (a provider agent that cheats once)'],
  user1: ['//User1', 'pays for inference on the child'],
  user2: ['//User2', 'pays for inference on the base; runs a verifier agent'],
};

/**
 * Plays the story on `api` (a dev chain) and returns the report: the cast, every payment with
 * its reason, each participant's balance change, the model's lineage tree and how long it took.
 * `log` receives a line per step. Throws (an assertion error) when the chain disagrees.
 */
export async function playStory(api, log = () => {}) {
  // The texts, models, prompts and outputs live in a content store the story serves.
  const work = await mkdtemp(join(tmpdir(), 'lineage-demo-'));
  const { server, url } = await serve({ store: join(work, 'store'), port: 0 });
  try {
    return await play(api, log, { work, store: join(work, 'store'), baseUrl: url });
  } finally {
    server.close();
    await rm(work, { recursive: true, force: true });
  }
}

async function play(api, log, files) {
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
  // Real content: `text` (or a directory of `texts`) put in the served store.
  const stored = async (label, text) => {
    const path = join(files.work, label);
    if (typeof text === 'string') await writeFile(path, text);
    else {
      await mkdir(path, { recursive: true });
      for (const [name, body] of Object.entries(text)) await writeFile(join(path, name), body);
    }
    const ref = await put(path, { store: files.store, baseUrl: files.baseUrl });
    return { hash: ref.hash, uri: ref.uri, bytes: ref.bytes };
  };
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
    stored,
    files,
    ok,
    held,
    payments,
    pay,
    nameOf,
    treasury,
    dataPot,
    total,
    agents: [],
  };
  try {
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
  } finally {
    for (const agent of s.agents) await agent.stop();
  }
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
  const { api, log, who, stored, ok, held, dataset } = s;
  log(
    '3. Bob and Dave contribute a text each, Charlie a batch of 3 texts, all in the content store (each holds a deposit)',
  );
  const full = { training: true, commercial: true };
  const [bobItem, daveItem, batch] = await Promise.all([
    stored('bob.txt', 'The cat sat on the mat. The cat ate the fish. The fish was fresh.'),
    stored('dave.txt', 'The dog sat on the log. A dog chased the cat up the tree.'),
    stored('charlie', {
      'a.txt': 'The bird sat on the fence and sang.',
      'b.txt': 'The cat watched the bird on the fence.',
      'c.txt': 'A fresh fish for the cat, a bone for the dog.',
    }),
  ]);
  const [bobRes, daveRes, charlieRes] = await Promise.all([
    ok(api.tx.datasets.contribute(dataset, bobItem, 'Cc0', full), who.bob),
    ok(api.tx.datasets.contribute(dataset, daveItem, 'CcBy', full), who.dave),
    ok(
      api.tx.datasets.contributeBatch(dataset, batch.hash, 3, batch.bytes, batch.uri, 'Cc0', full),
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
  const { api, log, who, stored, ok, baseModel, tunedModel, dataset, version, snapshot } = s;
  log(
    '6. Eve trains on snapshot v1 with the reference workload (every text fetched and checked) and publishes the base (bigrams; 2 LIN a job, 50% builder share) and a child of it (trigrams; 3 LIN, 60%)',
  );
  const artifact = async (order) =>
    stored(
      `model-${order}.json`,
      serializeModel(await trainOnSnapshot(api, dataset, version, { order })).toString('utf8'),
    );
  const [baseWeights, tunedWeights] = [await artifact(2), await artifact(3)];
  const inputs = [{ snapshot, weight: PERBILL }];
  let res = await ok(
    api.tx.models.publishVersion(baseModel, baseWeights, inputs, null, 500_000_000, 2n * LIN),
    who.eve,
  );
  const base = eventData(res, 'models', 'VersionPublished').version.toNumber();
  res = await ok(
    api.tx.models.publishVersion(tunedModel, tunedWeights, inputs, base, 600_000_000, 3n * LIN),
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
  const { api, log, who, stored, ok, held, base, child } = s;
  const [prompt1, prompt2] = await Promise.all([
    stored('prompt-1.txt', 'The cat'),
    stored('prompt-2.txt', 'A dog'),
  ]);
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  // One after the other: User1's job is job 0 on a fresh devnet, as the README's commands say
  // (two submitted at once may land in either order).
  const job1Res = await ok(
    api.tx.compute.submitJob('Inference', child, prompt1, 10n * LIN, 3n * LIN, head + 200),
    who.user1,
  );
  const job2Res = await ok(
    api.tx.compute.submitJob('Inference', base, prompt2, 10n * LIN, 2n * LIN, head + 200),
    who.user2,
  );
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

  Object.assign(s, { head, job1, job2, prompt2 });
}

/** The story's provider agent: the reference workload, except a made-up answer to one input. */
class CheatingProvider extends ProviderAgent {
  async compute(job, inputs) {
    const output = await super.compute(job, inputs);
    if (job.input.hash_.toHex() !== this.options.cheatOn) return output;
    return Buffer.from(
      output.toString('utf8').replace('"continuation":"', '"continuation":"garbage '),
    );
  }
}

/** 8. The agents: Ferdie's provider serves both jobs, cheating on job 2; User2 verifies. */
async function work(s) {
  const { api, log, who, files, held, job1, job2, prompt2 } = s;
  log(
    `8. Ferdie's provider agent accepts both jobs (15 LIN collateral each), fetches the prompts and models, runs them and delivers: job ${job1} honestly, job ${job2} with a made-up answer; User2's verifier agent re-executes every result`,
  );
  const bond = await held(who.ferdie, 'Compute', 'ProviderBond');
  const collateral = await held(who.ferdie, 'Compute', 'Collateral');
  const ours = new Set([job1, job2]);
  const options = { store: files.store, baseUrl: files.baseUrl, only: (id) => ours.has(id) };
  const provider = new CheatingProvider(api, who.ferdie, {
    ...options,
    kinds: ['Inference'],
    cheatOn: prompt2.hash,
    log: (line) => log(`   Ferdie's agent: ${line}`),
  });
  const verifier = new VerifierAgent(api, who.user2, {
    ...options,
    sample: 1,
    log: (line) => log(`   User2's verifier: ${line}`),
  });
  s.agents.push(provider, verifier);
  await provider.run();
  await verifier.run();
  const jobs = await until('both results', 120, async () => {
    const found = await Promise.all(
      [job1, job2].map(async (id) => (await api.call.computeApi.job(id)).unwrap()),
    );
    return found.every((j) => j.result.isSome) ? found : null;
  });
  for (const j of jobs) {
    assert.equal(j.provider.unwrap().toString(), who.ferdie.address);
    assert.equal(j.collateral.toBigInt(), 15n * LIN, 'collateral: 1.5 × the fee');
  }
  const resultBlock = jobs[0].steps.result.unwrap().toNumber();

  Object.assign(s, { bond, collateral, resultBlock });
}

/** 9. The cheat is challenged and the chain, re-executing the job, slashes. */
async function challengeAndRule(s) {
  const { api, log, who, held, pay, nameOf, treasury, job1, job2, bond, collateral } = s;
  log(
    `9. User2's verifier finds job ${job2}'s output differs from its re-execution, challenges it (a bond of the job's 12 LIN escrow) and hands the chain the model, prompt and output: the chain re-executes the job and finds the provider wrong, with no vote`,
  );
  const record2 = await until(`job ${job2} to be ruled on`, 120, async () => {
    const r = (await api.call.computeApi.job(job2)).unwrap();
    return r.state.isEnded ? r : null;
  });
  assert.equal(record2.state.asEnded.type, 'ChallengeUpheld');
  const challenge = record2.challenge.unwrap();
  assert.equal(challenge.challenger.toString(), who.user2.address);
  assert.equal(challenge.bond.toBigInt(), 12n * LIN, "the bond is the job's escrow");
  assert.equal(record2.ruling.unwrap().verdict.type, 'ProviderWrong');
  assert.ok(record2.ruling.unwrap().by.isReexecution, 'the record names the re-execution');
  // At the ruling, job 2's collateral is gone; job 1's is still held unless it settled first.
  const resolved = record2.steps.resolved.unwrap().toNumber();
  const ruledAt = await api.rpc.chain.getBlockHash(resolved);
  const record1 = (await api.call.computeApi.job(job1)).unwrap();
  const job1Running =
    record1.steps.ended.isNone || record1.steps.ended.unwrap().toNumber() > resolved;
  assert.equal(
    await held(who.ferdie, 'Compute', 'Collateral', ruledAt),
    collateral + (job1Running ? 15n * LIN : 0n),
    `job ${job2}'s collateral is gone`,
  );
  assert.equal(
    await held(who.ferdie, 'Compute', 'ProviderBond', ruledAt),
    bond - (job1Running ? 30n : 15n) * LIN,
    'the collaterals came out of the bond',
  );
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
  log(
    `10. User2's verifier re-executed job ${job1} and got the same output, so nobody challenges it: it settles by itself when its window closes`,
  );
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
  // The agents' work is done.
  for (const agent of s.agents.splice(0)) await agent.stop();

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
