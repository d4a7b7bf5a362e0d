//! The chain's re-execution against the outputs `scripts/lib/workload.js` gives
//! (`fixtures/`, kept in step by `scripts/test/reference.test.js`).

use super::*;

const CASES: [&str; 6] = [
	"order1-empty",
	"order2-unknown",
	"order3-apostrophes",
	"order3-sat",
	"order3-unicode",
	"order4-ties",
];

fn fixture(name: &str) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
	// The crate's directory when the test runs (a target directory shared between checkouts may
	// hold a binary built in another one).
	let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or(env!("CARGO_MANIFEST_DIR").into());
	let read = |part: &str| std::fs::read(format!("{dir}/fixtures/{name}.{part}")).unwrap();
	(read("model"), read("input"), read("output"))
}

/// `output` re-serialized after `change`.
fn changed(output: &[u8], change: impl FnOnce(&mut Inference)) -> Vec<u8> {
	let mut parsed: Inference = serde_json::from_slice(output).unwrap();
	change(&mut parsed);
	serialize(&parsed)
}

#[test]
fn the_reference_workloads_outputs_are_right_and_re_executed_byte_for_byte() {
	for name in CASES {
		let (model, input, output) = fixture(name);
		assert_eq!(check_inference(&model, &input, &output), Ok(true), "{name}");
		assert_eq!(serialize(&infer(&model, &input).unwrap()), output, "{name}");
	}
}

#[test]
fn any_field_that_differs_makes_the_output_wrong() {
	let (model, input, output) = fixture("order4-ties");
	let wrong = [
		changed(&output, |o| o.continuation.push_str(" fish")),
		changed(&output, |o| o.continuation = o.continuation.replacen("dog", "cat", 1)),
		changed(&output, |o| o.prompt = "a".into()),
		changed(&output, |o| o.format = "lineage-inference/2".into()),
		changed(&output, |o| o.model = o.model.replace('a', "b")),
		changed(&output, |o| o.attribution[0].words += 1),
		changed(&output, |o| o.attribution[1].longest -= 1),
		changed(&output, |o| o.attribution.swap(0, 1)),
		changed(&output, |o| o.attribution[1].contribution = "11".into()),
		changed(&output, |o| {
			o.attribution.pop();
		}),
	];
	for (n, bytes) in wrong.iter().enumerate() {
		assert_ne!(bytes, &output);
		assert_eq!(check_inference(&model, &input, bytes), Ok(false), "change {n}");
	}
}

#[test]
fn an_output_that_is_not_an_inference_is_wrong() {
	let (model, input, output) = fixture("order3-sat");
	let text = String::from_utf8(output.clone()).unwrap();
	let extra_field = text.replacen("{\"attribution\"", "{\"note\":\"x\",\"attribution\"", 1);
	let duplicate_field = text.replacen("{\"attribution\"", "{\"prompt\":\"\",\"attribution\"", 1);
	for bytes in [
		&b""[..],
		b"not json",
		b"{}",
		extra_field.as_bytes(),
		duplicate_field.as_bytes(),
		&output[..output.len() / 2],
		&[0xff, 0xfe][..],
	] {
		assert_eq!(check_inference(&model, &input, bytes), Ok(false));
	}
	// The same fields in another layout are the same output.
	let spaced = text.replace(',', ", ");
	assert_eq!(check_inference(&model, &input, spaced.as_bytes()), Ok(true));
}

