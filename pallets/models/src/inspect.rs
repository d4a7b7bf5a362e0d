//! What other pallets and clients read: taint, [`ModelInspect`], the runtime-API queries, and the
//! pallet's invariants.

use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::{
	Attribution, AttributionEntry, ModelId, ModelVersionId, ModelVersionView, SnapshotRef,
	SnapshotStatus, Taint,
};

use crate::*;

impl<T: Config> Pallet<T> {
	/// Why version `id` (stored as `record`) may not be used, if it may not: it or an ancestor is
	/// revoked, or a snapshot in its table is withdrawn or taken down. Reads at most
	/// `MaxLineageDepth + 1` markers and `MaxAttributionEntries` snapshots.
	pub(crate) fn taint_of(id: ModelVersionId, record: &VersionOf<T>) -> Option<Taint> {
		let lineage = core::iter::once(id).chain(record.ancestors.iter().copied());
		if let Some(revoked) = lineage.into_iter().find(|v| Revoked::<T>::contains_key(v)) {
			return Some(Taint::Revoked(revoked));
		}
		record.attribution.iter().find_map(|entry| {
			match T::Datasets::snapshot_info(entry.snapshot).map(|view| view.status) {
				Some(SnapshotStatus::Active) => None,
				Some(SnapshotStatus::Withdrawn) => Some(Taint::SnapshotWithdrawn(entry.snapshot)),
				Some(SnapshotStatus::TakenDown) | None => {
					Some(Taint::SnapshotTakenDown(entry.snapshot))
				},
			}
		})
	}

	/// Why `version` may not be used, if it may not (`None` also for an unknown version).
	pub fn taint(version: ModelVersionId) -> Option<Taint> {
		Versions::<T>::get(version).and_then(|v| Self::taint_of(version, &v))
	}

	/// A model.
	pub fn model_details(
		id: ModelId,
	) -> Option<ModelDetails<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		Models::<T>::get(id).map(|info| ModelDetails { id, info })
	}

	/// A version with its owner and taint.
	pub fn version_details(
		id: ModelVersionId,
	) -> Option<VersionDetails<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
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
	) -> Vec<VersionDetails<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
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

	/// Checks the pallet's invariants:
	/// - every version's model exists and lists it, its number is within the model's count, its
	///   attribution table sums to exactly 100% with one entry per dataset, its parent exists, was
	///   published before it and heads its ancestry, and a version without commercial use is
	///   unpriced;
	/// - each model's live version count matches its index, and each version's child count the
	///   versions naming it as parent (so a retired version is no live version's parent);
	/// - the funds held for each reason equal what the records say is held.
	///
	/// Compiled with `std` too, so the runtime's integration tests run it after every block.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
		use frame_support::{ensure, traits::fungible::InspectHold};
		use sp_runtime::{traits::Zero, PerThing, Perbill};

		let mut children: BTreeMap<ModelVersionId, u32> = BTreeMap::new();
		let mut model_holds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut version_holds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let next = NextVersionId::<T>::get();

		for (id, v) in Versions::<T>::iter() {
			ensure!(id < next, "version id not below NextVersionId");
			let info = Models::<T>::get(v.model).ok_or("version of an unknown model")?;
			ensure!(
				ModelVersions::<T>::contains_key(v.model, id),
				"version missing from its index"
			);
			ensure!(v.number >= 1 && v.number <= info.versions, "version number out of range");
			let total: u64 = v.attribution.iter().map(|e| u64::from(e.share.deconstruct())).sum();
			ensure!(total == u64::from(Perbill::ACCURACY), "table does not sum to 100%");
			let datasets: BTreeSet<_> = v.attribution.iter().map(|e| e.snapshot.dataset).collect();
			ensure!(datasets.len() == v.attribution.len(), "a dataset appears twice in a table");
			ensure!(v.parent == v.ancestors.first().copied(), "parent does not head the ancestry");
			if let Some(parent) = v.parent {
				*children.entry(parent).or_default() += 1;
				ensure!(parent < id, "parent published after its child");
				let record = Versions::<T>::get(parent).ok_or("parent does not exist")?;
				ensure!(
					record.ancestors.iter().eq(v.ancestors.iter().skip(1)),
					"ancestry is not the parent's ancestry"
				);
			}
			ensure!(v.commercial_use || v.price.is_zero(), "non-commercial version has a price");
			*version_holds.entry(v.publisher.clone()).or_default() += v.deposit;
		}
		for (id, info) in Models::<T>::iter() {
			ensure!(id < NextModelId::<T>::get(), "model id not below NextModelId");
			let listed = ModelVersions::<T>::iter_key_prefix(id).count() as u32;
			ensure!(listed == info.live, "live version count differs from the model's index");
			ensure!(info.live <= info.versions, "more live versions than published");
			*model_holds.entry(info.owner.clone()).or_default() += info.deposit;
		}
		for (reason, holds) in
			[(HoldReason::ModelDeposit, model_holds), (HoldReason::VersionDeposit, version_holds)]
		{
			let reason = reason.into();
			for (who, held) in holds {
				ensure!(
					T::Currency::balance_on_hold(&reason, &who) == held,
					"deposits held differ from the records"
				);
			}
		}
		ensure!(
			Revoked::<T>::iter_keys().all(Versions::<T>::contains_key),
			"a revocation marks an unknown version"
		);
		for (id, v) in Versions::<T>::iter() {
			ensure!(
				v.children == children.get(&id).copied().unwrap_or_default(),
				"a version's child count differs from the versions naming it as parent"
			);
		}
		Ok(())
	}
}

impl<T: Config> ModelInspect<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn version(version: ModelVersionId) -> Option<ModelVersionView<T::AccountId, BalanceOf<T>>> {
		let record = Versions::<T>::get(version)?;
		let info = Models::<T>::get(record.model)?;
		Some(ModelVersionView {
			taint: Self::taint_of(version, &record),
			owner: info.owner,
			price: record.price,
			builder_share: record.builder_share,
			deprecated: record.deprecated,
		})
	}

	fn attribution(version: ModelVersionId) -> Attribution {
		// `MaxAttributionEntries` ≤ `MAX_ATTRIBUTION_ENTRIES` (the integrity test): nothing is cut.
		Attribution::truncate_from(Self::attribution_of(version))
	}

	fn snapshot_status(snapshot: SnapshotRef) -> Option<SnapshotStatus> {
		T::Datasets::snapshot_info(snapshot).map(|view| view.status)
	}
}
