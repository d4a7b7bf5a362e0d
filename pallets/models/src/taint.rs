//! Taint, found lazily: a version may not be used when it or an ancestor is revoked, or when a
//! snapshot in its table is withdrawn or taken down. A withdrawal reaches a version after the
//! grace its snapshots declared (the least of them), counted from the first job submitted on it
//! once the withdrawal reached it: builders retrain meanwhile, and the jobs keep their terms.

use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::{ModelVersionId, SnapshotStatus, Taint};
use sp_runtime::traits::Saturating;

use crate::*;

/// What checking a version's taint found.
pub(crate) struct TaintCheck {
	/// Why it is tainted, if it is.
	pub taint: Option<Taint>,
	/// When the only taint is consent withdrawals: the least grace their snapshots declared.
	pub grace: Option<u32>,
}

/// Whether a version may take a new job now.
pub(crate) struct Usability {
	/// Why it may not, if it may not.
	pub taint: Option<Taint>,
	/// It is tainted by a withdrawal and its grace has not started: a job now starts it.
	pub grace_starts: bool,
	/// The grace in blocks when a withdrawal alone taints it (0 otherwise).
	pub grace: u32,
}

impl<T: Config> Pallet<T> {
	/// Why version `id` (stored as `record`) may not be used, if it may not: it or an ancestor is
	/// revoked, or a snapshot in its table is withdrawn or taken down (whatever the grace).
	/// Reads at most `MaxLineageDepth + 1` markers and `MaxAttributionEntries` snapshots.
	pub(crate) fn taint_of(id: ModelVersionId, record: &VersionOf<T>) -> Option<Taint> {
		Self::check_taint(id, record).taint
	}

	/// [`Self::taint_of`], with the grace of a version only withdrawals reached.
	pub(crate) fn check_taint(id: ModelVersionId, record: &VersionOf<T>) -> TaintCheck {
		let lineage = core::iter::once(id).chain(record.ancestors.iter().copied());
		if let Some(revoked) = lineage.into_iter().find(|v| Revoked::<T>::contains_key(v)) {
			return TaintCheck { taint: Some(Taint::Revoked(revoked)), grace: None };
		}
		let mut check = TaintCheck { taint: None, grace: None };
		for entry in record.attribution.iter() {
			match T::Datasets::snapshot_info(entry.snapshot) {
				Some(view) if view.status == SnapshotStatus::Active => {},
				Some(view) if view.status == SnapshotStatus::Withdrawn => {
					check.taint.get_or_insert(Taint::SnapshotWithdrawn(entry.snapshot));
					let least =
						check.grace.map_or(view.withdrawal_grace, |g| g.min(view.withdrawal_grace));
					check.grace = Some(least);
				},
				_ => {
					check.taint = Some(Taint::SnapshotTakenDown(entry.snapshot));
					check.grace = None;
					return check;
				},
			}
		}
		check
	}

	/// Whether version `id` (stored as `record`) may take a new job now: untainted, or tainted
	/// only by withdrawals and within its grace (which a job now starts if it has not).
	pub(crate) fn usability(id: ModelVersionId, record: &VersionOf<T>) -> Usability {
		let TaintCheck { taint, grace } = Self::check_taint(id, record);
		let Some(grace) = grace.filter(|g| *g > 0) else {
			return Usability { taint, grace_starts: false, grace: 0 };
		};
		let (taint, grace_starts) = match GraceStarted::<T>::get(id) {
			None => (None, true),
			Some(started) if Self::now() < started.saturating_add(grace.into()) => (None, false),
			Some(_) => (taint, false),
		};
		Usability { taint, grace_starts, grace }
	}

	/// A job was submitted on `version` while its grace of `grace` blocks had not started: it
	/// runs from now. One read and one write (the caller found the grace when it checked the
	/// version).
	pub(crate) fn do_start_grace(version: ModelVersionId, grace: u32) {
		if GraceStarted::<T>::contains_key(version) {
			return;
		}
		let now = Self::now();
		GraceStarted::<T>::insert(version, now);
		Self::deposit_event(Event::GraceStarted {
			version,
			until: now.saturating_add(grace.into()),
		});
	}

	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Why `version` may not be used, if it may not (`None` also for an unknown version).
	pub fn taint(version: ModelVersionId) -> Option<Taint> {
		Versions::<T>::get(version).and_then(|v| Self::taint_of(version, &v))
	}
}
