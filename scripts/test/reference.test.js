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
import { train, serializeModel, tokens } from '../lib/workload.js';
import { chainReadable } from '../lib/agents.js';

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
