//! Benchmarks of every call, at their worst cases.

use super::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	EnsureOrigin, Get,
};
use frame_system::RawOrigin;
use lineage_primitives::migrations::MigrationStep;
use lineage_primitives::{Consent, ContentRef, ContributionId, DatasetId, Licence, Uri};
use sp_core::H256;
use sp_runtime::{
	traits::{Bounded, StaticLookup},
	Perbill, Saturating,
};

const SEED: u32 = 0;

/// An account with plenty of funds.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let plenty = BalanceOf::<T>::max_value() / 1_000_000u32.into();
	T::Currency::set_balance(&who, plenty);
	who
}

/// Content `n` whose URI is as long as `MaxUriLen` allows.
fn content_for<T: Config>(n: u32) -> ContentRef {
	let mut hash = [0u8; 32];
	hash[..4].copy_from_slice(&n.to_le_bytes());
	let uri =
		Uri::try_from(vec![b'u'; T::MaxUriLen::get() as usize]).expect("MaxUriLen <= MAX_URI_LEN");
	ContentRef { hash: H256(hash), uri, bytes: u64::MAX }
}

fn policy<T: Config>(admission: Admission) -> PolicyOf<T> {
	Policy {
		admission,
		contribution_deposit: T::Currency::minimum_balance().saturating_mul(10u32.into()),
		reject_slash: Perbill::from_percent(30),
		min_consent: Consent { training: true, commercial: false },
		withdrawal_grace: 0,
	}
}

/// A dataset owned by a funded account with a full curator set (owner first); returns the
/// dataset, its owner and its last curator.
fn dataset_with_curators<T: Config>(
	admission: Admission,
	curators: u32,
) -> (DatasetId, T::AccountId, T::AccountId) {
	let owner = funded::<T>("owner", 0);
	let id = NextDatasetId::<T>::get();
	Pallet::<T>::do_create_dataset(
		owner.clone(),
		content_for::<T>(0),
		Licence::CcBy,
		policy::<T>(admission),
	)
	.expect("dataset created");
	let mut last = owner.clone();
	for i in 1..curators {
		last = account("curator", i, SEED);
		Pallet::<T>::do_add_curator(owner.clone(), id, last.clone()).expect("curator added");
	}
	(id, owner, last)
}

