//! Distribution: what settled jobs and points changes record, how a position and an account
//! settle, and claims paid from the pot. A dataset's revenue goes to the live points of the
//! snapshot the job used (see the `tree` module); every step reads or writes at most
//! [`TREE_DEPTH`] nodes of one dataset's trees.

use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::Mutate, tokens::Preservation},
};
use lineage_primitives::{DatasetId, Points, SettlementReport, SnapshotRef, SnapshotVersion};
use sp_runtime::{
	traits::{SaturatedConversion, Saturating, Zero},
	FixedPointNumber, FixedU128,
};

use crate::{tree::Rates, *};

/// `per_point × points`, rounded down.
fn times<T: Config>(per_point: FixedU128, points: Points) -> BalanceOf<T> {
	per_point.saturating_mul_int(points.saturated_into::<BalanceOf<T>>())
}

impl<T: Config> Pallet<T> {
	/// Adds to `position` (cohort `first_snapshot` of `dataset`) what it earned in ended eras
	/// since it was last settled. Returns the revenue per point its cohort earned in the current
	/// era, which waits for the era's end.
	pub(crate) fn settle_position(
		dataset: DatasetId,
		first_snapshot: SnapshotVersion,
		position: &mut Position<BalanceOf<T>>,
	) -> FixedU128 {
		let (earned, pending) =
			Self::earned_per_point(dataset, first_snapshot, &mut Rates::default());
		let points = position.points;
		position.revenue = position.revenue.saturating_add(times::<T>(
			earned.revenue.saturating_sub(position.revenue_paid),
			points,
		));
		position.emission = position.emission.saturating_add(times::<T>(
			earned.emission.saturating_sub(position.emission_paid),
			points,
		));
		position.revenue_paid = earned.revenue;
		position.emission_paid = earned.emission;
		pending
	}

	/// `who`'s position in cohort `first_snapshot` of `dataset`, settled; with the revenue per
	/// point its cohort earned in the current era (see [`Self::settle_position`]).
	fn settled_position(
		who: &T::AccountId,
		dataset: DatasetId,
		first_snapshot: SnapshotVersion,
	) -> (Position<BalanceOf<T>>, FixedU128) {
		let mut position = Positions::<T>::get(who, (dataset, first_snapshot)).unwrap_or_default();
		let pending = Self::settle_position(dataset, first_snapshot, &mut position);
		(position, pending)
	}

	/// Stores `position`, or removes it once it holds nothing.
	fn store_position(
		who: &T::AccountId,
		key: (DatasetId, SnapshotVersion),
		position: Position<BalanceOf<T>>,
	) {
		if position.points == 0 && position.revenue.is_zero() && position.emission.is_zero() {
			Positions::<T>::remove(who, key);
		} else {
			Positions::<T>::insert(who, key, position);
		}
	}

	/// `who` gains `points` in the open cohort `first_snapshot` of `dataset` (its next
	/// version). No snapshot holds that cohort yet, so it has earned nothing and the position
	/// has nothing to settle.
	pub(crate) fn add_points(
		dataset: DatasetId,
		who: &T::AccountId,
		first_snapshot: SnapshotVersion,
		points: Points,
	) {
		let position = Positions::<T>::get(who, (dataset, first_snapshot)).unwrap_or_default();
		Self::open_cohort_add(dataset, first_snapshot, points);
		Self::store_position(who, (dataset, first_snapshot), position.with_more(points));
	}

	/// `who` gains `points` in cohort `first_snapshot` of `dataset`, whether or not its snapshot
	/// is taken: the position settles first and the points go straight into the points tree
	/// (which the migration to version 1 rebuilds this way, from no points at all).
	pub(crate) fn add_points_to_tree(
		dataset: DatasetId,
		who: &T::AccountId,
		first_snapshot: SnapshotVersion,
		points: Points,
	) {
		let (position, _) = Self::settled_position(who, dataset, first_snapshot);
		Self::change_cohort(dataset, first_snapshot, points, false);
		Self::store_position(who, (dataset, first_snapshot), position.with_more(points));
	}

	/// `who` withdrew `points` of cohort `first_snapshot` of `dataset`. They stop earning, and
	/// their part of what the position earned and was not claimed is forfeited to the treasury:
	/// settled amounts at the next era transition, revenue of the current era with the emission
	/// it backs once the era has ended.
	pub(crate) fn remove_points(
		dataset: DatasetId,
		who: &T::AccountId,
		first_snapshot: SnapshotVersion,
		points: Points,
	) {
		let (mut position, pending) = Self::settled_position(who, dataset, first_snapshot);
		let removed = points.min(position.points);
		if removed == 0 {
			return;
		}
		let share = |amount: BalanceOf<T>| {
			FixedU128::saturating_from_rational(removed, position.points).saturating_mul_int(amount)
		};
		let revenue = share(position.revenue);
		let emission = share(position.emission);
		let waiting: BalanceOf<T> = times::<T>(pending, removed);
		position.revenue = position.revenue.saturating_sub(revenue);
		position.emission = position.emission.saturating_sub(emission);
		position.points = position.points.saturating_sub(removed);
		Unshared::<T>::mutate(|u| *u = u.saturating_add(revenue).saturating_add(emission));
		UnsharedRevenue::<T>::mutate(|u| *u = u.saturating_add(waiting));
		Self::cohort_remove(dataset, first_snapshot, removed);
		Self::store_position(who, (dataset, first_snapshot), position);
		let forfeited = revenue.saturating_add(emission).saturating_add(waiting);
		if !forfeited.is_zero() {
			Self::deposit_event(Event::Forfeited {
				who: who.clone(),
				dataset,
				first_snapshot,
				amount: forfeited,
			});
		}
	}

