//! [`RevenueSink`] and [`PointsSink`]: what the compute and datasets pallets report to rewards.

use lineage_primitives::{DatasetId, Points, SettlementReport};

use crate::*;

impl<T: Config> RevenueSink<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn job_settled(report: &SettlementReport<T::AccountId, BalanceOf<T>>) {
		Self::record_settlement(report);
	}
}

impl<T: Config> PointsSink<T::AccountId> for Pallet<T> {
	fn points_added(dataset: DatasetId, who: &T::AccountId, points: Points) {
		Self::change_points(dataset, who, |p| *p = p.saturating_add(points));
	}

	fn points_removed(dataset: DatasetId, who: &T::AccountId, points: Points) {
		Self::change_points(dataset, who, |p| *p = p.saturating_sub(points));
	}
}
