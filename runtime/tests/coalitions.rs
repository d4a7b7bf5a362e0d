//! Property tests of Lineage's economics in the real runtime: random sequences of dataset, model,
//! compute and rewards calls by a random coalition of 2–6 accounts that only deals with itself,
//! against a background of honest users who pay for large jobs (the thin-pool case). Every block
//! runs every pallet's hooks as the executive does, then the invariants of the four Lineage
//! pallets (`do_try_state`) and of total issuance. After each sequence, once every job has ended
//! and everyone has claimed:
//!
//! - the economic oracle the fuzzer shares (`fuzz/src/oracle.rs`, included here) holds: every
//!   account's claimed emission is at most, era by era, the matching rate that era was matched at
//!   × the revenue settlements paid it in the era (read from each `JobSettled` job and the
//!   datasets pallet's contributions, not from the rewards pallet), up to one planck of rounding
//!   per claim; its claimed data revenue is at most its share of the dataset payouts; points
//!   first held after every snapshot jobs paid for earned nothing;
//! - the coalition ends with no more than it started with (free + held, all its accounts), and
//!   with less once one of its jobs settled;
//! - total issuance grew by exactly what `Rewards` minted;
//! - every job ended, whatever its parties did with their balances: any account of either side
//!   may freeze everything it has (free and held) in a conviction-voting delegation at any
//!   time, and in half the cases the arbiter never rules (every challenge lapses).
//!
//! `LINEAGE_PROPTEST_CASES` (default 256) sets the number of cases, `LINEAGE_PROPTEST_SEED` the
//! first seed; `LINEAGE_PROPTEST_VERBOSE` prints every refused call. A failing case prints its
//! seed and the shortest action sequence that still fails.

use std::collections::BTreeMap;

use frame_support::traits::fungible::{Inspect, Mutate};
use lineage_primitives::{Consent, ContentRef, Licence, SnapshotRef, Uri};
use lineage_runtime::{
	AccountId, Balance, Balances, Compute, Datasets, LineageParams, Models, Rewards, Runtime,
	RuntimeOrigin, System, LIN,
};
use pallet_compute::{JobKind, JobKinds, JobState, Payee, Verdict};
use pallet_datasets::{Admission, ContributionState, Policy, RejectReason};
use pallet_models::TrainingInput;
use sp_core::H256;
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_runtime::{DispatchError, DispatchResult, Perbill};

use crate::common::{check_state, end_block, preset_ext, start_block};

#[path = "../../fuzz/src/oracle.rs"]
mod oracle;
use oracle::Ledger;

const MAX_COALITION: u8 = 6;
/// The referenda track delegations are made on (root's).
const ROOT_TRACK: u16 = 0;
const HONEST: u8 = 4;
const FUNDS: Balance = 100_000 * LIN;
/// Blocks of random actions per case, after the setup blocks.
const STEPS: usize = 32;

/// SplitMix64: a small deterministic generator, so a seed replays its case exactly.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	fn below(&mut self, n: u64) -> u64 {
		self.next() % n.max(1)
	}

	fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}
}

/// Which side an actor is on: the coalition only deals with its own datasets, models, providers
/// and jobs; honest users only with theirs. Both share the eras, the pools and the emission.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
	Coalition,
	Honest,
}

#[derive(Clone, Copy, Debug)]
enum Action {
	CreateDataset {
		side: Side,
		who: u8,
		curated: bool,
	},
	Contribute {
		side: Side,
		who: u8,
		dataset: u8,
	},
	Batch {
		side: Side,
		who: u8,
		dataset: u8,
		count: u32,
	},
	Review {
		side: Side,
		pick: u8,
		quality: u8,
		accept: bool,
	},
	Snapshot {
		side: Side,
		dataset: u8,
	},
	Publish {
		side: Side,
		who: u8,
		dataset: u8,
		price: u32,
		builder: u8,
	},
	RegisterProvider {
		side: Side,
		who: u8,
	},
	Submit {
		side: Side,
		who: u8,
		version: u8,
		fee: u32,
	},
	Accept {
		side: Side,
		job: u8,
		provider: u8,
	},
	Result {
		side: Side,
		job: u8,
	},
	Challenge {
		side: Side,
		who: u8,
		job: u8,
	},
	Resolve {
		pick: u8,
		provider_wrong: bool,
	},
	Finalize {
		pick: u8,
	},
	WithdrawConsent {
		side: Side,
		pick: u8,
	},
	Claim {
		side: Side,
		who: u8,
	},
	/// Locks all the account's balance, free and held, in a conviction-voting delegation.
	Freeze {
		side: Side,
		who: u8,
	},
	/// A coalition provider publishes the output of one of its challenged jobs (honest
	/// providers always publish theirs).
	Reveal {
		pick: u8,
	},
}

