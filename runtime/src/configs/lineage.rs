//! The Lineage pallets: datasets, models, compute, rewards and their governed parameter set
//! (`LineageParams`). The other pallets read each parameter through the adapters below, so none
//! of them depends on the parameters pallet.

use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32},
	PalletId,
};
use lineage_primitives::{
	ChallengePeriods, ComputeParams, DatasetParams, EmissionParams, ModelParams, Parameters, Split,
};
use pallet_compute::JobKind;
use sp_runtime::{traits::AccountIdConversion, FixedU128, Perbill};

use crate::{
	AccountId, Balance, Balances, BlockNumber, Compute, Datasets, LineageParams, Models, Rewards,
	Runtime, RuntimeHoldReason, DAYS, HOURS, LIN, MILLI_LIN, MINUTES,
};

parameter_types! {
	/// The treasury's pallet id; its account receives slashes and protocol fees.
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	/// The treasury account.
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
	/// The rewards pot's pallet id; its account receives the datasets' share of settled jobs.
	pub const RewardsPalletId: PalletId = PalletId(*b"py/rwrds");
	/// The most ever minted on top of the genesis supply: ten million LIN. Not a governed
	/// parameter: the cap is a promise to holders that no vote can raise.
	pub const MaxSupply: Balance = 10_000_000 * LIN;
}

/// The account holding data revenue until contributors claim it: the rewards pallet's pot.
pub struct DataRevenueAccount;
impl frame_support::traits::Get<AccountId> for DataRevenueAccount {
	fn get() -> AccountId {
		Rewards::pot()
	}
}

/// How long the chain's periods are.
pub(crate) struct Periods {
	/// Blocks per reward era.
	pub era: BlockNumber,
	/// Blocks a compute result can be challenged in: training, fine-tuning, inference and
	/// evaluation.
	pub challenge: ChallengePeriods<BlockNumber>,
	/// Blocks the arbiter has to rule on a challenge.
	pub resolution: BlockNumber,
	/// Blocks a provider's bond takes to unbond.
	pub unbonding: BlockNumber,
}

/// Production periods: hourly eras; a day to check a training result, six hours for a
/// fine-tune, ten minutes for an inference or an evaluation; three days for the Council to rule
/// (a motion runs a day); seven-day unbonding.
pub(crate) const PRODUCTION: Periods = Periods {
	era: HOURS,
	challenge: ChallengePeriods {
		training: DAYS,
		fine_tune: 6 * HOURS,
		inference: 10 * MINUTES,
		evaluation: 10 * MINUTES,
	},
	resolution: 3 * DAYS,
	unbonding: 7 * DAYS,
};

/// The first parameter set, with `periods`:
/// - emission: α 5% of fees (half the 10% protocol fee), raised by a bootstrap rate of 4% that
///   decays to zero over 30 days of eras (early payments are matched at up to 9%, still under
///   the protocol fee); split 40% data, 20% models, 30% compute, 10% treasury; 1,000 LIN in era
///   0, halving every 8,760 eras (a year of hourly eras);
/// - datasets: 10 LIN per dataset, 10 mLIN per contribution record (about 700 bytes), open
///   contributions at quality 50;
/// - models: 10 LIN per model, 1 LIN per version (a record of up to about 1.4 kB), at most 90%
///   of a price to its builder, 30% of a fine-tune's attribution to its parent's data;
/// - compute: a 10% protocol fee, bonds of at least 100 LIN, collateral 1.5 × the fee (at
///   least 1 LIN), a 10 LIN challenge bond, half of what is slashed to the winning side, 100
///   mLIN per job record (up to about 7 kB).
pub(crate) fn parameters(periods: &Periods) -> Parameters<Balance, BlockNumber> {
	Parameters {
		emission: EmissionParams {
			alpha: Perbill::from_percent(5),
			bootstrap: Perbill::from_percent(4),
			bootstrap_eras: 30 * DAYS / periods.era,
			split: Split {
				data: Perbill::from_percent(40),
				models: Perbill::from_percent(20),
				compute: Perbill::from_percent(30),
				treasury: Perbill::from_percent(10),
			},
			era_emission: 1_000 * LIN,
			halving_eras: 8_760,
			era_length: periods.era,
		},
		datasets: DatasetParams {
			dataset_deposit: 10 * LIN,
			record_deposit: 10 * MILLI_LIN,
			default_quality: 50,
		},
		models: ModelParams {
			model_deposit: 10 * LIN,
			version_deposit: LIN,
			max_builder_share: Perbill::from_percent(90),
			parent_share: Perbill::from_percent(30),
		},
		compute: ComputeParams {
			protocol_fee: Perbill::from_percent(10),
			min_bond: 100 * LIN,
			collateral_ratio: FixedU128::from_rational(3, 2),
			min_collateral: LIN,
			challenge_bond: 10 * LIN,
			challenger_reward: Perbill::from_percent(50),
			provider_reward: Perbill::from_percent(50),
			record_deposit: 100 * MILLI_LIN,
			challenge_periods: periods.challenge,
			resolution_period: periods.resolution,
			unbonding_period: periods.unbonding,
		},
	}
}

