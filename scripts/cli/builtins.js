// Verbs that are not a single pallet call or runtime-API method: the `chain` area, snapshot
// verification and the governance read-outs.
//
// A `run` verb gets `(api, values, { json, out })` and returns what to print: with `json`, plain
// data (amounts in plancks as decimal strings); otherwise values as `out` (see `readable` in
// output.js) writes them.

import { preimageLookup } from '../lib/api.js';
import { verifySnapshot } from '../lib/snapshots.js';
import { ArgError } from './args.js';
import { plain, storageType } from './output.js';

const ACCOUNT = { name: 'who', type: 'AccountId32', typeName: '' };

/** The origin each referendum track decides for. */
const TRACK_ORIGINS = {
  root: { system: 'Root' },
  admin: { Origins: 'LineageAdmin' },
  referendum_canceller: { Origins: 'ReferendumCanceller' },
};

/** `section.method` of a call the chain has (e.g. `lineageParams.setParameters`). */
function parseCallName(raw) {
  const match = /^([a-zA-Z]+)\.([a-zA-Z]+)$/.exec(raw);
  if (!match)
    throw new ArgError(`"${raw}" is not a call name (write e.g. lineageParams.setParameters)`);
  return { section: match[1], method: match[2] };
}

function parseJsonArray(raw) {
  let value;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw new ArgError(`not valid JSON: ${e.message}`);
  }
  if (!Array.isArray(value)) throw new ArgError("the call's arguments must be a JSON array");
  return value;
}

/** A track name, refused unless the chain has it. */
function parseTrack(raw) {
  if (!TRACK_ORIGINS[raw])
    throw new ArgError(`"${raw}" is not a track (root, admin, referendum_canceller)`);
  return raw;
}

/** Notes `call` as a preimage and opens a referendum on it on `track`, in one transaction. */
function referendum(api, track, call) {
  return api.tx.utility.batchAll([
    api.tx.preimage.notePreimage(call.method.toHex()),
    api.tx.referenda.submit(TRACK_ORIGINS[track], preimageLookup(call), { After: 0 }),
  ]);
}

/**
 * The parameter set in force with the value at `path` (e.g. `compute.minBond`, as the JSON of
 * the set names it) replaced by `value`.
 */
export async function parametersWith(api, path, value) {
  const params = (await api.call.parametersApi.parameters()).params.toJSON();
  const keys = path.split('.');
  let node = params;
  for (const key of keys.slice(0, -1)) {
    if (node?.[key] === undefined || typeof node[key] !== 'object')
      throw new ArgError(`the parameter set has no group "${key}" in "${path}"`);
    node = node[key];
  }
  const last = keys[keys.length - 1];
  if (!(last in node)) throw new ArgError(`the parameter set has no value "${path}"`);
  node[last] = value;
  return params;
}

