//! The whole economy in the real runtime: datasets, models, compute and rewards wired through
//! lineage-primitives only. One account that is contributor, model owner, provider and requester
//! at once buys jobs from itself, claims everything each era, and ends every era poorer; total
//! issuance grows only by what `Rewards` minted.

use frame_support::{assert_ok, traits::fungible::Inspect};
use lineage_primitives::{Consent, ContentRef, Licence, SnapshotRef};
use lineage_runtime::{
	Balances, Compute, Datasets, LineageParams, Models, Rewards, Runtime, RuntimeOrigin, System,
	LIN,
};
use pallet_compute::{JobKind, JobKinds, JobState, Outcome};
use pallet_models::TrainingInput;
use sp_core::H256;
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::Ferdie;
use sp_runtime::Perbill;

use crate::common::{account, next_block, preset_ext, run_to_block};

fn content(n: u8) -> ContentRef {
	ContentRef::new(H256::repeat_byte(n), b"ipfs://bafy", 1024).unwrap()
}

#[test]
fn self_dealing_through_the_real_runtime_never_pays() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let me = account(Ferdie);
		let signed = || RuntimeOrigin::signed(me.clone());
		// No bootstrap rate: the matching rate is α in every era.
		let mut params = LineageParams::current().params;
		params.emission.bootstrap = Perbill::zero();
		assert_ok!(LineageParams::set_parameters(RuntimeOrigin::root(), params));
		assert!(params.emission.alpha <= params.compute.protocol_fee);

		// The whole supply chain is one account.
		let open = pallet_datasets::Policy {
			admission: pallet_datasets::Admission::Open,
			contribution_deposit: 0,
			reject_slash: Perbill::zero(),
			min_consent: Consent::FULL,
			withdrawal_grace: 0,
		};
		assert_ok!(Datasets::create_dataset(signed(), content(1), Licence::Cc0, open));
		assert_ok!(Datasets::contribute(signed(), 0, content(2), Licence::Cc0, Consent::FULL));
		assert_ok!(Datasets::snapshot(signed(), 0));
		assert_ok!(Models::register_model(signed(), content(3), Licence::Apache2));
		let inputs = vec![TrainingInput {
			snapshot: SnapshotRef { dataset: 0, version: 1 },
			weight: Perbill::one(),
		}];
		assert_ok!(Models::publish_version(
			signed(),
			0,
			content(4),
			inputs.try_into().unwrap(),
			None,
			Perbill::from_percent(50),
			20 * LIN,
		));
		assert_ok!(Compute::register_provider(
			signed(),
			1_000 * LIN,
			b"https://me".to_vec().try_into().unwrap(),
			JobKinds::ALL,
			me.clone().into(),
			b"here".to_vec().try_into().unwrap(),
		));

		let issuance = Balances::total_issuance();
		let mut minted = 0;
		for era in 0..3u32 {
			// One job per era: job ids follow the eras.
			let job = u64::from(era);
			let start = Balances::total_balance(&me);
			let era_start = pallet_rewards::EraStart::<Runtime>::get();
			// A job of 100 LIN + the 20 LIN price, settled by the queue within the era.
			let now = System::block_number();
			assert_ok!(Compute::submit_job(
				signed(),
				JobKind::Inference,
				0,
				content(9),
				100 * LIN,
				20 * LIN,
				now + 50
			));
			assert_ok!(Compute::accept_job(signed(), job));
			assert_ok!(Compute::submit_result(signed(), job, content(10)));
			run_to_block(now + 6);
			assert_eq!(
				pallet_compute::Jobs::<Runtime>::get(job).unwrap().state,
				JobState::Ended(Outcome::Settled)
			);
			// The era ends; everything it earned is claimed.
			run_to_block(era_start + LineageParams::current().params.emission.era_length);
			let summary = pallet_rewards::Eras::<Runtime>::get(era).unwrap();
			assert_eq!(summary.fees.paid, 120 * LIN, "era {era}");
			minted += summary.minted;
			assert_ok!(Rewards::claim(signed(), 0, 1));
			assert_ok!(Rewards::claim_account(signed()));
			let end = Balances::total_balance(&me);
			// Lost: 10% of 120 LIN to the treasury, less at most 90% of α × 120 LIN back.
			assert!(end < start, "era {era}: self-dealing paid");
			assert!(start - end >= 12 * LIN - 6 * LIN * 9 / 10, "era {era}: lost too little");
		}
		// Issuance grew by exactly what Rewards minted.
		assert_eq!(Balances::total_issuance(), issuance + minted);
		assert_eq!(pallet_rewards::TotalMinted::<Runtime>::get(), minted);
		next_block();
	});
}
