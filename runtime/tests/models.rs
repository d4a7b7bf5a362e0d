//! Models and datasets together in the real runtime, coupled only through `DatasetInspect`: the
//! licence rules end to end, and consent withdrawal tainting a model family without a write to
//! the models pallet.

use frame_support::traits::fungible::InspectHold;
use frame_support::{assert_noop, assert_ok};
use lineage_primitives::{Consent, ContentRef, Licence, SnapshotRef, Taint};
use lineage_runtime::{Balances, Compute, Datasets, Models, Runtime, RuntimeOrigin, System, LIN};
use pallet_models::{Error as ModelsError, TrainingInput};
use sp_core::H256;
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_io::hashing::twox_128;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve};
use sp_runtime::{DispatchError, Perbill};

use crate::common::{account, next_block, preset_ext};

fn signed(who: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(who))
}

fn content(n: u8) -> ContentRef {
	ContentRef::new(H256::repeat_byte(n), b"ipfs://bafy", 1024).unwrap()
}

/// An open dataset of `owner` under `licence` with one item of `contributor` (contribution
/// `contribution`) and its first snapshot.
fn dataset_with_snapshot(
	owner: Sr25519Keyring,
	contributor: Sr25519Keyring,
	licence: Licence,
	consent: Consent,
	item: u8,
) -> (SnapshotRef, u64) {
	let dataset = pallet_datasets::NextDatasetId::<Runtime>::get();
	let policy = pallet_datasets::Policy {
		admission: pallet_datasets::Admission::Open,
		contribution_deposit: LIN,
		reject_slash: Perbill::from_percent(30),
		min_consent: Consent { training: true, commercial: false },
		withdrawal_grace: 0,
	};
	assert_ok!(Datasets::create_dataset(signed(owner), content(item), licence, policy));
	let contribution = pallet_datasets::NextContributionId::<Runtime>::get();
	assert_ok!(Datasets::contribute(signed(contributor), dataset, content(item), licence, consent));
	assert_ok!(Datasets::snapshot(signed(owner), dataset));
	(SnapshotRef { dataset, version: 1 }, contribution)
}

fn model(owner: Sr25519Keyring, licence: Licence) -> u32 {
	let id = pallet_models::NextModelId::<Runtime>::get();
	assert_ok!(Models::register_model(signed(owner), content(0xAA), licence));
	id
}

fn inputs(snapshot: SnapshotRef) -> pallet_models::InputsOf<Runtime> {
	vec![TrainingInput { snapshot, weight: Perbill::one() }].try_into().unwrap()
}

fn publish(
	owner: Sr25519Keyring,
	model: u32,
	snapshot: SnapshotRef,
	parent: Option<u32>,
	price: u128,
) -> Result<u32, DispatchError> {
	let id = pallet_models::NextVersionId::<Runtime>::get();
	Models::publish_version(
		signed(owner),
		model,
		content(0xBB),
		inputs(snapshot),
		parent,
		Perbill::from_percent(50),
		price,
	)
	.map_err(|e| e.error)?;
	Ok(id)
}

/// Every key and value the pallet stored under `name`.
fn pallet_storage(name: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
	let prefix = twox_128(name);
	let mut entries = Vec::new();
	let mut key = prefix.to_vec();
	while let Some(next) = sp_io::storage::next_key(&key) {
		if !next.starts_with(&prefix) {
			break;
		}
		entries.push((next.clone(), sp_io::storage::get(&next).unwrap().to_vec()));
		key = next;
	}
	entries
}

