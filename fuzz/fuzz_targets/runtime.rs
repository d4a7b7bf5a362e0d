//! The coverage-guided target: `cargo +nightly fuzz run runtime --features libfuzzer,try-runtime`
//! (libFuzzer mutates the inputs; a failure panics, so libFuzzer saves the input). Every 1,000
//! inputs it prints what this process has run so far (inputs, blocks, calls) to standard error.

#![no_main]

use std::sync::{Mutex, OnceLock};

use lineage_fuzz::{Fuzzer, Stats};

static FUZZER: OnceLock<Fuzzer> = OnceLock::new();
static TOTALS: Mutex<(u64, u64, u64)> = Mutex::new((0, 0, 0));

/// Adds one input's run to this process's totals, printed every 1,000 inputs.
fn count(stats: &Stats) {
	let mut totals = TOTALS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	totals.0 += 1;
	totals.1 += stats.blocks;
	totals.2 += stats.calls;
	if totals.0 % 1_000 == 0 {
		eprintln!("lineage-fuzz: {} inputs, {} blocks, {} calls", totals.0, totals.1, totals.2);
	}
}

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
	let fuzzer = FUZZER.get_or_init(Fuzzer::new);
	match fuzzer.run(bytes) {
		Ok(stats) => count(&stats),
		Err(failure) => panic!("{failure}"),
	}
});