#[test]
fn what_the_chain_cannot_re_execute_is_left_to_the_arbiter() {
	let (model, _, output) = fixture("order3-sat");
	// CJK, a combining accent (not NFC), a Greek singleton (U+0387), a BOM, bytes not UTF-8.
	for input in [
		"the 猫".as_bytes(),
		"the cafe\u{301}".as_bytes(),
		"the cat\u{387}".as_bytes(),
		"\u{feff}the cat".as_bytes(),
		b"the cat\xff",
	] {
		assert_eq!(check_inference(&model, input, &output), Err(Uncheckable::UnreadableText));
	}
	let text = String::from_utf8(model.clone()).unwrap();
	for bad in [
		b"".to_vec(),
		b"{\"format\":\"lineage-ngram/1\"}".to_vec(),
		text.replace("lineage-ngram/1", "gguf").into_bytes(),
		text.replace("\"order\":3", "\"order\":0").into_bytes(),
		text.replace("\"order\":3", "\"order\":9").into_bytes(),
	] {
		assert_eq!(check_inference(&bad, b"the cat", &output), Err(Uncheckable::NotAModel));
	}
}

#[test]
fn every_readable_character_makes_the_words_javascript_makes() {
	// `fixtures/words.*`: every readable character in every context, and `tokens()`'s words.
	let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or(env!("CARGO_MANIFEST_DIR").into());
	let input = std::fs::read(format!("{dir}/fixtures/words.input")).unwrap();
	let expected =
		String::from_utf8(std::fs::read(format!("{dir}/fixtures/words.output")).unwrap()).unwrap();
	assert_eq!(super::words(&input).unwrap().join("\n"), expected);
	let words = |s: &str| super::words(s.as_bytes()).unwrap();
	assert_eq!(words("ΟΔΥΣΣΕΥΣ ΑΣ. Σ"), ["οδυσσευς", "ας", "σ"]);
	assert_eq!(words("İSTANBUL rock’n’roll x²"), ["i", "stanbul", "rock’n’roll", "x²"]);
}

#[test]
fn words_are_the_reference_workloads_words_of_ascii_text() {
	let words = |s: &str| super::words(s.as_bytes()).unwrap();
	assert_eq!(
		words("Didn't the DOG's... rock'n'roll?"),
		["didn't", "the", "dog's", "rock'n'roll"]
	);
	assert_eq!(words("'quoted' it's'' a''b 42x"), ["quoted", "it's", "a", "b", "42x"]);
	assert_eq!(words(""), Vec::<String>::new());
	assert_eq!(words(" \t\n!?"), Vec::<String>::new());
}

#[test]
fn ties_go_to_the_smallest_word_in_utf16_order() {
	// U+FF21 sorts after U+1F600 in UTF-8 byte order but before it in UTF-16 code units.
	assert_eq!(by_code("\u{ff21}", "\u{1f600}"), Ordering::Greater);
	assert_eq!("\u{ff21}".cmp("\u{1f600}"), Ordering::Less);
	assert_eq!(by_code("10", "9"), Ordering::Less);
}

#[test]
fn the_costliest_case_fits_its_bytes_and_is_right() {
	for bytes in [1_000, 10_000, 131_072] {
		let (model, input, output, wrong) = costliest(bytes);
		let total = model.len() + input.len() + output.len();
		assert!(total <= bytes as usize && total > bytes as usize * 9 / 10, "{bytes}: {total}");
		assert_eq!(check_inference(&model, &input, &output), Ok(true));
		assert_eq!(wrong.len(), output.len());
		assert_eq!(check_inference(&model, &input, &wrong), Ok(false));
	}
}

const EVALUATIONS: [&str; 5] =
	["eval-order1", "eval-order3", "eval-order8", "eval-unicode", "eval-large-counts"];

/// An evaluation `output` re-serialized after `change`.
fn changed_evaluation(output: &[u8], change: impl FnOnce(&mut Evaluation)) -> Vec<u8> {
	let mut parsed: Evaluation = serde_json::from_slice(output).unwrap();
	change(&mut parsed);
	serialize_evaluation(&parsed)
}

#[test]
fn the_reference_workloads_evaluations_are_right_and_re_executed_byte_for_byte() {
	for name in EVALUATIONS {
		let (model, input, output) = fixture(name);
		assert_eq!(check_evaluation(&model, &input, &output), Ok(true), "{name}");
		assert_eq!(serialize_evaluation(&evaluate(&model, &input).unwrap().unwrap()), output);
	}
}

