// The crash loop: the four `local` validators under transfer and Lineage-call load, one of them
// killed with SIGKILL at a random moment and restarted on its own database, again and again.
// After every restart the node must open its database, catch up with the others, and agree with
// every finalized block ever seen (a finalized hash at a height never changes). Used by
// `crash-loop.js` (100 kills) and by the end-to-end suite (a few).

import { localNetwork } from './network.js';
import { connect, signer } from './api.js';
import { sleep } from './node.js';
import { LIN } from './units.js';

/** A small deterministic generator (mulberry32), so a seed replays the same kill schedule. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Load on the network through `api` until `stop.done`: each round, every sender sends a transfer
 * or a Lineage contribution (to an open dataset made first) without waiting for inclusion.
 * Counts what the pool took and what it refused; returns when stopped.
 */
async function load(api, stop, counts) {
  const senders = ['//Eve', '//Ferdie', '//Alice//stash', '//Bob//stash'].map((s) => signer(s));
  const owner = senders[0];
  const content = (n) => ({
    hash: '0x' + n.toString(16).padStart(64, '0'),
    uri: 'ipfs://crash-loop',
    bytes: 1,
  });
  try {
    await api.tx.datasets
      .createDataset(content(1), 'Cc0', {
        admission: 'Open',
        contributionDeposit: 0,
        rejectSlash: 0,
        minConsent: { training: true, commercial: true },
      })
      .signAndSend(owner);
    await sleep(6_000);
  } catch {
    // The load goes on with transfers only.
  }
  // Nonces are kept here (the pool may not have seen the last one yet); a refused send reads
  // the account's next nonce again.
  const nonces = await Promise.all(
    senders.map((s) => api.rpc.system.accountNextIndex(s.address).then((n) => n.toNumber())),
  );
  const first = [...nonces];
  let n = 1;
  while (!stop.done) {
    await Promise.all(
      senders.map(async (sender, i) => {
        n += 1;
        const tx =
          n % 3 === 0
            ? api.tx.datasets.contribute(0, content(n), 'Cc0', {
                training: true,
                commercial: true,
              })
            : api.tx.balances.transferKeepAlive(senders[(i + 1) % senders.length].address, LIN);
        try {
          await (await tx.signAsync(sender, { nonce: nonces[i] })).send();
          nonces[i] += 1;
          counts.sent += 1;
        } catch {
          counts.refused += 1;
          nonces[i] = (await api.rpc.system.accountNextIndex(sender.address)).toNumber();
        }
      }),
    );
    await sleep(250);
  }
  // Included: how far each sender's nonce moved on chain.
  const last = await Promise.all(senders.map((s) => api.query.system.account(s.address)));
  counts.included = last.reduce((sum, a, i) => sum + a.nonce.toNumber() - first[i], 0);
}

/**
 * Runs the crash loop.
 * @param {object} opts
 * @param {number} opts.kills how many validators to kill
 * @param {number} [opts.seed] seed of the schedule (victims and moments)
 * @param {(line: string) => void} [opts.log] progress lines
 * @returns {Promise<object>} the figures: kills, catch-up times, heights, load counts
 */
export async function crashLoop({ kills, seed = 1, log = () => {} }) {
  const rand = random(seed);
  const net = await localNetwork();
  const nodes = net.nodes;
  await Promise.all(nodes.map((n) => n.start()));
  // Every finalized hash seen at each height: must never change.
  const finalized = new Map();
  const record = async (node) => {
    const { finalized: height, finalizedHash } = await node.heads();
    const seen = finalized.get(height);
    if (seen && seen !== finalizedHash)
      throw new Error(`${node.name}: finalized #${height} is ${finalizedHash}, was ${seen}`);
    finalized.set(height, finalizedHash);
    return height;
  };
  /** Checks `node`'s canonical chain at every recorded height up to its finalized one. */
  const agrees = async (node) => {
    const { finalized: top } = await node.heads();
    for (const [height, hash] of finalized) {
      if (height > top) continue;
      const mine = await node.blockHash(height);
      if (mine !== hash)
        throw new Error(`${node.name}: #${height} is ${mine} after a restart, was ${hash}`);
    }
  };

  const counts = { sent: 0, refused: 0, included: 0 };
  const stop = { done: false };
  const figures = { kills: 0, catchUpMs: [], openMs: [], start: 0, end: 0, counts };
  let api;
  let loading;
  try {
    await nodes[0].waitFinalized(2, 180_000);
    figures.start = await record(nodes[0]);
    // The load goes through Dave, whom the loop never kills, so the client never reconnects.
    api = await connect(nodes[3].wsUrl);
    loading = load(api, stop, counts);
    for (let k = 0; k < kills; k++) {
      await sleep(1_000 + rand() * 8_000);
      const victim = nodes[Math.floor(rand() * 3)];
      for (const node of nodes) if (node !== victim) await record(node);
      await victim.kill();
      figures.kills += 1;
      await sleep(rand() * 3_000);
      const started = Date.now();
      await victim.start();
      figures.openMs.push(Date.now() - started);
      // Caught up: finalized at least as far as the others were when it came back.
      const target = Math.max(
        ...(await Promise.all(nodes.map((n) => n.heads()))).map((h) => h.finalized),
      );
      await victim.waitFinalized(target, 180_000);
      figures.catchUpMs.push(Date.now() - started);
      await agrees(victim);
      const height = await record(victim);
      log(
        `kill ${k + 1}/${kills}: ${victim.name} back in ${figures.openMs.at(-1)} ms, caught up to #${target} in ${figures.catchUpMs.at(-1)} ms (finalized #${height})`,
      );
    }
    for (const node of nodes) await agrees(node);
    figures.end = await record(nodes[0]);
    return figures;
  } finally {
    stop.done = true;
    await loading?.catch(() => {});
    await api?.disconnect();
    await Promise.all(nodes.map((n) => n.stop()));
  }
}
