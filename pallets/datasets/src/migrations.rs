//! Storage migrations, one module per storage version they lead to. Each is an
//! `UncheckedOnRuntimeUpgrade` wrapped in `VersionedMigration`, which runs it only while the
//! on-chain version is the one it starts from, and then sets the new version: the runtime lists
//! them in its `Migrations` and they can stay there harmlessly after they ran.

use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};

use crate::*;
#[cfg(feature = "try-runtime")]
use lineage_primitives::DatasetId;

/// Version 1: `OwnedDatasets`, the index of the datasets each account owns, built from the
/// dataset records. One read and one write per dataset, in one block: right for a chain with
/// thousands of datasets; one with far more would move this to a multi-block migration.
pub mod v1 {
	use super::*;

	/// Fills `OwnedDatasets` from `Datasets`.
	pub struct IndexOwners<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for IndexOwners<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			for (id, info) in Datasets::<T>::iter() {
				OwnedDatasets::<T>::insert(&info.owner, id, ());
				count += 1;
			}
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			use codec::Encode;
			ensure!(OwnedDatasets::<T>::iter().next().is_none(), "the index exists already");
			let owners: alloc::vec::Vec<(DatasetId, T::AccountId)> =
				Datasets::<T>::iter().map(|(id, info)| (id, info.owner)).collect();
			Ok(owners.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use codec::Decode;
			let before: alloc::vec::Vec<(DatasetId, T::AccountId)> =
				Decode::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state decodes")?;
			let after: alloc::vec::Vec<(DatasetId, T::AccountId)> =
				Datasets::<T>::iter().map(|(id, info)| (id, info.owner)).collect();
			ensure!(before == after, "the dataset records changed");
			for (id, owner) in &after {
				ensure!(OwnedDatasets::<T>::contains_key(owner, id), "a dataset is not indexed");
			}
			ensure!(
				OwnedDatasets::<T>::iter().count() == after.len(),
				"the index holds more than the datasets"
			);
			Ok(())
		}
	}

	/// `IndexOwners`, run once: from storage version 0 to 1.
	pub type MigrateToV1<T> =
		VersionedMigration<0, 1, IndexOwners<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

/// Version 2: `AcceptedContributions`, each dataset's accepted contributions in acceptance order,
/// built from the positions the contribution records hold. One read per contribution and one
/// write per accepted one, in one block (see `v1` on size).
pub mod v2 {
	use super::*;
	#[cfg(feature = "try-runtime")]
	use lineage_primitives::ContributionId;

	/// Each accepted contribution as (dataset, acceptance position, id).
	#[cfg(feature = "try-runtime")]
	fn accepted<T: Config>(
	) -> impl Iterator<Item = (lineage_primitives::DatasetId, u32, ContributionId)> {
		Contributions::<T>::iter().filter_map(|(id, c)| match c.state {
			ContributionState::Accepted { position, .. } => Some((c.dataset, position, id)),
			ContributionState::Pending => None,
		})
	}

	/// Fills `AcceptedContributions` from `Contributions`.
	pub struct IndexAcceptanceOrder<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for IndexAcceptanceOrder<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut read = 0u64;
			let mut written = 0u64;
			for (id, c) in Contributions::<T>::iter() {
				read += 1;
				if let ContributionState::Accepted { position, .. } = c.state {
					AcceptedContributions::<T>::insert(c.dataset, position, id);
					written += 1;
				}
			}
			T::DbWeight::get().reads_writes(read, written)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			use codec::Encode;
			ensure!(
				AcceptedContributions::<T>::iter().next().is_none(),
				"the index exists already"
			);
			let records: alloc::vec::Vec<(lineage_primitives::DatasetId, u32, ContributionId)> =
				accepted::<T>().collect();
			Ok(records.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use codec::Decode;
			let before: alloc::vec::Vec<(lineage_primitives::DatasetId, u32, ContributionId)> =
				Decode::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state decodes")?;
			let after: alloc::vec::Vec<_> = accepted::<T>().collect();
			ensure!(before == after, "the contribution records changed");
			for (dataset, position, id) in &after {
				ensure!(
					AcceptedContributions::<T>::get(dataset, position) == Some(*id),
					"an accepted contribution is not indexed at its position"
				);
			}
			ensure!(
				AcceptedContributions::<T>::iter().count() == after.len(),
				"the index holds more than the accepted contributions"
			);
			Ok(())
		}
	}

	/// `IndexAcceptanceOrder`, run once: from storage version 1 to 2.
	pub type MigrateToV2<T> = VersionedMigration<
		1,
		2,
		IndexAcceptanceOrder<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