#[test]
fn an_evaluation_that_differs_in_any_field_or_is_not_one_is_wrong() {
	let (model, input, output) = fixture("eval-large-counts");
	let text = String::from_utf8(output.clone()).unwrap();
	let wrong = [
		changed_evaluation(&output, |o| o.cross_entropy_bits = "27.414772".into()),
		changed_evaluation(&output, |o| o.perplexity = "178924203.781251".into()),
		changed_evaluation(&output, |o| o.perplexity = "178924203.78125".into()),
		changed_evaluation(&output, |o| o.words += 1),
		changed_evaluation(&output, |o| o.format = "lineage-evaluation/2".into()),
		changed_evaluation(&output, |o| o.model = o.model.replace('a', "b")),
		text.replacen("{", "{\"note\":\"x\",", 1).into_bytes(),
		text.replace("\"words\":12", "\"words\":12.0").into_bytes(),
		fixture("order3-sat").2,
		b"{}".to_vec(),
	];
	for (n, bytes) in wrong.iter().enumerate() {
		assert_ne!(bytes, &output);
		assert_eq!(check_evaluation(&model, &input, bytes), Ok(false), "change {n}");
	}
	// A text with no words has no evaluation: whatever was delivered is wrong.
	assert_eq!(evaluate(&model, b" !? "), Ok(None));
	assert_eq!(check_evaluation(&model, b" !? ", &output), Ok(false));
}

#[test]
fn an_evaluation_the_chain_cannot_re_execute_is_left_to_the_arbiter() {
	let (model, _, output) = fixture("eval-order3");
	assert_eq!(
		check_evaluation(&model, "the 猫".as_bytes(), &output),
		Err(Uncheckable::UnreadableText)
	);
	let text = String::from_utf8(model.clone()).unwrap();
	assert_eq!(
		check_evaluation(
			text.replace("\"order\":3", "\"order\":9").as_bytes(),
			b"the cat",
			&output
		),
		Err(Uncheckable::NotAModel)
	);
	// Counts JavaScript does not add exactly: a context's total above 2^53 − 1.
	let huge = text.replacen("[\"the\",\"cat\",3]", "[\"the\",\"cat\",9007199254740992]", 1);
	assert_ne!(huge, text);
	assert_eq!(
		check_evaluation(huge.as_bytes(), b"the cat", &output),
		Err(Uncheckable::CountsTooLarge)
	);
	// ... unless the text never reaches that context.
	assert_eq!(check_evaluation(huge.as_bytes(), b"cat the", &output), Ok(false));
}

#[test]
fn the_costliest_evaluation_fits_its_bytes_and_is_right() {
	for bytes in [1_000, 10_000, 131_072] {
		let (model, input, output, wrong) = costliest_evaluation(bytes);
		let total = model.len() + input.len() + output.len();
		assert!(total <= bytes as usize && total > bytes as usize * 8 / 10, "{bytes}: {total}");
		assert_eq!(check_evaluation(&model, &input, &output), Ok(true));
		assert_eq!(check_evaluation(&model, &input, &wrong), Ok(false));
	}
}

/// The models `workload.js` trained for the inference and evaluation fixtures, with their orders.
const TRAINED: [(&str, u32); 7] = [
	("order1-empty", 1),
	("order2-unknown", 2),
	("order3-sat", 3),
	("order3-apostrophes", 3),
	("order4-ties", 4),
	("eval-order8", 8),
	("eval-unicode", 3),
];

