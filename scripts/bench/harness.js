// The load harness behind `lineage bench`: prepares state and funded senders for one profile
// (see profiles.js), signs every transaction first, submits them as fast as the node's pool
// takes them, and measures what the chain did with them block by block.
//
// Figures:
// - sustained TPS: transactions included ÷ the chain time they took, from the timestamp of the
//   block before the first one carrying them to that of the last one (one slot per block);
// - peak per block, and for each block: how many, its weight and length fullness (normal class),
//   why its author stopped adding transactions, and how long the author took to build it against
//   the weight it charged (real ÷ charged: above 1 the weights undercharge), from the author's
//   Prometheus metrics;
// - inclusion latency: from the moment a transaction was sent to the moment its block was seen;
// - finality lag: how many blocks the finalized head was behind each new block when it was seen;
// - with several validators' metrics (a network whose authors take turns): the block's author is
//   the one whose count of blocks built moved, and the others' import time is the mean time each
//   took to verify and import the blocks it received since the previous block was seen, the
//   slowest of them per block.

import { describeError, signer, submitOk } from '../lib/api.js';
import { sleep } from '../lib/node.js';
import { PROFILES } from './profiles.js';

/** How the proposer's `substrate_proposer_end_proposal_reason` labels are reported. */
const REASONS = {
  hit_block_weight_limit: 'HitBlockWeightLimit',
  hit_block_size_limit: 'HitBlockSizeLimit',
  hit_deadline: 'HitDeadline',
  no_more_transactions: 'NoMoreTransactions',
  transactions_forbidden: 'TransactionForbidden',
};

/** The pool's answers that mean "not now": the transaction is sent again later. */
const RETRY = /1014|1016|Priority is too low|Immediately Dropped|limit reached|too many/i;
/** How long everything may sit sent and nothing be included before the rest is sent again. */
const RESEND_AFTER_MS = 24_000;

/**
 * Runs `profile` (a key of PROFILES) against `api` and returns the report.
 *
 * @param {object} opts
 * @param {number} opts.count transactions to send
 * @param {number} opts.senders accounts signing them (each signs count/senders, nonces in order)
 * @param {string} [opts.funder] secret URI of the account that funds the senders and prepares state
 * @param {number} [opts.window] most transactions sent but not yet included (below the pool's limit)
 * @param {string|string[]} [opts.prometheus] the metrics URL of the author, or of every
 *   validator; without it end reasons are unknown
 * @param {number} [opts.items] items per record (contribute-batch)
 * @param {number} [opts.stall] seconds without a new inclusion after which the run gives up
 * @param {(line: string) => void} [opts.log]
 */
export async function bench(api, profileName, opts) {
  const profile = PROFILES[profileName];
  if (!profile) throw new Error(`unknown bench profile "${profileName}"`);
  const log = opts.log ?? (() => {});
  const count = opts.count;
  const window = opts.window ?? 4_000;
  const funder = signer(opts.funder ?? '//Alice');
  // Fresh senders each run: nothing an earlier run left in the pool shares their nonces.
  const run = Math.floor(Math.random() * 1e9).toString(36);
  const keys = Array.from({ length: opts.senders }, (_, i) =>
    signer(`//Bench//${profileName}//${run}//${i}`),
  );

  log(`preparing ${profileName}: ${keys.length} senders, ${count} transactions`);
  const ok = (tx, who = funder) => submitOk(api, tx, who);
  const env = { api, ok, funder, keys, count, items: opts.items, log };
  env.fund = (amount, who = keys) => fund(api, ok, who, amount, log);
  env.load = (n, build, who = keys) => load(api, who, n, build, log);
  const ctx = await profile.prepare(env);
  await fund(api, ok, keys, ctx.perSender ?? 0n, log);

  log('signing');
  const signStart = Date.now();
  const txs = await presign(api, keys, count, ctx.build);
  log(`signed ${count} in ${((Date.now() - signStart) / 1000).toFixed(1)} s`);

  const limits = blockLimits(api);
  const watcher = await watch(api, txs, limits, [opts.prometheus ?? []].flat());
  const sent = await send(api, txs, watcher, window, opts.stall ?? 60, log);
  // With several validators' metrics, one block more: the others import the last block carrying
  // transactions after it is seen, and their metrics show it at the next one.
  const blocks = await watcher.stop({ oneMore: [opts.prometheus ?? []].flat().length > 1 });
  return report(profileName, opts, txs, sent, blocks, ctx);
}

