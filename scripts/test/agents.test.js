// The compute market run by its agents, as separate processes started the way the README says:
// contributors' texts in a served content store, a model trained on the dataset's snapshot and
// published, users paying for inference and evaluation jobs, an honest provider agent, a provider
// agent whose runner cheats on some jobs, and a verifier agent. The cheat is caught, challenged,
// confirmed by `lineage arbiter check` and slashed by a Council motion, the verifier paid; a wrong
// inference is slashed with no ruling at all, the chain re-executing it at the verifier's call;
// the honest jobs settle; a provider killed with SIGKILL in the middle of a job resumes it after a
// restart, and nothing is paid twice.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signer, submitOk, eventData, createOpenDataset } from '../lib/api.js';
import { devNodeFixture, serveStore } from './helpers.js';
import { freePort } from '../lib/node.js';
import { LIN, PERBILL } from '../lib/units.js';

const scripts = fileURLToPath(new URL('..', import.meta.url));
const cliPath = join(scripts, 'cli', 'lineage.js');
const cheat = join(scripts, 'test', 'fixtures', 'cheat-runner.sh');
const failing = join(scripts, 'test', 'fixtures', 'failing-runner.sh');
const work = mkdtempSync(join(tmpdir(), 'lineage-agents-'));
const store = join(work, 'store');

let api;
let node;
devNodeFixture(before, after, (n, a) => {
  node = n;
  api = a;
});

const alice = signer('//Alice');
const ok = (tx, who) => submitOk(api, tx, who);
const env = () => ({ ...process.env, LINEAGE_STORE: store, LINEAGE_WS: node?.wsUrl ?? '' });

/** Runs `lineage …` to its end; resolves { code, stdout, stderr }. */
function lineage(...args) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { env: env(), timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }),
    );
  });
}

/** Starts `lineage provider run` as `suri` for `kinds`, with the test's store and `flags`. */
const provider = (name, suri, kinds, ...flags) =>
  daemon(
    name,
    'provider',
    'run',
    '--suri',
    suri,
    '--kinds',
    kinds,
    '--base-url',
    storeUrl,
    ...flags,
  );

/** Starts a long-running `lineage …` (an agent, the store); its output is collected. */
function daemon(name, ...args) {
  const child = spawn(process.execPath, [cliPath, ...args], { env: env() });
  const proc = { name, child, out: '' };
  child.stdout.on('data', (d) => (proc.out += d));
  child.stderr.on('data', (d) => (proc.out += d));
  return proc;
}

async function waitFor(what, check, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const job = async (id) => (await api.call.computeApi.job(id)).unwrap();
const ended = (id) =>
  waitFor(`job ${id} to end`, async () => ((await job(id)).state.isEnded ? job(id) : null));

let served;
let storeUrl;
const agents = [];

before(async () => {
  ({ child: served, url: storeUrl } = await serveStore(store));
});

after(async () => {
  served?.kill('SIGKILL');
  for (const p of agents) p.child.kill('SIGKILL');
});

/** Writes `text` to a file, puts it in the store, and returns its ContentRef. */
async function putText(name, text) {
  const path = join(work, name);
  writeFileSync(path, text);
  const res = await lineage('content', 'put', path, '--base-url', storeUrl);
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout);
}

/**
 * `lineage workload VERB --dataset D --snapshot V --out WORK/NAME [--order N]` (`train` or
 * `training-input`), checked to succeed: `{ path, printed }` (what it printed, read as JSON when it is).
 */
async function onSnapshot(verb, dataset, snapshot, name, order) {
  const path = join(work, name);
  const args = ['--dataset', String(dataset), '--snapshot', String(snapshot), '--out', path];
  if (order !== undefined) args.push('--order', String(order));
  const res = await lineage('workload', verb, ...args);
  assert.equal(res.code, 0, res.stderr);
  return { path, printed: res.stdout.trim() ? JSON.parse(res.stdout) : null };
}

