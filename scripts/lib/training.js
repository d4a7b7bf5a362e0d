// Training on a dataset snapshot as the chain recorded it: the snapshot's roots recomputed from the
// contribution records (refused if they differ), every contribution it holds fetched through its
// URI and checked against its hash, then the reference workload's training on their text.

import { verifySnapshot } from './snapshots.js';
import { get } from './content.js';
import { u8aToHex } from '@polkadot/util';
import {
  train,
  canonical,
  tokens,
  trainedOnItsDocuments,
  WorkloadError,
  DEFAULT_ORDER,
} from './workload.js';

/**
 * The training documents of snapshot `version` of `dataset`: one per contribution the snapshot
 * holds (a batch's files joined in path order), each checked against its recorded hash and size
 * (`{ id, text, fetched }`, `fetched` what `content.get` returned).
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
    documents.push({ id, text: rawText(fetched), fetched });
  }
  return documents;
}

/** A batch's files in path order (byte for byte, as its root orders them). */
const inPathOrder = (files) =>
  [...files].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));

/** The text of fetched content: a file's, or a batch's files in path order joined by line breaks. */
function rawText(fetched) {
  if (fetched.kind === 'file') return fetched.data.toString('utf8');
  return inPathOrder(fetched.files)
    .map((f) => f.data.toString('utf8'))
    .join('\n');
}

/** A training document's text from fetched content: its words joined by single spaces. */
export const documentText = (fetched) => tokens(rawText(fetched)).join(' ');

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

/** Files of fetched content as `check_training` takes them: one with no path, or a batch's. */
const itemFiles = (fetched) =>
  fetched.kind === 'file'
    ? [{ path: '0x', bytes: u8aToHex(fetched.data) }]
    : inPathOrder(fetched.files).map((f) => ({
        path: u8aToHex(Buffer.from(f.path)),
        bytes: u8aToHex(f.data),
      }));

/**
 * The fault `check_training` can be shown in `output`, the model a training job on `input`
 * delivered: `{ fault, bytes, what }` (the `TrainingFault`, the item's bytes it hands over, and
 * what it is in words), or `null` when the model is what training on the snapshot gives.
 * Fetches the snapshot's contributions, each checked against its record.
 */
export async function trainingFault(api, input, output, options = {}) {
  const { dataset, snapshot, order } = parseTrainingInput(input);
  if (!trainedOnItsDocuments(output, order))
    return {
      fault: 'Artifact',
      bytes: 0,
      what: 'it is not what training on its own documents gives',
    };
  const claimed = new Map(
    JSON.parse(Buffer.from(output).toString('utf8')).corpus.map((d) => [d.id, d.text]),
  );
  const documents = await snapshotDocuments(api, dataset, snapshot, options);
  const held = new Set(documents.map((d) => String(d.id)));
  for (const d of documents)
    if (!claimed.has(String(d.id)))
      return {
        fault: { Membership: d.id },
        bytes: 0,
        what: `it leaves out contribution ${d.id}, which the snapshot holds`,
      };
  for (const id of claimed.keys())
    if (!held.has(id))
      return {
        fault: { Membership: id },
        bytes: 0,
        what: `it takes in contribution ${id}, which the snapshot does not hold`,
      };
  for (const d of documents) {
    if (claimed.get(String(d.id)) === documentText(d.fetched)) continue;
    const files = itemFiles(d.fetched);
    return {
      fault: { Item: { contribution: d.id, files } },
      bytes: files.reduce((n, f) => n + (f.path.length - 2) / 2 + (f.bytes.length - 2) / 2, 0),
      what: `its document for contribution ${d.id} is not the words of its content`,
      text: rawText(d.fetched),
    };
  }
  return null;
}
