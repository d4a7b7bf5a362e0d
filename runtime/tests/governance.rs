//! Governance through the real runtime (no mocks): referenda on the admin and root tracks, a
//! Council motion resolving a compute challenge, a Council fast-tracked takedown — each checked
//! by the state it leaves, and each refused when the wrong origin tries it. The referenda run on
//! the `local_testnet` genesis, which has no sudo key.

use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Mutate, schedule::DispatchTime, StorePreimage},
	weights::Weight,
};
use lineage_primitives::{Consent, ContentRef, Licence, SnapshotRef};
use lineage_runtime::{
	configs::governance::pallet_custom_origins, AccountId, Balances, Compute, ConvictionVoting,
	Council, Datasets, LineageParams, Models, OriginCaller, Preimage, Referenda, Runtime,
	RuntimeCall, RuntimeOrigin, System, Treasury, LIN,
};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use sp_core::H256;
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	DispatchError, Perbill,
};

use crate::common::{account, next_block, preset_ext, run_to_block};

fn signed(who: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(who))
}

/// Submits `call` as a referendum dispatching from `origin`, places the decision deposit, has
/// each of `voters` vote aye with 950,000 LIN at 1x conviction, and runs `blocks` blocks.
/// Returns the referendum's index.
fn referendum(
	origin: OriginCaller,
	call: RuntimeCall,
	voters: &[Sr25519Keyring],
	blocks: u32,
) -> u32 {
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	let proposal = <Preimage as StorePreimage>::bound(call).expect("small enough to inline");
	assert_ok!(Referenda::submit(
		signed(Alice),
		Box::new(origin),
		proposal,
		DispatchTime::After(0)
	));
	assert_ok!(Referenda::place_decision_deposit(signed(Alice), index));
	let vote = Vote { aye: true, conviction: Conviction::Locked1x };
	for voter in voters {
		assert_ok!(ConvictionVoting::vote(
			signed(*voter),
			index,
			AccountVote::Standard { vote, balance: 950_000 * LIN }
		));
	}
	let start = System::block_number();
	run_to_block(start + blocks);
	index
}

fn approved(index: u32) -> bool {
	matches!(
		pallet_referenda::ReferendumInfoFor::<Runtime>::get(index),
		Some(pallet_referenda::ReferendumInfo::Approved(..))
	)
}

/// Eight of the twelve endowed accounts: about 63% of the issuance, above the production
/// tracks' initial support (50%).
const HOLDERS: [Sr25519Keyring; 8] =
	[Alice, Bob, Charlie, Dave, Eve, Ferdie, Sr25519Keyring::AliceStash, Sr25519Keyring::BobStash];

/// Passes `call` as a referendum from `origin`, with most holders voting aye.
fn pass_referendum(origin: OriginCaller, call: RuntimeCall) {
	let index = referendum(origin, call, &HOLDERS, 20);
	assert!(approved(index), "referendum {index} approved");
}

#[test]
fn the_admin_track_changes_a_lineage_parameter_without_sudo() {
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		assert!(pallet_sudo::Key::<Runtime>::get().is_none());
		let mut params = LineageParams::current().params;
		params.emission.alpha = Perbill::from_percent(4);
		params.compute.min_bond = 150 * LIN;
		params.datasets.dataset_deposit = 20 * LIN;
		let call =
			RuntimeCall::LineageParams(pallet_lineage_params::Call::set_parameters { params });

		// Not by a signed account, nor by a Council motion.
		assert_noop!(
			LineageParams::set_parameters(signed(Alice), params),
			DispatchError::BadOrigin
		);

		pass_referendum(OriginCaller::Origins(pallet_custom_origins::Origin::LineageAdmin), call);
		let now = LineageParams::current();
		assert_eq!((now.version, now.params.emission.alpha), (1, Perbill::from_percent(4)));
		// Every pallet reads the new values: a dataset now holds 20 LIN, a provider needs 150.
		let held = |who| {
			<Balances as frame_support::traits::fungible::InspectHold<_>>::balance_on_hold(
				&pallet_datasets::HoldReason::DatasetDeposit.into(),
				&account(who),
			)
		};
		let item = ContentRef::new(H256::repeat_byte(9), b"ipfs://d", 1).unwrap();
		let policy = pallet_datasets::Policy {
			admission: pallet_datasets::Admission::Open,
			contribution_deposit: 0,
			reject_slash: Perbill::zero(),
			min_consent: Consent::default(),
			withdrawal_grace: 0,
		};
		assert_ok!(Datasets::create_dataset(signed(Bob), item, Licence::Cc0, policy));
		assert_eq!(held(Bob), 20 * LIN);
		let kinds = pallet_compute::JobKinds {
			training: true,
			fine_tune: true,
			inference: true,
			evaluation: true,
		};
		assert_noop!(
			Compute::register_provider(
				signed(Charlie),
				140 * LIN,
				b"https://c".to_vec().try_into().unwrap(),
				kinds,
				sp_runtime::MultiAddress::Id(account(Charlie)),
				b"eu".to_vec().try_into().unwrap(),
			),
			pallet_compute::Error::<Runtime>::BondTooLow
		);
		next_block();
	});
}

