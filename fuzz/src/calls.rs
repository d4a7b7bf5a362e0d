//! Calls made from the input: most are built field by field for the objects that exist (so that
//! they reach deep into each pallet: a contribution to a dataset that exists, a result for a job
//! that was accepted), signed by the object's owner more often than not; some are decoded from
//! raw bytes as any `RuntimeCall` (every pallet, every argument). Governance, utility and balances
//! calls are among them, and privileged origins (root, the admin track, the Council) dispatch a
//! few calls at a low rate.

use codec::{Decode, DecodeLimit, Encode};
use lineage_primitives::{Consent, ContentRef, Licence, SnapshotRef, Uri};
use lineage_runtime::{
	AccountId, Balance, Balances, BlockNumber, LineageParams, OriginCaller, Runtime, RuntimeCall,
	System, LIN, MILLI_LIN,
};
use pallet_compute::{JobKind, JobKinds, Verdict};
use pallet_datasets::{Admission, Policy, RejectReason, Review};
use pallet_models::TrainingInput;
use sp_core::H256;
use sp_runtime::{MultiAddress, Perbill};

use crate::input::Input;

/// Who dispatches a call.
#[derive(Clone, Debug)]
pub enum Caller {
	/// A signed transaction of one of the actors: it pays its fee and bumps its nonce.
	Signed(AccountId),
	/// A privileged origin (root, a governance track, the Council), as governance would
	/// dispatch it.
	Privileged(OriginCaller),
}

/// A call and who makes it.
pub struct Made {
	pub caller: Caller,
	pub call: RuntimeCall,
	/// The call's name in the per-kind counts: `Pallet.call`.
	pub name: String,
}

/// What the generator remembers between calls of one run.
pub struct Generator {
	/// The actors: funded accounts that sign every signed call.
	pub actors: Vec<AccountId>,
	/// Whether this run dispatches privileged calls.
	pub privileged: bool,
	/// Bumped for every content reference, so that hashes differ.
	nonce: u32,
	/// The bytes of the job inputs and results made with real bytes, by hash, to publish and to
	/// hand the checks.
	outputs: std::collections::BTreeMap<H256, Vec<u8>>,
}

/// Amounts the calls move: around the thresholds (zero, one planck, the existential deposit,
/// the deposits and bonds) and far beyond them.
fn amount(input: &mut Input) -> Balance {
	match input.below(10) {
		0 => 0,
		1 => 1,
		2 => lineage_runtime::EXISTENTIAL_DEPOSIT,
		3 => LIN,
		4 => 10 * LIN,
		5 => 100 * LIN,
		6 => 1_000 * LIN,
		7 => 100_000 * LIN,
		8 => Balance::MAX / 2,
		_ => Balance::from(input.u32()) * MILLI_LIN,
	}
}

fn licence(input: &mut Input) -> Licence {
	if input.chance(70) {
		return input.pick(&[Licence::Cc0, Licence::Apache2, Licence::Mit]);
	}
	match input.below(8) {
		0 => Licence::Cc0,
		1 => Licence::CcBy,
		2 => Licence::CcBySa,
		3 => Licence::CcByNc,
		4 => Licence::Apache2,
		5 => Licence::Mit,
		6 => Licence::Proprietary,
		_ => Licence::Custom(H256::repeat_byte(input.u8())),
	}
}

fn consent(input: &mut Input) -> Consent {
	if input.chance(80) {
		Consent::FULL
	} else {
		Consent { training: input.chance(50), commercial: input.chance(50) }
	}
}

fn percent(input: &mut Input) -> Perbill {
	Perbill::from_percent(input.below(101))
}

fn uri(input: &mut Input) -> Uri {
	let len = if input.chance(95) { 10 } else { input.below(300) as usize };
	Uri::truncate_from(vec![b'a'; len])
}

