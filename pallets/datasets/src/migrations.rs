//! Storage migrations, one module per storage version they lead to. Each is an
//! `UncheckedOnRuntimeUpgrade` wrapped in `VersionedMigration`, which runs it only while the
//! on-chain version is the one it starts from, and then sets the new version: the runtime lists
//! them in its `Migrations` and they can stay there harmlessly after they ran.

use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};

use crate::*;
use lineage_primitives::DatasetId;

/// Version 1: `OwnedDatasets`, the index of the datasets each account owns, built from the
/// dataset records. One read and one write per dataset, in one block: right for a chain with
/// thousands of datasets; one with far more would move this to a multi-block migration.
pub mod v1 {
	use super::*;

	/// The dataset records as a chain at version 0 stores them (before version 3's grace).
	#[frame_support::storage_alias]
	type Datasets<T: Config> =
		StorageMap<Pallet<T>, Twox64Concat, DatasetId, super::v3::OldDatasetOf<T>>;

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

/// Version 3: the withdrawal grace. Each dataset's policy and each snapshot gain a
/// `withdrawal_grace`, 0 for what exists (a withdrawal reaches their models at once, as before).
/// One read and write per dataset and per snapshot, in one block (see `v1` on size).
pub mod v3 {
	use super::*;
	use codec::{Decode, Encode};
	use frame_system::pallet_prelude::BlockNumberFor;
	use lineage_primitives::{Consent, ContentRef, Licence, Points};
	use sp_core::H256;
	use sp_runtime::Perbill;

	/// A policy before version 3.
	#[derive(Clone, Copy, Encode, Decode)]
	pub struct OldPolicy<Balance> {
		pub admission: Admission,
		pub contribution_deposit: Balance,
		pub reject_slash: Perbill,
		pub min_consent: Consent,
	}

	/// A dataset before version 3.
	#[derive(Clone, Encode, Decode)]
	pub struct OldDatasetInfo<AccountId, Balance, BlockNumber> {
		pub owner: AccountId,
		pub metadata: ContentRef,
		pub licence: Licence,
		pub policy: OldPolicy<Balance>,
		pub deposit: Balance,
		pub status: DatasetStatus<BlockNumber>,
		pub created: BlockNumber,
		pub pending: u32,
		pub accepted: u32,
		pub items: u64,
		pub total_points: Points,
		pub content_root: H256,
		pub withdrawn: u32,
		pub withdrawn_items: u64,
		pub withdrawn_root: H256,
		pub consent: Consent,
		pub snapshots: lineage_primitives::SnapshotVersion,
		pub changes_since_snapshot: u32,
		pub tainted_ranges: u32,
	}

	/// A snapshot before version 3.
	#[derive(Clone, Copy, Encode, Decode)]
	pub struct OldSnapshot<BlockNumber> {
		pub content_root: H256,
		pub contributions: u32,
		pub withdrawn_root: H256,
		pub withdrawn: u32,
		pub items: u64,
		pub total_points: Points,
		pub consent: Consent,
		pub block: BlockNumber,
		pub ranges_before: u32,
	}

	/// A dataset record before version 3, as stored.
	pub type OldDatasetOf<T> =
		OldDatasetInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

