//! Distribution with reward-per-unit accumulators: what settled jobs and points changes record,
//! how a dataset or account folds in its last era, and claims. Every step is O(1).

use frame_support::{ensure, pallet_prelude::*};
use lineage_primitives::{DatasetId, Points, SettlementReport};
use sp_runtime::{
	traits::{SaturatedConversion, Saturating, Zero},
	FixedPointNumber, FixedU128,
};

use crate::*;

impl<T: Config> Pallet<T> {
	/// Folds into `pool` the usage reward of the era it last earned in, once that era has ended,
	/// and any carried rewards once it has points.
	pub(crate) fn fold_dataset(pool: &mut DatasetPool<BalanceOf<T>>) {
		if !pool.fees.is_zero() && pool.fees_era < CurrentEra::<T>::get() {
			let rate = Eras::<T>::get(pool.fees_era).map(|e| e.data_rate).unwrap_or_default();
			pool.carry = pool.carry.saturating_add(rate.saturating_mul_int(pool.fees));
			pool.fees = Zero::zero();
		}
		if !pool.carry.is_zero() && pool.points > 0 {
			let per_point = FixedU128::saturating_from_rational(pool.carry, pool.points);
			pool.per_point = pool.per_point.saturating_add(per_point);
			pool.carry = Zero::zero();
		}
	}

	/// Adds to `position` what it earned since it was last settled.
	pub(crate) fn settle_position(
		pool: &DatasetPool<BalanceOf<T>>,
		position: &mut Position<BalanceOf<T>>,
	) {
		let bootstrap = BootstrapPerPoint::<T>::get();
		let points: BalanceOf<T> = position.points.saturated_into();
		let earned = pool
			.per_point
			.saturating_sub(position.per_point_paid)
			.saturating_mul_int(points)
			.saturating_add(
				bootstrap.saturating_sub(position.bootstrap_paid).saturating_mul_int(points),
			);
		position.pending = position.pending.saturating_add(earned);
		position.per_point_paid = pool.per_point;
		position.bootstrap_paid = bootstrap;
	}

	/// Folds into `account` the model and provider rewards of the era it last earned in.
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

	/// Changes `who`'s points in `dataset` by `change`, settling what was earned before.
	fn change_points(dataset: DatasetId, who: &T::AccountId, change: impl FnOnce(&mut Points)) {
		let mut pool = Datasets::<T>::get(dataset).unwrap_or_default();
		Self::fold_dataset(&mut pool);
		let mut position = Positions::<T>::get(who, dataset).unwrap_or_default();
		Self::settle_position(&pool, &mut position);
		let before = position.points;
		change(&mut position.points);
		pool.points = pool.points.saturating_sub(before).saturating_add(position.points);
		TotalPoints::<T>::mutate(|total| {
			*total = total.saturating_sub(before.into()).saturating_add(position.points.into())
		});
		Datasets::<T>::insert(dataset, pool);
		if position.points == 0 && position.pending.is_zero() {
			Positions::<T>::remove(who, dataset);
		} else {
			Positions::<T>::insert(who, dataset, position);
		}
	}

	/// Records a settled job: the era's fees, each dataset's direct revenue and usage, and the
	/// owner's and provider's usage.
	pub(crate) fn record_settlement(report: &SettlementReport<T::AccountId, BalanceOf<T>>) {
		let era = CurrentEra::<T>::get();
		let mut fees = CurrentFees::<T>::get();
		fees.paid = fees.paid.saturating_add(report.paid);
		for &(dataset, amount) in &report.datasets {
			let mut pool = Datasets::<T>::get(dataset).unwrap_or_default();
			Self::fold_dataset(&mut pool);
			// The revenue itself (already paid into the pot) goes to today's contributors…
			pool.carry = pool.carry.saturating_add(amount);
			Self::fold_dataset(&mut pool);
			// …and counts as this era's usage for the data pool.
			pool.fees = pool.fees.saturating_add(amount);
			pool.fees_era = era;
			Datasets::<T>::insert(dataset, pool);
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
		let mut account = Accounts::<T>::get(who).unwrap_or_default();
		Self::fold_account(&mut account);
		account.model_fees = account.model_fees.saturating_add(model);
		account.compute_fees = account.compute_fees.saturating_add(compute);
		Accounts::<T>::insert(who, account);
	}

	pub(crate) fn do_claim(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let mut pool = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		Self::fold_dataset(&mut pool);
		let mut position = Positions::<T>::get(&who, dataset).unwrap_or_default();
		Self::settle_position(&pool, &mut position);
		let amount = position.pending;
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		Self::pay(&who, amount)?;
		position.pending = Zero::zero();
		Datasets::<T>::insert(dataset, pool);
		if position.points == 0 {
			Positions::<T>::remove(&who, dataset);
		} else {
			Positions::<T>::insert(&who, dataset, position);
		}
		Self::deposit_event(Event::Claimed { who, dataset, amount });
		Ok(())
	}

	pub(crate) fn do_claim_account(who: T::AccountId) -> DispatchResult {
		let mut account = Accounts::<T>::get(&who).unwrap_or_default();
		Self::fold_account(&mut account);
		let amount = account.pending;
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		Self::pay(&who, amount)?;
		account.pending = Zero::zero();
		if account.model_fees.is_zero() && account.compute_fees.is_zero() {
			Accounts::<T>::remove(&who);
		} else {
			Accounts::<T>::insert(&who, account);
		}
		Self::deposit_event(Event::AccountClaimed { who, amount });
		Ok(())
	}
}

impl<T: Config> RevenueSink<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn job_settled(report: &SettlementReport<T::AccountId, BalanceOf<T>>) {
		Self::record_settlement(report);
	}
}

impl<T: Config> PointsSink<T::AccountId> for Pallet<T> {
	fn points_added(dataset: DatasetId, who: &T::AccountId, points: Points) {
		Self::change_points(dataset, who, |p| *p = p.saturating_add(points));
	}

	fn points_removed(dataset: DatasetId, who: &T::AccountId, points: Points) {
		Self::change_points(dataset, who, |p| *p = p.saturating_sub(points));
	}
}
