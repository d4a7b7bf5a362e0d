//! Taint, found lazily: a version may not be used when it or an ancestor is revoked, or when a
//! snapshot in its table is withdrawn or taken down.

use lineage_primitives::{ModelVersionId, SnapshotStatus, Taint};

use crate::*;

impl<T: Config> Pallet<T> {
	/// Why version `id` (stored as `record`) may not be used, if it may not: it or an ancestor is
	/// revoked, or a snapshot in its table is withdrawn or taken down. Reads at most
	/// `MaxLineageDepth + 1` markers and `MaxAttributionEntries` snapshots.
	pub(crate) fn taint_of(id: ModelVersionId, record: &VersionOf<T>) -> Option<Taint> {
		Self::check_taint(id, record).0
	}

	/// [`Self::taint_of`], with how many markers of withdrawn items the datasets read to find it
	/// (see [`lineage_primitives::SnapshotView::ranges_read`]).
	pub(crate) fn check_taint(id: ModelVersionId, record: &VersionOf<T>) -> (Option<Taint>, u32) {
		let lineage = core::iter::once(id).chain(record.ancestors.iter().copied());
		if let Some(revoked) = lineage.into_iter().find(|v| Revoked::<T>::contains_key(v)) {
			return (Some(Taint::Revoked(revoked)), 0);
		}
		let mut ranges_read = 0u32;
		let taint = record.attribution.iter().find_map(|entry| {
			let view = T::Datasets::snapshot_info(entry.snapshot);
			ranges_read = ranges_read.saturating_add(view.as_ref().map_or(0, |v| v.ranges_read));
			match view.map(|view| view.status) {
				Some(SnapshotStatus::Active) => None,
				Some(SnapshotStatus::Withdrawn) => Some(Taint::SnapshotWithdrawn(entry.snapshot)),
				Some(SnapshotStatus::TakenDown) | None => {
					Some(Taint::SnapshotTakenDown(entry.snapshot))
				},
			}
		});
		(taint, ranges_read)
	}

	/// Why `version` may not be used, if it may not (`None` also for an unknown version).
	pub fn taint(version: ModelVersionId) -> Option<Taint> {
		Versions::<T>::get(version).and_then(|v| Self::taint_of(version, &v))
	}
}
