//! The fuzzer in the test suite: every saved regression input, then a short deterministic
//! seeded pass (`LINEAGE_FUZZ_ITERATIONS` inputs, 300 by default, from `LINEAGE_FUZZ_SEED`, 1 by
//! default). Run with `--features try-runtime` for every pallet's `try_state`.

use lineage_fuzz::{input::SplitMix64, Fuzzer, Stats};

fn env(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn saved_inputs_still_pass() {
	let fuzzer = Fuzzer::new();
	let dir = lineage_fuzz::crate_dir().join("regressions");
	let mut count = 0;
	for entry in std::fs::read_dir(&dir).expect("the regressions folder") {
		let path = entry.expect("an entry").path();
		if path.extension().is_some_and(|e| e == "md") {
			continue;
		}
		let bytes = std::fs::read(&path).expect("readable");
		if let Err(failure) = fuzzer.run(&bytes) {
			panic!("{}: {failure}", path.display());
		}
		count += 1;
	}
	assert!(count > 0, "no saved inputs in {}", dir.display());
}

#[test]
fn a_seeded_pass_breaks_nothing() {
	let fuzzer = Fuzzer::new();
	let (iterations, seed) = (env("LINEAGE_FUZZ_ITERATIONS", 300), env("LINEAGE_FUZZ_SEED", 1));
	let mut stats = Stats::default();
	for i in 0..iterations {
		let mut rng = SplitMix64(seed + i);
		let len = 64 + (rng.next_u64() as usize) % 4_096;
		let bytes = rng.bytes(len);
		match fuzzer.run(&bytes) {
			Ok(run) => stats.add(&run),
			Err(failure) => panic!("seed {}: {failure}", seed + i),
		}
	}
	// The pass reaches deep: jobs get accepted, results submitted and claims paid.
	for call in
		["Compute.accept_job", "Compute.submit_result", "Datasets.snapshot", "Rewards.claim"]
	{
		let (ok, _, _) = stats.per_call.get(call).copied().unwrap_or_default();
		assert!(ok > 0, "{call} never succeeded in {iterations} inputs");
	}
	println!("{stats:?}");
}
