#!/usr/bin/env node
// Checks a running network through one RPC endpoint: blocks finalize, and a transfer from Alice
// to Bob lands and moves exactly the amount.
//
//   node check-network.js [--ws ws://127.0.0.1:9944] [--peers N]

import { connect, signer, submit, freeBalance } from './lib/api.js';
import { sleep } from './lib/node.js';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(
    'Usage: node check-network.js [--ws URL] [--peers N]\nChecks that the chain finalizes, has N peers, and that a transfer lands.',
  );
  process.exit(0);
}
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const ws = opt('--ws', process.env.LINEAGE_WS || 'ws://127.0.0.1:9944');
const peers = Number(opt('--peers', '3'));

const api = await connect(ws);
try {
  const deadline = Date.now() + 180_000;
  let finalized = 0;
  let peerCount = 0;
  while (Date.now() < deadline) {
    const head = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
    finalized = head.number.toNumber();
    peerCount = (await api.rpc.system.health()).peers.toNumber();
    if (finalized >= 3 && peerCount >= peers) break;
    await sleep(2000);
  }
  console.log(`finalized #${finalized}, ${peerCount} peers`);
  if (finalized < 3 || peerCount < peers)
    throw new Error('the network does not finalize or lacks peers');

  const alice = signer('//Alice');
  const bob = signer('//Bob');
  const amount = 42n * 10n ** 12n;
  const before = await freeBalance(api, bob.address);
  const res = await submit(api, api.tx.balances.transferKeepAlive(bob.address, amount), alice);
  if (!res.ok) throw new Error(`transfer failed: ${res.error.name}`);
  const after = await freeBalance(api, bob.address, res.blockHash);
  if (after - before !== amount)
    throw new Error(`Bob received ${after - before}, expected ${amount}`);
  console.log(`transfer of 42 LIN landed in ${res.blockHash} (fee ${res.fee} plancks)`);
} finally {
  await api.disconnect();
}
