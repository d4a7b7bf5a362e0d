//! The records of pallet-rewards. All bounded, all `MaxEncodedLen`.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::fungible::Inspect;
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::{EmissionParams, Points};
use scale_info::TypeInfo;
use sp_runtime::{FixedU128, Perbill};

use crate::Config;

/// Balance of the currency rewards are minted in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// An era's number: era `e` runs the governed era length in blocks.
pub type EraIndex = u32;

/// The emission parameters as the runtime hands them in.
pub type EmissionOf<T> = EmissionParams<BalanceOf<T>, BlockNumberFor<T>>;

/// What users paid in the current era, as settled jobs reported it.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct EraFees<Balance> {
	/// Everything requesters paid (escrows of settled jobs).
	pub paid: Balance,
	/// The datasets' shares.
	pub data: Balance,
	/// The model owners' shares.
	pub models: Balance,
	/// The providers' fees.
	pub compute: Balance,
}

/// Which term bounded an era's emission.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub enum Bound {
	/// The halving schedule.
	Schedule,
	/// Demand: the era's matching rate (α plus the bootstrap rate) × fees paid.
	Demand,
	/// The supply cap.
	Cap,
}

/// An amount per usage pool.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct PoolAmounts<Balance> {
	/// The data pool (datasets, then contributors by points).
	pub data: Balance,
	/// The model pool (model owners).
	pub models: Balance,
	/// The compute pool (providers).
	pub compute: Balance,
}

impl<Balance: sp_runtime::Saturating + Copy> PoolAmounts<Balance> {
	/// The three pools together.
	pub fn total(&self) -> Balance {
		self.data.saturating_add(self.models).saturating_add(self.compute)
	}
}

/// What happened at the end of an era: the fees it saw, what was minted for them and why, and
/// the per-unit rates its usage earns.
///
/// The budget is `min(schedule, alpha × fees.paid)`, never past `MaxSupply`; each pool gets its
/// split share of the budget but at most `alpha` per unit of its own fees (the pool rate cap), so
/// no account earns more than `alpha` per unit of the revenue it earned. What a share would have
/// paid beyond that is `held_back`: it is not minted and stays under `MaxSupply` for later eras.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct EraSummary<Balance> {
	/// The era's fees.
	pub fees: EraFees<Balance>,
	/// The schedule's emission for the next era.
	pub schedule: Balance,
	/// The matching rate applied to the era's fees: α plus the bootstrap rate of the next era.
	pub alpha: Perbill,
	/// `alpha × fees.paid`: what demand alone would back.
	pub demand: Balance,
	/// What was minted: the three pools and the treasury.
	pub minted: Balance,
	/// The treasury's share of the budget, minted to the treasury; the rest goes to the pot.
	pub treasury: Balance,
	/// What each pool's share would have minted beyond `alpha` per unit of the pool's own fees
	/// (a pool with no fees holds back its whole share); not minted.
	pub held_back: PoolAmounts<Balance>,
	/// Which term bounded the budget (`None` when nothing was due).
	pub bound: Option<Bound>,
	/// Reward per unit of dataset fees in this era (at most `alpha`).
	pub data_rate: FixedU128,
	/// Reward per unit of model fees in this era (at most `alpha`).
	pub model_rate: FixedU128,
	/// Reward per unit of provider fees in this era (at most `alpha`).
	pub compute_rate: FixedU128,
}

/// A node of a dataset's reward tree (see the `tree` module): revenue per live point of the
/// snapshots it covers, and the emission that revenue backs.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct Accrual {
	/// Revenue per point of eras that have ended.
	pub revenue: FixedU128,
	/// The emission per point that revenue backs.
	pub emission: FixedU128,
	/// Revenue per point of era `era`, counted with its emission once the era has ended.
	pub pending: FixedU128,
	/// The era of `pending`.
	pub era: EraIndex,
}

/// A contributor's position in a dataset: the points of its contributions that one snapshot
/// holds first (`first_snapshot`). They earn from that snapshot and every later one that holds
/// them, by their share of each snapshot's live points.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct Position<Balance> {
	/// Its points.
	pub points: Points,
	/// Revenue per point its cohort had earned when it was last settled.
	pub revenue_paid: FixedU128,
	/// Emission per point its cohort had earned when it was last settled.
	pub emission_paid: FixedU128,
	/// Revenue settled and not yet claimed.
	pub revenue: Balance,
	/// Emission settled and not yet claimed.
	pub emission: Balance,
}

impl<Balance> Position<Balance> {
	/// The position with `points` more.
	pub fn with_more(mut self, points: Points) -> Self {
		self.points = self.points.saturating_add(points);
		self
	}
}

/// An account's rewards as a model owner and provider.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct AccountPool<Balance> {
	/// Model fees earned in era `era`.
	pub model_fees: Balance,
	/// Provider fees earned in era `era`.
	pub compute_fees: Balance,
	/// The era of the fees.
	pub era: EraIndex,
	/// Settled and not yet claimed.
	pub pending: Balance,
}

/// What an account may claim, as the runtime API reports it.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug, Default)]
pub struct PendingRewards<Balance> {
	/// As model owner and provider (`claim_account`).
	pub account: Balance,
	/// As contributor (`claim(dataset, first_snapshot)`), for the page asked: the dataset, the
	/// first snapshot of the position's points, what a claim would pay, and the emission part of
	/// it (the rest is revenue).
	pub datasets: alloc::vec::Vec<(
		lineage_primitives::DatasetId,
		lineage_primitives::SnapshotVersion,
		Balance,
		Balance,
	)>,
}

/// What an account may claim, as version 2 of the runtime API reported it: per dataset.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug, Default)]
pub struct PendingRewardsV2<Balance> {
	/// As model owner and provider.
	pub account: Balance,
	/// Per dataset: the dataset, what a claim would pay, and the emission part of it.
	pub datasets: alloc::vec::Vec<(lineage_primitives::DatasetId, Balance, Balance)>,
}

/// The current era, as the runtime API reports it.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct EraInfo<Balance, BlockNumber> {
	/// The era's index.
	pub index: EraIndex,
	/// Its first block.
	pub start: BlockNumber,
	/// Its length in blocks.
	pub length: BlockNumber,
	/// Fees so far.
	pub fees: EraFees<Balance>,
}
