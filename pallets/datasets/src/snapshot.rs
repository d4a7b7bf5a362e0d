//! Snapshots: freezing a dataset's accepted set so that models can train on it, and marking the
//! snapshots that hold an item whose consent was withdrawn.
//!
//! A withdrawal taints the range from the item's first snapshot to the latest one. Ranges are
//! added with a `through` at least that of every earlier range (it is always the latest
//! snapshot), so the dataset keeps them as a stack, sorted and disjoint: a new range replaces
//! every live range that ends at or after its `from` with their union. Whether snapshot `v` is in
//! a range needs no search: the ranges live when `v` was taken (`ranges_before`) all end before
//! `v`, and any range written since ends at or after it; the one just below `ranges_before`
//! reaches `v` only if a later range merged into it, and then covers `v`; otherwise the lowest
//! range written since, at `ranges_before`, is the only candidate.

use frame_support::{ensure, pallet_prelude::*};
use lineage_primitives::{DatasetId, SnapshotStatus, SnapshotVersion, MAX_SNAPSHOTS};

use crate::*;

/// The most steps the search through a dataset's tainted ranges takes: live ranges are disjoint
/// and each holds a snapshot version, so there are fewer than 2^32 of them.
pub const MAX_RANGE_PROBES: u32 = 32;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_snapshot(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let mut info = Self::active_dataset(dataset)?;
		ensure!(Self::is_curator(dataset, &who), Error::<T>::NotCurator);
		ensure!(info.changes_since_snapshot > 0, Error::<T>::NothingToSnapshot);
		let version = info.snapshots.checked_add(1).ok_or(Error::<T>::Overflow)?;
		ensure!(version <= MAX_SNAPSHOTS, Error::<T>::TooManySnapshots);
		let snapshot = Snapshot {
			content_root: info.content_root,
			contributions: info.accepted,
			withdrawn_root: info.withdrawn_root,
			withdrawn: info.withdrawn,
			items: info.items.saturating_sub(info.withdrawn_items),
			total_points: info.total_points,
			consent: info.consent,
			block: frame_system::Pallet::<T>::block_number(),
			ranges_before: info.tainted_ranges,
			withdrawal_grace: info.policy.withdrawal_grace,
		};
		info.snapshots = version;
		info.changes_since_snapshot = 0;
		Snapshots::<T>::insert(dataset, version, snapshot);
		Datasets::<T>::insert(dataset, info);
		T::Points::snapshot_taken(dataset, version);
		Self::deposit_event(Event::SnapshotTaken {
			dataset,
			version,
			content_root: snapshot.content_root,
			withdrawn_root: snapshot.withdrawn_root,
			items: snapshot.items,
			total_points: snapshot.total_points,
		});
		Ok(())
	}

	/// Marks the snapshots from `first` to the latest as holding a withdrawn item, and returns
	/// that range (`None` when no snapshot holds the item yet). Reads at most
	/// `⌈log2(live ranges + 1)⌉` ranges and writes one.
	pub(crate) fn taint_snapshots(
		dataset: DatasetId,
		info: &mut DatasetOf<T>,
		first: SnapshotVersion,
	) -> Option<SnapshotRange> {
		let through = info.snapshots;
		if first > through {
			return None;
		}
		// The lowest live range that ends at or after `first` (the last one the search kept): it
		// and every range above it merge into the new one.
		let (mut low, mut high, mut lowest) = (0, info.tainted_ranges, None);
		while low < high {
			let mid = low + (high - low) / 2;
			match TaintedRanges::<T>::get(dataset, mid) {
				Some(range) if range.through >= first => {
					high = mid;
					lowest = Some(range);
				},
				_ => low = mid + 1,
			}
		}
		let from = lowest.map_or(first, |range| range.from.min(first));
		TaintedRanges::<T>::insert(dataset, low, SnapshotRange { from, through });
		info.tainted_ranges = low.saturating_add(1);
		Some(SnapshotRange { from: first, through })
	}

	/// Whether snapshot `version` of `dataset` (stored as `snapshot`, the dataset having `live`
	/// tainted ranges) holds an item withdrawn after it was taken. It reads two markers at most,
	/// none in a dataset nobody withdrew from.
	pub(crate) fn is_tainted(
		dataset: DatasetId,
		live: u32,
		version: SnapshotVersion,
		snapshot: &SnapshotOf<T>,
	) -> bool {
		let before = snapshot.ranges_before;
		// Fewer live ranges than when it was taken: a later range merged below, covering it.
		if live < before {
			return true;
		}
		if let Some(below) = before.checked_sub(1) {
			if TaintedRanges::<T>::get(dataset, below).is_some_and(|r| r.through >= version) {
				return true;
			}
		}
		// A range taken since, above the ones it was taken after.
		live > before && TaintedRanges::<T>::get(dataset, before).is_some_and(|r| r.from <= version)
	}

	/// Whether snapshot `version` of `dataset` (stored as `info` and `snapshot`) may be used
	/// (two markers of withdrawn items read at most; see [`Self::is_tainted`]).
	pub fn snapshot_status(
		dataset: DatasetId,
		info: &DatasetOf<T>,
		version: SnapshotVersion,
		snapshot: &SnapshotOf<T>,
	) -> SnapshotStatus {
		if matches!(info.status, DatasetStatus::TakenDown { .. }) {
			SnapshotStatus::TakenDown
		} else if Self::is_tainted(dataset, info.tainted_ranges, version, snapshot) {
			SnapshotStatus::Withdrawn
		} else {
			SnapshotStatus::Active
		}
	}
}
