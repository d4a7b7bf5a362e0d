//! The runtime fuzzer: an input of bytes becomes a run of blocks against the real
//! `lineage-runtime` (natively, no node), each block a few calls; after every block every invariant
//! is checked, and a run that breaks one — or panics — fails with the input that did it.
//!
//! A run starts from the development genesis without its sudo key (so no signed call is
//! privileged) and eight funded actors. Each block runs as the executive runs it: `on_initialize`
//! of every pallet, the timestamp inherent, the calls, `on_idle` with what is left of the block's
//! weight, `on_finalize`. Now and then whole empty blocks pass, so that eras, challenge and
//! resolution windows, job deadlines, unbonding and the settlement queue all fire. Signed calls
//! go through the transaction extensions (nonce, weight, fee) as a signed transaction would;
//! privileged calls (root, the admin track, the Council) are dispatched as governance would, in
//! one run in three.
//!
//! After every block:
//! - total issuance equals the sum of every account's free and reserved balance;
//! - every pallet's `try_state` holds (all pallets with the `try-runtime` feature; Lineage's own
//!   pallets always), which checks among much else that every deposit, bond, escrow and
//!   collateral held matches the record that owns it;
//! - no hold under a Lineage reason is left on an account that no record names;
//! - every call's actual weight was at most the weight charged before dispatch.
//!
//! After every run, once an era has passed and every actor has claimed what it can, the economic
//! oracle (`oracle`, shared with the runtime's coalition property test) holds: no actor's
//! claimed emission exceeds, era by era, the matching rate that era was matched at × the revenue
//! settlements paid it (governance's parameter changes included), nor its claimed data revenue
//! its share of dataset payouts; points added after every paid snapshot earn nothing. After a run
//! without privileged calls and without governance enacting anything, the actors together — a
//! coalition that only ever paid itself — end with no more than they started with, and with less
//! once one of their jobs settled.
//!
//! `cargo run --release -p lineage-fuzz --features try-runtime -- --iterations N --seed S` is the
//! seeded random mode; `cargo +nightly fuzz run runtime --features libfuzzer,try-runtime` the
//! coverage-guided one (libFuzzer). Inputs that failed are kept in `fuzz/regressions` and
//! replayed by the crate's tests.

pub mod calls;
mod checks;
pub mod input;
pub mod oracle;

use std::{collections::BTreeMap, panic::AssertUnwindSafe};

use codec::Encode;
use frame_support::{
	dispatch::GetDispatchInfo,
	traits::{OnFinalize, OnIdle, OnInitialize},
};
use lineage_runtime::{
	AccountId, AllPalletsWithSystem, Runtime, RuntimeGenesisConfig, RuntimeOrigin, System,
	Timestamp, TxExtension,
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	traits::{DispatchTransaction, Dispatchable},
	BuildStorage,
};

use crate::{
	calls::{Caller, Generator, Made},
	checks::Books,
	input::Input,
};

/// The most blocks one input runs (empty ones included).
pub const MAX_BLOCKS: u32 = 400;
/// The most calls in one block.
const MAX_CALLS_PER_BLOCK: u32 = 8;

/// Why a run failed.
#[derive(Debug)]
pub enum Failure {
	/// The runtime panicked.
	Panic(String),
	/// An invariant broke after block `block`.
	Invariant { block: u32, message: String },
}

impl core::fmt::Display for Failure {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		match self {
			Failure::Panic(message) => write!(f, "panic: {message}"),
			Failure::Invariant { block, message } => write!(f, "block {block}: {message}"),
		}
	}
}

/// What the runs did, summed.
#[derive(Default, Debug)]
pub struct Stats {
	/// Inputs run.
	pub executions: u64,
	/// Blocks run, empty ones included.
	pub blocks: u64,
	/// Calls dispatched.
	pub calls: u64,
	/// Per call name: (succeeded, failed with a dispatch error, refused before dispatch).
	pub per_call: BTreeMap<String, (u64, u64, u64)>,
	/// Per call name and error: how often the call failed with it.
	pub errors: BTreeMap<String, u64>,
}

