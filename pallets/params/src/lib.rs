//! # Lineage parameters
//!
//! Every economic parameter of Lineage in one governed, versioned set ([`Parameters`]): the
//! matching rate, split, schedule and era of the emission; the deposits of datasets,
//! contributions, models, versions and job records; the builder and parent shares; the protocol
//! fee, bonds, collateral, challenge bond and slash shares of compute; and every period. The other
//! pallets keep their own `Get` config items; the runtime feeds them from the set in force, so
//! they do not depend on this pallet. The set has a pallet of its own, rather than living in the
//! pallet that reads most of it, so that the rules tying values of different pallets together
//! (α plus the bootstrap rate at most the protocol fee) are checked in one place.
//!
//! **Versioned.** `set_parameters` (root or the admin track) replaces the whole set: it takes
//! effect at once as the next version, stamped with its block, and the last `MaxHistory` versions
//! stay readable (`ParametersApi` answers `parameters`, the set in force, and
//! `parameters_at(version)`). A change reaches only what is made after it: records keep the
//! deposits they were made with, compute jobs the terms of the version they were submitted under
//! (fee, periods, slash shares), and a provider bonded under a lower least bond keeps serving
//! (it cannot `unbond` below the new one).
//!
//! **Bounded, and consistent in one place.** Every change is checked against these rules, and so
//! is the genesis set:
//!
//! | value | rule |
//! |---|---|
//! | `emission.split` | sums to exactly 100% |
//! | `emission.alpha + emission.bootstrap` | ≤ `compute.protocol_fee` (paying oneself never pays) |
//! | `compute.protocol_fee` | ≤ [`MAX_PROTOCOL_FEE`] (50%) |
//! | `emission.era_emission` | ≤ `MaxEraEmission` |
//! | `emission.halving_eras` | ≥ 1 |
//! | `emission.era_length`, every challenge period, the resolution and unbonding periods | 1 ..= `MaxPeriod` |
//! | every deposit, `compute.min_bond`, `compute.challenge_bond` | 1 ..= `MaxDeposit` |
//! | `compute.min_collateral` | 1 ..= `compute.min_bond` |
//! | `compute.collateral_ratio` | 1 ..= [`MAX_COLLATERAL_RATIO`] (the provider risks at least the fee) |
//! | `datasets.default_quality` | 1 ..= 100 |
//! | `models.max_builder_share` | ≤ [`MAX_BUILDER_SHARE`] (95%: the data always earns) |
//! | `models.parent_share` | ≤ [`MAX_PARENT_SHARE`] (90%: a version's own inputs always count) |
//!
//! Structural limits (lengths, page sizes, queue pages) are not parameters: they stay constants
//! of each pallet, readable in the metadata. Nor is the rewards pallet's `MaxSupply`: the cap on
//! emission is a promise to holders that no vote can raise.
//!
//! In the Lineage runtime `MaxPeriod` is 30 days, `MaxDeposit` and `MaxEraEmission` are 10,000
//! LIN and `MaxHistory` is 64. Its `dev` chain shortens the periods: one-minute eras, challenge
//! windows of two minutes for training, one for fine-tuning and 30 seconds for inference and
//! evaluation, a minute to resolve a challenge, two minutes to unbond. The `local` chain uses the
//! production periods: hourly eras, challenge windows of a day, six hours and ten minutes (in
//! the same order), three days to resolve, seven days to unbond.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod runtime_api;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use lineage_primitives::{
	ChallengePeriods, ComputeParams, DatasetParams, EmissionParams, ModelParams, Parameters, Split,
	VersionedParameters,
};
pub use pallet::*;
pub use weights::WeightInfo;

use sp_runtime::{FixedU128, Perbill};

