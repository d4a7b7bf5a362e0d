//! What clients read through the `ModelsApi` runtime API: models, versions (paged), lineage and
//! attribution.

use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::{AttributionEntry, ModelId, ModelVersionId, Page};

use crate::*;

/// A model as the runtime API returns it.
pub type ModelDetailsOf<T> =
	ModelDetails<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A version as the runtime API returns it.
pub type VersionDetailsOf<T> =
	VersionDetails<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// A model.
	pub fn model_details(id: ModelId) -> Option<ModelDetailsOf<T>> {
		Models::<T>::get(id).map(|info| ModelDetails { id, info })
	}

	/// A version with its owner and taint.
	pub fn version_details(id: ModelVersionId) -> Option<VersionDetailsOf<T>> {
		let record = Versions::<T>::get(id)?;
		let info = Models::<T>::get(record.model)?;
		Some(VersionDetails {
			id,
			owner: info.owner,
			licence: info.licence,
			taint: Self::taint_of(id, &record),
			model: record.model,
			number: record.number,
			publisher: record.publisher,
			artifact: record.artifact,
			parent: record.parent,
			builder_share: record.builder_share,
			price: record.price,
			commercial_use: record.commercial_use,
			deprecated: record.deprecated,
			published: record.published,
		})
	}

	/// Up to `limit` (at most `MaxPageSize`) versions of `model`, continuing after `start_after`
	/// (the last id of the previous page).
	pub fn versions_page(
		model: ModelId,
		start_after: Option<ModelVersionId>,
		limit: u32,
	) -> Vec<VersionDetailsOf<T>> {
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let ids: Vec<ModelVersionId> = match start_after {
			Some(last) => ModelVersions::<T>::iter_key_prefix_from(
				model,
				ModelVersions::<T>::hashed_key_for(model, last),
			)
			.take(limit)
			.collect(),
			None => ModelVersions::<T>::iter_key_prefix(model).take(limit).collect(),
		};
		ids.into_iter().filter_map(Self::version_details).collect()
	}

	/// Up to `limit` (at most `MaxPageSize`) models in id order after `start_after`; with `owner`,
	/// only the models it owns.
	pub fn models_page(
		owner: Option<&T::AccountId>,
		start_after: Option<ModelId>,
		limit: u32,
	) -> Page<ModelDetailsOf<T>, ModelId> {
		let from = start_after.map_or(0, |last| last.saturating_add(1));
		let limit = limit.min(T::MaxPageSize::get());
		Page::walk(from..NextModelId::<T>::get(), limit, |id| {
			Self::model_details(*id).filter(|m| owner.is_none_or(|o| &m.info.owner == o))
		})
	}

	/// Up to `limit` (at most `MaxPageSize`) versions in id order after `start_after` that
	/// `filter` selects.
	pub fn versions_where(
		filter: &VersionFilter<T::AccountId>,
		start_after: Option<ModelVersionId>,
		limit: u32,
	) -> Page<VersionDetailsOf<T>, ModelVersionId> {
		let from = start_after.map_or(0, |last| last.saturating_add(1));
		let limit = limit.min(T::MaxPageSize::get());
		Page::walk(from..NextVersionId::<T>::get(), limit, |id| {
			let record = Versions::<T>::get(id)?;
			let selected = match filter {
				VersionFilter::All | VersionFilter::Owner(_) => true,
				VersionFilter::Dataset(dataset) => {
					record.attribution.iter().any(|entry| entry.snapshot.dataset == *dataset)
				},
				VersionFilter::Snapshot(snapshot) => {
					record.inputs.iter().any(|input| input.snapshot == *snapshot)
				},
			};
			let details = selected.then(|| Self::version_details(*id)).flatten()?;
			match filter {
				VersionFilter::Owner(owner) => (details.owner == *owner).then_some(details),
				_ => Some(details),
			}
		})
	}

	/// A version's lineage: it and its ancestors with their inputs, its table and its taint.
	pub fn lineage(id: ModelVersionId) -> Option<Lineage<T::AccountId>> {
		let record = Versions::<T>::get(id)?;
		let nodes = core::iter::once(id)
			.chain(record.ancestors.iter().copied())
			.filter_map(|v| {
				Versions::<T>::get(v).map(|node| LineageNode {
					version: v,
					model: node.model,
					publisher: node.publisher,
					parent: node.parent,
					inputs: node.inputs.into_inner(),
					revoked: Revoked::<T>::get(v),
				})
			})
			.collect();
		Some(Lineage {
			nodes,
			taint: Self::taint_of(id, &record),
			attribution: record.attribution.into_inner(),
		})
	}

	/// A version's attribution table (empty for an unknown version).
	pub fn attribution_of(id: ModelVersionId) -> Vec<AttributionEntry> {
		Versions::<T>::get(id).map(|v| v.attribution.into_inner()).unwrap_or_default()
	}
}
