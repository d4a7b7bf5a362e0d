//! What clients read — pending rewards, eras, minted supply, parameters, a projection of the
//! schedule — and the pallet's invariants.

use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::DatasetId;
use sp_runtime::traits::Zero;

use crate::*;

impl<T: Config> Pallet<T> {
	/// What `who` may claim in `dataset` now.
	pub fn pending_in(who: &T::AccountId, dataset: DatasetId) -> BalanceOf<T> {
		let Some(mut pool) = Datasets::<T>::get(dataset) else { return Zero::zero() };
		let Some(mut position) = Positions::<T>::get(who, dataset) else { return Zero::zero() };
		Self::fold_dataset(&mut pool);
		Self::settle_position(&pool, &mut position);
		position.pending
	}

	/// What `who` may claim: as owner and provider, and in up to `limit` (at most `MaxPageSize`)
	/// of its datasets after `start_after`.
	pub fn pending(
		who: &T::AccountId,
		start_after: Option<DatasetId>,
		limit: u32,
	) -> PendingRewards<BalanceOf<T>> {
		let account = Accounts::<T>::get(who)
			.map(|mut a| {
				Self::fold_account(&mut a);
				a.pending
			})
			.unwrap_or_default();
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let ids: Vec<DatasetId> = match start_after {
			Some(last) => {
				Positions::<T>::iter_key_prefix_from(who, Positions::<T>::hashed_key_for(who, last))
					.take(limit)
					.collect()
			},
			None => Positions::<T>::iter_key_prefix(who).take(limit).collect(),
		};
		let datasets = ids.into_iter().map(|d| (d, Self::pending_in(who, d))).collect();
		PendingRewards { account, datasets }
	}

	/// The current era.
	pub fn era() -> EraInfo<BalanceOf<T>, BlockNumberFor<T>> {
		EraInfo {
			index: CurrentEra::<T>::get(),
			start: EraStart::<T>::get(),
			length: EraLength::<T>::get(),
			fees: CurrentFees::<T>::get(),
		}
	}

	/// The last era that ended: its fees, what was minted and which term bounded it.
	pub fn last_era() -> Option<(EraIndex, EraSummary<BalanceOf<T>>)> {
		let last = CurrentEra::<T>::get().checked_sub(1)?;
		Eras::<T>::get(last).map(|summary| (last, summary))
	}

	/// Everything minted so far, and the cap.
	pub fn supply() -> (BalanceOf<T>, BalanceOf<T>) {
		(TotalMinted::<T>::get(), T::MaxSupply::get())
	}

	/// The schedule's emission and the bootstrap allowance for the next `eras` eras (at most
	/// `MaxPageSize`).
	pub fn projection(eras: u32) -> Vec<(EraIndex, BalanceOf<T>, BalanceOf<T>)> {
		let params = Self::parameters().params;
		let from = CurrentEra::<T>::get().saturating_add(1);
		(from..from.saturating_add(eras.min(T::MaxPageSize::get())))
			.map(|e| (e, Self::schedule(e), Self::bootstrap(&params, e)))
			.collect()
	}

	/// Checks the pallet's invariants:
	/// - minted never passes the cap;
	/// - points add up: positions to their datasets, datasets to the total;
	/// - the pot holds at least everything claimable (settled positions, folded accounts, and
	///   rewards carried by datasets without points).
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::{ensure, traits::fungible::Inspect};
		use sp_runtime::traits::Saturating;

		ensure!(TotalMinted::<T>::get() <= T::MaxSupply::get(), "minted past the cap");
		let mut points: BTreeMap<DatasetId, u64> = BTreeMap::new();
		let mut claimable = BalanceOf::<T>::zero();
		for (who, dataset, position) in Positions::<T>::iter() {
			*points.entry(dataset).or_default() += position.points;
			claimable = claimable.saturating_add(Self::pending_in(&who, dataset));
		}
		let mut total: u128 = 0;
		for (dataset, mut pool) in Datasets::<T>::iter() {
			ensure!(
				points.remove(&dataset).unwrap_or_default() == pool.points,
				"dataset points differ from its positions"
			);
			total += u128::from(pool.points);
			Self::fold_dataset(&mut pool);
			claimable = claimable.saturating_add(pool.carry);
		}
		ensure!(points.is_empty(), "a position in an unknown dataset");
		ensure!(total == TotalPoints::<T>::get(), "total points differ from the datasets'");
		for (_, mut account) in Accounts::<T>::iter() {
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
