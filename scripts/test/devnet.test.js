// The dev chain as a newcomer meets it: it finalizes, says LIN/12, moves money exactly, and
// refuses an overdraft without changing anything.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signer, submit, freeBalance } from '../lib/api.js';
import { devNodeFixture } from './helpers.js';
import { LIN } from '../lib/units.js';

let node;
let api;
devNodeFixture(before, after, (n, a) => {
  node = n;
  api = a;
});

test('the first block is finalized soon after start', async () => {
  // Five six-second slots at most; the time it took is reported, not asserted.
  const heads = await node.waitFinalized(1, 30_000);
  const seconds = (Date.now() - node.startedAt) / 1000;
  console.log(`# first finalized block #${heads.finalized} ${seconds.toFixed(1)} s after start`);
  assert.ok(heads.finalized >= 1);
  assert.ok(heads.best >= heads.finalized);
});

test('system_properties announce LIN with 12 decimals', async () => {
  const props = await node.rpc('system_properties');
  assert.equal(props.tokenSymbol, 'LIN');
  assert.equal(props.tokenDecimals, 12);
  assert.equal(props.ss58Format, 42);
  assert.deepEqual(api.registry.chainTokens, ['LIN']);
  assert.deepEqual(api.registry.chainDecimals, [12]);
  assert.equal(await node.rpc('system_chain'), 'Lineage Development');
});

test('the runtime exposes its pallets and runtime APIs to a client without type definitions', async () => {
  for (const pallet of [
    'system',
    'timestamp',
    'aura',
    'grandpa',
    'balances',
    'transactionPayment',
    'utility',
    'sudo',
  ]) {
    assert.ok(api.query[pallet] || api.tx[pallet], `pallet ${pallet} missing`);
  }
  assert.equal(api.runtimeVersion.specName.toString(), 'lineage');
  // The runtime's nonce and the pool-aware one agree when nothing is pending.
  const alice = signer('//Alice').address;
  const nonce = await api.call.accountNonceApi.accountNonce(alice);
  assert.equal(nonce.toNumber(), (await api.rpc.system.accountNextIndex(alice)).toNumber());
  const presets = await api.call.genesisBuilder.presetNames();
  assert.deepEqual(presets.map((p) => p.toString()).sort(), ['development', 'local_testnet']);
});

test('transfer_keep_alive moves exactly the amount; the sender also pays the fee', async () => {
  const alice = signer('//Alice');
  const dave = signer('//Dave');
  const amount = 1234n * LIN + 5n;
  const aliceBefore = await freeBalance(api, alice.address);
  const daveBefore = await freeBalance(api, dave.address);

  const res = await submit(api, api.tx.balances.transferKeepAlive(dave.address, amount), alice);
  assert.ok(res.ok, `transfer failed: ${res.error?.name}`);
  const transfer = res.events.find((e) => api.events.balances.Transfer.is(e));
  assert.ok(transfer, 'no Balances.Transfer event');
  assert.equal(transfer.data.amount.toBigInt(), amount);
  assert.ok(res.fee > 0n);

  const aliceAfter = await freeBalance(api, alice.address, res.blockHash);
  const daveAfter = await freeBalance(api, dave.address, res.blockHash);
  assert.equal(daveAfter - daveBefore, amount);
  assert.equal(aliceBefore - aliceAfter, amount + res.fee);
});

test('a transfer beyond the balance fails with FundsUnavailable and moves nothing', async () => {
  const eve = signer('//Eve');
  const ferdie = signer('//Ferdie');
  const eveBefore = await freeBalance(api, eve.address);
  const ferdieBefore = await freeBalance(api, ferdie.address);

  const res = await submit(
    api,
    api.tx.balances.transferKeepAlive(ferdie.address, eveBefore * 2n),
    eve,
  );
  assert.equal(res.ok, false);
  assert.equal(res.error.name, 'token.FundsUnavailable');
  assert.ok(res.events.some((e) => api.events.system.ExtrinsicFailed.is(e)));

  assert.equal(await freeBalance(api, ferdie.address, res.blockHash), ferdieBefore);
  assert.equal(await freeBalance(api, eve.address, res.blockHash), eveBefore - res.fee);
});

test('Prometheus metrics are served', async () => {
  const res = await fetch(`http://127.0.0.1:${node.prometheusPort}/metrics`);
  const text = await res.text();
  assert.match(text, /substrate_block_height\{status="finalized"/);
  console.log(`# dev node RSS ${(node.rssKiB() / 1024).toFixed(0)} MiB`);
});
