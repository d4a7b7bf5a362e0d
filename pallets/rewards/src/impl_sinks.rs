//! [`RevenueSink`] and [`PointsSink`]: what the compute and datasets pallets report to rewards.

use frame_support::weights::Weight;
use lineage_primitives::{DatasetId, Points, SettlementReport, SnapshotVersion};

use crate::*;

impl<T: Config> RevenueSink<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn job_settled(report: &SettlementReport<T::AccountId, BalanceOf<T>>) {
		Self::record_settlement(report);
	}

	/// Each dataset's revenue at the trees' full depth.
	fn job_settled_weight(datasets: u32) -> Weight {
		T::WeightInfo::record_revenue().saturating_mul(datasets.into())
	}
}

impl<T: Config> PointsSink<T::AccountId> for Pallet<T> {
	fn points_added(
		dataset: DatasetId,
		who: &T::AccountId,
		first_snapshot: SnapshotVersion,
		points: Points,
	) {
		Self::add_points(dataset, who, first_snapshot, points);
	}

	fn points_removed(
		dataset: DatasetId,
		who: &T::AccountId,
		first_snapshot: SnapshotVersion,
		points: Points,
	) {
		Self::remove_points(dataset, who, first_snapshot, points);
	}

	fn snapshot_taken(dataset: DatasetId, version: SnapshotVersion) {
		Self::fold_open_cohort(dataset, version);
	}

	/// A withdrawal at the trees' full depth. An addition changes the open cohort's one entry
	/// and the position whatever the state, as its caller's benchmark measures.
	fn points_removed_weight() -> Weight {
		T::WeightInfo::remove_points()
	}

	/// The open cohort folded in at the points tree's full depth.
	fn snapshot_taken_weight() -> Weight {
		T::WeightInfo::fold_open_cohort()
	}
}
