//! The reference workload's training (`train` in `workload.js`), as the chain checks a trained
//! model for faults.
//!
//! A training job's input names a dataset snapshot and an order (`lineage-training/1`); its
//! output is the model artifact: canonical JSON of the order, the training text (one document per
//! contribution the snapshot holds: its id and its words) and the counts of every n-gram of
//! orders 1 to n within each document. The chain cannot fetch a snapshot's items, so it does not
//! train afresh; it finds a fault that anyone shows it, each decided from the artifact and at most
//! one item:
//!
//! - the artifact is not what training on the documents it declares gives ([`check_artifact`]):
//!   not a model, another order, documents out of order or twice, no words, or any count,
//!   n-gram or byte that differs;
//! - a contribution the snapshot holds has no document, or a document names a contribution the
//!   snapshot does not hold (decided by the pallet from the contribution's record);
//! - a document's text is not the words of its contribution's content ([`item_text`], the item's
//!   bytes handed over and checked against the recorded hash, [`content_hash`]).
//!
//! A model with none of these faults is what training on the snapshot gives: each document is the
//! words of a contribution the snapshot holds, every one of them is there, and the counts are
//! those of the documents. So a provider that delivered anything else loses to one call, whatever
//! the arbiter does.

use alloc::{collections::BTreeMap, string::String, vec::Vec};
use core::cmp::Ordering;
use serde::Deserialize;

use crate::{by_code, json_string, words, Document, Model, Uncheckable, MAX_ORDER, MODEL_FORMAT};

/// What a training job's input declares itself to be.
pub const TRAINING_FORMAT: &str = "lineage-training/1";

/// A training job's input: the snapshot to train on and the model's order.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub struct TrainingInput {
	/// The dataset.
	pub dataset: u32,
	/// The snapshot's version.
	pub snapshot: u32,
	/// The model's order.
	pub order: u32,
}

#[derive(Deserialize)]
struct RawInput {
	format: String,
	dataset: u32,
	snapshot: u32,
	order: u32,
}

/// The snapshot and order a training job's input names, as `parseTrainingInput` in
/// `training.js` reads it (other fields ignored).
pub fn training_input(input: &[u8]) -> Result<TrainingInput, Uncheckable> {
	let raw: RawInput =
		serde_json::from_slice(input).map_err(|_| Uncheckable::NotATrainingInput)?;
	if raw.format != TRAINING_FORMAT {
		return Err(Uncheckable::NotATrainingInput);
	}
	Ok(TrainingInput { dataset: raw.dataset, snapshot: raw.snapshot, order: raw.order })
}

/// A model artifact with no fault of its own: the documents it was trained on.
pub struct Trained {
	corpus: Vec<Document>,
}

impl Trained {
	/// The text of the document of contribution `id` (its words joined by single spaces), if
	/// the model was trained on it.
	pub fn text(&self, id: u64) -> Option<&str> {
		let id = alloc::format!("{id}");
		self.corpus
			.binary_search_by(|d| by_code(&d.id, &id))
			.ok()
			.map(|at| self.corpus[at].text.as_str())
	}

	/// Whether every document's id is a contribution id as `training.js` writes it: a whole
	/// number in decimal, with no sign or leading zero, below 2^64.
	pub fn names_contributions(&self) -> bool {
		self.corpus
			.iter()
			.all(|d| d.id.parse::<u64>().is_ok_and(|id| alloc::format!("{id}") == d.id))
	}

	/// How many documents the model was trained on.
	pub fn documents(&self) -> usize {
		self.corpus.len()
	}
}

/// The documents of `output` if it is exactly what the reference workload's training of order
/// `order` gives on them; `None` when it is not (a fault, whatever the snapshot holds).
///
/// Counts every n-gram of the documents again, writes the artifact canonically and compares the
/// bytes: linear in the documents' words times the order, and in the artifact's bytes.
pub fn check_artifact(output: &[u8], order: u32) -> Option<Trained> {
	let parsed: Model = serde_json::from_slice(output).ok()?;
	if parsed.format != MODEL_FORMAT || parsed.order != order {
		return None;
	}
	let expected = artifact(&parsed.corpus, order)?;
	(expected == output).then_some(Trained { corpus: parsed.corpus })
}