impl Stats {
	/// Adds `other` to these.
	pub fn add(&mut self, other: &Stats) {
		self.executions += other.executions;
		self.blocks += other.blocks;
		self.calls += other.calls;
		for (name, (ok, failed, refused)) in &other.per_call {
			let entry = self.per_call.entry(name.clone()).or_default();
			entry.0 += ok;
			entry.1 += failed;
			entry.2 += refused;
		}
		for (error, count) in &other.errors {
			*self.errors.entry(error.clone()).or_default() += count;
		}
	}
}

/// The fuzz crate's folder in the checkout being run: the one cargo names when it runs a test or
/// the binary (which may have been built from another checkout sharing the target directory),
/// else the one it was built in.
pub fn crate_dir() -> std::path::PathBuf {
	std::env::var_os("CARGO_MANIFEST_DIR")
		.unwrap_or(env!("CARGO_MANIFEST_DIR").into())
		.into()
}

/// The fuzzer: the genesis state every run starts from, and the actors.
pub struct Fuzzer {
	genesis: sp_core::storage::Storage,
	actors: Vec<AccountId>,
}

/// Merges a JSON patch into `base`, as chain-spec building does with a preset.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (k, v) in patch {
				merge(base.entry(k).or_insert(serde_json::Value::Null), v);
			}
		},
		(base, patch) => *base = patch,
	}
}

impl Default for Fuzzer {
	fn default() -> Self {
		Self::new()
	}
}

impl Fuzzer {
	/// The development genesis without a sudo key, and its eight endowed actors.
	pub fn new() -> Self {
		let preset = lineage_runtime::genesis_config_presets::get_preset(
			&sp_genesis_builder::DEV_RUNTIME_PRESET.into(),
		)
		.expect("the development preset exists");
		let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("serializes");
		merge(&mut config, serde_json::from_slice(&preset).expect("a JSON preset"));
		merge(&mut config, serde_json::json!({ "sudo": { "key": null } }));
		let config: RuntimeGenesisConfig = serde_json::from_value(config).expect("a valid config");
		let genesis = config.build_storage().expect("the genesis builds");
		let actors = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
			Sr25519Keyring::Eve,
			Sr25519Keyring::Ferdie,
			Sr25519Keyring::AliceStash,
			Sr25519Keyring::BobStash,
		]
		.iter()
		.map(|k| k.to_account_id())
		.collect();
		Self { genesis, actors }
	}

	/// Runs `bytes`; `Ok` with what the run did, or the failure it found.
	pub fn run(&self, bytes: &[u8]) -> Result<Stats, Failure> {
		let mut ext = sp_io::TestExternalities::new(self.genesis.clone());
		let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
			ext.execute_with(|| self.run_inner(bytes))
		}));
		match result {
			Ok(result) => result,
			Err(payload) => {
				let message = payload
					.downcast_ref::<String>()
					.cloned()
					.or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
					.unwrap_or_else(|| "a panic without a message".into());
				Err(Failure::Panic(message))
			},
		}
	}

	fn run_inner(&self, bytes: &[u8]) -> Result<Stats, Failure> {
		let mut input = Input::new(bytes);
		let mut stats = Stats { executions: 1, ..Default::default() };
		let privileged = input.below(3) == 0;
		let mut generator = Generator::new(self.actors.clone(), privileged);
		System::set_block_number(1);
		self.block(&mut stats, &mut Books::new(&self.actors), |_| {
			setup(&self.actors);
			Ok(())
		})?;
		let mut books = Books::new(&self.actors);

		while !input.is_empty() && stats.blocks < u64::from(MAX_BLOCKS) {
			let empty = if input.chance(85) { 0 } else { 1 + input.below(30) };
			for _ in 0..empty {
				self.block(&mut stats, &mut books, |_| Ok(()))?;
			}
			let calls = 1 + input.below(MAX_CALLS_PER_BLOCK);
			self.block(&mut stats, &mut books, |stats| {
				for _ in 0..calls {
					if let Some(made) = generator.next(&mut input) {
						apply(made, stats)?;
					}
				}
				Ok(())
			})?;
		}
		// An era passes so that every rate is known; then every actor claims all it can.
		let era = lineage_runtime::LineageParams::current().params.emission.era_length;
		for _ in 0..era + 1 {
			self.block(&mut stats, &mut books, |_| Ok(()))?;
		}
		let actors = self.actors.clone();
		self.block(&mut stats, &mut books, |stats| {
			for who in &actors {
				for call in checks::claims(who) {
					let name = calls::name(&call);
					apply(Made { caller: Caller::Signed(who.clone()), call, name }, stats)?;
				}
			}
			Ok(())
		})?;
		books
			.check_economics(privileged)
			.map_err(|message| Failure::Invariant { block: System::block_number(), message })?;
		Ok(stats)
	}

	/// Runs the next block with `body` between its hooks, then checks the invariants.
	fn block(
		&self,
		stats: &mut Stats,
		books: &mut Books,
		body: impl FnOnce(&mut Stats) -> Result<(), Failure>,
	) -> Result<(), Failure> {
		let n = System::block_number() + 1;
		start_block(n);
		books.ledger.note_initialized();
		body(stats)?;
		System::note_finished_extrinsics();
		let limit = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
		AllPalletsWithSystem::on_idle(n, limit.saturating_sub(System::block_weight().total()));
		AllPalletsWithSystem::on_finalize(n);
		stats.blocks += 1;
		books.book();
		checks::check_block().map_err(|message| Failure::Invariant { block: n, message })
	}
}

