// The chain re-executes the reference workload's inference and evaluation (pallets/reference) to decide a
// challenged result: both implementations must give the same bytes. This test recomputes the
// cases the Rust crate's tests read (pallets/reference/fixtures/) with lib/workload.js and
// fails when the two drift apart; `LINEAGE_WRITE_FIXTURES=1` rewrites them after a deliberate
// change to the workload.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { referenceOutput } from '../lib/agents.js';
import { train, serializeModel, tokens, trainedOnItsDocuments } from '../lib/workload.js';
import { chainReadable } from '../lib/agents.js';
import { directoryRoot, hashBytes } from '../lib/content.js';
import { documentText } from '../lib/training.js';

const dir = fileURLToPath(new URL('../../pallets/reference/fixtures/', import.meta.url));

const corpus = [
  { id: '9', text: 'The cat sat on the mat. The cat ate the fish!' },
  { id: '10', text: "The dog sat on the log; the dog didn't eat the cat's fish." },
  { id: '11', text: 'A café in the naïve town: the cat sat, the dog sat, ÉTÉ 2024.' },
  { id: 'b', text: "rock'n'roll on the mat" },
];

/** Each case: a model order and a prompt (the job's input). */
const cases = {
  'order3-sat': [3, 'The cat sat'],
  'order3-apostrophes': [3, "Didn't the DOG's... rock'n'roll?"],
  'order2-unknown': [2, 'zebras quietly 42'],
  'order1-empty': [1, '!!!'],
  'order4-ties': [4, 'the'],
  'order3-unicode': [3, 'Un CAFÉ dans la ville NAÏVE: ÉTÉ, ΟΔΥΣΣΕΥΣ, Москва, x², rock’n’roll'],
};

/**
 * Every character the chain reads (`readable` in the crate), alone, inside a word, doubled and
 * after an apostrophe, then final sigma in each context that decides it: the words `tokens`
 * gives, one a line, are what the crate's `words` must give.
 */
const readableCodes = [];
for (let code = 0; code <= 0x2026; code++) {
  const c = String.fromCodePoint(code);
  if (chainReadable(c)) readableCodes.push(c);
}
const everyCharacter =
  readableCodes.map((c) => `a${c}b ${c} ${c}${c}Z x'${c} ${c}’Y`).join(' | ') +
  " ΟΔΥΣΣΕΥΣ Σ ΑΣ. ΑΣ'Β ΑΣ’ 'Σ' Σ' ΑΣ'. ΑΣΑ ΑΣ\u00adΒ ΑΣ\u00ad ΑΣ1 1Σ İSTANBUL ΐΰ ſS µ ª º ½ ¹";

/** Each evaluation case: a model order, a held-out text (the job's input), a count multiplier. */
const evaluations = {
  'eval-order1': [1, 'The cat sat on the mat.', 1],
  'eval-order3': [3, 'The dog sat on the mat; the cat ate the fish and a zebra.', 1],
  'eval-order8': [8, "The cat sat on the mat. The cat ate the fish! rock'n'roll on the mat", 1],
  'eval-unicode': [3, 'Un café, ÉTÉ 2024: ΟΔΥΣΣΕΥΣ в Москве', 1],
  // Counts near 2^45: fractions of hundreds of bits, as exact as the small ones.
  'eval-large-counts': [8, 'the cat sat on the log; the dog sat on the mat', 2 ** 40],
};

const files = Object.entries(cases).map(([name, [order, prompt]]) => {
  const model = serializeModel(train(corpus, { order }));
  const input = Buffer.from(prompt, 'utf8');
  return { name, model, input, output: referenceOutput('Inference', input, model) };
});

for (const [name, [order, text, times]] of Object.entries(evaluations)) {
  const model = train(corpus, { order });
  for (const next of model.counts.values()) for (const [w, c] of next) next.set(w, c * times);
  const artifact = serializeModel(model);
  const input = Buffer.from(text, 'utf8');
  files.push({
    name,
    model: artifact,
    input,
    output: referenceOutput('Evaluation', input, artifact),
  });
}

test('the Rust crate reads every readable character as tokens() does', () => {
  const input = Buffer.from(everyCharacter, 'utf8');
  const output = Buffer.from(tokens(everyCharacter).join('\n'), 'utf8');
  if (process.env.LINEAGE_WRITE_FIXTURES) {
    writeFileSync(`${dir}words.input`, input);
    writeFileSync(`${dir}words.output`, output);
  }
  assert.ok(readFileSync(`${dir}words.input`).equals(input), 'words.input differs');
  assert.ok(readFileSync(`${dir}words.output`).equals(output), 'words.output differs');
  // The characters the chain reads are their own NFC form.
  assert.equal(everyCharacter.normalize('NFC'), everyCharacter);
});

