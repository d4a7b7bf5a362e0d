// What a dataset snapshot holds, recomputed off-chain from the contribution records (paged in
// acceptance order through the runtime API): the content root over accepted contributions, the
// withdrawn root over withdrawn ones in withdrawal order, and the snapshot's contents (the first
// less the second).

import { blake2AsU8a } from '@polkadot/util-crypto';

/**
 * A dataset's root over `contributions` (each with `id`, `hash`, `items`), in their order:
 * `root' = blake2_256(SCALE(root, contribution id, item hash or batch root, item count))` from
 * zero, as the datasets pallet links its content and withdrawn roots.
 */
export function chainRoot(api, contributions) {
  let root = api.createType('H256', new Uint8Array(32));
  for (const { id, hash, items } of contributions) {
    const link = api.createType('(H256, u64, H256, u32)', [root, id, hash, items]);
    root = api.createType('H256', blake2AsU8a(link.toU8a()));
  }
  return root;
}

/**
 * The first `count` accepted contributions of `dataset` in acceptance order, with their places in
 * both roots, paged through `DatasetsApi.accepted_contributions`.
 */
async function acceptedContributions(api, dataset, count) {
  const accepted = [];
  let cursor = null;
  while (accepted.length < count) {
    const page = await api.call.datasetsApi.acceptedContributions(dataset, cursor, 100);
    for (const { id, contribution: c } of page.items) {
      const state = c.state.asAccepted;
      accepted.push({
        id: id.toBigInt(),
        hash: c.content.hash_,
        items: c.items.toNumber(),
        position: state.position.toNumber(),
        withdrawn: state.withdrawn.isSome ? state.withdrawn.unwrap().toNumber() : null,
      });
    }
    if (page.next.isNone) break;
    cursor = page.next.unwrap();
  }
  return accepted.slice(0, count);
}

/**
 * Recomputes snapshot `version` of `dataset` from the records and compares its roots with the
 * ones the chain recorded; `null` when there is no such snapshot.
 */
export async function verifySnapshot(api, dataset, version) {
  const snapshot = await api.query.datasets.snapshots(dataset, version);
  if (snapshot.isNone) return null;
  const frozen = snapshot.unwrap();
  const inContent = await acceptedContributions(api, dataset, frozen.contributions.toNumber());
  const withdrawn = inContent
    .filter((c) => c.withdrawn !== null && c.withdrawn < frozen.withdrawn.toNumber())
    .sort((a, b) => a.withdrawn - b.withdrawn);
  const contentRoot = chainRoot(api, inContent);
  const withdrawnRoot = chainRoot(api, withdrawn);
  const left = new Set(withdrawn.map((c) => c.id));
  const holds = inContent.filter((c) => !left.has(c.id));
  return {
    dataset: Number(dataset),
    version: Number(version),
    contentRoot: contentRoot.toHex(),
    contentRootMatches: contentRoot.eq(frozen.contentRoot),
    withdrawnRoot: withdrawnRoot.toHex(),
    withdrawnRootMatches: withdrawnRoot.eq(frozen.withdrawnRoot),
    contributions: holds.map((c) => c.id.toString()),
    items: holds.reduce((sum, c) => sum + c.items, 0),
  };
}