#[test]
fn a_model_the_reference_workload_trained_has_no_fault_of_its_own() {
	for (name, order) in TRAINED {
		let (model, _, _) = fixture(name);
		let trained = check_artifact(&model, order).unwrap_or_else(|| panic!("{name}"));
		assert_eq!(trained.documents(), 4, "{name}");
		// The fixtures' corpus has a document `b`, which names no contribution.
		assert!(!trained.names_contributions(), "{name}");
		assert_eq!(trained.text(9), Some("the cat sat on the mat the cat ate the fish"));
		assert_eq!(trained.text(12), None);
		// The same bytes at another order are not what training gives.
		assert!(check_artifact(&model, order % 8 + 1).is_none(), "{name}");
	}
}

#[test]
fn any_count_ngram_document_or_byte_that_differs_is_a_fault() {
	let (model, _, _) = fixture("order3-sat");
	let text = String::from_utf8(model.clone()).unwrap();
	let faulty = [
		// A count.
		text.replacen("[\"the\",\"cat\",3]", "[\"the\",\"cat\",4]", 1),
		// An n-gram left out.
		text.replacen("[\"the\",\"cat\",3],", "", 1),
		// A document's text changed without counting it again.
		text.replacen("the cat sat on the mat the cat ate the fish", "the cat sat", 1),
		// A document left out.
		text.replacen("{\"id\":\"b\",\"text\":\"rock'n'roll on the mat\"}", "", 1),
		// Documents out of order, or twice.
		text.replacen("\"id\":\"10\"", "\"id\":\"90\"", 1),
		text.replacen("\"id\":\"11\"", "\"id\":\"10\"", 1),
		// Not canonical: a space, another field, no final line break.
		text.replacen(",\"format\"", ", \"format\"", 1),
		text.replacen("{\"corpus\"", "{\"extra\":1,\"corpus\"", 1),
		text.trim_end().into(),
		// Another format.
		text.replacen("lineage-ngram/1", "lineage-ngram/2", 1),
	];
	for (n, bytes) in faulty.iter().enumerate() {
		assert_ne!(bytes, &text, "{n}");
		assert!(check_artifact(bytes.as_bytes(), 3).is_none(), "{n}");
	}
	// Counts scaled after training are not training's.
	let (scaled, _, _) = fixture("eval-large-counts");
	assert!(check_artifact(&scaled, 8).is_none());
	// No words at all, or an empty word.
	let empty = "{\"corpus\":[{\"id\":\"1\",\"text\":\"\"}],\"format\":\"lineage-ngram/1\",\"ngrams\":[],\"order\":1}\n";
	assert!(check_artifact(empty.as_bytes(), 1).is_none());
	let blank = "{\"corpus\":[{\"id\":\"1\",\"text\":\"a  b\"}],\"format\":\"lineage-ngram/1\",\"ngrams\":[[\"\",\"\",1],[\"\",\"a\",1],[\"\",\"b\",1]],\"order\":1}\n";
	assert!(check_artifact(blank.as_bytes(), 1).is_none());
	assert!(check_artifact(b"not json", 1).is_none());
}

#[test]
fn a_training_input_names_its_snapshot_and_order() {
	let input = b"{\"dataset\":4,\"format\":\"lineage-training/1\",\"order\":3,\"snapshot\":2}\n";
	assert_eq!(training_input(input), Ok(TrainingInput { dataset: 4, snapshot: 2, order: 3 }));
	// Other fields are ignored, as training.js ignores them; another format is not an input.
	assert!(training_input(
		b"{\"order\":3,\"dataset\":4,\"snapshot\":2,\"format\":\"lineage-training/1\",\"x\":1}"
	)
	.is_ok());
	for bad in [
		&b"{\"dataset\":4,\"format\":\"lineage-training/2\",\"order\":3,\"snapshot\":2}"[..],
		b"{\"dataset\":-1,\"format\":\"lineage-training/1\",\"order\":3,\"snapshot\":2}",
		b"{\"format\":\"lineage-training/1\",\"order\":3,\"snapshot\":2}",
		b"[]",
	] {
		assert_eq!(training_input(bad), Err(Uncheckable::NotATrainingInput));
	}
}

