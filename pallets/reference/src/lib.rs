//! # Reference workload
//!
//! The inference and evaluation of Lineage's reference workload (`scripts/lib/workload.js`), as
//! the chain runs them to decide a challenged result itself, and the faults it finds in a trained
//! model ([`check_artifact`], the `training` module): the same words, the same greedy continuation and the
//! same attribution, from the same bytes, with integers only. A result the chain re-executes is
//! right or wrong whatever the arbiter does, so a provider that delivered a wrong output loses
//! even when nobody rules.
//!
//! - A model is a `lineage-ngram/1` artifact: canonical JSON of its order (1 to 8), its training
//!   text (each contribution's id and words) and its n-gram counts.
//! - The prompt is the job's input, UTF-8 text whose words are those of `tokens` in
//!   `workload.js`: lower-cased (Unicode's full mapping, final sigma included), runs of letters
//!   and digits with inner apostrophes (`'` or `’`). The chain reads the characters whose
//!   normalization, case and class it and JavaScript agree on for certain (see [`readable`]):
//!   ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic and common punctuation, each of them
//!   already in NFC and with a letter, digit or other class that has not changed in any Unicode
//!   version. An input with any other character is left to the arbiter.
//! - The continuation adds up to [`MAX_TOKENS`] words: each the most frequent next word of the
//!   longest context the model knows (up to order − 1 words), ties to the smallest word in
//!   UTF-16 code-unit order.
//! - The attribution credits, from each position of the continuation, the longest span found
//!   within one contribution's text to every contribution holding it (words and longest span),
//!   then goes on after the span; sorted by words, then contribution id.
//! - The output is `lineage-inference/1` JSON with exactly the fields `attribution`,
//!   `continuation`, `format`, `model` (the artifact's BLAKE2b-256, `0x` hex) and `prompt`; it
//!   is right when each field equals the re-execution's.
//! - An evaluation scores a model on a held-out text (the job's input, read as a prompt is):
//!   `lineage-evaluation/1` JSON of the text's words, its cross-entropy in bits per word and its
//!   perplexity, each to six decimals rounded down, from exact fractions ([`evaluate`]).
//!
//! The work is linear in the bytes: parsing, one pass over the training text per position of
//! the continuation, and at most [`MAX_TOKENS`] steps of extending a span over its occurrences;
//! for an evaluation, at most [`MAX_ORDER`] contexts and two logarithms per word of the text.
//!
//! This crate is a library, not a pallet: it has no calls, storage or hooks, so it has no
//! benchmarks, weights or `try_state` of its own. The compute pallet calls it from
//! `check_result` and `check_training`, whose benchmarks measure it on the largest input they
//! accept and charge it per byte.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::{collections::BTreeMap, string::String, vec::Vec};
use core::cmp::Ordering;
use serde::Deserialize;

/// What a model artifact declares itself to be.
pub const MODEL_FORMAT: &str = "lineage-ngram/1";
/// What an inference output declares itself to be.
pub const INFERENCE_FORMAT: &str = "lineage-inference/1";
/// How many words an inference adds at most.
pub const MAX_TOKENS: usize = 24;
/// The largest n of a model's n-grams.
pub const MAX_ORDER: u32 = 8;

/// Why the chain cannot re-execute a job.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Uncheckable {
	/// The model bytes are not a `lineage-ngram/1` artifact of order 1 to 8.
	NotAModel,
	/// The input is not UTF-8 text of the characters the chain reads ([`readable`]).
	UnreadableText,
	/// An evaluation needs a total of the model's counts above 2^53 − 1, which JavaScript does
	/// not add up exactly.
	CountsTooLarge,
	/// The input is not a `lineage-training/1` document naming a snapshot and an order.
	NotATrainingInput,
}

/// One training contribution of a model: its id and its words, joined by single spaces.
#[derive(Deserialize)]
struct Document {
	id: String,
	text: String,
}

#[derive(Deserialize)]
struct Model {
	format: String,
	order: u32,
	corpus: Vec<Document>,
	ngrams: Vec<(String, String, u64)>,
}