impl Action {
	/// The action's name in the per-kind counts.
	fn kind(&self) -> &'static str {
		match self {
			Action::CreateDataset { .. } => "create",
			Action::Contribute { .. } => "contribute",
			Action::Batch { .. } => "batch",
			Action::Review { .. } => "review",
			Action::Snapshot { .. } => "snapshot",
			Action::Publish { .. } => "publish",
			Action::RegisterProvider { .. } => "register",
			Action::Submit { .. } => "submit",
			Action::Accept { .. } => "accept",
			Action::Result { .. } => "result",
			Action::Challenge { .. } => "challenge",
			Action::Resolve { .. } => "resolve",
			Action::Finalize { .. } => "finalize",
			Action::WithdrawConsent { .. } => "withdraw",
			Action::Claim { .. } => "claim",
			Action::Freeze { .. } => "freeze",
			Action::Reveal { .. } => "reveal",
		}
	}
}

/// A case: the coalition's size, whether the arbiter stays silent, and its blocks of actions.
#[derive(Clone, Debug)]
struct Case {
	coalition: u8,
	silent: bool,
	steps: Vec<Vec<Action>>,
}

fn generate(seed: u64) -> Case {
	let mut rng = Rng(seed);
	let coalition = 2 + rng.below(u64::from(MAX_COALITION) - 1) as u8;
	let silent = rng.chance(50);
	// Setup: each side gets a dataset with data in a snapshot, a model version on it and a
	// provider (shrinkable like everything else).
	let mut steps: Vec<Vec<Action>> = Vec::new();
	for (side, n) in [(Side::Coalition, coalition), (Side::Honest, HONEST)] {
		let who = |rng: &mut Rng| rng.below(u64::from(n)) as u8;
		let (a, b, c, d) = (who(&mut rng), who(&mut rng), who(&mut rng), who(&mut rng));
		steps.push(vec![Action::CreateDataset { side, who: a, curated: rng.chance(50) }]);
		steps.push(vec![
			Action::Contribute { side, who: b, dataset: 0 },
			Action::Contribute { side, who: c, dataset: 0 },
		]);
		steps.push(vec![Action::Review { side, pick: 0, quality: 80, accept: true }]);
		steps.push(vec![Action::Snapshot { side, dataset: 0 }]);
		let price = match side {
			Side::Honest => rng.below(20) as u32,
			Side::Coalition => 1 + rng.below(200) as u32,
		};
		steps.push(vec![
			Action::Publish { side, who: c, dataset: 0, price, builder: rng.below(81) as u8 },
			Action::RegisterProvider { side, who: d },
		]);
	}
	steps.extend((0..STEPS).map(|_| {
		(0..1 + rng.below(4))
			.map(|_| {
				let side = if rng.chance(60) { Side::Coalition } else { Side::Honest };
				let n = match side {
					Side::Coalition => coalition,
					Side::Honest => HONEST,
				};
				let who = rng.below(u64::from(n)) as u8;
				let pick = rng.next() as u8;
				match rng.below(24) {
					0 => Action::CreateDataset { side, who, curated: rng.chance(50) },
					1 | 2 => Action::Contribute { side, who, dataset: pick },
					3 => Action::Batch {
						side,
						who,
						dataset: pick,
						count: if rng.chance(50) { u32::MAX } else { 1 + rng.below(1000) as u32 },
					},
					4 | 5 => Action::Review {
						side,
						pick,
						quality: 1 + rng.below(100) as u8,
						accept: rng.chance(80),
					},
					6 => Action::Snapshot { side, dataset: pick },
					7 => Action::Publish {
						side,
						who,
						dataset: pick,
						price: if side == Side::Honest && rng.chance(50) {
							0
						} else {
							rng.below(200) as u32
						},
						builder: rng.below(81) as u8,
					},
					8 => Action::RegisterProvider { side, who },
					9 | 10 => Action::Submit {
						side,
						who,
						version: pick,
						fee: match side {
							Side::Honest => 1 + rng.below(5_000) as u32,
							Side::Coalition => 1 + rng.below(200) as u32,
						},
					},
					11 | 12 => Action::Accept { side, job: pick, provider: rng.next() as u8 },
					13 | 14 => Action::Result { side, job: pick },
					15 | 20 => Action::Challenge { side, who, job: pick },
					21 => Action::Freeze { side, who },
					22 => Action::Reveal { pick },
					16 => Action::Resolve { pick, provider_wrong: rng.chance(50) },
					17 => {
						if rng.chance(30) {
							Action::WithdrawConsent { side, pick }
						} else {
							Action::Finalize { pick }
						}
					},
					_ => Action::Claim { side, who },
				}
			})
			.collect()
	}));
	Case { coalition, silent, steps }
}