/// The largest protocol fee governance may set.
pub const MAX_PROTOCOL_FEE: Perbill = Perbill::from_percent(50);
/// The largest builder share governance may allow.
pub const MAX_BUILDER_SHARE: Perbill = Perbill::from_percent(95);
/// The largest share a parent's table may take in a fine-tune's.
pub const MAX_PARENT_SHARE: Perbill = Perbill::from_percent(90);
/// The largest collateral ratio governance may set.
pub const MAX_COLLATERAL_RATIO: FixedU128 = FixedU128::from_u32(10);

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{AtLeast32BitUnsigned, One, Zero};

	/// The parameter set as stored.
	pub type ParametersOf<T> = Parameters<<T as Config>::Balance, BlockNumberFor<T>>;
	/// A versioned parameter set as stored.
	pub type VersionedParametersOf<T> =
		VersionedParameters<<T as Config>::Balance, BlockNumberFor<T>>;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The balance type of the deposits, bonds and emission.
		type Balance: Parameter
			+ MaxEncodedLen
			+ AtLeast32BitUnsigned
			+ Copy
			+ serde::Serialize
			+ for<'a> serde::Deserialize<'a>;

		/// The origin that sets the parameters (governance: the admin track).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The set in force when genesis sets none (and what the runtime's tests start from).
		type Defaults: Get<ParametersOf<Self>>;

		/// How many past versions are kept.
		#[pallet::constant]
		type MaxHistory: Get<u32>;

		/// The longest any period may be (era, challenge, resolution, unbonding).
		#[pallet::constant]
		type MaxPeriod: Get<BlockNumberFor<Self>>;

		/// The largest deposit or bond governance may ask for.
		#[pallet::constant]
		type MaxDeposit: Get<Self::Balance>;

		/// The largest era emission governance may schedule.
		#[pallet::constant]
		type MaxEraEmission: Get<Self::Balance>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The set in force, with its version and the block it took effect at.
	#[pallet::storage]
	pub type Current<T: Config> = StorageValue<_, VersionedParametersOf<T>, OptionQuery>;

	/// Past sets by version (the last `MaxHistory`, the one in force included).
	#[pallet::storage]
	pub type History<T: Config> = StorageMap<_, Twox64Concat, u32, VersionedParametersOf<T>>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The first set (version 0); `Defaults` when none.
		pub params: Option<ParametersOf<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let params = self.params.unwrap_or_else(T::Defaults::get);
			Pallet::<T>::check(&params).expect("genesis parameters break a rule");
			let record = VersionedParameters { version: 0, params, since: Zero::zero() };
			Current::<T>::put(record);
			History::<T>::insert(0, record);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance set new parameters: `params` are in force from this block as `version`.
		ParametersSet { version: u32, params: ParametersOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The emission split must sum to exactly 100%.
		SplitNotWhole,
		/// α plus the bootstrap rate must not exceed the protocol fee, or buying jobs from oneself
		/// would pay.
		AlphaAboveProtocolFee,
		/// The protocol fee is above `MAX_PROTOCOL_FEE`.
		ProtocolFeeTooHigh,
		/// A period (era, challenge, resolution, unbonding) is zero.
		ZeroPeriod,
		/// A period is longer than `MaxPeriod`.
		PeriodTooLong,
		/// A deposit, bond or collateral is zero.
		ZeroAmount,
		/// A deposit or bond is above `MaxDeposit`, or the era emission above `MaxEraEmission`.
		AmountTooHigh,
		/// The least collateral is above the least bond: no provider could take a job.
		CollateralAboveBond,
		/// The collateral ratio is below 1 or above `MAX_COLLATERAL_RATIO`.
		CollateralRatioOutOfRange,
		/// The builder share is above `MAX_BUILDER_SHARE` or the parent share above
		/// `MAX_PARENT_SHARE`.
		ShareTooHigh,
		/// The default quality is not within 1..=100.
		QualityOutOfRange,
		/// The schedule must halve after at least one era.
		ZeroHalving,
		/// The version counter ran out.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(Self::check(&T::Defaults::get()).is_ok(), "Defaults break a rule");
			assert!(T::MaxHistory::get() >= 1, "MaxHistory must keep the set in force");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Replace the parameter set: it takes effect now as the next version; the old one stays
		/// in the history.
		///
		/// - `origin`: `AdminOrigin` (root or the admin track).
		/// - `params`: the whole set; every rule in the crate docs must hold.
		///
		/// Jobs already submitted keep the terms of their version. Emits `ParametersSet`. O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_parameters())]
		pub fn set_parameters(origin: OriginFor<T>, params: ParametersOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::check(&params)?;
			let version = Self::current().version.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let record = VersionedParameters {
				version,
				params,
				since: frame_system::Pallet::<T>::block_number(),
			};
			Current::<T>::put(record);
			History::<T>::insert(version, record);
			if let Some(old) = version.checked_sub(T::MaxHistory::get()) {
				History::<T>::remove(old);
			}
			Self::deposit_event(Event::ParametersSet { version, params });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The set in force (`Defaults` as version 0 before genesis has set one).
		pub fn current() -> VersionedParametersOf<T> {
			Current::<T>::get().unwrap_or_else(|| VersionedParameters {
				version: 0,
				params: T::Defaults::get(),
				since: Zero::zero(),
			})
		}

		/// Version `version`, while it is in the history.
		pub fn at_version(version: u32) -> Option<VersionedParametersOf<T>> {
			History::<T>::get(version)
		}

		/// Checks `params` against every rule of the crate docs.
		pub fn check(params: &ParametersOf<T>) -> DispatchResult {
			let Parameters { emission, datasets, models, compute } = params;

			ensure!(emission.split.is_whole(), Error::<T>::SplitNotWhole);
			ensure!(compute.protocol_fee <= MAX_PROTOCOL_FEE, Error::<T>::ProtocolFeeTooHigh);
			let matching = u64::from(emission.alpha.deconstruct())
				.saturating_add(u64::from(emission.bootstrap.deconstruct()));
			ensure!(
				matching <= u64::from(compute.protocol_fee.deconstruct()),
				Error::<T>::AlphaAboveProtocolFee
			);
			ensure!(emission.era_emission <= T::MaxEraEmission::get(), Error::<T>::AmountTooHigh);
			ensure!(emission.halving_eras >= 1, Error::<T>::ZeroHalving);

			let periods = compute.challenge_periods.all();
			let others = [emission.era_length, compute.resolution_period, compute.unbonding_period];
			for period in periods.iter().chain(others.iter()) {
				ensure!(!period.is_zero(), Error::<T>::ZeroPeriod);
				ensure!(*period <= T::MaxPeriod::get(), Error::<T>::PeriodTooLong);
			}

			let amounts = [
				datasets.dataset_deposit,
				datasets.record_deposit,
				models.model_deposit,
				models.version_deposit,
				compute.min_bond,
				compute.challenge_bond,
				compute.record_deposit,
			];
			for amount in amounts {
				ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
				ensure!(amount <= T::MaxDeposit::get(), Error::<T>::AmountTooHigh);
			}
			ensure!(!compute.min_collateral.is_zero(), Error::<T>::ZeroAmount);
			ensure!(compute.min_collateral <= compute.min_bond, Error::<T>::CollateralAboveBond);
			ensure!(
				compute.collateral_ratio >= FixedU128::one()
					&& compute.collateral_ratio <= MAX_COLLATERAL_RATIO,
				Error::<T>::CollateralRatioOutOfRange
			);

			ensure!((1..=100).contains(&datasets.default_quality), Error::<T>::QualityOutOfRange);
			ensure!(models.max_builder_share <= MAX_BUILDER_SHARE, Error::<T>::ShareTooHigh);
			ensure!(models.parent_share <= MAX_PARENT_SHARE, Error::<T>::ShareTooHigh);
			Ok(())
		}

		/// Checks the pallet's invariants: the set in force obeys every rule, is the newest entry
		/// of the history, and the history holds at most `MaxHistory` versions, consecutive.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let Some(current) = Current::<T>::get() else {
				ensure!(History::<T>::iter().next().is_none(), "a history without a set in force");
				return Ok(());
			};
			Self::check(&current.params).map_err(|_| "the set in force breaks a rule")?;
			ensure!(History::<T>::get(current.version) == Some(current), "history lacks current");
			let versions: alloc::vec::Vec<u32> = History::<T>::iter_keys().collect();
			ensure!(versions.len() as u32 <= T::MaxHistory::get(), "history too long");
			let oldest = current.version.saturating_sub(T::MaxHistory::get().saturating_sub(1));
			ensure!(
				versions.iter().all(|v| (oldest..=current.version).contains(v)),
				"a version outside the kept window"
			);
			Ok(())
		}
	}
}
