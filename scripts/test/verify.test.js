// `lineage verify`: the answers of the full-node verbs, proven by an embedded light client, and
// a lying RPC node that fools the plain client but not the light one.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import { connect, signer } from '../lib/api.js';
import { LineageNode, chainSpecWith, freePort, peerId, tempDir } from '../lib/node.js';
import { playStory } from '../lib/story.js';
import { PROVEN, lyingProxy, npxLineage, provenSection as section, scripts } from './helpers.js';

const NODE_KEY = '0000000000000000000000000000000000000000000000000000000000000001';

let node;
let api;
let specPath;
let story;

/** `npx lineage …` against the test's node (or `ws`). */
const lineage = (args, ws = node.wsUrl, env = {}) => npxLineage(args, { LINEAGE_WS: ws, ...env });

before(async () => {
  node = await new LineageNode({ name: 'Dev', args: ['--dev', '--node-key', NODE_KEY] }).start();
  // The chain spec a light client starts from: the dev chain's, naming the node as boot node.
  specPath = join(tempDir('lineage-spec-'), 'chain-spec.json');
  writeFileSync(specPath, chainSpecWith('dev', node.bootNodes(peerId(NODE_KEY))));
  api = await connect(node.wsUrl);
  story = await playStory(api);
  // The full node answers at its best block, the light client at the finalized one: wait until
  // they are the same block.
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  await node.waitFinalized(best + 1, 120_000);
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

/** The full-node verbs each verify subject proves, for argument `arg`. */
const FULL = {
  job: (arg) => [['compute', 'job', arg]],
  model: (arg) => [
    ['models', 'version', arg],
    ['models', 'attribution', arg],
    ['models', 'taint', arg],
  ],
  payouts: (arg) => [
    ['rewards', 'pending', arg],
    ['chain', 'balances', arg],
  ],
};

test("the README's verify commands print what the full node answers, proven at a finalized block", async () => {
  const readme = readFileSync(join(scripts, '..', 'README.md'), 'utf8');
  const block = readme.split('<!-- lineage-verify -->')[1].split('```')[1];
  const commands = block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('npx lineage verify'));
  assert.equal(commands.length, 3);
  // After the story, as after `lineage demo` on a fresh devnet: the README's ids are its records.
  const [job, model, payee] = commands.map((c) => c.split(' ')[4]);
  assert.deepEqual(
    [Number(job), Number(model), payee],
    [story.ids.job1, story.ids.child, story.cast.bob.address],
  );
  for (const command of commands) {
    // As typed, the chain spec where the devnet script leaves it (here, the test's).
    const [, , , subject, arg] = command.split(' ');
    const proven = await lineage(command.split(' ').slice(2), node.wsUrl, {
      LINEAGE_CHAIN_SPEC: specPath,
    });
    assert.equal(proven.code, 0, proven.stderr);
    assert.match(proven.stdout, PROVEN);
    // How long a cold light client took to its first verified answer, as it reports it.
    console.log(`# ${subject} ${arg}: ${proven.stdout.match(/synced from .* in [\d.]+ s/)[0]}`);
    for (const verb of FULL[subject](arg)) {
      const full = await lineage(verb);
      assert.equal(full.code, 0, full.stderr);
      assert.equal(section(proven.stdout, `lineage ${verb.join(' ')}`), full.stdout);
    }
  }
});

test('a light client restarted from its saved database answers the same', async () => {
  const database = join(tempDir('lineage-light-'), 'database.json');
  const args = ['verify', 'job', String(story.ids.job1), '--chain-spec', specPath];
  const cold = await lineage([...args, '--database', database]);
  assert.equal(cold.code, 0, cold.stderr);
  assert.doesNotMatch(cold.stdout, /saved database/);
  const warm = await lineage([...args, '--database', database]);
  assert.equal(warm.code, 0, warm.stderr);
  assert.match(warm.stdout, /synced from .* and a saved database in [\d.]+ s/);
  const answer = (out) => section(out, `lineage compute job ${story.ids.job1}`);
  assert.equal(answer(warm.stdout), answer(cold.stdout));
  for (const [run, out] of [
    ['cold', cold.stdout],
    ['from the saved database', warm.stdout],
  ])
    console.log(`# ${run}: ${out.match(/ in ([\d.]+ s);/)[1]} to the first verified answer`);
});

test('a verify command that cannot reach a peer says so and answers nothing', async () => {
  const lonely = join(tempDir('lineage-spec-'), 'chain-spec.json');
  const nobody = `/ip4/127.0.0.1/tcp/${await freePort()}/p2p/${peerId(NODE_KEY)}`;
  writeFileSync(lonely, chainSpecWith('dev', [nobody]));
  const res = await lineage(['verify', 'job', '1', '--chain-spec', lonely, '--timeout', '5']);
  assert.equal(res.code, 1);
  assert.equal(res.stdout, '');
  assert.match(res.stderr, /^error: no verified answer: the light client found no peer/);
  const missing = join(tempDir('lineage-spec-'), 'none.json');
  const none = await lineage(['verify', 'job', '1'], node.wsUrl, { LINEAGE_CHAIN_SPEC: missing });
  assert.equal(none.code, 2);
  assert.equal(none.stderr, `error: --chain-spec ${missing}: no such file\n`);
  const typo = await lineage(['verify', 'job', 'one', '--chain-spec', specPath]);
  assert.equal(typo.code, 2);
  assert.equal(typo.stderr, 'error: JOB is a number, not "one"\n');
  const stranger = await lineage(['verify', 'payouts', 'alice', '--chain-spec', specPath]);
  assert.equal(stranger.code, 2);
  assert.match(stranger.stderr, /"alice" is not an account/);
});

const hexLe = (codec) => u8aToHex(codec.toU8a()).slice(2);

test('a lying RPC node fools the plain client, never the light client', async () => {
  const { job1, child } = story.ids;
  const job = (await api.call.computeApi.job(job1)).unwrap();
  const provider = job.provider.unwrap().toString();
  const mallory = signer('//Mallory').address;
  const [{ share }] = await api.call.modelsApi.attribution(child);
  const forgedShare = api.createType('Perbill', 999_000_000);
  const payee = provider;
  const { data } = await api.query.system.account(payee);
  const forgedFree = api.createType('u128', data.free.toBigInt() + 1_000_000_000_000_000n);
  const proxy = await lyingProxy(node.wsUrl, {
    ComputeApi_job: [
      [u8aToHex(decodeAddress(provider)).slice(2), u8aToHex(decodeAddress(mallory)).slice(2)],
    ],
    ModelsApi_attribution: [[hexLe(share), hexLe(forgedShare)]],
    storage: [[hexLe(data.free), hexLe(forgedFree)]],
  });
  try {
    // The plain client believes the node it asked.
    const fooledJob = await lineage(['compute', 'job', String(job1)], proxy.url);
    assert.match(fooledJob.stdout, new RegExp(mallory));
    assert.doesNotMatch(fooledJob.stdout, new RegExp(provider));
    const fooledModel = await lineage(['models', 'attribution', String(child)], proxy.url);
    assert.match(fooledModel.stdout, /99\.9/);
    const fooledPay = await lineage(['chain', 'balances', payee], proxy.url);
    const honestPay = await lineage(['chain', 'balances', payee]);
    assert.notEqual(fooledPay.stdout, honestPay.stdout);

    // The light client, told the same node, never asks it: the true values, proven.
    const job2 = await lineage(
      ['verify', 'job', String(job1), '--chain-spec', specPath],
      proxy.url,
    );
    assert.equal(job2.code, 0, job2.stderr);
    assert.match(job2.stdout, new RegExp(provider));
    assert.doesNotMatch(job2.stdout, new RegExp(mallory));
    const model = await lineage(
      ['verify', 'model', String(child), '--chain-spec', specPath],
      proxy.url,
    );
    assert.equal(model.code, 0, model.stderr);
    assert.doesNotMatch(section(model.stdout, `lineage models attribution ${child}`), /99\.9/);
    const pay = await lineage(['verify', 'payouts', payee, '--chain-spec', specPath], proxy.url);
    assert.equal(pay.code, 0, pay.stderr);
    assert.equal(section(pay.stdout, `lineage chain balances ${payee}`), honestPay.stdout);
  } finally {
    proxy.close();
  }
});
