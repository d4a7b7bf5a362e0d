// `lineage workload`: the reference workload (see lib/workload.js) from the command line: train
// on files or on a dataset snapshot of the chain, run an inference, evaluate a held-out text, or
// run one job the way a provider's runner does (`run KIND INPUT MODEL OUTPUT`).

import { readFile, writeFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hashBytes } from '../lib/content.js';
import {
  DEFAULT_ORDER,
  DEFAULT_MAX_TOKENS,
  train,
  serializeModel,
  parseModel,
  infer,
  serializeInference,
  evaluate,
  serializeEvaluation,
  WorkloadError,
} from '../lib/workload.js';
import { ArgError } from './args.js';

const VERBS = {
  train: {
    usage: `lineage workload train (--from PATH… | --dataset D --snapshot V) --out MODEL [--order ${DEFAULT_ORDER}]`,
    flags: ['from', 'dataset', 'snapshot', 'out', 'order', 'ws'],
    docs: [
      'Counts the n-grams of the training text and writes the model artifact (canonical JSON).',
      '--from: files, or directories of files, one document each (comma-separated paths).',
      "--dataset/--snapshot: the snapshot's contributions, fetched through their URIs and",
      "checked against their hashes and the snapshot's roots (a node at --ws).",
      "Prints the artifact's hash and size: the ContentRef a model version is published with.",
    ],
  },
  'training-input': {
    usage: `lineage workload training-input --dataset D --snapshot V --out INPUT [--order ${DEFAULT_ORDER}]`,
    flags: ['dataset', 'snapshot', 'out', 'order'],
    docs: [
      'Writes the input of a training job: the snapshot a provider agent trains on and the',
      "model's order (canonical JSON). Put it in the content store and submit a Training job",
      "with it; the job's result is the model artifact to publish as the next version.",
    ],
  },
  infer: {
    usage: `lineage workload infer --model MODEL --input PROMPT --out OUTPUT [--max-tokens ${DEFAULT_MAX_TOKENS}]`,
    flags: ['model', 'input', 'out', 'max-tokens'],
    docs: [
      'Continues the prompt greedily and attributes the continuation to the training',
      'contributions whose text its spans match longest; writes the output (canonical JSON).',
    ],
  },
  evaluate: {
    usage: 'lineage workload evaluate --model MODEL --input HELD_OUT [--out OUTPUT]',
    flags: ['model', 'input', 'out'],
    docs: ["A held-out text's cross-entropy (bits per word) and perplexity, six decimals."],
  },
  run: {
    usage: 'lineage workload run KIND INPUT MODEL OUTPUT',
    flags: [],
    docs: [
      'One job as a provider runs it (KIND: inference or evaluation): the deterministic',
      "runner every agent uses unless given another (--runner 'CMD {input} {model} {output}').",
    ],
  },
};

export function workloadHelp() {
  const lines = ['lineage workload — the reference workload: deterministic on every machine', ''];
  for (const verb of Object.values(VERBS))
    lines.push(`  ${verb.usage}`, ...verb.docs.map((d) => `      ${d}`), '');
  return lines.join('\n');
}

/** The text of a file, or of every file under a directory in path order. */
async function documentsFrom(paths) {
  const documents = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) throw new ArgError(`--from ${path}: no such file or directory`);
    if (info.isFile()) {
      documents.push({ id: path, text: await readFile(path, 'utf8') });
      continue;
    }
    const names = (await readdir(path, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath ?? e.path, e.name))
      .sort();
    for (const name of names) documents.push({ id: name, text: await readFile(name, 'utf8') });
  }
  return documents;
}

const needs = (flags, names, verb) => {
  for (const name of names)
    if (flags[name] === undefined) throw new ArgError(`workload ${verb} needs --${name}`);
};

const whole = (flag, raw, min, max) => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ArgError(`--${flag} ${raw} is not a whole number from ${min} to ${max}`);
  return value;
};

async function readModel(path) {
  const bytes = await readFile(path).catch(() => {
    throw new ArgError(`--model ${path}: no such file`);
  });
  return { bytes, model: parseModel(bytes) };
}

async function readInput(path) {
  return readFile(path, 'utf8').catch(() => {
    throw new ArgError(`--input ${path}: no such file`);
  });
}