test('the Rust crate reads the inference and evaluation outputs lib/workload.js gives', () => {
  if (process.env.LINEAGE_WRITE_FIXTURES) {
    mkdirSync(dir, { recursive: true });
    for (const f of files)
      for (const part of ['model', 'input', 'output'])
        writeFileSync(`${dir}${f.name}.${part}`, f[part]);
  }
  for (const f of files)
    for (const part of ['model', 'input', 'output'])
      assert.ok(
        readFileSync(`${dir}${f.name}.${part}`).equals(f[part]),
        `${f.name}.${part} differs from what lib/workload.js gives`,
      );
});

/**
 * A batch as training reads it: its files (listed out of path order, as a manifest may list
 * them), the root a contribution records for them and the document's text; the crate's
 * `content_hash` and `item_text` must give the same.
 */
test('the Rust crate reads a batch item as training does', () => {
  const listed = [
    { path: 'notes/b.txt', data: 'ΟΔΥΣΣΕΥΣ sat\non the MAT' },
    { path: 'a.txt', data: "The cat's hat" },
    { path: 'notes/a.txt', data: 'Σ' },
    { path: 'notes/é.txt', data: 'rock’n’roll, ÉTÉ!' },
    { path: 'z', data: '' },
  ];
  const files = listed.map((f) => ({ path: f.path, data: Buffer.from(f.data, 'utf8') }));
  const batch = {
    files: files.map((f) => ({ path: f.path, text: f.data.toString('utf8') })),
    root: directoryRoot(files.map((f) => ({ path: f.path, hash: hashBytes(f.data) }))),
    text: documentText({ kind: 'directory', files }),
  };
  const bytes = Buffer.from(JSON.stringify(batch, null, 1) + '\n', 'utf8');
  if (process.env.LINEAGE_WRITE_FIXTURES) writeFileSync(`${dir}batch.json`, bytes);
  assert.ok(readFileSync(`${dir}batch.json`).equals(bytes), 'batch.json differs');
});

/**
 * Trained models, right and faulty: whether each is what training on its own documents gives
 * (`trainedOnItsDocuments`), which the crate's `check_artifact` with the pallet's rule that
 * every document names a contribution must decide the same way.
 */
test('the Rust crate finds the faults in a trained model that the verifier finds', () => {
  const documents = [
    { id: '9', text: 'The cat sat on the mat.' },
    { id: '10', text: "The dog didn't sit; ΟΔΥΣΣΕΥΣ did." },
    { id: '11', text: 'rock’n’roll on the mat' },
  ];
  const right = serializeModel(train(documents, { order: 3 })).toString('utf8');
  const cases = {
    right: [3, right],
    'another order': [2, right],
    'a count': [3, right.replace('["cat","sat",1]', '["cat","sat",2]')],
    'an n-gram left out': [3, right.replace('["cat","sat",1],', '')],
    'a document out of order': [3, right.replace('"id":"10"', '"id":"90"')],
    'a document with no contribution id': [3, right.replace('"id":"11"', '"id":"b"')],
    'a leading zero': [3, right.replace('"id":"9"', '"id":"09"')],
    'a text changed without counting': [3, right.replace('the cat sat on the mat', 'the cat')],
    'a text not in lower case, counted': [
      3,
      serializeModel({
        ...train(documents, { order: 3 }),
        ...(() => {
          const corpus = [{ id: '1', tokens: ['The', 'Cat'] }];
          const model = train([{ id: '1', text: 'the cat' }], { order: 3 });
          const counts = new Map(
            [...model.counts].map(([c, next]) => [
              c.replace('the', 'The'),
              new Map([...next].map(([w, n]) => [w === 'the' ? 'The' : 'Cat', n])),
            ]),
          );
          return { corpus, counts };
        })(),
      }).toString('utf8'),
    ],
    'not canonical': [3, right.replace(',"format"', ', "format"')],
  };
  const verdicts = Object.entries(cases).map(([name, [order, model]]) => ({
    name,
    order,
    model,
    trained: trainedOnItsDocuments(Buffer.from(model, 'utf8'), order),
  }));
  assert.deepEqual(
    verdicts.filter((v) => v.trained).map((v) => v.name),
    ['right', 'a text not in lower case, counted'],
  );
  const bytes = Buffer.from(JSON.stringify(verdicts, null, 1) + '\n', 'utf8');
  if (process.env.LINEAGE_WRITE_FIXTURES) writeFileSync(`${dir}training.json`, bytes);
  assert.ok(readFileSync(`${dir}training.json`).equals(bytes), 'training.json differs');
});
