//! Storage migrations, one module per storage version they lead to. Each walks storage that
//! users grow, so each is a multi-block migration: a [`MigrationStep`] that moves one record at a
//! time, wrapped in [`VersionedStepped`], which runs it only while the pallet's on-chain storage
//! version is the one it starts from and sets the next when the last record is done. The runtime
//! lists them in `pallet-migrations`' `Migrations`, oldest first; each record's weight comes from
//! this pallet's benchmarks (`migrate_v1_dataset`, `migrate_v2_contribution`, `migrate_v3_dataset`,
//! `migrate_v3_snapshot`).

use frame_support::{pallet_prelude::*, weights::Weight};
use lineage_primitives::migrations::{pallet_id, MigrationStep, VersionedStepped};

use crate::*;
use lineage_primitives::DatasetId;

/// This pallet in the migrations' identifiers.
const PALLET: [u8; 16] = pallet_id(b"lineage-datasets");

/// The next entry of `M` after the key `after` (the first when `None`).
macro_rules! next_after {
	($map:ty, $after:expr) => {
		match $after {
			Some(key) => <$map>::iter_from(<$map>::hashed_key_for(key)).next(),
			None => <$map>::iter().next(),
		}
	};
}

/// Version 1: `OwnedDatasets`, the index of the datasets each account owns, built from the
/// dataset records one dataset at a time.
pub mod v1 {
	use super::*;

	/// What the index needs of a dataset record: its owner, the first field in every version.
	#[derive(Encode, Decode)]
	pub struct Owner<AccountId>(pub AccountId);

	/// The dataset records, read only as far as their owner.
	#[frame_support::storage_alias]
	pub type Datasets<T: Config> = StorageMap<
		Pallet<T>,
		Twox64Concat,
		DatasetId,
		Owner<<T as frame_system::Config>::AccountId>,
	>;

	/// Indexes the dataset after the cursor under its owner.
	pub struct IndexOwners<T>(core::marker::PhantomData<T>);

	impl<T: Config> MigrationStep for IndexOwners<T> {
		type Cursor = DatasetId;
		const PALLET: [u8; 16] = PALLET;

		fn weight(_: &Option<DatasetId>) -> Weight {
			T::WeightInfo::migrate_v1_dataset()
		}

