// `lineage verify model|job|payouts`: the answers of `lineage models …`, `lineage compute job`
// and `lineage rewards pending` / `lineage chain balances`, read through an embedded light
// client (lib/light.js) at the latest finalized block it proved, so that no RPC node is trusted.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { decodeAddress } from '@polkadot/util-crypto';
import { NotVerified, startLightClient } from '../lib/light.js';
import { DEVNET_SPEC } from '../lib/node.js';
import { ArgError, collectArgs } from './args.js';
import { printValue, plain, readable } from './output.js';
import { showQuery } from './views.js';

const SMOLDOT = JSON.parse(
  readFileSync(new URL('../node_modules/smoldot/package.json', import.meta.url), 'utf8'),
).version;

/** Each subject: the argument it takes and the CLI verbs whose answers it proves. */
const SUBJECTS = {
  model: {
    arg: 'VERSION',
    docs: 'a model version, the snapshots and shares of its attribution table, and its taint',
    verbs: [
      ['models', 'version'],
      ['models', 'attribution'],
      ['models', 'taint'],
    ],
  },
  job: {
    arg: 'JOB',
    docs: 'a job: who asked, who ran it, on which model version, its state and what it paid',
    verbs: [['compute', 'job']],
  },
  payouts: {
    arg: 'ACCOUNT',
    docs: "an account's claimable rewards (as contributor, model owner and provider) and its balances",
    verbs: [
      ['rewards', 'pending'],
      ['chain', 'balances'],
    ],
  },
};

const FLAGS = ['chain-spec', 'database', 'timeout', 'json', 'exact', 'help', 'ws'];

export function verifyHelp() {
  return [
    'lineage verify model VERSION | job JOB | payouts ACCOUNT --chain-spec FILE [--database FILE]',
    '                                                         [--timeout 120] [--json]',
    '  Starts an embedded light client (smoldot) from the chain spec, syncs the finalized chain',
    "  from the spec's boot nodes (each finality step proven by GRANDPA justifications), and reads",
    '  the answer at the latest finalized block with Merkle proofs checked against its state root:',
    '  no RPC node is asked (--ws is not used). Prints what the named verbs print, then the block',
    '  it is proven at; fails, saying why, when it cannot verify (no peer, not synced in --timeout',
    '  seconds, a pruned state).',
    ...Object.entries(SUBJECTS).flatMap(([name, s]) => [
      `  ${`verify ${name} ${s.arg}`.padEnd(24)} ${s.docs}`,
      `  ${''.padEnd(24)} (as ${s.verbs.map((v) => `lineage ${v.join(' ')}`).join(', ')} print${s.verbs.length === 1 ? 's' : ''} it)`,
    ]),
    '  --chain-spec FILE  the chain spec, with boot nodes a light client can dial (default',
    "                     $LINEAGE_CHAIN_SPEC, else the devnet's, ~/.cache/lineage/devnet-chain-spec.json;",
    '                     the local network writes local-network-data/chain-spec.json)',
    '  --database FILE    where the light client keeps what it learnt between runs: read at start',
    '                     (a restart skips most of the sync), written after the answer; trusted like',
    '                     the chain spec, so keep it where only you can write',
  ].join('\n');
}

/** Prints the answer of `area verb` at the block `at` decorates, as the full-node verb does. */
async function answer(api, at, verb, values, flags, out) {
  if (verb.kind === 'query') return showQuery(api, at, verb, values, flags, out);
  const result = await verb.run(at, values, { json: Boolean(flags.json), out });
  return printValue(result);
}

export async function runVerify(subject, rest, flags, verbsOf) {
  if (!subject || flags.help) return console.log(verifyHelp());
  const spec = SUBJECTS[subject];
  if (!spec)
    throw new ArgError(
      `unknown subject "${subject}"; verify ${Object.keys(SUBJECTS).join(', ')} (see lineage verify --help)`,
    );
  const unknown = Object.keys(flags).find((f) => !FLAGS.includes(f));
  if (unknown)
    throw new ArgError(`unknown option --${unknown} for verify; see lineage verify --help`);
  if (rest.length !== 1) throw new ArgError(`verify ${subject} takes one ${spec.arg}`);
  // Caught before the light client starts: a mistake costs no sync.
  if (spec.arg === 'ACCOUNT') {
    try {
      decodeAddress(rest[0]);
    } catch {
      throw new ArgError(`"${rest[0]}" is not an account (SS58, or 0x and 64 hex digits)`);
    }
  } else if (!/^\d+$/.test(rest[0])) {
    throw new ArgError(`${spec.arg} is a number, not "${rest[0]}"`);
  }
  const specPath =
    flags['chain-spec'] ??
    process.env.LINEAGE_CHAIN_SPEC ??
    (existsSync(DEVNET_SPEC) ? DEVNET_SPEC : undefined);
  if (!specPath)
    throw new ArgError(
      'pass --chain-spec FILE: the chain spec of the chain to verify, with boot nodes (see lineage verify --help)',
    );
  let chainSpec;
  try {
    chainSpec = readFileSync(specPath, 'utf8');
  } catch (e) {
    throw new ArgError(
      `--chain-spec ${specPath}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`,
    );
  }
  const timeout = flags.timeout === undefined ? 120 : Number(flags.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new ArgError(`--timeout ${flags.timeout} is not a number of seconds`);

  const database =
    flags.database && existsSync(flags.database) ? readFileSync(flags.database, 'utf8') : undefined;
  const started = Date.now();
  const light = await startLightClient(chainSpec, {
    timeoutMs: timeout * 1000,
    databaseContent: database,
  });
  try {
    const { api } = light;
    const synced = Date.now() - started;
    const block = await light.finalized();
    if (flags.database) writeFileSync(flags.database, await light.saveDatabase());
    const at = await api.at(block.hash);
    const out = readable(api, { exact: Boolean(flags.exact) });
    const verbs = spec.verbs.map(([area, name]) => [area, name, verbsOf(area)[name]]);
    const values = verbs.map(([, , verb]) => collectArgs(api, verb.args, [...rest], {}));
    if (flags.json) {
      const answers = {};
      for (const [i, [area, name, verb]] of verbs.entries())
        answers[`${area} ${name}`] =
          verb.kind === 'query'
            ? plain(await at.call[verb.section][verb.method](...values[i]))
            : await verb.run(at, values[i], { json: true, out });
      return printValue({ verified: true, block, genesis: api.genesisHash.toHex(), answers });
    }
    for (const [i, [area, name, verb]] of verbs.entries()) {
      console.log(`lineage ${area} ${name} ${rest[0]}:`);
      await answer(api, at, verb, values[i], flags, out);
    }
    const chain = await api.rpc.system.chain();
    console.log(
      `Verified: proven at finalized block #${block.number.toLocaleString('en-US')} (${block.hash}) of ` +
        `${chain} (genesis ${api.genesisHash.toHex()}) by an embedded light client (smoldot ${SMOLDOT}), ` +
        `synced from ${specPath}${database ? ' and a saved database' : ''} in ${(synced / 1000).toFixed(1)} s; ` +
        'no RPC node was asked.',
    );
  } catch (e) {
    if (e instanceof NotVerified || e instanceof ArgError) throw e;
    throw new NotVerified(`not verified: ${e.message}`);
  } finally {
    await light.close();
  }
}