/// The objects each side made, in order.
#[derive(Default)]
struct Made {
	datasets: Vec<(u32, AccountId)>,
	contributions: Vec<(u64, AccountId)>,
	versions: Vec<u32>,
	models: BTreeMap<AccountId, u32>,
	providers: Vec<AccountId>,
	jobs: Vec<u64>,
}

struct World {
	/// The arbiter never rules.
	silent: bool,
	coalition: Vec<AccountId>,
	honest: Vec<AccountId>,
	made: BTreeMap<Side, Made>,
	nonce: u32,
	/// The bytes of every result delivered, by job.
	outputs: BTreeMap<u64, Vec<u8>>,
	/// What settlements paid and claims took (the shared oracle).
	ledger: Ledger,
	coalition_settled: bool,
	/// Calls that went through, per action kind, and jobs settled per side.
	done: BTreeMap<&'static str, u64>,
	settled: BTreeMap<Side, u64>,
}

/// A world with a coalition of `size` and the honest users, each funded with `FUNDS`.
fn new_world(size: u8, silent: bool) -> World {
	let coalition: Vec<AccountId> = (0..size).map(|i| actor(i, Side::Coalition)).collect();
	let honest: Vec<AccountId> = (0..HONEST).map(|i| actor(i, Side::Honest)).collect();
	for who in coalition.iter().chain(&honest) {
		Balances::mint_into(who, FUNDS).expect("funding a new account");
	}
	World {
		silent,
		coalition,
		honest,
		made: BTreeMap::new(),
		nonce: 0,
		outputs: BTreeMap::new(),
		ledger: Ledger::default(),
		coalition_settled: false,
		done: BTreeMap::new(),
		settled: BTreeMap::new(),
	}
}

fn actor(index: u8, side: Side) -> AccountId {
	let tag = match side {
		Side::Coalition => 0xC0,
		Side::Honest => 0x40,
	};
	AccountId::new([tag + index; 32])
}

fn pick<T: Clone>(items: &[T], at: u8) -> Option<T> {
	(!items.is_empty()).then(|| items[usize::from(at) % items.len()].clone())
}

impl World {
	fn accounts(&self, side: Side) -> &[AccountId] {
		match side {
			Side::Coalition => &self.coalition,
			Side::Honest => &self.honest,
		}
	}

	fn who(&self, side: Side, index: u8) -> AccountId {
		pick(self.accounts(side), index).expect("every side has accounts")
	}

	fn content(&mut self) -> ContentRef {
		self.nonce += 1;
		let mut hash = [0u8; 32];
		hash[..4].copy_from_slice(&self.nonce.to_le_bytes());
		ContentRef::new(H256(hash), b"ipfs://case", 1024).unwrap()
	}

	/// New output bytes and a reference to them.
	fn output(&mut self) -> (Vec<u8>, ContentRef) {
		self.nonce += 1;
		let bytes = format!("output {}", self.nonce).into_bytes();
		let hash = H256(sp_io::hashing::blake2_256(&bytes));
		let content = ContentRef::new(hash, b"ipfs://case", bytes.len() as u64).unwrap();
		(bytes, content)
	}

	/// Publishes the output of every challenged job awaiting it whose provider is on `side`
	/// (the one at `pick`, if given); returns the last call's result.
	fn reveal(&mut self, side: Side, pick: Option<u8>) -> DispatchResult {
		let mut awaited: Vec<(u64, AccountId)> =
			pallet_compute::UnpublishedOutputs::<Runtime>::iter_keys()
				.filter_map(|job| Some((job, pallet_compute::Jobs::<Runtime>::get(job)?.provider?)))
				.filter(|(_, provider)| self.side_of(provider) == Some(side))
				.collect();
		awaited.sort();
		if let Some(at) = pick {
			awaited = self::pick(&awaited, at).into_iter().collect();
		}
		let mut result = Err(DispatchError::Other("no output awaited"));
		for (job, provider) in awaited {
			let Some(bytes) = self.outputs.get(&job) else { continue };
			let output = bytes.clone().try_into().expect("short");
			result = Compute::publish_output(RuntimeOrigin::signed(provider), job, output)
				.map(|_| ())
				.map_err(|e| e.error);
		}
		result
	}

