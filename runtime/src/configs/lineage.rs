//! The Lineage pallets: datasets, models, compute and rewards. The governance parameters
//! (protocol fee, parent share, compute periods) live in the rewards pallet's versioned set; the
//! other pallets read them through the adapters below.

use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32, ConstU8},
	PalletId,
};
use sp_runtime::traits::AccountIdConversion;

use pallet_compute::JobKind;
use sp_runtime::{FixedU128, Perbill};

use crate::{
	AccountId, Balance, Balances, BlockNumber, Compute, Datasets, Models, Rewards, Runtime,
	RuntimeHoldReason, DAYS, LIN, MILLI_LIN,
};

parameter_types! {
	/// The treasury's pallet id; its account receives slashes and protocol fees.
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	/// The treasury account.
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
	/// At most 90% of a version's price goes to its builder; the data always gets 10% or more.
	pub const MaxBuilderShare: Perbill = Perbill::from_percent(90);
	/// The rewards pot's pallet id; its account receives the datasets' share of settled jobs.
	pub const RewardsPalletId: PalletId = PalletId(*b"py/rwrds");
	/// A provider locks 1.5 × the fee per job.
	pub const CollateralRatio: FixedU128 = FixedU128::from_rational(3, 2);
	/// A challenger wins half the slashed collateral, a provider half a slashed challenge bond.
	pub const HalfReward: Perbill = Perbill::from_percent(50);
	/// The most ever minted on top of the genesis supply: ten million LIN.
	pub const MaxSupply: Balance = 10_000_000 * LIN;
	/// The schedule's emission in era 0: 1,000 LIN.
	pub const InitialEraEmission: Balance = 1_000 * LIN;
}

/// The account holding data revenue until contributors claim it: the rewards pallet's pot.
pub struct DataRevenueAccount;
impl frame_support::traits::Get<AccountId> for DataRevenueAccount {
	fn get() -> AccountId {
		Rewards::pot()
	}
}

/// Reads one field of the governance parameters in force.
macro_rules! parameter {
	($name:ident: $type:ty = $field:ident) => {
		#[doc = concat!("The governance parameter `", stringify!($field), "` in force.")]
		pub struct $name;
		impl frame_support::traits::Get<$type> for $name {
			fn get() -> $type {
				Rewards::parameters().params.$field
			}
		}
	};
}

parameter!(ParentShare: Perbill = parent_share);
parameter!(ProtocolFee: Perbill = protocol_fee);
parameter!(UnbondingPeriod: BlockNumber = unbonding_period);

