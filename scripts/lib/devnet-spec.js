// Writes a chain's spec (default `dev`) with one node as boot node, on 127.0.0.1, for light
// clients (`lineage verify`, the explorer's verified mode); $LINEAGE_NODE builds the spec:
//
//   node lib/devnet-spec.js NODE_KEY P2P_PORT WS_P2P_PORT FILE [CHAIN]

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { chainSpecWith, peerId } from './node.js';

const [key, port, wsPort, file, chain = 'dev'] = process.argv.slice(2);
const peer = peerId(key);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(
  file,
  chainSpecWith(chain, [
    `/ip4/127.0.0.1/tcp/${port}/p2p/${peer}`,
    `/ip4/127.0.0.1/tcp/${wsPort}/ws/p2p/${peer}`,
  ]),
);