/** The file at `path` put in the store: the ContentRef the chain records for it. */
async function putFile(path) {
  const res = await lineage('content', 'put', path, '--base-url', storeUrl);
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout);
}

let version;
let datanet;
/** The snapshot the provider agent trained the second version on. */
let trainedSnapshot;
let model;

test('contributors, a snapshot and a model trained on it with the reference workload', async () => {
  const full = { training: true, commercial: true };
  const dataset = await createOpenDataset(
    api,
    alice,
    await putText('card.txt', 'a datanet of short stories'),
  );
  let res;
  for (const [who, text] of [
    ['//Bob', 'The cat sat on the mat. The cat ate the fish. The fish was fresh.'],
    ['//Dave', 'The dog sat on the log. A dog chased the cat up the tree.'],
  ]) {
    await ok(
      api.tx.datasets.contribute(dataset, await putText(`${who.slice(2)}.txt`, text), 'Cc0', full),
      signer(who),
    );
  }
  res = await ok(api.tx.datasets.snapshot(dataset), alice);
  const snapshot = eventData(res, 'datasets', 'SnapshotTaken').version.toNumber();

  const artifact = await putFile((await onSnapshot('train', dataset, snapshot, 'model.json')).path);
  const eve = signer('//Eve');
  res = await ok(
    api.tx.models.registerModel(await putText('model-card.txt', 'an n-gram model'), 'Apache2'),
    eve,
  );
  const modelId = eventData(res, 'models', 'ModelRegistered').model.toNumber();
  res = await ok(
    api.tx.models.publishVersion(
      modelId,
      artifact,
      [{ snapshot: { dataset, version: snapshot }, weight: PERBILL }],
      null,
      500_000_000,
      LIN,
    ),
    eve,
  );
  version = eventData(res, 'models', 'VersionPublished').version.toNumber();
  datanet = dataset;
  model = modelId;
});

test('the next version is trained by a provider agent: a training job on a new snapshot', async () => {
  // A new contribution and a new snapshot; Eve, the builder, asks for a model trained on it.
  await ok(
    api.tx.datasets.contribute(
      datanet,
      await putText('Charlie.txt', 'The bird sat on the fence. The cat watched the bird.'),
      'Cc0',
      { training: true, commercial: true },
    ),
    signer('//Charlie'),
  );
  let res = await ok(api.tx.datasets.snapshot(datanet), alice);
  const snapshot = eventData(res, 'datasets', 'SnapshotTaken').version.toNumber();
  trainedSnapshot = snapshot;
  const spec = await onSnapshot('training-input', datanet, snapshot, 'training-input.json');
  const input = await putFile(spec.path);
  const eve = signer('//Eve');
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  res = await ok(
    api.tx.compute.submitJob('Training', version, input, 5n * LIN, LIN, head + 60),
    eve,
  );
  const id = eventData(res, 'compute', 'JobSubmitted').job.toNumber();

  // A provider agent of training jobs takes it, fetches and checks the snapshot's contributions,
  // trains, and delivers the artifact.
  const trainer = provider('trainer', '//Dave//stash', 'Training', '--bond', '200');
  const delivered = await waitFor('the training result', async () => {
    const j = await job(id);
    return j.result.isSome ? j : null;
  });
  trainer.child.kill('SIGINT');
  await new Promise((r) => trainer.child.once('exit', r));
  assert.equal(delivered.provider.unwrap().toString(), signer('//Dave//stash').address);
  assert.match(trainer.out, new RegExp(`job ${id}: accepted \\(Training`));

  // The artifact is the one anyone trains on that snapshot: Eve checks it and publishes it.
  const artifact = delivered.result.unwrap();
  const trained = await onSnapshot('train', datanet, snapshot, 'model-2.json');
  assert.equal(trained.printed.hash, artifact.hash_.toHex());
  const fetched = join(work, 'fetched-model.json');
  const got = await lineage(
    'content',
    'get',
    artifact.uri.toUtf8(),
    '--hash',
    artifact.hash_.toHex(),
    '--out',
    fetched,
  );
  assert.equal(got.code, 0, got.stderr);
  res = await ok(
    api.tx.models.publishVersion(
      model,
      { hash: artifact.hash_, uri: artifact.uri, bytes: artifact.bytes },
      [{ snapshot: { dataset: datanet, version: snapshot }, weight: PERBILL }],
      version,
      500_000_000,
      LIN,
    ),
    eve,
  );
  // The jobs below run on the version the agent trained, a child of the first.
  const published = eventData(res, 'models', 'VersionPublished');
  assert.equal(published.number.toNumber(), 2);
  version = published.version.toNumber();
});

