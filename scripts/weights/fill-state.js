#!/usr/bin/env node
// Grows a dev chain's state to the size of a long-lived chain's, for `benchmark storage`: the sudo
// key (//Alice) writes `--keys` entries of a map no pallet reads (`LineageBench::Filler`, keys
// `blake2_128_concat(u32)`, 40-byte values, so that each is a leaf with its value in a node of its
// own, like an account's), `--per-block` to a `system.set_storage` a block, a few blocks in
// flight. Keys are the same on every run, so an interrupted fill is resumed with `--from`.
//
//   node weights/fill-state.js --ws ws://127.0.0.1:9960 [--keys 10000000] [--per-block 40000]
//     [--from 0]

import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, xxhashAsU8a } from '@polkadot/util-crypto';
import { connect, signer, submit } from '../lib/api.js';
import { flag } from '../lib/args.js';

const ws = flag('ws', 'ws://127.0.0.1:9960');
const keys = Number(flag('keys', 10_000_000));
// 40,000 entries are 3.8 MB: the block builder takes at most 4 MiB a block.
const perBlock = Number(flag('per-block', 40_000));
const from = Number(flag('from', 0));
// Three set_storage calls of 3.8 MB stay well within the pool's 20 MiB.
const inFlight = 3;

const prefix = u8aConcat(xxhashAsU8a('LineageBench', 128), xxhashAsU8a('Filler', 128));

/** Entry `i` of the filler map, as a (key, value) pair of hex strings. */
function entry(i) {
  const index = new Uint8Array(4);
  new DataView(index.buffer).setUint32(0, i, true);
  const key = u8aConcat(prefix, blake2AsU8a(index, 128), index);
  const value = u8aConcat(blake2AsU8a(index, 256), index, index);
  return [u8aToHex(key), u8aToHex(value)];
}

const api = await connect(ws);
const sudo = signer('//Alice');
const started = Date.now();
let nonce = (await api.rpc.system.accountNextIndex(sudo.address)).toNumber();
let written = from;
let failed = null;
const pending = new Set();
for (let first = from; first < keys && !failed; first += perBlock) {
  const items = [];
  for (let i = first; i < Math.min(first + perBlock, keys); i++) items.push(entry(i));
  const tx = api.tx.sudo.sudo(api.tx.system.setStorage(items));
  const sent = submit(api, tx, sudo, { nonce: nonce++ }).then((res) => {
    if (!res.ok) failed = `${res.error.name}: ${res.error.docs}`;
    else if (!res.events.some((e) => api.events.sudo.Sudid.is(e) && e.data[0].isOk)) {
      failed = 'sudo did not dispatch set_storage';
    } else {
      written += items.length;
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `${written.toLocaleString('en-US')} of ${keys.toLocaleString('en-US')} keys written ` +
          `(${Math.round((written - from) / seconds).toLocaleString('en-US')} a second)`,
      );
    }
  }, (err) => {
    failed = err.message;
  });
  sent.finally(() => pending.delete(sent));
  pending.add(sent);
  if (pending.size >= inFlight) await Promise.race(pending);
}
await Promise.all(pending);
await api.disconnect();
if (failed) {
  console.error(`the fill stopped at ${written.toLocaleString('en-US')} keys: ${failed}`);
  process.exit(1);
}
