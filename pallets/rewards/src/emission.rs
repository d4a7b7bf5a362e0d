//! The era transition (the only place anything is minted) and the parameters.

use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::Mutate, tokens::Preservation},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	FixedPointNumber, FixedU128,
};

use crate::*;

impl<T: Config> Pallet<T> {
	/// The schedule's emission for era `era`: `InitialEraEmission` halved every `HalvingEras`.
	pub fn schedule(era: EraIndex) -> BalanceOf<T> {
		let halvings = era / T::HalvingEras::get().max(1);
		if halvings >= 128 {
			return Zero::zero();
		}
		let mut amount = T::InitialEraEmission::get();
		for _ in 0..halvings {
			amount /= 2u32.into();
			if amount.is_zero() {
				break;
			}
		}
		amount
	}

	/// The bootstrap allowance for era `era`: linear from `bootstrap` at era 0 to zero at
	/// `bootstrap_eras`.
	pub fn bootstrap(params: &ParametersOf<T>, era: EraIndex) -> BalanceOf<T> {
		if era >= params.bootstrap_eras {
			return Zero::zero();
		}
		let left = params.bootstrap_eras - era;
		sp_runtime::Perbill::from_rational(left, params.bootstrap_eras).mul_floor(params.bootstrap)
	}

	/// The parameters in force (the genesis set, or all zero if there is none).
	pub fn parameters() -> VersionedParameters<BalanceOf<T>, BlockNumberFor<T>> {
		Params::<T>::get().unwrap_or(VersionedParameters {
			version: 0,
			params: Parameters {
				alpha: Zero::zero(),
				protocol_fee: Zero::zero(),
				bootstrap: Zero::zero(),
				bootstrap_eras: 0,
				split: Split {
					data: Zero::zero(),
					models: Zero::zero(),
					compute: Zero::zero(),
					treasury: sp_runtime::Perbill::one(),
				},
				parent_share: Zero::zero(),
				challenge_period: 1u32.into(),
				unbonding_period: 1u32.into(),
			},
			since: Zero::zero(),
		})
	}

	/// Ends the current era at block `now`: mints the emission backing its usage and the next
	/// era's bootstrap allowance, stores its rates, and starts the next era. Constant work.
	pub(crate) fn new_era(now: BlockNumberFor<T>) {
		let ended = CurrentEra::<T>::get();
		let next = ended.saturating_add(1);
		let fees = CurrentFees::<T>::take();
		let params = Self::parameters().params;
		let summary = Self::emission(&params, next, fees, TotalPoints::<T>::get());

		let pot = Self::pot();
		let to_treasury = summary.treasury;
		let to_pot = summary.minted.saturating_sub(to_treasury);
		let minted =
			Self::mint(&pot, to_pot).saturating_add(Self::mint(&T::Treasury::get(), to_treasury));
		TotalMinted::<T>::mutate(|m| *m = m.saturating_add(minted));
		if !summary.bootstrap_minted.is_zero() {
			let points = TotalPoints::<T>::get();
			let per_point = FixedU128::saturating_from_rational(summary.bootstrap_minted, points);
			BootstrapPerPoint::<T>::mutate(|acc| *acc = acc.saturating_add(per_point));
		}
		Eras::<T>::insert(ended, summary);
		CurrentEra::<T>::put(next);
		EraStart::<T>::put(now);
		Self::deposit_event(Event::NewEra {
			era: next,
			fees_paid: fees.paid,
			minted,
			bound: summary.bound,
		});
	}

	fn mint(to: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		T::Currency::mint_into(to, amount).unwrap_or_else(|_| Zero::zero())
	}

	/// What era `next` mints for the fees of the era before it, with `points` contributor points
	/// across all datasets; pure, so the runtime API can project it.
	pub fn emission(
		params: &ParametersOf<T>,
		next: EraIndex,
		fees: EraFees<BalanceOf<T>>,
		points: u128,
	) -> EraSummary<BalanceOf<T>> {
		let schedule = Self::schedule(next);
		let bootstrap = Self::bootstrap(params, next);
		let demand = params.alpha.mul_floor(fees.paid);
		let cap = T::MaxSupply::get().saturating_sub(TotalMinted::<T>::get());

		// Usage-backed emission for each pool with usage to pay; bootstrap only if points exist.
		let pool = |share: sp_runtime::Perbill, usage: BalanceOf<T>| {
			if usage.is_zero() {
				Zero::zero()
			} else {
				share
			}
		};
		let split = params.split;
		let usable = [
			pool(split.data, fees.data),
			pool(split.models, fees.models),
			pool(split.compute, fees.compute),
			split.treasury,
		];
		let mut usage = demand.min(schedule);
		let mut bootstrap_minted =
			if points == 0 { Zero::zero() } else { bootstrap.min(schedule.saturating_sub(usage)) };
		let mut bound = if demand.saturating_add(bootstrap) >= schedule {
			Some(Bound::Schedule)
		} else if demand.saturating_add(bootstrap).is_zero() {
			None
		} else {
			Some(Bound::Demand)
		};
		if usage.saturating_add(bootstrap_minted) > cap {
			usage = usage.min(cap);
			bootstrap_minted = bootstrap_minted.min(cap.saturating_sub(usage));
			bound = Some(Bound::Cap);
		}
		let data = usable[0].mul_floor(usage);
		let models = usable[1].mul_floor(usage);
		let compute = usable[2].mul_floor(usage);
		let treasury = usable[3].mul_floor(usage);
		let usage_minted =
			data.saturating_add(models).saturating_add(compute).saturating_add(treasury);
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
			bootstrap,
			minted: usage_minted.saturating_add(bootstrap_minted),
			usage: usage_minted,
			bootstrap_minted,
			treasury,
			bound,
			data_rate: rate(data, fees.data),
			model_rate: rate(models, fees.models),
			compute_rate: rate(compute, fees.compute),
		}
	}

	/// Refuses an inconsistent parameter set.
	pub(crate) fn check_parameters(params: &ParametersOf<T>) -> DispatchResult {
		ensure!(params.split.is_whole(), Error::<T>::SplitNotWhole);
		ensure!(params.alpha <= params.protocol_fee, Error::<T>::AlphaAboveProtocolFee);
		ensure!(
			!params.challenge_period.is_zero() && !params.unbonding_period.is_zero(),
			Error::<T>::ZeroPeriod
		);
		Ok(())
	}

	pub(crate) fn do_set_parameters(params: ParametersOf<T>) -> DispatchResult {
		Self::check_parameters(&params)?;
		let version = match Params::<T>::get() {
			Some(current) => current.version.checked_add(1).ok_or(Error::<T>::Overflow)?,
			None => 0,
		};
		let record = VersionedParameters {
			version,
			params,
			since: frame_system::Pallet::<T>::block_number(),
		};
		Params::<T>::put(record);
		ParamsHistory::<T>::insert(version, record);
		if let Some(old) = version.checked_sub(T::MaxParamsHistory::get()) {
			ParamsHistory::<T>::remove(old);
		}
		Self::deposit_event(Event::ParametersSet { version });
		Ok(())
	}

	/// Pays `amount` from the pot to `who`, keeping the pot alive.
	pub(crate) fn pay(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		T::Currency::transfer(&Self::pot(), who, amount, Preservation::Preserve)?;
		Ok(())
	}
}