test('agents serve the jobs; the cheat is challenged, confirmed and slashed; the verifier is paid', async () => {
  // Ferdie serves inference honestly; Charlie serves evaluation with a runner that cheats when
  // the input asks for it; Bob verifies every result.
  const metricsPort = await freePort();
  agents.push(
    provider(
      'ferdie',
      '//Ferdie',
      'Inference',
      '--bond',
      '200',
      '--metrics-port',
      String(metricsPort),
    ),
    provider(
      'charlie',
      '//Charlie',
      'Evaluation',
      '--bond',
      '200',
      '--runner',
      `sh ${cheat} {kind} {input} {model} {output}`,
    ),
    daemon('bob', 'verifier', 'run', '--suri', '//Bob', '--sample', '1', '--base-url', storeUrl),
  );
  const [ferdie, charlie, bob] = agents;
  await waitFor('the agents to follow the chain', () =>
    agents.every((a) => a.out.includes('Ctrl-C stops it')),
  );

  const user = signer('//Dave');
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const submitJob = async (kind, name, text) => {
    const res = await ok(
      api.tx.compute.submitJob(kind, version, await putText(name, text), 5n * LIN, LIN, head + 60),
      user,
    );
    return eventData(res, 'compute', 'JobSubmitted').job.toNumber();
  };
  const inference = await submitJob('Inference', 'prompt.txt', 'the dog');
  const honest = await submitJob('Evaluation', 'held-out.txt', 'The cat sat on the log.');
  // A held-out text with a word the chain does not read (CJK): only the arbiter can rule.
  const cheated = await submitJob(
    'Evaluation',
    'held-out-wrong.txt',
    'The wrong cat sat on the mat 猫.',
  );

  // The cheat is challenged within its window, with Bob's output as evidence.
  const challenged = await waitFor('the challenge', async () => {
    const j = await job(cheated);
    return j.challenge.isSome ? j : null;
  });
  assert.equal(challenged.challenge.unwrap().challenger.toString(), signer('//Bob').address);
  // The agent logs once its challenge is in a block, which the chain may show first.
  const logged = new RegExp(
    `job ${cheated}: result 0x[0-9a-f]{64} differs from the re-execution 0x[0-9a-f]{64}: challenged`,
  );
  await waitFor('the verifier to log its challenge', () => logged.test(bob.out));
  // The provider publishes the challenged output on chain, for everyone to see.
  const published = new RegExp(`job ${cheated}: challenged; output published on chain`);
  await waitFor('the provider to publish the challenged output', () => published.test(charlie.out));
  assert.ok((await api.query.compute.unpublishedOutputs(cheated)).isNone);

  // What the arbiter sees, then its ruling.
  const check = await lineage('arbiter', 'check', String(cheated));
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /result\s+0x[0-9a-f]{64}\s+\(differs\)/);
  assert.match(check.stdout, /evidence\s+0x[0-9a-f]{64}\s+\(the same\)/);
  assert.match(check.stdout, /verdict\s+ProviderWrong/);
  assert.match(check.stdout, /on chain\s+the held-out text has characters the chain does not read/);
  assert.match(
    bob.out,
    /the held-out text has characters the chain does not read: the arbiter rules/,
  );
  // The Council rules: Alice proposes the ruling, she and Bob vote for it (two of three
  // members, a majority), and anyone closes the motion.
  const ruling = api.tx.compute.resolve(cheated, 'ProviderWrong');
  const length = ruling.method.encodedLength;
  const proposed = eventData(
    await ok(api.tx.council.propose(2, ruling.method, length), alice),
    'council',
    'Proposed',
  );
  const [hash, index] = [proposed.proposalHash, proposed.proposalIndex];
  for (const member of [alice, signer('//Bob')])
    await ok(api.tx.council.vote(hash, index, true), member);
  // The bound on the ruling's weight: what the chain charges for it.
  const bound = (await ruling.paymentInfo(alice.address)).weight;
  const closed = await ok(api.tx.council.close(hash, index, bound, length), signer('//Ferdie'));
  assert.ok(eventData(closed, 'council', 'Executed').result.isOk, 'the motion executed');

  const slashed = await ended(cheated);
  assert.equal(slashed.state.asEnded.type, 'ChallengeUpheld');
  const by = slashed.ruling.unwrap().by;
  assert.ok(by.isCouncil, 'the record names the Council');
  assert.deepEqual([by.asCouncil.ayes.toNumber(), by.asCouncil.members.toNumber()], [2, 3]);
  const challengerPaid = slashed.payouts.filter((p) => p.payee.isChallenger);
  assert.equal(challengerPaid.length, 1);
  assert.equal(challengerPaid[0].account.toString(), signer('//Bob').address);
  assert.ok(challengerPaid[0].amount.toBigInt() > 0n);

  // The honest jobs settle once their windows pass, with nothing challenged.
  for (const id of [inference, honest]) {
    const done = await ended(id);
    assert.equal(done.state.asEnded.type, 'Settled', `job ${id}`);
    assert.ok(done.challenge.isNone, `job ${id} was not challenged`);
  }
  assert.equal((await job(inference)).provider.unwrap().toString(), signer('//Ferdie').address);
  assert.equal((await job(honest)).provider.unwrap().toString(), signer('//Charlie').address);
  assert.match(ferdie.out, new RegExp(`job ${inference}: result 0x[0-9a-f]{64} delivered`));
  assert.match(bob.out, new RegExp(`job ${honest}: result 0x[0-9a-f]{64} re-executed: the same`));
  assert.match(charlie.out, new RegExp(`job ${cheated}: accepted`));

  // What each provider reports: a status line when a job of its ends, and Prometheus counters.
  await waitFor(
    'the status lines',
    () => /paid 1/.test(ferdie.out) && /slashed 1/.test(charlie.out),
  );
  assert.match(ferdie.out, /status: accepted 1, delivered 1, paid 1, slashed 0, failed 0/);
  assert.match(charlie.out, /status: accepted 2, delivered 2, paid 1, slashed 1, failed 0/);
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  for (const line of [
    'lineage_provider_accepted_total 1',
    'lineage_provider_delivered_total 1',
    'lineage_provider_paid_total 1',
  ])
    assert.ok(metrics.includes(line), `${line} in\n${metrics}`);
});

