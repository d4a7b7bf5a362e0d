// A network of the four `local` chain validators (Alice, Bob, Charlie, Dave) on loopback.

import { join } from 'node:path';
import { LineageNode, chainSpecWith, freePort, peerId, tempDir } from './node.js';

export const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'];

/** Node key of validator `i`: fixed, so peer ids (and bootnodes) are known in advance. */
function nodeKey(i) {
  return (i + 1).toString(16).padStart(64, '0');
}

/**
 * Builds (does not start) the four validators.
 * @param {object} [opts]
 * @param {string} [opts.baseDir] directory holding one database per validator (fresh by default)
 * @param {number} [opts.firstRpcPort] RPC ports firstRpcPort.. (free ports by default)
 * @param {number} [opts.firstP2pPort] p2p ports firstP2pPort.. (free ports by default)
 * @param {number} [opts.firstWsP2pPort] p2p ports over WebSocket (free ports by default)
 * @param {number} [opts.firstPrometheusPort] Prometheus ports (free ports by default)
 * @param {string} [opts.chain] the chain: `local` by default, or a chain spec file of it
 */
export async function localNetwork(opts = {}) {
  const baseDir = opts.baseDir || tempDir('lineage-net-');
  const nodes = VALIDATORS.map((who, i) => {
    const node = new LineageNode({
      name: who[0].toUpperCase() + who.slice(1),
      basePath: join(baseDir, who),
      args: [],
      rpcPort: opts.firstRpcPort && opts.firstRpcPort + i,
      p2pPort: opts.firstP2pPort && opts.firstP2pPort + i,
      wsP2pPort: opts.firstWsP2pPort && opts.firstWsP2pPort + i,
      prometheusPort: opts.firstPrometheusPort && opts.firstPrometheusPort + i,
    });
    node.nodeKey = nodeKey(i);
    node.peerId = peerId(node.nodeKey);
    return node;
  });
  // Ports are fixed before any node starts so that every node can name all others as bootnodes.
  for (const node of nodes) {
    node.rpcPort = node.opts.rpcPort || (await freePort());
    node.p2pPort = node.opts.p2pPort || (await freePort());
    node.wsP2pPort = node.opts.wsP2pPort || (await freePort());
    node.prometheusPort = node.opts.prometheusPort || (await freePort());
  }
  nodes.forEach((node, i) => {
    const bootnodes = nodes
      .filter((other) => other !== node)
      .map((other) => `/ip4/127.0.0.1/tcp/${other.p2pPort}/p2p/${other.peerId}`);
    node.opts.args = [
      '--chain',
      opts.chain || 'local',
      `--${VALIDATORS[i]}`,
      '--validator',
      '--node-key',
      node.nodeKey,
      '--bootnodes',
      ...bootnodes,
    ];
  });
  const bootNodes = nodes.flatMap((n) => n.bootNodes(n.peerId));
  return {
    baseDir,
    nodes,
    /** The chain spec with the four validators as boot nodes: what a light client starts from. */
    chainSpec: () => chainSpecWith(opts.chain || 'local', bootNodes),
  };
}
