//! The pallet's invariants, checked by `try_state` and, in tests, after every block (compiled with
//! `std` too, so the runtime's integration tests run them).

use frame_support::traits::Get;
use lineage_primitives::DatasetId;
use sp_runtime::traits::Saturating;

use crate::*;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	/// - minted never passes the cap;
	/// - points add up: positions to their datasets;
	/// - no era's pool rate exceeds its matching rate (the rate cap);
	/// - the pot holds at least everything claimable (settled positions, revenue and emission
	///   waiting in datasets, folded accounts, and what is kept for the treasury).
	///
	/// Compiled with `std` too, so the runtime's integration tests run it after every block.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::{ensure, traits::fungible::Inspect};
		use sp_runtime::FixedU128;

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
		let mut points: BTreeMap<DatasetId, u64> = BTreeMap::new();
		let mut claimable = Unshared::<T>::get();
		for (who, dataset, position) in Positions::<T>::iter() {
			*points.entry(dataset).or_default() += position.points;
			claimable = claimable.saturating_add(Self::pending_in(&who, dataset).0);
		}
		for (dataset, mut pool) in DatasetPools::<T>::iter() {
			ensure!(
				points.remove(&dataset).unwrap_or_default() == pool.points,
				"dataset points differ from its positions"
			);
			if let Some(unshared) = Self::fold_dataset(&mut pool) {
				claimable =
					claimable.saturating_add(unshared.revenue).saturating_add(unshared.emission);
			}
			claimable = claimable.saturating_add(pool.revenue);
		}
		ensure!(points.is_empty(), "a position in an unknown dataset");
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
