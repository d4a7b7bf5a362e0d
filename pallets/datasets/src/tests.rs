//! Behaviour of pallet-datasets: every call, every error, invariants after every step.

use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::fungible::{Inspect, InspectHold},
};
use lineage_primitives::{
	Consent, ContentRef, DatasetInspect, Licence, SnapshotRef, SnapshotStatus, Uri,
};
use sp_core::H256;
use sp_runtime::{DispatchError, DispatchResult, TokenError};

use crate::{
	mock::*, AcceptedContributions, AccountContributions, Admission, Call, ContributionState,
	Contributions, Curators, DatasetOf, DatasetStatus, Error, Event, HoldReason, ItemIndex,
	NextContributionId, NextDatasetId, PolicyOf, RejectReason, Review, SnapshotRange, Snapshots,
	TaintedRanges,
};
use lineage_primitives::{ContributionId, DatasetId, Page, MAX_SNAPSHOTS};

type E = Error<Test>;

const RESEARCH: Consent = Consent { training: true, commercial: false };

/// Asserts a call succeeded and the invariants still hold.
fn ok(result: DispatchResult) {
	assert_ok!(result);
	Datasets::do_try_state().expect("invariants hold");
}

fn info(id: DatasetId) -> DatasetOf<Test> {
	crate::pallet::Datasets::<Test>::get(id).expect("dataset exists")
}

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&reason.into(), &who)
}

/// Alice creates dataset 0 (CC-BY) with `policy`.
fn create(policy: PolicyOf<Test>) -> DatasetId {
	ok(Datasets::create_dataset(signed(ALICE), content(200), Licence::CcBy, policy));
	NextDatasetId::<Test>::get() - 1
}

/// `who` contributes item `n` to `dataset` under CC0 with full consent; returns its id.
fn contribute(who: AccountId, dataset: DatasetId, n: u8) -> ContributionId {
	ok(Datasets::contribute(signed(who), dataset, content(n), Licence::Cc0, Consent::FULL));
	NextContributionId::<Test>::get() - 1
}

fn accept(id: ContributionId, quality: u8) {
	ok(Datasets::review(signed(ALICE), id, Review::Accept { quality }));
}

fn long_uri() -> Uri {
	Uri::try_from(vec![b'a'; MAX_URI as usize + 1]).unwrap()
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| if let RuntimeEvent::Datasets(e) = r.event { Some(e) } else { None })
		.expect("an event")
}

// ---- create / update ----

#[test]
fn create_dataset_holds_the_deposit_and_makes_the_owner_curator() {
	build_and_execute(|| {
		let id = create(curated());
		let info = info(id);
		assert_eq!(info.owner, ALICE);
		assert_eq!(info.licence, Licence::CcBy);
		assert_eq!(info.deposit, DATASET_DEPOSIT);
		assert_eq!(info.status, DatasetStatus::Active);
		assert_eq!(Curators::<Test>::get(id).into_inner(), vec![ALICE]);
		assert_eq!(held(HoldReason::DatasetDeposit, ALICE), DATASET_DEPOSIT);
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT - DATASET_DEPOSIT);
		assert_eq!(
			last_event(),
			Event::DatasetCreated {
				dataset: id,
				owner: ALICE,
				licence: Licence::CcBy,
				admission: Admission::Curated
			}
		);
	});
}