/** Runs one job of `kind` on files: what `workload run` and the provider agent do. */
export async function runJob(kind, input, modelPath, output) {
  const { bytes, model } = await readModel(modelPath);
  const text = await readInput(input);
  let result;
  if (kind === 'inference' || kind === 'Inference') {
    result = serializeInference({ model: hashBytes(bytes), ...infer(model, text) });
  } else if (kind === 'evaluation' || kind === 'Evaluation') {
    result = serializeEvaluation({ model: hashBytes(bytes), ...evaluate(model, text) });
  } else {
    throw new ArgError(`the reference runner runs inference and evaluation jobs, not ${kind}`);
  }
  await writeFile(output, result);
  return result;
}

export async function runWorkload(name, args, flags, connect) {
  if (!name || flags.help) {
    console.log(workloadHelp());
    return;
  }
  const verb = VERBS[name];
  if (!verb)
    throw new ArgError(
      `unknown verb "workload ${name}"; the verbs are ${Object.keys(VERBS).join(', ')}`,
    );
  const allowed = new Set([...verb.flags, 'json', 'ws', 'help', 'exact']);
  const unknown = Object.keys(flags).find((f) => !allowed.has(f));
  if (unknown)
    throw new ArgError(
      `unknown option --${unknown} for workload ${name}; see lineage workload --help`,
    );

  if (name === 'train') {
    needs(flags, ['out'], 'train');
    const order = flags.order === undefined ? DEFAULT_ORDER : whole('order', flags.order, 1, 8);
    let model;
    if (flags.from !== undefined) {
      model = train(await documentsFrom(String(flags.from).split(',')), { order });
    } else if (flags.dataset !== undefined && flags.snapshot !== undefined) {
      const dataset = whole('dataset', flags.dataset, 0, 2 ** 32 - 1);
      const version = whole('snapshot', flags.snapshot, 1, 2 ** 32 - 1);
      const { trainOnSnapshot } = await import('../lib/training.js');
      const api = await connect(flags.ws);
      try {
        model = await trainOnSnapshot(api, dataset, version, { order });
      } finally {
        await api.disconnect();
      }
    } else {
      throw new ArgError('workload train needs --from PATH, or --dataset and --snapshot');
    }
    const bytes = serializeModel(model);
    await writeFile(flags.out, bytes);
    console.log(
      JSON.stringify(
        { hash: hashBytes(bytes), bytes: bytes.length, documents: model.corpus.length, order },
        null,
        2,
      ),
    );
    return;
  }
  if (name === 'training-input') {
    needs(flags, ['dataset', 'snapshot', 'out'], 'training-input');
    const { trainingInput } = await import('../lib/training.js');
    const bytes = trainingInput({
      dataset: whole('dataset', flags.dataset, 0, 2 ** 32 - 1),
      snapshot: whole('snapshot', flags.snapshot, 1, 2 ** 32 - 1),
      order: flags.order === undefined ? DEFAULT_ORDER : whole('order', flags.order, 1, 8),
    });
    await writeFile(flags.out, bytes);
    console.error(
      `training input ${hashBytes(bytes)} (${bytes.length} bytes) written to ${flags.out}`,
    );
    return;
  }
  if (name === 'infer') {
    needs(flags, ['model', 'input', 'out'], 'infer');
    const maxTokens =
      flags['max-tokens'] === undefined
        ? DEFAULT_MAX_TOKENS
        : whole('max-tokens', flags['max-tokens'], 1, 10_000);
    const { bytes, model } = await readModel(flags.model);
    const output = {
      model: hashBytes(bytes),
      ...infer(model, await readInput(flags.input), { maxTokens }),
    };
    const written = serializeInference(output);
    await writeFile(flags.out, written);
    console.log(output.continuation);
    console.error(`output ${hashBytes(written)} (${written.length} bytes) written to ${flags.out}`);
    return;
  }
  if (name === 'evaluate') {
    needs(flags, ['model', 'input'], 'evaluate');
    const { bytes, model } = await readModel(flags.model);
    const output = { model: hashBytes(bytes), ...evaluate(model, await readInput(flags.input)) };
    const written = serializeEvaluation(output);
    if (flags.out) await writeFile(flags.out, written);
    process.stdout.write(written);
    return;
  }
  // run
  if (args.length !== 4) throw new ArgError('workload run takes KIND INPUT MODEL OUTPUT');
  const written = await runJob(...args);
  console.error(`output ${hashBytes(written)} (${written.length} bytes) written to ${args[3]}`);
}

export { WorkloadError };
