//! Two Fenwick trees per dataset, indexed by snapshot version, so that what a job pays for a
//! snapshot goes to the points in that snapshot and nowhere else, in O(log versions) work.
//!
//! - The **points tree** holds each cohort's live points: the points of the contributions a
//!   snapshot holds first (`first_snapshot`). A snapshot `v` holds the cohorts `1..=v` (less what
//!   was withdrawn), so its live points are the tree's prefix sum to `v`.
//! - The **reward tree** holds, per snapshot, the revenue per live point it received and the
//!   emission that revenue backs. A cohort `f` earns from every snapshot `v ≥ f`, so what a point
//!   of it earned is a suffix sum; the tree is indexed by reversed version
//!   (`TREE_SIZE + 1 − v`), which makes the suffix a prefix: a sum of disjoint nodes, never a
//!   difference, so rounding only ever rounds down.
//!
//! A node's revenue of the current era waits (`pending`, with its era) until the era has ended
//! and its emission rate is known; reading the node afterwards counts it with its emission,
//! and the next write folds it in. Both trees span every version a dataset may take
//! ([`MAX_SNAPSHOTS`]): an update walks at most [`TREE_DEPTH`] nodes and a query reads at most
//! [`TREE_DEPTH`].
//!
//! The **open cohort** (points added since the latest snapshot, first held by the next one) is
//! kept apart, in one `OpenCohort` entry, until that snapshot is taken: no snapshot holds it and
//! no job can pay it, so it earns nothing and no query needs it in the tree. A contribution
//! changes that one entry; the snapshot walks its path once (`fold_open_cohort`).

use alloc::collections::btree_map::BTreeMap;
use lineage_primitives::{DatasetId, Points, SnapshotVersion, MAX_SNAPSHOTS};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{Bounded, Saturating, Zero},
	FixedPointNumber, FixedU128, Rounding,
};

use crate::*;

/// The trees' size: every cohort from 1 to `MAX_SNAPSHOTS + 1` (the cohort after the last
/// snapshot a dataset may take).
pub const TREE_SIZE: u32 = MAX_SNAPSHOTS + 1;

/// The most nodes an update walks or a query reads: `log2(TREE_SIZE) + 1`.
pub const TREE_DEPTH: u32 = TREE_SIZE.ilog2() + 1;

/// The lowest set bit of `i`.
const fn lowbit(i: u32) -> u32 {
	i & i.wrapping_neg()
}

/// The reward tree's index of snapshot `version` (valid versions map into `2..=TREE_SIZE`).
fn reversed(version: SnapshotVersion) -> u32 {
	TREE_SIZE + 1 - version.clamp(1, TREE_SIZE)
}

/// What a point earned, per point: revenue and the emission it backs.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PerPoint {
	/// Revenue per point.
	pub revenue: FixedU128,
	/// Emission per point.
	pub emission: FixedU128,
}

impl PerPoint {
	fn add(self, other: Self) -> Self {
		Self {
			revenue: self.revenue.saturating_add(other.revenue),
			emission: self.emission.saturating_add(other.emission),
		}
	}
}

/// The data rates of ended eras, each read from `Eras` at most once per call.
#[derive(Default)]
pub(crate) struct Rates(BTreeMap<EraIndex, FixedU128>);

impl Rates {
	fn data_rate<T: Config>(&mut self, era: EraIndex) -> FixedU128 {
		*self
			.0
			.entry(era)
			.or_insert_with(|| Eras::<T>::get(era).map(|e| e.data_rate).unwrap_or_default())
	}
}

/// `rate × per_point`, rounded down.
pub(crate) fn emission_of(rate: FixedU128, per_point: FixedU128) -> FixedU128 {
	multiply_by_rational_with_rounding(
		rate.into_inner(),
		per_point.into_inner(),
		FixedU128::DIV,
		Rounding::Down,
	)
	.map_or_else(FixedU128::max_value, FixedU128::from_inner)
}

impl<T: Config> Pallet<T> {
	/// What `node` holds as of `current`: its revenue and emission per point of ended eras (the
	/// pending revenue counts once its era has ended) and its revenue of era `current`.
	fn node_value(node: &Accrual, current: EraIndex, rates: &mut Rates) -> (PerPoint, FixedU128) {
		let mut settled = PerPoint { revenue: node.revenue, emission: node.emission };
		if node.pending.is_zero() {
			return (settled, Zero::zero());
		}
		if node.era < current {
			let rate = rates.data_rate::<T>(node.era);
			settled = settled
				.add(PerPoint { revenue: node.pending, emission: emission_of(rate, node.pending) });
			return (settled, Zero::zero());
		}
		(settled, node.pending)
	}

	/// Live points in snapshot `version` of `dataset`: the cohorts `1..=version`.
	pub fn live_points(dataset: DatasetId, version: SnapshotVersion) -> Points {
		let mut i = version.min(TREE_SIZE);
		let mut sum: Points = 0;
		while i > 0 {
			sum = sum.saturating_add(PointsTree::<T>::get(dataset, i));
			i -= lowbit(i);
		}
		sum
	}