#[test]
fn a_root_referendum_approves_a_treasury_spend_that_is_paid_out() {
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let treasury = lineage_runtime::configs::TreasuryAccount::get();
		Balances::set_balance(&treasury, 1_000 * LIN);
		let dave: AccountId = account(Dave);
		let spend = pallet_treasury::Call::spend {
			asset_kind: Box::new(()),
			amount: 100 * LIN,
			beneficiary: Box::new(dave.clone()),
			valid_from: None,
		};
		assert_noop!(
			Treasury::spend(signed(Dave), Box::new(()), 100 * LIN, Box::new(dave.clone()), None),
			DispatchError::BadOrigin
		);

		pass_referendum(
			OriginCaller::system(frame_system::RawOrigin::Root),
			RuntimeCall::Treasury(spend),
		);
		let before = Balances::free_balance(&dave);
		assert_ok!(Treasury::payout(signed(Eve), 0));
		assert_eq!(Balances::free_balance(&dave), before + 100 * LIN);
		assert_eq!(Balances::free_balance(&treasury), 900 * LIN);
		next_block();
	});
}

/// Proposes `call` to the Council from Alice with `threshold`; with a threshold above one, Alice
/// and Bob vote aye and the motion is closed. Returns whether the call ran without error.
fn council_motion(call: RuntimeCall, threshold: u32) -> bool {
	let length = call.encoded_size() as u32;
	let hash = BlakeTwo256::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
	assert_ok!(Council::propose(signed(Alice), threshold, Box::new(call), length));
	if threshold > 1 {
		assert_ok!(Council::vote(signed(Alice), hash, index, true));
		assert_ok!(Council::vote(signed(Bob), hash, index, true));
		assert_ok!(Council::close(signed(Charlie), hash, index, Weight::MAX, length));
	}
	System::events()
		.iter()
		.rev()
		.find_map(|r| match &r.event {
			lineage_runtime::RuntimeEvent::Council(pallet_collective::Event::Executed {
				proposal_hash,
				result,
			}) if *proposal_hash == hash => Some(result.is_ok()),
			_ => None,
		})
		.expect("the motion was executed")
}

fn content(n: u8) -> ContentRef {
	ContentRef::new(H256::repeat_byte(n), b"ipfs://bafy", 1024).unwrap()
}

/// A dataset of Ferdie with one item and a snapshot; a model version on it; Eve's job accepted by
/// Dave, with a result challenged by Bob. Returns the dataset and the job.
fn challenged_job() -> (u32, u64) {
	let open = pallet_datasets::Policy {
		admission: pallet_datasets::Admission::Open,
		contribution_deposit: 0,
		reject_slash: Perbill::zero(),
		min_consent: Consent::FULL,
		withdrawal_grace: 0,
	};
	assert_ok!(Datasets::create_dataset(signed(Ferdie), content(1), Licence::Cc0, open));
	assert_ok!(Datasets::contribute(signed(Ferdie), 0, content(2), Licence::Cc0, Consent::FULL));
	assert_ok!(Datasets::snapshot(signed(Ferdie), 0));
	assert_ok!(Models::register_model(signed(Ferdie), content(3), Licence::Apache2));
	let inputs = vec![pallet_models::TrainingInput {
		snapshot: SnapshotRef { dataset: 0, version: 1 },
		weight: Perbill::one(),
	}];
	assert_ok!(Models::publish_version(
		signed(Ferdie),
		0,
		content(4),
		inputs.try_into().unwrap(),
		None,
		Perbill::from_percent(50),
		LIN,
	));
	assert_ok!(Compute::register_provider(
		signed(Dave),
		200 * LIN,
		b"https://gpu".to_vec().try_into().unwrap(),
		pallet_compute::JobKinds::ALL,
		account(Dave).into(),
		b"eu".to_vec().try_into().unwrap(),
	));
	assert_ok!(Compute::submit_job(
		signed(Eve),
		pallet_compute::JobKind::Inference,
		0,
		content(5),
		10 * LIN,
		LIN,
		System::block_number() + 50,
	));
	assert_ok!(Compute::accept_job(signed(Dave), 0));
	assert_ok!(Compute::submit_result(signed(Dave), 0, content(6)));
	assert_ok!(Compute::challenge(signed(Bob), 0, content(7)));
	(0, 0)
}