fn kinds(input: &mut Input) -> JobKinds {
	if input.chance(70) {
		JobKinds::ALL
	} else {
		JobKinds {
			training: input.chance(50),
			fine_tune: input.chance(50),
			inference: input.chance(50),
			evaluation: input.chance(50),
		}
	}
}

fn job_kind(input: &mut Input) -> JobKind {
	input.pick(&[JobKind::Inference, JobKind::Evaluation, JobKind::FineTune, JobKind::Training])
}

/// An id in `0..next`, or now and then `next` itself (one that does not exist yet).
fn id<I: Into<u64> + TryFrom<u64>>(input: &mut Input, next: I) -> I
where
	<I as TryFrom<u64>>::Error: core::fmt::Debug,
{
	let next: u64 = next.into();
	let picked = if next == 0 || input.chance(5) { next } else { u64::from(input.u16()) % next };
	I::try_from(picked).expect("at most next")
}

/// One of `candidates` (ids in the state a call needs) most of the time, else any id below
/// `next`.
fn pick_among<I>(input: &mut Input, candidates: Vec<I>, next: I) -> I
where
	I: Clone + Into<u64> + TryFrom<u64>,
	<I as TryFrom<u64>>::Error: core::fmt::Debug,
{
	if !candidates.is_empty() && input.chance(85) {
		input.pick(&candidates)
	} else {
		id(input, next)
	}
}

/// Calls a privileged origin may make in a run: everything but the calls whose purpose is to
/// break an invariant the fuzzer checks (`System`'s storage writes and code changes, and
/// `force_adjust_total_issuance`, which exists to move total issuance on its own). Nested calls
/// are checked too: utility batches, Council motions, scheduled calls and referenda's inline
/// proposals.
pub fn allowed(call: &RuntimeCall) -> bool {
	use frame_system::Call as S;
	match call {
		RuntimeCall::System(S::remark { .. } | S::remark_with_event { .. }) => true,
		RuntimeCall::System(_) => false,
		RuntimeCall::Balances(pallet_balances::Call::force_adjust_total_issuance { .. }) => false,
		RuntimeCall::Utility(inner) => match inner {
			pallet_utility::Call::batch { calls }
			| pallet_utility::Call::batch_all { calls }
			| pallet_utility::Call::force_batch { calls } => calls.iter().all(allowed),
			pallet_utility::Call::as_derivative { call, .. }
			| pallet_utility::Call::dispatch_as { call, .. }
			| pallet_utility::Call::dispatch_as_fallible { call, .. }
			| pallet_utility::Call::with_weight { call, .. } => allowed(call),
			pallet_utility::Call::if_else { main, fallback } => allowed(main) && allowed(fallback),
			_ => false,
		},
		RuntimeCall::Sudo(_) => false,
		RuntimeCall::Council(pallet_collective::Call::propose { proposal, .. })
		| RuntimeCall::Council(pallet_collective::Call::execute { proposal, .. }) => allowed(proposal),
		RuntimeCall::Scheduler(_) => false,
		RuntimeCall::Preimage(pallet_preimage::Call::note_preimage { bytes }) => {
			RuntimeCall::decode(&mut &bytes[..]).map_or(true, |call| allowed(&call))
		},
		RuntimeCall::Referenda(pallet_referenda::Call::submit {
			proposal: frame_support::traits::Bounded::Inline(bytes),
			..
		}) => RuntimeCall::decode(&mut &bytes[..]).map_or(true, |call| allowed(&call)),
		// A proposal by hash runs what its preimage holds, which `note_preimage` checks.
		_ => true,
	}
}

impl Generator {
	/// A generator for one run.
	pub fn new(actors: Vec<AccountId>, privileged: bool) -> Self {
		Self { actors, privileged, nonce: 0, outputs: Default::default() }
	}

	fn content(&mut self, input: &mut Input) -> ContentRef {
		self.nonce += 1;
		let mut hash = [input.u8(); 32];
		hash[..4].copy_from_slice(&self.nonce.to_le_bytes());
		ContentRef { hash: H256(hash), uri: uri(input), bytes: u64::from(input.u32()) }
	}

