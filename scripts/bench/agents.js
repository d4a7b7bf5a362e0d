#!/usr/bin/env node
// The compute market under load, run by its agents: on the chain at --ws (a devnet, or the local
// network), publishes a model trained with the reference workload on a small datanet, starts
// --providers provider agents (in this process, each with its own account and bond), submits
// --jobs inference jobs from --users accounts, and waits until every job has ended. Reports, from
// the job records and the blocks' timestamps, the p50 and p95 of submit → accepted, → result and
// → settled; jobs per minute per provider; and the workload's own time per job.
//
//   node bench/agents.js [--ws ws://127.0.0.1:9944] [--jobs 200] [--providers 2] [--users 4] [--json]

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, signer, submit, submitOk, eventData, createOpenDataset } from '../lib/api.js';
import { DEFAULT_WS, LIN, PERBILL } from '../lib/units.js';
import { freePort } from '../lib/node.js';
import { put, serve } from '../lib/content.js';
import { train, serializeModel } from '../lib/workload.js';
import { ProviderAgent } from '../lib/agents.js';
import { flag } from '../lib/args.js';

const JOBS = Number(flag('jobs', 200));
const PROVIDERS = Number(flag('providers', 2));
const USERS = Number(flag('users', 4));
const JSON_OUT = flag('json', false);
const PROVIDER_SEEDS = ['//Ferdie', '//Charlie', '//Dave', '//Bob'];
const USER_SEEDS = ['//Alice', '//Eve', '//Alice//stash', '//Bob//stash', '//Eve//stash'];

