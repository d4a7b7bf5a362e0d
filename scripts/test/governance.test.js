// Governance on a real dev node, with no sudo: a preimage and a referendum on the admin track
// change a Lineage parameter; the decision deposit is placed, Alice votes with conviction, and
// the new parameter version is in force after enactment. The Council and Treasury are there
// for clients with no type definitions.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signer, submitOk, eventData, preimageLookup, heldBalance } from '../lib/api.js';
import { devNodeFixture } from './helpers.js';
import { LIN } from '../lib/units.js';
import { sleep } from '../lib/node.js';

const alice = signer('//Alice');
const bob = signer('//Bob');

let api;
devNodeFixture(before, after, (_node, a) => {
  api = a;
});

const ok = (tx, who) => submitOk(api, tx, who);

test('a referendum on the admin track changes a Lineage parameter', async () => {
  const current = await api.call.parametersApi.parameters();
  assert.equal(current.version.toNumber(), 0);
  const params = current.params.toJSON();
  params.emission.alpha = 40_000_000; // 4%
  params.datasets.datasetDeposit = (20n * LIN).toString();
  const call = api.tx.lineageParams.setParameters(params);
  const proposal = preimageLookup(call);

  // The preimage, then the referendum dispatching as LineageAdmin.
  let res = await ok(api.tx.preimage.notePreimage(call.method.toHex()), alice);
  assert.equal(eventData(res, 'preimage', 'Noted').hash_.toHex(), proposal.Lookup.hash);
  res = await ok(
    api.tx.referenda.submit({ Origins: 'LineageAdmin' }, proposal, { After: 0 }),
    alice,
  );
  const submitted = eventData(res, 'referenda', 'Submitted');
  const index = submitted.index.toNumber();
  assert.equal(submitted.track.toNumber(), 10, 'the admin track');
  await ok(api.tx.referenda.placeDecisionDeposit(index), bob);
  res = await ok(
    api.tx.convictionVoting.vote(index, {
      Standard: { vote: { aye: true, conviction: 'Locked1x' }, balance: 900_000n * LIN },
    }),
    alice,
  );

  // Enactment: the new version is in force.
  let version;
  for (let i = 0; i < 60; i++) {
    version = await api.call.parametersApi.parameters();
    if (version.version.toNumber() === 1) break;
    await sleep(2000);
  }
  assert.equal(version.version.toNumber(), 1, 'the parameters changed');
  assert.equal(version.params.emission.alpha.toNumber(), 40_000_000);
  assert.equal(version.params.datasets.datasetDeposit.toBigInt(), 20n * LIN);
  const info = (await api.query.referenda.referendumInfoFor(index)).unwrap();
  assert.ok(info.isApproved);
  const history = (await api.call.parametersApi.parametersAt(0)).unwrap();
  assert.equal(history.params.emission.alpha.toNumber(), 50_000_000);

  // The datasets pallet holds the new deposit at once.
  res = await ok(
    api.tx.datasets.createDataset(
      { hash: '0x' + '77'.repeat(32), uri: 'ipfs://governed', bytes: 1 },
      'Cc0',
      {
        admission: 'Open',
        contributionDeposit: 0,
        rejectSlash: 0,
        minConsent: { training: false, commercial: false },
      },
    ),
    bob,
  );
  assert.equal(
    await heldBalance(api, bob.address, 'Datasets', 'DatasetDeposit', res.blockHash),
    20n * LIN,
  );

  // Alice's vote is locked by conviction.
  const locks = await api.query.balances.locks(alice.address);
  assert.ok(locks.some((l) => l.amount.toBigInt() === 900_000n * LIN));
});

test('the Council and the Treasury are visible without type definitions', async () => {
  const members = (await api.query.council.members()).map((m) => m.toString());
  assert.deepEqual(
    [...members].sort(),
    [alice.address, bob.address, signer('//Charlie').address].sort(),
  );
  assert.deepEqual(
    (await api.query.councilMembership.members()).map((m) => m.toString()),
    members,
  );
  assert.equal((await api.query.treasury.spendCount()).toNumber(), 0);
  const tracks = api.consts.referenda.tracks.map(([id, info]) => [
    id.toNumber(),
    Buffer.from(info.name.toU8a(true)).toString().replace(/\0+$/, ''),
  ]);
  assert.deepEqual(tracks, [
    [0, 'root'],
    [10, 'admin'],
    [20, 'referendum_canceller'],
  ]);
});
