// A datanet on a real dev node: create, contribute single and batch items, review, snapshot,
// withdraw consent, take the clean snapshot after it and verify both with the CLI — checking
// events, storage, runtime-API answers and balances (deposits held and released) — and bad input
// refused with the pallet's error names.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsHex } from '@polkadot/util-crypto';
import { signer, submit, submitOk, eventData, heldBalance, freeBalance } from '../lib/api.js';
import { devNodeFixture, contentRef } from './helpers.js';
import { LIN } from '../lib/units.js';
import { verifySnapshot } from '../lib/snapshots.js';

const MILLI = LIN / 1000n;
const DATASET_DEPOSIT = 10n * LIN;
const RECORD_DEPOSIT = 10n * MILLI;
const REVIEW_DEPOSIT = 1n * LIN;

const alice = signer('//Alice');
const bob = signer('//Bob');
const charlie = signer('//Charlie');

let api;
devNodeFixture(before, after, (_node, a) => {
  api = a;
});

const ok = (tx, who) => submitOk(api, tx, who);
const event = (res, name) => eventData(res, 'datasets', name);
const held = (who, reason, at) => heldBalance(api, who, 'Datasets', reason, at);

const item = (n) => contentRef(n, 'item', 2048);
const full = { training: true, commercial: true };

test('a datanet from creation to consent withdrawal', async () => {
  const policy = {
    admission: 'Curated',
    contributionDeposit: REVIEW_DEPOSIT,
    rejectSlash: 300_000_000,
    minConsent: { training: true, commercial: false },
  };

  // Create: the dataset deposit is held from Alice.
  const aliceBefore = await freeBalance(api, alice.address);
  let res = await ok(api.tx.datasets.createDataset(item(200), 'CcBy', policy), alice);
  const dataset = event(res, 'DatasetCreated').dataset.toNumber();
  assert.equal(await held(alice.address, 'DatasetDeposit', res.blockHash), DATASET_DEPOSIT);
  assert.equal(
    await freeBalance(api, alice.address, res.blockHash),
    aliceBefore - DATASET_DEPOSIT - res.fee,
  );

  // Bob contributes one item; both deposits held.
  res = await ok(api.tx.datasets.contribute(dataset, item(1), 'Cc0', full), bob);
  const single = event(res, 'Contributed').contribution.toNumber();
  assert.equal(
    await held(bob.address, 'ContributionDeposit', res.blockHash),
    RECORD_DEPOSIT + REVIEW_DEPOSIT,
  );

  // Charlie contributes a batch of 10,000 items under one Merkle root.
  const root = '0x' + 'ab'.repeat(32);
  res = await ok(
    api.tx.datasets.contributeBatch(dataset, root, 10_000, 5n << 30n, 'ipfs://batch', 'Mit', full),
    charlie,
  );
  const batch = event(res, 'Contributed').contribution.toNumber();
  const stored = (await api.query.datasets.contributions(batch)).unwrap();
  assert.equal(stored.items.toNumber(), 10_000);
  assert.ok(stored.state.isPending);

  // Alice accepts both; review deposits are released, points awarded.
  const bobBeforeReview = await freeBalance(api, bob.address);
  res = await ok(api.tx.datasets.review(single, { Accept: { quality: 80 } }), alice);
  assert.equal(event(res, 'ContributionAccepted').points.toNumber(), 80);
  assert.equal(await held(bob.address, 'ContributionDeposit', res.blockHash), RECORD_DEPOSIT);
  assert.equal(
    await freeBalance(api, bob.address, res.blockHash),
    bobBeforeReview + REVIEW_DEPOSIT,
  );
  res = await ok(api.tx.datasets.review(batch, { Accept: { quality: 50 } }), alice);
  assert.equal(event(res, 'ContributionAccepted').points.toNumber(), 500_000);

  // Snapshot: the content root is the hash chain anyone can recompute.
  res = await ok(api.tx.datasets.snapshot(dataset), alice);
  const taken = event(res, 'SnapshotTaken');
  assert.equal(taken.version.toNumber(), 1);
  let expected = '0x' + '00'.repeat(32);
  for (const [id, hash, items] of [
    [single, item(1).hash, 1],
    [batch, root, 10_000],
  ]) {
    expected = blake2AsHex(
      api.createType('(H256, u64, H256, u32)', [expected, id, hash, items]).toU8a(),
      256,
    );
  }
  assert.equal(taken.contentRoot.toHex(), expected);
  const snap = (await api.query.datasets.snapshots(dataset, 1)).unwrap();
  assert.equal(snap.items.toNumber(), 10_001);
  assert.equal(snap.totalPoints.toNumber(), 500_080);

  // The runtime API answers without type definitions.
  const details = (await api.call.datasetsApi.dataset(dataset)).unwrap();
  assert.equal(details.info.owner.toString(), alice.address);
  assert.deepEqual(
    details.curators.map((c) => c.toString()),
    [alice.address],
  );
  assert.equal((await api.call.datasetsApi.points(dataset, charlie.address)).toNumber(), 500_000);
  const status = await api.call.datasetsApi.snapshotStatus({ dataset, version: 1 });
  assert.equal(status.unwrap().type, 'Active');
  const mine = await api.call.datasetsApi.accountContributions(bob.address, null, 10);
  assert.deepEqual(
    mine.map((c) => c.id.toNumber()),
    [single],
  );

  // Bob withdraws consent: his points go, snapshot 1 is marked withdrawn.
  res = await ok(api.tx.datasets.withdrawConsent(single), bob);
  const tainted = event(res, 'ConsentWithdrawn').tainted.unwrap();
  assert.deepEqual([tainted.from.toNumber(), tainted.through.toNumber()], [1, 1]);
  assert.equal((await api.call.datasetsApi.points(dataset, bob.address)).toNumber(), 0);
  const after = await api.call.datasetsApi.snapshotStatus({ dataset, version: 1 });
  assert.equal(after.unwrap().type, 'Withdrawn');

  // The next snapshot leaves Bob's item out and is clean; the CLI recomputes both roots.
  res = await ok(api.tx.datasets.snapshot(dataset), alice);
  assert.equal(event(res, 'SnapshotTaken').items.toNumber(), 10_000);
  const clean = await api.call.datasetsApi.snapshotStatus({ dataset, version: 2 });
  assert.equal(clean.unwrap().type, 'Active');
  for (const [version, holds] of [
    [1, [single, batch]],
    [2, [batch]],
  ]) {
    const check = await verifySnapshot(api, dataset, version);
    assert.ok(check.contentRootMatches && check.withdrawnRootMatches, JSON.stringify(check));
    assert.deepEqual(check.contributions, holds.map(String));
  }
  assert.equal((await verifySnapshot(api, dataset, 1)).contentRoot, expected);
});