#[test]
fn a_council_majority_resolves_a_compute_challenge() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let (_, job) = challenged_job();
		let resolve = || {
			RuntimeCall::Compute(pallet_compute::Call::resolve {
				job,
				verdict: pallet_compute::Verdict::ProviderWrong,
			})
		};
		assert_noop!(
			Compute::resolve(signed(Alice), job, pallet_compute::Verdict::ProviderWrong),
			DispatchError::BadOrigin
		);
		// One member of three is not a majority: the motion runs and the call is refused.
		assert!(!council_motion(resolve(), 1));
		assert_eq!(
			pallet_compute::Jobs::<Runtime>::get(job).unwrap().state,
			pallet_compute::JobState::Challenged
		);
		// Two of three are.
		assert!(council_motion(resolve(), 2));
		let record = pallet_compute::Jobs::<Runtime>::get(job).unwrap();
		assert_eq!(
			record.state,
			pallet_compute::JobState::Ended(pallet_compute::Outcome::ChallengeUpheld)
		);
		// The record names who ruled: the Council, two of its three members.
		assert_eq!(
			record.ruling,
			Some(pallet_compute::Ruling {
				verdict: pallet_compute::Verdict::ProviderWrong,
				by: pallet_compute::Arbiter::Council { ayes: 2, members: 3 },
			})
		);
		next_block();
	});
}

#[test]
fn two_thirds_of_the_council_fast_track_a_takedown() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let (dataset, _) = challenged_job();
		let takedown = || {
			RuntimeCall::Datasets(pallet_datasets::Call::takedown {
				dataset,
				reason: H256::repeat_byte(9),
			})
		};
		assert_noop!(
			Datasets::takedown(signed(Alice), dataset, H256::zero()),
			DispatchError::BadOrigin
		);
		assert!(!council_motion(takedown(), 1));
		assert_eq!(
			pallet_datasets::Datasets::<Runtime>::get(dataset).unwrap().status,
			pallet_datasets::DatasetStatus::Active
		);
		assert!(council_motion(takedown(), 2));
		assert!(matches!(
			pallet_datasets::Datasets::<Runtime>::get(dataset).unwrap().status,
			pallet_datasets::DatasetStatus::TakenDown { .. }
		));
		// The model trained on it is tainted now.
		assert!(Models::taint(0).is_some());
		next_block();
	});
}

/// A remark as root: what any root call could be.
fn root_remark() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark_with_event { remark: b"root".to_vec() })
}

#[test]
fn one_unopposed_holder_cannot_pass_a_root_call_without_sudo() {
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		// Alice holds about 8% of the issuance: above the development support curve, below the
		// production floor (20% for root).
		let root = OriginCaller::system(frame_system::RawOrigin::Root);
		let decision = 20 * lineage_runtime::MINUTES + 20;
		let alone = referendum(root.clone(), root_remark(), &[Alice], decision);
		assert!(
			matches!(
				pallet_referenda::ReferendumInfoFor::<Runtime>::get(alone),
				Some(pallet_referenda::ReferendumInfo::Rejected(..))
			),
			"rejected at the end of the decision period"
		);
		// Three holders (about 24%) pass it once the support curve has fallen to its floor.
		let three = referendum(root, root_remark(), &[Alice, Bob, Charlie], decision);
		assert!(approved(three));
		next_block();
	});
}

#[test]
fn on_the_development_chain_one_holder_passes_a_referendum() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let root = OriginCaller::system(frame_system::RawOrigin::Root);
		let index = referendum(root, root_remark(), &[Alice], 20);
		assert!(approved(index));
		next_block();
	});
}

#[test]
fn the_council_changes_its_members_only_by_referendum() {
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let members = || pallet_membership::Members::<Runtime, pallet_membership::Instance1>::get();
		assert_eq!(members().len(), 3);
		// Two of three members cannot remove the third, nor add a fourth.
		let remove = RuntimeCall::CouncilMembership(pallet_membership::Call::remove_member {
			who: account(Charlie).into(),
		});
		assert!(!council_motion(remove.clone(), 2));
		let add = RuntimeCall::CouncilMembership(pallet_membership::Call::add_member {
			who: account(Dave).into(),
		});
		assert!(!council_motion(add.clone(), 2));
		assert_eq!(members().len(), 3);
		// A referendum on the admin track can.
		pass_referendum(OriginCaller::Origins(pallet_custom_origins::Origin::LineageAdmin), add);
		assert!(members().contains(&account(Dave)));
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get().len(),
			4
		);
		next_block();
	});
}
