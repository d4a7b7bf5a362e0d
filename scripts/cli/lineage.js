#!/usr/bin/env node
// `lineage`: drive a Lineage chain from the command line. One verb per pallet call and per
// runtime-API method, grouped by area; see `lineage --help`.
//
// Exit codes: 0 done, 1 the chain refused (a pallet error, an invalid transaction), 2 a bad
// argument (nothing was signed), 3 no node to talk to.

import { connect as net } from 'node:net';
import { connect, dryRun, signer, submit } from '../lib/api.js';
import { DEFAULT_WS, chainSs58, formatAmount } from '../lib/units.js';
import { ArgError, splitArgs, collectArgs, kebab } from './args.js';
import { AREAS, buildCatalog, loadCatalog, writeCatalog } from './catalog.js';
import { BUILTINS } from './builtins.js';
import { plain, human, eventRecord, eventLine, printValue } from './output.js';

const GLOBAL_FLAGS = ['ws', 'suri', 'json', 'help'];

class ChainError extends Error {}
class NoNode extends Error {}

const AREA_ORDER = [
  'chain',
  'datasets',
  'models',
  'compute',
  'rewards',
  'parameters',
  'governance',
];

function topHelp() {
  const lines = [
    'lineage — drive a Lineage chain: datasets, models, compute, rewards, governance',
    '',
    'Usage: lineage <area> <verb> [arguments] [--ws URL] [--suri SURI] [--json]',
    '       lineage <area> --help          the verbs of an area',
    "       lineage <area> <verb> --help   a verb's arguments and docs (from the chain metadata)",
    '       lineage demo                   play the whole story on a devnet and print who was paid what',
    '       lineage bench <profile>        load the chain with one kind of call and report throughput',
    '       lineage explorer [--port 8080] [--host 127.0.0.1]',
    '                                      serve the explorer web page (it reads the chain from the browser)',
    '',
    'Areas:',
  ];
  for (const area of AREA_ORDER) lines.push(`  ${area.padEnd(12)}${summaryOf(area)}`);
  lines.push(
    '',
    'Options:',
    `  --ws URL       node to talk to (default $LINEAGE_WS or ${DEFAULT_WS})`,
    "  --suri SURI    the signer's secret URI, needed by verbs that sign (e.g. //Alice on a dev chain)",
    '  --json         machine-readable output',
    '',
    'Arguments go by name (--dataset 3) or in order. Amounts are in LIN (10, 0.25), shares in',
    'percent (30%), hashes 0x + 64 hex digits, accounts SS58; structured values are JSON',
    '(amounts inside JSON in plancks). Example:',
    '  lineage datasets create-dataset --metadata \'{"hash":"0x…","uri":"ipfs://…","bytes":0}\' \\',
    '    --licence CcBy --policy \'{"admission":"Open",…}\' --suri //Alice',
  );
  return lines.join('\n');
}

function summaryOf(area) {
  return AREAS[area]?.summary ?? BUILTINS[area]?.summary ?? '';
}

/** Every verb of `area`: the catalog's (calls, runtime-API methods) and the built-in ones. */
function verbsOf(area) {
  if (!AREAS[area] && !BUILTINS[area]) return null;
  const fromCatalog = AREAS[area] ? (loadCatalog().areas[area] ?? {}) : {};
  return { ...fromCatalog, ...(BUILTINS[area]?.verbs ?? {}) };
}

/** Whether a verb submits a signed transaction. */
const signs = (verb) => verb.kind === 'call' || verb.kind === 'compose';

function firstLine(docs) {
  return (docs.find((d) => d.trim()) ?? '').trim();
}

function areaHelp(area, verbs) {
  const lines = [
    `lineage ${area} — ${summaryOf(area)}`,
    '',
    'Verbs (s: signs a transaction, q: reads the chain):',
  ];
  const width = Math.max(...Object.keys(verbs).map((v) => v.length)) + 2;
  for (const [name, verb] of Object.entries(verbs)) {
    lines.push(`  ${signs(verb) ? 's' : 'q'} ${name.padEnd(width)}${firstLine(verb.docs)}`);
  }
  lines.push('', `lineage ${area} <verb> --help shows a verb's arguments and docs.`);
  return lines.join('\n');
}

function verbHelp(area, name, verb) {
  const usage = verb.args.map((a) => `--${kebab(a.name)} <${a.typeName || a.type}>`).join(' ');
  const lines = [
    `lineage ${area} ${name} ${usage}${signs(verb) ? ' --suri <SURI>' : ''}`.trimEnd(),
    '',
  ];
  if (verb.kind === 'call')
    lines.push(
      `Submits ${verb.section}.${verb.method} signed by --suri and prints its events.`,
      '',
    );
  if (verb.kind === 'query')
    lines.push(`Calls the runtime API ${verb.section}.${verb.method}.`, '');
  lines.push(...verb.docs.map((d) => d.replace(/^ /, '')));
  if (verb.args.length) {
    lines.push('', 'Arguments:');
    for (const a of verb.args) {
      lines.push(`  --${kebab(a.name).padEnd(20)} ${a.typeName || a.type}`);
      if (a.shape) lines.push(`  ${''.padEnd(22)} JSON: ${a.shape}`);
    }
  }
  return lines.join('\n');
}