	/// A reference to `bytes`, kept to hand the calls that take them.
	fn record(&mut self, bytes: Vec<u8>, input: &mut Input) -> ContentRef {
		let hash = H256(sp_io::hashing::blake2_256(&bytes));
		let content = ContentRef { hash, uri: uri(input), bytes: bytes.len() as u64 };
		self.outputs.insert(hash, bytes);
		content
	}

	fn actor(&self, input: &mut Input) -> AccountId {
		input.pick(&self.actors)
	}

	/// `owner` most of the time when there is one, else any actor.
	fn signer(&self, input: &mut Input, owner: Option<AccountId>) -> AccountId {
		match owner {
			Some(owner) if input.chance(75) => owner,
			_ => self.actor(input),
		}
	}

	fn lookup(&self, input: &mut Input) -> MultiAddress<AccountId, ()> {
		MultiAddress::Id(self.actor(input))
	}

	/// The next call, or `None` when the input decoded to nothing usable.
	pub fn next(&mut self, input: &mut Input) -> Option<Made> {
		if self.privileged && input.chance(4) {
			return self.privileged_call(input);
		}
		let (signer, call) = match input.below(100) {
			0..=29 => self.datasets(input),
			30..=44 => self.models(input),
			45..=74 => self.compute(input),
			75..=79 => self.rewards(input),
			80..=84 => self.balances(input),
			85..=89 => self.utility(input),
			90..=94 => self.governance(input),
			_ => {
				let bytes = input.bytes(256);
				let call = RuntimeCall::decode_with_depth_limit(8, &mut &bytes[..]).ok()?;
				(self.actor(input), call)
			},
		};
		if !allowed(&call) {
			return None;
		}
		let name = name(&call);
		Some(Made { caller: Caller::Signed(signer), call, name })
	}

	fn datasets(&mut self, input: &mut Input) -> (AccountId, RuntimeCall) {
		use pallet_datasets::Call as C;
		let active = pallet_datasets::Datasets::<Runtime>::iter()
			.filter(|(_, d)| d.status == pallet_datasets::DatasetStatus::Active)
			.map(|(id, _)| id)
			.collect();
		let dataset = pick_among(input, active, pallet_datasets::NextDatasetId::<Runtime>::get());
		let owner = pallet_datasets::Datasets::<Runtime>::get(dataset).map(|d| d.owner);
		let next_contribution = pallet_datasets::NextContributionId::<Runtime>::get();
		let contribution = if input.chance(50) {
			let pending = pallet_datasets::Contributions::<Runtime>::iter()
				.filter(|(_, c)| c.state == pallet_datasets::ContributionState::Pending)
				.map(|(id, _)| id)
				.collect();
			pick_among(input, pending, next_contribution)
		} else {
			id(input, next_contribution)
		};
		let record = pallet_datasets::Contributions::<Runtime>::get(contribution);
		let contributor = record.as_ref().map(|c| c.contributor.clone());
		let curator = record.and_then(|c| pallet_datasets::Datasets::<Runtime>::get(c.dataset));
		let curator = curator.map(|d| d.owner);
		let policy = |input: &mut Input| Policy {
			admission: if input.chance(50) { Admission::Open } else { Admission::Curated },
			contribution_deposit: if input.chance(80) { LIN } else { amount(input) },
			reject_slash: percent(input),
			min_consent: consent(input),
			withdrawal_grace: match input.below(10) {
				0..=4 => 0,
				5..=8 => input.below(40),
				_ => u32::MAX,
			},
		};
		match input.below(16) {
			0 | 1 => (self.actor(input), {
				let metadata = self.content(input);
				C::create_dataset { metadata, licence: licence(input), policy: policy(input) }
					.into()
			}),
			2 => (self.signer(input, owner), {
				let metadata = input.chance(50).then(|| self.content(input));
				let policy = input.chance(50).then(|| policy(input));
				C::update_dataset { dataset, metadata, policy }.into()
			}),
			3 => (self.signer(input, owner), {
				C::add_curator { dataset, curator: self.lookup(input) }.into()
			}),
			4 => (self.signer(input, owner), {
				C::remove_curator { dataset, curator: self.lookup(input) }.into()
			}),
			5 => (self.signer(input, owner), {
				C::transfer_ownership { dataset, new_owner: self.lookup(input) }.into()
			}),
			6..=8 => (self.actor(input), {
				let item = self.content(input);
				C::contribute { dataset, item, licence: licence(input), consent: consent(input) }
					.into()
			}),
			9 => (self.actor(input), {
				let root = self.content(input).hash;
				let count = if input.chance(80) { 1 + input.below(1_000) } else { input.u32() };
				C::contribute_batch {
					dataset,
					root,
					count,
					total_bytes: u64::from(count) * u64::from(input.u16()),
					uri: uri(input),
					licence: licence(input),
					consent: consent(input),
				}
				.into()
			}),
			10 | 11 => (self.signer(input, curator), {
				let verdict = if input.chance(75) {
					Review::Accept { quality: input.u8() % 110 }
				} else {
					Review::Reject {
						reason: input.pick(&[
							RejectReason::LowQuality,
							RejectReason::Irrelevant,
							RejectReason::Unavailable,
							RejectReason::LicenceMismatch,
						]),
					}
				};
				C::review { contribution, verdict }.into()
			}),
			12 => (self.signer(input, owner), C::snapshot { dataset }.into()),
			13 => (self.signer(input, contributor), C::withdraw_consent { contribution }.into()),
			14 => (self.signer(input, owner), C::close_dataset { dataset }.into()),
			_ => (self.signer(input, contributor), C::remove_contribution { contribution }.into()),
		}
	}