/// The supply chain every run starts from, so that inputs reach jobs and claims early: an open
/// and a curated dataset, each with accepted contributions and a snapshot; two models with a
/// version each on those snapshots; three providers.
fn setup(actors: &[AccountId]) {
	use lineage_primitives::{Consent, ContentRef, Licence, SnapshotRef};
	use lineage_runtime::{Compute, Datasets, Models, LIN};
	use sp_runtime::Perbill;
	let signed = |i: usize| RuntimeOrigin::signed(actors[i].clone());
	let content = |n: u8| {
		ContentRef::new(sp_core::H256::repeat_byte(n), b"ipfs://setup", 1024).expect("a short uri")
	};
	let policy = |admission| pallet_datasets::Policy {
		admission,
		contribution_deposit: LIN,
		reject_slash: Perbill::from_percent(30),
		min_consent: Consent::FULL,
		withdrawal_grace: 0,
	};
	let steps = [
		Datasets::create_dataset(
			signed(0),
			content(1),
			Licence::Cc0,
			policy(pallet_datasets::Admission::Open),
		),
		Datasets::create_dataset(
			signed(1),
			content(2),
			Licence::Cc0,
			policy(pallet_datasets::Admission::Curated),
		),
		Datasets::contribute(signed(2), 0, content(3), Licence::Cc0, Consent::FULL),
		Datasets::contribute(signed(3), 0, content(4), Licence::Cc0, Consent::FULL),
		Datasets::contribute(signed(4), 1, content(5), Licence::Cc0, Consent::FULL),
		Datasets::contribute(signed(5), 1, content(6), Licence::Cc0, Consent::FULL),
		Datasets::review(signed(1), 2, pallet_datasets::Review::Accept { quality: 80 }),
		Datasets::review(signed(1), 3, pallet_datasets::Review::Accept { quality: 60 }),
		Datasets::snapshot(signed(0), 0),
		Datasets::snapshot(signed(1), 1),
		Models::register_model(signed(0), content(7), Licence::Apache2),
		Models::register_model(signed(1), content(8), Licence::Apache2),
	];
	let inputs = |both: bool| {
		let snapshot = |dataset| SnapshotRef { dataset, version: 1 };
		let inputs = if both {
			vec![
				pallet_models::TrainingInput {
					snapshot: snapshot(0),
					weight: Perbill::from_percent(50),
				},
				pallet_models::TrainingInput {
					snapshot: snapshot(1),
					weight: Perbill::from_percent(50),
				},
			]
		} else {
			vec![pallet_models::TrainingInput { snapshot: snapshot(0), weight: Perbill::one() }]
		};
		inputs.try_into().expect("two inputs fit")
	};
	let publish = [
		Models::publish_version(
			signed(0),
			0,
			content(9),
			inputs(false),
			None,
			Perbill::from_percent(50),
			10 * LIN,
		),
		Models::publish_version(
			signed(1),
			1,
			content(10),
			inputs(true),
			None,
			Perbill::from_percent(20),
			0,
		),
	];
	let providers = [3, 4, 5].map(|i| {
		Compute::register_provider(
			signed(i),
			1_000 * LIN,
			b"https://provider".to_vec().try_into().expect("short"),
			pallet_compute::JobKinds::ALL,
			sp_runtime::MultiAddress::Id(actors[i].clone()),
			b"eu".to_vec().try_into().expect("short"),
		)
	});
	for step in steps {
		step.expect("a setup step");
	}
	for step in publish {
		step.map_err(|e| e.error).expect("a setup publication");
	}
	for step in providers {
		step.expect("a provider registers");
	}
}

