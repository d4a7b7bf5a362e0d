//! [`DatasetInspect`]: what the models and compute pallets read of datasets.

use lineage_primitives::{ContributionId, SnapshotMember, SnapshotRef, SnapshotView};

use crate::*;

impl<T: Config> DatasetInspect for Pallet<T> {
	fn snapshot_info(snapshot: SnapshotRef) -> Option<SnapshotView> {
		let info = Datasets::<T>::get(snapshot.dataset)?;
		let frozen = Snapshots::<T>::get(snapshot.dataset, snapshot.version)?;
		let status = Self::snapshot_status(snapshot.dataset, &info, snapshot.version, &frozen);
		Some(SnapshotView {
			status,
			licence: info.licence,
			consent: frozen.consent,
			withdrawal_grace: frozen.withdrawal_grace,
		})
	}

	fn snapshot_member(snapshot: SnapshotRef, id: ContributionId) -> Option<SnapshotMember> {
		let frozen = Snapshots::<T>::get(snapshot.dataset, snapshot.version)?;
		// Accepted contributions are never removed: one not on record is in no snapshot.
		let Some(record) = Contributions::<T>::get(id) else {
			return Some(SnapshotMember { held: false, content: None });
		};
		let held = match record.state {
			ContributionState::Accepted { position, withdrawn, .. } => {
				record.dataset == snapshot.dataset
					&& position < frozen.contributions
					&& withdrawn.is_none_or(|at| at >= frozen.withdrawn)
			},
			ContributionState::Pending => false,
		};
		Some(SnapshotMember { held, content: Some(record.content.hash) })
	}
}