/// The artifact training of order `order` gives on `corpus` (`serializeModel(train(…))` in
/// `workload.js`), the documents' texts already words joined by single spaces; `None` where
/// `train` refuses: an order outside 1 to 8, documents not in id order or twice, no words.
fn artifact(corpus: &[Document], order: u32) -> Option<Vec<u8>> {
	if !(1..=MAX_ORDER).contains(&order)
		|| !corpus.windows(2).all(|w| by_code(&w[0].id, &w[1].id) == Ordering::Less)
	{
		return None;
	}
	let documents: Vec<Vec<&str>> = corpus
		.iter()
		.map(|d| if d.text.is_empty() { Vec::new() } else { d.text.split(' ').collect() })
		.collect();
	// A word is never empty.
	if documents.iter().all(Vec::is_empty) || documents.iter().flatten().any(|w| w.is_empty()) {
		return None;
	}
	let mut counts: BTreeMap<&[&str], BTreeMap<&str, u64>> = BTreeMap::new();
	for words in &documents {
		for i in 0..words.len() {
			for k in 0..(order as usize).min(i + 1) {
				*counts.entry(&words[i - k..i]).or_default().entry(words[i]).or_default() += 1;
			}
		}
	}
	let mut contexts: Vec<(String, BTreeMap<&str, u64>)> =
		counts.into_iter().map(|(context, next)| (context.join(" "), next)).collect();
	contexts.sort_by(|a, b| by_code(&a.0, &b.0));

	let mut out = String::new();
	out.push_str("{\"corpus\":[");
	for (n, d) in corpus.iter().enumerate() {
		if n > 0 {
			out.push(',');
		}
		out.push_str("{\"id\":");
		json_string(&d.id, &mut out);
		out.push_str(",\"text\":");
		json_string(&d.text, &mut out);
		out.push('}');
	}
	out.push_str("],\"format\":");
	json_string(MODEL_FORMAT, &mut out);
	out.push_str(",\"ngrams\":[");
	let mut first = true;
	for (context, next) in &contexts {
		let mut next: Vec<(&&str, &u64)> = next.iter().collect();
		next.sort_by(|a, b| by_code(a.0, b.0));
		for (word, count) in next {
			if !first {
				out.push(',');
			}
			first = false;
			out.push('[');
			json_string(context, &mut out);
			out.push(',');
			json_string(word, &mut out);
			out.push_str(&alloc::format!(",{count}]"));
		}
	}
	out.push_str(&alloc::format!("],\"order\":{order}}}\n"));
	Some(out.into_bytes())
}

/// The artifact training of order `order` gives on `documents` (`(contribution, words joined by
/// single spaces)`), as [`check_artifact`] expects it; `None` where training refuses.
pub fn training_artifact(documents: &[(u64, &str)], order: u32) -> Option<Vec<u8>> {
	let mut corpus: Vec<Document> = documents
		.iter()
		.map(|(id, text)| Document { id: alloc::format!("{id}"), text: (*text).into() })
		.collect();
	corpus.sort_by(|a, b| by_code(&a.id, &b.id));
	artifact(&corpus, order)
}

/// One file of an item: its path in a batch (empty for a single item) and its bytes.
pub type ItemFile<'a> = (&'a [u8], &'a [u8]);