parameter_types! {
	/// The set in force when genesis sets none: production values.
	pub Defaults: Parameters<Balance, BlockNumber> = parameters(&PRODUCTION);
}

impl pallet_lineage_params::Config for Runtime {
	type Balance = Balance;
	/// Parameter changes: root or the admin track.
	type AdminOrigin = super::governance::AdminOrigin;
	type Defaults = Defaults;
	type MaxHistory = ConstU32<64>;
	/// No period longer than 30 days.
	type MaxPeriod = ConstU32<{ 30 * DAYS }>;
	/// No deposit or bond above 10,000 LIN.
	type MaxDeposit = ConstU128<{ 10_000 * LIN }>;
	/// No era emission above 10,000 LIN (ten times the first one).
	type MaxEraEmission = ConstU128<{ 10_000 * LIN }>;
	type WeightInfo = pallet_lineage_params::weights::SubstrateWeight<Runtime>;
}

/// Reads one value (or group) of the parameter set in force.
macro_rules! parameter {
	($name:ident: $type:ty = $($path:ident).+) => {
		#[doc = concat!("The governed `", stringify!($($path).+), "` in force.")]
		pub struct $name;
		impl frame_support::traits::Get<$type> for $name {
			fn get() -> $type {
				LineageParams::current().params.$($path).+
			}
		}
	};
}

parameter!(DatasetDeposit: Balance = datasets.dataset_deposit);
parameter!(ContributionRecordDeposit: Balance = datasets.record_deposit);
parameter!(DefaultQuality: u8 = datasets.default_quality);
parameter!(ModelDeposit: Balance = models.model_deposit);
parameter!(VersionDeposit: Balance = models.version_deposit);
parameter!(MaxBuilderShare: Perbill = models.max_builder_share);
parameter!(ParentShare: Perbill = models.parent_share);
parameter!(ProtocolFee: Perbill = compute.protocol_fee);
parameter!(MinBond: Balance = compute.min_bond);
parameter!(CollateralRatio: FixedU128 = compute.collateral_ratio);
parameter!(MinCollateral: Balance = compute.min_collateral);
parameter!(ChallengeBond: Balance = compute.challenge_bond);
parameter!(JobRecordDeposit: Balance = compute.record_deposit);
parameter!(UnbondingPeriod: BlockNumber = compute.unbonding_period);

parameter!(Emission: EmissionParams<Balance, BlockNumber> = emission);

/// The governed terms a compute job of each kind is submitted under, from the set in force: its
/// kind's challenge period, the resolution period, the protocol fee, the slash shares, the
/// version.
pub struct JobTerms;
impl sp_runtime::traits::Convert<JobKind, pallet_compute::JobTerms<BlockNumber>> for JobTerms {
	fn convert(kind: JobKind) -> pallet_compute::JobTerms<BlockNumber> {
		let current = LineageParams::current();
		let compute = current.params.compute;
		let periods = compute.challenge_periods;
		pallet_compute::JobTerms {
			params_version: current.version,
			protocol_fee: compute.protocol_fee,
			challenge_period: match kind {
				JobKind::Training => periods.training,
				JobKind::FineTune => periods.fine_tune,
				JobKind::Inference => periods.inference,
				JobKind::Evaluation => periods.evaluation,
			},
			resolution_period: compute.resolution_period,
			challenger_reward: compute.challenger_reward,
			provider_reward: compute.provider_reward,
		}
	}
}

impl pallet_datasets::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Takedowns: root, the admin track, or two thirds of the Council (fast track).
	type AdminOrigin = super::governance::AdminOrCouncilTwoThirds;
	/// Contributor points feed the rewards pallet's accumulators.
	type Points = Rewards;
	type SlashDestination = TreasuryAccount;
	type DatasetDeposit = DatasetDeposit;
	type ContributionRecordDeposit = ContributionRecordDeposit;
	type MaxUriLen = ConstU32<256>;
	type MaxCurators = ConstU32<16>;
	type DefaultQuality = DefaultQuality;
	/// Thirty days: a withdrawal reaches every model at most a month after its next use.
	type MaxWithdrawalGrace = ConstU32<{ 30 * DAYS }>;
	type MaxPageSize = ConstU32<100>;
	type WeightInfo = pallet_datasets::weights::SubstrateWeight<Runtime>;
}