/** Fails fast (exit 3) when nothing listens at `ws`, instead of retrying for ever. */
async function reachable(ws) {
  const url = new URL(ws);
  const port = Number(url.port || (url.protocol === 'wss:' ? 443 : 80));
  await new Promise((resolve, reject) => {
    const socket = net({ host: url.hostname, port, timeout: 5000 });
    socket.once('connect', () => socket.end(resolve));
    socket.once('timeout', () => socket.destroy(new Error('timed out')));
    socket.once('error', reject);
  }).catch((e) => {
    throw new NoNode(
      `no node answers at ${ws} (${e.message}): start one with scripts/devnet.sh or pass --ws`,
    );
  });
  return connect(ws);
}

/** Submits a signing verb and reports its events; throws ChainError when the chain refuses it. */
async function runCall(api, verb, values, flags) {
  if (!flags.suri)
    throw new ArgError('this verb signs a transaction: pass --suri (e.g. //Alice on a dev chain)');
  const tx =
    verb.kind === 'compose'
      ? await verb.build(api, values)
      : api.tx[verb.section][verb.method](...values);
  const pair = signer(flags.suri, chainSs58(api));
  // A call that would fail is refused here, with the chain's own reason, before it costs a fee.
  const refusal = await dryRun(api, tx, pair);
  if (refusal) {
    const call = `${tx.method.section}.${tx.method.method}`;
    if (flags.json) printValue({ ok: false, call, signer: pair.address, fee: '0', error: refusal });
    throw new ChainError(
      `${refusal.name}: ${refusal.docs} (found by a dry run: nothing was submitted, no fee charged)`,
    );
  }
  let res;
  try {
    res = await submit(api, tx, pair);
  } catch (e) {
    throw new ChainError(`the transaction was refused: ${e.message}`);
  }
  const header = await api.rpc.chain.getHeader(res.blockHash);
  const decimals = api.registry.chainDecimals[0];
  const report = {
    ok: res.ok,
    call: `${tx.method.section}.${tx.method.method}`,
    signer: pair.address,
    block: header.number.toNumber(),
    blockHash: res.blockHash,
    fee: res.fee.toString(),
    events: res.events.map((e) => eventRecord(e)),
    error: res.error,
  };
  if (flags.json) {
    printValue(report);
  } else {
    const fee = `${formatAmount(res.fee.toString(), decimals)} ${api.registry.chainTokens[0]}`;
    console.log(
      `${report.call} by ${pair.address} in block #${report.block} (${res.blockHash}), fee ${fee}`,
    );
    for (const e of res.events) console.log(eventLine(e));
  }
  if (!res.ok) throw new ChainError(`${res.error.name}: ${res.error.docs}`);
}

async function runQuery(api, verb, values, flags) {
  const result = await api.call[verb.section][verb.method](...values);
  printValue(flags.json ? plain(result) : human(result));
}

async function runDemo(flags) {
  const { playStory, formatReport } = await import('../lib/story.js');
  const api = await reachable(flags.ws);
  try {
    const report = await playStory(api, flags.json ? () => {} : (line) => console.log(line));
    if (flags.json) printValue(report);
    else console.log('\n' + formatReport(report));
  } finally {
    await api.disconnect();
  }
}

