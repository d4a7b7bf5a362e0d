// Training on a dataset snapshot as the chain recorded it: the snapshot's roots recomputed from the
// contribution records (refused if they differ), every contribution it holds fetched through its
// URI and checked against its hash, then the reference workload's training on their text.

import { verifySnapshot } from './snapshots.js';
import { get } from './content.js';
import { train, canonical, WorkloadError, DEFAULT_ORDER } from './workload.js';

/**
 * The training documents of snapshot `version` of `dataset`: one per contribution the snapshot
 * holds (a batch's files joined in path order), each checked against its recorded hash and size.
 */
export async function snapshotDocuments(api, dataset, version, options = {}) {
  const check = await verifySnapshot(api, dataset, version);
  if (!check) throw new WorkloadError(`dataset ${dataset} has no snapshot ${version}`);
  if (!check.contentRootMatches || !check.withdrawnRootMatches)
    throw new WorkloadError(
      `snapshot ${version} of dataset ${dataset}: the records do not add up to its roots; refused`,
    );
  const documents = [];
  for (const id of check.contributions) {
    const found = await api.call.datasetsApi.contribution(id);
    if (found.isNone) throw new WorkloadError(`contribution ${id} is not on record`);
    const { content } = found.unwrap().contribution;
    const fetched = await get(content.uri.toUtf8(), content.hash_.toHex(), {
      ...options,
      bytes: content.bytes.toNumber(),
    });
    const text =
      fetched.kind === 'file'
        ? fetched.data.toString('utf8')
        : fetched.files.map((f) => f.data.toString('utf8')).join('\n');
    documents.push({ id, text });
  }
  return documents;
}

/** The model trained on snapshot `version` of `dataset`. */
export async function trainOnSnapshot(api, dataset, version, { order, ...options } = {}) {
  return train(await snapshotDocuments(api, dataset, version, options), { order });
}

/** What a training job's input declares itself to be. */
export const TRAINING_FORMAT = 'lineage-training/1';

/**
 * A training job's input: which snapshot to train on and the model's order, as canonical JSON
 * (`{"dataset":D,"format":"lineage-training/1","order":3,"snapshot":V}`).
 */
export const trainingInput = ({ dataset, snapshot, order = DEFAULT_ORDER }) =>
  canonical({ dataset, format: TRAINING_FORMAT, order, snapshot });

/** The snapshot and order a training job's input names; refuses anything else. */
export function parseTrainingInput(bytes) {
  let raw;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new WorkloadError('the training input is not JSON');
  }
  if (raw?.format !== TRAINING_FORMAT)
    throw new WorkloadError(`the training input is not a ${TRAINING_FORMAT} document`);
  for (const key of ['dataset', 'snapshot', 'order'])
    if (!Number.isInteger(raw[key]) || raw[key] < 0)
      throw new WorkloadError(`the training input's ${key} is not a whole number`);
  return { dataset: raw.dataset, snapshot: raw.snapshot, order: raw.order };
}
