//! Governance: OpenGov (Referenda, ConvictionVoting, Scheduler, Preimage) with a root track and
//! an admin track, a Council (collective, members managed by CouncilMembership) that arbitrates
//! compute challenges and can fast-track takedowns, and a Treasury that receives protocol fees
//! and slashes and pays spends approved on the root track.

pub mod origins;
mod tracks;

pub use origins::pallet_custom_origins::{self, LineageAdmin, ReferendumCanceller};
pub use tracks::TracksInfo;

use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration,
		tokens::{currency::ActiveIssuanceOf, PayFromAccount, UnityAssetBalanceConversion},
		ConstU32, EitherOf, EnsureOrigin, EqualPrivilegeOnly, LinearStoragePrice, OriginTrait,
	},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureSigned};
use sp_runtime::{traits::IdentityLookup, Perbill};

use super::{RuntimeBlockWeights, TreasuryAccount, TreasuryPalletId};
use crate::{
	AccountId, Balance, Balances, BlockNumber, Council, OriginCaller, Preimage, Referenda, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler, System, Treasury, DAYS,
	LIN, MILLI_LIN, MINUTES,
};

/// The Council's collective instance.
pub type CouncilCollective = pallet_collective::Instance1;

/// Root, or a referendum on the admin track: the `AdminOrigin` of the Lineage pallets.
pub type AdminOrigin = EitherOf<EnsureRoot<AccountId>, LineageAdmin>;

/// Root, or more than half of the Council: resolves compute challenges.
pub type CouncilMajority = EitherOf<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionMoreThan<AccountId, CouncilCollective, 1, 2>,
>;

/// Root, or more than half of the Council: resolves compute challenges, and says which of the two
/// ruled (with the Council's ayes and size) so that the job's record names who ruled.
pub struct ComputeArbiter;
impl EnsureOrigin<RuntimeOrigin> for ComputeArbiter {
	type Success = pallet_compute::Arbiter;

	fn try_origin(origin: RuntimeOrigin) -> Result<Self::Success, RuntimeOrigin> {
		let arbiter = match origin.caller() {
			OriginCaller::system(frame_system::RawOrigin::Root) => {
				Some(pallet_compute::Arbiter::Root)
			},
			OriginCaller::Council(pallet_collective::RawOrigin::Members(ayes, members))
				if u64::from(*ayes) * 2 > u64::from(*members) =>
			{
				Some(pallet_compute::Arbiter::Council { ayes: *ayes, members: *members })
			},
			_ => None,
		};
		arbiter.ok_or(origin)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(RuntimeOrigin::root())
	}
}

/// The admin origin, or two thirds of the Council (a fast-tracked takedown).
pub type AdminOrCouncilTwoThirds = EitherOf<
	AdminOrigin,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>,
>;

impl pallet_custom_origins::Config for Runtime {}

parameter_types! {
	pub const PreimageBaseDeposit: Balance = LIN;
	pub const PreimageByteDeposit: Balance = MILLI_LIN;
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_preimage::WeightInfo<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	/// 1 LIN + 1 mLIN per byte, held while the preimage is stored.
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

parameter_types! {
	pub MaximumSchedulerWeight: Weight =
		Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = crate::weights::pallet_scheduler::WeightInfo<Runtime>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// Conviction locks last multiples of a minute on the devnet (production: 7 days).
	pub const VoteLockingPeriod: BlockNumber = MINUTES;
	pub const SubmissionDeposit: Balance = 10 * LIN;
	pub const UndecidingTimeout: BlockNumber = 14 * DAYS;
}

impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_conviction_voting::WeightInfo<Runtime>;
	type Currency = Balances;
	type Polls = Referenda;
	type MaxTurnout = ActiveIssuanceOf<Balances, AccountId>;
	type MaxVotes = ConstU32<512>;
	type VoteLockingPeriod = VoteLockingPeriod;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_referenda::WeightInfo<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = EnsureSigned<AccountId>;
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, ReferendumCanceller>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Slash = Treasury;
	type Votes = pallet_conviction_voting::VotesOf<Runtime>;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	type UndecidingTimeout = UndecidingTimeout;
	type AlarmInterval = ConstU32<1>;
	type Tracks = TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// Council motions stay open for a day (production: 3 days).
	pub const CouncilMotionDuration: BlockNumber = DAYS;
	pub const CouncilMaxProposals: u32 = 100;
	pub const CouncilMaxMembers: u32 = 100;
	pub MaxCollectivesProposalWeight: Weight =
		Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = CouncilMaxMembers;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = crate::weights::pallet_collective::WeightInfo<Runtime>;
	/// Members change only through CouncilMembership.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCollectivesProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

/// The Council's membership changes only by referendum (root or the admin track), never by the
/// Council itself: a majority cannot remove the members who would overrule it.
impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = AdminOrigin;
	type RemoveOrigin = AdminOrigin;
	type SwapOrigin = AdminOrigin;
	type ResetOrigin = AdminOrigin;
	type PrimeOrigin = AdminOrigin;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = crate::weights::pallet_membership::WeightInfo<Runtime>;
}

parameter_types! {
	pub const SpendPeriod: BlockNumber = DAYS;
	pub const PayoutPeriod: BlockNumber = 30 * DAYS;
	pub const MaxBalance: Balance = Balance::MAX;
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = CouncilMajority;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	/// Nothing is burnt.
	type Burn = ();
	/// `py/trsry`: the account the Lineage pallets pay protocol fees and slashes into.
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = crate::weights::pallet_treasury::WeightInfo<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<100>;
	/// Spends are approved on the root track.
	type SpendOrigin = EnsureRootWithSuccess<AccountId, MaxBalance>;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = IdentityLookup<AccountId>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = PayoutPeriod;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TreasuryBenchmarkHelper;
	type BlockNumberProvider = System;
}

/// The treasury benchmarks' beneficiaries: accounts that already hold the existential deposit, so
/// that the benchmarked payout (100 plancks) is a payment to a live account, as real spends are.
#[cfg(feature = "runtime-benchmarks")]
pub struct TreasuryBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_treasury::ArgumentsFactory<(), AccountId> for TreasuryBenchmarkHelper {
	fn create_asset_kind(_seed: u32) {}

	fn create_beneficiary(seed: [u8; 32]) -> AccountId {
		use frame_support::traits::fungible::Mutate;
		let who = AccountId::from(seed);
		Balances::mint_into(&who, crate::EXISTENTIAL_DEPOSIT)
			.expect("minting the existential deposit into a new account succeeds");
		who
	}
}