	fn side_of(&self, who: &AccountId) -> Option<Side> {
		if self.coalition.contains(who) {
			Some(Side::Coalition)
		} else if self.honest.contains(who) {
			Some(Side::Honest)
		} else {
			None
		}
	}

	/// Runs `action`; a refused call changes nothing and is not an error here.
	fn run(&mut self, action: Action) {
		let signed = |who: &AccountId| RuntimeOrigin::signed(who.clone());
		let kind = action.kind();
		let result: DispatchResult = match action {
			Action::CreateDataset { side, who, curated } => {
				let who_index = who;
				let who = self.who(side, who);
				let policy = Policy {
					admission: if curated { Admission::Curated } else { Admission::Open },
					contribution_deposit: LIN,
					reject_slash: Perbill::from_percent(30),
					min_consent: Consent::FULL,
					// Every other creator declares a grace of six blocks for withdrawals.
					withdrawal_grace: if who_index % 2 == 1 { 6 } else { 0 },
				};
				let content = self.content();
				let res = Datasets::create_dataset(signed(&who), content, Licence::Cc0, policy);
				if res.is_ok() {
					let id = pallet_datasets::NextDatasetId::<Runtime>::get() - 1;
					self.made.entry(side).or_default().datasets.push((id, who));
				}
				res
			},
			Action::Contribute { side, who, dataset }
			| Action::Batch { side, who, dataset, .. } => {
				let who = self.who(side, who);
				let Some((dataset, _)) =
					pick(&self.made.entry(side).or_default().datasets, dataset)
				else {
					return;
				};
				let content = self.content();
				let res = match action {
					Action::Batch { count, .. } => Datasets::contribute_batch(
						signed(&who),
						dataset,
						content.hash,
						count,
						u64::from(count) * 1024,
						Uri::try_from(b"ipfs://batch".to_vec()).unwrap(),
						Licence::Cc0,
						Consent::FULL,
					),
					_ => Datasets::contribute(
						signed(&who),
						dataset,
						content,
						Licence::Cc0,
						Consent::FULL,
					),
				};
				if res.is_ok() {
					let id = pallet_datasets::NextContributionId::<Runtime>::get() - 1;
					self.made.entry(side).or_default().contributions.push((id, who));
				}
				res
			},
			Action::Review { side, pick: at, quality, accept } => {
				let made = self.made.entry(side).or_default();
				let pending: Vec<_> = made
					.contributions
					.iter()
					.filter(|(id, _)| {
						pallet_datasets::Contributions::<Runtime>::get(id)
							.is_some_and(|c| c.state == ContributionState::Pending)
					})
					.cloned()
					.collect();
				let Some((id, _)) = pick(&pending, at) else { return };
				let Some(record) = pallet_datasets::Contributions::<Runtime>::get(id) else {
					return;
				};
				let Some((_, owner)) =
					made.datasets.iter().find(|(d, _)| *d == record.dataset).cloned()
				else {
					return;
				};
				let verdict = if accept {
					pallet_datasets::Review::Accept { quality }
				} else {
					pallet_datasets::Review::Reject { reason: RejectReason::LowQuality }
				};
				Datasets::review(signed(&owner), id, verdict)
			},
			Action::Snapshot { side, dataset } => {
				let Some((dataset, owner)) =
					pick(&self.made.entry(side).or_default().datasets, dataset)
				else {
					return;
				};
				Datasets::snapshot(signed(&owner), dataset)
			},
			Action::Publish { side, who, dataset, price, builder } => {
				let who = self.who(side, who);
				let Some((dataset, _)) =
					pick(&self.made.entry(side).or_default().datasets, dataset)
				else {
					return;
				};
				let Some(info) = pallet_datasets::Datasets::<Runtime>::get(dataset) else { return };
				if info.snapshots == 0 {
					return;
				}
				let model = match self.made.entry(side).or_default().models.get(&who) {
					Some(model) => *model,
					None => {
						let content = self.content();
						if Models::register_model(signed(&who), content, Licence::Apache2).is_err()
						{
							return;
						}
						let model = pallet_models::NextModelId::<Runtime>::get() - 1;
						self.made.entry(side).or_default().models.insert(who.clone(), model);
						model
					},
				};
				let inputs = vec![TrainingInput {
					snapshot: SnapshotRef { dataset, version: info.snapshots },
					weight: Perbill::one(),
				}];
				let artifact = self.content();
				let res = Models::publish_version(
					signed(&who),
					model,
					artifact,
					inputs.try_into().unwrap(),
					None,
					Perbill::from_percent(u32::from(builder)),
					Balance::from(price) * LIN / 10,
				);
				if res.is_ok() {
					let version = pallet_models::NextVersionId::<Runtime>::get() - 1;
					self.made.entry(side).or_default().versions.push(version);
				}
				res.map(|_| ()).map_err(|e| e.error)
			},
			Action::RegisterProvider { side, who } => {
				let who = self.who(side, who);
				let res = Compute::register_provider(
					signed(&who),
					5_000 * LIN,
					b"https://case".to_vec().try_into().unwrap(),
					JobKinds::ALL,
					who.clone().into(),
					b"here".to_vec().try_into().unwrap(),
				);
				if res.is_ok() {
					self.made.entry(side).or_default().providers.push(who);
				}
				res
			},
			Action::Submit { side, who, version, fee } => {
				let who = self.who(side, who);
				let Some(version) = pick(&self.made.entry(side).or_default().versions, version)
				else {
					return;
				};
				let input = self.content();
				let deadline = System::block_number() + 20;
				let fee = Balance::from(fee) * LIN / 10;
				let res = Compute::submit_job(
					signed(&who),
					JobKind::Inference,
					version,
					input,
					fee,
					Balance::MAX,
					deadline,
				);
				if res.is_ok() {
					let job = pallet_compute::NextJobId::<Runtime>::get() - 1;
					self.made.entry(side).or_default().jobs.push(job);
				}
				res.map(|_| ()).map_err(|e| e.error)
			},
			Action::Accept { side, job, provider } => {
				let made = self.made.entry(side).or_default();
				let (Some(job), Some(provider)) =
					(pick(&made.jobs, job), pick(&made.providers, provider))
				else {
					return;
				};
				Compute::accept_job(signed(&provider), job)
			},
			Action::Result { side, job } => {
				let Some(job) = pick(&self.jobs_in(side, JobState::Accepted), job) else { return };
				let Some(provider) =
					pallet_compute::Jobs::<Runtime>::get(job).and_then(|record| record.provider)
				else {
					return;
				};
				let (bytes, result) = self.output();
				self.outputs.insert(job, bytes);
				Compute::submit_result(signed(&provider), job, result)
			},
			Action::Challenge { side, who, job } => {
				let who = self.who(side, who);
				let Some(job) = pick(&self.jobs_in(side, JobState::ResultSubmitted), job) else {
					return;
				};
				let evidence = self.content();
				Compute::challenge(signed(&who), job, evidence)
			},
			Action::Resolve { .. } if self.silent => return,
			Action::Resolve { pick: at, provider_wrong } => {
				let challenged: Vec<u64> = pallet_compute::Jobs::<Runtime>::iter()
					.filter(|(_, record)| record.state == JobState::Challenged)
					.map(|(job, _)| job)
					.collect();
				let Some(job) = pick(&challenged, at) else { return };
				let verdict =
					if provider_wrong { Verdict::ProviderWrong } else { Verdict::ChallengerWrong };
				Compute::resolve(RuntimeOrigin::root(), job, verdict)
			},
			Action::Finalize { pick: at } => {
				let mut submitted = self.jobs_in(Side::Coalition, JobState::ResultSubmitted);
				submitted.extend(self.jobs_in(Side::Honest, JobState::ResultSubmitted));
				let Some(job) = pick(&submitted, at) else { return };
				let anyone = self.honest[0].clone();
				Compute::finalize(signed(&anyone), job)
			},
			Action::WithdrawConsent { side, pick: at } => {
				let Some((id, who)) = pick(&self.made.entry(side).or_default().contributions, at)
				else {
					return;
				};
				Datasets::withdraw_consent(signed(&who), id)
			},
			Action::Claim { side, who } => {
				let who = self.who(side, who);
				self.claim_all(&who);
				Ok(())
			},
			Action::Freeze { side, who } => {
				let who = self.who(side, who);
				let to = if who == self.honest[0] {
					self.coalition[0].clone()
				} else {
					self.honest[0].clone()
				};
				let everything = Balances::total_balance(&who);
				lineage_runtime::ConvictionVoting::delegate(
					signed(&who),
					ROOT_TRACK,
					to.into(),
					pallet_conviction_voting::Conviction::Locked1x,
					everything,
				)
				.map(|_| ())
				.map_err(|e| e.error)
			},
			Action::Reveal { pick } => self.reveal(Side::Coalition, Some(pick)),
		};
		if result.is_ok() {
			*self.done.entry(kind).or_default() += 1;
		} else if std::env::var("LINEAGE_PROPTEST_VERBOSE").is_ok() {
			eprintln!("{kind}: {result:?}");
		}
	}