impl pallet_models::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Snapshots, licences, consent and taint come from the datasets pallet, through
	/// `DatasetInspect` only.
	type Datasets = Datasets;
	type Jobs = Compute;
	/// Revocations: root or the admin track.
	type AdminOrigin = super::governance::AdminOrigin;
	type ParentShare = ParentShare;
	type MaxBuilderShare = MaxBuilderShare;
	type ModelDeposit = ModelDeposit;
	type VersionDeposit = VersionDeposit;
	type MaxUriLen = ConstU32<256>;
	type MaxInputs = ConstU32<16>;
	type MaxAttributionEntries = ConstU32<{ lineage_primitives::MAX_ATTRIBUTION_ENTRIES }>;
	type MaxLineageDepth = ConstU32<8>;
	type MaxPageSize = ConstU32<100>;
	type WeightInfo = pallet_models::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = DatasetSnapshots;
}

impl pallet_compute::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Versions, prices, attribution and taint come from the models pallet, through
	/// `ModelInspect` only.
	type Models = Models;
	/// Which contributions a training job's snapshot holds: the datasets pallet, through
	/// `DatasetInspect` only.
	type Datasets = Datasets;
	/// Settled jobs feed the rewards pallet: era fees and per-dataset, per-owner and
	/// per-provider usage.
	type Revenue = Rewards;
	/// Challenges: root or a Council majority; the job's record names which.
	type ArbiterOrigin = super::governance::ComputeArbiter;
	type Treasury = TreasuryAccount;
	type DataRevenueAccount = DataRevenueAccount;
	type ProtocolFee = ProtocolFee;
	type CollateralRatio = CollateralRatio;
	type MinCollateral = MinCollateral;
	type MinBond = MinBond;
	type ChallengeBond = ChallengeBond;
	type RecordDeposit = JobRecordDeposit;
	type UnbondingPeriod = UnbondingPeriod;
	type Terms = JobTerms;
	/// Records stay at least 30 days after their job ends.
	type RecordRetention = ConstU32<{ 30 * DAYS }>;
	/// Deadlines up to 7 days ahead.
	type MaxDeadline = ConstU32<{ 7 * DAYS }>;
	type MaxUriLen = ConstU32<256>;
	type DuePageSize = ConstU32<64>;
	type MaxPageSize = ConstU32<100>;
	/// Normal calls take 75% of a block (`configs/system.rs`), so at least 3; one more for the
	/// block's own hooks and inherents, which `on_idle` waits behind.
	type DueWorkFactor = ConstU32<4>;
	// The reference workload's inference is re-executed on chain; 128 KiB of model, prompt and
	// output take a small share of a block (see the weights).
	type ResultCheck = pallet_compute::ReferenceWorkload;
	type MaxCheckBytes = ConstU32<{ 128 * 1024 }>;
	type WeightInfo = pallet_compute::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = DatasetSnapshots;
}

impl pallet_rewards::Config for Runtime {
	type Currency = Balances;
	type PalletId = RewardsPalletId;
	type Treasury = TreasuryAccount;
	type MaxSupply = MaxSupply;
	type Emission = Emission;
	type MaxPageSize = ConstU32<100>;
	/// A year of one-hour eras (`local`); six days of the development chain's one-minute eras.
	type EraHistory = ConstU32<8_760>;
	type WeightInfo = pallet_rewards::weights::SubstrateWeight<Runtime>;
}

/// Creates the snapshots the models benchmarks train on, through the datasets pallet's calls.
#[cfg(feature = "runtime-benchmarks")]
pub struct DatasetSnapshots;