test('a provider killed in the middle of a job resumes it after a restart; nothing is paid twice', async () => {
  const [ferdie] = agents;
  ferdie.child.kill('SIGINT');
  await new Promise((r) => ferdie.child.once('exit', r));
  // A slow runner (the reference workload after two seconds): time to kill it mid-job.
  const slow = `sleep 2 && ${process.execPath} ${cliPath} workload run {kind} {input} {model} {output}`;
  const start = () => provider('ferdie', '//Ferdie', 'Inference', '--runner', slow);
  let agent = start();
  agents[0] = agent;
  await waitFor('Ferdie to follow the chain', () => agent.out.includes('Ctrl-C stops it'));
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const res = await ok(
    api.tx.compute.submitJob(
      'Inference',
      version,
      await putText('prompt-2.txt', 'the cat'),
      5n * LIN,
      LIN,
      head + 60,
    ),
    signer('//Dave'),
  );
  const id = eventData(res, 'compute', 'JobSubmitted').job.toNumber();
  await waitFor('the job accepted', () => agent.out.includes(`job ${id}: accepted`));
  agent.child.kill('SIGKILL');
  await new Promise((r) => agent.child.once('exit', r));
  assert.ok((await job(id)).state.isAccepted, 'killed before delivering');

  agent = start();
  agents[0] = agent;
  const done = await ended(id);
  assert.equal(done.state.asEnded.type, 'Settled');
  assert.match(agent.out, new RegExp(`job ${id}: result 0x[0-9a-f]{64} delivered`));
  assert.doesNotMatch(agent.out, new RegExp(`job ${id}: accepted`), 'not accepted twice');
  const toProvider = done.payouts.filter((p) => p.payee.isProvider);
  assert.equal(toProvider.length, 1, 'the provider paid once');
});

