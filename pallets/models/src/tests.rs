//! Behaviour of pallet-models: registration, publishing, licence rules, attribution, lineage,
//! taint and revocation, and every error path.

use codec::{Decode, Encode};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use lineage_primitives::{
	AttributionEntry, Consent, Licence, ModelInspect, SnapshotRef, SnapshotStatus, Taint,
};
use sp_core::H256;
use sp_runtime::{DispatchError, Perbill, TokenError};

use crate::{
	mock::*, Error, Event, GraceStarted, HoldReason, InputsOf, ModelVersions, NextModelId,
	NextVersionId, Revoked, VersionFilter, Versions,
};

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::Models(e) => Some(e),
			_ => None,
		})
		.expect("a models event")
}

fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&reason.into(), &who)
}

/// Registers a model of `owner` under `licence`; returns its id.
fn model(owner: AccountId, licence: Licence) -> u32 {
	let id = NextModelId::<Test>::get();
	assert_ok!(Models::register_model(RuntimeOrigin::signed(owner), content(1), licence));
	id
}

/// Publishes a version; returns its id.
fn publish(
	owner: AccountId,
	model: u32,
	list: &[(SnapshotRef, u32)],
	parent: Option<u32>,
	price: Balance,
) -> u32 {
	let id = NextVersionId::<Test>::get();
	assert_ok!(Models::publish_version(
		RuntimeOrigin::signed(owner),
		model,
		content(2),
		inputs(list),
		parent,
		Perbill::from_percent(40),
		price,
	));
	id
}

fn try_publish(
	owner: AccountId,
	model: u32,
	list: InputsOf<Test>,
	parent: Option<u32>,
	price: Balance,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Models::publish_version(
		RuntimeOrigin::signed(owner),
		model,
		content(2),
		list,
		parent,
		Perbill::from_percent(40),
		price,
	)
}

fn cc0(dataset: u32) -> SnapshotRef {
	add_snapshot(dataset, 1, Licence::Cc0, Consent::FULL)
}

fn table(version: u32) -> Vec<(u32, u32, u32)> {
	Models::attribution_of(version)
		.into_iter()
		.map(|e| (e.snapshot.dataset, e.snapshot.version, e.share.deconstruct()))
		.collect()
}

const PCT: u32 = 10_000_000;

#[test]
fn register_model_holds_the_deposit() {
	build_and_execute(|| {
		let id = model(ALICE, Licence::Apache2);
		assert_eq!(held(HoldReason::ModelDeposit, ALICE), MODEL_DEPOSIT);
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT - MODEL_DEPOSIT);
		assert_eq!(
			last_event(),
			Event::ModelRegistered { model: id, owner: ALICE, licence: Licence::Apache2 }
		);
		let details = Models::model_details(id).unwrap();
		assert_eq!(
			(details.info.owner, details.info.versions, details.info.latest),
			(ALICE, 0, None)
		);
	});
}

