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
	Pallet::<T>::add_points_to_tree(DATASET, &other, 1, 1_000);
	Pallet::<T>::add_points_to_tree(DATASET, who, DEEP_COHORT, 1_000);
	end_eras::<T>();
}

/// The datasets pallet as the benchmarks of the migration to version 1 see it: one cohort, in
/// `DEEP_COHORT`, and the latest snapshot a dataset may take.
pub struct BenchView<T>(core::marker::PhantomData<T>);

impl<T: Config> migrations::DatasetsView<T::AccountId> for BenchView<T> {
	fn cohort_after(
		_: Option<lineage_primitives::ContributionId>,
	) -> Option<(lineage_primitives::ContributionId, Option<migrations::Cohort<T::AccountId>>)> {
		Some((0, Some((account("contributor", 0, SEED), DATASET, DEEP_COHORT, 1_000))))
	}
	fn latest_snapshot(_: lineage_primitives::DatasetId) -> SnapshotVersion {
		MAX_SNAPSHOTS
	}
	fn read_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

type Migration<T> = migrations::v1::RewardsBySnapshot<T, BenchView<T>>;

/// A version 0 pool of `DATASET` with 1,000 points, revenue shared before and revenue of `era`.
fn old_pool<T: Config>(era: EraIndex) {
	let one = FixedU128::one();
	DatasetPools::<T>::insert(
		DATASET,
		migrations::v1::OldPool {
			points: 1_000,
			revenue_per_point: one,
			emission_per_point: one,
			revenue: 1_000_000u32.into(),
			era,
		},
	);
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

	/// A snapshot taken: the open cohort of the first version joins the points tree along its
	/// whole path (17 nodes).
	#[benchmark]
	fn fold_open_cohort() {
		let who = funded::<T>("contributor", 0);
		Pallet::<T>::add_points(DATASET, &who, 1, 1_000);

		#[block]
		{
			Pallet::<T>::fold_open_cohort(DATASET, 1);
		}

		assert!(OpenCohort::<T>::get(DATASET).is_none());
		assert_eq!(PointsTree::<T>::get(DATASET, tree::TREE_SIZE), 1_000);
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

	/// The first block of an era, with every pool to mint, forfeits and unshared revenue to
	/// pay the treasury, and `MAX_ERAS_PRUNED` era summaries to prune.
	#[benchmark]
	fn on_initialize_new_era() {
		end_eras::<T>();
		CurrentEra::<T>::put(T::EraHistory::get().saturating_add(crate::MAX_ERAS_PRUNED));
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
		assert_eq!(OldestEra::<T>::get(), crate::MAX_ERAS_PRUNED);
		assert!(!Eras::<T>::contains_key(0));
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

	/// Migration to version 1, stage 1: a pool with revenue of an ended era, folded.
	#[benchmark]
	fn migrate_v1_pool() {
		end_eras::<T>();
		old_pool::<T>(0);

		#[block]
		{
			Migration::<T>::fold_pool(None);
		}

		assert!(DatasetPools::<T>::get(DATASET).is_some_and(|p| p.revenue == 0u32.into()));
	}

	/// Stage 2: an old position settled against its pool, what it earned carried.
	#[benchmark]
	fn migrate_v1_position() {
		let who: T::AccountId = account("contributor", 0, SEED);
		old_pool::<T>(0);
		migrations::v1::Positions::<T>::insert(
			&who,
			DATASET,
			migrations::v1::OldPosition { points: 1_000, ..Default::default() },
		);

		#[block]
		{
			Migration::<T>::settle_position();
		}

		assert!(migrations::v1::MigrationCarried::<T>::contains_key(&who, DATASET));
	}

	/// Stage 3: a contribution's points given to the cohort whose paths are the longest, its
	/// contributor carrying an amount.
	#[benchmark]
	fn migrate_v1_cohort() {
		let who = funded::<T>("contributor", 0);
		deep_dataset::<T>(&who);
		migrations::v1::MigrationCarried::<T>::insert(
			&who,
			DATASET,
			migrations::v1::Carried { earliest: Some(MAX_SNAPSHOTS), ..Default::default() },
		);

		#[block]
		{
			Migration::<T>::read_cohort(None);
		}

		assert_eq!(Pallet::<T>::cohort_points(DATASET, DEEP_COHORT), 2_000);
	}

	/// Stage 4: a carried amount given to its position.
	#[benchmark]
	fn migrate_v1_carried() {
		let who = funded::<T>("contributor", 0);
		deep_dataset::<T>(&who);
		let amount: BalanceOf<T> = 1_000u32.into();
		migrations::v1::MigrationCarried::<T>::insert(
			&who,
			DATASET,
			migrations::v1::Carried {
				revenue: amount,
				emission: amount,
				earliest: Some(DEEP_COHORT),
			},
		);

		#[block]
		{
			Migration::<T>::give_carried();
		}

		assert!(
			Positions::<T>::get(&who, (DATASET, DEEP_COHORT)).is_some_and(|p| p.revenue >= amount)
		);
	}

	/// Stage 5: a pool's revenue of the current era recorded on the latest snapshot a dataset
	/// may take (16 nodes read for its live points, 16 written).
	#[benchmark]
	fn migrate_v1_waiting() {
		let who = funded::<T>("contributor", 0);
		deep_dataset::<T>(&who);
		old_pool::<T>(CurrentEra::<T>::get());

		#[block]
		{
			Migration::<T>::record_waiting();
		}

		assert!(!DatasetPools::<T>::contains_key(DATASET));
		assert!(RewardTree::<T>::get(DATASET, 2).is_some_and(|n| n.era == tree::TREE_DEPTH));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