/**
 * Sends `count` transactions built by `build(i, key)` from `keys` through the same path as a
 * measured run and returns once all are included (for preparing state in bulk).
 */
async function load(api, keys, count, build, log) {
  const txs = await presign(api, keys, count, build);
  const watcher = await watch(api, txs, blockLimits(api), []);
  const sent = await send(api, txs, watcher, 4_000, 60, () => {});
  await watcher.stop();
  const missing = txs.filter((t) => !t.block).length;
  const failed = txs.find((t) => t.error);
  if (failed) throw new Error(`preparing: a transaction failed with ${failed.error}`);
  if (missing)
    throw new Error(
      `preparing: ${missing} of ${count} not included (${JSON.stringify(sent.refused)})`,
    );
  log(`prepared: ${count} transactions included`);
}

/** Sends `amount` to every key that has less, in batches the block takes easily. */
async function fund(api, ok, keys, amount, log) {
  if (amount === 0n) return;
  const accounts = await api.query.system.account.multi(keys.map((k) => k.address));
  const short = keys.filter((_, i) => accounts[i].data.free.toBigInt() < amount);
  for (let i = 0; i < short.length; i += 250) {
    const chunk = short.slice(i, i + 250);
    await ok(
      api.tx.utility.batchAll(
        chunk.map((k) => api.tx.balances.transferKeepAlive(k.address, amount)),
      ),
    );
  }
  if (short.length) log(`funded ${short.length} senders with ${amount} plancks each`);
}

/** Signs transaction i as keys[i % senders] with that sender's next nonce; immortal. */
async function presign(api, keys, count, build) {
  const nonces = await Promise.all(
    keys.map((k) => api.rpc.system.accountNextIndex(k.address).then((n) => n.toNumber())),
  );
  const options = {
    blockHash: api.genesisHash,
    genesisHash: api.genesisHash,
    runtimeVersion: api.runtimeVersion,
    signedExtensions: api.registry.signedExtensions,
    version: api.extrinsicType,
  };
  const txs = new Array(count);
  for (let i = 0; i < count; i += 1) {
    const s = i % keys.length;
    const tx = build(i, keys[s]);
    tx.sign(keys[s], { ...options, nonce: nonces[s]++ });
    const hex = tx.toHex();
    txs[i] = { hex, hash: tx.hash.toHex(), len: tx.encodedLength, sentAt: 0, block: 0 };
    // Signing is all CPU: the connection's keep-alive pings are answered between batches, or
    // the node closes a connection silent for that long (100,000 signatures take minutes).
    if (i % 500 === 499) await new Promise(setImmediate);
  }
  return txs;
}

/** The normal class's weight and length limits. */
function blockLimits(api) {
  const weights = api.consts.system.blockWeights;
  return {
    refTime: weights.perClass.normal.maxTotal.unwrap().refTime.toBigInt(),
    length: api.consts.system.blockLength.max.normal.toNumber(),
  };
}

/**
 * Scrapes a node's metrics: how many blocks its proposer ended for each reason, the time it spent
 * building blocks (seconds) and how many it built, and the time it spent verifying and importing
 * blocks from others and how many. Null when nothing answers.
 */
async function nodeMetrics(url) {
  try {
    const text = await (await fetch(url, { signal: AbortSignal.timeout(2_000) })).text();
    const reasons = {};
    for (const m of text.matchAll(
      /^substrate_proposer_end_proposal_reason\{[^}]*reason="(\w+)"[^}]*\} (\d+)/gm,
    ))
      reasons[m[1]] = Number(m[2]);
    const value = (name) =>
      Number(text.match(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm'))?.[1] ?? NaN);
    return {
      reasons,
      builtSeconds: value('substrate_proposer_block_constructed_sum'),
      built: value('substrate_proposer_block_constructed_count'),
      importSeconds: value('substrate_block_verification_and_import_time_sum'),
      imported: value('substrate_block_verification_and_import_time_count'),
    };
  } catch {
    return null;
  }
}

/**
 * What the nodes' metrics say of the block just seen, from their scrapes `before` and `now`: the
 * author (the one node that built one more block) gives why it ended the block and how long it
 * took to build it; the others, the slowest mean import time since the previous scrape.
 */