export const BUILTINS = {
  parameters: {
    verbs: {
      propose: {
        kind: 'compose',
        args: [
          { name: 'track', type: 'Text', typeName: 'admin | root', parse: parseTrack },
          { name: 'name', type: 'Text', typeName: 'group.value, e.g. compute.minBond' },
          {
            name: 'value',
            type: 'Text',
            typeName: 'JSON value (amounts in plancks, shares in parts per billion)',
            parse: (raw) => {
              try {
                return JSON.parse(raw);
              } catch (e) {
                throw new ArgError(`not valid JSON: ${e.message}`);
              }
            },
          },
        ],
        docs: [
          'Propose changing one governed parameter: reads the set in force, replaces `name` with',
          '`value`, and opens a referendum on `lineageParams.setParameters` with the result on',
          '`track` (the admin track decides parameters). The chain checks every rule when the',
          'referendum is enacted. Then place the decision deposit and vote as for any referendum.',
        ],
        async build(api, [track, name, value]) {
          const params = await parametersWith(api, name, value);
          let call;
          try {
            call = api.tx.lineageParams.setParameters(params);
          } catch (e) {
            throw new ArgError(`${name}: ${e.message.split('\n')[0]}`);
          }
          return referendum(api, track, call);
        },
      },
    },
  },
  datasets: {
    verbs: {
      'verify-snapshot': {
        kind: 'run',
        args: [
          { name: 'dataset', type: 'u32', typeName: 'DatasetId' },
          { name: 'version', type: 'u32', typeName: 'SnapshotVersion' },
        ],
        docs: [
          "Recomputes a snapshot's content and withdrawn roots from the dataset's contribution",
          'records and compares them with the roots the chain recorded; lists what the snapshot',
          'holds (its contributions less the withdrawn ones).',
        ],
        async run(api, [dataset, version]) {
          const check = await verifySnapshot(api, dataset, version);
          if (!check) throw new ArgError(`dataset ${dataset} has no snapshot ${version}`);
          return check;
        },
      },
    },
  },
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
        docs: [
          "An account's free, reserved and frozen balance, and what each pallet holds from it and why.",
        ],
        async run(api, [who], { json, out }) {
          const [{ data, nonce }, holds] = await Promise.all([
            api.query.system.account(who),
            api.query.balances.holds(who),
          ]);
          const amount = (x) => (json ? x.toString() : out.amount(x));
          const reasons = json
            ? holds.map((h) => plain(h.id))
            : out.value(holds, storageType(api.query.balances.holds)).map((h) => h.id);
          return {
            account: json ? who : out.account(who),
            nonce: nonce.toNumber(),
            free: amount(data.free),
            reserved: amount(data.reserved),
            frozen: amount(data.frozen),
            holds: holds.map((h, i) => ({ reason: reasons[i], amount: amount(h.amount) })),
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
        docs: [
          'Transfer `value` (in whole tokens) to `dest`, keeping the sender above the existential deposit.',
        ],
      },
    },
  },
  governance: {
    verbs: {
      propose: {
        kind: 'compose',
        args: [
          {
            name: 'track',
            type: 'Text',
            typeName: 'root | admin | referendum_canceller',
            parse: parseTrack,
          },
          { name: 'call', type: 'Text', typeName: 'section.method', parse: parseCallName },
          { name: 'args', type: 'Text', typeName: 'JSON array', parse: parseJsonArray },
        ],
        docs: [
          'Propose a referendum on `call` with `args` (a JSON array, amounts in plancks) on `track`:',
          'notes the call as a preimage and submits the referendum in one transaction (both deposits',
          'held from the signer). Then place the decision deposit (`referenda.place-decision-deposit`)',
          'and vote (`conviction-voting.vote`).',
        ],
        build(api, [track, { section, method }, args]) {
          const fn = api.tx[section]?.[method];
          if (!fn) throw new ArgError(`the chain has no call ${section}.${method}`);
          if (fn.meta.args.length !== args.length) {
            throw new ArgError(
              `${section}.${method} takes ${fn.meta.args.length} arguments, not ${args.length}`,
            );
          }
          let call;
          try {
            call = fn(...args);
          } catch (e) {
            throw new ArgError(`--args: ${e.message.split('\n')[0]}`);
          }
          return referendum(api, track, call);
        },
      },
      referendum: {
        kind: 'run',
        args: [{ name: 'index', type: 'u32', typeName: 'ReferendumIndex' }],
        docs: [
          "A referendum's status: track, origin, proposal, tally, deposits and the blocks it moved on.",
        ],
        async run(api, [index], { json, out }) {
          const info = await api.query.referenda.referendumInfoFor(index);
          if (info.isNone) throw new ArgError(`there is no referendum ${index}`);
          if (json) return plain(info.unwrap());
          return out.value(info.unwrap(), storageType(api.query.referenda.referendumInfoFor));
        },
      },
      tracks: {
        kind: 'run',
        args: [],
        docs: ['The referendum tracks: who they decide for and their periods (in blocks).'],
        async run(api, _, { json, out }) {
          return api.consts.referenda.tracks.map(([id, track]) => ({
            id: id.toNumber(),
            name: Buffer.from(track.name.toU8a(true)).toString('utf8').replace(/\0+$/, ''),
            maxDeciding: track.maxDeciding.toNumber(),
            decisionDeposit: json
              ? track.decisionDeposit.toString()
              : out.amount(track.decisionDeposit),
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