	/// Live points of cohort `first_snapshot` alone, the open cohort's included.
	pub fn cohort_points(dataset: DatasetId, first_snapshot: SnapshotVersion) -> Points {
		let open = OpenCohort::<T>::get(dataset)
			.filter(|(cohort, _)| *cohort == first_snapshot)
			.map_or(0, |(_, points)| points);
		Self::live_points(dataset, first_snapshot)
			.saturating_sub(Self::live_points(dataset, first_snapshot.saturating_sub(1)))
			.saturating_add(open)
	}

	/// Every live point of `dataset`: the trees' and the open cohort's.
	pub fn dataset_points(dataset: DatasetId) -> Points {
		let open = OpenCohort::<T>::get(dataset).map_or(0, |(_, points)| points);
		Self::live_points(dataset, TREE_SIZE).saturating_add(open)
	}

	/// Adds `points` to the open cohort of `dataset`, `first_snapshot` (the dataset's next
	/// version). An open cohort of an earlier version, whose snapshot the pallet was not told
	/// of, is folded into the tree first.
	pub(crate) fn open_cohort_add(
		dataset: DatasetId,
		first_snapshot: SnapshotVersion,
		points: Points,
	) {
		let held = match OpenCohort::<T>::get(dataset) {
			Some((cohort, held)) if cohort == first_snapshot => held,
			Some((cohort, held)) => {
				Self::change_cohort(dataset, cohort, held, false);
				0
			},
			None => 0,
		};
		OpenCohort::<T>::insert(dataset, (first_snapshot, held.saturating_add(points)));
	}

	/// Takes up to `points` from cohort `first_snapshot`: from the open cohort first when it is
	/// that one, the rest from the tree.
	pub(crate) fn cohort_remove(
		dataset: DatasetId,
		first_snapshot: SnapshotVersion,
		points: Points,
	) {
		let mut rest = points;
		if let Some((cohort, held)) =
			OpenCohort::<T>::get(dataset).filter(|(cohort, _)| *cohort == first_snapshot)
		{
			let taken = held.min(rest);
			rest = rest.saturating_sub(taken);
			let left = held.saturating_sub(taken);
			if left == 0 {
				OpenCohort::<T>::remove(dataset);
			} else {
				OpenCohort::<T>::insert(dataset, (cohort, left));
			}
		}
		if rest > 0 {
			Self::change_cohort(dataset, first_snapshot, rest, true);
		}
	}

	/// `dataset` took snapshot `version`: an open cohort it holds joins the points tree.
	pub(crate) fn fold_open_cohort(dataset: DatasetId, version: SnapshotVersion) {
		if let Some((cohort, points)) =
			OpenCohort::<T>::get(dataset).filter(|(cohort, _)| *cohort <= version)
		{
			OpenCohort::<T>::remove(dataset);
			Self::change_cohort(dataset, cohort, points, false);
		}
	}

	/// Adds `points` to, or with `remove` takes them from, cohort `first_snapshot`.
	pub(crate) fn change_cohort(
		dataset: DatasetId,
		first_snapshot: SnapshotVersion,
		points: Points,
		remove: bool,
	) {
		let mut i = first_snapshot.clamp(1, TREE_SIZE);
		while i <= TREE_SIZE {
			PointsTree::<T>::mutate_exists(dataset, i, |node| {
				let value = node.unwrap_or_default();
				let value = if remove {
					value.saturating_sub(points)
				} else {
					value.saturating_add(points)
				};
				*node = (value > 0).then_some(value);
			});
			i += lowbit(i);
		}
	}

	/// What a point of cohort `first_snapshot` has earned in `dataset` so far: in ended eras
	/// (claimable), and revenue of the current era (waiting for its emission rate).
	pub(crate) fn earned_per_point(
		dataset: DatasetId,
		first_snapshot: SnapshotVersion,
		rates: &mut Rates,
	) -> (PerPoint, FixedU128) {
		let current = CurrentEra::<T>::get();
		let mut i = reversed(first_snapshot);
		let (mut settled, mut pending) = (PerPoint::default(), FixedU128::zero());
		while i > 0 {
			if let Some(node) = RewardTree::<T>::get(dataset, i) {
				let (s, p) = Self::node_value(&node, current, rates);
				settled = settled.add(s);
				pending = pending.saturating_add(p);
			}
			i -= lowbit(i);
		}
		(settled, pending)
	}

	/// Records `per_point` more revenue per live point of snapshot `version`, in the current
	/// era.
	pub(crate) fn accrue(dataset: DatasetId, version: SnapshotVersion, per_point: FixedU128) {
		let current = CurrentEra::<T>::get();
		let mut rates = Rates::default();
		let mut i = reversed(version);
		while i <= TREE_SIZE {
			RewardTree::<T>::mutate(dataset, i, |node| {
				let mut value = node.unwrap_or_default();
				let (settled, pending) = Self::node_value(&value, current, &mut rates);
				value = Accrual {
					revenue: settled.revenue,
					emission: settled.emission,
					pending: pending.saturating_add(per_point),
					era: current,
				};
				*node = Some(value);
			});
			i += lowbit(i);
		}
	}
}
