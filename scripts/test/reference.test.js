// The chain re-executes the reference workload's inference (pallets/reference) to decide a
// challenged result: both implementations must give the same bytes. This test recomputes the
// cases the Rust crate's tests read (pallets/reference/fixtures/) with lib/workload.js and
// fails when the two drift apart; `LINEAGE_WRITE_FIXTURES=1` rewrites them after a deliberate
// change to the workload.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { referenceOutput } from '../lib/agents.js';
import { train, serializeModel } from '../lib/workload.js';

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
};

const files = Object.entries(cases).map(([name, [order, prompt]]) => {
  const model = serializeModel(train(corpus, { order }));
  const input = Buffer.from(prompt, 'utf8');
  return { name, model, input, output: referenceOutput('Inference', input, model) };
});

test('the Rust crate reads the inference outputs lib/workload.js gives', () => {
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
