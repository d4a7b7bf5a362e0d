// Start and stop lineage-node processes for tests and local networks.
//
// Each node gets its own base path and free ports unless told otherwise; its output goes to
// `<basePath>/node.log`.

import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import {
  mkdtempSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');

/** The chain spec scripts/devnet.sh writes, naming the devnet node as boot node. */
export const DEVNET_SPEC = join(homedir(), '.cache/lineage/devnet-chain-spec.json');

/** Path of the lineage-node binary: $LINEAGE_NODE, else the release build in the target directory. */
export function nodeBinary() {
  if (process.env.LINEAGE_NODE) return process.env.LINEAGE_NODE;
  const targetDir = process.env.CARGO_TARGET_DIR || join(repoRoot, 'target');
  const bin = join(targetDir, 'release', 'lineage-node');
  if (!existsSync(bin)) {
    throw new Error(
      `lineage-node not found at ${bin}: build it with 'cargo build --release' or set LINEAGE_NODE`,
    );
  }
  return bin;
}

/** A TCP port nobody listens on now, as the system hands it out. */
function unusedPort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

// Ports handed out in the last ten minutes, by any process on the machine: one file each. The
// system may hand a just-closed port to another test file before the first node binds it, and a
// node whose RPC port is taken serves on another one, so a test would talk to someone else.
const portsDir = join(tmpdir(), 'lineage-ports');
const PORT_HELD_MS = 10 * 60_000;

/** A TCP port nobody listens on now and no other caller of this function got recently. */
export async function freePort() {
  mkdirSync(portsDir, { recursive: true });
  for (;;) {
    const port = await unusedPort();
    const file = join(portsDir, String(port));
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return port;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A claim older than that is stale: drop it (the port may come round again).
      if (Date.now() - statSync(file).mtimeMs > PORT_HELD_MS) rmSync(file, { force: true });
    }
  }
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'lineage-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The libp2p peer id of a node key (hex, 32 bytes). */
export function peerId(nodeKeyHex) {
  const dir = tempDir('lineage-key-');
  const file = join(dir, 'node-key');
  writeFileSync(file, nodeKeyHex);
  return execFileSync(nodeBinary(), ['key', 'inspect-node-key', '--file', file]).toString().trim();
}

/** One lineage-node process. */
export class LineageNode {
  /**
   * @param {object} opts
   * @param {string[]} opts.args chain and role arguments, e.g. ['--dev'] or ['--chain', 'local', '--alice']
   * @param {string} [opts.basePath] database directory (fresh temporary one by default)
   * @param {number} [opts.rpcPort] JSON-RPC port (free one by default)
   * @param {number} [opts.p2pPort] libp2p port, plain TCP (free one by default)
   * @param {number} [opts.wsP2pPort] libp2p port over WebSocket, for light clients in a browser
   *   (free one by default)
   * @param {number} [opts.prometheusPort] Prometheus port (free one by default)
   * @param {string} [opts.name] node name, used in logs
   */
  constructor(opts) {
    this.opts = opts;
    this.name = opts.name || 'node';
    this.basePath = opts.basePath || tempDir(`lineage-${this.name.toLowerCase()}-`);
    this.proc = null;
  }

  /** Picks free ports (once) and starts the process. */
  async start() {
    this.rpcPort ??= this.opts.rpcPort || (await freePort());
    this.p2pPort ??= this.opts.p2pPort || (await freePort());
    this.wsP2pPort ??= this.opts.wsP2pPort || (await freePort());
    this.prometheusPort ??= this.opts.prometheusPort || (await freePort());
    mkdirSync(this.basePath, { recursive: true });
    const log = openSync(join(this.basePath, 'node.log'), 'a');
    const args = [
      ...this.opts.args,
      '--base-path',
      this.basePath,
      '--rpc-port',
      String(this.rpcPort),
      '--listen-addr',
      `/ip4/127.0.0.1/tcp/${this.p2pPort}`,
      '--listen-addr',
      `/ip4/127.0.0.1/tcp/${this.wsP2pPort}/ws`,
      '--prometheus-port',
      String(this.prometheusPort),
      '--rpc-cors',
      'all',
      '--no-telemetry',
      '--no-mdns',
      '--name',
      this.name,
    ];
    this.startedAt = Date.now();
    this.proc = spawn(nodeBinary(), args, { stdio: ['ignore', log, log] });
    this.exited = new Promise((res) =>
      this.proc.once('exit', (code, signal) => res({ code, signal })),
    );
    await this.waitForRpc();
    return this;
  }

  /** Where a light client reaches the node whose peer id is `peer`: plain TCP and WebSocket. */
  bootNodes(peer) {
    return [
      `/ip4/127.0.0.1/tcp/${this.p2pPort}/p2p/${peer}`,
      `/ip4/127.0.0.1/tcp/${this.wsP2pPort}/ws/p2p/${peer}`,
    ];
  }

  get wsUrl() {
    return `ws://127.0.0.1:${this.rpcPort}`;
  }

  get pid() {
    return this.proc?.pid;
  }

  get running() {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** The node's log so far. */
  log() {
    try {
      return readFileSync(join(this.basePath, 'node.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Calls a JSON-RPC method over HTTP. */
  async rpc(method, params = []) {
    const res = await fetch(`http://127.0.0.1:${this.rpcPort}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const body = await res.json();
    if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.result;
  }

  async waitForRpc(timeoutMs = 300_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running)
        throw new Error(`${this.name} exited during start-up:\n${this.log().slice(-4000)}`);
      try {
        await this.rpc('system_health');
        return;
      } catch (e) {
        if (Date.now() > deadline)
          throw new Error(`${this.name}: RPC not up after ${timeoutMs} ms: ${e}`);
        await sleep(250);
      }
    }
  }

  /** Number of the best and the finalized block. */
  async heads() {
    const best = await this.rpc('chain_getHeader');
    const finHash = await this.rpc('chain_getFinalizedHead');
    const fin = await this.rpc('chain_getHeader', [finHash]);
    return {
      best: parseInt(best.number, 16),
      finalized: parseInt(fin.number, 16),
      finalizedHash: finHash,
    };
  }

  /** Hash of block `n` in the node's canonical chain. */
  async blockHash(n) {
    return this.rpc('chain_getBlockHash', [n]);
  }

  /**
   * Waits until the finalized block number reaches `n`; returns the heads. A request the node
   * does not answer (a busy machine) is retried until the deadline; a node that exited fails at
   * once, with the end of its log.
   */
  async waitFinalized(n, timeoutMs = 120_000) {
    return this.waitHeads((h) => h.finalized >= n, `finalized #${n}`, timeoutMs);
  }

  /** Waits until the best block number reaches `n`; returns the heads. */
  async waitBest(n, timeoutMs = 120_000) {
    return this.waitHeads((h) => h.best >= n, `best #${n}`, timeoutMs);
  }

  /** Polls the heads until `wanted(heads)` holds; `what` names it in the timeout error. */
  async waitHeads(wanted, what, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let h;
      try {
        h = await this.heads();
      } catch (e) {
        if (!this.running) throw new Error(`${this.name} exited:\n${this.log().slice(-2000)}`);
        if (Date.now() > deadline) throw e;
        await sleep(500);
        continue;
      }
      if (wanted(h)) return h;
      if (Date.now() > deadline) {
        throw new Error(
          `${this.name}: finalized #${h.finalized} (best #${h.best}) after ${timeoutMs} ms, wanted ${what}`,
        );
      }
      await sleep(500);
    }
  }

  /** Resident memory of the process in KiB (Linux). */
  rssKiB() {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return parseInt(status.match(/VmRSS:\s+(\d+)/)[1], 10);
  }

  /** Sends `signal` and waits for the process to exit. */
  async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
    if (!this.running) return;
    this.proc.kill(signal);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL: no chance to flush anything. */
  async kill() {
    return this.stop('SIGKILL');
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Starts a `--dev` node on fresh ports and a fresh base path. */
export async function startDevNode(extraArgs = []) {
  const node = new LineageNode({ name: 'Dev', args: ['--dev', ...extraArgs] });
  return node.start();
}

/**
 * The raw chain spec of `chain` (`dev`, `local` or a spec file) with `bootNodes` (multiaddrs
 * ending in `/p2p/<peer id>`) in it: what a light client needs to find the chain's peers.
 */
export function chainSpecWith(chain, bootNodes) {
  const raw = execFileSync(nodeBinary(), ['build-spec', '--chain', chain, '--raw'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const spec = JSON.parse(raw.toString());
  spec.bootNodes = bootNodes;
  return JSON.stringify(spec);
}
