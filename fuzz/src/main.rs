//! The fuzzer's seeded random mode: `lineage-fuzz --iterations N --seed S` runs N random inputs
//! from seed S (input i from seed S + i, so any one replays alone), prints the executions per
//! second as it goes and what every call did at the end, and stops at the first failure, saving
//! its input. `--jobs` runs that many threads; `--write DIR` keeps every input it runs (a corpus
//! to start libFuzzer from). `lineage-fuzz --replay FILE...` runs saved inputs.

use std::{path::PathBuf, time::Instant};

use lineage_fuzz::{input::SplitMix64, Fuzzer, Stats};

struct Args {
	iterations: u64,
	seed: u64,
	max_len: usize,
	jobs: u64,
	write: Option<PathBuf>,
	replay: Vec<PathBuf>,
	artifacts: PathBuf,
}

fn usage() -> ! {
	eprintln!(
		"usage: lineage-fuzz [--iterations N] [--seed S] [--jobs THREADS] [--max-len BYTES]\n\
		 \x20                  [--artifacts DIR] [--write DIR]\n\
		 \x20      lineage-fuzz --replay FILE..."
	);
	std::process::exit(2)
}

fn parse() -> Args {
	let mut args = Args {
		iterations: 1_000,
		seed: 1,
		max_len: 4_096,
		jobs: 1,
		write: None,
		replay: Vec::new(),
		artifacts: lineage_fuzz::crate_dir().join("artifacts"),
	};
	let mut it = std::env::args().skip(1);
	while let Some(flag) = it.next() {
		let mut value = || it.next().unwrap_or_else(|| usage());
		match flag.as_str() {
			"--iterations" => args.iterations = value().parse().unwrap_or_else(|_| usage()),
			"--seed" => args.seed = value().parse().unwrap_or_else(|_| usage()),
			"--max-len" => args.max_len = value().parse().unwrap_or_else(|_| usage()),
			"--artifacts" => args.artifacts = value().into(),
			"--write" => args.write = Some(value().into()),
			"--jobs" => args.jobs = value().parse().unwrap_or_else(|_| usage()),
			"--replay" => {
				args.replay.push(value().into());
				args.replay.extend(it.by_ref().map(PathBuf::from));
			},
			_ => usage(),
		}
	}
	args
}

fn report(stats: &Stats, started: Instant) {
	let secs = started.elapsed().as_secs_f64();
	println!(
		"{} executions, {} blocks, {} calls in {secs:.0} s: {:.1} executions/s, {:.0} calls/s",
		stats.executions,
		stats.blocks,
		stats.calls,
		stats.executions as f64 / secs,
		stats.calls as f64 / secs,
	);
}

fn main() {
	let args = parse();
	let started = Instant::now();
	if !args.replay.is_empty() {
		let fuzzer = Fuzzer::new();
		let mut stats = Stats::default();
		for path in &args.replay {
			let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
			match fuzzer.run(&bytes) {
				Ok(run) => stats.add(&run),
				Err(failure) => {
					println!("{}: {failure}", path.display());
					std::process::exit(1);
				},
			}
		}
		report(&stats, started);
		return;
	}
	// Thread t runs inputs t, t + jobs, t + 2 jobs, ...; the first failure stops them all.
	let total = std::sync::Mutex::new(Stats::default());
	let failed = std::sync::atomic::AtomicBool::new(false);
	std::thread::scope(|scope| {
		for thread in 0..args.jobs.max(1) {
			let (args, total, failed) = (&args, &total, &failed);
			scope.spawn(move || {
				let fuzzer = Fuzzer::new();
				let mut last = Instant::now();
				let mut mine = Stats::default();
				let mut i = thread;
				while i < args.iterations && !failed.load(std::sync::atomic::Ordering::Relaxed) {
					let seed = args.seed.wrapping_add(i);
					let mut rng = SplitMix64(seed);
					let len = 64 + (rng.next_u64() as usize) % args.max_len.max(1);
					let bytes = rng.bytes(len);
					if let Some(dir) = &args.write {
						std::fs::create_dir_all(dir).expect("the folder to write inputs to");
						std::fs::write(dir.join(format!("seed-{seed}")), &bytes).expect("written");
					}
					if let Err(failure) = fuzzer.run(&bytes).map(|run| mine.add(&run)) {
						failed.store(true, std::sync::atomic::Ordering::Relaxed);
						std::fs::create_dir_all(&args.artifacts).expect("the artifacts folder");
						let path = args.artifacts.join(format!("seed-{seed}"));
						std::fs::write(&path, &bytes).expect("the failing input is saved");
						println!("seed {seed}: {failure}\ninput saved to {}", path.display());
					}
					i += args.jobs.max(1);
					if last.elapsed().as_secs() >= 30 {
						let mut total = total.lock().expect("not poisoned");
						total.add(&std::mem::take(&mut mine));
						report(&total, started);
						last = Instant::now();
					}
				}
				total.lock().expect("not poisoned").add(&mine);
			});
		}
	});
	let stats = total.into_inner().expect("not poisoned");
	if failed.into_inner() {
		report(&stats, started);
		std::process::exit(1);
	}
	println!("{:<40} {:>10} {:>10} {:>10}", "call", "succeeded", "failed", "refused");
	for (name, (ok, failed, refused)) in &stats.per_call {
		println!("{name:<40} {ok:>10} {failed:>10} {refused:>10}");
	}
	let mut errors: Vec<_> = stats.errors.iter().collect();
	errors.sort_by_key(|(_, count)| std::cmp::Reverse(**count));
	println!("\nthe most frequent dispatch errors:");
	for (error, count) in errors.iter().take(40) {
		println!("{count:>10} {error}");
	}
	report(&stats, started);
	println!("0 panics, 0 invariant breaks");
}