function blockMetrics(before, now) {
  const moved = now.map((m, k) => m && before[k] && m.built === before[k].built + 1);
  const authors = moved.filter(Boolean).length;
  const k = moved.indexOf(true);
  let reason = 'unknown';
  let buildMs = null;
  if (authors === 1) {
    const changed = Object.keys(now[k].reasons).filter(
      (r) => now[k].reasons[r] !== (before[k].reasons[r] ?? 0),
    );
    if (changed.length === 1) reason = REASONS[changed[0]] ?? changed[0];
    buildMs = Math.round((now[k].builtSeconds - before[k].builtSeconds) * 1_000_000) / 1_000;
  }
  let importMs = null;
  now.forEach((m, j) => {
    const b = before[j];
    if (j === k || !m || !b || !(m.imported > b.imported)) return;
    const ms = ((m.importSeconds - b.importSeconds) * 1000) / (m.imported - b.imported);
    importMs = Math.max(importMs ?? 0, Math.round(ms * 10) / 10);
  });
  return { reason, buildMs, importMs };
}

/**
 * Follows new blocks: marks the transactions each one includes and records its figures.
 * Blocks are handled one at a time, in order.
 */
async function watch(api, txs, limits, urls) {
  const byHash = new Map(txs.map((t, i) => [t.hash, i]));
  const blocks = [];
  const progress = { included: 0, lastInclusion: Date.now() };
  const scrape = () => Promise.all(urls.map(nodeMetrics));
  let metrics = await scrape();
  let queue = Promise.resolve();
  const nowKey = api.query.timestamp.now.key();
  const weightKey = api.query.system.blockWeight.key();
  const eventsKey = api.query.system.events.key();

  const onHead = async (header) => {
    const seenAt = Date.now();
    const hash = header.hash.toHex();
    const [block, now, weight, rawEvents, current, finalized] = await Promise.all([
      api.rpc.chain.getBlock(hash),
      api.rpc.state.getStorage(nowKey, hash),
      api.rpc.state.getStorage(weightKey, hash),
      api.rpc.state.getStorage(eventsKey, hash),
      scrape(),
      api.rpc.chain.getFinalizedHead().then((h) => api.rpc.chain.getHeader(h)),
    ]);
    // Which extrinsics of the block failed, and with what error.
    const failures = new Map();
    for (const { phase, event } of api.createType(
      'Vec<FrameSystemEventRecord>',
      rawEvents.unwrapOr(null),
    ))
      if (phase.isApplyExtrinsic && api.events.system.ExtrinsicFailed.is(event))
        failures.set(
          phase.asApplyExtrinsic.toNumber(),
          describeError(api, event.data.dispatchError).name,
        );
    let mine = 0;
    let length = 0;
    block.block.extrinsics.forEach((xt, index) => {
      length += xt.encodedLength;
      const i = byHash.get(xt.hash.toHex());
      if (i === undefined || txs[i].block) return;
      txs[i].block = header.number.toNumber();
      txs[i].latency = seenAt - txs[i].sentAt;
      txs[i].error = failures.get(index);
      mine += 1;
    });
    const { reason, buildMs, importMs } = blockMetrics(metrics, current);
    metrics = current;
    const used = api.createType(
      'FrameSupportDispatchPerDispatchClassWeight',
      weight.unwrapOr(null),
    );
    // Everything the block charged (inherents, hooks and its base weight are mandatory), in ms.
    const weightMs =
      Number(
        used.normal.refTime.toBigInt() +
          used.operational.refTime.toBigInt() +
          used.mandatory.refTime.toBigInt(),
      ) / 1e9;
    blocks.push({
      number: header.number.toNumber(),
      timestamp: api.createType('u64', now.unwrapOr(0)).toNumber(),
      extrinsics: block.block.extrinsics.length,
      mine,
      weight: Number((used.normal.refTime.toBigInt() * 10_000n) / limits.refTime) / 100,
      length: Math.round((length / limits.length) * 10_000) / 100,
      reason,
      weightMs: Math.round(weightMs * 1000) / 1000,
      // How far finality was behind this block when it was seen.
      finalityLag: header.number.toNumber() - finalized.number.toNumber(),
      buildMs,
      // Real time over charged time: above 1, the block took longer than its weight says.
      timeToWeight: buildMs === null ? null : Math.round((buildMs / weightMs) * 1000) / 1000,
      importMs,
    });
    if (mine) {
      progress.included += mine;
      progress.lastInclusion = Date.now();
    }
  };
  // A new best block on another fork is announced alone: the blocks between it and the last
  // one read are read too, oldest first, so that no transaction included in them goes unseen
  // (and is sent again into a pool that has banned it as included).
  const seen = new Set();
  let firstNumber = null;
  const onBest = async (header) => {
    const chain = [header];
    while (firstNumber !== null && chain.length < 64) {
      const parent = chain[0].parentHash.toHex();
      if (seen.has(parent) || chain[0].number.toNumber() <= firstNumber) break;
      chain.unshift(await api.rpc.chain.getHeader(parent));
    }
    firstNumber ??= header.number.toNumber();
    for (const h of chain) {
      if (seen.has(h.hash.toHex())) continue;
      seen.add(h.hash.toHex());
      await onHead(h);
    }
  };
  const unsub = await api.rpc.chain.subscribeNewHeads((header) => {
    queue = queue.then(() => onBest(header)).catch(() => {});
  });
  return {
    progress,
    /** Stops following, after one block beyond the last carrying transactions if `oneMore`. */
    async stop({ oneMore = false } = {}) {
      const last = blocks.filter((b) => b.mine).at(-1)?.number;
      const deadline = Date.now() + 15_000;
      while (oneMore && last !== undefined && Date.now() < deadline) {
        await queue;
        if (blocks.some((b) => b.number > last)) break;
        await sleep(200);
      }
      unsub();
      await queue;
      return blocks;
    },
  };
}

