//! What clients read through the `RewardsApi` runtime API: pending rewards, eras, minted supply,
//! parameters and a projection of the schedule.

use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::{DatasetId, Page, SnapshotVersion};
use sp_runtime::{traits::Saturating, Perbill};

use crate::*;

impl<T: Config> Pallet<T> {
	/// What `who` may claim now of its points in `dataset` first held by snapshot
	/// `first_snapshot`: in all, and the emission part of it.
	pub fn pending_in(
		who: &T::AccountId,
		dataset: DatasetId,
		first_snapshot: SnapshotVersion,
	) -> (BalanceOf<T>, BalanceOf<T>) {
		let Some(mut position) = Positions::<T>::get(who, (dataset, first_snapshot)) else {
			return Default::default();
		};
		Self::settle_position(dataset, first_snapshot, &mut position);
		(position.revenue.saturating_add(position.emission), position.emission)
	}

	/// What `who` may claim: as owner and provider, and in up to `limit` (at most `MaxPageSize`)
	/// of its positions after `start_after` (a dataset and first snapshot).
	pub fn pending(
		who: &T::AccountId,
		start_after: Option<(DatasetId, SnapshotVersion)>,
		limit: u32,
	) -> PendingRewards<BalanceOf<T>> {
		let account = AccountPools::<T>::get(who)
			.map(|mut a| {
				Self::fold_account(&mut a);
				a.pending
			})
			.unwrap_or_default();
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let keys: Vec<(DatasetId, SnapshotVersion)> = match start_after {
			Some(last) => {
				Positions::<T>::iter_key_prefix_from(who, Positions::<T>::hashed_key_for(who, last))
					.take(limit)
					.collect()
			},
			None => Positions::<T>::iter_key_prefix(who).take(limit).collect(),
		};
		let datasets = keys
			.into_iter()
			.map(|(d, f)| {
				let (amount, emission) = Self::pending_in(who, d, f);
				(d, f, amount, emission)
			})
			.collect();
		PendingRewards { account, datasets }
	}

	/// The current era.
	pub fn era() -> EraInfo<BalanceOf<T>, BlockNumberFor<T>> {
		EraInfo {
			index: CurrentEra::<T>::get(),
			start: EraStart::<T>::get(),
			length: T::Emission::get().era_length,
			fees: CurrentFees::<T>::get(),
		}
	}

	/// The last era that ended: its fees, what was minted, which term bounded it and what the
	/// pool rate cap held back.
	pub fn last_era() -> Option<(EraIndex, EraSummary<BalanceOf<T>>)> {
		let last = CurrentEra::<T>::get().checked_sub(1)?;
		Eras::<T>::get(last).map(|summary| (last, summary))
	}

	/// Up to `limit` (at most `MaxPageSize`) ended eras in order after `start_after`, each with
	/// its summary: fees against emission over the last `EraHistory` eras (older ones are
	/// pruned; the indexer keeps them).
	pub fn eras_page(
		start_after: Option<EraIndex>,
		limit: u32,
	) -> Page<(EraIndex, EraSummary<BalanceOf<T>>), EraIndex> {
		let from = start_after.map_or(0, |last| last.saturating_add(1)).max(OldestEra::<T>::get());
		let limit = limit.min(T::MaxPageSize::get());
		Page::walk(from..CurrentEra::<T>::get(), limit, |era| {
			Eras::<T>::get(era).map(|summary| (*era, summary))
		})
	}

	/// Everything minted so far, and the cap.
	pub fn supply() -> (BalanceOf<T>, BalanceOf<T>) {
		(TotalMinted::<T>::get(), T::MaxSupply::get())
	}

	/// For the next `eras` eras (at most `MaxPageSize`), starting with the one the current
	/// era's fees are minted in: the schedule's emission and the matching rate (α plus the
	/// bootstrap rate) applied to the fees of the era before.
	pub fn projection(eras: u32) -> Vec<(EraIndex, BalanceOf<T>, Perbill)> {
		let params = T::Emission::get();
		let from = CurrentEra::<T>::get().saturating_add(1);
		(from..from.saturating_add(eras.min(T::MaxPageSize::get())))
			.map(|e| (e, Self::schedule(&params, e), Self::matching_rate(&params, e)))
			.collect()
	}
}
