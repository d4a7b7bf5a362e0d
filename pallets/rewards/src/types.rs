//! The records of pallet-rewards. All bounded, all `MaxEncodedLen`.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::fungible::Inspect;
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::Points;
use scale_info::TypeInfo;
use sp_runtime::{FixedU128, PerThing, Perbill};

use crate::Config;

/// Balance of the currency rewards are minted in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// An era's number: era `e` runs `EraLength` blocks.
pub type EraIndex = u32;

/// The parameter set as stored.
pub type ParametersOf<T> = Parameters<BalanceOf<T>, BlockNumberFor<T>>;

/// How each era's usage-backed emission is split.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub struct Split {
	/// To datasets, by the fees attributed to each; inside a dataset, by contributor points.
	pub data: Perbill,
	/// To model owners, by the price paid for their models.
	pub models: Perbill,
	/// To providers, by the fees they earned.
	pub compute: Perbill,
	/// To the treasury.
	pub treasury: Perbill,
}

impl Split {
	/// Whether the four shares sum to exactly 100%.
	pub fn is_whole(&self) -> bool {
		[self.data, self.models, self.compute, self.treasury]
			.iter()
			.map(|p| u64::from(p.deconstruct()))
			.sum::<u64>()
			== u64::from(Perbill::ACCURACY)
	}
}

/// The governance parameters of Lineage, versioned: each change bumps the version and jobs stamp
/// the version in force.
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
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Parameters<Balance, BlockNumber> {
	/// Emission per unit of fees users paid in the previous era (α); at most `protocol_fee`, so
	/// buying jobs from oneself never pays.
	pub alpha: Perbill,
	/// The treasury's share of every job's escrow.
	pub protocol_fee: Perbill,
	/// The bootstrap allowance of era 0; it decays linearly to zero over `bootstrap_eras` and
	/// is paid by contributor points, not usage.
	pub bootstrap: Balance,
	/// How many eras the bootstrap allowance lasts.
	pub bootstrap_eras: EraIndex,
	/// How usage-backed emission is split.
	pub split: Split,
	/// The share of a fine-tuned version's attribution that goes to its parent's table.
	pub parent_share: Perbill,
	/// Blocks a compute result can be challenged in.
	pub challenge_period: BlockNumber,
	/// Blocks a provider's bond takes to unbond.
	pub unbonding_period: BlockNumber,
}

/// A parameter set with the block it took effect at.
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
pub struct VersionedParameters<Balance, BlockNumber> {
	/// The version.
	pub version: u32,
	/// The parameters.
	pub params: Parameters<Balance, BlockNumber>,
	/// The block it took effect at.
	pub since: BlockNumber,
}

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
	/// Demand: α × fees paid, plus the bootstrap allowance.
	Demand,
	/// The supply cap.
	Cap,
}

/// What happened at the end of an era: the fees it saw, what was minted for them and why, and
/// the per-unit rates its usage earns.
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
	/// The bootstrap allowance for the next era.
	pub bootstrap: Balance,
	/// What was minted: usage-backed (all four pools) plus bootstrap.
	pub minted: Balance,
	/// The usage-backed part of `minted`.
	pub usage: Balance,
	/// The bootstrap part of `minted`.
	pub bootstrap_minted: Balance,
	/// The treasury's share of `usage`, minted to the treasury; the rest goes to the pot.
	pub treasury: Balance,
	/// Which term bounded the emission (`None` when nothing was due).
	pub bound: Option<Bound>,
	/// Reward per unit of dataset fees in this era.
	pub data_rate: FixedU128,
	/// Reward per unit of model fees in this era.
	pub model_rate: FixedU128,
	/// Reward per unit of provider fees in this era.
	pub compute_rate: FixedU128,
}

/// A dataset's rewards: what its contributors earn per point, and the fees it earned in the
/// era it last earned in (folded in once that era's rate is known).
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
pub struct DatasetPool<Balance> {
	/// Contributor points in the dataset.
	pub points: Points,
	/// Reward per point earned so far (usage emission and direct revenue).
	pub per_point: FixedU128,
	/// Fees attributed to the dataset in era `fees_era`.
	pub fees: Balance,
	/// The era of `fees`.
	pub fees_era: EraIndex,
	/// Rewards that arrived while the dataset had no points; shared at the next fold with points.
	pub carry: Balance,
}

/// A contributor's position in a dataset.
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
	/// The dataset's reward per point when the position was last settled.
	pub per_point_paid: FixedU128,
	/// The bootstrap reward per point when the position was last settled.
	pub bootstrap_paid: FixedU128,
	/// Settled and not yet claimed.
	pub pending: Balance,
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
	/// Per dataset, as contributor (`claim(dataset)`), for the page asked.
	pub datasets: alloc::vec::Vec<(lineage_primitives::DatasetId, Balance)>,
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