/// A pending contribution to `dataset` from a funded contributor.
fn pending<T: Config>(dataset: DatasetId) -> (ContributionId, T::AccountId) {
	let who = funded::<T>("contributor", 0);
	let id = NextContributionId::<T>::get();
	Pallet::<T>::do_contribute(
		who.clone(),
		dataset,
		content_for::<T>(1),
		1,
		Licence::Cc0,
		Consent::FULL,
	)
	.expect("contributed");
	(id, who)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_dataset() {
		let owner = funded::<T>("owner", 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner.clone()),
			content_for::<T>(0),
			Licence::CcBy,
			policy::<T>(Admission::Curated),
		);
		assert_eq!(Datasets::<T>::get(0).map(|d| d.owner), Some(owner));
	}

	#[benchmark]
	fn update_dataset() {
		let (id, owner, _) = dataset_with_curators::<T>(Admission::Curated, 1);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			id,
			Some(content_for::<T>(7)),
			Some(policy::<T>(Admission::Open)),
		);
		assert_eq!(Datasets::<T>::get(id).map(|d| d.policy.admission), Some(Admission::Open));
	}

	#[benchmark]
	fn add_curator() {
		let (id, owner, _) =
			dataset_with_curators::<T>(Admission::Curated, T::MaxCurators::get() - 1);
		let curator: T::AccountId = account("new", 0, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, T::Lookup::unlookup(curator.clone()));
		assert!(Pallet::<T>::is_curator(id, &curator));
	}

	#[benchmark]
	fn remove_curator() {
		let (id, owner, last) =
			dataset_with_curators::<T>(Admission::Curated, T::MaxCurators::get());
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, T::Lookup::unlookup(last.clone()));
		assert!(!Pallet::<T>::is_curator(id, &last));
	}

	#[benchmark]
	fn transfer_ownership() {
		let (id, owner, _) =
			dataset_with_curators::<T>(Admission::Curated, T::MaxCurators::get() - 1);
		let new_owner = funded::<T>("new", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, T::Lookup::unlookup(new_owner.clone()));
		assert_eq!(Datasets::<T>::get(id).map(|d| d.owner), Some(new_owner));
	}

	/// The open path: accepted on submission (points, content root) — heavier than curated.
	#[benchmark]
	fn contribute() {
		let (id, _, _) = dataset_with_curators::<T>(Admission::Open, 1);
		let who = funded::<T>("contributor", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id, content_for::<T>(1), Licence::Cc0, Consent::FULL);
		assert!(Pallet::<T>::points_of(id, &who) > 0);
	}

	/// `c` items under one root: the cost must not depend on `c`.
	#[benchmark]
	fn contribute_batch(c: Linear<1, { u32::MAX }>) {
		let (id, _, _) = dataset_with_curators::<T>(Admission::Open, 1);
		let who = funded::<T>("contributor", 0);
		let content = content_for::<T>(1);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			id,
			content.hash,
			c,
			u64::MAX,
			content.uri,
			Licence::Cc0,
			Consent::FULL,
		);
		assert_eq!(Datasets::<T>::get(id).map(|d| d.items), Some(c.into()));
	}

	#[benchmark]
	fn review_accept() {
		let (id, _, curator) =
			dataset_with_curators::<T>(Admission::Curated, T::MaxCurators::get());
		let (contribution, who) = pending::<T>(id);
		#[extrinsic_call]
		review(RawOrigin::Signed(curator), contribution, Review::Accept { quality: 100 });
		assert_eq!(Pallet::<T>::points_of(id, &who), 100);
	}

	#[benchmark]
	fn review_reject() {
		let (id, _, curator) =
			dataset_with_curators::<T>(Admission::Curated, T::MaxCurators::get());
		let (contribution, _) = pending::<T>(id);
		T::Currency::set_balance(&T::SlashDestination::get(), T::Currency::minimum_balance());
		#[extrinsic_call]
		review(
			RawOrigin::Signed(curator),
			contribution,
			Review::Reject { reason: RejectReason::Spam },
		);
		assert!(Contributions::<T>::get(contribution).is_none());
	}

	#[benchmark]
	fn snapshot() {
		let (id, owner, _) = dataset_with_curators::<T>(Admission::Open, 1);
		pending::<T>(id);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(Snapshots::<T>::contains_key(id, 1));
	}

	/// `r`: the steps of the search through the tainted ranges (`2^r - 1` live ranges); the
	/// call is charged for `MAX_RANGE_PROBES`.
	#[benchmark]
	fn withdraw_consent(r: Linear<0, 12>) {
		let (id, owner, _) = dataset_with_curators::<T>(Admission::Open, 1);
		let (contribution, who) = pending::<T>(id);
		Pallet::<T>::do_snapshot(owner, id).expect("snapshot taken");
		// Disjoint ranges after snapshot 1, which holds the item: the withdrawal merges them all.
		let ranges = (1u32 << r) - 1;
		for index in 0..ranges {
			let version = 2 * index + 2;
			TaintedRanges::<T>::insert(
				id,
				index,
				SnapshotRange { from: version, through: version },
			);
		}
		Datasets::<T>::mutate(id, |info| {
			let info = info.as_mut().expect("dataset exists");
			info.snapshots = 2 * ranges + 1;
			info.tainted_ranges = ranges;
		});
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), contribution);
		assert_eq!(Pallet::<T>::points_of(id, &who), 0);
		let through = 2 * ranges + 1;
		assert_eq!(TaintedRanges::<T>::get(id, 0), Some(SnapshotRange { from: 1, through }));
		assert_eq!(Datasets::<T>::get(id).map(|info| info.tainted_ranges), Some(1));
	}

	#[benchmark]
	fn takedown() -> Result<(), BenchmarkError> {
		let (id, _, _) = dataset_with_curators::<T>(Admission::Curated, 1);
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, H256::repeat_byte(1));
		assert!(matches!(
			Datasets::<T>::get(id).map(|d| d.status),
			Some(DatasetStatus::TakenDown { .. })
		));
		Ok(())
	}

	#[benchmark]
	fn close_dataset() {
		let (id, owner, _) = dataset_with_curators::<T>(Admission::Curated, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(matches!(
			Datasets::<T>::get(id).map(|d| d.status),
			Some(DatasetStatus::Closed { .. })
		));
	}

	#[benchmark]
	fn remove_contribution() {
		let (id, _, _) = dataset_with_curators::<T>(Admission::Curated, 1);
		let (contribution, who) = pending::<T>(id);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), contribution);
		assert!(Contributions::<T>::get(contribution).is_none());
	}

	/// One dataset of the migration to version 1: its owner read, its index entry written.
	#[benchmark]
	fn migrate_v1_dataset() {
		let (id, owner, _) = dataset_with_curators::<T>(Admission::Curated, 1);
		OwnedDatasets::<T>::remove(&owner, id);
		#[block]
		{
			migrations::v1::IndexOwners::<T>::migrate_next(None);
		}
		assert!(OwnedDatasets::<T>::contains_key(&owner, id));
	}

	/// One accepted contribution of the migration to version 2: read, indexed at its position.
	#[benchmark]
	fn migrate_v2_contribution() {
		let (id, _, _) = dataset_with_curators::<T>(Admission::Open, 1);
		let (contribution, _) = pending::<T>(id);
		let _ = AcceptedContributions::<T>::clear(u32::MAX, None);
		#[block]
		{
			migrations::v2::IndexAcceptanceOrder::<T>::migrate_next(None);
		}
		assert_eq!(AcceptedContributions::<T>::get(id, 0), Some(contribution));
	}

	/// One dataset of the migration to version 3: read in its old layout, written in the new.
	#[benchmark]
	fn migrate_v3_dataset() {
		let (id, _, _) = dataset_with_curators::<T>(Admission::Curated, 1);
		let old = migrations::v3::downgrade_dataset::<T>(Datasets::<T>::get(id).expect("created"));
		frame_support::storage::unhashed::put(&Datasets::<T>::hashed_key_for(id), &old);
		#[block]
		{
			migrations::v3::AddWithdrawalGrace::<T>::migrate_next(None);
		}
		assert_eq!(Datasets::<T>::get(id).map(|d| d.policy.withdrawal_grace), Some(0));
	}

	/// One snapshot of the migration to version 3, after the last dataset: the dataset map's end
	/// found, the snapshot read in its old layout and written in the new.
	#[benchmark]
	fn migrate_v3_snapshot() {
		let (id, owner, _) = dataset_with_curators::<T>(Admission::Open, 1);
		pending::<T>(id);
		Pallet::<T>::do_snapshot(owner, id).expect("snapshot taken");
		let taken = Snapshots::<T>::get(id, 1).expect("taken");
		let old = migrations::v3::downgrade_snapshot(taken);
		frame_support::storage::unhashed::put(&Snapshots::<T>::hashed_key_for(id, 1), &old);
		#[block]
		{
			migrations::v3::AddWithdrawalGrace::<T>::migrate_next(Some(
				migrations::v3::Cursor::Dataset(id),
			));
		}
		assert_eq!(Snapshots::<T>::get(id, 1).map(|s| s.withdrawal_grace), Some(0));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