/// A new open dataset of CC0 with no deposits and no grace, owned by a funded benchmark account
/// `name`/`index` and described by `card`: its owner and id.
#[cfg(feature = "runtime-benchmarks")]
fn open_dataset(
	name: &'static str,
	index: u32,
	card: lineage_primitives::ContentRef,
) -> (AccountId, lineage_primitives::DatasetId) {
	use frame_support::traits::fungible::Mutate;
	use lineage_primitives::{Consent, Licence};

	let owner: AccountId = frame_benchmarking::account(name, index, 0);
	Balances::set_balance(&owner, 1_000 * LIN);
	let dataset = pallet_datasets::NextDatasetId::<Runtime>::get();
	let policy = pallet_datasets::Policy {
		admission: pallet_datasets::Admission::Open,
		contribution_deposit: 0,
		reject_slash: Perbill::zero(),
		min_consent: Consent::default(),
		withdrawal_grace: 0,
	};
	Datasets::create_dataset(
		crate::RuntimeOrigin::signed(owner.clone()),
		card,
		Licence::Cc0,
		policy,
	)
	.expect("dataset created");
	(owner, dataset)
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_models::BenchmarkHelper for DatasetSnapshots {
	/// Snapshot 2 of a new dataset, usable, and as costly to check as any: a range of tainted
	/// snapshots lies on each side of it (1 and 3), so the check reads both.
	fn snapshot(index: u32) -> lineage_primitives::SnapshotRef {
		use lineage_primitives::{Consent, ContentRef, Licence};

		let item = |n: u8| {
			let mut hash = [n; 32];
			hash[..4].copy_from_slice(&index.to_le_bytes());
			ContentRef::new(hash.into(), b"ipfs://item", 1).expect("short URI")
		};
		let (owner, dataset) = open_dataset("dataset-owner", index, item(0));
		let signed = || crate::RuntimeOrigin::signed(owner.clone());
		for n in 1..=3u8 {
			let contribution = pallet_datasets::NextContributionId::<Runtime>::get();
			Datasets::contribute(signed(), dataset, item(n), Licence::Cc0, Consent::FULL)
				.expect("item contributed");
			Datasets::snapshot(signed(), dataset).expect("snapshot taken");
			if n != 2 {
				Datasets::withdraw_consent(signed(), contribution).expect("consent withdrawn");
			}
		}
		lineage_primitives::SnapshotRef { dataset, version: 2 }
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_compute::BenchmarkHelper for DatasetSnapshots {
	/// A priced version with `ancestors` ancestors whose table holds `datasets` entries. The
	/// generations are published through the models pallet's calls, each trained on one
	/// snapshot; the last one's table is then written with `datasets` usable snapshots, since
	/// the benchmark varies datasets and ancestors independently and the calls fit at most
	/// `MaxInputs` new datasets in a generation (checking a table costs the same however it was
	/// built).
	fn model_version(datasets: u32, ancestors: u32) -> lineage_primitives::ModelVersionId {
		use frame_support::traits::fungible::Mutate;
		use lineage_primitives::{AttributionEntry, ContentRef, Licence};
		use pallet_models::BenchmarkHelper;

		let owner: AccountId = frame_benchmarking::account("model-owner", 0, 0);
		Balances::set_balance(&owner, 1_000 * LIN);
		let signed = || crate::RuntimeOrigin::signed(owner.clone());
		let card = ContentRef::new([7u8; 32].into(), b"ipfs://model", 1).expect("short URI");
		let model = pallet_models::NextModelId::<Runtime>::get();
		Models::register_model(signed(), card.clone(), Licence::Apache2).expect("registered");
		let snapshots: alloc::vec::Vec<_> =
			(0..datasets.max(1)).map(|i| Self::snapshot(10_000 + i)).collect();
		let mut parent = None;
		for _ in 0..=ancestors {
			let input =
				pallet_models::TrainingInput { snapshot: snapshots[0], weight: Perbill::one() };
			let version = pallet_models::NextVersionId::<Runtime>::get();
			Models::publish_version(
				signed(),
				model,
				card.clone(),
				alloc::vec![input].try_into().expect("one input"),
				parent,
				Perbill::from_percent(50),
				LIN,
			)
			.expect("published");
			parent = Some(version);
		}
		let version = parent.expect("at least one generation");
		let count = snapshots.len() as u32;
		let share = Perbill::from_rational(1, count);
		let rest =
			Perbill::from_parts(Perbill::one().deconstruct() - share.deconstruct() * (count - 1));
		let table: alloc::vec::Vec<_> = snapshots
			.iter()
			.enumerate()
			.map(|(at, &snapshot)| AttributionEntry {
				snapshot,
				share: if at == 0 { rest } else { share },
			})
			.collect();
		pallet_models::Versions::<Runtime>::mutate(version, |record| {
			let record = record.as_mut().expect("published");
			record.attribution = table.try_into().expect("at most MAX_ATTRIBUTION_ENTRIES");
		});
		version
	}

	fn set_artifact(version: lineage_primitives::ModelVersionId, artifact: sp_core::H256) {
		pallet_models::Versions::<Runtime>::mutate(version, |record| {
			if let Some(record) = record {
				record.artifact.hash = artifact;
			}
		});
	}

	/// Snapshot 1 of a new open dataset holding one contribution of hash `content`, through
	/// the datasets pallet's calls.
	fn snapshot_holding(
		content: sp_core::H256,
	) -> (lineage_primitives::SnapshotRef, lineage_primitives::ContributionId) {
		use lineage_primitives::{Consent, ContentRef, Licence};

		let card = ContentRef::new([9u8; 32].into(), b"ipfs://card", 1).expect("short URI");
		let (owner, dataset) = open_dataset("training-data", 0, card);
		let signed = || crate::RuntimeOrigin::signed(owner.clone());
		let contribution = pallet_datasets::NextContributionId::<Runtime>::get();
		let item = ContentRef::new(content, b"ipfs://item", 1).expect("short URI");
		Datasets::contribute(signed(), dataset, item, Licence::Cc0, Consent::FULL)
			.expect("item contributed");
		Datasets::snapshot(signed(), dataset).expect("snapshot taken");
		(lineage_primitives::SnapshotRef { dataset, version: 1 }, contribution)
	}
}