/// Opens block `n`: `System::initialize` with an Aura pre-digest for slot `n`, every pallet's
/// `on_initialize`, and the timestamp inherent of that slot.
fn start_block(n: u32) {
	let slot = sp_consensus_aura::Slot::from(u64::from(n));
	let digest = sp_runtime::Digest {
		logs: vec![sp_runtime::DigestItem::PreRuntime(
			sp_consensus_aura::AURA_ENGINE_ID,
			slot.encode(),
		)],
	};
	let parent = System::parent_hash();
	System::reset_events();
	System::initialize(&n, &parent, &digest);
	AllPalletsWithSystem::on_initialize(n);
	let moment = u64::from(n) * lineage_runtime::SLOT_DURATION;
	Timestamp::set(RuntimeOrigin::none(), moment).expect("the timestamp of slot n");
}

/// The transaction extensions of a signed transaction from an account at `nonce`, with no tip.
fn extensions(nonce: u32) -> TxExtension {
	(
		frame_system::AuthorizeCall::<Runtime>::new(),
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(sp_runtime::generic::Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		frame_system::WeightReclaim::<Runtime>::new(),
	)
}

/// Dispatches `made` and checks that its actual weight is at most the weight it was charged.
fn apply(made: Made, stats: &mut Stats) -> Result<(), Failure> {
	let info = made.call.get_dispatch_info();
	let entry = stats.per_call.entry(made.name.clone()).or_default();
	let result = match made.caller {
		Caller::Signed(who) => {
			// The call, a signature, an address and the extensions' implicit part.
			let len = made.call.encoded_size() + 110;
			let nonce = System::account_nonce(&who);
			match extensions(nonce).dispatch_transaction(
				RuntimeOrigin::signed(who),
				made.call,
				&info,
				len,
				0,
			) {
				Ok(result) => {
					System::note_applied_extrinsic(&result, info);
					result
				},
				Err(_) => {
					entry.2 += 1;
					return Ok(());
				},
			}
		},
		Caller::Privileged(caller) => made.call.dispatch(caller.into()),
	};
	stats.calls += 1;
	let post = match &result {
		Ok(post) => {
			entry.0 += 1;
			post
		},
		Err(e) => {
			entry.1 += 1;
			let error = match e.error {
				sp_runtime::DispatchError::Module(m) => {
					m.message.map(String::from).unwrap_or_else(|| format!("{:?}", m.error))
				},
				other => format!("{other:?}"),
			};
			*stats.errors.entry(format!("{} {error}", made.name)).or_default() += 1;
			&e.post_info
		},
	};
	let charged = info.total_weight();
	if let Some(actual) = post.actual_weight {
		if actual.any_gt(charged) {
			return Err(Failure::Invariant {
				block: System::block_number(),
				message: format!(
					"{}: actual weight {actual:?} above the weight charged {charged:?}",
					made.name
				),
			});
		}
	}
	Ok(())
}