	fn models(&mut self, input: &mut Input) -> (AccountId, RuntimeCall) {
		use pallet_models::Call as C;
		let model = id(input, pallet_models::NextModelId::<Runtime>::get());
		let owner = pallet_models::Models::<Runtime>::get(model).map(|m| m.owner);
		let versions = pallet_models::Versions::<Runtime>::iter_keys().collect();
		let version = pick_among(input, versions, pallet_models::NextVersionId::<Runtime>::get());
		let version_owner = pallet_models::Versions::<Runtime>::get(version)
			.and_then(|v| pallet_models::Models::<Runtime>::get(v.model))
			.map(|m| m.owner);
		match input.below(10) {
			0 | 1 => (self.actor(input), {
				let metadata = self.content(input);
				C::register_model { metadata, licence: licence(input) }.into()
			}),
			2..=4 => {
				// An existing model, by its owner, most of the time.
				let models = pallet_models::Models::<Runtime>::iter_keys().collect();
				let model = pick_among(input, models, pallet_models::NextModelId::<Runtime>::get());
				let owner = pallet_models::Models::<Runtime>::get(model).map(|m| m.owner);
				let who = self.signer(input, owner);
				let artifact = self.content(input);
				let inputs = self.training_inputs(input);
				let parent = input.chance(30).then_some(version);
				let builder_share = percent(input);
				let price = if input.chance(70) {
					Balance::from(input.below(50)) * LIN
				} else {
					amount(input)
				};
				(
					who,
					C::publish_version { model, artifact, inputs, parent, builder_share, price }
						.into(),
				)
			},
			5 => (self.signer(input, version_owner), {
				C::set_price { version, price: amount(input) }.into()
			}),
			6 => (self.signer(input, version_owner), C::deprecate_version { version }.into()),
			7 => (self.signer(input, owner), {
				C::transfer_model { model, new_owner: self.lookup(input) }.into()
			}),
			8 => (self.signer(input, version_owner), C::retire_version { version }.into()),
			_ => (self.signer(input, owner), C::remove_model { model }.into()),
		}
	}

