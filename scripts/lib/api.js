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

/** What a token error means, in plain words, and what to do about it. */
const TOKEN_ERRORS = {
  FundsUnavailable:
    'The account has too little free balance for this (funds on hold or frozen do not count): send or hold less, or fund the account first.',
  OnlyProvider:
    'This would take the last funds keeping the account alive: leave the existential deposit in it.',
  BelowMinimum:
    'This would leave an account below the existential deposit: move more, or leave at least the existential deposit.',
  CannotCreate:
    'The amount is too small to create the receiving account: send at least the existential deposit.',
  UnknownAsset: 'The asset is unknown.',
  Frozen:
    'The funds are frozen (locked, e.g. in a vote or a delegation): unlock them first, or use less.',
  Unsupported: 'The operation is not supported for this asset.',
  CannotCreateHold:
    'The account cannot hold another deposit: it has as many holds as it may; release one first.',
  NotExpendable:
    'The account would be emptied, which this operation does not allow: leave the existential deposit in it.',
  Blocked: 'The account is blocked.',
};

/** What an arithmetic error means, in plain words. */
const ARITHMETIC_ERRORS = {
  Underflow:
    'An amount would fall below zero: most often, more than the account has. Use less, or fund the account first.',
  Overflow: 'An amount or count would pass the largest value it can hold: use a smaller amount.',
  DivisionByZero: 'A division by zero.',
};

/** What the other dispatch errors mean, in plain words. */
const DISPATCH_ERRORS = {
  BadOrigin: 'This account may not make this call: sign with one that may.',
  CannotLookup: 'An account given to the call does not exist: check the address.',
  ConsumerRemaining:
    'The account is still in use (a deposit, a hold or a lock refers to it): release those first.',
  NoProviders: 'The account does not exist: fund it first.',
  TooManyConsumers: 'The account is referred to by too many things already: release some first.',
  Exhausted: 'The block has no room left for this: try again in a later block.',
  Corruption: 'The chain found its state inconsistent: report it to the chain operators.',
  Unavailable: 'A resource the call needs is unavailable now: try again later.',
  RootNotAllowed: 'Root may not make this call.',
};

/**
 * Describes a dispatch error: `pallet.Error` and its doc line, or its kind and what it means in
 * plain words.
 */
export function describeError(api, dispatchError) {
  if (dispatchError.isModule) {
    const meta = api.registry.findMetaError(dispatchError.asModule);
    return { name: `${meta.section}.${meta.name}`, docs: meta.docs.join(' ').trim() };
  }
  if (dispatchError.isToken) {
    const type = dispatchError.asToken.type;
    return { name: `token.${type}`, docs: TOKEN_ERRORS[type] ?? '' };
  }
  if (dispatchError.isArithmetic) {
    const type = dispatchError.asArithmetic.type;
    return { name: `arithmetic.${type}`, docs: ARITHMETIC_ERRORS[type] ?? '' };
  }
  const type = dispatchError.type;
  return { name: type, docs: DISPATCH_ERRORS[type] ?? `The chain refused the call (${type}).` };
}

/** What a transaction the pool refuses means, in plain words, and what to do about it. */
const INVALID_TRANSACTIONS = {
  Payment: 'The signer cannot pay the transaction fee: fund the account first.',
  Future: 'The signer has transactions waiting with lower nonces: wait for them to be included.',
  Stale: 'The nonce was used already: submit again.',
  BadProof: 'The signature does not verify: check --suri.',
  ExhaustsResources: 'The transaction does not fit in a block: make it smaller.',
  Call: 'The call is not allowed.',
  AncientBirthBlock: 'The transaction is too old: submit it again.',
  BadSigner: 'The signer may not make this call.',
};

/** The first line of an error's message, without the node's backtrace. */
export function firstLine(message) {
  return String(message).split('\n')[0].trim();
}

/**
 * The answer of a dry run (SCALE bytes) as the runtime's own `ApplyExtrinsicResult`, the output
 * of `BlockBuilder.apply_extrinsic` in its metadata: @polkadot/api's built-in definition of
 * the type lists older error variants (its `TokenError` starts with `NoFunds`).
 */
function applyResult(api, bytes) {
  const method = api.registry.metadata.apis
    .find((a) => a.name.toString() === 'BlockBuilder')
    ?.methods.find((m) => m.name.toString() === 'apply_extrinsic');
  const type = method ? api.registry.createLookupType(method.output) : 'ApplyExtrinsicResult';
  return api.registry.createType(type, bytes);
}

/**
 * Dry-runs `tx` signed by `pair` on the node's best block (`system_dryRun`), without submitting
 * it: `null` when it would succeed (or the node offers no dry run), otherwise `{ name, docs }`
 * saying why it would fail. Nothing is submitted and no fee is charged either way.
 */
export async function dryRun(api, tx, pair) {
  if (!api.rpc.system?.dryRun) return null;
  const probe = api.tx(tx.method);
  // Immortal: the probe never enters a block, and a mortal era would tie it to a block hash
  // the dry run's state may not know yet.
  await probe.signAsync(pair, { nonce: -1, era: 0 });
  let result;
  try {
    result = applyResult(api, await api.rpc.system.dryRun.raw(probe.toHex()));
  } catch (e) {
    // The node keeps `system_dryRun` to itself (an unsafe RPC on a public node): the chain
    // decides when the transaction is submitted.
    if (/-32601|unsafe|not found/i.test(e.message)) return null;
    // The runtime stopped on it (the node's message is a backtrace, of no use to the signer).
    return {
      name: 'invalid.Unexecutable',
      docs: 'The chain cannot execute this call (most often an argument it cannot read): check the arguments.',
    };
  }
  if (result.isErr) {
    const validity = result.asErr;
    const kind = validity.isInvalid ? validity.asInvalid : validity.asUnknown;
    return {
      name: `invalid.${kind.type}`,
      docs: INVALID_TRANSACTIONS[kind.type] ?? `The pool refuses it (${kind.type}).`,
    };
  }
  const outcome = result.asOk;
  return outcome.isErr ? describeError(api, outcome.asErr) : null;
}

/**
 * Signs and submits `tx`, waits until it is in a block, and returns what happened:
 * `{ blockHash, events, ok, error, fee }` where `fee` is the fee the signer paid and `error` is
 * `{ name, docs }` when the dispatch failed. `options` are the signing options (a `nonce` for
 * several transactions in flight at once).
 */
export function submit(api, tx, pair, options = {}) {
  return new Promise((resolve, reject) => {
    let unsub;
    tx.signAndSend(pair, options, (result) => {
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

/** Consent to training and to commercial use. */
export const FULL_CONSENT = { training: true, commercial: true };

/**
 * Creates an open dataset (contributions accepted as they come, no review deposit, full consent
 * required) described by `metadata`, signed by `pair`; returns its id.
 */
export async function createOpenDataset(api, pair, metadata) {
  const policy = {
    admission: 'Open',
    contributionDeposit: 0,
    rejectSlash: 0,
    minConsent: FULL_CONSENT,
  };
  const res = await submitOk(api, api.tx.datasets.createDataset(metadata, 'CcBy', policy), pair);
  return eventData(res, 'datasets', 'DatasetCreated').dataset.toNumber();
}
