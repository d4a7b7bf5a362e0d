//! Distribution with reward-per-unit accumulators: what settled jobs and points changes record,
//! how a dataset or account folds in its last era, and claims paid from the pot. Every step is
//! O(1).

use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::Mutate, tokens::Preservation},
};
use lineage_primitives::{DatasetId, Points, SettlementReport};
use sp_runtime::{
	traits::{SaturatedConversion, Saturating, Zero},
	FixedPointNumber, FixedU128,
};

use crate::*;

impl<T: Config> Pallet<T> {
	/// Shares into `pool`, by its points, the revenue of the era it last earned in and the
	/// emission that revenue backs, once that era has ended. Pure: when the pool holds no points
	/// nothing is shared and the amounts are returned, for the caller to send to the treasury.
	pub(crate) fn fold_dataset(
		pool: &mut DatasetPool<BalanceOf<T>>,
	) -> Option<UnsharedEra<BalanceOf<T>>> {
		if pool.revenue.is_zero() || pool.era >= CurrentEra::<T>::get() {
			return None;
		}
		let rate = Eras::<T>::get(pool.era).map(|e| e.data_rate).unwrap_or_default();
		let revenue = core::mem::take(&mut pool.revenue);
		let emission = rate.saturating_mul_int(revenue);
		if pool.points == 0 {
			return Some(UnsharedEra { era: pool.era, revenue, emission });
		}
		let per_point = |amount| FixedU128::saturating_from_rational(amount, pool.points);
		pool.revenue_per_point = pool.revenue_per_point.saturating_add(per_point(revenue));
		pool.emission_per_point = pool.emission_per_point.saturating_add(per_point(emission));
		None
	}

	/// [`Self::fold_dataset`] in a state-changing context: what could not be shared is kept for
	/// the treasury (paid at the next era transition).
	fn fold_dataset_mut(dataset: DatasetId, pool: &mut DatasetPool<BalanceOf<T>>) {
		if let Some(unshared) = Self::fold_dataset(pool) {
			let amount = unshared.revenue.saturating_add(unshared.emission);
			Unshared::<T>::mutate(|u| *u = u.saturating_add(amount));
			Self::deposit_event(Event::UnsharedToTreasury {
				dataset,
				era: unshared.era,
				revenue: unshared.revenue,
				emission: unshared.emission,
			});
		}
	}

	/// Adds to `position` what it earned since it was last settled.
	pub(crate) fn settle_position(
		pool: &DatasetPool<BalanceOf<T>>,
		position: &mut Position<BalanceOf<T>>,
	) {
		let points: BalanceOf<T> = position.points.saturated_into();
		let earned =
			|now: FixedU128, paid: FixedU128| now.saturating_sub(paid).saturating_mul_int(points);
		position.revenue = position
			.revenue
			.saturating_add(earned(pool.revenue_per_point, position.revenue_paid));
		position.emission = position
			.emission
			.saturating_add(earned(pool.emission_per_point, position.emission_paid));
		position.revenue_paid = pool.revenue_per_point;
		position.emission_paid = pool.emission_per_point;
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

	/// Changes `who`'s points in `dataset` by `change`, settling what was earned before.
	pub(crate) fn change_points(
		dataset: DatasetId,
		who: &T::AccountId,
		change: impl FnOnce(&mut Points),
	) {
		let mut pool = DatasetPools::<T>::get(dataset).unwrap_or_default();
		Self::fold_dataset_mut(dataset, &mut pool);
		let mut position = Positions::<T>::get(who, dataset).unwrap_or_default();
		Self::settle_position(&pool, &mut position);
		let before = position.points;
		change(&mut position.points);
		pool.points = pool.points.saturating_sub(before).saturating_add(position.points);
		DatasetPools::<T>::insert(dataset, pool);
		if position.points == 0 && position.revenue.is_zero() && position.emission.is_zero() {
			Positions::<T>::remove(who, dataset);
		} else {
			Positions::<T>::insert(who, dataset, position);
		}
	}

	/// Records a settled job: the era's fees, each dataset's revenue (shared with its emission
	/// once the era has ended), and the owner's and provider's usage.
	pub(crate) fn record_settlement(report: &SettlementReport<T::AccountId, BalanceOf<T>>) {
		let era = CurrentEra::<T>::get();
		let mut fees = CurrentFees::<T>::get();
		fees.paid = fees.paid.saturating_add(report.paid);
		for &(dataset, amount) in &report.datasets {
			let mut pool = DatasetPools::<T>::get(dataset).unwrap_or_default();
			Self::fold_dataset_mut(dataset, &mut pool);
			pool.revenue = pool.revenue.saturating_add(amount);
			pool.era = era;
			DatasetPools::<T>::insert(dataset, pool);
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

	pub(crate) fn do_claim(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let mut pool = DatasetPools::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		Self::fold_dataset_mut(dataset, &mut pool);
		let mut position = Positions::<T>::get(&who, dataset).unwrap_or_default();
		Self::settle_position(&pool, &mut position);
		let emission = position.emission;
		let amount = position.revenue.saturating_add(emission);
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		Self::pay(&who, amount)?;
		position.revenue = Zero::zero();
		position.emission = Zero::zero();
		DatasetPools::<T>::insert(dataset, pool);
		if position.points == 0 {
			Positions::<T>::remove(&who, dataset);
		} else {
			Positions::<T>::insert(&who, dataset, position);
		}
		Self::deposit_event(Event::Claimed { who, dataset, amount, emission });
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