	/// One or two snapshots of existing datasets, their weights summing to 100% most of the time.
	fn training_inputs(&mut self, input: &mut Input) -> pallet_models::InputsOf<Runtime> {
		let count = 1 + input.below(2);
		let mut inputs = Vec::new();
		for i in 0..count {
			let with_snapshots = pallet_datasets::Datasets::<Runtime>::iter()
				.filter(|(_, d)| d.snapshots > 0)
				.map(|(id, _)| id)
				.collect();
			let dataset =
				pick_among(input, with_snapshots, pallet_datasets::NextDatasetId::<Runtime>::get());
			let snapshots = pallet_datasets::Datasets::<Runtime>::get(dataset)
				.map(|d| d.snapshots)
				.unwrap_or_default();
			let version = if snapshots == 0 { 0 } else { 1 + input.below(snapshots) };
			let weight = match (count, i) {
				(1, _) if input.chance(90) => Perbill::one(),
				(2, 0) => Perbill::from_percent(50),
				(2, _) if input.chance(90) => Perbill::from_percent(50),
				_ => percent(input),
			};
			inputs.push(TrainingInput { snapshot: SnapshotRef { dataset, version }, weight });
		}
		inputs.try_into().expect("at most two inputs")
	}

	fn compute(&mut self, input: &mut Input) -> (AccountId, RuntimeCall) {
		use pallet_compute::Call as C;
		let next_job = pallet_compute::NextJobId::<Runtime>::get();
		let wanted = input.pick(&[
			pallet_compute::JobState::Open,
			pallet_compute::JobState::Accepted,
			pallet_compute::JobState::ResultSubmitted,
			pallet_compute::JobState::Challenged,
		]);
		let in_state = pallet_compute::Jobs::<Runtime>::iter()
			.filter(|(_, j)| {
				j.state == wanted
					|| !matches!(j.state, pallet_compute::JobState::Ended(_)) && input.chance(10)
			})
			.map(|(id, _)| id)
			.collect();
		let job = pick_among(input, in_state, next_job);
		let record = pallet_compute::Jobs::<Runtime>::get(job);
		let requester = record.as_ref().map(|j| j.requester.clone());
		let provider = record.as_ref().and_then(|j| j.provider.clone());
		// A registered provider that offers the job's kind, to accept it.
		let taker = record.as_ref().and_then(|j| {
			pallet_compute::Providers::<Runtime>::iter()
				.find(|(_, p)| p.kinds.offers(j.kind))
				.map(|(who, _)| who)
		});
		match input.below(25) {
			0 | 1 => (self.actor(input), {
				let bond = if input.chance(70) { 1_000 * LIN } else { amount(input) };
				C::register_provider {
					bond,
					endpoint: uri(input),
					kinds: kinds(input),
					operator: self.lookup(input),
					region: vec![b'r'; 1 + input.below(3) as usize].try_into().expect("short"),
				}
				.into()
			}),
			2 => (self.actor(input), C::bond_extra { amount: amount(input) }.into()),
			3 => (self.actor(input), C::unbond { amount: amount(input) }.into()),
			4 => (self.actor(input), C::withdraw_unbonded {}.into()),
			5 => (self.actor(input), C::deregister {}.into()),
			6..=9 => (self.actor(input), {
				let usable = pallet_models::Versions::<Runtime>::iter()
					.filter(|(_, v)| !v.deprecated)
					.map(|(id, _)| id)
					.collect();
				let model_version =
					pick_among(input, usable, pallet_models::NextVersionId::<Runtime>::get());
				let now: BlockNumber = System::block_number();
				let fee = if input.chance(70) {
					Balance::from(1 + input.below(500)) * LIN
				} else {
					amount(input)
				};
				let kind = job_kind(input);
				let job_input = if kind == JobKind::Training && input.chance(50) {
					// A training input naming a snapshot, recorded to hand `check_training`.
					let named = lineage_reference::TrainingInput {
						dataset: id(input, pallet_datasets::NextDatasetId::<Runtime>::get()),
						snapshot: 1 + input.below(2),
						order: 1 + input.below(3),
					};
					self.record(lineage_reference::training_input_bytes(named), input)
				} else {
					self.content(input)
				};
				C::submit_job {
					kind,
					model_version,
					input: job_input,
					fee,
					max_price: if input.chance(80) { 1_000 * LIN } else { amount(input) },
					deadline: now + input.below(120),
				}
				.into()
			}),
			10 => (self.signer(input, requester), C::cancel_job { job }.into()),
			11..=13 => (self.signer(input, taker), C::accept_job { job }.into()),
			14..=16 => (self.signer(input, provider), {
				let result = if input.chance(50) {
					self.nonce += 1;
					let bytes = format!("output {}", self.nonce).into_bytes();
					self.record(bytes, input)
				} else {
					self.content(input)
				};
				C::submit_result { job, result }.into()
			}),
			17 => (self.signer(input, requester), {
				C::challenge { job, evidence: self.content(input) }.into()
			}),
			18 | 19 => (self.actor(input), C::finalize { job }.into()),
			20 => (self.actor(input), C::expire { job }.into()),
			21 => (self.signer(input, requester), C::remove_record { job }.into()),
			22 => (self.signer(input, provider), {
				// The job's output when the generator made it, else bytes that are not it.
				let recorded = record.as_ref().and_then(|j| j.result.as_ref()).map(|r| r.hash);
				let output = recorded
					.and_then(|hash| self.outputs.get(&hash).cloned())
					.filter(|_| input.chance(80))
					.unwrap_or_else(|| vec![input.u8(); input.below(64) as usize]);
				C::publish_output { job, output: output.try_into().expect("short") }.into()
			}),
			23 => (self.actor(input), {
				// The job's input and output when the generator made them, else none.
				let known = |hash: Option<H256>| {
					hash.and_then(|h| self.outputs.get(&h).cloned()).unwrap_or_default()
				};
				let bounded = |bytes: Vec<u8>| bytes.try_into().expect("short");
				let job_input = bounded(known(record.as_ref().map(|j| j.input.hash)));
				let output =
					bounded(known(record.as_ref().and_then(|j| j.result.as_ref()).map(|r| r.hash)));
				if input.chance(30) {
					C::check_result { job, model: bounded(Vec::new()), input: job_input, output }
				} else {
					let contribution = u64::from(input.below(20));
					let fault = match input.below(3) {
						0 => pallet_compute::TrainingFault::Artifact,
						1 => pallet_compute::TrainingFault::Membership(contribution),
						_ => pallet_compute::TrainingFault::Item {
							contribution,
							files: vec![pallet_compute::ItemFile {
								path: bounded(Vec::new()),
								bytes: bounded(vec![b'w'; input.below(8) as usize]),
							}]
							.try_into()
							.expect("one file"),
						},
					};
					C::check_training { job, input: job_input, output, fault }
				}
				.into()
			}),
			_ => (self.actor(input), {
				C::update_provider {
					endpoint: input.chance(50).then(|| uri(input)),
					kinds: input.chance(50).then(|| kinds(input)),
					region: None,
				}
				.into()
			}),
		}
	}