/// The hash a contribution records for `files`: BLAKE2b-256 of the bytes of a single item (one
/// file, empty path), or the root of a batch (`directoryRoot` in `content.js`: leaves
/// BLAKE2b-256(0x00 ‖ path ‖ 0x00 ‖ file hash) in path order, inner nodes
/// BLAKE2b-256(0x01 ‖ left ‖ right), an odd last node moved up). `None` for no files, an empty
/// path in a batch, or paths not strictly in order.
pub fn content_hash(files: &[ItemFile]) -> Option<[u8; 32]> {
	use sp_crypto_hashing::blake2_256;
	match files {
		[] => None,
		[([], bytes)] => Some(blake2_256(bytes)),
		_ => {
			if files.iter().any(|(path, _)| path.is_empty())
				|| !files.windows(2).all(|w| w[0].0 < w[1].0)
			{
				return None;
			}
			let mut level: Vec<[u8; 32]> = files
				.iter()
				.map(|(path, bytes)| {
					let mut leaf = Vec::with_capacity(path.len() + 34);
					leaf.push(0);
					leaf.extend_from_slice(path);
					leaf.push(0);
					leaf.extend_from_slice(&blake2_256(bytes));
					blake2_256(&leaf)
				})
				.collect();
			while level.len() > 1 {
				level = level
					.chunks(2)
					.map(|pair| match pair {
						[left, right] => {
							let mut node = [0u8; 65];
							node[0] = 1;
							node[1..33].copy_from_slice(left);
							node[33..].copy_from_slice(right);
							blake2_256(&node)
						},
						[odd] => *odd,
						_ => unreachable!("chunks of two"),
					})
					.collect();
			}
			level.first().copied()
		},
	}
}

/// The text training reads from an item (`snapshotDocuments` in `training.js`): its files in
/// path order, each UTF-8, joined by a line break, as words joined by single spaces.
pub fn item_text(files: &[ItemFile]) -> Result<String, Uncheckable> {
	let mut text = Vec::new();
	for (n, (_, bytes)) in files.iter().enumerate() {
		if n > 0 {
			text.push(b'\n');
		}
		text.extend_from_slice(bytes);
	}
	Ok(words(&text)?.join(" "))
}

/// A training job's input, as `trainingInput` in `training.js` writes it.
pub fn training_input_bytes(input: TrainingInput) -> Vec<u8> {
	alloc::format!(
		"{{\"dataset\":{},\"format\":\"{TRAINING_FORMAT}\",\"order\":{},\"snapshot\":{}}}\n",
		input.dataset,
		input.order,
		input.snapshot
	)
	.into_bytes()
}

/// The costliest model of at most `bytes` bytes (with its input, `snapshot` at the highest
/// order) for the chain to check, for benchmarks: contribution `contribution`'s document of one
/// short word repeated, the most positions a byte buys, each adding a context of every length.
/// Returns `(input, right artifact, wrong artifact)`, the wrong one the right one with its last
/// count changed.
pub fn costliest_training(
	bytes: u32,
	snapshot: (u32, u32),
	contribution: u64,
) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
	let input = training_input_bytes(TrainingInput {
		dataset: snapshot.0,
		snapshot: snapshot.1,
		order: MAX_ORDER,
	});
	let model = |words: usize| {
		let text = repeated("w", words);
		training_artifact(&[(contribution, &text)], MAX_ORDER).expect("words at order 8")
	};
	let room = (bytes as usize).saturating_sub(input.len());
	// Two bytes a word beyond the first eight, whose n-grams are every one there is.
	let fixed = model(8).len() - 16;
	let mut words = (room.saturating_sub(fixed) / 2).max(1);
	let mut right = model(words);
	while right.len() > room && words > 1 {
		words -= (right.len() - room).div_ceil(2).min(words - 1);
		right = model(words);
	}
	let mut wrong = right.clone();
	// The last count, `…,N]],"order":8}\n`: one more.
	let end = wrong.windows(2).rposition(|w| w == b"]]").expect("a count");
	let at = end - 1;
	wrong[at] = if wrong[at] == b'9' { b'8' } else { wrong[at] + 1 };
	(input, right, wrong)
}

/// `word` `count` times, joined by single spaces.
pub fn repeated(word: &str, count: usize) -> String {
	let mut text = String::with_capacity(count * (word.len() + 1));
	for n in 0..count {
		if n > 0 {
			text.push(' ');
		}
		text.push_str(word);
	}
	text
}