	/// Records `amount` paid to `snapshot`'s dataset by a job on that snapshot: shared by the
	/// snapshot's live points, or kept for the treasury (with the emission it backs) when it has
	/// none.
	pub(crate) fn record_revenue(snapshot: SnapshotRef, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		let live = Self::live_points(snapshot.dataset, snapshot.version);
		let per_point = FixedU128::checked_from_rational(amount, live).unwrap_or_default();
		// No live points (a version 0 has none) leave nobody to share it.
		if per_point.is_zero() {
			UnsharedRevenue::<T>::mutate(|u| *u = u.saturating_add(amount));
			Self::deposit_event(Event::RevenueUnshared {
				dataset: snapshot.dataset,
				snapshot: snapshot.version,
				revenue: amount,
			});
			return;
		}
		Self::accrue(snapshot.dataset, snapshot.version, per_point);
	}

	/// Folds into `account` the model and provider emission of the era it last earned in.
	pub(crate) fn fold_account(account: &mut AccountPool<BalanceOf<T>>) {
		let current = CurrentEra::<T>::get();
		if account.era < current {
			if let Some(era) = Eras::<T>::get(account.era) {
				let earned = era
					.model_rate
					.saturating_mul_int(account.model_fees)
					.saturating_add(era.compute_rate.saturating_mul_int(account.compute_fees));
				account.pending = account.pending.saturating_add(earned);
			}
			account.model_fees = Zero::zero();
			account.compute_fees = Zero::zero();
			account.era = current;
		}
	}

	/// Records a settled job: the era's fees, each dataset's revenue (shared by the live points
	/// of the snapshot the job used), and the owner's and provider's usage.
	pub(crate) fn record_settlement(report: &SettlementReport<T::AccountId, BalanceOf<T>>) {
		let mut fees = CurrentFees::<T>::get();
		fees.paid = fees.paid.saturating_add(report.paid);
		for &(snapshot, amount) in &report.datasets {
			Self::record_revenue(snapshot, amount);
			fees.data = fees.data.saturating_add(amount);
		}
		let (_, owner, owner_amount) = &report.model;
		let (provider, provider_amount) = &report.provider;
		Self::add_usage(owner, *owner_amount, Zero::zero());
		Self::add_usage(provider, Zero::zero(), *provider_amount);
		fees.models = fees.models.saturating_add(*owner_amount);
		fees.compute = fees.compute.saturating_add(*provider_amount);
		CurrentFees::<T>::put(fees);
	}

	fn add_usage(who: &T::AccountId, model: BalanceOf<T>, compute: BalanceOf<T>) {
		if model.is_zero() && compute.is_zero() {
			return;
		}
		let mut account = AccountPools::<T>::get(who).unwrap_or_default();
		Self::fold_account(&mut account);
		account.model_fees = account.model_fees.saturating_add(model);
		account.compute_fees = account.compute_fees.saturating_add(compute);
		AccountPools::<T>::insert(who, account);
	}

	/// Pays `amount` from the pot to `who`, keeping the pot alive.
	fn pay(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		T::Currency::transfer(&Self::pot(), who, amount, Preservation::Preserve)?;
		Ok(())
	}

	pub(crate) fn do_claim(
		who: T::AccountId,
		dataset: DatasetId,
		first_snapshot: SnapshotVersion,
	) -> DispatchResult {
		let key = (dataset, first_snapshot);
		let mut position = Positions::<T>::get(&who, key).ok_or(Error::<T>::NoPosition)?;
		Self::settle_position(dataset, first_snapshot, &mut position);
		let emission = position.emission;
		let amount = position.revenue.saturating_add(emission);
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		Self::pay(&who, amount)?;
		position.revenue = Zero::zero();
		position.emission = Zero::zero();
		Self::store_position(&who, key, position);
		Self::deposit_event(Event::Claimed { who, dataset, first_snapshot, amount, emission });
		Ok(())
	}

	pub(crate) fn do_claim_account(who: T::AccountId) -> DispatchResult {
		let mut account = AccountPools::<T>::get(&who).unwrap_or_default();
		Self::fold_account(&mut account);
		let amount = account.pending;
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		Self::pay(&who, amount)?;
		account.pending = Zero::zero();
		if account.model_fees.is_zero() && account.compute_fees.is_zero() {
			AccountPools::<T>::remove(&who);
		} else {
			AccountPools::<T>::insert(&who, account);
		}
		Self::deposit_event(Event::AccountClaimed { who, amount });
		Ok(())
	}
}