async function runExplorer(flags) {
  const unknown = Object.keys(flags).find((f) => !['port', 'host', 'ws', 'help'].includes(f));
  if (unknown) throw new ArgError(`unknown option --${unknown} for explorer`);
  const port = flags.port === undefined ? 8080 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ArgError(`--port ${flags.port} is not a port number`);
  const { serveExplorer } = await import('../explorer/server.js');
  const { server, url } = await serveExplorer({ port, host: flags.host ?? '127.0.0.1' });
  const ws = encodeURIComponent(flags.ws);
  console.log(
    `Lineage explorer at ${url}?ws=${ws} (the node is a field on the page); Ctrl-C stops it`,
  );
  // Serves until Ctrl-C (or a SIGTERM), then closes the port and exits.
  await new Promise((resolve) => {
    const stop = () => {
      console.log('explorer stopped');
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

const BENCH_FLAGS = ['count', 'senders', 'window', 'items', 'funder', 'prometheus', 'stall'];

function benchHelp(profileList) {
  return [
    'lineage bench <profile> [--count 20000] [--senders 100] [--ws URL] [--json]',
    '',
    'Funds the senders and prepares state (signed by --funder, default //Alice), signs every',
    'transaction first, submits them as fast as the pool takes them, and reports sustained TPS,',
    "the peak per block, each block's weight and length fullness and why its author stopped, and",
    'inclusion latency.',
    '',
    'Profiles:',
    ...profileList(),
    '',
    'Options:',
    '  --count N          transactions to send (default 20000)',
    '  --senders N        accounts signing them, nonces in order (default 100)',
    '  --window N         most sent but not yet included (default 4000, under the pool limit)',
    '  --items N          items per record for datasets.contribute-batch (default 10000)',
    '  --funder SURI      who funds the senders and prepares state (default //Alice)',
    "  --prometheus URLS  the author's metrics (default http://<ws host>:9615/metrics), or every",
    "                     validator's, comma-separated: the others' import times too",
    '  --stall S          give up after S seconds without an inclusion (default 60)',
  ].join('\n');
}

async function runBench(profile, flags) {
  const { bench, formatBench } = await import('../bench/harness.js');
  const { PROFILES, profileList } = await import('../bench/profiles.js');
  if (!profile || flags.help) {
    console.log(benchHelp(profileList));
    return;
  }
  if (!PROFILES[profile])
    throw new ArgError(
      `unknown bench profile "${profile}"; the profiles are ${Object.keys(PROFILES).join(', ')}`,
    );
  const unknown = Object.keys(flags).find((f) => ![...GLOBAL_FLAGS, ...BENCH_FLAGS].includes(f));
  if (unknown)
    throw new ArgError(`unknown option --${unknown} for bench; see lineage bench --help`);
  const number = (name, fallback) => {
    if (flags[name] === undefined) return fallback;
    const n = Number(flags[name]);
    if (!Number.isInteger(n) || n < 1) throw new ArgError(`--${name} must be a positive integer`);
    return n;
  };
  const opts = {
    count: number('count', 20_000),
    senders: number('senders', 100),
    window: number('window', 4_000),
    items: number('items', 10_000),
    stall: number('stall', 60),
    funder: flags.funder ?? '//Alice',
    prometheus: String(
      flags.prometheus ?? `http://${new URL(flags.ws).hostname}:9615/metrics`,
    ).split(','),
    log: flags.json ? () => {} : (line) => console.log(line),
  };
  const api = await reachable(flags.ws);
  try {
    const report = await bench(api, profile, opts);
    if (flags.json) printValue(report);
    else console.log(formatBench(report));
    if (report.included < report.count)
      throw new ChainError(`${report.count - report.included} transactions were not included`);
  } finally {
    await api.disconnect();
  }
}

async function runCatalog(flags) {
  const api = await reachable(flags.ws);
  try {
    const catalog = buildCatalog(api);
    if (flags.write) writeCatalog(catalog);
    else printValue(catalog);
  } finally {
    await api.disconnect();
  }
}

async function main(argv) {
  const { positional, flags } = splitArgs(argv);
  flags.ws ??= process.env.LINEAGE_WS || DEFAULT_WS;
  const [area, name, ...rest] = positional;
  if (!area) {
    console.log(topHelp());
    return;
  }
  if (area === 'demo') return runDemo(flags);
  if (area === 'catalog') return runCatalog(flags);
  if (area === 'bench') return runBench(name, flags);
  if (area === 'explorer') return runExplorer(flags);
  const verbs = verbsOf(area);
  if (!verbs) throw new ArgError(`unknown area "${area}"; the areas are ${AREA_ORDER.join(', ')}`);
  if (!name) {
    console.log(areaHelp(area, verbs));
    return;
  }
  const verb = verbs[name];
  if (!verb) throw new ArgError(`unknown verb "${area} ${name}"; see lineage ${area} --help`);
  if (flags.help) {
    console.log(verbHelp(area, name, verb));
    return;
  }
  const known = new Set([...GLOBAL_FLAGS, ...verb.args.map((a) => kebab(a.name))]);
  const unknown = Object.keys(flags).find((f) => !known.has(f));
  if (unknown)
    throw new ArgError(
      `unknown option --${unknown} for ${area} ${name}; see lineage ${area} ${name} --help`,
    );

  const api = await reachable(flags.ws);
  try {
    const values = collectArgs(api, verb.args, rest, flags);
    if (signs(verb)) await runCall(api, verb, values, flags);
    else if (verb.kind === 'query') await runQuery(api, verb, values, flags);
    else printValue(await verb.run(api, values, flags));
  } finally {
    await api.disconnect();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    const code = e instanceof ArgError ? 2 : e instanceof NoNode ? 3 : 1;
    console.error(`error: ${e.message}`);
    process.exit(code);
  },
);
