// What the end-to-end tests share: a fresh dev node per file, and content references.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';
import { startDevNode, freePort, sleep } from '../lib/node.js';
import { bench } from '../bench/harness.js';
import { connect } from '../lib/api.js';

/**
 * Registers `before`/`after` hooks of node:test that start a fresh `--dev` node, connect to it
 * (handing both to `ready(node, api)`), and stop both at the end. `args` go to the node.
 */
export function devNodeFixture(before, after, ready, args = []) {
  let node;
  let api;
  before(async () => {
    node = await startDevNode(args);
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

/**
 * A fresh dev node for a file of bench tests (see `devNodeFixture`): `run(profile, opts)` runs a
 * bench profile on it with 10 senders, reading its author's metrics; `node()` is the node.
 */
export function benchFixture(before, after) {
  let node;
  let api;
  devNodeFixture(before, after, (n, a) => {
    node = n;
    api = a;
  });
  return {
    node: () => node,
    api: () => api,
    run: (profile, opts) =>
      bench(api, profile, {
        senders: 10,
        prometheus: `http://127.0.0.1:${node.prometheusPort}/metrics`,
        ...opts,
      }),
  };
}

/** The proposer's reasons for ending a block. */
const END_REASONS = [
  'HitBlockWeightLimit',
  'HitBlockSizeLimit',
  'HitDeadline',
  'NoMoreTransactions',
  'TransactionForbidden',
];

/**
 * Checks a `lineage bench` report of `count` transactions: all included once and none failed,
 * figures present, and a known end reason, weight and length for every block.
 */
export function checkBenchReport(r, count) {
  assert.equal(r.included, count, JSON.stringify(r.refused));
  assert.deepEqual(r.failed, {}, 'no transaction failed in its block');
  assert.equal(
    r.perBlock.reduce((n, b) => n + b.mine, 0),
    count,
    'the blocks carry every transaction once',
  );
  assert.ok(r.tps > 0 && r.seconds > 0);
  assert.ok(r.latencyMs.p50 > 0 && r.latencyMs.p99 >= r.latencyMs.p50);
  for (const b of r.perBlock) {
    assert.ok(END_REASONS.includes(b.reason), `block #${b.number}: ${b.reason}`);
    assert.ok(b.buildMs > 0 && b.timeToWeight > 0, `block #${b.number}: no build time`);
    assert.ok(b.weight > 0 && b.weight <= 100, `block #${b.number} weight ${b.weight}%`);
    assert.ok(b.length > 0 && b.length <= 100, `block #${b.number} length ${b.length}%`);
  }
}

/**
 * Starts `lineage content serve` for `store` on a free port, as a user would, and waits until it
 * says where it serves; resolves to `{ child, port, url }`.
 */
export async function serveStore(store) {
  const port = await freePort();
  const cli = fileURLToPath(new URL('../cli/lineage.js', import.meta.url));
  const child = spawn(process.execPath, [
    cli,
    'content',
    'serve',
    '--store',
    store,
    '--port',
    String(port),
  ]);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  // A loaded machine may take seconds to start a Node.js process.
  for (let i = 0; i < 600 && !out.includes('Serving'); i++) await sleep(100);
  assert.match(out, new RegExp(`Serving .* at http://127\\.0\\.0\\.1:${port}/`));
  return { child, port, url: `http://127.0.0.1:${port}` };
}

/** The scripts directory, where `npx lineage` runs as the README prints it. */
export const scripts = fileURLToPath(new URL('..', import.meta.url));

/** `npx lineage …` as a person types it, with `env` added; resolves { code, stdout, stderr }. */
export function npxLineage(args, env = {}) {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['lineage', ...args],
      { cwd: scripts, env: { ...process.env, ...env }, timeout: 240_000 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }),
    );
  });
}

/** The last line of a `lineage verify` answer. */
export const PROVEN =
  /^Verified: proven at finalized block #[\d,]+ \(0x[0-9a-f]{64}\) of Lineage (Development|Local)/m;

/** What a `lineage verify` command printed under `heading` (`lineage <area> <verb> <arg>`). */
export function provenSection(stdout, heading) {
  const start = stdout.indexOf(`${heading}:\n`);
  assert.ok(start >= 0, `no "${heading}" in:\n${stdout}`);
  const body = stdout.slice(start + heading.length + 2);
  const end = body.search(/^(lineage \w+ [\w-]+ \S+:|Verified: )/m);
  return end < 0 ? body : body.slice(0, end);
}

/**
 * A JSON-RPC proxy in front of the node that rewrites answers: in each runtime-API call's
 * result (`state_call`, by the API function named in the request) and each storage value, every
 * hex string in `rewrites[fn]` (or `rewrites.storage`) becomes its replacement.
 */
export async function lyingProxy(upstream, rewrites) {
  const port = await freePort();
  const server = new WebSocketServer({ port, host: '127.0.0.1' });
  server.on('connection', (client) => {
    const up = new WebSocket(upstream);
    const methods = new Map();
    const queue = [];
    up.on('open', () => queue.splice(0).forEach((m) => up.send(m)));
    client.on('message', (data) => {
      const text = data.toString();
      const request = JSON.parse(text);
      const fn = request.method === 'state_call' ? request.params[0] : 'storage';
      methods.set(request.id, fn);
      if (up.readyState === WebSocket.OPEN) up.send(text);
      else queue.push(text);
    });
    up.on('message', (data) => {
      const response = JSON.parse(data.toString());
      const swaps = rewrites[methods.get(response.id)] ?? [];
      const forge = (value) =>
        typeof value === 'string'
          ? swaps.reduce((v, [from, to]) => v.split(from).join(to), value)
          : Array.isArray(value)
            ? value.map(forge)
            : value && typeof value === 'object'
              ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forge(v)]))
              : value;
      if ('result' in response && methods.has(response.id))
        response.result = forge(response.result);
      client.send(JSON.stringify(response));
    });
    client.on('close', () => up.close());
    up.on('close', () => client.close());
  });
  return { url: `ws://127.0.0.1:${port}`, close: () => server.close() };
}