#[test]
fn register_model_refuses_long_uri_and_unfunded_owner() {
	build_and_execute(|| {
		let long = lineage_primitives::ContentRef::new(H256::zero(), &[b'u'; 65], 1).unwrap();
		assert_noop!(
			Models::register_model(RuntimeOrigin::signed(ALICE), long, Licence::Mit),
			Error::<Test>::UriTooLong
		);
		assert_noop!(
			Models::register_model(RuntimeOrigin::signed(PAUPER), content(1), Licence::Mit),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn publish_version_stores_inputs_table_and_deposit() {
	build_and_execute(|| {
		let (a, b) = (cc0(1), cc0(2));
		let m = model(ALICE, Licence::Apache2);
		let v = publish(ALICE, m, &[(a, 60), (b, 40)], None, 5);
		assert_eq!(table(v), vec![(1, 1, 60 * PCT), (2, 1, 40 * PCT)]);
		assert_eq!(held(HoldReason::VersionDeposit, ALICE), VERSION_DEPOSIT);
		assert_eq!(
			last_event(),
			Event::VersionPublished {
				model: m,
				version: v,
				number: 1,
				parent: None,
				price: 5,
				builder_share: Perbill::from_percent(40),
				datasets: 2,
			}
		);
		let record = Versions::<Test>::get(v).unwrap();
		assert!(record.commercial_use);
		assert!(record.ancestors.is_empty());
		assert!(ModelVersions::<Test>::contains_key(m, v));
		let info = Models::model_details(m).unwrap().info;
		assert_eq!((info.versions, info.latest), (1, Some(v)));
		let view = <Models as ModelInspect<_, _>>::version(v).unwrap();
		assert_eq!(
			(view.owner, view.price, view.builder_share, view.deprecated, view.taint),
			(ALICE, 5, Perbill::from_percent(40), false, None)
		);
	});
}

#[test]
fn a_child_folds_its_parents_table_in_at_parent_share() {
	build_and_execute(|| {
		let (a, b, c) = (cc0(1), cc0(2), cc0(3));
		let a2 = add_snapshot(1, 2, Licence::Cc0, Consent::FULL);
		let base = model(ALICE, Licence::Apache2);
		let parent = publish(ALICE, base, &[(a, 50), (b, 50)], None, 0);
		// Another owner fine-tunes it on a later snapshot of dataset 1 and a new dataset 3.
		let tuned = model(BOB, Licence::Mit);
		let child = publish(BOB, tuned, &[(a2, 50), (c, 50)], Some(parent), 0);
		// Own inputs share 70%: 35% each; the parent's 30%: 15% each. Dataset 1 merges (35 + 15)
		// and keeps its latest snapshot.
		assert_eq!(table(child), vec![(1, 2, 50 * PCT), (2, 1, 15 * PCT), (3, 1, 35 * PCT)]);
		let record = Versions::<Test>::get(child).unwrap();
		assert_eq!(record.ancestors.into_inner(), vec![parent]);
		let grandchild = publish(BOB, tuned, &[(c, 100)], Some(child), 0);
		assert_eq!(
			Versions::<Test>::get(grandchild).unwrap().ancestors.into_inner(),
			vec![child, parent]
		);
		let lineage = Models::lineage(grandchild).unwrap();
		let nodes: Vec<_> = lineage.nodes.iter().map(|n| (n.version, n.parent)).collect();
		assert_eq!(nodes, vec![(grandchild, Some(child)), (child, Some(parent)), (parent, None)]);
		assert_eq!(lineage.nodes[2].inputs, inputs(&[(a, 50), (b, 50)]).into_inner());
		assert_eq!(lineage.attribution, Models::attribution_of(grandchild));
	});
}

#[test]
fn rounding_dust_goes_to_the_largest_entry_so_tables_sum_to_whole() {
	build_and_execute(|| {
		ParentShare::set(Perbill::from_parts(333_333_333));
		let (a, b, c) = (cc0(1), cc0(2), cc0(3));
		let m = model(ALICE, Licence::Apache2);
		let weights = [(a, 333_333_333), (b, 333_333_333), (c, 333_333_334)];
		let list: Vec<_> = weights
			.iter()
			.map(|&(snapshot, parts)| crate::TrainingInput {
				snapshot,
				weight: Perbill::from_parts(parts),
			})
			.collect();
		let parent_id = NextVersionId::<Test>::get();
		assert_ok!(try_publish(ALICE, m, list.clone().try_into().unwrap(), None, 0));
		let d = cc0(4);
		let child = publish(ALICE, m, &[(d, 100)], Some(parent_id), 0);
		let shares: Vec<u32> = table(child).iter().map(|e| e.2).collect();
		assert_eq!(shares.iter().map(|s| u64::from(*s)).sum::<u64>(), 1_000_000_000);
		// Floors: a third of each parent entry, two thirds for the own input; the own input is the
		// largest entry and takes the 2 parts of dust.
		assert_eq!(shares, vec![111_111_110, 111_111_110, 111_111_111, 666_666_669]);
	});
}

#[test]
fn inputs_must_be_present_distinct_weighted_and_whole() {
	build_and_execute(|| {
		let (a, b) = (cc0(1), cc0(2));
		let m = model(ALICE, Licence::Apache2);
		assert_noop!(try_publish(ALICE, m, inputs(&[]), None, 0), Error::<Test>::NoInputs);
		assert_noop!(
			try_publish(ALICE, m, inputs(&[(a, 50), (a, 50)]), None, 0),
			Error::<Test>::DuplicateInput
		);
		assert_noop!(
			try_publish(ALICE, m, inputs(&[(a, 100), (b, 0)]), None, 0),
			Error::<Test>::ZeroWeight
		);
		assert_noop!(
			try_publish(ALICE, m, inputs(&[(a, 60), (b, 30)]), None, 0),
			Error::<Test>::WeightsNotWhole
		);
		assert_noop!(
			try_publish(ALICE, m, inputs(&[(a, 60), (b, 50)]), None, 0),
			Error::<Test>::WeightsNotWhole
		);
	});
}

#[test]
fn unusable_snapshots_are_refused() {
	build_and_execute(|| {
		let m = model(ALICE, Licence::Apache2);
		let unknown = SnapshotRef { dataset: 7, version: 1 };
		assert_noop!(
			try_publish(ALICE, m, inputs(&[(unknown, 100)]), None, 0),
			Error::<Test>::UnknownSnapshot
		);
		let withdrawn = cc0(1);
		mark(withdrawn, SnapshotStatus::Withdrawn);
		assert_noop!(
			try_publish(ALICE, m, inputs(&[(withdrawn, 100)]), None, 0),
			Error::<Test>::SnapshotWithdrawn
		);
		let taken = cc0(2);
		mark(taken, SnapshotStatus::TakenDown);
		assert_noop!(
			try_publish(ALICE, m, inputs(&[(taken, 100)]), None, 0),
			Error::<Test>::SnapshotTakenDown
		);
	});
}

#[test]
fn non_commercial_data_trains_a_free_research_model_but_not_a_paid_one() {
	build_and_execute(|| {
		let nc = add_snapshot(1, 1, Licence::CcByNc, Consent::FULL);
		let research = model(ALICE, Licence::CcByNc);
		// Free and non-commercial: accepted, and marked as not for commercial use.
		let v = publish(ALICE, research, &[(nc, 100)], None, 0);
		assert!(!Versions::<Test>::get(v).unwrap().commercial_use);
		// Priced: refused.
		assert_noop!(
			try_publish(ALICE, research, inputs(&[(nc, 100)]), None, 1),
			Error::<Test>::CommercialUseForbidden
		);
		// And the free version cannot be priced later.
		assert_noop!(
			Models::set_price(RuntimeOrigin::signed(ALICE), v, 1),
			Error::<Test>::CommercialUseForbidden
		);
		// A model under a commercial licence refuses the data even for free.
		let commercial = model(ALICE, Licence::Apache2);
		assert_noop!(
			try_publish(ALICE, commercial, inputs(&[(nc, 100)]), None, 0),
			Error::<Test>::CommercialUseForbidden
		);
		// A paid fine-tune of the research version is refused too: its parent's data forbids it.
		let tuned = model(BOB, Licence::CcByNc);
		let free = cc0(2);
		assert_noop!(
			try_publish(BOB, tuned, inputs(&[(free, 100)]), Some(v), 5),
			Error::<Test>::CommercialUseForbidden
		);
		let child = publish(BOB, tuned, &[(free, 100)], Some(v), 0);
		assert!(!Versions::<Test>::get(child).unwrap().commercial_use);
	});
}

#[test]
fn licence_and_consent_rules_are_enforced() {
	build_and_execute(|| {
		let mit = model(ALICE, Licence::Mit);
		let proprietary = add_snapshot(1, 1, Licence::Proprietary, Consent::FULL);
		let share_alike = add_snapshot(2, 1, Licence::CcBySa, Consent::FULL);
		let custom = add_snapshot(3, 1, Licence::Custom(H256::repeat_byte(7)), Consent::FULL);
		let no_training = add_snapshot(4, 1, Licence::Cc0, Consent::default());
		let research_only =
			add_snapshot(5, 1, Licence::Cc0, Consent { training: true, commercial: false });
		for snapshot in [proprietary, share_alike, custom] {
			assert_noop!(
				try_publish(ALICE, mit, inputs(&[(snapshot, 100)]), None, 0),
				Error::<Test>::IncompatibleLicence
			);
		}
		assert_noop!(
			try_publish(ALICE, mit, inputs(&[(no_training, 100)]), None, 0),
			Error::<Test>::NoTrainingConsent
		);
		assert_noop!(
			try_publish(ALICE, mit, inputs(&[(research_only, 100)]), None, 0),
			Error::<Test>::CommercialUseForbidden
		);
		// Share-alike data trains a share-alike model.
		let sa = model(ALICE, Licence::CcBySa);
		publish(ALICE, sa, &[(share_alike, 100)], None, 3);
		// Research-only consent trains an unpriced non-commercial model.
		let nc = model(ALICE, Licence::CcByNc);
		publish(ALICE, nc, &[(research_only, 100)], None, 0);
	});
}

#[test]
fn parents_must_exist_be_earlier_untainted_and_shallow_enough() {
	build_and_execute(|| {
		let a = cc0(1);
		let m = model(ALICE, Licence::Apache2);
		assert_noop!(
			try_publish(ALICE, m, inputs(&[(a, 100)]), Some(42), 0),
			Error::<Test>::UnknownParent
		);
		// The id this version would get: it would be its own parent.
		let own = NextVersionId::<Test>::get();
		assert_noop!(
			try_publish(ALICE, m, inputs(&[(a, 100)]), Some(own), 0),
			Error::<Test>::LineageCycle
		);
		// A chain MAX_DEPTH deep takes no further child.
		let mut parent = publish(ALICE, m, &[(a, 100)], None, 0);
		for _ in 0..MAX_DEPTH {
			parent = publish(ALICE, m, &[(a, 100)], Some(parent), 0);
		}
		assert_eq!(Versions::<Test>::get(parent).unwrap().ancestors.len() as u32, MAX_DEPTH);
		assert_noop!(
			try_publish(ALICE, m, inputs(&[(a, 100)]), Some(parent), 0),
			Error::<Test>::LineageTooDeep
		);
		// A tainted parent is refused.
		let b = cc0(2);
		let tainted = publish(ALICE, m, &[(b, 100)], None, 0);
		mark(b, SnapshotStatus::Withdrawn);
		assert_noop!(
			try_publish(ALICE, m, inputs(&[(a, 100)]), Some(tainted), 0),
			Error::<Test>::TaintedParent
		);
	});
}

#[test]
fn the_attribution_table_is_bounded() {
	build_and_execute(|| {
		let m = model(ALICE, Licence::Apache2);
		// 4 datasets in the parent, 3 new ones in the child: 7 > MAX_ENTRIES.
		let parent_inputs: Vec<_> = (1..=4).map(|d| (cc0(d), 25)).collect();
		let parent = publish(ALICE, m, &parent_inputs, None, 0);
		let child = [(cc0(5), 40), (cc0(6), 30), (cc0(7), 30)];
		assert_noop!(
			try_publish(ALICE, m, inputs(&child), Some(parent), 0),
			Error::<Test>::TooManyAttributionEntries
		);
		// Two new ones fit exactly.
		publish(
			ALICE,
			m,
			&child[..2].iter().map(|&(s, _)| (s, 50)).collect::<Vec<_>>(),
			Some(parent),
			0,
		);
	});
}

#[test]
fn publish_refuses_strangers_high_builder_share_long_uri_and_unknown_models() {
	build_and_execute(|| {
		let a = cc0(1);
		let m = model(ALICE, Licence::Apache2);
		assert_noop!(try_publish(BOB, m, inputs(&[(a, 100)]), None, 0), Error::<Test>::NotOwner);
		assert_noop!(
			try_publish(ALICE, 9, inputs(&[(a, 100)]), None, 0),
			Error::<Test>::UnknownModel
		);
		assert_noop!(
			Models::publish_version(
				RuntimeOrigin::signed(ALICE),
				m,
				content(2),
				inputs(&[(a, 100)]),
				None,
				Perbill::from_percent(91),
				0
			),
			Error::<Test>::BuilderShareTooHigh
		);
		let long = lineage_primitives::ContentRef::new(H256::zero(), &[b'u'; 65], 1).unwrap();
		assert_noop!(
			Models::publish_version(
				RuntimeOrigin::signed(ALICE),
				m,
				long,
				inputs(&[(a, 100)]),
				None,
				Perbill::zero(),
				0
			),
			Error::<Test>::UriTooLong
		);
	});
}

#[test]
fn a_builder_share_over_100_percent_does_not_decode() {
	// A publish_version whose builder share is 100% + 1 part is refused before dispatch.
	let mut encoded = RuntimeCall::Models(crate::Call::<Test>::publish_version {
		model: 0,
		artifact: content(2),
		inputs: inputs(&[]),
		parent: None,
		builder_share: Perbill::one(),
		price: 0,
	})
	.encode();
	assert!(RuntimeCall::decode(&mut &encoded[..]).is_ok());
	// The builder share is the u32 before the 16-byte price at the end.
	let at = encoded.len() - 16 - 4;
	encoded[at..at + 4].copy_from_slice(&1_000_000_001u32.to_le_bytes());
	assert!(RuntimeCall::decode(&mut &encoded[..]).is_err());
}

#[test]
fn the_version_deposit_must_be_affordable_and_ids_must_not_run_out() {
	build_and_execute(|| {
		let a = cc0(1);
		let m = model(ALICE, Licence::Apache2);
		assert_ok!(Models::transfer_model(RuntimeOrigin::signed(ALICE), m, PAUPER));
		assert_noop!(
			try_publish(PAUPER, m, inputs(&[(a, 100)]), None, 0),
			TokenError::FundsUnavailable
		);
		crate::NextVersionId::<Test>::put(u32::MAX);
		let b = model(BOB, Licence::Apache2);
		assert_noop!(try_publish(BOB, b, inputs(&[(a, 100)]), None, 0), Error::<Test>::Overflow);
		crate::NextModelId::<Test>::put(u32::MAX);
		assert_noop!(
			Models::register_model(RuntimeOrigin::signed(BOB), content(1), Licence::Mit),
			Error::<Test>::Overflow
		);
	});
}

#[test]
fn withdrawal_taints_two_generations_down_without_writing_to_models() {
	build_and_execute(|| {
		let (a, b, c) = (cc0(1), cc0(2), cc0(3));
		let base = model(ALICE, Licence::Apache2);
		let v1 = publish(ALICE, base, &[(a, 100)], None, 0);
		let tuned = model(BOB, Licence::Apache2);
		let v2 = publish(BOB, tuned, &[(b, 100)], Some(v1), 0);
		let v3 = publish(BOB, tuned, &[(c, 100)], Some(v2), 0);
		let unrelated = publish(ALICE, base, &[(c, 100)], None, 0);
		assert!([v1, v2, v3].iter().all(|v| Models::taint(*v).is_none()));

		// Dataset 1's snapshot is withdrawn: nothing in Models is written...
		let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
		mark(a, SnapshotStatus::Withdrawn);
		assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before);
		// ...and the whole family reports it.
		for v in [v1, v2, v3] {
			assert_eq!(Models::taint(v), Some(Taint::SnapshotWithdrawn(a)));
			let view = <Models as ModelInspect<_, _>>::version(v).unwrap();
			assert_eq!(view.taint, Some(Taint::SnapshotWithdrawn(a)));
		}
		assert_eq!(Models::taint(unrelated), None);
		// Grandchild's table still carries dataset 1, at 30% × 30% = 9%.
		assert!(table(v3).contains(&(1, 1, 9 * PCT)));
	});
}

#[test]
fn a_withdrawal_reaches_a_version_after_the_least_grace_counted_from_its_next_job() {
	build_and_execute(|| {
		System::set_block_number(10);
		let (a, b) = (cc0(1), cc0(2));
		set_grace(a, 30);
		set_grace(b, 20);
		let m = model(ALICE, Licence::Apache2);
		let v = publish(ALICE, m, &[(a, 50), (b, 50)], None, 0);
		let view = |v| <Models as ModelInspect<_, _>>::version(v).unwrap();
		// A withdrawal reaches snapshot `a`: the version still takes jobs, and the next one
		// starts its grace (`a`'s 30 blocks).
		mark(a, SnapshotStatus::Withdrawn);
		assert_eq!(Models::taint(v), Some(Taint::SnapshotWithdrawn(a)));
		assert_eq!((view(v).taint, view(v).grace_starts), (None, true));
		System::set_block_number(15);
		<Models as ModelInspect<_, _>>::start_grace(v, view(v).grace);
		assert_eq!(GraceStarted::<Test>::get(v), Some(15));
		assert_eq!(last_event(), Event::GraceStarted { version: v, until: 45 });
		assert_eq!((view(v).taint, view(v).grace_starts), (None, false));
		// Another withdrawal reaches `b`, whose grace is shorter: the least applies, from the
		// same start; starting again changes nothing.
		mark(b, SnapshotStatus::Withdrawn);
		<Models as ModelInspect<_, _>>::start_grace(v, view(v).grace);
		assert_eq!(GraceStarted::<Test>::get(v), Some(15));
		System::set_block_number(34);
		assert_eq!(view(v).taint, None);
		System::set_block_number(35);
		assert_eq!(view(v).taint, Some(Taint::SnapshotWithdrawn(a)));
		// A takedown ends any grace at once.
		let w = publish(ALICE, m, &[(cc0(3), 100)], None, 0);
		let c = SnapshotRef { dataset: 3, version: 1 };
		set_grace(c, 1_000);
		mark(c, SnapshotStatus::TakenDown);
		assert_eq!(
			(view(w).taint, view(w).grace_starts),
			(Some(Taint::SnapshotTakenDown(c)), false)
		);
		// A dataset that declared no grace: at once.
		let x = publish(ALICE, m, &[(cc0(4), 100)], None, 0);
		mark(SnapshotRef { dataset: 4, version: 1 }, SnapshotStatus::Withdrawn);
		assert!(view(x).taint.is_some() && !view(x).grace_starts);
		// Retiring the version removes its marker.
		assert_ok!(Models::deprecate_version(RuntimeOrigin::signed(ALICE), v));
		assert_ok!(Models::retire_version(RuntimeOrigin::signed(ALICE), v));
		assert!(!GraceStarted::<Test>::contains_key(v));
	});
}

#[test]
fn a_takedown_taints_too() {
	build_and_execute(|| {
		let a = cc0(1);
		let m = model(ALICE, Licence::Apache2);
		let v = publish(ALICE, m, &[(a, 100)], None, 0);
		mark(a, SnapshotStatus::TakenDown);
		assert_eq!(Models::taint(v), Some(Taint::SnapshotTakenDown(a)));
		assert_eq!(Models::version_details(v).unwrap().taint, Some(Taint::SnapshotTakenDown(a)));
	});
}

#[test]
fn revoking_a_version_makes_its_descendants_unusable_with_one_marker() {
	build_and_execute(|| {
		let (a, b) = (cc0(1), cc0(2));
		let m = model(ALICE, Licence::Apache2);
		let v1 = publish(ALICE, m, &[(a, 100)], None, 0);
		let v2 = publish(ALICE, m, &[(b, 100)], Some(v1), 0);
		let v3 = publish(ALICE, m, &[(b, 100)], Some(v2), 0);
		let sibling = publish(ALICE, m, &[(a, 100)], None, 0);
		let reason = H256::repeat_byte(9);

		assert_noop!(
			Models::revoke_version(RuntimeOrigin::signed(ALICE), v2, reason),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Models::revoke_version(RuntimeOrigin::root(), 77, reason),
			Error::<Test>::UnknownVersion
		);
		assert_ok!(Models::revoke_version(RuntimeOrigin::root(), v2, reason));
		assert_eq!(last_event(), Event::VersionRevoked { version: v2, reason });
		assert_eq!(Revoked::<Test>::iter().count(), 1);
		assert_eq!(Models::taint(v1), None);
		assert_eq!(Models::taint(v2), Some(Taint::Revoked(v2)));
		assert_eq!(Models::taint(v3), Some(Taint::Revoked(v2)));
		assert_eq!(Models::taint(sibling), None);
		assert_eq!(Models::lineage(v3).unwrap().nodes[1].revoked, Some(reason));
		assert_noop!(
			Models::revoke_version(RuntimeOrigin::root(), v2, reason),
			Error::<Test>::AlreadyRevoked
		);
		// A revoked version is a tainted parent.
		assert_noop!(
			try_publish(ALICE, m, inputs(&[(a, 100)]), Some(v3), 0),
			Error::<Test>::TaintedParent
		);
	});
}

#[test]
fn set_price_is_for_the_owner() {
	build_and_execute(|| {
		let a = cc0(1);
		let m = model(ALICE, Licence::Apache2);
		let v = publish(ALICE, m, &[(a, 100)], None, 0);
		assert_noop!(Models::set_price(RuntimeOrigin::signed(BOB), v, 9), Error::<Test>::NotOwner);
		assert_noop!(
			Models::set_price(RuntimeOrigin::signed(ALICE), 5, 9),
			Error::<Test>::UnknownVersion
		);
		assert_ok!(Models::set_price(RuntimeOrigin::signed(ALICE), v, 9));
		assert_eq!(last_event(), Event::PriceSet { version: v, price: 9 });
		assert_eq!(<Models as ModelInspect<_, _>>::version(v).unwrap().price, 9);
	});
}

#[test]
fn deprecate_version_is_for_the_owner_and_once() {
	build_and_execute(|| {
		let a = cc0(1);
		let m = model(ALICE, Licence::Apache2);
		let v = publish(ALICE, m, &[(a, 100)], None, 0);
		assert_noop!(
			Models::deprecate_version(RuntimeOrigin::signed(BOB), v),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Models::deprecate_version(RuntimeOrigin::signed(ALICE), 3),
			Error::<Test>::UnknownVersion
		);
		assert_ok!(Models::deprecate_version(RuntimeOrigin::signed(ALICE), v));
		assert_eq!(last_event(), Event::VersionDeprecated { version: v });
		assert!(<Models as ModelInspect<_, _>>::version(v).unwrap().deprecated);
		assert_noop!(
			Models::deprecate_version(RuntimeOrigin::signed(ALICE), v),
			Error::<Test>::AlreadyDeprecated
		);
	});
}

#[test]
fn a_retired_version_returns_its_deposit_once_nothing_needs_it() {
	build_and_execute(|| {
		let a = cc0(1);
		let m = model(ALICE, Licence::Apache2);
		let parent = publish(ALICE, m, &[(a, 100)], None, 0);
		let child = publish(ALICE, m, &[(a, 100)], Some(parent), 0);
		let signed = RuntimeOrigin::signed;
		let retire = |who, v| Models::retire_version(signed(who), v);
		assert_eq!(Versions::<Test>::get(parent).unwrap().children, 1);
		assert_eq!(held(HoldReason::VersionDeposit, ALICE), 2 * VERSION_DEPOSIT);

		// The model changes hands: the new owner retires, the publisher gets the deposits back.
		assert_ok!(Models::transfer_model(signed(ALICE), m, BOB));
		assert_noop!(retire(ALICE, child), Error::<Test>::NotOwner);
		assert_noop!(retire(BOB, 9), Error::<Test>::UnknownVersion);
		assert_noop!(retire(BOB, child), Error::<Test>::NotDeprecated);
		assert_ok!(Models::deprecate_version(signed(BOB), child));
		set_open_jobs(child, 2);
		assert_noop!(retire(BOB, child), Error::<Test>::HasOpenJobs);
		set_open_jobs(child, 0);
		assert_ok!(Models::deprecate_version(signed(BOB), parent));
		assert_noop!(retire(BOB, parent), Error::<Test>::HasChildren);
		assert_noop!(Models::remove_model(signed(BOB), m), Error::<Test>::HasVersions);

		let alice = Balances::balance(&ALICE);
		assert_ok!(retire(BOB, child));
		assert_eq!(
			last_event(),
			Event::VersionRetired {
				model: m,
				version: child,
				publisher: ALICE,
				released: VERSION_DEPOSIT
			}
		);
		assert_eq!(Balances::balance(&ALICE), alice + VERSION_DEPOSIT);
		assert!(!Versions::<Test>::contains_key(child));
		assert!(!ModelVersions::<Test>::contains_key(m, child));
		assert_eq!(Versions::<Test>::get(parent).unwrap().children, 0);
		let info = Models::model_details(m).unwrap().info;
		assert_eq!((info.versions, info.live, info.latest), (2, 1, None));
		// A retired version is gone: no jobs, no children, no second retirement.
		assert_eq!(<Models as ModelInspect<_, _>>::version(child), None);
		assert_noop!(
			try_publish(BOB, m, inputs(&[(a, 100)]), Some(child), 0),
			Error::<Test>::UnknownParent
		);
		assert_noop!(retire(BOB, child), Error::<Test>::UnknownVersion);

		assert_ok!(retire(BOB, parent));
		assert_eq!(held(HoldReason::VersionDeposit, ALICE), 0);
		// Numbers keep counting after retirements.
		let next = publish(BOB, m, &[(a, 100)], None, 0);
		assert_eq!(Versions::<Test>::get(next).unwrap().number, 3);
		assert_ok!(Models::deprecate_version(signed(BOB), next));
		assert_ok!(retire(BOB, next));

		let bob = Balances::balance(&BOB);
		assert_noop!(Models::remove_model(signed(ALICE), m), Error::<Test>::NotOwner);
		assert_ok!(Models::remove_model(signed(BOB), m));
		assert_eq!(
			last_event(),
			Event::ModelRemoved { model: m, owner: BOB, released: MODEL_DEPOSIT }
		);
		assert_eq!(Balances::balance(&BOB), bob + MODEL_DEPOSIT);
		assert_eq!(held(HoldReason::ModelDeposit, BOB), 0);
		assert!(Models::model_details(m).is_none());
		assert_noop!(Models::remove_model(signed(BOB), m), Error::<Test>::UnknownModel);
	});
}

#[test]
fn retiring_a_revoked_version_clears_its_marker() {
	build_and_execute(|| {
		let m = model(ALICE, Licence::Apache2);
		let v = publish(ALICE, m, &[(cc0(1), 100)], None, 0);
		assert_ok!(Models::revoke_version(RuntimeOrigin::root(), v, H256::repeat_byte(3)));
		assert_ok!(Models::deprecate_version(RuntimeOrigin::signed(ALICE), v));
		assert_ok!(Models::retire_version(RuntimeOrigin::signed(ALICE), v));
		assert!(!Revoked::<Test>::contains_key(v));
	});
}

#[test]
fn transfer_model_moves_the_deposit_and_the_rights() {
	build_and_execute(|| {
		let a = cc0(1);
		let m = model(ALICE, Licence::Apache2);
		let v = publish(ALICE, m, &[(a, 100)], None, 0);
		assert_noop!(
			Models::transfer_model(RuntimeOrigin::signed(BOB), m, BOB),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Models::transfer_model(RuntimeOrigin::signed(ALICE), m, ALICE),
			Error::<Test>::AlreadyOwner
		);
		assert_noop!(
			Models::transfer_model(RuntimeOrigin::signed(ALICE), 4, BOB),
			Error::<Test>::UnknownModel
		);
		assert_ok!(Models::transfer_model(RuntimeOrigin::signed(ALICE), m, BOB));
		assert_eq!(last_event(), Event::ModelTransferred { model: m, from: ALICE, to: BOB });
		assert_eq!(held(HoldReason::ModelDeposit, ALICE), 0);
		assert_eq!(held(HoldReason::ModelDeposit, BOB), MODEL_DEPOSIT);
		// The version's deposit stays with its publisher; the builder share goes to the new owner.
		assert_eq!(held(HoldReason::VersionDeposit, ALICE), VERSION_DEPOSIT);
		assert_eq!(<Models as ModelInspect<_, _>>::version(v).unwrap().owner, BOB);
		assert_noop!(try_publish(ALICE, m, inputs(&[(a, 100)]), None, 0), Error::<Test>::NotOwner);
		let next = publish(BOB, m, &[(a, 100)], Some(v), 0);
		assert_eq!(Versions::<Test>::get(next).unwrap().number, 2);
	});
}

#[test]
fn versions_are_paged_and_queries_of_unknown_ids_are_empty() {
	build_and_execute(|| {
		let a = cc0(1);
		let m = model(ALICE, Licence::Apache2);
		let ids: Vec<u32> = (0..12).map(|_| publish(ALICE, m, &[(a, 100)], None, 0)).collect();
		let first = Models::versions_page(m, None, 100);
		assert_eq!(first.len(), 10, "capped at MaxPageSize");
		let second = Models::versions_page(m, Some(first.last().unwrap().id), 10);
		let mut seen: Vec<u32> = first.iter().chain(second.iter()).map(|v| v.id).collect();
		seen.sort();
		assert_eq!(seen, ids);
		assert!(Models::version_details(99).is_none());
		assert!(Models::lineage(99).is_none());
		assert!(Models::attribution_of(99).is_empty());
		assert!(Models::taint(99).is_none());
		assert!(<Models as ModelInspect<_, _>>::attribution(99).is_empty());
		assert_eq!(
			<Models as ModelInspect<_, _>>::attribution(ids[0]),
			vec![AttributionEntry { snapshot: a, share: Perbill::one() }]
		);
	});
}

#[test]
fn models_and_versions_are_listed_by_owner_and_by_the_data_they_used() {
	build_and_execute(|| {
		let (a, b) = (cc0(1), cc0(2));
		let a2 = add_snapshot(1, 2, Licence::Cc0, Consent::FULL);
		let alice = model(ALICE, Licence::Apache2);
		let bob = model(BOB, Licence::Apache2);
		let alice2 = model(ALICE, Licence::Apache2);
		let on_a = publish(ALICE, alice, &[(a, 100)], None, 0);
		let on_b = publish(BOB, bob, &[(b, 100)], None, 0);
		// Bob fine-tunes Alice's version on his own data: it still shares dataset 1's revenue.
		let child = publish(BOB, bob, &[(b, 100)], Some(on_a), 0);
		let on_a2 = publish(ALICE, alice2, &[(a2, 50), (b, 50)], None, 0);
		let ids = |page: lineage_primitives::Page<crate::VersionDetails<_, _, _>, u32>| {
			page.items.iter().map(|v| v.id).collect::<Vec<_>>()
		};
		let versions = |filter| ids(Models::versions_where(&filter, None, 10));

		let first = Models::models_page(None, None, 2);
		assert_eq!(first.items.iter().map(|m| m.id).collect::<Vec<_>>(), vec![alice, bob]);
		assert_eq!(first.next, Some(bob));
		let rest = Models::models_page(None, first.next, 2);
		assert_eq!((rest.items.len(), rest.items[0].id, rest.next), (1, alice2, None));
		let alices = Models::models_page(Some(&ALICE), None, 10);
		assert_eq!(alices.items.iter().map(|m| m.id).collect::<Vec<_>>(), vec![alice, alice2]);

		assert_eq!(versions(VersionFilter::All), vec![on_a, on_b, child, on_a2]);
		assert_eq!(versions(VersionFilter::Owner(BOB)), vec![on_b, child]);
		assert_eq!(versions(VersionFilter::Dataset(1)), vec![on_a, child, on_a2]);
		assert_eq!(versions(VersionFilter::Snapshot(a)), vec![on_a]);
		assert_eq!(versions(VersionFilter::Snapshot(a2)), vec![on_a2]);
		assert_eq!(versions(VersionFilter::Dataset(3)), Vec::<u32>::new());
		let paged = Models::versions_where(&VersionFilter::Dataset(1), None, 2);
		assert_eq!((ids(paged.clone()), paged.next), (vec![on_a, child], Some(child)));
		assert_eq!(
			ids(Models::versions_where(&VersionFilter::Dataset(1), paged.next, 2)),
			vec![on_a2]
		);

		// The owner filter follows a transfer.
		assert_ok!(Models::transfer_model(RuntimeOrigin::signed(ALICE), alice2, BOB));
		assert_eq!(versions(VersionFilter::Owner(BOB)), vec![on_b, child, on_a2]);
		assert_eq!(versions(VersionFilter::Owner(ALICE)), vec![on_a]);
	});
}

#[test]
fn a_fine_tune_follows_the_parent_models_licence() {
	build_and_execute(|| {
		let a = cc0(1);
		// Bob's non-commercial model, and Bob's proprietary one.
		let nc = model(BOB, Licence::CcByNc);
		let nc_version = publish(BOB, nc, &[(a, 100)], None, 0);
		let closed = model(BOB, Licence::Proprietary);
		let closed_version = publish(BOB, closed, &[(a, 100)], None, 0);
		let sa = model(BOB, Licence::CcBySa);
		let sa_version = publish(BOB, sa, &[(a, 100)], None, 0);

		// Alice cannot sell a fine-tune of the non-commercial model, nor license it commercially.
		let alice_apache = model(ALICE, Licence::Apache2);
		assert_noop!(
			try_publish(ALICE, alice_apache, inputs(&[(a, 100)]), Some(nc_version), 0),
			Error::<Test>::CommercialUseForbidden
		);
		let alice_nc = model(ALICE, Licence::CcByNc);
		assert_noop!(
			try_publish(ALICE, alice_nc, inputs(&[(a, 100)]), Some(nc_version), 5),
			Error::<Test>::CommercialUseForbidden
		);
		// A free non-commercial fine-tune is allowed, and is not commercial.
		let child = publish(ALICE, alice_nc, &[(a, 100)], Some(nc_version), 0);
		assert!(!Versions::<Test>::get(child).unwrap().commercial_use);
		// Share-alike stays share-alike.
		assert_noop!(
			try_publish(ALICE, alice_apache, inputs(&[(a, 100)]), Some(sa_version), 0),
			Error::<Test>::IncompatibleLicence
		);
		let alice_sa = model(ALICE, Licence::CcBySa);
		publish(ALICE, alice_sa, &[(a, 100)], Some(sa_version), 0);
		// Only Bob fine-tunes his proprietary model, into whatever its data allows.
		assert_noop!(
			try_publish(ALICE, alice_apache, inputs(&[(a, 100)]), Some(closed_version), 0),
			Error::<Test>::NotParentOwner
		);
		let bob_apache = model(BOB, Licence::Apache2);
		let own = publish(BOB, bob_apache, &[(a, 100)], Some(closed_version), 5);
		assert!(Versions::<Test>::get(own).unwrap().commercial_use);
		// A permissive parent is anyone's to fine-tune and sell.
		let sold = publish(ALICE, alice_apache, &[(a, 100)], Some(own), 5);
		assert!(Versions::<Test>::get(sold).unwrap().commercial_use);
	});
}