		fn migrate_next(cursor: Option<DatasetId>) -> Option<DatasetId> {
			let (id, Owner(owner)) = next_after!(Datasets<T>, cursor)?;
			OwnedDatasets::<T>::insert(&owner, id, ());
			Some(id)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			ensure!(OwnedDatasets::<T>::iter().next().is_none(), "the index exists already");
			let owners: alloc::vec::Vec<(DatasetId, T::AccountId)> =
				Datasets::<T>::iter().map(|(id, Owner(owner))| (id, owner)).collect();
			Ok(owners.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before: alloc::vec::Vec<(DatasetId, T::AccountId)> =
				Decode::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state decodes")?;
			let after: alloc::vec::Vec<(DatasetId, T::AccountId)> =
				Datasets::<T>::iter().map(|(id, Owner(owner))| (id, owner)).collect();
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

	/// `IndexOwners`, from storage version 0 to 1.
	pub type MigrateToV1<T> = VersionedStepped<0, 1, IndexOwners<T>, Pallet<T>>;
}

/// Version 2: `AcceptedContributions`, each dataset's accepted contributions in acceptance order,
/// built from the positions the contribution records hold, one contribution at a time.
pub mod v2 {
	use super::*;
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

	/// Indexes the contribution after the cursor at its acceptance position, if accepted.
	pub struct IndexAcceptanceOrder<T>(core::marker::PhantomData<T>);

	impl<T: Config> MigrationStep for IndexAcceptanceOrder<T> {
		type Cursor = ContributionId;
		const PALLET: [u8; 16] = PALLET;

		fn weight(_: &Option<ContributionId>) -> Weight {
			T::WeightInfo::migrate_v2_contribution()
		}

		fn migrate_next(cursor: Option<ContributionId>) -> Option<ContributionId> {
			let (id, c) = next_after!(Contributions<T>, cursor)?;
			if let ContributionState::Accepted { position, .. } = c.state {
				AcceptedContributions::<T>::insert(c.dataset, position, id);
			}
			Some(id)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
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

	/// `IndexAcceptanceOrder`, from storage version 1 to 2.
	pub type MigrateToV2<T> = VersionedStepped<1, 2, IndexAcceptanceOrder<T>, Pallet<T>>;
}

/// Version 3: the withdrawal grace. Each dataset's policy and each snapshot gain a
/// `withdrawal_grace`, 0 for what exists (a withdrawal reaches their models at once, as before):
/// the datasets one at a time, then the snapshots.
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

	/// An old dataset record with a withdrawal grace of 0.
	pub fn upgrade_dataset<T: Config>(old: OldDatasetOf<T>) -> DatasetOf<T> {
		let p = old.policy;
		DatasetInfo {
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
		}
	}

	/// A dataset record as version 2 stored it (its grace dropped): the state a test or a
	/// benchmark starts the migration from.
	pub fn downgrade_dataset<T: Config>(d: DatasetOf<T>) -> OldDatasetOf<T> {
		let p = d.policy;
		OldDatasetInfo {
			owner: d.owner,
			metadata: d.metadata,
			licence: d.licence,
			policy: OldPolicy {
				admission: p.admission,
				contribution_deposit: p.contribution_deposit,
				reject_slash: p.reject_slash,
				min_consent: p.min_consent,
			},
			deposit: d.deposit,
			status: d.status,
			created: d.created,
			pending: d.pending,
			accepted: d.accepted,
			items: d.items,
			total_points: d.total_points,
			content_root: d.content_root,
			withdrawn: d.withdrawn,
			withdrawn_items: d.withdrawn_items,
			withdrawn_root: d.withdrawn_root,
			consent: d.consent,
			snapshots: d.snapshots,
			changes_since_snapshot: d.changes_since_snapshot,
			tainted_ranges: d.tainted_ranges,
		}
	}

	/// An old snapshot with a withdrawal grace of 0.
	pub fn upgrade_snapshot<BlockNumber>(old: OldSnapshot<BlockNumber>) -> Snapshot<BlockNumber> {
		Snapshot {
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
		}
	}

	/// A snapshot as version 2 stored it.
	pub fn downgrade_snapshot<BlockNumber>(s: Snapshot<BlockNumber>) -> OldSnapshot<BlockNumber> {
		OldSnapshot {
			content_root: s.content_root,
			contributions: s.contributions,
			withdrawn_root: s.withdrawn_root,
			withdrawn: s.withdrawn,
			items: s.items,
			total_points: s.total_points,
			consent: s.consent,
			block: s.block,
			ranges_before: s.ranges_before,
		}
	}

	/// The records as version 2 stores them (an alias takes its storage name from its own).
	mod old {
		use super::*;

		/// The dataset records as version 2 stores them.
		#[frame_support::storage_alias]
		pub type Datasets<T: Config> =
			StorageMap<Pallet<T>, Twox64Concat, DatasetId, OldDatasetOf<T>>;

		/// The snapshots as version 2 stores them.
		#[frame_support::storage_alias]
		pub type Snapshots<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Twox64Concat,
			DatasetId,
			Twox64Concat,
			lineage_primitives::SnapshotVersion,
			OldSnapshot<BlockNumberFor<T>>,
		>;
	}

	/// Where the migration to version 3 stands: the last dataset rewritten, then the last
	/// snapshot.
	#[derive(Clone, Encode, Decode, MaxEncodedLen, PartialEq, Eq, Debug)]
	pub enum Cursor {
		/// The last dataset rewritten.
		Dataset(DatasetId),
		/// The last snapshot rewritten.
		Snapshot(DatasetId, lineage_primitives::SnapshotVersion),
	}

	/// Adds a withdrawal grace of 0 to the next policy, then to the next snapshot.
	pub struct AddWithdrawalGrace<T>(core::marker::PhantomData<T>);

	impl<T: Config> AddWithdrawalGrace<T> {
		/// Rewrites the snapshot after `after` (the first when `None`).
		fn next_snapshot(
			after: Option<(DatasetId, lineage_primitives::SnapshotVersion)>,
		) -> Option<Cursor> {
			let next = match after {
				Some((d, v)) => {
					old::Snapshots::<T>::iter_from(old::Snapshots::<T>::hashed_key_for(d, v)).next()
				},
				None => old::Snapshots::<T>::iter().next(),
			};
			let (dataset, version, old) = next?;
			Snapshots::<T>::insert(dataset, version, upgrade_snapshot(old));
			Some(Cursor::Snapshot(dataset, version))
		}
	}

	impl<T: Config> MigrationStep for AddWithdrawalGrace<T> {
		type Cursor = Cursor;
		const PALLET: [u8; 16] = PALLET;

		fn weight(cursor: &Option<Cursor>) -> Weight {
			match cursor {
				Some(Cursor::Snapshot(..)) => T::WeightInfo::migrate_v3_snapshot(),
				// The last dataset's step may go on to the first snapshot.
				_ => T::WeightInfo::migrate_v3_dataset(),
			}
		}

		fn migrate_next(cursor: Option<Cursor>) -> Option<Cursor> {
			match cursor {
				None | Some(Cursor::Dataset(_)) => {
					let after = match cursor {
						Some(Cursor::Dataset(id)) => Some(id),
						_ => None,
					};
					match next_after!(old::Datasets<T>, after) {
						Some((id, old)) => {
							Datasets::<T>::insert(id, upgrade_dataset::<T>(old));
							Some(Cursor::Dataset(id))
						},
						None => Self::next_snapshot(None),
					}
				},
				Some(Cursor::Snapshot(d, v)) => Self::next_snapshot(Some((d, v))),
			}
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

	/// `AddWithdrawalGrace`, from storage version 2 to 3.
	pub type MigrateToV3<T> = VersionedStepped<2, 3, AddWithdrawalGrace<T>, Pallet<T>>;

	#[cfg(test)]
	mod tests {
		use super::*;
		use crate::mock::*;
		use lineage_primitives::migrations::run_to_end;

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

				run_to_end::<MigrateToV3<Test>>(Weight::MAX);

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