	fn rewards(&mut self, input: &mut Input) -> (AccountId, RuntimeCall) {
		let who = self.actor(input);
		let positions: Vec<_> =
			pallet_rewards::Positions::<Runtime>::iter_key_prefix(&who).collect();
		let call = if !positions.is_empty() && input.chance(70) {
			let (dataset, first_snapshot) = input.pick(&positions);
			pallet_rewards::Call::claim { dataset, first_snapshot }
		} else if input.chance(50) {
			pallet_rewards::Call::claim {
				dataset: id(input, pallet_datasets::NextDatasetId::<Runtime>::get()),
				first_snapshot: input.below(4),
			}
		} else {
			pallet_rewards::Call::claim_account {}
		};
		(who, call.into())
	}

	fn balances(&mut self, input: &mut Input) -> (AccountId, RuntimeCall) {
		use pallet_balances::Call as C;
		let dest = self.lookup(input);
		let call = match input.below(4) {
			0 => C::transfer_keep_alive { dest, value: amount(input) },
			1 => C::transfer_allow_death { dest, value: amount(input) },
			2 => C::transfer_all { dest, keep_alive: input.chance(50) },
			_ => C::burn { value: amount(input), keep_alive: input.chance(50) },
		};
		(self.actor(input), call.into())
	}