test('a job the provider cannot do honestly gets no result: the log says why, the deadline ends it', async () => {
  // A provider of training jobs (nobody else offers them) whose runner crashes or hangs when
  // the input asks it to, with a one-second limit.
  const agent = provider(
    'trainer',
    '//Ferdie//stash',
    'Training',
    '--bond',
    '100',
    '--timeout',
    '1',
    '--runner',
    `sh ${failing} {kind} {input} {model} {output}`,
  );
  agents.push(agent);
  await waitFor('the trainer to follow the chain', () => agent.out.includes('Ctrl-C stops it'));
  const user = signer('//Dave');
  const good = await putText('crash.txt', 'crash');
  const inputs = {
    crash: good,
    hang: await putText('hang.txt', 'hang'),
    // Served nowhere: nothing listens on that port.
    unreachable: { ...good, uri: `http://127.0.0.1:${await freePort()}/missing` },
    // Served, but not the bytes its hash names.
    mismatched: { ...(await putText('other.txt', 'other')), hash: good.hash },
  };
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const ids = {};
  for (const [name, input] of Object.entries(inputs)) {
    const res = await ok(
      api.tx.compute.submitJob('Training', version, input, 5n * LIN, LIN, head + 10),
      user,
    );
    ids[name] = eventData(res, 'compute', 'JobSubmitted').job.toNumber();
  }
  const reasons = {
    crash: /the runner failed \(exit 3\): out of memory/,
    hang: /the runner took more than 1 s/,
    unreachable: /ECONNREFUSED \(is the store served\?\)/,
    mismatched: /the bytes hash to 0x[0-9a-f]{64}, not 0x[0-9a-f]{64}; refused/,
  };
  for (const [name, id] of Object.entries(ids)) {
    await waitFor(`the trainer to give up job ${id}`, () =>
      agent.out.includes(`job ${id}: no result submitted`),
    );
    const line = agent.out.split('\n').find((l) => l.includes(`job ${id}: no result submitted`));
    assert.match(line, reasons[name], name);
    assert.match(line, /it ends by its deadline/);
  }
  // Nothing submitted; each ends at its deadline, the provider slashed, the requester refunded.
  for (const [name, id] of Object.entries(ids)) {
    const done = await ended(id);
    assert.ok(done.result.isNone, `${name}: no result`);
    assert.equal(done.state.asEnded.type, 'TimedOut', name);
    assert.ok(
      done.payouts.some((p) => p.payee.isRequester),
      `${name}: the requester refunded`,
    );
  }
});

