//! Benchmarks of every call, of the era-transition hook and of what the datasets and compute
//! pallets report (a dataset's revenue, a withdrawal), each at the trees' full depth: every node
//! on the path exists and holds revenue of a different ended era, so each node costs a read of
//! its era's rate too. No step reads more with more contributors or snapshots.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get, Hooks};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use lineage_primitives::{SnapshotRef, SnapshotVersion, MAX_SNAPSHOTS};
use sp_runtime::{
	traits::{Bounded, One, Saturating},
	FixedPointNumber, FixedU128,
};

const SEED: u32 = 0;
const DATASET: lineage_primitives::DatasetId = 1;
/// The cohort whose paths through both trees are the longest (16 nodes each).
const DEEP_COHORT: SnapshotVersion = 2;

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

/// Eras `0..TREE_DEPTH` ended, each with rates of one per unit of fees.
fn end_eras<T: Config>() {
	let one = FixedU128::one();
	for era in 0..tree::TREE_DEPTH {
		Eras::<T>::insert(
			era,
			EraSummary { data_rate: one, model_rate: one, compute_rate: one, ..Default::default() },
		);
	}
	CurrentEra::<T>::put(tree::TREE_DEPTH);
	fund_pot::<T>();
}

/// Fills every node of `DATASET`'s reward tree with revenue of a different ended era, and
/// gives cohorts 1 and `DEEP_COHORT` points.
fn deep_dataset<T: Config>(who: &T::AccountId) {
	let pending = FixedU128::saturating_from_integer(1u32);
	let node = |i: u32| {
		let era = i.trailing_zeros() % tree::TREE_DEPTH;
		RewardTree::<T>::insert(DATASET, i, Accrual { pending, era, ..Default::default() });
	};
	// What a point of `DEEP_COHORT` earned: the prefix to its reversed index, 65535.
	let mut i = tree::TREE_SIZE - 1;
	while i > 0 {
		node(i);
		i &= i - 1;
	}
	// Revenue for snapshot `MAX_SNAPSHOTS`: the walk up from its reversed index, 2.
	let mut i = 2;
	while i <= tree::TREE_SIZE {
		node(i);
		i += i & i.wrapping_neg();
	}
	let other: T::AccountId = account("contributor", 1, SEED);
	Pallet::<T>::add_points(DATASET, &other, 1, 1_000);
	Pallet::<T>::add_points(DATASET, who, DEEP_COHORT, 1_000);
	end_eras::<T>();
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn claim() {
		let who = funded::<T>("contributor", 0);
		deep_dataset::<T>(&who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), DATASET, DEEP_COHORT);

		assert!(Positions::<T>::get(&who, (DATASET, DEEP_COHORT))
			.is_some_and(|p| p.revenue == 0u32.into() && p.emission == 0u32.into()));
	}

	/// A job's revenue for the latest snapshot a dataset may take: its live points are read from
	/// 16 nodes and its revenue written to 16.
	#[benchmark]
	fn record_revenue() {
		let who = funded::<T>("contributor", 0);
		deep_dataset::<T>(&who);
		let snapshot = SnapshotRef { dataset: DATASET, version: MAX_SNAPSHOTS };
		let amount: BalanceOf<T> = 1_000_000u32.into();

		#[block]
		{
			Pallet::<T>::record_revenue(snapshot, amount);
		}

		assert!(RewardTree::<T>::get(DATASET, 2).is_some_and(|n| n.era == tree::TREE_DEPTH));
	}

	/// A consent withdrawal: the position settles over 16 nodes, forfeits, and its cohort's
	/// points change in 16.
	#[benchmark]
	fn remove_points() {
		let who = funded::<T>("contributor", 0);
		deep_dataset::<T>(&who);

		#[block]
		{
			Pallet::<T>::remove_points(DATASET, &who, DEEP_COHORT, 500);
		}

		assert_eq!(Pallet::<T>::cohort_points(DATASET, DEEP_COHORT), 500);
		assert!(Unshared::<T>::get() > 0u32.into());
	}

	#[benchmark]
	fn claim_account() {
		let who = funded::<T>("provider", 0);
		let fees: BalanceOf<T> = 1_000_000u32.into();
		AccountPools::<T>::insert(
			&who,
			AccountPool { model_fees: fees, compute_fees: fees, era: 0, ..Default::default() },
		);
		end_eras::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!AccountPools::<T>::contains_key(&who));
	}

	/// The first block of an era, with every pool to mint and forfeits and unshared revenue to
	/// pay the treasury.
	#[benchmark]
	fn on_initialize_new_era() {
		end_eras::<T>();
		let fees: BalanceOf<T> = 1_000_000u32.into();
		CurrentFees::<T>::put(EraFees { paid: fees, data: fees, models: fees, compute: fees });
		Unshared::<T>::put(fees);
		UnsharedRevenue::<T>::put(fees);
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