	/// A batch of up to three Lineage calls, signed by the first call's signer.
	fn utility(&mut self, input: &mut Input) -> (AccountId, RuntimeCall) {
		use pallet_utility::Call as C;
		let mut signer = None;
		let mut calls = Vec::new();
		for _ in 0..1 + input.below(3) {
			let (who, call) = match input.below(3) {
				0 => self.datasets(input),
				1 => self.models(input),
				_ => self.compute(input),
			};
			signer.get_or_insert(who);
			calls.push(call);
		}
		let call = match input.below(3) {
			0 => C::batch { calls },
			1 => C::batch_all { calls },
			_ => C::force_batch { calls },
		};
		(signer.expect("at least one call"), call.into())
	}

	/// A call that governance could dispatch: an admin action on a Lineage object, or a change
	/// of the parameter set.
	fn admin_call(&mut self, input: &mut Input) -> RuntimeCall {
		match input.below(5) {
			0 => pallet_datasets::Call::takedown {
				dataset: id(input, pallet_datasets::NextDatasetId::<Runtime>::get()),
				reason: H256::repeat_byte(1),
			}
			.into(),
			1 => pallet_models::Call::revoke_version {
				version: id(input, pallet_models::NextVersionId::<Runtime>::get()),
				reason: H256::repeat_byte(2),
			}
			.into(),
			2 => pallet_compute::Call::resolve {
				job: id(input, pallet_compute::NextJobId::<Runtime>::get()),
				verdict: if input.chance(50) {
					Verdict::ProviderWrong
				} else {
					Verdict::ChallengerWrong
				},
			}
			.into(),
			3 => pallet_lineage_params_call(input),
			_ => pallet_treasury::Call::spend_local {
				amount: amount(input),
				beneficiary: self.lookup(input),
			}
			.into(),
		}
	}