/**
 * Submits every transaction in order, keeping at most `window` of them waiting in the pool;
 * a transaction the pool turns away for now goes again, before any new one. Returns when all
 * are included (or refused for good), or nothing was included for `stall` seconds.
 */
async function send(api, txs, watcher, window, stall, log) {
  const { progress } = watcher;
  const refused = {};
  let failed = 0;
  let accepted = 0;
  let next = 0;
  let again = [];
  let retries = 0;
  let lastLog = Date.now();
  let lastResend = Date.now();
  while (progress.included + failed < txs.length) {
    if (Date.now() - progress.lastInclusion > stall * 1000) {
      log(`nothing included for ${stall} s: stopping`);
      break;
    }
    // Everything sent and nothing included for four slots: a pool may have dropped
    // transactions it had accepted (a sender's later nonces then wait for ever), so every one
    // not yet in a block is sent again; the pool answers "already imported" for those it holds.
    const quiet = Date.now() - Math.max(progress.lastInclusion, lastResend);
    if (next === txs.length && !again.length && quiet > RESEND_AFTER_MS) {
      const missing = txs.flatMap((t, i) => (t.block || t.failed ? [] : [i]));
      log(`nothing included for ${Math.round(quiet / 1000)} s: sending ${missing.length} again`);
      accepted -= missing.length;
      again = missing;
      lastResend = Date.now();
    }
    const room = Math.min(window - (accepted - progress.included), 500);
    if (room <= 0 || (next === txs.length && !again.length)) {
      await sleep(20);
      continue;
    }
    const fresh = Math.max(0, Math.min(room - again.length, txs.length - next));
    const batch = [...again.slice(0, room), ...Array.from({ length: fresh }, (_, k) => next + k)];
    again = again.slice(room);
    next += fresh;
    const results = await Promise.allSettled(
      batch.map((i) => {
        txs[i].sentAt = Date.now();
        // Straight to the provider: the pool's "not now" answers are expected here, and
        // @polkadot/api would log each one.
        return api._rpcCore.provider.send('author_submitExtrinsic', [txs[i].hex]);
      }),
    );
    const turnedAway = [];
    results.forEach((r, k) => {
      const message = r.status === 'rejected' ? (r.reason?.message ?? String(r.reason)) : '';
      // Already in the pool, or (sent again) already in a block the watcher has not read yet:
      // the pool bans what a block it pruned carried.
      if (
        r.status === 'fulfilled' ||
        /1012|1013|Already Imported|temporarily banned|outdated|stale/i.test(message)
      )
        accepted += 1;
      else if (RETRY.test(message)) turnedAway.push(batch[k]);
      else {
        const key = message.slice(0, 80);
        refused[key] = (refused[key] ?? 0) + 1;
        txs[batch[k]].failed = true;
        failed += 1;
      }
    });
    retries += turnedAway.length;
    again = [...turnedAway, ...again].sort((x, y) => x - y);
    if (turnedAway.length) await sleep(200);
    if (Date.now() - lastLog > 5_000) {
      log(`sent ${accepted}, included ${progress.included}`);
      lastLog = Date.now();
    }
  }
  return { retries, refused };
}

