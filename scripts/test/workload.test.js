// The reference workload as people run it (`lineage workload …` and `lineage content …` as child
// processes): training, inference with attribution and evaluation give the same bytes on every
// run and match the recorded reference values; a model trained on a dataset snapshot of a dev
// chain is the one trained on the same texts offline; a snapshot whose item no longer matches its
// root is refused.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signer, submitOk, eventData, createOpenDataset } from '../lib/api.js';
import { devNodeFixture, serveStore } from './helpers.js';
import { hashBytes } from '../lib/content.js';
import { train, serializeModel, parseModel, infer, evaluate, attribute } from '../lib/workload.js';

const cliPath = fileURLToPath(new URL('../cli/lineage.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'lineage-workload-'));
const store = join(work, 'store');

let api;
let node;
devNodeFixture(before, after, (n, a) => {
  node = n;
  api = a;
});

/** Runs `lineage …`; resolves { code, stdout, stderr }. */
function lineage(...args) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { env: { ...process.env, LINEAGE_STORE: store, LINEAGE_WS: node?.wsUrl }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }),
    );
  });
}

const texts = {
  'bob.txt': 'The cat sat on the mat. The cat ate the fish.',
  'charlie/1.txt': 'The dog sat on the log.',
  'charlie/2.txt': 'A dog chased the cat up the tree.',
  'dave.txt': 'Fish swim in the sea, and the sea is deep.',
};
const prompt = join(work, 'prompt.txt');
const heldOut = join(work, 'held-out.txt');
let served;
let storeUrl;

before(async () => {
  for (const [path, text] of Object.entries(texts)) {
    mkdirSync(join(work, 'data', ...path.split('/').slice(0, -1)), { recursive: true });
    writeFileSync(join(work, 'data', ...path.split('/')), text);
  }
  writeFileSync(prompt, 'the dog');
  writeFileSync(heldOut, 'The cat sat on the log by the sea.');
  ({ child: served, url: storeUrl } = await serveStore(store));
});

after(() => served?.kill('SIGINT'));

test('the same files give the same model, output and evaluation, byte for byte', async () => {
  const data = join(work, 'data');
  const outputs = [];
  for (const run of [1, 2]) {
    const model = join(work, `model-${run}.json`);
    const trained = await lineage('workload', 'train', '--from', data, '--out', model);
    assert.equal(trained.code, 0, trained.stderr);
    const output = join(work, `output-${run}.json`);
    const inferred = await lineage(
      'workload',
      'infer',
      '--model',
      model,
      '--input',
      prompt,
      '--out',
      output,
    );
    assert.equal(inferred.code, 0, inferred.stderr);
    const evaluated = await lineage('workload', 'evaluate', '--model', model, '--input', heldOut);
    assert.equal(evaluated.code, 0, evaluated.stderr);
    outputs.push({
      model: readFileSync(model),
      ref: JSON.parse(trained.stdout),
      continuation: inferred.stdout.trim(),
      output: readFileSync(output),
      evaluation: evaluated.stdout,
    });
  }
  assert.deepEqual(outputs[0], outputs[1]);
  const [{ model, ref, continuation, output, evaluation }] = outputs;
  assert.equal(ref.hash, hashBytes(model));
  assert.equal(ref.documents, 4);
  const same = train(Object.entries(texts).map(([id, text]) => ({ id, text })));
  assert.equal(continuation, infer(same, 'the dog').continuation);
  const parsed = JSON.parse(output);
  assert.equal(parsed.model, ref.hash);
  assert.equal(parsed.continuation, continuation);
  assert.ok(parsed.attribution.length > 0 && parsed.attribution.every((a) => a.words > 0));
  const scored = JSON.parse(evaluation);
  assert.equal(scored.model, ref.hash);
  assert.equal(scored.words, 9);
  assert.match(scored.perplexity, /^\d+\.\d{6}$/);
  console.log(`# model ${ref.hash} (${ref.bytes} bytes); evaluation ${evaluation.trim()}`);

  // `workload run`, the runner a provider uses, writes exactly what `infer` wrote.
  const ran = join(work, 'ran.json');
  const run = await lineage(
    'workload',
    'run',
    'inference',
    prompt,
    join(work, 'model-1.json'),
    ran,
  );
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readFileSync(ran), output);
});

test('the reference values: what every machine must compute', () => {
  const model = train(
    Object.entries(texts).map(([id, text]) => ({ id, text })),
    { order: 3 },
  );
  const bytes = serializeModel(model);
  assert.deepEqual(serializeModel(parseModel(bytes)), bytes);
  // Recorded once; a change here changes every published artifact and output.
  assert.equal(hashBytes(bytes), REFERENCE.model);
  assert.deepEqual(infer(model, 'the dog', { maxTokens: 8 }), REFERENCE.inference);
  assert.deepEqual(evaluate(model, readFileSync(heldOut, 'utf8')), REFERENCE.evaluation);
  // Unknown words only: every word has the unknown word's probability, 1 / (words + vocabulary + 1).
  const unknown = evaluate(model, 'zebra quantum');
  const words = [...model.counts.get('').values()].reduce((s, c) => s + c, 0);
  const expected = words + model.counts.get('').size + 1;
  assert.ok(
    Math.abs(Number(unknown.perplexity) - expected) < 1e-5,
    `${unknown.perplexity} vs ${expected}`,
  );
  // Attribution credits every contribution that holds a span.
  assert.deepEqual(
    attribute(model, ['the']),
    Object.keys(texts)
      .map((id) => ({ contribution: id, words: 1, longest: 1 }))
      .sort((a, b) => (a.contribution < b.contribution ? -1 : 1)),
  );
});

