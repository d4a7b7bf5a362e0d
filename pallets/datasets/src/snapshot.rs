//! Snapshots: freezing a dataset's accepted set so that models can train on it.

use frame_support::{ensure, pallet_prelude::*};
use lineage_primitives::DatasetId;

use crate::*;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_snapshot(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let mut info = Self::active_dataset(dataset)?;
		ensure!(Self::is_curator(dataset, &who), Error::<T>::NotCurator);
		ensure!(info.accepted_since_snapshot > 0, Error::<T>::NothingToSnapshot);
		let version = info.snapshots.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let snapshot = Snapshot {
			content_root: info.content_root,
			contributions: info.accepted,
			items: info.items,
			total_points: info.total_points,
			consent: info.consent,
			block: frame_system::Pallet::<T>::block_number(),
		};
		info.snapshots = version;
		info.accepted_since_snapshot = 0;
		Snapshots::<T>::insert(dataset, version, snapshot);
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::SnapshotTaken {
			dataset,
			version,
			content_root: snapshot.content_root,
			items: snapshot.items,
			total_points: snapshot.total_points,
		});
		Ok(())
	}
}
