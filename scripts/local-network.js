#!/usr/bin/env node
// Starts the four `local` chain validators on loopback and keeps them running until Ctrl-C.
//
//   node local-network.js [--base-dir DIR]
//
// Alice serves RPC on ws://127.0.0.1:9944, Bob 9945, Charlie 9946, Dave 9947; p2p on 30333..30336
// (and over WebSocket, for light clients in a browser, on 30433..30436);
// Prometheus on 9615..9618. Databases persist in DIR (default ./local-network-data), with
// DIR/chain-spec.json: the chain spec naming the four as boot nodes, for `lineage verify`.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localNetwork } from './lib/network.js';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`Usage: node local-network.js [--base-dir DIR]

Starts Alice, Bob, Charlie and Dave as validators of the 'local' chain on 127.0.0.1.
RPC: ws://127.0.0.1:9944 (Alice) .. 9947 (Dave). Databases in DIR (default ./local-network-data),
and DIR/chain-spec.json, whose boot nodes are the four: lineage verify --chain-spec DIR/chain-spec.json.
Uses $LINEAGE_NODE, else the release build of lineage-node. Ctrl-C stops all four.`);
  process.exit(0);
}
const i = args.indexOf('--base-dir');
const baseDir = resolve(i >= 0 ? args[i + 1] : 'local-network-data');

const { nodes, chainSpec } = await localNetwork({
  baseDir,
  firstRpcPort: 9944,
  firstP2pPort: 30333,
  firstWsP2pPort: 30433,
  firstPrometheusPort: 9615,
});
mkdirSync(baseDir, { recursive: true });
const specPath = join(baseDir, 'chain-spec.json');
writeFileSync(specPath, chainSpec());
console.log(`chain spec for light clients: ${specPath}`);
for (const node of nodes) {
  await node.start();
  console.log(`${node.name.padEnd(8)} pid ${node.pid}  rpc ${node.wsUrl}  db ${node.basePath}`);
}
const report = setInterval(async () => {
  const heads = await Promise.all(nodes.map((n) => n.heads().catch(() => null)));
  console.log(
    heads
      .map((h, k) => `${nodes[k].name}: ${h ? `#${h.best} fin #${h.finalized}` : 'down'}`)
      .join('  '),
  );
}, 6000);
const shutdown = async () => {
  clearInterval(report);
  await Promise.all(nodes.map((n) => n.stop()));
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
