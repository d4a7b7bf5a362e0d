//! Taint, found lazily: a version may not be used when it or an ancestor is revoked, or when a
//! snapshot in its table is withdrawn or taken down.

use lineage_primitives::{ModelVersionId, SnapshotStatus, Taint};

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
}
