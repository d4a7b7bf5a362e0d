//! The economic parameters of Lineage: one governed, versioned set, grouped by the pallet that
//! reads each value. The parameters pallet stores it and checks every change; the runtime hands
//! each value to the pallet that uses it.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{FixedU128, PerThing, Perbill};

/// Derives shared by every parameter group.
macro_rules! parameter_group {
	($(#[$meta:meta])* pub struct $name:ident $($rest:tt)*) => {
		$(#[$meta])*
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
		pub struct $name $($rest)*
	};
}

parameter_group! {
	/// How each era's usage-backed emission is split.
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

parameter_group! {
	/// How long a compute result can be challenged, per kind of job: checking a training run
	/// takes longer than checking an inference.
	pub struct ChallengePeriods<BlockNumber> {
		/// For training jobs.
		pub training: BlockNumber,
		/// For fine-tuning jobs.
		pub fine_tune: BlockNumber,
		/// For inference jobs.
		pub inference: BlockNumber,
		/// For evaluation jobs.
		pub evaluation: BlockNumber,
	}
}

impl<BlockNumber: Copy> ChallengePeriods<BlockNumber> {
	/// Every period, training first.
	pub fn all(&self) -> [BlockNumber; 4] {
		[self.training, self.fine_tune, self.inference, self.evaluation]
	}
}

parameter_group! {
	/// What the rewards pallet reads: the matching rate, the schedule and the era.
	pub struct EmissionParams<Balance, BlockNumber> {
		/// Emission per unit of fees users paid in the previous era (α). With the bootstrap
		/// rate it is at most the protocol fee, so buying jobs from oneself never pays.
		pub alpha: Perbill,
		/// An extra matching rate added to α in era 0, decaying linearly to zero over
		/// `bootstrap_eras`. It matches real payments only (never points).
		pub bootstrap: Perbill,
		/// How many eras the bootstrap rate lasts.
		pub bootstrap_eras: u32,
		/// How usage-backed emission is split.
		pub split: Split,
		/// The schedule's emission in era 0; it halves every `halving_eras`.
		pub era_emission: Balance,
		/// How many eras each halving of the schedule takes.
		pub halving_eras: u32,
		/// Blocks per era; a change applies to the era in progress.
		pub era_length: BlockNumber,
	}
}

parameter_group! {
	/// What the datasets pallet reads.
	pub struct DatasetParams<Balance> {
		/// Held from a dataset's owner while the dataset is open.
		pub dataset_deposit: Balance,
		/// Held from a contributor while a contribution's record exists.
		pub record_deposit: Balance,
		/// The quality given to contributions to an open dataset (1..=100).
		pub default_quality: u8,
	}
}

parameter_group! {
	/// What the models pallet reads.
	pub struct ModelParams<Balance> {
		/// Held from a model's owner while the model exists.
		pub model_deposit: Balance,
		/// Held from a version's publisher until the version is retired.
		pub version_deposit: Balance,
		/// The most of a version's price that may go to its builder; the data gets the rest.
		pub max_builder_share: Perbill,
		/// The share of a fine-tuned version's attribution that goes to its parent's table.
		pub parent_share: Perbill,
	}
}

parameter_group! {
	/// What the compute pallet reads: fees, stakes and the periods of a job.
	pub struct ComputeParams<Balance, BlockNumber> {
		/// The treasury's share of every job's escrow.
		pub protocol_fee: Perbill,
		/// The least bond a provider registers with.
		pub min_bond: Balance,
		/// Collateral a provider locks per job, as a multiple of the job's fee.
		pub collateral_ratio: FixedU128,
		/// The least collateral a provider locks per job.
		pub min_collateral: Balance,
		/// The least a challenger holds until the arbiter rules (a challenge holds the job's
		/// escrow when that is more).
		pub challenge_bond: Balance,
		/// The challenger's share of a slashed collateral (the rest goes to the treasury).
		pub challenger_reward: Perbill,
		/// The provider's share of a slashed challenge bond (the rest goes to the treasury).
		pub provider_reward: Perbill,
		/// Held from a requester while a job's record exists.
		pub record_deposit: Balance,
		/// Blocks a compute result can be challenged in, per kind of job.
		pub challenge_periods: ChallengePeriods<BlockNumber>,
		/// Blocks the arbiter has to rule on a challenge; a challenge still unruled after that
		/// lapses (its bond goes to the provider and the treasury, and the job settles).
		pub resolution_period: BlockNumber,
		/// Blocks a provider's bond takes to unbond.
		pub unbonding_period: BlockNumber,
	}
}

parameter_group! {
	/// Every economic parameter of Lineage, by the pallet that reads it.
	pub struct Parameters<Balance, BlockNumber> {
		/// Rewards: the matching rate, the schedule and the era.
		pub emission: EmissionParams<Balance, BlockNumber>,
		/// Datasets: deposits and the quality of open contributions.
		pub datasets: DatasetParams<Balance>,
		/// Models: deposits and shares.
		pub models: ModelParams<Balance>,
		/// Compute: the protocol fee, stakes and periods.
		pub compute: ComputeParams<Balance, BlockNumber>,
	}
}

parameter_group! {
	/// A parameter set with the version it was given and the block it took effect at.
	pub struct VersionedParameters<Balance, BlockNumber> {
		/// The version: 0 at genesis, one more with each change.
		pub version: u32,
		/// The parameters.
		pub params: Parameters<Balance, BlockNumber>,
		/// The block it took effect at.
		pub since: BlockNumber,
	}
}