	/// The side's jobs in `state`.
	fn jobs_in(&mut self, side: Side, state: JobState) -> Vec<u64> {
		let jobs = &self.made.entry(side).or_default().jobs;
		jobs.iter()
			.filter(|job| {
				pallet_compute::Jobs::<Runtime>::get(job).is_some_and(|r| r.state == state)
			})
			.copied()
			.collect()
	}

	fn claim_all(&self, who: &AccountId) {
		let positions: Vec<(u32, u32)> =
			pallet_rewards::Positions::<Runtime>::iter_key_prefix(who).collect();
		for (dataset, first_snapshot) in positions {
			let _ = Rewards::claim(RuntimeOrigin::signed(who.clone()), dataset, first_snapshot);
		}
		let _ = Rewards::claim_account(RuntimeOrigin::signed(who.clone()));
	}

	/// Books the block's rewards and revenue events per account.
	fn book_events(&mut self) {
		let before = self.ledger.settled.len();
		self.ledger.book();
		let sides: Vec<Side> = self.ledger.settled[before..]
			.iter()
			.map(|(_, requester)| self.side_of(requester).expect("a requester of the case"))
			.collect();
		for side in sides {
			self.coalition_settled |= side == Side::Coalition;
			*self.settled.entry(side).or_default() += 1;
		}
		System::reset_events();
	}
}

