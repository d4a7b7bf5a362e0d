//! What clients read through the `ComputeApi` runtime API: jobs, providers, quotes and the
//! market's concentration.

use alloc::vec::Vec;
use frame_support::traits::{DefensiveSaturating, Get};
use lineage_primitives::{JobId, ModelInspect, ModelVersionId, Page};
use sp_runtime::{traits::Saturating, Perbill};

use crate::*;

/// How many of the largest holders a concentration report names.
const LARGEST: usize = 5;

impl<T: Config> Pallet<T> {
	/// What a job on `model_version` with `fee` costs the requester (escrow, record deposit) and
	/// what collateral a provider locks for it; `None` for an unknown version.
	pub fn quote(
		model_version: ModelVersionId,
		fee: BalanceOf<T>,
	) -> Option<(BalanceOf<T>, BalanceOf<T>, BalanceOf<T>)> {
		let view = T::Models::version(model_version)?;
		Some((fee.saturating_add(view.price), T::RecordDeposit::get(), Self::collateral_for(fee)))
	}

	/// A job and its responsibility record.
	pub fn job_record(job: JobId) -> Option<JobOf<T>> {
		Jobs::<T>::get(job)
	}

	/// A provider.
	pub fn provider(who: &T::AccountId) -> Option<ProviderOf<T>> {
		Providers::<T>::get(who)
	}

	/// Up to `limit` (at most `MaxPageSize`) of the jobs on record that `filter` selects, newest
	/// first, below `before` (the cursor: the last id the previous page examined).
	pub fn jobs_page(
		filter: &JobFilter<T::AccountId>,
		before: Option<JobId>,
		limit: u32,
	) -> Page<(JobId, JobOf<T>), JobId> {
		let now = Self::now();
		let limit = limit.min(T::MaxPageSize::get());
		let below = before.unwrap_or_else(NextJobId::<T>::get);
		Page::walk((0..below).rev(), limit, |id| {
			Jobs::<T>::get(id).filter(|job| filter.selects(job, &now)).map(|job| (*id, job))
		})
	}

	/// Up to `limit` (at most `MaxPageSize`) providers in storage order, after `start_after`.
	pub fn providers_page(
		start_after: Option<T::AccountId>,
		limit: u32,
	) -> Page<(T::AccountId, ProviderOf<T>), T::AccountId> {
		let limit = limit.min(T::MaxPageSize::get());
		let accounts = match start_after {
			Some(last) => Providers::<T>::iter_keys_from(Providers::<T>::hashed_key_for(last)),
			None => Providers::<T>::iter_keys(),
		};
		Page::walk(accounts, limit, |who| Providers::<T>::get(who).map(|p| (who.clone(), p)))
	}

	/// How concentrated bonds and fees are across operators and regions. Reads one entry per
	/// operator and per region (each backed by at least one provider's bond) and sorts them: a
	/// runtime API, run by a node for its client, never inside a block.
	pub fn concentration() -> MarketConcentration<T::AccountId, BalanceOf<T>> {
		let operators: Vec<_> = OperatorShares::<T>::iter().collect();
		let regions: Vec<_> = RegionShares::<T>::iter().collect();
		MarketConcentration {
			bond_by_operator: measure(operators.iter().map(|(k, s)| (k.clone(), s.bond)).collect()),
			fees_by_operator: measure(operators.into_iter().map(|(k, s)| (k, s.fees)).collect()),
			bond_by_region: measure(regions.iter().map(|(k, s)| (k.clone(), s.bond)).collect()),
			fees_by_region: measure(regions.into_iter().map(|(k, s)| (k, s.fees)).collect()),
		}
	}
}

/// Total, largest holders, Herfindahl index and Nakamoto coefficient of `amounts`.
fn measure<K, B>(mut amounts: Vec<(K, B)>) -> Concentration<K, B>
where
	B: sp_runtime::traits::AtLeast32BitUnsigned + Copy,
{
	amounts.retain(|(_, a)| !a.is_zero());
	amounts.sort_by_key(|(_, a)| core::cmp::Reverse(*a));
	let total = amounts.iter().fold(B::zero(), |sum, (_, a)| sum.saturating_add(*a));
	if total.is_zero() {
		return Concentration {
			total,
			largest: Vec::new(),
			herfindahl: Perbill::zero(),
			nakamoto: 0,
		};
	}
	let share = |a: B| Perbill::from_rational(a, total);
	let herfindahl = amounts
		.iter()
		.fold(Perbill::zero(), |sum, (_, a)| sum.saturating_add(share(*a).square()));
	let mut held = B::zero();
	let mut nakamoto = 0;
	for (_, a) in &amounts {
		held = held.saturating_add(*a);
		nakamoto.saturating_inc();
		if held > total.defensive_saturating_sub(held) {
			break;
		}
	}
	let largest = amounts.into_iter().take(LARGEST).map(|(k, a)| (k, share(a))).collect();
	Concentration { total, largest, herfindahl, nakamoto }
}
