//! [`ModelInspect`]: what the compute pallet reads of model versions.

use lineage_primitives::{
	Attribution, ModelVersionId, ModelVersionView, SnapshotRef, SnapshotStatus,
};

use crate::*;

impl<T: Config> ModelInspect<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn version(version: ModelVersionId) -> Option<ModelVersionView<T::AccountId, BalanceOf<T>>> {
		let record = Versions::<T>::get(version)?;
		let info = Models::<T>::get(record.model)?;
		let usability = Self::usability(version, &record);
		Some(ModelVersionView {
			taint: usability.taint,
			grace_starts: usability.grace_starts,
			grace: usability.grace,
			owner: info.owner,
			price: record.price,
			builder_share: record.builder_share,
			deprecated: record.deprecated,
			ancestors: record.ancestors.len() as u32,
		})
	}

	fn attribution(version: ModelVersionId) -> Attribution {
		// `MaxAttributionEntries` ≤ `MAX_ATTRIBUTION_ENTRIES` (the integrity test): nothing is cut.
		Attribution::truncate_from(Self::attribution_of(version))
	}

	fn artifact(version: ModelVersionId) -> Option<sp_core::H256> {
		Versions::<T>::get(version).map(|record| record.artifact.hash)
	}

	fn start_grace(version: ModelVersionId, grace: u32) {
		Self::do_start_grace(version, grace);
	}

	fn snapshot_status(snapshot: SnapshotRef) -> Option<SnapshotStatus> {
		T::Datasets::snapshot_info(snapshot).map(|view| view.status)
	}
}