/// Runs block `n` as the executive does (`start_block`, `actions`, `end_block`), then the
/// invariants. Events are booked and cleared.
fn run_block(world: &mut World, actions: &[Action]) -> Result<(), String> {
	let n = System::block_number() + 1;
	start_block(n);
	world.ledger.note_initialized();
	for action in actions {
		world.run(*action);
	}
	// Honest providers publish what they delivered when it is challenged.
	let _ = world.reveal(Side::Honest, None);
	end_block(n);
	world.book_events();
	check_state().map_err(|e| format!("block {n}: {e}"))
}

/// What a case did: calls that went through per kind, jobs settled per side, blocks run.
#[derive(Default)]
struct Stats {
	done: BTreeMap<&'static str, u64>,
	settled: BTreeMap<Side, u64>,
	blocks: u64,
}

/// Runs `case` from the dev genesis; `Err` describes the first broken property.
fn run_case(case: &Case) -> Result<Stats, String> {
	let mut result = Err(String::new());
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		result = run_case_inner(case);
	});
	result
}

fn run_case_inner(case: &Case) -> Result<Stats, String> {
	let mut world = new_world(case.coalition, case.silent);
	let wealth =
		|accounts: &[AccountId]| -> Balance { accounts.iter().map(Balances::total_balance).sum() };
	let issuance = Balances::total_issuance();
	let minted = pallet_rewards::TotalMinted::<Runtime>::get();
	let start = wealth(&world.coalition);

	for actions in &case.steps {
		run_block(&mut world, actions)?;
	}
	// Let every job end (deadlines are 20 blocks ahead, windows 5), resolve what is challenged,
	// let two eras pass so every era's rates are known, and claim everything.
	let era = LineageParams::current().params.emission.era_length;
	for _ in 0..(25 + 2 * era) {
		run_block(&mut world, &[Action::Resolve { pick: 0, provider_wrong: false }])?;
	}
	let everyone: Vec<AccountId> = world.coalition.iter().chain(&world.honest).cloned().collect();
	for who in &everyone {
		world.claim_all(who);
	}
	world.book_events();
	check_state()?;
	// Every job ended, whoever froze what and whatever the arbiter did.
	if let Some((job, record)) = pallet_compute::Jobs::<Runtime>::iter()
		.find(|(_, r)| !matches!(r.state, JobState::Ended(_)))
	{
		return Err(format!("job {job} never ended: {:?}", record.state));
	}
	if let Some((job, _)) = pallet_compute::Jobs::<Runtime>::iter()
		.find(|(_, r)| r.state == JobState::Ended(pallet_compute::Outcome::Aborted))
	{
		return Err(format!("job {job} was aborted"));
	}

	world.ledger.check_late_points()?;
	world.ledger.check_claims(&everyone)?;
	let end = wealth(&world.coalition);
	if end > start || (world.coalition_settled && end == start) {
		return Err(format!(
			"the coalition went from {start} to {end} (a job settled: {})",
			world.coalition_settled
		));
	}
	let grown = Balances::total_issuance() - issuance;
	let minted = pallet_rewards::TotalMinted::<Runtime>::get() - minted;
	if grown != minted {
		return Err(format!("issuance grew by {grown}, Rewards minted {minted}"));
	}
	Ok(Stats {
		done: world.done,
		settled: world.settled,
		blocks: u64::from(System::block_number()),
	})
}