/// The governed terms a compute job of each kind is submitted under, from the parameters in
/// force: its kind's challenge period, the resolution period, the protocol fee, the version.
pub struct JobTerms;
impl sp_runtime::traits::Convert<JobKind, pallet_compute::JobTerms<BlockNumber>> for JobTerms {
	fn convert(kind: JobKind) -> pallet_compute::JobTerms<BlockNumber> {
		let current = Rewards::parameters();
		let periods = current.params.challenge_periods;
		pallet_compute::JobTerms {
			params_version: current.version,
			protocol_fee: current.params.protocol_fee,
			challenge_period: match kind {
				JobKind::Training => periods.training,
				JobKind::FineTune => periods.fine_tune,
				JobKind::Inference => periods.inference,
				JobKind::Evaluation => periods.evaluation,
			},
			resolution_period: current.params.resolution_period,
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
	/// 10 LIN per dataset.
	type DatasetDeposit = ConstU128<{ 10 * LIN }>;
	/// 10 mLIN per contribution record (about 700 bytes of storage).
	type ContributionRecordDeposit = ConstU128<{ 10 * MILLI_LIN }>;
	type MaxUriLen = ConstU32<256>;
	type MaxCurators = ConstU32<16>;
	type DefaultQuality = ConstU8<50>;
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
	/// 10 LIN per model.
	type ModelDeposit = ConstU128<{ 10 * LIN }>;
	/// 1 LIN per version (a record of up to about 1.4 kB).
	type VersionDeposit = ConstU128<{ LIN }>;
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
	/// Settled jobs feed the rewards pallet: era fees and per-dataset, per-owner and
	/// per-provider usage.
	type Revenue = Rewards;
	/// Challenges: root or a Council majority; the job's record names which.
	type ArbiterOrigin = super::governance::ComputeArbiter;
	type Treasury = TreasuryAccount;
	type DataRevenueAccount = DataRevenueAccount;
	type ProtocolFee = ProtocolFee;
	type CollateralRatio = CollateralRatio;
	type MinCollateral = ConstU128<{ LIN }>;
	type MinBond = ConstU128<{ 100 * LIN }>;
	type ChallengeBond = ConstU128<{ 10 * LIN }>;
	type ChallengerReward = HalfReward;
	type ProviderReward = HalfReward;
	/// 100 mLIN per job record (up to about 7 kB).
	type RecordDeposit = ConstU128<{ 100 * MILLI_LIN }>;
	type UnbondingPeriod = UnbondingPeriod;
	type Terms = JobTerms;
	/// Records stay at least 30 days after their job ends.
	type RecordRetention = ConstU32<{ 30 * DAYS }>;
	/// Deadlines up to 7 days ahead.
	type MaxDeadline = ConstU32<{ 7 * DAYS }>;
	type MaxUriLen = ConstU32<256>;
	type MaxProviders = ConstU32<1_000>;
	type DuePageSize = ConstU32<64>;
	type WeightInfo = pallet_compute::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = DatasetSnapshots;
}

impl pallet_rewards::Config for Runtime {
	type Currency = Balances;
	/// Parameters: root or the admin track.
	type AdminOrigin = super::governance::AdminOrigin;
	type PalletId = RewardsPalletId;
	type Treasury = TreasuryAccount;
	type MaxSupply = MaxSupply;
	type InitialEraEmission = InitialEraEmission;
	/// Halving every 8,760 eras: a year of hourly eras.
	type HalvingEras = ConstU32<8_760>;
	type MaxParamsHistory = ConstU32<64>;
	/// No governed period longer than 30 days.
	type MaxPeriod = ConstU32<{ 30 * DAYS }>;
	type MaxPageSize = ConstU32<100>;
	type WeightInfo = pallet_rewards::weights::SubstrateWeight<Runtime>;
}

/// Creates the snapshots the models benchmarks train on, through the datasets pallet's calls.
#[cfg(feature = "runtime-benchmarks")]
pub struct DatasetSnapshots;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_models::BenchmarkHelper for DatasetSnapshots {
	/// Snapshot 2 of a new dataset, usable, and as costly to check as any: a range of tainted
	/// snapshots lies on each side of it (1 and 3), so the check reads both.
	fn snapshot(index: u32) -> lineage_primitives::SnapshotRef {
		use frame_support::traits::fungible::Mutate;
		use lineage_primitives::{Consent, ContentRef, Licence};

		let owner: AccountId = frame_benchmarking::account("dataset-owner", index, 0);
		Balances::set_balance(&owner, 1_000 * LIN);
		let signed = || crate::RuntimeOrigin::signed(owner.clone());
		let item = |n: u8| {
			let mut hash = [n; 32];
			hash[..4].copy_from_slice(&index.to_le_bytes());
			ContentRef::new(hash.into(), b"ipfs://item", 1).expect("short URI")
		};
		let dataset = pallet_datasets::NextDatasetId::<Runtime>::get();
		let policy = pallet_datasets::Policy {
			admission: pallet_datasets::Admission::Open,
			contribution_deposit: 0,
			reject_slash: Perbill::zero(),
			min_consent: Consent::default(),
		};
		Datasets::create_dataset(signed(), item(0), Licence::Cc0, policy).expect("dataset created");
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
	/// A priced version whose attribution table holds 64 datasets: four generations of 16.
	fn model_version() -> lineage_primitives::ModelVersionId {
		use frame_support::traits::fungible::Mutate;
		use lineage_primitives::{ContentRef, Licence};
		use pallet_models::BenchmarkHelper;

		let owner: AccountId = frame_benchmarking::account("model-owner", 0, 0);
		Balances::set_balance(&owner, 1_000 * LIN);
		let signed = || crate::RuntimeOrigin::signed(owner.clone());
		let card = ContentRef::new([7u8; 32].into(), b"ipfs://model", 1).expect("short URI");
		let model = pallet_models::NextModelId::<Runtime>::get();
		Models::register_model(signed(), card.clone(), Licence::Apache2).expect("registered");
		let mut parent = None;
		for generation in 0..4u32 {
			let inputs: alloc::vec::Vec<_> = (0..16u32)
				.map(|i| pallet_models::TrainingInput {
					snapshot: Self::snapshot(10_000 + generation * 16 + i),
					weight: Perbill::from_parts(62_500_000),
				})
				.collect();
			let version = pallet_models::NextVersionId::<Runtime>::get();
			Models::publish_version(
				signed(),
				model,
				card.clone(),
				inputs.try_into().expect("16 inputs"),
				parent,
				Perbill::from_percent(50),
				LIN,
			)
			.expect("published");
			parent = Some(version);
		}
		parent.expect("four generations")
	}
}