#[test]
fn create_dataset_refuses_a_long_uri_and_a_poor_owner() {
	build_and_execute(|| {
		let metadata = ContentRef { hash: H256::zero(), uri: long_uri(), bytes: 1 };
		assert_noop!(
			Datasets::create_dataset(signed(ALICE), metadata, Licence::CcBy, curated()),
			E::UriTooLong
		);
		assert_noop!(
			Datasets::create_dataset(signed(PAUPER), content(1), Licence::CcBy, curated()),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
	});
}

#[test]
fn update_dataset_changes_metadata_and_policy_for_the_owner_only() {
	build_and_execute(|| {
		let id = create(curated());
		ok(Datasets::update_dataset(signed(ALICE), id, Some(content(7)), Some(open())));
		let info = info(id);
		assert_eq!(info.metadata, content(7));
		assert_eq!(info.policy, open());
		assert_eq!(
			last_event(),
			Event::DatasetUpdated { dataset: id, metadata: Some(content(7)), policy: Some(open()) }
		);

		assert_noop!(Datasets::update_dataset(signed(BOB), id, None, None), E::NotOwner);
		assert_noop!(Datasets::update_dataset(signed(ALICE), 9, None, None), E::UnknownDataset);
		let metadata = ContentRef { hash: H256::zero(), uri: long_uri(), bytes: 1 };
		assert_noop!(
			Datasets::update_dataset(signed(ALICE), id, Some(metadata), None),
			E::UriTooLong
		);
	});
}

// ---- curators and ownership ----

#[test]
fn curators_are_added_and_removed_by_the_owner_within_bounds() {
	build_and_execute(|| {
		let id = create(curated());
		ok(Datasets::add_curator(signed(ALICE), id, BOB));
		assert_eq!(last_event(), Event::CuratorAdded { dataset: id, curator: BOB });
		assert_noop!(Datasets::add_curator(signed(ALICE), id, BOB), E::AlreadyCurator);
		assert_noop!(Datasets::add_curator(signed(BOB), id, CHARLIE), E::NotOwner);
		ok(Datasets::add_curator(signed(ALICE), id, CHARLIE));
		assert_noop!(Datasets::add_curator(signed(ALICE), id, DAVE), E::TooManyCurators);

		ok(Datasets::remove_curator(signed(ALICE), id, BOB));
		assert_eq!(last_event(), Event::CuratorRemoved { dataset: id, curator: BOB });
		assert_eq!(Curators::<Test>::get(id).into_inner(), vec![ALICE, CHARLIE]);
		assert_noop!(Datasets::remove_curator(signed(ALICE), id, BOB), E::NotCurator);
		assert_noop!(Datasets::remove_curator(signed(ALICE), id, ALICE), E::CannotRemoveOwner);
		assert_noop!(Datasets::remove_curator(signed(CHARLIE), id, CHARLIE), E::NotOwner);
	});
}

#[test]
fn transfer_ownership_moves_the_deposit_and_the_first_curator_seat() {
	build_and_execute(|| {
		let id = create(curated());
		ok(Datasets::add_curator(signed(ALICE), id, BOB));
		ok(Datasets::transfer_ownership(signed(ALICE), id, BOB));
		assert_eq!(info(id).owner, BOB);
		assert_eq!(Curators::<Test>::get(id).into_inner(), vec![BOB, ALICE]);
		assert_eq!(held(HoldReason::DatasetDeposit, ALICE), 0);
		assert_eq!(held(HoldReason::DatasetDeposit, BOB), DATASET_DEPOSIT);
		assert_eq!(Balances::total_balance(&ALICE), ENDOWMENT - DATASET_DEPOSIT);
		assert_eq!(last_event(), Event::OwnershipTransferred { dataset: id, from: ALICE, to: BOB });

		assert_noop!(Datasets::transfer_ownership(signed(ALICE), id, CHARLIE), E::NotOwner);
		assert_noop!(Datasets::transfer_ownership(signed(BOB), id, BOB), E::AlreadyOwner);
		// A full curator set has no seat for an outsider.
		ok(Datasets::add_curator(signed(BOB), id, CHARLIE));
		assert_noop!(Datasets::transfer_ownership(signed(BOB), id, DAVE), E::TooManyCurators);
		ok(Datasets::transfer_ownership(signed(BOB), id, CHARLIE));
		assert_eq!(Curators::<Test>::get(id).into_inner(), vec![CHARLIE, BOB, ALICE]);
		// The owner index follows the dataset.
		assert!(Datasets::owned_datasets_page(&ALICE, None, 10).is_empty());
		assert!(Datasets::owned_datasets_page(&BOB, None, 10).is_empty());
		let owned = Datasets::owned_datasets_page(&CHARLIE, None, 10);
		assert_eq!(owned.iter().map(|d| d.id).collect::<Vec<_>>(), vec![id]);
	});
}

#[test]
fn owned_datasets_pages_through_an_owners_datasets() {
	build_and_execute(|| {
		let mine: Vec<DatasetId> = (0..5).map(|_| create(curated())).collect();
		ok(Datasets::create_dataset(signed(BOB), content(9), Licence::CcBy, curated()));
		let mut seen = Vec::new();
		let mut cursor = None;
		loop {
			let page = Datasets::owned_datasets_page(&ALICE, cursor, 2);
			assert!(page.len() <= 2);
			let Some(last) = page.last() else { break };
			cursor = Some(last.id);
			seen.extend(page.iter().map(|d| d.id));
		}
		seen.sort();
		assert_eq!(seen, mine);
		// A page never exceeds MaxPageSize, whatever the limit asked.
		let max = <<Test as crate::Config>::MaxPageSize as frame_support::traits::Get<u32>>::get()
			as usize;
		assert!(Datasets::owned_datasets_page(&ALICE, None, u32::MAX).len() <= max);
	});
}

#[test]
fn the_v1_migration_indexes_existing_datasets_once() {
	use frame_support::traits::{GetStorageVersion, StorageVersion};
	use frame_support::weights::Weight;
	use lineage_primitives::migrations::run_to_end;
	new_test_ext().execute_with(|| {
		let a = create(curated());
		let b = create(curated());
		ok(Datasets::transfer_ownership(signed(ALICE), b, BOB));
		// The state a version-0 chain has: datasets, no index.
		let _ = crate::OwnedDatasets::<Test>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<Datasets>();
		assert!(Datasets::do_try_state().is_err());

		run_to_end::<crate::migrations::v1::MigrateToV1<Test>>(Weight::MAX);
		assert_eq!(Datasets::on_chain_storage_version(), 1);
		assert!(crate::OwnedDatasets::<Test>::contains_key(ALICE, a));
		assert!(crate::OwnedDatasets::<Test>::contains_key(BOB, b));
		assert_eq!(crate::OwnedDatasets::<Test>::iter().count(), 2);
		assert_ok!(Datasets::do_try_state());

		// Run again (a chain past version 1 skips it): nothing happens.
		let _ = crate::OwnedDatasets::<Test>::clear(u32::MAX, None);
		run_to_end::<crate::migrations::v1::MigrateToV1<Test>>(Weight::MAX);
		assert_eq!(crate::OwnedDatasets::<Test>::iter().count(), 0);
	});
}

// ---- contributions ----

#[test]
fn contribute_to_a_curated_dataset_holds_both_deposits_and_waits_for_review() {
	build_and_execute(|| {
		let id = create(curated());
		let c = contribute(BOB, id, 1);
		let record = Contributions::<Test>::get(c).unwrap();
		assert_eq!(record.contributor, BOB);
		assert_eq!(record.state, ContributionState::Pending);
		assert_eq!(record.items, 1);
		assert_eq!(
			held(HoldReason::ContributionDeposit, BOB),
			RECORD_DEPOSIT + CONTRIBUTION_DEPOSIT
		);
		assert_eq!(info(id).pending, 1);
		assert_eq!(ItemIndex::<Test>::get(id, H256::repeat_byte(1)), Some(c));
		assert!(AccountContributions::<Test>::contains_key(BOB, c));
		assert_eq!(
			last_event(),
			Event::Contributed {
				dataset: id,
				contribution: c,
				contributor: BOB,
				hash: H256::repeat_byte(1),
				items: 1
			}
		);
		assert!(points_heard().is_empty());
	});
}

#[test]
fn contribute_to_an_open_dataset_is_accepted_at_once() {
	build_and_execute(|| {
		let id = create(open());
		let c = contribute(BOB, id, 1);
		let ContributionState::Accepted {
			quality,
			points,
			reviewer,
			position,
			first_snapshot,
			withdrawn,
		} = Contributions::<Test>::get(c).unwrap().state
		else {
			panic!("not accepted")
		};
		assert_eq!(
			(quality, points, reviewer, position, first_snapshot, withdrawn),
			(50, 50, None, 0, 1, None)
		);
		assert_eq!(held(HoldReason::ContributionDeposit, BOB), RECORD_DEPOSIT);
		assert_eq!(Datasets::points_of(id, &BOB), 50);
		assert_eq!(points_heard(), vec![(id, BOB, 1, 50)]);
		assert_eq!(info(id).pending, 0);
	});
}

#[test]
fn contribute_refuses_bad_input() {
	build_and_execute(|| {
		let id = create(curated());
		contribute(BOB, id, 1);
		let zero = ContentRef { bytes: 0, ..content(2) };
		assert_noop!(
			Datasets::contribute(signed(BOB), id, zero, Licence::Cc0, Consent::FULL),
			E::ZeroBytes
		);
		let long = ContentRef { uri: long_uri(), ..content(2) };
		assert_noop!(
			Datasets::contribute(signed(BOB), id, long, Licence::Cc0, Consent::FULL),
			E::UriTooLong
		);
		assert_noop!(
			Datasets::contribute(signed(BOB), 7, content(2), Licence::Cc0, Consent::FULL),
			E::UnknownDataset
		);
		// A CC-BY dataset cannot redistribute non-commercial or share-alike items.
		for licence in [Licence::CcByNc, Licence::CcBySa, Licence::Proprietary] {
			assert_noop!(
				Datasets::contribute(signed(BOB), id, content(2), licence, Consent::FULL),
				E::IncompatibleLicence
			);
		}
		let no_training = Consent { training: false, commercial: true };
		assert_noop!(
			Datasets::contribute(signed(BOB), id, content(2), Licence::Cc0, no_training),
			E::InsufficientConsent
		);
		assert_noop!(
			Datasets::contribute(signed(CHARLIE), id, content(1), Licence::Cc0, Consent::FULL),
			E::DuplicateItem
		);
		assert_noop!(
			Datasets::contribute(signed(PAUPER), id, content(3), Licence::Cc0, Consent::FULL),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
	});
}

#[test]
fn contribute_batch_records_many_items_in_one_record_at_a_constant_weight() {
	build_and_execute(|| {
		let id = create(open());
		let uri = Uri::try_from(b"ipfs://batch".to_vec()).unwrap();
		let root = H256::repeat_byte(9);
		ok(Datasets::contribute_batch(
			signed(BOB),
			id,
			root,
			1_000_000,
			5 << 30,
			uri.clone(),
			Licence::Mit,
			RESEARCH,
		));
		let c = NextContributionId::<Test>::get() - 1;
		let record = Contributions::<Test>::get(c).unwrap();
		assert_eq!(
			(record.items, record.content.bytes, record.content.hash),
			(1_000_000, 5 << 30, root)
		);
		// Nobody vouched for the count in an open dataset: the batch earns points as one item.
		assert_eq!(Datasets::points_of(id, &BOB), 50);
		assert_eq!(info(id).items, 1_000_000);
		assert_eq!(info(id).consent, RESEARCH);

		let weight = |count| {
			RuntimeCall::Datasets(Call::contribute_batch {
				dataset: id,
				root,
				count,
				total_bytes: 1,
				uri: uri.clone(),
				licence: Licence::Mit,
				consent: RESEARCH,
			})
			.get_dispatch_info()
			.call_weight
		};
		assert_eq!(weight(1), weight(u32::MAX));

		assert_noop!(
			Datasets::contribute_batch(
				signed(BOB),
				id,
				H256::zero(),
				0,
				10,
				uri.clone(),
				Licence::Mit,
				RESEARCH
			),
			E::ZeroCount
		);
		assert_noop!(
			Datasets::contribute_batch(
				signed(BOB),
				id,
				H256::zero(),
				5,
				0,
				uri.clone(),
				Licence::Mit,
				RESEARCH
			),
			E::ZeroBytes
		);
		assert_noop!(
			Datasets::contribute_batch(
				signed(BOB),
				id,
				H256::zero(),
				5,
				10,
				long_uri(),
				Licence::Mit,
				RESEARCH
			),
			E::UriTooLong
		);
		assert_noop!(
			Datasets::contribute_batch(
				signed(CHARLIE),
				id,
				root,
				5,
				10,
				uri,
				Licence::Mit,
				RESEARCH
			),
			E::DuplicateItem
		);
	});
}

#[test]
fn a_batch_count_earns_points_only_when_a_curator_vouches_for_it() {
	build_and_execute(|| {
		let uri = Uri::try_from(b"ipfs://batch".to_vec()).unwrap();
		let batch = |who, dataset, byte| {
			ok(Datasets::contribute_batch(
				signed(who),
				dataset,
				H256::repeat_byte(byte),
				u32::MAX,
				1 << 40,
				uri.clone(),
				Licence::Mit,
				RESEARCH,
			));
			NextContributionId::<Test>::get() - 1
		};
		// Open: many forged batches from many accounts earn one item each.
		let open_id = create(open());
		for (n, who) in [BOB, CHARLIE, BOB].into_iter().enumerate() {
			batch(who, open_id, n as u8 + 1);
		}
		assert_eq!(Datasets::points_of(open_id, &BOB), 2 * 50);
		assert_eq!(Datasets::points_of(open_id, &CHARLIE), 50);
		assert_eq!(info(open_id).total_points, 3 * 50);
		// Curated: the count earns points once a curator accepts it, and the curator is named.
		let curated = create(curated());
		let c = batch(BOB, curated, 9);
		assert_eq!(Datasets::points_of(curated, &BOB), 0);
		accept(c, 2);
		assert_eq!(Datasets::points_of(curated, &BOB), 2 * u64::from(u32::MAX));
		assert!(matches!(
			Contributions::<Test>::get(c).unwrap().state,
			ContributionState::Accepted { reviewer: Some(ALICE), .. }
		));
		assert!(matches!(
			last_event(),
			Event::ContributionAccepted { reviewer: Some(ALICE), points, .. }
				if points == 2 * u64::from(u32::MAX)
		));
	});
}

// ---- review ----

#[test]
fn accepting_releases_the_review_deposit_and_awards_points() {
	build_and_execute(|| {
		let id = create(curated());
		ok(Datasets::add_curator(signed(ALICE), id, CHARLIE));
		let c = contribute(BOB, id, 1);
		ok(Datasets::review(signed(CHARLIE), c, Review::Accept { quality: 80 }));
		assert_eq!(held(HoldReason::ContributionDeposit, BOB), RECORD_DEPOSIT);
		assert_eq!(Balances::balance(&BOB), ENDOWMENT - RECORD_DEPOSIT);
		assert_eq!(Datasets::points_of(id, &BOB), 80);
		assert_eq!(points_heard(), vec![(id, BOB, 1, 80)]);
		let info = info(id);
		assert_eq!((info.pending, info.accepted, info.items, info.total_points), (0, 1, 1, 80));
		assert_eq!(
			info.content_root,
			Datasets::chain_root(H256::zero(), c, H256::repeat_byte(1), 1)
		);
		assert_eq!(
			last_event(),
			Event::ContributionAccepted {
				dataset: id,
				contribution: c,
				contributor: BOB,
				quality: 80,
				points: 80,
				reviewer: Some(CHARLIE)
			}
		);
	});
}

#[test]
fn rejecting_slashes_part_of_the_deposit_to_the_treasury_and_removes_the_record() {
	build_and_execute(|| {
		let id = create(curated());
		let c = contribute(BOB, id, 1);
		ok(Datasets::review(signed(ALICE), c, Review::Reject { reason: RejectReason::Spam }));
		// 30% of 10 slashed; the rest and the record deposit released.
		assert_eq!(Balances::balance(&TREASURY), 1 + 3);
		assert_eq!(Balances::balance(&BOB), ENDOWMENT - 3);
		assert_eq!(held(HoldReason::ContributionDeposit, BOB), 0);
		assert!(Contributions::<Test>::get(c).is_none());
		assert!(!AccountContributions::<Test>::contains_key(BOB, c));
		assert_eq!(info(id).pending, 0);
		assert_eq!(
			last_event(),
			Event::ContributionRejected {
				dataset: id,
				contribution: c,
				contributor: BOB,
				reason: RejectReason::Spam,
				slashed: 3
			}
		);
		// The item may be submitted again.
		contribute(BOB, id, 1);
	});
}

#[test]
fn a_rejection_slashes_what_the_policy_said_when_the_item_was_submitted() {
	build_and_execute(|| {
		let id = create(curated());
		let c = contribute(BOB, id, 1);
		// The owner raises the slash to 100% after Bob submitted under 30%.
		let harsh = PolicyOf::<Test> { reject_slash: sp_runtime::Perbill::one(), ..curated() };
		ok(Datasets::update_dataset(signed(ALICE), id, None, Some(harsh)));
		ok(Datasets::review(signed(ALICE), c, Review::Reject { reason: RejectReason::Spam }));
		assert_eq!(Balances::balance(&BOB), ENDOWMENT - 3);
		// A contribution submitted now is held to 100%.
		let later = contribute(BOB, id, 2);
		ok(Datasets::review(signed(ALICE), later, Review::Reject { reason: RejectReason::Spam }));
		assert_eq!(Balances::balance(&BOB), ENDOWMENT - 3 - 10);
	});
}

#[test]
fn review_refuses_bad_input() {
	build_and_execute(|| {
		let id = create(curated());
		let c = contribute(BOB, id, 1);
		let accept_with = |q| Review::Accept { quality: q };
		assert_noop!(Datasets::review(signed(BOB), c, accept_with(50)), E::NotCurator);
		assert_noop!(Datasets::review(signed(ALICE), 77, accept_with(50)), E::UnknownContribution);
		assert_noop!(Datasets::review(signed(ALICE), c, accept_with(0)), E::QualityOutOfRange);
		assert_noop!(Datasets::review(signed(ALICE), c, accept_with(101)), E::QualityOutOfRange);
		accept(c, 50);
		assert_noop!(Datasets::review(signed(ALICE), c, accept_with(50)), E::AlreadyReviewed);
		let reject = Review::Reject { reason: RejectReason::Other(7) };
		assert_noop!(Datasets::review(signed(ALICE), c, reject), E::AlreadyReviewed);
	});
}

// ---- snapshots ----

#[test]
fn snapshots_freeze_the_accepted_set_with_a_recomputable_root() {
	build_and_execute(|| {
		let id = create(curated());
		let (a, b) = (contribute(BOB, id, 1), contribute(CHARLIE, id, 2));
		assert_noop!(Datasets::snapshot(signed(ALICE), id), E::NothingToSnapshot);
		accept(b, 40);
		accept(a, 60);
		assert_noop!(Datasets::snapshot(signed(BOB), id), E::NotCurator);
		ok(Datasets::snapshot(signed(ALICE), id));

		// Acceptance order, not submission order.
		let root = Datasets::chain_root(
			Datasets::chain_root(H256::zero(), b, H256::repeat_byte(2), 1),
			a,
			H256::repeat_byte(1),
			1,
		);
		let snap = Snapshots::<Test>::get(id, 1).unwrap();
		assert_eq!(
			(snap.content_root, snap.contributions, snap.items, snap.total_points),
			(root, 2, 2, 100)
		);
		assert_eq!(snap.block, 1);
		assert_eq!(
			last_event(),
			Event::SnapshotTaken {
				dataset: id,
				version: 1,
				content_root: root,
				withdrawn_root: H256::zero(),
				items: 2,
				total_points: 100
			}
		);
		assert_noop!(Datasets::snapshot(signed(ALICE), id), E::NothingToSnapshot);

		let c = contribute(DAVE, id, 3);
		accept(c, 10);
		ok(Datasets::snapshot(signed(ALICE), id));
		assert_eq!(info(id).snapshots, 2);
		assert_eq!(Snapshots::<Test>::get(id, 2).unwrap().items, 3);
		let ContributionState::Accepted { first_snapshot, .. } =
			Contributions::<Test>::get(c).unwrap().state
		else {
			panic!()
		};
		assert_eq!(first_snapshot, 2);
		assert_noop!(Datasets::snapshot(signed(ALICE), 9), E::UnknownDataset);
	});
}

#[test]
fn each_snapshot_keeps_the_withdrawal_grace_declared_when_it_was_taken() {
	build_and_execute(|| {
		let too_long = PolicyOf::<Test> { withdrawal_grace: 101, ..open() };
		assert_noop!(
			Datasets::create_dataset(signed(ALICE), content(1), Licence::CcBy, too_long),
			E::GraceTooLong
		);
		let id = create(PolicyOf::<Test> { withdrawal_grace: 40, ..open() });
		contribute(BOB, id, 1);
		ok(Datasets::snapshot(signed(ALICE), id));
		assert_noop!(
			Datasets::update_dataset(signed(ALICE), id, None, Some(too_long)),
			E::GraceTooLong
		);
		// The owner shortens the grace: snapshot 1 keeps its 40 blocks, snapshot 2 has 5.
		let shorter = PolicyOf::<Test> { withdrawal_grace: 5, ..open() };
		ok(Datasets::update_dataset(signed(ALICE), id, None, Some(shorter)));
		contribute(BOB, id, 2);
		ok(Datasets::snapshot(signed(ALICE), id));
		let grace = |version| {
			Datasets::snapshot_info(SnapshotRef { dataset: id, version })
				.unwrap()
				.withdrawal_grace
		};
		assert_eq!((grace(1), grace(2)), (40, 5));
		assert_eq!(Snapshots::<Test>::get(id, 1).unwrap().withdrawal_grace, 40);
	});
}

#[test]
fn a_dataset_takes_at_most_max_snapshots() {
	build_and_execute(|| {
		let id = create(open());
		contribute(BOB, id, 1);
		let set_snapshots =
			|n| crate::pallet::Datasets::<Test>::mutate(id, |d| d.as_mut().unwrap().snapshots = n);
		set_snapshots(MAX_SNAPSHOTS);
		assert_noop!(Datasets::snapshot(signed(ALICE), id), E::TooManySnapshots);
		// (The invariants look for every snapshot up to the latest.)
		set_snapshots(0);
		ok(Datasets::snapshot(signed(ALICE), id));
	});
}

// ---- consent ----

#[test]
fn withdrawing_consent_stops_earning_and_marks_the_snapshots_that_contain_the_item() {
	build_and_execute(|| {
		let id = create(curated());
		let a = contribute(BOB, id, 1);
		accept(a, 50);
		ok(Datasets::snapshot(signed(ALICE), id));
		let b = contribute(CHARLIE, id, 2);
		accept(b, 50);
		ok(Datasets::snapshot(signed(ALICE), id));
		let first = SnapshotRef { dataset: id, version: 1 };
		let second = SnapshotRef { dataset: id, version: 2 };

		// The rewards sink hears each snapshot, after the points it holds.
		assert_eq!(snapshots_heard(), vec![(id, 1), (id, 2)]);
		assert_eq!(points_heard(), vec![(id, BOB, 1, 50), (id, CHARLIE, 2, 50)]);

		ok(Datasets::withdraw_consent(signed(CHARLIE), b));
		assert_eq!(Datasets::points_of(id, &CHARLIE), 0);
		assert_eq!(info(id).total_points, 50);
		assert_eq!(points_heard().last(), Some(&(id, CHARLIE, 2, -50)));
		assert_eq!(
			last_event(),
			Event::ConsentWithdrawn {
				dataset: id,
				contribution: b,
				contributor: CHARLIE,
				points_removed: 50,
				tainted: Some(SnapshotRange { from: 2, through: 2 })
			}
		);
		// Snapshot 1 does not contain Charlie's item; snapshot 2 does.
		assert_eq!(Datasets::snapshot_info(first).unwrap().status, SnapshotStatus::Active);
		assert_eq!(Datasets::snapshot_info(second).unwrap().status, SnapshotStatus::Withdrawn);

		ok(Datasets::withdraw_consent(signed(BOB), a));
		assert_eq!(Datasets::snapshot_info(first).unwrap().status, SnapshotStatus::Withdrawn);
		assert_eq!(TaintedRanges::<Test>::get(id, 0), Some(SnapshotRange { from: 1, through: 2 }));
		assert_eq!(info(id).tainted_ranges, 1);
	});
}

#[test]
fn the_snapshot_after_a_withdrawal_leaves_the_item_out_and_is_clean() {
	build_and_execute(|| {
		let id = create(curated());
		let (a, b) = (contribute(BOB, id, 1), contribute(CHARLIE, id, 2));
		accept(a, 50);
		accept(b, 50);
		ok(Datasets::snapshot(signed(ALICE), id));
		ok(Datasets::withdraw_consent(signed(BOB), a));

		// Nothing new was accepted, but a clean snapshot can be taken at once.
		ok(Datasets::snapshot(signed(ALICE), id));
		let status =
			|version| Datasets::snapshot_info(SnapshotRef { dataset: id, version }).unwrap().status;
		assert_eq!((status(1), status(2)), (SnapshotStatus::Withdrawn, SnapshotStatus::Active));
		let snap = Snapshots::<Test>::get(id, 2).unwrap();
		let content = Datasets::chain_root(
			Datasets::chain_root(H256::zero(), a, H256::repeat_byte(1), 1),
			b,
			H256::repeat_byte(2),
			1,
		);
		let withdrawn = Datasets::chain_root(H256::zero(), a, H256::repeat_byte(1), 1);
		assert_eq!(
			(snap.content_root, snap.contributions, snap.withdrawn_root, snap.withdrawn),
			(content, 2, withdrawn, 1)
		);
		assert_eq!((snap.items, snap.total_points), (1, 50));
		assert_noop!(Datasets::snapshot(signed(ALICE), id), E::NothingToSnapshot);
		let ContributionState::Accepted { withdrawn, .. } =
			Contributions::<Test>::get(a).unwrap().state
		else {
			panic!()
		};
		assert_eq!(withdrawn, Some(0));
	});
}

#[test]
fn withdrawing_an_item_no_snapshot_holds_taints_nothing() {
	build_and_execute(|| {
		let id = create(open());
		contribute(BOB, id, 1);
		ok(Datasets::snapshot(signed(ALICE), id));
		let late = contribute(CHARLIE, id, 2);
		ok(Datasets::withdraw_consent(signed(CHARLIE), late));
		assert!(matches!(last_event(), Event::ConsentWithdrawn { tainted: None, .. }));
		assert_eq!(info(id).tainted_ranges, 0);
		ok(Datasets::snapshot(signed(ALICE), id));
		for version in [1, 2] {
			let view = Datasets::snapshot_info(SnapshotRef { dataset: id, version }).unwrap();
			assert_eq!(view.status, SnapshotStatus::Active);
		}
	});
}

#[test]
fn separate_withdrawals_leave_the_clean_snapshot_between_them_clean_until_one_covers_it() {
	build_and_execute(|| {
		let id = create(open());
		let status =
			|version| Datasets::snapshot_info(SnapshotRef { dataset: id, version }).unwrap().status;
		let snapshot = || ok(Datasets::snapshot(signed(ALICE), id));
		let a = contribute(BOB, id, 1);
		snapshot(); // 1: a
		let b = contribute(CHARLIE, id, 2);
		snapshot(); // 2: a b
		ok(Datasets::withdraw_consent(signed(BOB), a)); // taints 1..=2
		contribute(DAVE, id, 3);
		snapshot(); // 3: b c
		let d = contribute(BOB, id, 4);
		snapshot(); // 4: b c d
		ok(Datasets::withdraw_consent(signed(BOB), d)); // taints 4..=4
		use SnapshotStatus::{Active, Withdrawn};
		assert_eq!(
			[status(1), status(2), status(3), status(4)],
			[Withdrawn, Withdrawn, Active, Withdrawn]
		);
		assert_eq!(info(id).tainted_ranges, 2);

		contribute(DAVE, id, 5);
		snapshot(); // 5: b c e

		// A status reads the markers next to the snapshot's place among the ranges: the one
		// above it (1, taken before any), the ones on either side (3, taken between the two) or
		// the one below it (5, taken after both); each tells right.
		assert_eq!([status(1), status(3), status(5)], [Withdrawn, Active, Active]);
		// b is in every snapshot from 2 to 5: one range now covers 1..=5.
		ok(Datasets::withdraw_consent(signed(CHARLIE), b));
		assert!((1..=5).all(|v| status(v) == Withdrawn));
		assert_eq!(info(id).tainted_ranges, 1);
		assert_eq!(TaintedRanges::<Test>::get(id, 0), Some(SnapshotRange { from: 1, through: 5 }));
		snapshot(); // 6: c e
		assert_eq!(status(6), Active);
	});
}

/// A pseudo-random mix of contributions, snapshots and withdrawals by several contributors:
/// after every call the invariants check each snapshot's taint against the withdrawals it holds.
#[test]
fn snapshot_taint_matches_the_withdrawals_under_a_random_mix() {
	for seed in 1..=8u64 {
		build_and_execute(|| {
			let id = create(open());
			let mut state = seed;
			let mut next = move |n: u64| {
				state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
				(state >> 33) % n
			};
			let mut accepted: Vec<(AccountId, ContributionId)> = Vec::new();
			for item in 1..=120u8 {
				let who = [BOB, CHARLIE, DAVE][next(3) as usize];
				accepted.push((who, contribute(who, id, item)));
				if next(3) == 0 {
					ok(Datasets::snapshot(signed(ALICE), id));
				}
				if next(4) == 0 {
					let (who, c) = accepted.swap_remove(next(accepted.len() as u64) as usize);
					ok(Datasets::withdraw_consent(signed(who), c));
				}
			}
			assert!(info(id).withdrawn > 10 && info(id).snapshots > 20);
		});
	}
}

#[test]
fn withdraw_consent_refuses_bad_input() {
	build_and_execute(|| {
		let id = create(curated());
		let a = contribute(BOB, id, 1);
		assert_noop!(Datasets::withdraw_consent(signed(BOB), a), E::NotAccepted);
		accept(a, 50);
		assert_noop!(Datasets::withdraw_consent(signed(CHARLIE), a), E::NotContributor);
		assert_noop!(Datasets::withdraw_consent(signed(BOB), 55), E::UnknownContribution);
		ok(Datasets::withdraw_consent(signed(BOB), a));
		assert_noop!(Datasets::withdraw_consent(signed(BOB), a), E::AlreadyWithdrawn);
	});
}

// ---- takedown, close, remove ----

#[test]
fn takedown_freezes_the_dataset_and_every_snapshot() {
	build_and_execute(|| {
		let id = create(curated());
		let a = contribute(BOB, id, 1);
		accept(a, 50);
		ok(Datasets::snapshot(signed(ALICE), id));
		let pending = contribute(CHARLIE, id, 2);
		let reason = H256::repeat_byte(0xdd);

		assert_noop!(Datasets::takedown(signed(ALICE), id, reason), DispatchError::BadOrigin);
		let (alice, treasury) = (Balances::balance(&ALICE), Balances::balance(&TREASURY));
		ok(Datasets::takedown(RuntimeOrigin::root(), id, reason));
		assert_eq!(
			last_event(),
			Event::DatasetTakenDown { dataset: id, reason, slashed: DATASET_DEPOSIT }
		);
		let snapshot = Datasets::snapshot_info(SnapshotRef { dataset: id, version: 1 }).unwrap();
		assert_eq!(snapshot.status, SnapshotStatus::TakenDown);
		// The owner's deposit went to the treasury, not back to the owner.
		assert_eq!(held(HoldReason::DatasetDeposit, ALICE), 0);
		assert_eq!(Balances::balance(&ALICE), alice);
		assert_eq!(Balances::balance(&TREASURY), treasury + DATASET_DEPOSIT);
		assert_eq!(info(id).deposit, 0);

		assert_noop!(Datasets::takedown(RuntimeOrigin::root(), id, reason), E::DatasetTakenDown);
		assert_noop!(Datasets::takedown(RuntimeOrigin::root(), 8, reason), E::UnknownDataset);
		assert_noop!(
			Datasets::contribute(signed(DAVE), id, content(3), Licence::Cc0, Consent::FULL),
			E::DatasetTakenDown
		);
		assert_noop!(
			Datasets::review(signed(ALICE), pending, Review::Accept { quality: 5 }),
			E::DatasetTakenDown
		);
		assert_noop!(Datasets::snapshot(signed(ALICE), id), E::DatasetTakenDown);
		assert_noop!(Datasets::update_dataset(signed(ALICE), id, None, None), E::DatasetTakenDown);
		// Nothing is lost: the pending contributor takes the deposits back.
		ok(Datasets::remove_contribution(signed(CHARLIE), pending));
		assert_eq!(Balances::balance(&CHARLIE), ENDOWMENT);
	});
}

#[test]
fn close_dataset_releases_the_deposit_once_nothing_is_pending() {
	build_and_execute(|| {
		let id = create(curated());
		let a = contribute(BOB, id, 1);
		assert_noop!(Datasets::close_dataset(signed(ALICE), id), E::HasPendingContributions);
		accept(a, 50);
		ok(Datasets::snapshot(signed(ALICE), id));
		assert_noop!(Datasets::close_dataset(signed(BOB), id), E::NotOwner);
		ok(Datasets::close_dataset(signed(ALICE), id));
		assert_eq!(
			last_event(),
			Event::DatasetClosed { dataset: id, deposit_released: DATASET_DEPOSIT }
		);
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT);
		assert!(matches!(info(id).status, DatasetStatus::Closed { .. }));
		// Closed, not taken down: the snapshot stays usable.
		let snapshot = Datasets::snapshot_info(SnapshotRef { dataset: id, version: 1 }).unwrap();
		assert_eq!(snapshot.status, SnapshotStatus::Active);
		assert_noop!(Datasets::close_dataset(signed(ALICE), id), E::DatasetClosed);
		assert_noop!(
			Datasets::contribute(signed(DAVE), id, content(3), Licence::Cc0, Consent::FULL),
			E::DatasetClosed
		);
		// Governance may still take a closed dataset down; its deposit was already returned.
		ok(Datasets::takedown(RuntimeOrigin::root(), id, H256::zero()));
		assert_eq!(
			last_event(),
			Event::DatasetTakenDown { dataset: id, reason: H256::zero(), slashed: 0 }
		);
	});
}

#[test]
fn remove_contribution_refunds_a_pending_contribution_in_full() {
	build_and_execute(|| {
		let id = create(curated());
		let a = contribute(BOB, id, 1);
		assert_noop!(Datasets::remove_contribution(signed(CHARLIE), a), E::NotContributor);
		assert_noop!(Datasets::remove_contribution(signed(BOB), 42), E::UnknownContribution);
		ok(Datasets::remove_contribution(signed(BOB), a));
		assert_eq!(Balances::balance(&BOB), ENDOWMENT);
		assert_eq!(
			last_event(),
			Event::ContributionRemoved {
				dataset: id,
				contribution: a,
				contributor: BOB,
				refunded: RECORD_DEPOSIT + CONTRIBUTION_DEPOSIT
			}
		);
		assert_eq!(info(id).pending, 0);
		let b = contribute(BOB, id, 1);
		accept(b, 50);
		assert_noop!(Datasets::remove_contribution(signed(BOB), b), E::NotPending);
	});
}

// ---- what others read ----

#[test]
fn dataset_inspect_reports_licence_consent_and_status() {
	build_and_execute(|| {
		let id = create(curated());
		ok(Datasets::contribute(signed(BOB), id, content(1), Licence::CcBy, RESEARCH));
		accept(NextContributionId::<Test>::get() - 1, 70);
		assert!(Datasets::snapshot_info(SnapshotRef { dataset: id, version: 1 }).is_none());
		ok(Datasets::snapshot(signed(ALICE), id));
		let view = Datasets::snapshot_info(SnapshotRef { dataset: id, version: 1 }).unwrap();
		assert_eq!(view.licence, Licence::CcBy);
		assert_eq!(view.consent, RESEARCH);
		assert_eq!(view.status, SnapshotStatus::Active);
	});
}

#[test]
fn runtime_api_queries_are_paged_and_bounded() {
	build_and_execute(|| {
		let id = create(open());
		let ids: Vec<_> = (1..=25).map(|n| contribute(BOB, id, n)).collect();
		let mut seen = Vec::new();
		let mut cursor = None;
		loop {
			let page = Datasets::account_contributions_page(&BOB, cursor, 100);
			assert!(page.len() <= 10, "page above MaxPageSize");
			if page.is_empty() {
				break;
			}
			cursor = page.last().map(|c| c.id);
			seen.extend(page.into_iter().map(|c| c.id));
		}
		seen.sort();
		assert_eq!(seen, ids);

		for _ in 0..3 {
			let n = NextContributionId::<Test>::get() as u8 + 100;
			contribute(CHARLIE, id, n);
			ok(Datasets::snapshot(signed(ALICE), id));
		}
		let versions: Vec<_> =
			Datasets::snapshots_page(id, 2, 5).into_iter().map(|(v, _)| v).collect();
		assert_eq!(versions, vec![2, 3]);
		assert!(Datasets::snapshots_page(99, 1, 5).is_empty());
		let details = Datasets::dataset_details(id).unwrap();
		assert_eq!((details.id, details.curators), (id, vec![ALICE]));
		assert_eq!(Datasets::points_of(id, &BOB), 25 * 50);
	});
}

/// Pages through a listing to its end, `limit` at a time, checking every page's size.
fn every_page<I, C: Copy>(limit: usize, mut page: impl FnMut(Option<C>) -> Page<I, C>) -> Vec<I> {
	let (mut items, mut cursor) = (Vec::new(), None);
	loop {
		let next = page(cursor);
		assert!(next.items.len() <= limit, "a page above its limit");
		items.extend(next.items);
		match next.next {
			Some(c) => cursor = Some(c),
			None => return items,
		}
	}
}

#[test]
fn accepted_contributions_list_a_dataset_in_the_order_its_root_chains_them() {
	build_and_execute(|| {
		let id = create(curated());
		let other = create(open());
		let [a, b, c, d] =
			[(BOB, 1), (CHARLIE, 2), (DAVE, 3), (BOB, 4)].map(|(who, n)| contribute(who, id, n));
		contribute(CHARLIE, other, 50);
		accept(c, 30);
		contribute(DAVE, other, 51);
		accept(a, 60);
		accept(d, 10);
		ok(Datasets::withdraw_consent(signed(BOB), a));

		// Acceptance order; the pending contribution is not listed, the withdrawn one keeps its
		// place, the other dataset's never show.
		let listed = every_page(2, |cursor| Datasets::accepted_contributions_page(id, cursor, 2));
		assert_eq!(listed.iter().map(|x| x.id).collect::<Vec<_>>(), vec![c, a, d]);
		assert!(!listed.iter().any(|x| x.id == b));
		let first = Datasets::accepted_contributions_page(id, None, 2);
		assert_eq!(first.next, Some(1));
		assert_eq!(Datasets::accepted_contributions_page(id, Some(1), 2).next, None);

		// Anyone can recompute the content root from the listing.
		let root = listed.iter().fold(H256::zero(), |root, x| {
			Datasets::chain_root(root, x.id, x.contribution.content.hash, x.contribution.items)
		});
		assert_eq!(root, info(id).content_root);
		assert_eq!(
			Datasets::accepted_contributions_page(99, None, 5),
			Page { items: vec![], next: None }
		);
	});
}

#[test]
fn datasets_lists_every_dataset_in_id_order_a_page_at_a_time() {
	build_and_execute(|| {
		let mut ids: Vec<DatasetId> = (0..7).map(|_| create(curated())).collect();
		ok(Datasets::create_dataset(signed(BOB), content(9), Licence::CcBy, curated()));
		ids.push(NextDatasetId::<Test>::get() - 1);
		let listed = every_page(3, |cursor| Datasets::datasets_page(cursor, 3));
		assert_eq!(listed.iter().map(|d| d.id).collect::<Vec<_>>(), ids);
		assert_eq!(listed.last().map(|d| d.info.owner), Some(BOB));
		// A page never exceeds MaxPageSize (10 here), whatever the limit asked.
		for _ in 0..5 {
			create(curated());
		}
		assert_eq!(Datasets::datasets_page(None, u32::MAX).items.len(), 10);
	});
}

#[test]
fn the_v2_migration_indexes_accepted_contributions_in_acceptance_order_once() {
	use frame_support::traits::{GetStorageVersion, StorageVersion};
	use frame_support::weights::Weight;
	use lineage_primitives::migrations::run_to_end;
	new_test_ext().execute_with(|| {
		let id = create(curated());
		let (a, b) = (contribute(BOB, id, 1), contribute(CHARLIE, id, 2));
		contribute(DAVE, id, 3);
		accept(b, 40);
		accept(a, 60);
		// The state a version-1 chain has: accepted contributions, no index.
		let _ = AcceptedContributions::<Test>::clear(u32::MAX, None);
		StorageVersion::new(1).put::<Datasets>();
		assert!(Datasets::do_try_state().is_err());

		run_to_end::<crate::migrations::v2::MigrateToV2<Test>>(Weight::MAX);
		assert_eq!(Datasets::on_chain_storage_version(), 2);
		assert_eq!(AcceptedContributions::<Test>::get(id, 0), Some(b));
		assert_eq!(AcceptedContributions::<Test>::get(id, 1), Some(a));
		assert_eq!(AcceptedContributions::<Test>::iter().count(), 2);
		assert_ok!(Datasets::do_try_state());

		// Run again (a chain past version 2 skips it): nothing happens.
		let _ = AcceptedContributions::<Test>::clear(u32::MAX, None);
		run_to_end::<crate::migrations::v2::MigrateToV2<Test>>(Weight::MAX);
		assert_eq!(AcceptedContributions::<Test>::iter().count(), 0);
	});
}

#[test]
fn the_v2_migration_resumes_from_its_cursor_and_asks_for_weight_it_lacks() {
	use crate::migrations::v2::{IndexAcceptanceOrder, MigrateToV2};
	use frame_support::{
		migrations::{SteppedMigration, SteppedMigrationError},
		traits::{GetStorageVersion, StorageVersion},
		weights::WeightMeter,
	};
	use lineage_primitives::migrations::{run_to_end, MigrationStep};
	new_test_ext().execute_with(|| {
		let id = create(curated());
		let ids: Vec<_> = (1..=7).map(|n| contribute(BOB, id, n)).collect();
		for c in &ids {
			accept(*c, 50);
		}
		let _ = AcceptedContributions::<Test>::clear(u32::MAX, None);
		StorageVersion::new(1).put::<Datasets>();
		let one = <IndexAcceptanceOrder<Test> as MigrationStep>::weight(&None);

		// Less than one contribution's weight: no progress, and how much it needs.
		let mut meter = WeightMeter::with_limit(one / 2);
		assert_eq!(
			MigrateToV2::<Test>::step(None, &mut meter),
			Err(SteppedMigrationError::InsufficientWeight { required: one })
		);
		// Two contributions a block: four blocks, the last one finding the end.
		assert_eq!(run_to_end::<MigrateToV2<Test>>(one * 2), 4);
		assert_eq!(Datasets::on_chain_storage_version(), 2);
		for (position, c) in ids.iter().enumerate() {
			assert_eq!(AcceptedContributions::<Test>::get(id, position as u32), Some(*c));
		}
		assert_ok!(Datasets::do_try_state());
	});
}

#[test]
fn try_state_catches_a_hold_that_disagrees_with_the_records() {
	new_test_ext().execute_with(|| {
		let id = create(curated());
		contribute(BOB, id, 1);
		assert_ok!(Datasets::do_try_state());
		crate::pallet::Datasets::<Test>::mutate(id, |i| i.as_mut().unwrap().deposit += 1);
		assert!(Datasets::do_try_state().is_err());
	});
}

#[test]
fn exhausted_ids_fail_with_overflow() {
	build_and_execute(|| {
		NextDatasetId::<Test>::put(DatasetId::MAX);
		assert_noop!(
			Datasets::create_dataset(signed(ALICE), content(1), Licence::CcBy, curated()),
			E::Overflow
		);
		NextDatasetId::<Test>::put(0);
		let id = create(curated());
		NextContributionId::<Test>::put(ContributionId::MAX);
		assert_noop!(
			Datasets::contribute(signed(BOB), id, content(1), Licence::Cc0, Consent::FULL),
			E::Overflow
		);
	});
}

#[test]
fn a_snapshot_holds_what_it_froze_and_training_reads_each_contribution_so() {
	build_and_execute(|| {
		let id = create(curated());
		let other = create(open());
		let (a, b) = (contribute(BOB, id, 1), contribute(CHARLIE, id, 2));
		accept(a, 50);
		accept(b, 50);
		let pending = contribute(DAVE, id, 3);
		ok(Datasets::snapshot(signed(ALICE), id));
		// After the first snapshot: `a` withdrawn, `late` accepted, another dataset's item.
		ok(Datasets::withdraw_consent(signed(BOB), a));
		let late = contribute(CHARLIE, id, 4);
		accept(late, 50);
		let elsewhere = contribute(BOB, other, 5);
		ok(Datasets::snapshot(signed(ALICE), id));
		let member = |version, c| {
			Datasets::snapshot_member(SnapshotRef { dataset: id, version }, c)
				.map(|m| (m.held, m.content))
		};
		let item = |n: u8| Some(content(n).hash);
		// Snapshot 1 froze `a` and `b`; a later withdrawal does not change what it holds.
		assert_eq!(member(1, a), Some((true, item(1))));
		assert_eq!(member(1, b), Some((true, item(2))));
		assert_eq!(member(1, late), Some((false, item(4))));
		// Snapshot 2 leaves the withdrawn item out and takes the late one in.
		assert_eq!(member(2, a), Some((false, item(1))));
		assert_eq!((member(2, b), member(2, late)), (Some((true, item(2))), Some((true, item(4)))));
		// Pending, another dataset's, and never on record: in no snapshot.
		assert_eq!(member(2, pending), Some((false, item(3))));
		assert_eq!(member(2, elsewhere), Some((false, item(5))));
		assert_eq!(member(2, 999), Some((false, None)));
		// No such snapshot.
		assert_eq!(member(3, b), None);
	});
}
