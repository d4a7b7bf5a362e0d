//! Benchmarks of every call and of the era-transition hook. `c` is the number of contributors
//! in the touched dataset (10 to 100,000): the weights must not grow with it.
//!
//! Every run holds the same number of contributor positions ([`POSITIONS`]): `c` of them in the
//! touched dataset, the rest in another one. The storage trie is then the same size whatever
//! `c` is, so the regression measures how the code depends on the dataset's contributor count
//! alone; the cost of reading from a large state is the database weight's part, not the
//! component's.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get, Hooks};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{
	traits::{Bounded, One, Saturating},
	FixedU128,
};

const SEED: u32 = 0;
const DATASET: lineage_primitives::DatasetId = 1;
/// The dataset holding the positions that are not in [`DATASET`].
const OTHER_DATASET: lineage_primitives::DatasetId = 2;
/// Contributor positions in the state in every run (the largest `c`).
const POSITIONS: u32 = 100_000;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

/// The pot, funded.
fn fund_pot<T: Config>() {
	T::Currency::set_balance(
		&Pallet::<T>::pot(),
		BalanceOf::<T>::max_value() / 1_000_000u32.into(),
	);
}

/// A dataset with `c` contributors of one point each, `who` among them, and another holding the
/// other `POSITIONS - c` positions; the dataset's revenue of era 0 is still to share, and era 0
/// has ended with a data rate of one.
fn dataset_with_contributors<T: Config>(c: u32) -> T::AccountId {
	let who = funded::<T>("contributor", 0);
	for i in 1..POSITIONS {
		let other: T::AccountId = account("contributor", i, SEED);
		let dataset = if i < c { DATASET } else { OTHER_DATASET };
		Positions::<T>::insert(other, dataset, Position { points: 1, ..Default::default() });
	}
	Positions::<T>::insert(&who, DATASET, Position { points: 1, ..Default::default() });
	let revenue: BalanceOf<T> = 1_000_000u32.into();
	DatasetPools::<T>::insert(
		DATASET,
		DatasetPool { points: c.into(), revenue, era: 0, ..Default::default() },
	);
	DatasetPools::<T>::insert(
		OTHER_DATASET,
		DatasetPool { points: (POSITIONS - c).into(), ..Default::default() },
	);
	end_era_zero::<T>();
	who
}

/// Era 0 ended with rates of one per unit of fees.
fn end_era_zero<T: Config>() {
	let one = FixedU128::one();
	Eras::<T>::insert(
		0,
		EraSummary { data_rate: one, model_rate: one, compute_rate: one, ..Default::default() },
	);
	CurrentEra::<T>::put(1);
	fund_pot::<T>();
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn claim(c: Linear<10, 100_000>) {
		let who = dataset_with_contributors::<T>(c);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), DATASET);

		assert!(Positions::<T>::get(&who, DATASET)
			.is_some_and(|p| p.revenue == 0u32.into() && p.emission == 0u32.into()));
	}

	#[benchmark]
	fn claim_account() {
		let who = funded::<T>("provider", 0);
		let fees: BalanceOf<T> = 1_000_000u32.into();
		AccountPools::<T>::insert(
			&who,
			AccountPool { model_fees: fees, compute_fees: fees, era: 0, ..Default::default() },
		);
		end_era_zero::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!AccountPools::<T>::contains_key(&who));
	}

	/// The first block of an era, with every pool to mint and unshared revenue to pay the
	/// treasury.
	#[benchmark]
	fn on_initialize_new_era(c: Linear<10, 100_000>) {
		dataset_with_contributors::<T>(c);
		let fees: BalanceOf<T> = 1_000_000u32.into();
		CurrentFees::<T>::put(EraFees { paid: fees, data: fees, models: fees, compute: fees });
		Unshared::<T>::put(fees);
		let now: BlockNumberFor<T> = EraStart::<T>::get()
			.saturating_add(T::Emission::get().era_length)
			.max(One::one());
		let era = CurrentEra::<T>::get();

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert_eq!(CurrentEra::<T>::get(), era + 1);
		assert!(Unshared::<T>::get() == 0u32.into());
	}

	#[benchmark]
	fn on_initialize_idle() {
		let now = EraStart::<T>::get();
		let era = CurrentEra::<T>::get();

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert_eq!(CurrentEra::<T>::get(), era);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
