#!/usr/bin/env node
// `lineage`: drive a Lineage chain from the command line. One verb per pallet call and per
// runtime-API method, grouped by area; see `lineage --help`.
//
// Exit codes: 0 done, 1 the chain refused (a pallet error, an invalid transaction), 2 a bad
// argument (nothing was signed), 3 no node to talk to. Every error is one line on stderr.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as net } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, dryRun, firstLine, signer, submit } from '../lib/api.js';
import { DEFAULT_WS, chainSs58 } from '../lib/units.js';
import { ArgError, DEFAULT_LIMIT, splitArgs, collectArgs, kebab } from './args.js';
import { AREAS, buildCatalog, loadCatalog, writeCatalog } from './catalog.js';
import { BUILTINS } from './builtins.js';
import { showQuery } from './views.js';
import { eventRecord, printValue, readable } from './output.js';

const GLOBAL_FLAGS = ['ws', 'suri', 'json', 'exact', 'help'];

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
    'Usage: lineage <area> <verb> [arguments] [--ws URL] [--suri SURI] [--json] [--exact]',
    '       lineage <area> --help          the verbs of an area',
    "       lineage <area> <verb> --help   a verb's arguments and docs (from the chain metadata)",
    '       lineage demo                   play the whole story on a devnet and print who was paid what',
    '       lineage bench <profile>        load the chain with one kind of call and report throughput',
    '       lineage explorer [--port 8080] [--host 127.0.0.1] [--chain-spec FILE]',
    '                                      serve the explorer web page (it reads the chain from the browser;',
    '                                      ?verified=1 through a light client started from the chain spec)',
    '       lineage content put|hash|serve|get the content store: hash, store, serve and fetch what records point at',
    '       lineage workload train|infer|evaluate|run  the reference workload, deterministic on every machine',
    '       lineage provider run | verifier run | arbiter check   the agents that run the compute market',
    '       lineage verify model|job|payouts   check a record through an embedded light client, trusting no node',
    '       lineage indexer [--db DIR | --database-url URL]   follow the finalized chain into PostgreSQL, serve its history',
    '       lineage history payouts|dataset|eras|provider|withdrawn   ask the history: payouts over time, revenue, eras',
    '',
    'Areas:',
  ];
  for (const area of AREA_ORDER) lines.push(`  ${area.padEnd(12)}${summaryOf(area)}`);
  lines.push(
    '',
    'Options:',
    `  --ws URL       node to talk to (default $LINEAGE_WS or ${DEFAULT_WS})`,
    "  --suri SURI    the signer's secret URI, needed by verbs that sign (e.g. //Alice on a dev chain)",
    '  --json         machine-readable output (amounts in plancks)',
    '  --exact        amounts with every decimal (default: 4 decimals, e.g. 1,234.5678 LIN)',
    '',
    'Arguments go by name (--dataset 3) or in order. Amounts are in LIN (10, 0.25), shares in',
    'percent (30%), hashes 0x + 64 hex digits, accounts SS58 (any prefix) or 0x + 64 hex digits;',
    'structured values are JSON (amounts inside JSON in plancks). Example:',
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

function summaryLine(docs) {
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
    lines.push(`  ${signs(verb) ? 's' : 'q'} ${name.padEnd(width)}${summaryLine(verb.docs)}`);
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
      const fallback = a.name === 'limit' ? `, default ${DEFAULT_LIMIT}` : '';
      lines.push(`  --${kebab(a.name).padEnd(20)} ${a.typeName || a.type}${fallback}`);
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

/** Where to find the ids an unknown-id error is about. */
const LISTINGS = {
  'datasets.UnknownDataset': 'List them with: lineage datasets datasets.',
  'datasets.UnknownContribution':
    'List them with: lineage datasets account-contributions <account>.',
  'models.UnknownModel': 'List them with: lineage models models.',
  'models.UnknownVersion': 'List them with: lineage models versions-where All.',
  'models.UnknownParent': 'List them with: lineage models versions-where All.',
  'models.UnknownSnapshot': 'List them with: lineage datasets snapshots <dataset>.',
  'compute.UnknownModelVersion': 'List them with: lineage models versions-where All.',
  'compute.UnknownJob': 'List them with: lineage compute jobs All.',
  'compute.UnknownProvider': 'List them with: lineage compute providers.',
};

/** Refusals about the signer's money, which its balances explain. */
const MONEY = /^(token\.|arithmetic\.Underflow|invalid\.Payment)/;

/**
 * Why the chain refuses a call signed by `who`, in one line: the error's name and doc line, and
 * what helps to set it right (the signer's balances, or where the ids are listed).
 */
async function explain(api, refusal, who, out) {
  let hint = LISTINGS[refusal.name];
  if (MONEY.test(refusal.name)) {
    const { data } = await api.query.system.account(who);
    hint = `The signer ${out.account(who)} has ${out.amount(data.free)} free, ${out.amount(data.reserved)} held, ${out.amount(data.frozen)} frozen.`;
  }
  return `${refusal.name}: ${refusal.docs}${hint ? ` ${hint}` : ''}`;
}

/** Submits a signing verb and reports its events; throws ChainError when the chain refuses it. */
async function runCall(api, verb, values, flags, out) {
  if (!flags.suri)
    throw new ArgError('this verb signs a transaction: pass --suri (e.g. //Alice on a dev chain)');
  const tx =
    verb.kind === 'compose'
      ? await verb.build(api, values)
      : api.tx[verb.section][verb.method](...values);
  let pair;
  try {
    pair = signer(flags.suri, chainSs58(api));
  } catch {
    throw new ArgError(
      `--suri: "${flags.suri}" is not a secret URI (write e.g. //Alice, or a mnemonic)`,
    );
  }
  // A call that would fail is refused here, with the chain's own reason, before it costs a fee.
  const refusal = await dryRun(api, tx, pair);
  if (refusal) {
    const call = `${tx.method.section}.${tx.method.method}`;
    if (flags.json) printValue({ ok: false, call, signer: pair.address, fee: '0', error: refusal });
    throw new ChainError(
      `${await explain(api, refusal, pair.address, out)} (found by a dry run: nothing was submitted, no fee charged)`,
    );
  }
  let res;
  try {
    res = await submit(api, tx, pair);
  } catch (e) {
    throw new ChainError(`the transaction was refused: ${firstLine(e.message)}`);
  }
  const header = await api.rpc.chain.getHeader(res.blockHash);
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
    console.log(
      `${report.call} by ${out.account(pair.address)} in block #${report.block} (${res.blockHash}), fee ${out.amount(res.fee)}`,
    );
    for (const e of res.events) console.log(out.event(e));
  }
  if (!res.ok) throw new ChainError(await explain(api, res.error, pair.address, out));
}

async function runDemo(flags) {
  const { playStory, formatReport } = await import('../lib/story.js');
  const api = await reachable(flags.ws);
  try {
    const report = await playStory(api, flags.json ? () => {} : (line) => console.log(line));
    if (flags.json) printValue(report);
    else
      console.log(
        '\n' +
          formatReport(report, {
            decimals: api.registry.chainDecimals[0],
            symbol: api.registry.chainTokens[0],
            exact: Boolean(flags.exact),
          }),
      );
  } finally {
    await api.disconnect();
  }
}

async function runExplorer(flags) {
  const unknown = Object.keys(flags).find(
    (f) => !['port', 'host', 'ws', 'chain-spec', 'help'].includes(f),
  );
  if (unknown) throw new ArgError(`unknown option --${unknown} for explorer`);
  const { DEVNET_SPEC } = await import('../lib/node.js');
  const specPath = flags['chain-spec'] ?? (existsSync(DEVNET_SPEC) ? DEVNET_SPEC : null);
  let chainSpec;
  try {
    chainSpec = specPath ? readFileSync(specPath, 'utf8') : undefined;
  } catch (e) {
    throw new ArgError(
      `--chain-spec ${specPath}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`,
    );
  }
  const port = flags.port === undefined ? 8080 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ArgError(`--port ${flags.port} is not a port number`);
  const { serveExplorer } = await import('../explorer/server.js');
  const { server, url, bundle, lightClient } = await serveExplorer({
    port,
    host: flags.host ?? '127.0.0.1',
    chainSpec,
  });
  const ws = encodeURIComponent(flags.ws);
  const kB = (bytes) => `${Math.round(bytes / 1024).toLocaleString('en-US')} kB`;
  console.log(
    `Lineage explorer at ${url}?ws=${ws} (the node is a field on the page); Ctrl-C stops it`,
  );
  console.log(
    `The page's script: ${kB(bundle.bytes)}, ${kB(bundle.gzip)} gzip'd; the verified mode's ` +
      `light client ${kB(lightClient.bytes)} more (${kB(lightClient.gzip)} gzip'd), loaded only there.`,
  );
  console.log(
    specPath
      ? `Verified mode (a light client in the page, trusting no node): ${url}?verified=1, from ${specPath}`
      : 'No chain spec (--chain-spec FILE, or run scripts/devnet.sh): no verified mode.',
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

/** docs/cli.md: every area's and verb's help, written with the catalog. */
const referencePath = join(dirname(fileURLToPath(import.meta.url)), '../../docs/cli.md');

/** The CLI reference in Markdown: the help of every command, from `catalog`. */
async function cliReference(catalog) {
  const { contentHelp } = await import('./content.js');
  const { workloadHelp } = await import('./workload.js');
  const { agentsHelp } = await import('./agents.js');
  const block = (text) => ['```text', text, '```', ''];
  const intro = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'reference-intro.md'));
  const lines = [
    '# The `lineage` CLI',
    '',
    intro.toString().trimEnd(),
    '',
    '## Every command',
    '',
    `Each command's help, as \`lineage … --help\` prints it, for the runtime \`${catalog.specName}\``,
    `spec ${catalog.specVersion}. This file is written with the catalog by \`lineage catalog --write\``,
    "from a node's metadata (the text above from `scripts/cli/reference-intro.md`); a test fails when",
    'it differs from the catalog.',
    '',
    ...block(topHelp()),
  ];
  for (const area of AREA_ORDER) {
    const verbs = { ...(catalog.areas[area] ?? {}), ...(BUILTINS[area]?.verbs ?? {}) };
    lines.push(`### ${area}`, '', ...block(areaHelp(area, verbs)));
    for (const [name, verb] of Object.entries(verbs))
      lines.push(`#### ${area} ${name}`, '', ...block(verbHelp(area, name, verb)));
  }
  lines.push('### content', '', ...block(contentHelp()));
  lines.push('### workload', '', ...block(workloadHelp()));
  for (const area of ['provider', 'verifier', 'arbiter'])
    lines.push(`### ${area}`, '', ...block(agentsHelp(area)));
  const { verifyHelp } = await import('./verify.js');
  lines.push('### verify', '', ...block(verifyHelp()));
  const { indexerHelp, historyHelp } = await import('./history.js');
  lines.push('### indexer', '', ...block(indexerHelp()));
  lines.push('### history', '', ...block(historyHelp()));
  return lines.join('\n').trimEnd() + '\n';
}

async function runCatalog(flags) {
  // The reference of the saved catalog, with no node.
  if (flags.reference) {
    process.stdout.write(await cliReference(loadCatalog()));
    return;
  }
  const api = await reachable(flags.ws);
  try {
    const catalog = buildCatalog(api);
    if (flags.write) {
      writeCatalog(catalog);
      writeFileSync(referencePath, await cliReference(catalog));
    } else printValue(catalog);
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
  if (area === 'content') {
    const { runContent } = await import('./content.js');
    return runContent(name, rest, flags);
  }
  if (area === 'provider' || area === 'verifier' || area === 'arbiter') {
    const { runAgents } = await import('./agents.js');
    return runAgents(area, name, rest, flags, reachable);
  }
  if (area === 'verify') {
    const { runVerify } = await import('./verify.js');
    return runVerify(name, rest, flags, verbsOf);
  }
  if (area === 'indexer') {
    const { runIndexer } = await import('./history.js');
    return runIndexer(flags, reachable);
  }
  if (area === 'history') {
    const { runHistory } = await import('./history.js');
    return runHistory(name, rest, flags);
  }
  if (area === 'workload') {
    const { runWorkload } = await import('./workload.js');
    return runWorkload(name, rest, flags, reachable);
  }
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
    const out = readable(api, { exact: Boolean(flags.exact) });
    if (signs(verb)) await runCall(api, verb, values, flags, out);
    else if (verb.kind === 'query') await showQuery(api, api, verb, values, flags, out);
    else printValue(await verb.run(api, values, { json: Boolean(flags.json), out }));
  } finally {
    await api.disconnect();
  }
}

/**
 * Whether a console line is @polkadot/api's own log (a date, then its origin such as
 * `RPC-CORE:`): it logs every failed request with the node's whole message, a wasm backtrace
 * included, and the CLI reports the failure itself, in one line.
 */
const libraryLog = (args) =>
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(String(args[0])) &&
  /^[A-Z0-9/-]+:$/.test(String(args[1]).trim());
for (const level of ['error', 'warn', 'log']) {
  const write = console[level].bind(console);
  console[level] = (...args) => libraryLog(args) || write(...args);
}

/** Ends the command with one line on stderr: what went wrong, never a stack or a backtrace. */
function fail(e) {
  const code = e instanceof ArgError ? 2 : e instanceof NoNode || e?.name === 'NoIndexer' ? 3 : 1;
  console.error(`error: ${firstLine(e?.message ?? e)}`);
  process.exit(code);
}

process.on('unhandledRejection', fail);
process.on('uncaughtException', fail);
main(process.argv.slice(2)).then(() => process.exit(0), fail);