#[derive(serde::Deserialize)]
struct BatchFile {
	path: String,
	text: String,
}

#[derive(serde::Deserialize)]
struct Batch {
	files: Vec<BatchFile>,
	root: String,
	text: String,
}

#[test]
fn an_item_is_read_and_hashed_as_training_and_the_content_store_do() {
	let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or(env!("CARGO_MANIFEST_DIR").into());
	let batch: Batch =
		serde_json::from_slice(&std::fs::read(format!("{dir}/fixtures/batch.json")).unwrap())
			.unwrap();
	// In path order, as the root and training read them.
	let mut files: Vec<(&[u8], &[u8])> =
		batch.files.iter().map(|f| (f.path.as_bytes(), f.text.as_bytes())).collect();
	files.sort();
	assert_eq!(hex(&content_hash(&files).unwrap()), batch.root);
	assert_eq!(item_text(&files), Ok(batch.text.clone()));
	// Out of order, twice or unnamed: not a batch.
	let mut swapped = files.clone();
	swapped.swap(0, 1);
	assert_eq!(content_hash(&swapped), None);
	assert_eq!(content_hash(&[files[0], files[0]]), None);
	assert_eq!(content_hash(&[files[0], (b"", b"x")]), None);
	assert_eq!(content_hash(&[]), None);
	// One file with no path is a single item: the hash of its bytes.
	let single: [(&[u8], &[u8]); 1] = [(b"", b"The cat")];
	assert_eq!(content_hash(&single), Some(sp_crypto_hashing::blake2_256(b"The cat")));
	assert_eq!(item_text(&single), Ok("the cat".into()));
	// A character the chain does not read leaves the item to the arbiter.
	assert_eq!(item_text(&[(b"", "猫".as_bytes())]), Err(Uncheckable::UnreadableText));
}

#[test]
fn the_costliest_training_fits_its_bytes_and_is_checked() {
	for bytes in [1_000, 10_000, 131_072] {
		let (input, right, wrong) = costliest_training(bytes, (3, 2), 17);
		let total = input.len() + right.len();
		assert!(total <= bytes as usize && total > bytes as usize * 8 / 10, "{bytes}: {total}");
		let order = training_input(&input).unwrap().order;
		assert!(check_artifact(&right, order).is_some(), "{bytes}");
		assert!(check_artifact(&wrong, order).is_none(), "{bytes}");
		assert_eq!(right.len(), wrong.len());
		let trained = check_artifact(&right, order).unwrap();
		assert!(trained.text(17).is_some() && trained.names_contributions());
		for id in ["017", "+17", "18446744073709551616", ""] {
			let other = training_artifact(&[(17, "w")], 1).unwrap();
			let other = String::from_utf8(other).unwrap().replace("\"17\"", &format!("\"{id}\""));
			assert!(!check_artifact(other.as_bytes(), 1).unwrap().names_contributions(), "{id}");
		}
	}
	// `training_input_bytes` writes what `training_input` reads.
	let input = TrainingInput { dataset: 3, snapshot: 2, order: 5 };
	assert_eq!(training_input(&training_input_bytes(input)), Ok(input));
}

#[derive(serde::Deserialize)]
struct TrainingCase {
	name: String,
	order: u32,
	model: String,
	trained: bool,
}

#[test]
fn the_chain_finds_the_faults_in_a_model_that_the_verifier_finds() {
	let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or(env!("CARGO_MANIFEST_DIR").into());
	let cases: Vec<TrainingCase> =
		serde_json::from_slice(&std::fs::read(format!("{dir}/fixtures/training.json")).unwrap())
			.unwrap();
	assert_eq!(cases.len(), 10);
	for case in cases {
		let found = check_artifact(case.model.as_bytes(), case.order)
			.is_some_and(|trained| trained.names_contributions());
		assert_eq!(found, case.trained, "{}", case.name);
	}
}