#[test]
fn non_commercial_data_trains_a_free_research_model_and_not_a_paid_one() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let research_only = Consent { training: true, commercial: false };
		let (nc, _) = dataset_with_snapshot(Alice, Bob, Licence::CcByNc, research_only, 1);

		let research = model(Charlie, Licence::CcByNc);
		let free = publish(Charlie, research, nc, None, 0).expect("free research model accepted");
		assert_noop!(
			publish(Charlie, research, nc, None, LIN),
			ModelsError::<Runtime>::CommercialUseForbidden
		);
		assert_noop!(
			Models::set_price(signed(Charlie), free, LIN),
			ModelsError::<Runtime>::CommercialUseForbidden
		);
		let commercial = model(Charlie, Licence::Apache2);
		assert_noop!(
			publish(Charlie, commercial, nc, None, 0),
			ModelsError::<Runtime>::CommercialUseForbidden
		);
		let details = Models::version_details(free).unwrap();
		assert_eq!((details.commercial_use, details.price, details.taint), (false, 0, None));
		next_block();
	});
}

#[test]
fn consent_withdrawal_taints_a_model_two_generations_down_without_writing_to_models() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let (base_data, withdrawing) =
			dataset_with_snapshot(Alice, Bob, Licence::Cc0, Consent::FULL, 1);
		let (other_data, _) = dataset_with_snapshot(Alice, Dave, Licence::CcBy, Consent::FULL, 2);

		let base = model(Charlie, Licence::Apache2);
		let v1 = publish(Charlie, base, base_data, None, LIN).unwrap();
		let tuned = model(Dave, Licence::Mit);
		let v2 = publish(Dave, tuned, other_data, Some(v1), LIN).unwrap();
		let distilled = model(Eve, Licence::Apache2);
		let v3 = publish(Eve, distilled, other_data, Some(v2), 2 * LIN).unwrap();
		let unrelated = publish(Charlie, base, other_data, None, LIN).unwrap();
		for v in [v1, v2, v3, unrelated] {
			assert_eq!(Models::taint(v), None);
		}
		// The grandchild still attributes 30% × 30% = 9% to the base data.
		assert!(Models::attribution_of(v3)
			.iter()
			.any(|e| e.snapshot == base_data && e.share == Perbill::from_percent(9)));

		let models_before = pallet_storage(b"Models");
		assert!(!models_before.is_empty());
		assert_ok!(Datasets::withdraw_consent(signed(Bob), withdrawing));
		assert_eq!(pallet_storage(b"Models"), models_before, "nothing written to Models");

		for v in [v1, v2, v3] {
			assert_eq!(Models::taint(v), Some(Taint::SnapshotWithdrawn(base_data)));
			assert_eq!(
				Models::version_details(v).unwrap().taint,
				Some(Taint::SnapshotWithdrawn(base_data))
			);
		}
		assert_eq!(Models::taint(unrelated), None);
		// No new fine-tune of the tainted family.
		assert_noop!(
			publish(Eve, distilled, other_data, Some(v3), 0),
			ModelsError::<Runtime>::TaintedParent
		);
		// Nor a new version on the withdrawn snapshot.
		assert_noop!(
			publish(Charlie, base, base_data, None, 0),
			ModelsError::<Runtime>::SnapshotWithdrawn
		);
		next_block();
	});
}