	/// Adds a withdrawal grace of 0 to every policy and snapshot.
	pub struct AddWithdrawalGrace<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for AddWithdrawalGrace<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			Datasets::<T>::translate::<OldDatasetOf<T>, _>(|_, old| {
				count += 1;
				let p = old.policy;
				Some(DatasetInfo {
					owner: old.owner,
					metadata: old.metadata,
					licence: old.licence,
					policy: Policy {
						admission: p.admission,
						contribution_deposit: p.contribution_deposit,
						reject_slash: p.reject_slash,
						min_consent: p.min_consent,
						withdrawal_grace: 0,
					},
					deposit: old.deposit,
					status: old.status,
					created: old.created,
					pending: old.pending,
					accepted: old.accepted,
					items: old.items,
					total_points: old.total_points,
					content_root: old.content_root,
					withdrawn: old.withdrawn,
					withdrawn_items: old.withdrawn_items,
					withdrawn_root: old.withdrawn_root,
					consent: old.consent,
					snapshots: old.snapshots,
					changes_since_snapshot: old.changes_since_snapshot,
					tainted_ranges: old.tainted_ranges,
				})
			});
			Snapshots::<T>::translate::<OldSnapshot<BlockNumberFor<T>>, _>(|_, _, old| {
				count += 1;
				Some(Snapshot {
					content_root: old.content_root,
					contributions: old.contributions,
					withdrawn_root: old.withdrawn_root,
					withdrawn: old.withdrawn,
					items: old.items,
					total_points: old.total_points,
					consent: old.consent,
					block: old.block,
					ranges_before: old.ranges_before,
					withdrawal_grace: 0,
				})
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			let counts = (Datasets::<T>::iter_keys().count(), Snapshots::<T>::iter_keys().count());
			Ok((counts.0 as u64, counts.1 as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (datasets, snapshots): (u64, u64) =
				Decode::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state decodes")?;
			ensure!(Datasets::<T>::iter().count() as u64 == datasets, "a dataset was lost");
			ensure!(Snapshots::<T>::iter().count() as u64 == snapshots, "a snapshot was lost");
			Ok(())
		}
	}

	/// `AddWithdrawalGrace`, run once: from storage version 2 to 3.
	pub type MigrateToV3<T> = VersionedMigration<
		2,
		3,
		AddWithdrawalGrace<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	#[cfg(test)]
	mod tests {
		use super::*;
		use crate::mock::*;
		use frame_support::traits::OnRuntimeUpgrade;

		#[test]
		fn policies_and_snapshots_gain_a_grace_of_zero() {
			// (Not `build_and_execute`: the hand-written records are not a consistent dataset.)
			new_test_ext().execute_with(|| {
				StorageVersion::new(2).put::<Pallet<Test>>();
				let old = OldDatasetInfo::<AccountId, Balance, u64> {
					owner: ALICE,
					metadata: ContentRef { hash: H256::zero(), uri: Default::default(), bytes: 1 },
					licence: Licence::Cc0,
					policy: OldPolicy {
						admission: Admission::Open,
						contribution_deposit: 7,
						reject_slash: Perbill::from_percent(5),
						min_consent: Consent::FULL,
					},
					deposit: 3,
					status: DatasetStatus::Active,
					created: 1,
					pending: 0,
					accepted: 1,
					items: 1,
					total_points: 50,
					content_root: H256::repeat_byte(1),
					withdrawn: 0,
					withdrawn_items: 0,
					withdrawn_root: H256::zero(),
					consent: Consent::FULL,
					snapshots: 1,
					changes_since_snapshot: 0,
					tainted_ranges: 0,
				};
				let snapshot = OldSnapshot::<u64> {
					content_root: H256::repeat_byte(1),
					contributions: 1,
					withdrawn_root: H256::zero(),
					withdrawn: 0,
					items: 1,
					total_points: 50,
					consent: Consent::FULL,
					block: 1,
					ranges_before: 0,
				};
				frame_support::storage::unhashed::put_raw(
					&crate::Datasets::<Test>::hashed_key_for(4),
					&old.encode(),
				);
				frame_support::storage::unhashed::put_raw(
					&Snapshots::<Test>::hashed_key_for(4, 1),
					&snapshot.encode(),
				);

				MigrateToV3::<Test>::on_runtime_upgrade();

				assert_eq!(StorageVersion::get::<Pallet<Test>>(), 3);
				let info = crate::Datasets::<Test>::get(4).unwrap();
				assert_eq!(
					(info.policy.contribution_deposit, info.policy.withdrawal_grace),
					(7, 0)
				);
				assert_eq!((info.total_points, info.snapshots), (50, 1));
				let snap = Snapshots::<Test>::get(4, 1).unwrap();
				assert_eq!((snap.total_points, snap.withdrawal_grace), (50, 0));
			});
		}
	}
}
