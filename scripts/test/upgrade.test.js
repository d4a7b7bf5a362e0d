// A runtime upgrade of a running `local` network through a referendum, with no sudo. The four
// validators start on a previous release's runtime (spec 108, kept in fixtures/) with datasets
// made on it; a root referendum authorizes the hash of this build's runtime, anyone applies the
// code, and the next blocks run the multi-block migrations that index the datasets' owners and
// their accepted contributions in acceptance order, and add the withdrawal grace (storage version
// 0 → 1 → 2 → 3), and keep rewards by snapshot (rewards 0 → 1). The dataset records are the same
// before and after but for the grace, every dataset is found under its owner, blocks keep
// finalizing on all four validators, and the CLI still works.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, decodeAddress } from '@polkadot/util-crypto';
import { connect, signer, submitOk, eventData, preimageLookup, until } from '../lib/api.js';
import { localNetwork } from '../lib/network.js';
import { nodeBinary, repoRoot, tempDir } from '../lib/node.js';
import { LIN } from '../lib/units.js';
import { openDatabase } from '../indexer/db.js';

const PREVIOUS = join(
  repoRoot,
  'scripts/test/fixtures/lineage-runtime-108.compact.compressed.wasm',
);
// This build's spec version: what the chain runs after the upgrade.
const SPEC = Number(
  readFileSync(join(repoRoot, 'runtime/src/lib.rs'), 'utf8').match(/spec_version: (\d+),/)[1],
);
const voters = [
  '//Alice',
  '//Bob',
  '//Charlie',
  '//Dave',
  '//Eve',
  '//Ferdie',
  '//Alice//stash',
  '//Bob//stash',
].map((suri) => signer(suri));
const [alice, bob] = voters;

let net;
let api;
let newCode;