/** The percentile `p` (0–100) of sorted `values`. */
function percentile(values, p) {
  if (!values.length) return null;
  return values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
}

function report(profile, opts, txs, sent, blocks, ctx) {
  const included = txs.filter((t) => t.block);
  const carrying = blocks.filter((b) => b.mine);
  const first = carrying[0];
  const last = carrying.at(-1);
  const before = first && blocks.find((b) => b.number === first.number - 1);
  const slot =
    carrying.length > 1 ? (last.timestamp - first.timestamp) / (last.number - first.number) : 6_000;
  const span = first ? last.timestamp - (before ? before.timestamp : first.timestamp - slot) : 0;
  const latencies = included.map((t) => t.latency).sort((a, b) => a - b);
  // Imports show in the others' metrics by the next block seen, so the block after the last
  // carrying one counts too.
  const importTimes = blocks
    .filter((b) => first && b.number >= first.number && b.number <= last.number + 1)
    .map((b) => b.importMs)
    .filter((ms) => ms !== null);
  const reasons = {};
  for (const b of carrying) reasons[b.reason] = (reasons[b.reason] ?? 0) + 1;
  const items = ctx.itemsPerTx ?? 1;
  const failed = {};
  for (const t of included) if (t.error) failed[t.error] = (failed[t.error] ?? 0) + 1;
  return {
    profile,
    count: txs.length,
    senders: opts.senders,
    included: included.length,
    failed,
    retries: sent.retries,
    refused: sent.refused,
    blocks: carrying.length,
    seconds: span / 1000,
    tps: span ? Math.round((included.length / span) * 1000 * 10) / 10 : 0,
    peakPerBlock: Math.max(0, ...carrying.map((b) => b.mine)),
    itemsPerTx: items,
    peakItemsPerBlock: Math.max(0, ...carrying.map((b) => b.mine)) * items,
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    maxWeightPct: Math.max(0, ...carrying.map((b) => b.weight)),
    maxLengthPct: Math.max(0, ...carrying.map((b) => b.length)),
    endReasons: reasons,
    maxFinalityLag: Math.max(0, ...carrying.map((b) => b.finalityLag)),
    maxTimeToWeight: Math.max(0, ...carrying.map((b) => b.timeToWeight ?? 0)),
    maxImportMs: importTimes.length ? Math.max(...importTimes) : null,
    perBlock: carrying,
  };
}

/** The report as a few lines of text. */
export function formatBench(r) {
  const lines = [
    `${r.profile}: ${r.included}/${r.count} included from ${r.senders} senders in ${r.blocks} blocks (${r.seconds} s of chain time)`,
    `  sustained ${r.tps} tx/s, peak ${r.peakPerBlock} in a block` +
      (r.itemsPerTx > 1 ? ` (${r.peakItemsPerBlock} items)` : ''),
    `  inclusion latency p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms; ${r.retries} sends retried`,
    `  fullest block: weight ${r.maxWeightPct}%, length ${r.maxLengthPct}% (normal class)`,
    `  finality at most ${r.maxFinalityLag} blocks behind a new block`,
    `  build time over weight: at most ${r.maxTimeToWeight} (real ms ÷ charged ms, per block)`,
    ...(r.maxImportMs === null
      ? []
      : [`  import on the other validators: at most ${r.maxImportMs} ms per block`]),
    `  end reasons: ${Object.entries(r.endReasons)
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ')}`,
    '  block      txs  weight%  length%  charged ms  built ms  import ms  end',
  ];
  for (const b of r.perBlock)
    lines.push(
      `  #${String(b.number).padEnd(8)}${String(b.mine).padStart(5)}${b.weight.toFixed(1).padStart(9)}${b.length.toFixed(1).padStart(9)}${b.weightMs.toFixed(0).padStart(12)}${String(b.buildMs === null ? '-' : Math.round(b.buildMs)).padStart(10)}${String(b.importMs === null ? '-' : Math.round(b.importMs)).padStart(11)}  ${b.reason}`,
    );
  if (Object.keys(r.failed).length)
    lines.push(`  failed in the block: ${JSON.stringify(r.failed)}`);
  if (Object.keys(r.refused).length) lines.push(`  refused: ${JSON.stringify(r.refused)}`);
  return lines.join('\n');
}
