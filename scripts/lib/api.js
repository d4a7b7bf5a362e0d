// Connecting to a Lineage node with @polkadot/api and submitting extrinsics.

import assert from 'node:assert/strict';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { sleep } from './node.js';
import { DEFAULT_WS, GENERIC_SS58 } from './units.js';

/** Connects to `ws` (default: $LINEAGE_WS or `DEFAULT_WS`). No type definitions are needed. */
export async function connect(ws = process.env.LINEAGE_WS || DEFAULT_WS) {
  const provider = new WsProvider(ws, 1000, {}, 60_000);
  return ApiPromise.create({
    provider,
    noInitWarn: true,
    // `AuthorizeCall` carries no data; declaring it keeps @polkadot/api from warning about it.
    signedExtensions: { AuthorizeCall: { extrinsic: {}, payload: {} } },
  });
}

/** A keypair from a secret URI such as `//Alice`, its address written with `ss58` (see `chainSs58`). */
export function signer(suri, ss58 = GENERIC_SS58) {
  return new Keyring({ type: 'sr25519', ss58Format: ss58 }).addFromUri(suri);
}

/** Describes a dispatch error: `pallet.Error` and its doc line for module errors. */
export function describeError(api, dispatchError) {
  if (dispatchError.isModule) {
    const meta = api.registry.findMetaError(dispatchError.asModule);
    return { name: `${meta.section}.${meta.name}`, docs: meta.docs.join(' ').trim() };
  }
  if (dispatchError.isToken) return { name: `token.${dispatchError.asToken.type}`, docs: '' };
  if (dispatchError.isArithmetic)
    return { name: `arithmetic.${dispatchError.asArithmetic.type}`, docs: '' };
  return { name: dispatchError.type, docs: dispatchError.toString() };
}

/**
 * Signs and submits `tx`, waits until it is in a block, and returns what happened:
 * `{ blockHash, events, ok, error, fee }` where `fee` is the fee the signer paid and `error` is
 * `{ name, docs }` when the dispatch failed.
 */
export function submit(api, tx, pair) {
  return new Promise((resolve, reject) => {
    let unsub;
    tx.signAndSend(pair, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        unsub?.();
        reject(new Error(`transaction ${status.type}`));
        return;
      }
      if (!status.isInBlock) return;
      unsub?.();
      const feeEvent = events.find(({ event }) =>
        api.events.transactionPayment.TransactionFeePaid.is(event),
      );
      resolve({
        blockHash: status.asInBlock.toHex(),
        events: events.map(({ event }) => event),
        ok: !dispatchError,
        error: dispatchError ? describeError(api, dispatchError) : null,
        fee: feeEvent ? feeEvent.event.data.actualFee.toBigInt() : 0n,
      });
    })
      .then((u) => {
        unsub = u;
      })
      .catch(reject);
  });
}

/** Submits `tx` as `pair` and throws unless it succeeded; returns what `submit` returns. */
export async function submitOk(api, tx, pair) {
  const res = await submit(api, tx, pair);
  if (!res.ok) {
    throw new Error(
      `${tx.method.section}.${tx.method.method} failed: ${res.error.name} ${res.error.docs}`,
    );
  }
  return res;
}

/** The data of the first `section.method` event in `res`; throws when there is none. */
export function eventData(res, section, method) {
  const found = res.events.find((e) => e.section === section && e.method === method);
  if (!found) throw new Error(`no ${section}.${method} event`);
  return found.data;
}

/** Amount held from `who` by `pallet` (e.g. 'Datasets') for `reason` (e.g. 'DatasetDeposit'). */
export async function heldBalance(api, who, pallet, reason, at) {
  const query = at ? await api.at(at) : api;
  const holds = await query.query.balances.holds(who);
  const hold = holds.find((h) => h.id[`is${pallet}`] && h.id[`as${pallet}`].type === reason);
  return hold ? hold.amount.toBigInt() : 0n;
}

/** Free balance of `who` as a bigint. */
export async function freeBalance(api, who, at) {
  const query = at ? await api.at(at) : api;
  const { data } = await query.query.system.account(who);
  return data.free.toBigInt();
}

/**
 * What `referenda.submit` takes to dispatch `call` once its preimage is noted: the call looked up
 * by its hash (blake2-256 of its encoding) and length.
 */
export function preimageLookup(call) {
  return { Lookup: { hash: call.method.hash.toHex(), len: call.method.encodedLength } };
}

/** Polls `check` every 2 s until it returns a truthy value, which it returns (at most `seconds`). */
export async function until(what, seconds, check) {
  for (let waited = 0; waited < seconds; waited += 2) {
    const value = await check();
    if (value) return value;
    await sleep(2000);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Claims with `tx` as `pair` and checks the amount of its `rewards.<eventName>` event against
 * `pendingOf(RewardsApi.pending)` at the parent block; returns `{ amount, blockHash }`.
 */
export async function claimMatchesPending(api, tx, pair, pendingOf, eventName) {
  const res = await submitOk(api, tx, pair);
  const amount = eventData(res, 'rewards', eventName).amount.toBigInt();
  const header = await api.rpc.chain.getHeader(res.blockHash);
  const pending = pendingOf(
    await (await api.at(header.parentHash)).call.rewardsApi.pending(pair.address, null, 50),
  );
  const events = await (await api.at(res.blockHash)).query.system.events();
  const newEra = events.some(
    ({ event }) => event.section === 'rewards' && event.method === 'NewEra',
  );
  // An era that starts in the claim's own block adds to what was pending before it.
  if (newEra) assert.ok(amount >= pending, `${eventName} ≥ pending`);
  else assert.equal(amount, pending, `${eventName} = RewardsApi pending`);
  assert.ok(amount > 0n, 'something to claim');
  return { amount, blockHash: res.blockHash };
}