#[test]
fn a_model_retrained_on_the_snapshot_after_a_withdrawal_is_clean() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let (first, withdrawing) =
			dataset_with_snapshot(Alice, Bob, Licence::Cc0, Consent::FULL, 1);
		let dataset = first.dataset;
		let staying = pallet_datasets::NextContributionId::<Runtime>::get();
		assert_ok!(Datasets::contribute(
			signed(Dave),
			dataset,
			content(2),
			Licence::Cc0,
			Consent::FULL
		));
		assert_ok!(Datasets::snapshot(signed(Alice), dataset));
		let second = SnapshotRef { dataset, version: 2 };

		let base = model(Charlie, Licence::Apache2);
		let old = publish(Charlie, base, first, None, LIN).unwrap();
		// A fine-tune that adds the later snapshot of the same dataset.
		let tuned = model(Eve, Licence::Mit);
		let child = publish(Eve, tuned, second, Some(old), LIN).unwrap();

		// Bob's item is in snapshots 1 and 2: both, and every model on them, are tainted.
		assert_ok!(Datasets::withdraw_consent(signed(Bob), withdrawing));
		assert_eq!(Models::taint(old), Some(Taint::SnapshotWithdrawn(first)));
		assert_eq!(Models::taint(child), Some(Taint::SnapshotWithdrawn(second)));

		// Snapshot 3 leaves Bob's item out: a model retrained on it is clean and sells.
		assert_ok!(Datasets::snapshot(signed(Alice), dataset));
		let third = SnapshotRef { dataset, version: 3 };
		let retrained = publish(Charlie, base, third, None, LIN).unwrap();
		assert_eq!(Models::taint(retrained), None);

		// Dave's item is in snapshots 1 to 3: his withdrawal reaches the retrained model too,
		// and snapshot 4, holding neither item, is clean again.
		assert_ok!(Datasets::withdraw_consent(signed(Dave), staying));
		assert_eq!(Models::taint(retrained), Some(Taint::SnapshotWithdrawn(third)));
		assert_noop!(
			Datasets::snapshot(signed(Bob), dataset),
			pallet_datasets::Error::<Runtime>::NotCurator
		);
		assert_ok!(Datasets::snapshot(signed(Alice), dataset));
		let fourth = SnapshotRef { dataset, version: 4 };
		assert_eq!(
			<Datasets as lineage_primitives::DatasetInspect>::snapshot_info(fourth)
				.map(|v| v.status),
			Some(lineage_primitives::SnapshotStatus::Active)
		);
		next_block();
	});
}

#[test]
fn a_version_is_retired_only_once_its_jobs_have_ended() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let (data, _) = dataset_with_snapshot(Alice, Bob, Licence::Cc0, Consent::FULL, 1);
		let m = model(Charlie, Licence::Apache2);
		let version = publish(Charlie, m, data, None, LIN).unwrap();
		let job = pallet_compute::NextJobId::<Runtime>::get();
		assert_ok!(Compute::submit_job(
			signed(Eve),
			pallet_compute::JobKind::Inference,
			version,
			content(5),
			LIN,
			LIN,
			System::block_number() + 50,
		));
		assert_ok!(Models::deprecate_version(signed(Charlie), version));
		assert_noop!(
			Models::retire_version(signed(Charlie), version),
			ModelsError::<Runtime>::HasOpenJobs
		);
		assert_ok!(Compute::cancel_job(signed(Eve), job));

		let held = |who| {
			<Balances as InspectHold<_>>::balance_on_hold(
				&pallet_models::HoldReason::VersionDeposit.into(),
				&account(who),
			)
		};
		assert!(held(Charlie) > 0);
		assert_ok!(Models::retire_version(signed(Charlie), version));
		assert_eq!(held(Charlie), 0);
		// The ended job keeps its record, naming the retired version.
		assert_eq!(
			pallet_compute::Jobs::<Runtime>::get(job).map(|j| j.model_version),
			Some(version)
		);
		assert_ok!(Models::remove_model(signed(Charlie), m));
		next_block();
	});
}

#[test]
fn a_takedown_taints_and_revocation_needs_the_admin_origin() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let (data, _) = dataset_with_snapshot(Alice, Bob, Licence::Cc0, Consent::FULL, 1);
		let m = model(Charlie, Licence::Apache2);
		let v1 = publish(Charlie, m, data, None, LIN).unwrap();
		let v2 = publish(Charlie, m, data, Some(v1), LIN).unwrap();

		assert_noop!(
			Models::revoke_version(signed(Alice), v1, H256::zero()),
			DispatchError::BadOrigin
		);
		assert_ok!(Models::revoke_version(RuntimeOrigin::root(), v1, H256::repeat_byte(3)));
		assert_eq!(Models::taint(v2), Some(Taint::Revoked(v1)));

		let (other, _) = dataset_with_snapshot(Alice, Dave, Licence::Cc0, Consent::FULL, 2);
		let v3 = publish(Charlie, m, other, None, LIN).unwrap();
		assert_ok!(Datasets::takedown(RuntimeOrigin::root(), other.dataset, H256::zero()));
		assert_eq!(Models::taint(v3), Some(Taint::SnapshotTakenDown(other)));
		next_block();
	});
}
