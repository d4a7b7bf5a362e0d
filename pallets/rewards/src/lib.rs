//! # Rewards
//!
//! The economics of Lineage: a capped, demand-backed emission paid by measured usage, and the
//! versioned governance parameters the other pallets read.
//!
//! **Emission.** At the first block of each era this pallet mints, and nothing else does:
//! `emission(e) = min(schedule(e), α × fees_paid(e − 1) + bootstrap(e))`, never past
//! `MaxSupply`. `schedule(e)` is `InitialEraEmission` halved every `HalvingEras`; `bootstrap(e)`
//! decays linearly to zero over `bootstrap_eras` and is paid by contributor points of accepted
//! data, not by usage; `fees_paid` is what requesters paid for jobs that settled in the era, as
//! compute reports through [`RevenueSink`]. The usage-backed part is split between data, models,
//! compute and the treasury (governance shares). A pool whose era saw no usage is not minted.
//!
//! **No profit from self-dealing.** The protocol fee applies to the whole escrow and
//! `set_parameters` refuses `α > protocol_fee`, so an account that buys jobs from itself gets
//! back less emission than the fee it pays.
//!
//! **Distribution, O(1).** The era transition stores the era's per-unit rates and does constant
//! work. A dataset folds in the era it last earned in when next touched (revenue, points change,
//! claim); inside a dataset, contributors earn by points through a reward-per-point accumulator,
//! settled before every points change. Model owners and providers fold their era the same way.
//! The bootstrap allowance goes through one global reward-per-point accumulator.
//!
//! Direct revenue (a dataset's share of a model's price, paid by compute into this pallet's
//! account) enters the same per-dataset accumulator. Claims pay from this pallet's account.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod distribute;
mod emission;
mod inspect;
mod types;

pub mod runtime_api;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use lineage_primitives::{PointsSink, RevenueSink};