test('with the arbiter silent, a wrong inference, evaluation or training still loses: the chain checks it', async () => {
  // Ferdie, Charlie and the trainers stop; another account serves inference, evaluation and
  // training with the cheating runner, which leaves a contribution out of a model. Nobody votes.
  for (const agent of agents.filter((a) => ['ferdie', 'charlie', 'trainer'].includes(a.name))) {
    if (agent.child.exitCode === null) agent.child.kill('SIGINT');
    await new Promise((r) => (agent.child.exitCode !== null ? r() : agent.child.once('exit', r)));
  }
  const cheater = provider(
    'cheater',
    '//Charlie//stash',
    'Inference,Evaluation,Training',
    '--bond',
    '200',
    '--runner',
    `sh ${cheat} {kind} {input} {model} {output}`,
  );
  agents.push(cheater);
  const bob = agents.find((a) => a.name === 'bob');
  await waitFor('the cheat to follow the chain', () => cheater.out.includes('Ctrl-C stops it'));
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const submit = async (kind, name, text) => {
    const res = await ok(
      api.tx.compute.submitJob(kind, version, await putText(name, text), 5n * LIN, LIN, head + 60),
      signer('//Dave'),
    );
    return eventData(res, 'compute', 'JobSubmitted').job.toNumber();
  };
  // Accented Latin, Greek and a dash: text the chain reads as JavaScript does.
  const ids = [
    await submit('Inference', 'prompt-wrong.txt', 'the wrong dog — ΣΚΎΛΟΣ über'),
    await submit('Evaluation', 'held-out-wrong-2.txt', 'the wrong cat — ΣΚΎΛΟΣ sat on the mat'),
  ];
  // The cheat leaves a contribution out of a model of order 3, and misreads one in order 2.
  for (const order of [3, 2]) {
    const name = `training-input-wrong-${order}.json`;
    const spec = await onSnapshot('training-input', datanet, trainedSnapshot, name, order);
    const res = await ok(
      api.tx.compute.submitJob(
        'Training',
        version,
        await putFile(spec.path),
        5n * LIN,
        LIN,
        head + 60,
      ),
      signer('//Dave'),
    );
    ids.push(eventData(res, 'compute', 'JobSubmitted').job.toNumber());
  }
  for (const id of ids) {
    const done = await ended(id);
    assert.equal(done.provider.unwrap().toString(), signer('//Charlie//stash').address);
    const said = (agent) => agent.out.split('\n').filter((l) => l.includes(`job ${id}:`));
    assert.equal(
      done.state.asEnded.type,
      'ChallengeUpheld',
      [...said(bob), ...said(cheater)].join('\n'),
    );
    const ruling = done.ruling.unwrap();
    assert.equal(ruling.verdict.type, 'ProviderWrong');
    assert.equal(ruling.by.type, 'Reexecution');
    const challengerPaid = done.payouts.filter((p) => p.payee.isChallenger);
    assert.equal(challengerPaid[0].account.toString(), signer('//Bob').address);
    assert.ok(
      done.payouts.every((p) => !p.payee.isProvider),
      'the cheat is paid nothing',
    );
    // Bob logs its proof once its transaction is in a block: the job may read as ended first.
    const proved = new RegExp(
      `job ${id}: the chain (re-executed it|checked the model \\(.*\\)) and ruled ProviderWrong`,
    );
    await waitFor(`the verifier to log its proof of job ${id}`, () => proved.test(bob.out), 60_000);
  }
  // Bob showed the chain what the models got wrong: the contribution left out, the item misread.
  assert.match(
    bob.out,
    new RegExp(
      `job ${ids[2]}: the chain checked the model \\(it leaves out contribution \\d+, which the snapshot holds\\) and ruled ProviderWrong`,
    ),
  );
  assert.match(
    bob.out,
    new RegExp(
      `job ${ids[3]}: the chain checked the model \\(its document for contribution \\d+ is not the words of its content\\) and ruled ProviderWrong`,
    ),
  );
  await waitFor('the cheat to report its four slashes', () => /slashed 4/.test(cheater.out));
});