const texts = [
  'The cat sat on the mat. The cat ate the fish. The fish was fresh and the cat was glad.',
  'The dog sat on the log. A dog chased the cat up the tree, and the cat sat in the tree.',
  'Fish swim in the sea, and the sea is deep. The sea is wide and the fish are many.',
];
const prompts = ['the cat', 'the dog', 'the sea', 'a dog', 'the fish', 'the tree'];

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'lineage-bench-agents-'));
  const store = join(work, 'store');
  const { server, url } = await serve({ store, port: await freePort() });
  const api = await connect(flag('ws', process.env.LINEAGE_WS ?? DEFAULT_WS));
  const alice = signer('//Alice');
  const file = async (name, text) => {
    writeFileSync(join(work, name), text);
    return put(join(work, name), { store, baseUrl: url });
  };
  const log = (line) => JSON_OUT || console.log(line);

  // A datanet of three texts, a snapshot, and a model trained on exactly what it holds.
  const full = { training: true, commercial: true };
  const dataset = await createOpenDataset(api, alice, await file('card', 'bench datanet'));
  let res;
  const documents = [];
  for (const [i, text] of texts.entries()) {
    res = await submitOk(
      api,
      api.tx.datasets.contribute(dataset, await file(`text-${i}`, text), 'Cc0', full),
      alice,
    );
    documents.push({ id: eventData(res, 'datasets', 'Contributed').contribution.toString(), text });
  }
  res = await submitOk(api, api.tx.datasets.snapshot(dataset), alice);
  const snapshot = eventData(res, 'datasets', 'SnapshotTaken').version.toNumber();
  writeFileSync(join(work, 'model.json'), serializeModel(train(documents)));
  const artifact = await put(join(work, 'model.json'), { store, baseUrl: url });
  res = await submitOk(
    api,
    api.tx.models.registerModel(await file('model-card', 'bench model'), 'Apache2'),
    alice,
  );
  const model = eventData(res, 'models', 'ModelRegistered').model.toNumber();
  res = await submitOk(
    api,
    api.tx.models.publishVersion(
      model,
      artifact,
      [{ snapshot: { dataset, version: snapshot }, weight: PERBILL }],
      null,
      500_000_000,
      LIN / 10n,
    ),
    alice,
  );
  const version = eventData(res, 'models', 'VersionPublished').version.toNumber();
  log(
    `model version ${version} published; ${PROVIDERS} providers, ${JOBS} jobs from ${USERS} users`,
  );

  // The providers: agents in this process, each registered with a bond that covers many jobs.
  const agents = [];
  const trouble = [];
  for (const seed of PROVIDER_SEEDS.slice(0, PROVIDERS)) {
    const agent = new ProviderAgent(api, signer(seed), {
      store,
      baseUrl: url,
      kinds: ['Inference'],
      bond: 10_000n * LIN,
      maxJobs: 32,
      // What went wrong is reported; the rest of each agent's log is left out.
      log: (line) => / no result submitted| refused| trying again/.test(line) && trouble.push(line),
    });
    agents.push(agent);
    await agent.run();
  }

  // The jobs: every user sends its share at once, nonces in order.
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const inputs = await Promise.all(prompts.map((p, i) => file(`prompt-${i}`, p)));
  const started = Date.now();
  const sent = [];
  for (let u = 0; u < USERS; u++) {
    const user = signer(USER_SEEDS[u]);
    let nonce = (await api.rpc.system.accountNextIndex(user.address)).toNumber();
    for (let j = u; j < JOBS; j += USERS) {
      const tx = api.tx.compute.submitJob(
        'Inference',
        version,
        inputs[j % inputs.length],
        LIN,
        LIN / 10n,
        head + 200,
      );
      sent.push(submit(api, tx, user, { nonce: nonce++ }));
    }
  }
  const ids = (await Promise.all(sent)).map((r) => {
    if (!r.ok) throw new Error(`a job was refused: ${r.error.name}`);
    return eventData(r, 'compute', 'JobSubmitted').job.toNumber();
  });
  log(`${ids.length} jobs submitted in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Until every job has ended.
  let records;
  for (;;) {
    records = await Promise.all(
      ids.map(async (id) => (await api.call.computeApi.job(id)).unwrap()),
    );
    const done = records.filter((r) => r.state.isEnded).length;
    if (done === ids.length) break;
    await new Promise((r) => setTimeout(r, 3000));
  }
  const wall = (Date.now() - started) / 1000;
  for (const agent of agents) await agent.stop();

  // Seconds between steps, from the timestamps of the blocks they happened in.
  const times = new Map();
  const timeOf = async (block) => {
    if (!times.has(block)) {
      const hash = await api.rpc.chain.getBlockHash(block);
      times.set(block, (await (await api.at(hash)).query.timestamp.now()).toNumber() / 1000);
    }
    return times.get(block);
  };
  const spans = { accepted: [], result: [], settled: [] };
  const perProvider = new Map();
  for (const r of records) {
    const s = r.steps;
    const submitted = await timeOf(s.submitted.toNumber());
    if (s.accepted.isSome)
      spans.accepted.push((await timeOf(s.accepted.unwrap().toNumber())) - submitted);
    if (s.result.isSome)
      spans.result.push((await timeOf(s.result.unwrap().toNumber())) - submitted);
    spans.settled.push((await timeOf(s.ended.unwrap().toNumber())) - submitted);
    const who = r.provider.isSome ? r.provider.unwrap().toString() : 'none';
    const entry = perProvider.get(who) ?? { jobs: 0, first: Infinity, last: 0 };
    entry.jobs += 1;
    entry.first = Math.min(entry.first, submitted);
    entry.last = Math.max(
      entry.last,
      await timeOf(s.result.isSome ? s.result.unwrap().toNumber() : s.ended.unwrap().toNumber()),
    );
    perProvider.set(who, entry);
  }
  const outcomes = {};
  for (const r of records)
    outcomes[r.state.asEnded.type] = (outcomes[r.state.asEnded.type] ?? 0) + 1;
  const delivered = agents.reduce((s, a) => s + (a.metrics.delivered ?? 0), 0);
  const workloadMs = agents.reduce((s, a) => s + (a.metrics.workload_ms ?? 0), 0);
  const report = {
    jobs: ids.length,
    providers: PROVIDERS,
    outcomes,
    seconds: Object.fromEntries(
      Object.entries(spans).map(([k, v]) => [
        k,
        { p50: percentile(v, 50), p95: percentile(v, 95) },
      ]),
    ),
    jobsPerMinutePerProvider: Object.fromEntries(
      [...perProvider.entries()].map(([who, e]) => [
        who,
        Number(((e.jobs / Math.max(1, e.last - e.first)) * 60).toFixed(1)),
      ]),
    ),
    workloadMsPerJob: delivered ? Number((workloadMs / delivered).toFixed(1)) : null,
    wallSeconds: Number(wall.toFixed(1)),
    trouble,
  };
  if (JSON_OUT) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`outcomes: ${JSON.stringify(outcomes)}`);
    for (const [k, v] of Object.entries(report.seconds))
      console.log(`submit → ${k.padEnd(8)} p50 ${v.p50.toFixed(1)} s, p95 ${v.p95.toFixed(1)} s`);
    for (const [who, rate] of Object.entries(report.jobsPerMinutePerProvider))
      console.log(`provider ${who}: ${rate} jobs a minute`);
    console.log(
      `the workload itself: ${report.workloadMsPerJob} ms a job; all done in ${report.wallSeconds} s`,
    );
    for (const line of trouble) console.log(`agent: ${line}`);
  }
  await api.disconnect();
  server.close();
}

main().catch((e) => {
  console.error(`error: ${e.message.split('\n')[0]}`);
  process.exit(1);
});
