//! The coverage-guided target: `cargo +nightly fuzz run runtime --features libfuzzer,try-runtime`
//! (libFuzzer mutates the inputs; a failure panics, so libFuzzer saves the input).

#![no_main]

use std::sync::OnceLock;

use lineage_fuzz::Fuzzer;

static FUZZER: OnceLock<Fuzzer> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
	let fuzzer = FUZZER.get_or_init(Fuzzer::new);
	if let Err(failure) = fuzzer.run(bytes) {
		panic!("{failure}");
	}
});
