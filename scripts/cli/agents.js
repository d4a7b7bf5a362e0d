// `lineage provider run`, `lineage verifier run` and `lineage arbiter check`: the agents that run
// the compute market (see lib/agents.js), each until Ctrl-C, with a log line per thing done and
// Prometheus metrics.

import { createServer } from 'node:http';
import { signer } from '../lib/api.js';
import { chainSs58 } from '../lib/units.js';
import { DEFAULT_BASE_URL, DEFAULT_STORE } from '../lib/content.js';
import { ProviderAgent, VerifierAgent, DETERMINISTIC, arbiterCheck } from '../lib/agents.js';
import { ArgError, parseAmount } from './args.js';
import { printValue } from './output.js';

const KINDS = ['Training', 'FineTune', 'Inference', 'Evaluation'];
const COMMON = [
  'suri',
  'ws',
  'store',
  'base-url',
  'runner',
  'timeout',
  'metrics-port',
  'help',
  'json',
  'exact',
];

const USAGE = {
  provider: [
    'lineage provider run --suri SURI [--kinds Inference,Evaluation] [--min-fee 0] [--bond LIN] [--max-jobs 16]',
    '                     [--store DIR] [--base-url URL] [--runner CMD] [--timeout 60] [--metrics-port N]',
    '  Takes open jobs it can serve (a kind it offers, a fee of at least --min-fee, time before the',
    '  deadline), fetches and checks the input and the model, runs the job, stores the output and',
    '  submits it, up to --max-jobs a block, each batch in one block. Registers first when --bond',
    '  is given and the account is not a provider yet.',
    "  --runner 'CMD {input} {model} {output}' runs another model (default: the reference workload).",
  ],
  verifier: [
    'lineage verifier run --suri SURI [--sample 0.25] [--store DIR] [--base-url URL] [--metrics-port N]',
    '  Re-executes a sample of the results of deterministic jobs (Inference, Evaluation) within their',
    '  challenge window and challenges each that differs, with its own output as evidence.',
  ],
  arbiter: [
    'lineage arbiter check JOB [--prove --suri SURI]',
    "  Re-runs a challenged job and prints both sides' outputs against the re-execution, the",
    '  verdict it supports, and whether the chain can rule on it by re-executing it itself',
    '  (an inference on the reference workload, its prompt in Latin, Greek or Cyrillic). --prove',
    '  has the chain do it now (compute.checkResult, signed by --suri, who pays the fee): no vote.',
  ],
};

export const agentsHelp = (area) => USAGE[area].join('\n');

function checkFlags(area, flags, extra) {
  const allowed = new Set([...COMMON, ...extra]);
  const unknown = Object.keys(flags).find((f) => !allowed.has(f));
  if (unknown)
    throw new ArgError(`unknown option --${unknown} for ${area}; see lineage ${area} --help`);
}

const seconds = (raw) => {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new ArgError(`--timeout ${raw} is not a number of seconds`);
  return value * 1000;
};

/** Serves `agent.prometheus()` on `port` when one is given. */
async function metrics(agent, port) {
  if (port === undefined) return null;
  const server = createServer((req, res) =>
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      .end(agent.prometheus() + '\n'),
  );
  await new Promise((ok) => server.listen(Number(port), '127.0.0.1', ok));
  return server;
}

export async function runAgents(area, verb, args, flags, connect) {
  if (!verb || flags.help) {
    console.log(agentsHelp(area));
    return;
  }
  if (area === 'arbiter') {
    if (verb !== 'check')
      throw new ArgError(`unknown verb "arbiter ${verb}"; see lineage arbiter --help`);
    checkFlags(area, flags, ['prove', 'suri']);
    if (args.length !== 1 || !/^\d+$/.test(args[0]))
      throw new ArgError('arbiter check takes one job id');
    if (flags.prove && !flags.suri)
      throw new ArgError('--prove needs --suri: the account that signs compute.checkResult');
    const api = await connect(flags.ws);
    try {
      const check = await arbiterCheck(api, Number(args[0]), {
        timeoutMs: 60_000,
        prove: Boolean(flags.prove),
        pair: flags.suri ? signer(flags.suri, chainSs58(api)) : undefined,
        log: () => {},
      });
      if (flags.json) printValue(check);
      else {
        console.log(`job ${check.job} (${check.kind}), re-executed by the reference workload:`);
        console.log(`  re-execution   ${check.recomputed}`);
        console.log(
          `  result         ${check.result}${check.result === check.recomputed ? '  (the same)' : '  (differs)'}`,
        );
        if (check.evidence)
          console.log(
            `  evidence       ${check.evidence}${check.evidence === check.recomputed ? '  (the same)' : '  (differs)'}`,
          );
        console.log(`  verdict        ${check.verdict}`);
        console.log(`  on chain       ${check.onChain}`);
        if (check.ruling)
          console.log(`  ruled          ${check.ruling}, by the chain's re-execution`);
      }
    } finally {
      await api.disconnect();
    }
    return;
  }
  if (verb !== 'run')
    throw new ArgError(`unknown verb "${area} ${verb}"; see lineage ${area} --help`);
  checkFlags(
    area,
    flags,
    area === 'provider' ? ['kinds', 'min-fee', 'bond', 'margin', 'max-jobs'] : ['sample'],
  );
  if (!flags.suri) throw new ArgError(`${area} run needs --suri: the account that signs`);
  const options = {
    store: flags.store ?? DEFAULT_STORE,
    baseUrl: flags['base-url'] ?? DEFAULT_BASE_URL,
    runner: flags.runner ?? null,
    timeoutMs: flags.timeout === undefined ? 60_000 : seconds(flags.timeout),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  };
  const api = await connect(flags.ws);
  const decimals = api.registry.chainDecimals[0];
  let agent;
  if (area === 'provider') {
    const kinds = flags.kinds ? String(flags.kinds).split(',') : DETERMINISTIC;
    for (const kind of kinds)
      if (!KINDS.includes(kind))
        throw new ArgError(`--kinds: ${kind} is not one of ${KINDS.join(', ')}`);
    agent = new ProviderAgent(api, signer(flags.suri, chainSs58(api)), {
      ...options,
      kinds,
      minFee: flags['min-fee'] === undefined ? 0n : parseAmount(flags['min-fee'], decimals),
      bond: flags.bond === undefined ? null : parseAmount(flags.bond, decimals),
      margin: flags.margin === undefined ? 2 : Number(flags.margin),
      maxJobs: flags['max-jobs'] === undefined ? 16 : Number(flags['max-jobs']),
    });
  } else if (area === 'verifier') {
    const sample = flags.sample === undefined ? 1 : Number(flags.sample);
    if (!(sample > 0 && sample <= 1))
      throw new ArgError(`--sample ${flags.sample} is not a share from 0 to 1`);
    agent = new VerifierAgent(api, signer(flags.suri, chainSs58(api)), { ...options, sample });
  } else {
    throw new ArgError(`unknown area "${area}"`);
  }
  const server = await metrics(agent, flags['metrics-port']);
  await agent.run();
  console.log(`${area} ${agent.me} following ${flags.ws}; Ctrl-C stops it`);
  await new Promise((resolve) => {
    const stop = async () => {
      await agent.stop();
      server?.close();
      await api.disconnect();
      console.log(`${area} stopped`);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