/// Drops actions from a failing case while it still fails.
fn shrink(case: &Case) -> Case {
	let mut best = case.clone();
	let mut step = 0;
	while step < best.steps.len() {
		let mut index = 0;
		while index < best.steps[step].len() {
			let mut candidate = best.clone();
			candidate.steps[step].remove(index);
			if run_case(&candidate).is_err() {
				best = candidate;
			} else {
				index += 1;
			}
		}
		step += 1;
	}
	best.steps.retain(|s| !s.is_empty());
	best
}

fn env(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn coalitions_never_profit() {
	let cases = env("LINEAGE_PROPTEST_CASES", 256);
	let first = env("LINEAGE_PROPTEST_SEED", 0x1EA6E);
	let mut total = Stats::default();
	let mut actions = 0usize;
	for seed in first..first + cases {
		let case = generate(seed);
		actions += case.steps.iter().map(Vec::len).sum::<usize>();
		match run_case(&case) {
			Ok(stats) => {
				for (kind, n) in stats.done {
					*total.done.entry(kind).or_default() += n;
				}
				for (side, n) in stats.settled {
					*total.settled.entry(side).or_default() += n;
				}
				total.blocks += stats.blocks;
			},
			Err(error) => {
				let minimal = shrink(&case);
				panic!(
					"seed {seed} (LINEAGE_PROPTEST_SEED={seed} LINEAGE_PROPTEST_CASES=1): {error}\n\
					 shortest failing sequence (coalition of {}):\n{:#?}",
					minimal.coalition, minimal.steps
				);
			},
		}
	}
	println!(
		"coalitions_never_profit: {cases} cases from seed {first}, {actions} random actions, \
		 {} blocks; calls that went through: {:?}; jobs settled: {:?}",
		total.blocks, total.done, total.settled
	);
	// The generator reaches every step of the economy, on both sides.
	if cases >= 64 {
		for kind in [
			"batch",
			"review",
			"publish",
			"submit",
			"accept",
			"result",
			"challenge",
			"claim",
			"freeze",
			"reveal",
		] {
			assert!(
				total.done.get(kind).copied().unwrap_or_default() > 0,
				"no {kind} went through"
			);
		}
		assert!(total.settled.get(&Side::Coalition).copied().unwrap_or_default() > 0);
		assert!(total.settled.get(&Side::Honest).copied().unwrap_or_default() > 0);
	}
}

#[test]
fn a_forged_count_never_captures_emission() {
	// The attack of the open dataset: one batch claiming u32::MAX items, by each of six accounts
	// in six datasets, while an honest contributor's dataset is paid for.
	let case = Case {
		coalition: 6,
		silent: false,
		steps: (0..6u8)
			.flat_map(|who| {
				[
					vec![Action::CreateDataset { side: Side::Coalition, who, curated: false }],
					vec![Action::Batch {
						side: Side::Coalition,
						who,
						dataset: who,
						count: u32::MAX,
					}],
				]
			})
			.chain([
				vec![Action::CreateDataset { side: Side::Honest, who: 0, curated: false }],
				vec![Action::Contribute { side: Side::Honest, who: 1, dataset: 0 }],
				vec![Action::Snapshot { side: Side::Honest, dataset: 0 }],
				vec![Action::Publish {
					side: Side::Honest,
					who: 2,
					dataset: 0,
					price: 100,
					builder: 50,
				}],
				vec![Action::RegisterProvider { side: Side::Honest, who: 3 }],
				vec![Action::Submit { side: Side::Honest, who: 0, version: 0, fee: 1_000 }],
				vec![Action::Accept { side: Side::Honest, job: 0, provider: 0 }],
				vec![Action::Result { side: Side::Honest, job: 0 }],
			])
			.collect(),
	};
	run_case(&case).unwrap();
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let mut world = new_world(case.coalition, case.silent);
		let (coalition, honest) = (world.coalition.clone(), world.honest.clone());
		for actions in &case.steps {
			run_block(&mut world, actions).unwrap();
		}
		// Each forged batch earned one item's points.
		for (dataset, _) in &world.made[&Side::Coalition].datasets {
			assert_eq!(pallet_rewards::Pallet::<Runtime>::dataset_points(*dataset), 50);
		}
		let era = LineageParams::current().params.emission.era_length;
		for _ in 0..(10 + 2 * era) {
			run_block(&mut world, &[]).unwrap();
		}
		for who in coalition.iter().chain(&honest) {
			world.claim_all(who);
		}
		world.book_events();
		// The forgers claimed nothing; the honest contributor got the dataset's revenue and its
		// emission.
		for who in &coalition {
			assert_eq!(world.ledger.emission.get(who).copied().unwrap_or_default(), 0);
			assert!(pallet_datasets::Contributions::<Runtime>::iter().any(|(_, c)| c.contributor
				== *who && matches!(
				c.state,
				ContributionState::Accepted { reviewer: None, .. }
			)));
		}
		assert!(world.ledger.emission[&honest[1]] > 0);
	});
}