/// What the output's attribution credits one contribution with.
#[derive(Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub struct Credit {
	/// The contribution's id, as the model's training text names it.
	pub contribution: String,
	/// Its longest span in the continuation, in words.
	pub longest: u64,
	/// The words of the continuation credited to it.
	pub words: u64,
}

/// An inference output: what the reference workload writes for a prompt and a model.
#[derive(Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub struct Inference {
	/// The contributions the continuation's spans come from.
	pub attribution: Vec<Credit>,
	/// The words added, joined by single spaces.
	pub continuation: String,
	/// [`INFERENCE_FORMAT`].
	pub format: String,
	/// The model artifact's BLAKE2b-256, `0x` and lower-case hex.
	pub model: String,
	/// The prompt's words, joined by single spaces.
	pub prompt: String,
}

/// Whether `output` is what the reference workload gives for `input` on `model`: `Ok(true)` when
/// every field matches, `Ok(false)` when anything differs or `output` is not an inference
/// output at all, an error when the chain cannot re-execute the job.
pub fn check_inference(model: &[u8], input: &[u8], output: &[u8]) -> Result<bool, Uncheckable> {
	let expected = infer(model, input)?;
	Ok(serde_json::from_slice::<Inference>(output).is_ok_and(|claimed| claimed == expected))
}

/// The reference workload's inference for the prompt `input` on `model`.
pub fn infer(model: &[u8], input: &[u8]) -> Result<Inference, Uncheckable> {
	let parsed: Model = serde_json::from_slice(model).map_err(|_| Uncheckable::NotAModel)?;
	if parsed.format != MODEL_FORMAT || !(1..=MAX_ORDER).contains(&parsed.order) {
		return Err(Uncheckable::NotAModel);
	}
	let prompt = words(input)?;

	// The counts, as the model's n-gram list gives them (a later entry replaces an earlier one).
	let mut counts: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
	for (context, word, count) in &parsed.ngrams {
		counts.entry(context.as_str()).or_default().insert(word.as_str(), *count);
	}
	let mut text: Vec<&str> = prompt.iter().map(String::as_str).collect();
	let mut continuation: Vec<&str> = Vec::new();
	while continuation.len() < MAX_TOKENS {
		let Some(word) = next_word(&counts, parsed.order as usize, &text) else { break };
		text.push(word);
		continuation.push(word);
	}

	Ok(Inference {
		attribution: attribute(&parsed.corpus, &continuation),
		continuation: continuation.join(" "),
		format: INFERENCE_FORMAT.into(),
		model: hex(&sp_crypto_hashing::blake2_256(model)),
		prompt: prompt.join(" "),
	})
}

/// Whether the chain reads `c` exactly as `tokens` in `workload.js` does: ASCII, Latin-1,
/// Latin Extended-A, the Greek letters of the modern alphabet, basic Cyrillic, dashes, quotation
/// marks and the ellipsis. Each is its own NFC form (no combining marks, no singleton
/// decompositions such as U+0387), so `normalize('NFC')` leaves it unchanged; its lower case
/// stays in this set but for U+0130, whose `i` and combining dot split a word in both.
pub fn readable(c: char) -> bool {
	matches!(
		c as u32,
		0x00..=0x7f
			| 0xa0..=0xff
			| 0x100..=0x17f
			| 0x386 | 0x388..=0x38a
			| 0x38c | 0x38e..=0x3a1
			| 0x3a3..=0x3ce
			| 0x400..=0x45f
			| 0x2010..=0x2015
			| 0x2018..=0x201f
			| 0x2026
	)
}

/// The words of `input`: lower-cased as a whole (final sigma included, as JavaScript's
/// `toLowerCase`), then runs of letters and digits (`\p{L}` and `\p{N}`, which for the readable
/// characters are Rust's alphanumerics) with inner apostrophes (`'` or `’`).
fn words(input: &[u8]) -> Result<Vec<String>, Uncheckable> {
	let text = core::str::from_utf8(input).map_err(|_| Uncheckable::UnreadableText)?;
	if !text.chars().all(readable) {
		return Err(Uncheckable::UnreadableText);
	}
	let lower: Vec<char> = text.to_lowercase().chars().collect();
	let word = |c: char| readable(c) && c.is_alphanumeric();
	let apostrophe = |c: char| c == '\'' || c == '\u{2019}';
	let mut out = Vec::new();
	let mut i = 0;
	while i < lower.len() {
		if !word(lower[i]) {
			i += 1;
			continue;
		}
		let start = i;
		loop {
			while i < lower.len() && word(lower[i]) {
				i += 1;
			}
			if i + 1 < lower.len() && apostrophe(lower[i]) && word(lower[i + 1]) {
				i += 1;
			} else {
				break;
			}
		}
		out.push(lower[start..i].iter().collect());
	}
	Ok(out)
}

