//! The pallet's invariants, checked by `try_state` and, in tests, after every block (compiled with
//! `std` too, so the runtime's integration tests run them).

use frame_support::traits::Get;
use lineage_primitives::DatasetId;
use sp_runtime::traits::Saturating;

use crate::*;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	/// - minted never passes the cap;
	/// - points add up: positions to their cohorts and datasets in the points trees and open
	///   cohorts, and no open cohort has earned anything;
	/// - no era's pool rate exceeds its matching rate (the rate cap);
	/// - the pot holds at least everything claimable (settled positions, the current era's data
	///   revenue, folded accounts, and what is kept for the treasury).
	///
	/// Compiled with `std` too, so the runtime's integration tests run it after every block.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
		use frame_support::{ensure, traits::fungible::Inspect};
		use lineage_primitives::{Points, SnapshotVersion};
		use sp_runtime::{traits::Zero, FixedU128};

		ensure!(TotalMinted::<T>::get() <= T::MaxSupply::get(), "minted past the cap");
		let current = CurrentEra::<T>::get();
		for era in [current.checked_sub(1), current.checked_sub(2)].into_iter().flatten() {
			if let Some(summary) = Eras::<T>::get(era) {
				let alpha = FixedU128::from_perbill(summary.alpha);
				ensure!(
					summary.data_rate <= alpha
						&& summary.model_rate <= alpha
						&& summary.compute_rate <= alpha,
					"a pool's rate exceeds the matching rate"
				);
			}
		}
		ensure!(DatasetPools::<T>::iter().next().is_none(), "a version 0 pool is left");
		let oldest = OldestEra::<T>::get();
		ensure!(
			oldest.checked_sub(1).is_none_or(|pruned| !Eras::<T>::contains_key(pruned)),
			"an era before the oldest kept is still stored"
		);
		// Every cohort's points in the tree are its positions' points.
		let mut cohorts: BTreeMap<(DatasetId, SnapshotVersion), Points> = BTreeMap::new();
		let mut claimable = Unshared::<T>::get();
		for (who, (dataset, first), position) in Positions::<T>::iter() {
			*cohorts.entry((dataset, first)).or_default() += position.points;
			claimable = claimable.saturating_add(Self::pending_in(&who, dataset, first).0);
		}
		for ((dataset, first), points) in &cohorts {
			ensure!(
				Self::cohort_points(*dataset, *first) == *points,
				"a cohort's points differ from its positions"
			);
		}
		let mut datasets: BTreeSet<DatasetId> =
			PointsTree::<T>::iter_keys().map(|(d, _)| d).collect();
		for (dataset, (cohort, _)) in OpenCohort::<T>::iter() {
			datasets.insert(dataset);
			// No snapshot holds the open cohort yet, so no job has paid it.
			let (settled, pending) =
				Self::earned_per_point(dataset, cohort, &mut tree::Rates::default());
			ensure!(
				settled == Default::default() && pending.is_zero(),
				"the open cohort earned before its snapshot was taken"
			);
		}
		for dataset in datasets {
			let held: Points =
				cohorts.iter().filter(|((d, _), _)| *d == dataset).map(|(_, p)| *p).sum();
			ensure!(
				Self::dataset_points(dataset) == held,
				"a dataset's points differ from its positions"
			);
		}
		// Data revenue of the current era is in the pot, waiting for its era's end.
		let fees = CurrentFees::<T>::get();
		ensure!(UnsharedRevenue::<T>::get() <= fees.data, "more unshared revenue than revenue");
		claimable = claimable.saturating_add(fees.data);
		for (_, mut account) in AccountPools::<T>::iter() {
			Self::fold_account(&mut account);
			claimable = claimable.saturating_add(account.pending);
		}
		ensure!(
			T::Currency::balance(&Self::pot()) >= claimable,
			"the pot holds less than what is claimable"
		);
		Ok(())
	}
}
