//! [`DatasetInspect`]: what the models pallet reads of datasets.

use lineage_primitives::{SnapshotRef, SnapshotView};

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
}