	fn governance(&mut self, input: &mut Input) -> (AccountId, RuntimeCall) {
		let who = self.actor(input);
		let referendum = id(input, pallet_referenda::ReferendumCount::<Runtime>::get());
		let call: RuntimeCall = match input.below(9) {
			0 => {
				// Inline when it fits in a referendum's inline bound, else a takedown.
				let proposal = Some(self.admin_call(input).encode())
					.filter(|call| call.len() <= 128)
					.unwrap_or_else(|| {
						RuntimeCall::from(pallet_datasets::Call::takedown {
							dataset: 0,
							reason: H256::repeat_byte(1),
						})
						.encode()
					});
				let origin = if input.chance(50) {
					OriginCaller::system(frame_system::RawOrigin::Root)
				} else {
					OriginCaller::Origins(lineage_runtime::configs::governance::pallet_custom_origins::Origin::LineageAdmin)
				};
				pallet_referenda::Call::submit {
					proposal_origin: Box::new(origin),
					proposal: frame_support::traits::Bounded::Inline(
						proposal.try_into().expect("an admin call is small"),
					),
					enactment_moment: frame_support::traits::schedule::DispatchTime::After(1),
				}
				.into()
			},
			1 => pallet_referenda::Call::place_decision_deposit { index: referendum }.into(),
			2 | 3 => pallet_conviction_voting::Call::vote {
				poll_index: referendum,
				vote: pallet_conviction_voting::AccountVote::Standard {
					vote: pallet_conviction_voting::Vote {
						aye: input.chance(70),
						conviction: pallet_conviction_voting::Conviction::Locked1x,
					},
					balance: amount(input).min(500_000 * LIN),
				},
			}
			.into(),
			4 => pallet_conviction_voting::Call::remove_vote { class: None, index: referendum }
				.into(),
			5 => pallet_conviction_voting::Call::unlock {
				class: input.below(3) as u16,
				target: self.lookup(input),
			}
			.into(),
			// All the account has, free and held, locked in a delegation (less 1 LIN for the
			// call's fee): no job it is party to may stop ending.
			8 => pallet_conviction_voting::Call::delegate {
				class: 0,
				to: self.lookup(input),
				conviction: pallet_conviction_voting::Conviction::Locked1x,
				balance: <Balances as frame_support::traits::fungible::Inspect<_>>::total_balance(
					&who,
				)
				.saturating_sub(LIN),
			}
			.into(),
			6 => {
				let proposal = self.admin_call(input);
				let length_bound = proposal.encoded_size() as u32;
				pallet_collective::Call::propose {
					threshold: 2,
					proposal: Box::new(proposal),
					length_bound,
				}
				.into()
			},
			_ => {
				let proposals = pallet_collective::Proposals::<
					Runtime,
					lineage_runtime::configs::governance::CouncilCollective,
				>::get();
				let Some(hash) = proposals.first().copied() else {
					return (who, pallet_rewards::Call::claim_account {}.into());
				};
				let index = pallet_collective::ProposalCount::<
					Runtime,
					lineage_runtime::configs::governance::CouncilCollective,
				>::get()
				.saturating_sub(1);
				if input.chance(70) {
					pallet_collective::Call::vote {
						proposal: hash,
						index,
						approve: input.chance(80),
					}
					.into()
				} else {
					pallet_collective::Call::close {
						proposal_hash: hash,
						index,
						proposal_weight_bound: frame_support::weights::Weight::from_parts(
							10_000_000_000,
							100_000,
						),
						length_bound: 10_000,
					}
					.into()
				}
			},
		};
		(who, call)
	}

	/// A call from root, the admin track or the Council.
	fn privileged_call(&mut self, input: &mut Input) -> Option<Made> {
		let call = self.admin_call(input);
		let caller = match input.below(3) {
			0 => OriginCaller::system(frame_system::RawOrigin::Root),
			1 => OriginCaller::Origins(
				lineage_runtime::configs::governance::pallet_custom_origins::Origin::LineageAdmin,
			),
			_ => {
				let members = pallet_collective::Members::<
					Runtime,
					lineage_runtime::configs::governance::CouncilCollective,
				>::get()
				.len() as u32;
				OriginCaller::Council(pallet_collective::RawOrigin::Members(members, members))
			},
		};
		let name = name(&call);
		Some(Made { caller: Caller::Privileged(caller), call, name })
	}
}

/// A new parameter set: the current one with one group's values moved, within the bounds or not.
fn pallet_lineage_params_call(input: &mut Input) -> RuntimeCall {
	let mut params = LineageParams::current().params;
	match input.below(4) {
		0 => params.emission.alpha = percent(input),
		1 => params.emission.era_length = 1 + input.below(40),
		2 => params.datasets.dataset_deposit = amount(input),
		_ => params.compute.min_bond = amount(input),
	}
	pallet_lineage_params::Call::set_parameters { params }.into()
}

/// `Pallet.call`, from the call's metadata.
pub fn name(call: &RuntimeCall) -> String {
	use frame_support::traits::GetCallMetadata;
	let meta = call.get_call_metadata();
	format!("{}.{}", meta.pallet_name, meta.function_name)
}