/// Strings in UTF-16 code-unit order, the order JavaScript compares them in.
fn by_code(a: &str, b: &str) -> Ordering {
	a.encode_utf16().cmp(b.encode_utf16())
}

/// The next word after `text`: the most frequent after the longest known context, ties to the
/// smallest.
fn next_word<'a>(
	counts: &BTreeMap<&str, BTreeMap<&'a str, u64>>,
	order: usize,
	text: &[&str],
) -> Option<&'a str> {
	for k in (0..=order.saturating_sub(1).min(text.len())).rev() {
		let context = text[text.len() - k..].join(" ");
		let Some(next) = counts.get(context.as_str()) else { continue };
		return next
			.iter()
			.max_by(|(a, x), (b, y)| x.cmp(y).then_with(|| by_code(b, a)))
			.map(|(word, _)| *word);
	}
	None
}

/// The attribution of `output` to the training contributions.
fn attribute(corpus: &[Document], output: &[&str]) -> Vec<Credit> {
	// Every word of the training text as a number, per contribution.
	let mut vocabulary: BTreeMap<&str, u32> = BTreeMap::new();
	let documents: Vec<Vec<u32>> = corpus
		.iter()
		.map(|d| {
			// An empty text has no words (not one empty word).
			d.text
				.split(' ')
				.filter(|_| !d.text.is_empty())
				.map(|w| {
					let next = vocabulary.len() as u32;
					*vocabulary.entry(w).or_insert(next)
				})
				.collect()
		})
		.collect();
	let output: Vec<Option<u32>> = output.iter().map(|w| vocabulary.get(w).copied()).collect();

	let mut credit: BTreeMap<&str, Credit> = BTreeMap::new();
	let mut i = 0;
	while i < output.len() {
		let Some(first) = output[i] else {
			i += 1;
			continue;
		};
		// Every occurrence of the span so far, as (contribution, position).
		let mut at: Vec<(usize, usize)> = documents
			.iter()
			.enumerate()
			.flat_map(|(d, words)| {
				words
					.iter()
					.enumerate()
					.filter(move |(_, w)| **w == first)
					.map(move |(p, _)| (d, p))
			})
			.collect();
		if at.is_empty() {
			i += 1;
			continue;
		}
		let mut length = 1;
		while let Some(Some(word)) = output.get(i + length) {
			let longer: Vec<(usize, usize)> = at
				.iter()
				.copied()
				.filter(|(d, p)| documents[*d].get(p + length) == Some(word))
				.collect();
			if longer.is_empty() {
				break;
			}
			at = longer;
			length += 1;
		}
		let mut holders: Vec<usize> = at.into_iter().map(|(d, _)| d).collect();
		holders.dedup();
		for d in holders {
			let id = corpus[d].id.as_str();
			let entry = credit.entry(id).or_insert_with(|| Credit {
				contribution: id.into(),
				longest: 0,
				words: 0,
			});
			entry.words += length as u64;
			entry.longest = entry.longest.max(length as u64);
		}
		i += length;
	}
	let mut out: Vec<Credit> = credit.into_values().collect();
	out.sort_by(|a, b| {
		b.words.cmp(&a.words).then_with(|| by_code(&a.contribution, &b.contribution))
	});
	out
}

/// `0x` and lower-case hex.
fn hex(bytes: &[u8]) -> String {
	const DIGITS: &[u8; 16] = b"0123456789abcdef";
	let mut out = String::from("0x");
	for b in bytes {
		out.push(DIGITS[(b >> 4) as usize] as char);
		out.push(DIGITS[(b & 15) as usize] as char);
	}
	out
}