test('an artifact that is not canonical, or not a model, is refused', async () => {
  const model = join(work, 'model-1.json');
  const bytes = readFileSync(model, 'utf8');
  const reordered = join(work, 'reordered.json');
  writeFileSync(reordered, JSON.stringify(JSON.parse(bytes), null, 2));
  const res = await lineage(
    'workload',
    'infer',
    '--model',
    reordered,
    '--input',
    prompt,
    '--out',
    join(work, 'x.json'),
  );
  assert.equal(res.code, 1);
  assert.match(res.stderr, /^error: the model is not in canonical form\n$/);
  const notModel = await lineage('workload', 'evaluate', '--model', prompt, '--input', heldOut);
  assert.match(notModel.stderr, /^error: the model is not JSON\n$/);
  const missing = await lineage('workload', 'infer', '--model', model, '--input', prompt);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /needs --out/);
  const order = await lineage(
    'workload',
    'train',
    '--from',
    prompt,
    '--out',
    join(work, 'y.json'),
    '--order',
    '0',
  );
  assert.equal(order.code, 2);
  assert.match(order.stderr, /--order 0 is not a whole number from 1 to 8/);
});

test('a model trained on a chain snapshot is the model of the same texts, checked against the snapshot', async () => {
  const alice = signer('//Alice');
  const ok = (tx, who) => submitOk(api, tx, who);
  const full = { training: true, commercial: true };
  const put = async (path) => {
    const res = await lineage('content', 'put', join(work, 'data', path), '--base-url', storeUrl);
    assert.equal(res.code, 0, res.stderr);
    return JSON.parse(res.stdout);
  };
  const dataset = await createOpenDataset(api, alice, await put('bob.txt'));
  let res;
  const ids = {};
  for (const [who, path] of [
    ['//Bob', 'bob.txt'],
    ['//Dave', 'dave.txt'],
  ]) {
    res = await ok(api.tx.datasets.contribute(dataset, await put(path), 'Cc0', full), signer(who));
    ids[path] = eventData(res, 'datasets', 'Contributed').contribution.toString();
  }
  const batch = await put('charlie');
  assert.equal(batch.items, 2);
  res = await ok(
    api.tx.datasets.contributeBatch(
      dataset,
      batch.hash,
      batch.items,
      batch.bytes,
      batch.uri,
      'Cc0',
      full,
    ),
    signer('//Charlie'),
  );
  ids.charlie = eventData(res, 'datasets', 'Contributed').contribution.toString();
  res = await ok(api.tx.datasets.snapshot(dataset), alice);
  const version = eventData(res, 'datasets', 'SnapshotTaken').version.toNumber();

  const out = join(work, 'chain-model.json');
  const trained = await lineage(
    'workload',
    'train',
    '--dataset',
    String(dataset),
    '--snapshot',
    String(version),
    '--out',
    out,
  );
  assert.equal(trained.code, 0, trained.stderr);
  const offline = train([
    { id: ids['bob.txt'], text: texts['bob.txt'] },
    { id: ids['dave.txt'], text: texts['dave.txt'] },
    { id: ids.charlie, text: `${texts['charlie/1.txt']}\n${texts['charlie/2.txt']}` },
  ]);
  assert.deepEqual(readFileSync(out), serializeModel(offline));
  assert.equal(JSON.parse(trained.stdout).documents, 3);

  // An item of Charlie's batch changed in the store: training refuses the snapshot.
  const tampered = join(store, batch.hash.slice(2), 'files', '2.txt');
  writeFileSync(tampered, 'A cat chased the dog.');
  const refused = await lineage(
    'workload',
    'train',
    '--dataset',
    String(dataset),
    '--snapshot',
    String(version),
    '--out',
    join(work, 'never.json'),
  );
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /item 2\.txt is not what the root commits to; refused/);
  writeFileSync(tampered, texts['charlie/2.txt']);
});

const REFERENCE = {
  model: '0xec9fad2db5873cde8b1208d1392ea43506729e9175aad82c9125b450395a1f4e',
  inference: {
    format: 'lineage-inference/1',
    prompt: 'the dog',
    continuation: 'sat on the log the cat ate the',
    attribution: [
      { contribution: 'bob.txt', words: 4, longest: 4 },
      { contribution: 'charlie/1.txt', words: 4, longest: 4 },
    ],
  },
  evaluation: {
    format: 'lineage-evaluation/1',
    words: 9,
    crossEntropyBits: '2.020545',
    perplexity: '4.057371',
  },
};