/// The contributor count the weights of `claim` and the era transition are charged at: the top of
/// their benchmarks' range. Neither reads more with more contributors (7 reads and 4 writes for a
/// claim whatever the count); what grows is the cost of each read in a larger state.
pub const WEIGHT_CONTRIBUTORS: u32 = 100_000;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use lineage_primitives::DatasetId;
	use sp_runtime::{
		traits::{AccountIdConversion, SaturatedConversion, Saturating},
		FixedU128,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency rewards are minted in.
		type Currency: Inspect<Self::AccountId> + Mutate<Self::AccountId>;

		/// The origin that sets the parameters (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The pallet's id; its account is the reward pot (compute pays data revenue into it).
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Receives the treasury's share of emission.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;

		/// The most that will ever be minted.
		#[pallet::constant]
		type MaxSupply: Get<BalanceOf<Self>>;

		/// The schedule's emission in era 0.
		#[pallet::constant]
		type InitialEraEmission: Get<BalanceOf<Self>>;

		/// The schedule halves every this many eras.
		#[pallet::constant]
		type HalvingEras: Get<EraIndex>;

		/// How many past parameter versions are kept.
		#[pallet::constant]
		type MaxParamsHistory: Get<u32>;

		/// The most datasets a paged runtime-API query covers.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// Weights of this pallet's calls and hooks, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Blocks per era.
	#[pallet::storage]
	pub type EraLength<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The current era.
	#[pallet::storage]
	pub type CurrentEra<T> = StorageValue<_, EraIndex, ValueQuery>;

	/// The first block of the current era.
	#[pallet::storage]
	pub type EraStart<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Fees reported in the current era.
	#[pallet::storage]
	pub type CurrentFees<T: Config> = StorageValue<_, EraFees<BalanceOf<T>>, ValueQuery>;

	/// Past eras: fees, emission, the bound that applied and the per-unit rates (one entry per
	/// era, written by the era transition).
	#[pallet::storage]
	pub type Eras<T: Config> = StorageMap<_, Twox64Concat, EraIndex, EraSummary<BalanceOf<T>>>;

	/// Everything minted so far.
	#[pallet::storage]
	pub type TotalMinted<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// The parameter set in force, with its version.
	#[pallet::storage]
	pub type Params<T: Config> =
		StorageValue<_, VersionedParameters<BalanceOf<T>, BlockNumberFor<T>>, OptionQuery>;

	/// Past parameter sets by version (the last `MaxParamsHistory`).
	#[pallet::storage]
	pub type ParamsHistory<T: Config> =
		StorageMap<_, Twox64Concat, u32, VersionedParameters<BalanceOf<T>, BlockNumberFor<T>>>;

	/// Each dataset's rewards.
	#[pallet::storage]
	pub type Datasets<T: Config> =
		StorageMap<_, Twox64Concat, DatasetId, DatasetPool<BalanceOf<T>>>;

	/// Each contributor's position in each dataset (mirrors the datasets pallet's points, which
	/// are deposit-backed there).
	#[pallet::storage]
	pub type Positions<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		DatasetId,
		Position<BalanceOf<T>>,
	>;

	/// Points across all datasets.
	#[pallet::storage]
	pub type TotalPoints<T> = StorageValue<_, u128, ValueQuery>;

	/// Bootstrap reward per point, across all datasets.
	#[pallet::storage]
	pub type BootstrapPerPoint<T> = StorageValue<_, FixedU128, ValueQuery>;

	/// Model owners' and providers' rewards.
	#[pallet::storage]
	pub type Accounts<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, AccountPool<BalanceOf<T>>>;

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// Blocks per era.
		pub era_length: BlockNumberFor<T>,
		/// The first parameter set (version 0), its bootstrap in the smallest unit.
		pub params: Option<Parameters<u128, BlockNumberFor<T>>>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { era_length: 100u32.into(), params: None }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(!self.era_length.is_zero(), "era_length must not be zero");
			EraLength::<T>::put(self.era_length);
			if let Some(p) = self.params {
				let params = Parameters {
					alpha: p.alpha,
					protocol_fee: p.protocol_fee,
					bootstrap: p.bootstrap.saturated_into(),
					bootstrap_eras: p.bootstrap_eras,
					split: p.split,
					parent_share: p.parent_share,
					challenge_period: p.challenge_period,
					unbonding_period: p.unbonding_period,
				};
				Pallet::<T>::check_parameters(&params).expect("genesis parameters are consistent");
				let record = VersionedParameters { version: 0, params, since: Zero::zero() };
				Params::<T>::put(record);
				ParamsHistory::<T>::insert(0, record);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An era ended and the next began; `minted` new tokens back the ended era's usage and
		/// the bootstrap allowance.
		NewEra {
			era: EraIndex,
			fees_paid: BalanceOf<T>,
			minted: BalanceOf<T>,
			bound: Option<Bound>,
		},
		/// A contributor claimed its rewards in a dataset.
		Claimed { who: T::AccountId, dataset: DatasetId, amount: BalanceOf<T> },
		/// A model owner or provider claimed its rewards.
		AccountClaimed { who: T::AccountId, amount: BalanceOf<T> },
		/// Governance set new parameters.
		ParametersSet { version: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Nothing to claim yet: rewards of an era arrive once it has ended.
		NothingToClaim,
		/// No rewards were ever recorded for this dataset.
		UnknownDataset,
		/// The split must sum to exactly 100%.
		SplitNotWhole,
		/// α must not exceed the protocol fee, or buying jobs from oneself would pay.
		AlphaAboveProtocolFee,
		/// Periods must not be zero.
		ZeroPeriod,
		/// The parameter version ran out.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			if now >= EraStart::<T>::get().saturating_add(EraLength::<T>::get()) {
				Self::new_era(now);
				T::WeightInfo::on_initialize_new_era(WEIGHT_CONTRIBUTORS)
			} else {
				T::WeightInfo::on_initialize_idle()
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Claim a contributor's rewards in a dataset: its share of the dataset's usage emission
		/// and revenue, and of the bootstrap allowance, by points.
		///
		/// - `origin`: the contributor.
		///
		/// Pays from the reward pot. Emits `Claimed`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::claim(WEIGHT_CONTRIBUTORS))]
		pub fn claim(origin: OriginFor<T>, dataset: DatasetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(who, dataset)
		}

		/// Claim an account's rewards as model owner and provider.
		///
		/// - `origin`: the owner or provider.
		///
		/// Pays from the reward pot. Emits `AccountClaimed`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::claim_account())]
		pub fn claim_account(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_account(who)
		}

		/// Set the parameters: they take effect now under a new version, and the old set is kept
		/// in the history.
		///
		/// - `origin`: `AdminOrigin` (the admin track).
		/// - `params`: a consistent set: the split sums to 100%, α ≤ the protocol fee, periods are
		///   not zero.
		///
		/// Emits `ParametersSet`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_parameters())]
		pub fn set_parameters(origin: OriginFor<T>, params: ParametersOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_parameters(params)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The reward pot's account.
		pub fn pot() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}
	}
}