/// `value` as a JSON string, escaped as `JSON.stringify` escapes it.
fn json_string(value: &str, out: &mut String) {
	out.push('"');
	for c in value.chars() {
		match c {
			'"' => out.push_str("\\\""),
			'\\' => out.push_str("\\\\"),
			'\n' => out.push_str("\\n"),
			'\r' => out.push_str("\\r"),
			'\t' => out.push_str("\\t"),
			'\u{8}' => out.push_str("\\b"),
			'\u{c}' => out.push_str("\\f"),
			c if (c as u32) < 0x20 => {
				out.push_str("\\u00");
				out.push_str(&hex(&[c as u8])[2..]);
			},
			c => out.push(c),
		}
	}
	out.push('"');
}

/// An inference output's canonical bytes, as the reference workload writes them: JSON with
/// sorted keys, no spaces and one trailing newline.
pub fn serialize(inference: &Inference) -> Vec<u8> {
	let mut out = String::from("{\"attribution\":[");
	for (n, c) in inference.attribution.iter().enumerate() {
		if n > 0 {
			out.push(',');
		}
		out.push_str("{\"contribution\":");
		json_string(&c.contribution, &mut out);
		out.push_str(&alloc::format!(",\"longest\":{},\"words\":{}}}", c.longest, c.words));
	}
	for (key, value) in [
		("continuation", &inference.continuation),
		("format", &inference.format),
		("model", &inference.model),
		("prompt", &inference.prompt),
	] {
		out.push_str(if key == "continuation" { "]," } else { "," });
		json_string(key, &mut out);
		out.push(':');
		json_string(value, &mut out);
	}
	out.push_str("}\n");
	out.into_bytes()
}

/// The costliest job of at most `bytes` bytes of model, input and output together for the chain
/// to re-execute, for benchmarks: one contribution of a single word repeated, so every position
/// of the training text is an occurrence of every span of the continuation, and the rest of the
/// bytes as n-grams to parse (each step of the continuation weighs all of them). Returns
/// `(model, input, right, wrong)`: the right output, and a wrong one of the same length that
/// differs only in its last field.
pub fn costliest(bytes: u32) -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>) {
	let input = b"w".to_vec();
	let mut budget = (bytes as usize).saturating_sub(input.len() + 300);
	loop {
		let (model, output) = costliest_model(&input, budget);
		let total = model.len() + input.len() + output.len();
		if total <= bytes as usize || budget == 0 {
			// `…,"prompt":"w"}\n`: another prompt.
			let mut wrong = output.clone();
			let at = wrong.len().saturating_sub(4);
			wrong[at] = b'v';
			return (model, input, output, wrong);
		}
		budget = budget.saturating_sub(total - bytes as usize);
	}
}

/// A costliest model of about `budget` bytes and the right output for `input` on it.
fn costliest_model(input: &[u8], budget: usize) -> (Vec<u8>, Vec<u8>) {
	let words = budget / 4;
	let mut text = String::with_capacity(words * 2);
	for n in 0..words {
		if n > 0 {
			text.push(' ');
		}
		text.push('w');
	}
	let mut ngrams = String::from("[\"\",\"w\",1]");
	let mut n = 0u32;
	while text.len() + ngrams.len() + 20 < budget {
		ngrams.push_str(&alloc::format!(",[\"w\",\"x{n}\",1]"));
		n += 1;
	}
	let model = alloc::format!(
		"{{\"corpus\":[{{\"id\":\"1\",\"text\":\"{text}\"}}],\"format\":\"{MODEL_FORMAT}\",\"ngrams\":[{ngrams}],\"order\":2}}\n"
	)
	.into_bytes();
	let output = serialize(&infer(&model, input).expect("a model of order 2 over readable text"));
	(model, output)
}

mod evaluation;
mod training;
pub use evaluation::{
	check_evaluation, costliest_evaluation, evaluate, serialize_evaluation, Evaluation,
	EVALUATION_FORMAT,
};
pub use training::{
	check_artifact, content_hash, costliest_training, item_text, repeated, training_artifact,
	training_input, training_input_bytes, ItemFile, Trained, TrainingInput, TRAINING_FORMAT,
};

#[cfg(test)]
mod tests;
