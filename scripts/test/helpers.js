// What the end-to-end tests share: a fresh dev node per file, and content references.

import { startDevNode } from '../lib/node.js';
import { connect } from '../lib/api.js';

/**
 * Registers `before`/`after` hooks of node:test that start a fresh `--dev` node, connect to it
 * (handing both to `ready(node, api)`), and stop both at the end.
 */
export function devNodeFixture(before, after, ready) {
  let node;
  let api;
  before(async () => {
    node = await startDevNode();
    api = await connect(node.wsUrl);
    ready(node, api);
  });
  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });
}

/** A content reference whose hash is byte `n` repeated, under `ipfs://<prefix>-<n>`, of `bytes`. */
export function contentRef(n, prefix = 'c', bytes = 4096) {
  return {
    hash: '0x' + n.toString(16).padStart(2, '0').repeat(32),
    uri: `ipfs://${prefix}-${n}`,
    bytes,
  };
}