test('bad input fails with the pallet error and changes nothing', async () => {
  const policy = {
    admission: 'Curated',
    contributionDeposit: LIN,
    rejectSlash: 0,
    minConsent: { training: false, commercial: false },
  };
  let res = await ok(api.tx.datasets.createDataset(item(201), 'CcBy', policy), charlie);
  const dataset = event(res, 'DatasetCreated').dataset.toNumber();
  res = await ok(api.tx.datasets.contribute(dataset, item(7), 'Cc0', full), bob);
  const contribution = event(res, 'Contributed').contribution.toNumber();

  res = await submit(api, api.tx.datasets.review(contribution, { Accept: { quality: 90 } }), bob);
  assert.equal(res.ok, false);
  assert.equal(res.error.name, 'datasets.NotCurator');
  assert.match(res.error.docs, /curator/);
  assert.ok((await api.query.datasets.contributions(contribution)).unwrap().state.isPending);

  const heldBefore = await held(alice.address, 'ContributionDeposit');
  res = await submit(api, api.tx.datasets.contribute(dataset, item(7), 'Cc0', full), alice);
  assert.equal(res.error?.name, 'datasets.DuplicateItem');
  assert.equal(await held(alice.address, 'ContributionDeposit', res.blockHash), heldBefore);

  res = await submit(api, api.tx.datasets.contribute(dataset, item(8), 'CcByNc', full), alice);
  assert.equal(res.error?.name, 'datasets.IncompatibleLicence');
});