#[test]
fn a_rival_who_contributes_once_and_withdraws_confiscates_nothing() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let mut world = new_world(1, false);
		let rival = world.coalition[0].clone();
		let contributor = world.honest[2].clone();
		let honest = |actions: Vec<Action>| actions.into_iter().map(|a| vec![a]);
		// An honest dataset declaring a grace of six blocks (its creator is honest actor 1), an
		// honest item in it, and the rival's one item; snapshot 1 holds both.
		let steps: Vec<Vec<Action>> = honest(vec![
			Action::CreateDataset { side: Side::Honest, who: 1, curated: false },
			Action::Contribute { side: Side::Honest, who: 2, dataset: 0 },
		])
		.collect();
		for actions in &steps {
			run_block(&mut world, actions).unwrap();
		}
		let dataset = world.made[&Side::Honest].datasets[0].0;
		let rival_item = pallet_datasets::NextContributionId::<Runtime>::get();
		let content = world.content();
		Datasets::contribute(
			RuntimeOrigin::signed(rival.clone()),
			dataset,
			content,
			Licence::Cc0,
			Consent::FULL,
		)
		.unwrap();
		for actions in honest(vec![
			Action::Snapshot { side: Side::Honest, dataset: 0 },
			Action::Publish { side: Side::Honest, who: 0, dataset: 0, price: 100, builder: 50 },
			Action::RegisterProvider { side: Side::Honest, who: 3 },
			Action::Submit { side: Side::Honest, who: 0, version: 0, fee: 1_000 },
			Action::Accept { side: Side::Honest, job: 0, provider: 0 },
		]) {
			run_block(&mut world, &actions).unwrap();
		}
		// The rival withdraws while the job is in flight.
		Datasets::withdraw_consent(RuntimeOrigin::signed(rival.clone()), rival_item).unwrap();
		run_block(&mut world, &[Action::Result { side: Side::Honest, job: 0 }]).unwrap();
		// The model still takes jobs for the dataset's grace, counted from the next job...
		let version = world.made[&Side::Honest].versions[0];
		assert!(Models::taint(version).is_some());
		run_block(
			&mut world,
			&[Action::Submit { side: Side::Honest, who: 1, version: 0, fee: 10 }],
		)
		.unwrap();
		assert_eq!(world.made[&Side::Honest].jobs.len(), 2, "a job in the grace is taken");
		let started = pallet_models::GraceStarted::<Runtime>::get(version).unwrap();
		// ...and none after it.
		while System::block_number() < started + 6 {
			run_block(&mut world, &[]).unwrap();
		}
		run_block(
			&mut world,
			&[Action::Submit { side: Side::Honest, who: 1, version: 0, fee: 10 }],
		)
		.unwrap();
		assert_eq!(world.made[&Side::Honest].jobs.len(), 2, "no job after the grace");

		let era = LineageParams::current().params.emission.era_length;
		for _ in 0..(25 + 2 * era) {
			run_block(&mut world, &[]).unwrap();
		}
		let job = world.made[&Side::Honest].jobs[0];
		let record = pallet_compute::Jobs::<Runtime>::get(job).unwrap();
		assert_eq!(record.state, JobState::Ended(pallet_compute::Outcome::Settled));
		let data_paid: Balance = record
			.payouts
			.iter()
			.filter(|p| matches!(p.payee, Payee::Dataset(_)))
			.map(|p| p.amount)
			.sum();
		assert!(data_paid > 0, "the withdrawal confiscated nothing");
		world.claim_all(&contributor);
		world.claim_all(&rival);
		world.book_events();
		// The honest contributor received the dataset's whole share (the rival's points are
		// gone); the rival received nothing.
		let received = world.ledger.claimed_data.get(&contributor).copied().unwrap_or_default();
		assert!(received + 1 >= data_paid && received <= data_paid, "{received} of {data_paid}");
		assert_eq!(world.ledger.claimed_data.get(&rival).copied().unwrap_or_default(), 0);
		check_state().unwrap();
	});
}
