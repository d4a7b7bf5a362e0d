//! Providers: registration, bonds, unbonding, leaving, and the per-operator and per-region shares
//! kept for measuring concentration.

use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision, DefensiveSaturating},
};
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::Uri;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchResult,
};

use crate::*;

impl<T: Config> Pallet<T> {
	/// Applies `change` to the shares of `provider`'s operator and region; an entry that counts
	/// no provider any more is removed.
	pub(crate) fn update_shares(
		provider: &ProviderOf<T>,
		change: impl Fn(&mut Share<BalanceOf<T>>),
	) {
		OperatorShares::<T>::mutate(&provider.operator, Self::change_share(&change));
		RegionShares::<T>::mutate(&provider.region, Self::change_share(&change));
	}

	/// Applies `change` to a stored share, removing it when it counts no provider any more.
	fn change_share(
		change: impl Fn(&mut Share<BalanceOf<T>>),
	) -> impl FnOnce(&mut Option<Share<BalanceOf<T>>>) {
		move |share| {
			let mut s = share.take().unwrap_or_default();
			change(&mut s);
			*share = (s.providers > 0).then_some(s);
		}
	}

	pub(crate) fn do_register_provider(
		who: T::AccountId,
		bond: BalanceOf<T>,
		endpoint: Uri,
		kinds: JobKinds,
		operator: T::AccountId,
		region: Region,
	) -> DispatchResult {
		ensure!(!Providers::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
		ensure!(lineage_primitives::uri_fits::<T::MaxUriLen>(&endpoint), Error::<T>::UriTooLong);
		ensure!(kinds.any(), Error::<T>::NoKinds);
		ensure!(bond >= T::MinBond::get() && !bond.is_zero(), Error::<T>::BondTooLow);
		let count = ProviderCount::<T>::get().checked_add(1).ok_or(Error::<T>::Overflow)?;

		T::Currency::hold(&HoldReason::ProviderBond.into(), &who, bond)?;
		let provider = Provider {
			operator: operator.clone(),
			endpoint,
			kinds,
			region: region.clone(),
			bond,
			locked: Zero::zero(),
			unbonding: None,
			active_jobs: 0,
			leaving: false,
			registered: frame_system::Pallet::<T>::block_number(),
		};
		Self::update_shares(&provider, |s| {
			s.providers = s.providers.saturating_add(1);
			s.bond = s.bond.saturating_add(bond);
		});
		Providers::<T>::insert(&who, provider);
		ProviderCount::<T>::put(count);
		Self::deposit_event(Event::ProviderRegistered { provider: who, operator, bond, region });
		Ok(())
	}

	pub(crate) fn do_update_provider(
		who: T::AccountId,
		endpoint: Option<Uri>,
		kinds: Option<JobKinds>,
		region: Option<Region>,
	) -> DispatchResult {
		let mut provider = Self::serving(&who)?;
		if let Some(endpoint) = endpoint {
			ensure!(
				lineage_primitives::uri_fits::<T::MaxUriLen>(&endpoint),
				Error::<T>::UriTooLong
			);
			provider.endpoint = endpoint;
		}
		if let Some(kinds) = kinds {
			ensure!(kinds.any(), Error::<T>::NoKinds);
			provider.kinds = kinds;
		}
		if let Some(region) = region {
			// Its stake moves to the new region's share; the fees it earned stay where they were
			// earned.
			let stake = provider.bond.saturating_add(provider.locked);
			RegionShares::<T>::mutate(
				&provider.region,
				Self::change_share(|s| {
					s.bond = s.bond.saturating_sub(stake);
					s.providers = s.providers.saturating_sub(1);
				}),
			);
			RegionShares::<T>::mutate(
				&region,
				Self::change_share(|s| {
					s.bond = s.bond.saturating_add(stake);
					s.providers = s.providers.saturating_add(1);
				}),
			);
			provider.region = region;
		}
		let region = provider.region.clone();
		Providers::<T>::insert(&who, provider);
		Self::deposit_event(Event::ProviderUpdated { provider: who, region });
		Ok(())
	}

	/// The provider record of `who`, if it is registered and not leaving.
	fn serving(who: &T::AccountId) -> Result<ProviderOf<T>, DispatchError> {
		let provider = Providers::<T>::get(who).ok_or(Error::<T>::UnknownProvider)?;
		ensure!(!provider.leaving, Error::<T>::ProviderLeaving);
		Ok(provider)
	}

	pub(crate) fn do_bond_extra(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut provider = Self::serving(&who)?;
		T::Currency::hold(&HoldReason::ProviderBond.into(), &who, amount)?;
		provider.bond = provider.bond.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		Self::update_shares(&provider, |s| s.bond = s.bond.saturating_add(amount));
		Providers::<T>::insert(&who, provider);
		Self::deposit_event(Event::Bonded { provider: who, amount });
		Ok(())
	}

	pub(crate) fn do_unbond(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut provider = Self::serving(&who)?;
		ensure!(amount <= provider.bond, Error::<T>::BondLocked);
		let left = provider.bond.defensive_saturating_sub(amount);
		ensure!(left >= T::MinBond::get() && !left.is_zero(), Error::<T>::BondTooLow);
		let at = Self::start_unbonding(&mut provider, amount);
		Self::update_shares(&provider, |s| s.bond = s.bond.saturating_sub(amount));
		Providers::<T>::insert(&who, provider);
		Self::deposit_event(Event::Unbonding { provider: who, amount, at });
		Ok(())
	}

	/// Moves `amount` of the free bond into the unbonding chunk, restarting its period.
	fn start_unbonding(provider: &mut ProviderOf<T>, amount: BalanceOf<T>) -> BlockNumberFor<T> {
		let at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		let already = provider.unbonding.map(|(a, _)| a).unwrap_or_default();
		provider.bond = provider.bond.defensive_saturating_sub(amount);
		provider.unbonding = Some((already.saturating_add(amount), at));
		at
	}

	pub(crate) fn do_withdraw_unbonded(who: T::AccountId) -> DispatchResult {
		let mut provider = Providers::<T>::get(&who).ok_or(Error::<T>::UnknownProvider)?;
		let (amount, at) = provider.unbonding.ok_or(Error::<T>::NothingUnbonding)?;
		ensure!(frame_system::Pallet::<T>::block_number() >= at, Error::<T>::UnbondingNotDue);
		T::Currency::release(&HoldReason::ProviderBond.into(), &who, amount, Precision::Exact)?;
		provider.unbonding = None;
		if provider.leaving && provider.bond.is_zero() && provider.locked.is_zero() {
			Providers::<T>::remove(&who);
			ProviderCount::<T>::mutate(|c| *c = c.saturating_sub(1));
		} else {
			Providers::<T>::insert(&who, provider);
		}
		Self::deposit_event(Event::Unbonded { provider: who, amount });
		Ok(())
	}

	pub(crate) fn do_deregister(who: T::AccountId) -> DispatchResult {
		let mut provider = Self::serving(&who)?;
		ensure!(provider.active_jobs == 0, Error::<T>::HasActiveJobs);
		let bond = provider.bond;
		Self::start_unbonding(&mut provider, bond);
		provider.leaving = true;
		Self::update_shares(&provider, |s| {
			s.bond = s.bond.saturating_sub(bond);
			s.providers = s.providers.saturating_sub(1);
		});
		Providers::<T>::insert(&who, provider);
		Self::deposit_event(Event::ProviderLeft { provider: who });
		Ok(())
	}
}
