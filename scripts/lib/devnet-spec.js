// Writes the dev chain's spec with a dev node as boot node, for light clients (`lineage verify`):
//
//   node lib/devnet-spec.js NODE_KEY P2P_PORT WS_P2P_PORT FILE

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { chainSpecWith, peerId } from './node.js';

const [key, port, wsPort, file] = process.argv.slice(2);
const peer = peerId(key);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(
  file,
  chainSpecWith('dev', [
    `/ip4/127.0.0.1/tcp/${port}/p2p/${peer}`,
    `/ip4/127.0.0.1/tcp/${wsPort}/ws/p2p/${peer}`,
  ]),
);
