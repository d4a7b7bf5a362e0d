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
