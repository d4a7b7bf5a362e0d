// Models on a real dev node: dataset → snapshot → model → version → fine-tuned child version →
// consent withdrawn → both versions report the taint through the ModelsApi runtime API. Checks
// deposits, events, attribution tables and lineage, and the licence rule that keeps
// non-commercial data out of a paid model.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signer, submit, submitOk, eventData, heldBalance } from '../lib/api.js';
import { devNodeFixture, contentRef } from './helpers.js';
import { LIN, PERBILL } from '../lib/units.js';

const alice = signer('//Alice');
const bob = signer('//Bob');
const charlie = signer('//Charlie');
const dave = signer('//Dave');

let api;
devNodeFixture(before, after, (_node, a) => {
  api = a;
});

const ok = (tx, who) => submitOk(api, tx, who);
const content = (n) => contentRef(n);
const open = {
  admission: 'Open',
  contributionDeposit: LIN,
  rejectSlash: 0,
  minConsent: { training: true, commercial: false },
};

/** A dataset of Alice under `licence` with one item of `contributor`, and its first snapshot. */
async function datasetWithSnapshot(n, licence, contributor, consent) {
  let res = await ok(api.tx.datasets.createDataset(content(n), licence, open), alice);
  const dataset = eventData(res, 'datasets', 'DatasetCreated').dataset.toNumber();
  res = await ok(
    api.tx.datasets.contribute(dataset, content(n + 1), licence, consent),
    contributor,
  );
  const contribution = eventData(res, 'datasets', 'Contributed').contribution.toNumber();
  await ok(api.tx.datasets.snapshot(dataset), alice);
  return { snapshot: { dataset, version: 1 }, contribution };
}

const only = (snapshot) => [{ snapshot, weight: PERBILL }];
const entries = (table) =>
  table.map((e) => [
    e.snapshot.dataset.toNumber(),
    e.snapshot.version.toNumber(),
    e.share.toNumber(),
  ]);

test('a model family is tainted when consent to its data is withdrawn', async () => {
  const full = { training: true, commercial: true };
  const base = await datasetWithSnapshot(10, 'Cc0', bob, full);
  const extra = await datasetWithSnapshot(20, 'CcBy', dave, full);

  // Charlie registers a model: 10 LIN held.
  let res = await ok(api.tx.models.registerModel(content(30), 'Apache2'), charlie);
  const model = eventData(res, 'models', 'ModelRegistered').model.toNumber();
  assert.equal(
    await heldBalance(api, charlie.address, 'Models', 'ModelDeposit', res.blockHash),
    10n * LIN,
  );

  // Version 1 on the base snapshot, sold at 1 LIN with half to the builder.
  res = await ok(
    api.tx.models.publishVersion(model, content(31), only(base.snapshot), null, 500_000_000, LIN),
    charlie,
  );
  const parent = eventData(res, 'models', 'VersionPublished').version.toNumber();
  assert.equal(
    await heldBalance(api, charlie.address, 'Models', 'VersionDeposit', res.blockHash),
    LIN,
  );
  let version = (await api.call.modelsApi.version(parent)).unwrap();
  assert.equal(version.owner.toString(), charlie.address);
  assert.equal(version.price.toBigInt(), LIN);
  assert.ok(version.taint.isNone);

  // Dave fine-tunes it on another dataset: 70% own data, 30% the parent's table.
  res = await ok(api.tx.models.registerModel(content(40), 'Mit'), dave);
  const tuned = eventData(res, 'models', 'ModelRegistered').model.toNumber();
  res = await ok(
    api.tx.models.publishVersion(
      tuned,
      content(41),
      only(extra.snapshot),
      parent,
      600_000_000,
      2n * LIN,
    ),
    dave,
  );
  const child = eventData(res, 'models', 'VersionPublished').version.toNumber();
  assert.deepEqual(entries(await api.call.modelsApi.attribution(child)), [
    [base.snapshot.dataset, 1, 300_000_000],
    [extra.snapshot.dataset, 1, 700_000_000],
  ]);
  const lineage = (await api.call.modelsApi.lineage(child)).unwrap();
  assert.deepEqual(
    lineage.nodes.map((n) => [n.version.toNumber(), n.model.toNumber()]),
    [
      [child, tuned],
      [parent, model],
    ],
  );
  assert.equal(lineage.nodes[1].inputs[0].snapshot.dataset.toNumber(), base.snapshot.dataset);
  const versions = await api.call.modelsApi.versions(model, null, 10);
  assert.deepEqual(
    versions.map((v) => v.id.toNumber()),
    [parent],
  );

  // Bob withdraws consent to his item in the base dataset: both versions are tainted.
  await ok(api.tx.datasets.withdrawConsent(base.contribution), bob);
  for (const id of [parent, child]) {
    const taint = (await api.call.modelsApi.taint(id)).unwrap();
    assert.ok(taint.isSnapshotWithdrawn, `version ${id} tainted`);
    assert.equal(taint.asSnapshotWithdrawn.dataset.toNumber(), base.snapshot.dataset);
    version = (await api.call.modelsApi.version(id)).unwrap();
    assert.ok(version.taint.unwrap().isSnapshotWithdrawn);
  }
  assert.ok((await api.call.modelsApi.lineage(child)).unwrap().taint.isSome);

  // The family takes no new fine-tune.
  res = await submit(
    api,
    api.tx.models.publishVersion(tuned, content(42), only(extra.snapshot), child, 0, 0),
    dave,
  );
  assert.equal(res.error?.name, 'models.TaintedParent');
  assert.match(res.error.docs, /tainted/);
});

test('non-commercial data trains a free research model and not a paid one', async () => {
  const research = { training: true, commercial: false };
  const nc = await datasetWithSnapshot(50, 'CcByNc', bob, research);
  let res = await ok(api.tx.models.registerModel(content(60), 'CcByNc'), charlie);
  const model = eventData(res, 'models', 'ModelRegistered').model.toNumber();

  res = await submit(
    api,
    api.tx.models.publishVersion(model, content(61), only(nc.snapshot), null, 0, LIN),
    charlie,
  );
  assert.equal(res.error?.name, 'models.CommercialUseForbidden');
  const before = (await api.query.models.nextVersionId()).toNumber();
  assert.equal((await api.query.models.versions(before)).isNone, true);

  res = await ok(
    api.tx.models.publishVersion(model, content(61), only(nc.snapshot), null, 0, 0),
    charlie,
  );
  const free = eventData(res, 'models', 'VersionPublished').version.toNumber();
  const version = (await api.call.modelsApi.version(free)).unwrap();
  assert.equal(version.commercialUse.isFalse, true);
  res = await submit(api, api.tx.models.setPrice(free, LIN), charlie);
  assert.equal(res.error?.name, 'models.CommercialUseForbidden');
});