before(async () => {
  // The `local` chain spec of this build, its genesis code swapped for the previous release's.
  const spec = JSON.parse(
    execFileSync(nodeBinary(), ['build-spec', '--chain', 'local'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
  newCode = spec.genesis.runtimeGenesis.code;
  spec.genesis.runtimeGenesis.code = '0x' + readFileSync(PREVIOUS).toString('hex');
  const path = join(tempDir('lineage-upgrade-'), 'spec.json');
  writeFileSync(path, JSON.stringify(spec));
  net = await localNetwork({ chain: path });
  await Promise.all(net.nodes.map((n) => n.start()));
  api = await connect(net.nodes[0].wsUrl);
});

after(async () => {
  await api?.disconnect();
  await Promise.all((net?.nodes ?? []).map((n) => n.stop()));
});

const ok = (tx, who) => submitOk(api, tx, who);

const dataset = (n) =>
  api.tx.datasets.createDataset(
    { hash: '0x' + n.toString(16).padStart(2, '0').repeat(32), uri: 'ipfs://before', bytes: 1 },
    'Cc0',
    {
      admission: 'Open',
      contributionDeposit: LIN,
      rejectSlash: 0,
      minConsent: { training: true, commercial: true },
    },
  );

/**
 * Signs and submits `tx` as `pair` and resolves with the hash of the block that includes it,
 * decoding nothing of that block.
 */
async function included(client, tx, pair) {
  await tx.signAsync(pair);
  return new Promise((resolve, reject) => {
    let unsub;
    client.rpc.author
      .submitAndWatchExtrinsic(tx, (status) => {
        if (status.isInBlock) {
          unsub?.();
          resolve(status.asInBlock.toHex());
        } else if (status.isInvalid || status.isDropped || status.isUsurped) {
          unsub?.();
          reject(new Error(`transaction ${status.type}`));
        }
      })
      .then((u) => {
        unsub = u;
      })
      .catch(reject);
  });
}

/** The dataset records, as JSON keyed by id. */
async function records(at) {
  const entries = await (await api.at(at)).query.datasets.datasets.entries();
  return Object.fromEntries(entries.map(([k, v]) => [k.args[0].toString(), v.toJSON()]));
}

test('a referendum upgrades the runtime and its migrations keep every dataset', async () => {
  await net.nodes[0].waitFinalized(1, 180_000);
  let version = await api.rpc.state.getRuntimeVersion();
  assert.equal(version.specVersion.toNumber(), 108);

  // Made on spec 108: two datasets of Alice's, one of Bob's.
  await ok(dataset(1), alice);
  await ok(dataset(2), bob);
  const last = await ok(dataset(3), alice);
  const before = await records(last.blockHash);
  assert.equal(Object.keys(before).length, 3);
  assert.equal(api.call.datasetsApi.ownedDatasets, undefined, 'spec 108 has no owner index');

  // A root referendum authorizes the new code's hash; eight holders vote 900,000 LIN each,
  // over the 50% support the root track asks for at first.
  const hash = blake2AsHex(newCode, 256);
  const call = api.tx.system.authorizeUpgrade(hash);
  await ok(api.tx.preimage.notePreimage(call.method.toHex()), alice);
  const res = await ok(
    api.tx.referenda.submit({ system: 'Root' }, preimageLookup(call), { After: 0 }),
    alice,
  );
  const index = eventData(res, 'referenda', 'Submitted').index.toNumber();
  await ok(api.tx.referenda.placeDecisionDeposit(index), bob);
  await Promise.all(
    voters.map((voter) =>
      ok(
        api.tx.convictionVoting.vote(index, {
          Standard: { vote: { aye: true, conviction: 'Locked1x' }, balance: 900_000n * LIN },
        }),
        voter,
      ),
    ),
  );
  const authorized = await until('the upgrade is authorized', 300, async () => {
    const pending = await api.query.system.authorizedUpgrade();
    return pending.isSome && pending.unwrap();
  });
  assert.equal(authorized.codeHash.toHex(), hash);

  // Anyone may apply authorized code; it pays no fee. A client that follows the chain swaps its
  // metadata when the new runtime starts, which may be while it decodes the events of the very
  // block that set the code (written by the old runtime); so this waits for inclusion alone and
  // reads that block's events afterwards through a client opened on the new runtime.
  const appliedIn = await included(api, api.tx.system.applyAuthorizedUpgrade(newCode), bob);
  const upgradedAt = (await api.rpc.chain.getHeader(appliedIn)).number.toNumber();
  await until(`spec ${SPEC} runs`, 60, async () => {
    version = await api.rpc.state.getRuntimeVersion();
    return version.specVersion.toNumber() === SPEC;
  });

  // A fresh client, opened on the new runtime, sees the new API.
  const fresh = await connect(net.nodes[1].wsUrl);
  try {
    // `at` decodes a block with the metadata of the runtime that built it: here spec 108's.
    const events = (await (await fresh.at(appliedIn)).query.system.events()).map((r) => r.event);
    const names = events.map((e) => `${e.section}.${e.method}`);
    assert.ok(names.includes('system.CodeUpdated'), `events: ${names.join(', ')}`);
    assert.ok(!names.includes('system.ExtrinsicFailed'), `events: ${names.join(', ')}`);
    await until(`the first block on spec ${SPEC}`, 60, async () => {
      const head = await fresh.rpc.chain.getHeader();
      return head.number.toNumber() > upgradedAt;
    });
    // The new runtime's first block starts the multi-block migrations; blocks carry them (and
    // no transactions) until `UpgradeCompleted`, after which the cursor is empty.
    const head = await until('the migrations are done', 120, async () => {
      const hash = await fresh.rpc.chain.getFinalizedHead();
      const at = await fresh.at(hash);
      if ((await at.query.system.number()).toNumber() <= upgradedAt) return false;
      return (await at.query.multiBlockMigrations.cursor()).isNone && hash;
    });
    let completed = false;
    for (let n = upgradedAt + 1; !completed; n += 1) {
      const at = await fresh.at(await fresh.rpc.chain.getBlockHash(n));
      const names = (await at.query.system.events()).map(
        (r) => `${r.event.section}.${r.event.method}`,
      );
      completed = names.includes('multiBlockMigrations.UpgradeCompleted');
      assert.ok(
        !names.includes('multiBlockMigrations.UpgradeFailed'),
        `events: ${names.join(', ')}`,
      );
    }
    // Datasets: owners indexed (1), acceptance order (2), the withdrawal grace (3); rewards by
    // snapshot (rewards 1).
    const done = await fresh.at(head);
    assert.equal((await done.query.datasets.palletVersion()).toNumber(), 3);
    assert.equal((await done.query.rewards.palletVersion()).toNumber(), 1);
    const owned = async (who) =>
      (await fresh.call.datasetsApi.ownedDatasets(who.address, null, 10))
        .map((d) => d.id.toNumber())
        .sort();
    assert.deepEqual(await owned(alice), [0, 2]);
    assert.deepEqual(await owned(bob), [1]);
    const entries = await (await fresh.at(head)).query.datasets.datasets.entries();
    const after = Object.fromEntries(entries.map(([k, v]) => [k.args[0].toString(), v.toJSON()]));
    // The same records, each policy with a withdrawal grace of 0 (a withdrawal reaches models
    // at once, as before).
    const graced = Object.fromEntries(
      Object.entries(before).map(([id, d]) => [
        id,
        { ...d, policy: { ...d.policy, withdrawalGrace: 0 } },
      ]),
    );
    assert.deepEqual(after, graced, 'the dataset records are unchanged but for the grace');
  } finally {
    await fresh.disconnect();
  }

  // Every validator finalizes past the upgrade and agrees on the chain.
  const target = upgradedAt + 3;
  await Promise.all(net.nodes.map((n) => n.waitFinalized(target, 120_000)));
  const hashes = await Promise.all(net.nodes.map((n) => n.blockHash(target)));
  assert.equal(new Set(hashes).size, 1);

  // The CLI works against the upgraded chain, new query included.
  const cli = (...args) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [join(repoRoot, 'scripts/cli/lineage.js'), ...args, '--ws', net.nodes[2].wsUrl, '--json'],
        { encoding: 'utf8' },
      ),
    );
  const status = cli('chain', 'status');
  assert.equal(status.runtime, `lineage/${SPEC}`);
  const listed = cli('datasets', 'owned-datasets', bob.address, 'null', '10');
  assert.deepEqual(
    listed.map((d) => d.id),
    [1],
  );

  // The indexer reads the whole chain, each block's events with the metadata of the runtime
  // that wrote them: the datasets made on spec 108, then blocks of this build's runtime.
  const db = join(tempDir('lineage-upgrade-indexer-'), 'db');
  execFileSync(
    process.execPath,
    [
      join(repoRoot, 'scripts/cli/lineage.js'),
      'indexer',
      '--ws',
      net.nodes[3].wsUrl,
      '--db',
      db,
      '--once',
    ],
    { stdio: 'ignore' },
  );
  const history = await openDatabase({ dir: db });
  try {
    const specs = await history.query(
      'SELECT spec_version, count(*)::INT AS n, min(number) AS first FROM blocks GROUP BY spec_version ORDER BY spec_version',
    );
    assert.deepEqual(
      specs.map((r) => r.spec_version),
      [108, SPEC],
      'blocks of both runtimes indexed',
    );
    assert.equal(specs[1].first, upgradedAt + 1, 'the new runtime from the block after the code');
    const created = await history.query(
      "SELECT data FROM events WHERE section = 'datasets' AND method = 'DatasetCreated' ORDER BY block, idx",
    );
    assert.deepEqual(
      created.map((r) => [r.data.dataset, u8aToHex(decodeAddress(r.data.owner))]),
      [alice, bob, alice].map((who, id) => [id, u8aToHex(who.publicKey)]),
      'the datasets made on spec 108, decoded by their fields',
    );
  } finally {
    await history.close();
  }
});
