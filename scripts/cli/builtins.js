// Verbs that are not a single pallet call or runtime-API method: the `chain` area and the
// governance read-outs.

import { formatAmount } from './args.js';
import { plain, human } from './output.js';

const ACCOUNT = { name: 'who', type: 'AccountId32', typeName: '' };

export const BUILTINS = {
  chain: {
    summary: 'node and chain status, balances, transfers',
    verbs: {
      status: {
        kind: 'run',
        args: [],
        docs: ['The chain, its runtime, best and finalized blocks, peers and token.'],
        async run(api) {
          const [chain, health, best, finalized, version] = await Promise.all([
            api.rpc.system.chain(),
            api.rpc.system.health(),
            api.rpc.chain.getHeader(),
            api.rpc.chain.getFinalizedHead().then((h) => api.rpc.chain.getHeader(h)),
            api.rpc.state.getRuntimeVersion(),
          ]);
          return {
            chain: chain.toString(),
            runtime: `${version.specName}/${version.specVersion.toNumber()}`,
            best: best.number.toNumber(),
            finalized: finalized.number.toNumber(),
            peers: health.peers.toNumber(),
            syncing: health.isSyncing.isTrue,
            token: `${api.registry.chainTokens[0]} (${api.registry.chainDecimals[0]} decimals)`,
          };
        },
      },
      balances: {
        kind: 'run',
        args: [ACCOUNT],
        docs: ["An account's free, reserved and frozen balance, and what each pallet holds from it and why."],
        async run(api, [who]) {
          const decimals = api.registry.chainDecimals[0];
          const [{ data, nonce }, holds] = await Promise.all([api.query.system.account(who), api.query.balances.holds(who)]);
          const amount = (x) => formatAmount(x.toBigInt(), decimals);
          return {
            account: who,
            nonce: nonce.toNumber(),
            free: amount(data.free),
            reserved: amount(data.reserved),
            frozen: amount(data.frozen),
            holds: holds.map((h) => ({ reason: human(h.id), amount: amount(h.amount) })),
          };
        },
      },
      transfer: {
        kind: 'call',
        section: 'balances',
        method: 'transferKeepAlive',
        args: [
          { name: 'dest', type: 'MultiAddress', typeName: 'AccountIdLookupOf<T>' },
          { name: 'value', type: 'Compact<u128>', typeName: 'T::Balance' },
        ],
        docs: ['Transfer `value` (in whole tokens) to `dest`, keeping the sender above the existential deposit.'],
      },
    },
  },
  governance: {
    verbs: {
      referendum: {
        kind: 'run',
        args: [{ name: 'index', type: 'u32', typeName: 'ReferendumIndex' }],
        docs: ["A referendum's status: track, origin, proposal, tally, deposits and the blocks it moved on."],
        async run(api, [index]) {
          const info = await api.query.referenda.referendumInfoFor(index);
          if (info.isNone) return null;
          return plain(info.unwrap());
        },
      },
      tracks: {
        kind: 'run',
        args: [],
        docs: ['The referendum tracks: who they decide for and their periods (in blocks).'],
        async run(api) {
          return api.consts.referenda.tracks.map(([id, track]) => ({
            id: id.toNumber(),
            name: Buffer.from(track.name.toU8a(true)).toString('utf8').replace(/\0+$/, ''),
            maxDeciding: track.maxDeciding.toNumber(),
            decisionDeposit: formatAmount(track.decisionDeposit.toBigInt(), api.registry.chainDecimals[0]),
            preparePeriod: track.preparePeriod.toNumber(),
            decisionPeriod: track.decisionPeriod.toNumber(),
            confirmPeriod: track.confirmPeriod.toNumber(),
            minEnactmentPeriod: track.minEnactmentPeriod.toNumber(),
          }));
        },
      },
    },
  },
};
