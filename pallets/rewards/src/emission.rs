//! The schedule, the matching rate and the era transition (the only place anything is minted).

use frame_support::{
	pallet_prelude::*,
	traits::{fungible::Mutate, tokens::Preservation},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	FixedPointNumber, FixedU128, Perbill,
};

use crate::*;

impl<T: Config> Pallet<T> {
	/// The schedule's emission for era `era`: `era_emission` halved every `halving_eras`.
	pub fn schedule(params: &EmissionOf<T>, era: EraIndex) -> BalanceOf<T> {
		let halvings = era / params.halving_eras.max(1);
		if halvings >= 128 {
			return Zero::zero();
		}
		let mut amount = params.era_emission;
		for _ in 0..halvings {
			amount /= 2u32.into();
			if amount.is_zero() {
				break;
			}
		}
		amount
	}

	/// The bootstrap rate of era `era`: linear from `bootstrap` at era 0 to zero at
	/// `bootstrap_eras`.
	pub fn bootstrap(params: &EmissionOf<T>, era: EraIndex) -> Perbill {
		if era >= params.bootstrap_eras {
			return Perbill::zero();
		}
		let left = params.bootstrap_eras - era;
		Perbill::from_rational(left, params.bootstrap_eras) * params.bootstrap
	}

	/// The matching rate of era `era`: α plus the bootstrap rate (at most the protocol fee).
	pub fn matching_rate(params: &EmissionOf<T>, era: EraIndex) -> Perbill {
		params.alpha.saturating_add(Self::bootstrap(params, era))
	}

	/// Ends the current era at block `now`: mints the emission backing its fees, pays the
	/// treasury what no live point may claim (with the emission backing such revenue), stores the era's rates, and starts
	/// the next era. Constant work.
	pub(crate) fn new_era(now: BlockNumberFor<T>, params: &EmissionOf<T>) {
		let ended = CurrentEra::<T>::get();
		let next = ended.saturating_add(1);
		let fees = CurrentFees::<T>::take();
		let mut summary = Self::emission(params, next, fees);

		// The era records what was minted, not what was meant to be: a pot mint that fails
		// promises the pools nothing (their rates are zero), a treasury mint that fails pays the
		// treasury nothing. Neither can fail while the pot and the treasury exist (both are
		// endowed at genesis and never pay out below the existential deposit) and issuance stays
		// under `MaxSupply`; `MintFailed` says so if it ever happens.
		let pot = Self::pot();
		let treasury = T::Treasury::get();
		let to_pot = summary.minted.saturating_sub(summary.treasury);
		if !Self::mint(ended, &pot, to_pot) {
			summary.data_rate = Zero::zero();
			summary.model_rate = Zero::zero();
			summary.compute_rate = Zero::zero();
			summary.minted = summary.treasury;
		}
		if !Self::mint(ended, &treasury, summary.treasury) {
			summary.minted = summary.minted.saturating_sub(summary.treasury);
			summary.treasury = Zero::zero();
		}
		let minted = summary.minted;
		TotalMinted::<T>::mutate(|m| *m = m.saturating_add(minted));
		// Revenue no live point received goes to the treasury with the emission it backed (the
		// data pool was minted for it at the era's data rate).
		let revenue = UnsharedRevenue::<T>::take();
		let backed = summary.data_rate.saturating_mul_int(revenue);
		Unshared::<T>::mutate(|u| *u = u.saturating_add(revenue).saturating_add(backed));
		let unshared = Unshared::<T>::get();
		if !unshared.is_zero()
			&& T::Currency::transfer(&pot, &treasury, unshared, Preservation::Preserve).is_ok()
		{
			Unshared::<T>::kill();
			Self::deposit_event(Event::UnsharedPaid { era: ended, amount: unshared });
		}
		Eras::<T>::insert(ended, summary);
		Self::prune_eras(ended);
		CurrentEra::<T>::put(next);
		EraStart::<T>::put(now);
		Self::deposit_event(Event::NewEra {
			era: next,
			fees_paid: fees.paid,
			alpha: summary.alpha,
			demand: summary.demand,
			schedule: summary.schedule,
			minted,
			treasury: summary.treasury,
			held_back: summary.held_back.total(),
			bound: summary.bound,
		});
	}

	/// Removes the summaries of eras that ended `EraHistory` eras or more before `ended`, the
	/// oldest first and at most `MAX_ERAS_PRUNED` of them.
	fn prune_eras(ended: EraIndex) {
		let keep_from = ended.saturating_add(1).saturating_sub(T::EraHistory::get());
		let mut oldest = OldestEra::<T>::get();
		let last = oldest.saturating_add(MAX_ERAS_PRUNED).min(keep_from);
		while oldest < last {
			Eras::<T>::remove(oldest);
			oldest += 1;
		}
		OldestEra::<T>::put(oldest);
	}

	/// Mints `amount` into `to`; on failure deposits `MintFailed` and returns false.
	fn mint(era: EraIndex, to: &T::AccountId, amount: BalanceOf<T>) -> bool {
		if amount.is_zero() {
			return true;
		}
		match T::Currency::mint_into(to, amount) {
			Ok(_) => true,
			Err(error) => {
				Self::deposit_event(Event::MintFailed { era, to: to.clone(), amount, error });
				false
			},
		}
	}

	/// What era `next` mints for the fees of the era before it; pure, so the runtime API can
	/// project it.
	///
	/// The budget is `min(schedule(next), α(next) × fees.paid)`, never past the cap; each of the
	/// data, model and compute pools gets its split share of it but at most `α(next)` per unit of
	/// its own fees, so its per-unit rate never exceeds `α(next)`; the treasury gets its share.
	pub fn emission(
		params: &EmissionOf<T>,
		next: EraIndex,
		fees: EraFees<BalanceOf<T>>,
	) -> EraSummary<BalanceOf<T>> {
		let schedule = Self::schedule(params, next);
		let alpha = Self::matching_rate(params, next);
		let demand = alpha.mul_floor(fees.paid);
		let cap = T::MaxSupply::get().saturating_sub(TotalMinted::<T>::get());

		let mut budget = demand.min(schedule);
		let mut bound = if demand.is_zero() {
			None
		} else if demand >= schedule {
			Some(Bound::Schedule)
		} else {
			Some(Bound::Demand)
		};
		if budget > cap {
			budget = cap;
			bound = Some(Bound::Cap);
		}
		let split = params.split;
		// A pool's share of the budget, capped at α per unit of the pool's own fees; the rest
		// is held back.
		let pool = |share: Perbill, pool_fees: BalanceOf<T>| {
			let share = share.mul_floor(budget);
			let paid = share.min(alpha.mul_floor(pool_fees));
			(paid, share.saturating_sub(paid))
		};
		let (data, data_held) = pool(split.data, fees.data);
		let (models, models_held) = pool(split.models, fees.models);
		let (compute, compute_held) = pool(split.compute, fees.compute);
		let treasury = split.treasury.mul_floor(budget);
		let rate = |pool: BalanceOf<T>, total: BalanceOf<T>| {
			if total.is_zero() {
				FixedU128::zero()
			} else {
				FixedU128::saturating_from_rational(pool, total)
			}
		};
		EraSummary {
			fees,
			schedule,
			alpha,
			demand,
			minted: data.saturating_add(models).saturating_add(compute).saturating_add(treasury),
			treasury,
			held_back: PoolAmounts { data: data_held, models: models_held, compute: compute_held },
			bound,
			data_rate: rate(data, fees.data),
			model_rate: rate(models, fees.models),
			compute_rate: rate(compute, fees.compute),
		}
	}
}
