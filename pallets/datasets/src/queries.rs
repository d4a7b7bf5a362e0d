//! What clients read through the `DatasetsApi` runtime API: datasets, contributions, snapshots
//! and points, paged and bounded.

use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::{ContributionId, DatasetId, Page, Points, SnapshotVersion};

use crate::*;

/// A dataset as the runtime API returns it.
pub type DatasetDetailsOf<T> =
	DatasetDetails<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A contribution as the runtime API returns it.
pub type ContributionDetailsOf<T> =
	ContributionDetails<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// A dataset with its curators.
	pub fn dataset_details(id: DatasetId) -> Option<DatasetDetailsOf<T>> {
		let info = Datasets::<T>::get(id)?;
		Some(DatasetDetails { id, info, curators: Curators::<T>::get(id).into_inner() })
	}

	/// A contribution with its id.
	pub fn contribution_details(id: ContributionId) -> Option<ContributionDetailsOf<T>> {
		Contributions::<T>::get(id).map(|contribution| ContributionDetails { id, contribution })
	}

	/// Up to `limit` (at most `MaxPageSize`) snapshots of `dataset`, from version `from` on.
	pub fn snapshots_page(
		dataset: DatasetId,
		from: SnapshotVersion,
		limit: u32,
	) -> Vec<(SnapshotVersion, SnapshotOf<T>)> {
		let Some(info) = Datasets::<T>::get(dataset) else { return Vec::new() };
		let limit = limit.min(T::MaxPageSize::get());
		(from.max(1)..=info.snapshots)
			.take(limit as usize)
			.filter_map(|v| Snapshots::<T>::get(dataset, v).map(|s| (v, s)))
			.collect()
	}

	/// Up to `limit` (at most `MaxPageSize`) contributions of `who`, continuing after
	/// `start_after` (the last id of the previous page).
	pub fn account_contributions_page(
		who: &T::AccountId,
		start_after: Option<ContributionId>,
		limit: u32,
	) -> Vec<ContributionDetailsOf<T>> {
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let ids: Vec<ContributionId> = match start_after {
			Some(last) => AccountContributions::<T>::iter_key_prefix_from(
				who,
				AccountContributions::<T>::hashed_key_for(who, last),
			)
			.take(limit)
			.collect(),
			None => AccountContributions::<T>::iter_key_prefix(who).take(limit).collect(),
		};
		ids.into_iter().filter_map(Self::contribution_details).collect()
	}

	/// Up to `limit` (at most `MaxPageSize`) of the datasets `owner` owns, after `start_after`, in
	/// storage order.
	pub fn owned_datasets_page(
		owner: &T::AccountId,
		start_after: Option<DatasetId>,
		limit: u32,
	) -> Vec<DatasetDetailsOf<T>> {
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let ids: Vec<DatasetId> = match start_after {
			Some(last) => OwnedDatasets::<T>::iter_key_prefix_from(
				owner,
				OwnedDatasets::<T>::hashed_key_for(owner, last),
			)
			.take(limit)
			.collect(),
			None => OwnedDatasets::<T>::iter_key_prefix(owner).take(limit).collect(),
		};
		ids.into_iter().filter_map(Self::dataset_details).collect()
	}

	/// Up to `limit` (at most `MaxPageSize`) datasets in id order, after `start_after`.
	pub fn datasets_page(
		start_after: Option<DatasetId>,
		limit: u32,
	) -> Page<DatasetDetailsOf<T>, DatasetId> {
		let from = start_after.map_or(0, |last| last.saturating_add(1));
		let limit = limit.min(T::MaxPageSize::get());
		Page::walk(from..NextDatasetId::<T>::get(), limit, |id| Self::dataset_details(*id))
	}

	/// Up to `limit` (at most `MaxPageSize`) of `dataset`'s accepted contributions in acceptance
	/// order (the order its content root chains them in), after position `start_after`; the
	/// cursor is a position. A contribution whose consent was withdrawn keeps its place.
	pub fn accepted_contributions_page(
		dataset: DatasetId,
		start_after: Option<u32>,
		limit: u32,
	) -> Page<ContributionDetailsOf<T>, u32> {
		let accepted = Datasets::<T>::get(dataset).map_or(0, |info| info.accepted);
		let from = start_after.map_or(0, |last| last.saturating_add(1));
		let limit = limit.min(T::MaxPageSize::get());
		Page::walk(from..accepted, limit, |position| {
			AcceptedContributions::<T>::get(dataset, position).and_then(Self::contribution_details)
		})
	}

	/// Points `who` holds in `dataset`.
	pub fn points_of(dataset: DatasetId, who: &T::AccountId) -> Points {
		ContributorPoints::<T>::get(dataset, who)
	}
}
