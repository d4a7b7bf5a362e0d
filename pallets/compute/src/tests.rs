//! Behaviour of pallet-compute: every path a job can take with the exact amounts each party
//! ends up with, the on_idle queue, providers' bonds, records, concentration, and every error.

use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{
		fungible::{Inspect, InspectHold},
		Get, Hooks, UnfilteredDispatchable,
	},
	weights::Weight,
};
use lineage_primitives::{ContentRef, JobId, SnapshotRef, MAX_ATTRIBUTION_ENTRIES};
use sp_core::H256;
use sp_io::hashing::blake2_256;
use sp_runtime::{DispatchError, DispatchResult, Perbill, TokenError};

use crate::{
	mock::*, Arbiter, Due, Error, Event, HoldReason, JobFilter, JobKind, JobKinds, JobState, Jobs,
	Outcome, Payee, Payout, Providers, QueueHead, QueueLen, TrainingFault, UnpublishedOutputs,
	Verdict,
};

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Compute(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&reason.into(), &who)
}

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

fn state(job: JobId) -> JobState {
	Jobs::<Test>::get(job).unwrap().state
}

/// Alice submits a job on `version` with `fee`, due in 20 blocks; returns its id.
fn submit(version: u32, fee: Balance) -> JobId {
	let id = crate::NextJobId::<Test>::get();
	let deadline = System::block_number() + 20;
	assert_ok!(Compute::submit_job(
		RuntimeOrigin::signed(ALICE),
		JobKind::Inference,
		version,
		content(1),
		fee,
		Balance::MAX,
		deadline
	));
	id
}

/// The bytes of the result Bob delivers in [`job_with_result`].
const OUTPUT: &[u8] = b"the cat sat on the mat";

/// A reference to `bytes`, by their hash and length.
fn content_of(bytes: &[u8]) -> ContentRef {
	ContentRef::new(H256(blake2_256(bytes)), b"https://gpu.example/out", bytes.len() as u64)
		.unwrap()
}

/// Bob (registered with 1,000) accepts a job of fee 200 on the priced version and submits
/// [`OUTPUT`] as its result; returns the job.
fn job_with_result() -> JobId {
	register(BOB, 1_000, OPERATOR, "eu-west");
	let job = submit(PRICED, 200);
	assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), job));
	assert_ok!(Compute::submit_result(RuntimeOrigin::signed(BOB), job, content_of(OUTPUT)));
	job
}

/// Bob publishes [`OUTPUT`], the output of his challenged job.
fn publish(job: JobId) {
	assert_ok!(Compute::publish_output(RuntimeOrigin::signed(BOB), job, bounded(OUTPUT)));
}

fn payouts(job: JobId) -> Vec<(Payee, AccountId, Balance)> {
	Jobs::<Test>::get(job)
		.unwrap()
		.payouts
		.into_iter()
		.map(|Payout { payee, account, amount }| (payee, account, amount))
		.collect()
}

fn snap(dataset: u32) -> SnapshotRef {
	SnapshotRef { dataset, version: 1 }
}

fn ds(dataset: u32) -> Payee {
	Payee::Dataset(snap(dataset))
}

#[test]
fn register_provider_holds_the_bond() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu-west");
		assert_eq!(held(HoldReason::ProviderBond, BOB), 1_000);
		let provider = Providers::<Test>::get(BOB).unwrap();
		assert_eq!((provider.bond, provider.locked, provider.operator), (1_000, 0, OPERATOR));
		assert_eq!(
			events().last(),
			Some(&Event::ProviderRegistered {
				provider: BOB,
				operator: OPERATOR,
				bond: 1_000,
				region: region("eu-west")
			})
		);
	});
}

#[test]
fn register_provider_refuses_bad_input() {
	build_and_execute(|| {
		let signed = RuntimeOrigin::signed;
		assert_noop!(
			Compute::register_provider(
				signed(BOB),
				99,
				endpoint(),
				JobKinds::ALL,
				OPERATOR,
				region("x")
			),
			Error::<Test>::BondTooLow
		);
		assert_noop!(
			Compute::register_provider(
				signed(BOB),
				100,
				endpoint(),
				JobKinds::default(),
				OPERATOR,
				region("x")
			),
			Error::<Test>::NoKinds
		);
		let long = lineage_primitives::Uri::try_from(vec![b'u'; 65]).unwrap();
		assert_noop!(
			Compute::register_provider(
				signed(BOB),
				100,
				long,
				JobKinds::ALL,
				OPERATOR,
				region("x")
			),
			Error::<Test>::UriTooLong
		);
		assert_noop!(
			Compute::register_provider(
				signed(PAUPER),
				100,
				endpoint(),
				JobKinds::ALL,
				OPERATOR,
				region("x")
			),
			TokenError::FundsUnavailable
		);
		register(BOB, 100, OPERATOR, "x");
		assert_noop!(
			Compute::register_provider(
				signed(BOB),
				100,
				endpoint(),
				JobKinds::ALL,
				OPERATOR,
				region("x")
			),
			Error::<Test>::AlreadyRegistered
		);
	});
}

/// Registrations hold no slot anyone else needs: a coalition registering a hundred providers at
/// the minimum bond keeps no honest provider out, and pays for every record with a bond.
#[test]
fn no_number_of_registrations_keeps_an_honest_provider_out() {
	use frame_support::traits::fungible::Mutate;
	build_and_execute(|| {
		let coalition: Vec<AccountId> = (1_000..1_100).collect();
		for &who in &coalition {
			assert_ok!(Balances::mint_into(&who, 1_000));
			register(who, MIN_BOND, OPERATOR, "x");
		}
		assert_eq!(crate::ProviderCount::<Test>::get(), 100);
		for &who in &coalition {
			assert_eq!(held(HoldReason::ProviderBond, who), MIN_BOND);
		}
		register(EVE, 100, OPERATOR, "x");
		assert_eq!(crate::ProviderCount::<Test>::get(), 101);
		assert!(crate::Providers::<Test>::contains_key(EVE));
	});
}

#[test]
fn bonds_grow_unbond_after_the_period_and_locked_collateral_stays() {
	build_and_execute(|| {
		register(BOB, 500, OPERATOR, "eu");
		let signed = RuntimeOrigin::signed;
		assert_noop!(Compute::bond_extra(signed(EVE), 10), Error::<Test>::UnknownProvider);
		assert_noop!(Compute::bond_extra(signed(BOB), 0), Error::<Test>::ZeroAmount);
		assert_ok!(Compute::bond_extra(signed(BOB), 500));
		assert_eq!(held(HoldReason::ProviderBond, BOB), 1_000);

		// A job locks 400 of it: only the 600 free can be unbonded, and 100 must stay.
		let job = submit(PRICED, 200);
		assert_ok!(Compute::accept_job(signed(BOB), job));
		assert_eq!(held(HoldReason::Collateral, BOB), 400);
		assert_noop!(Compute::unbond(signed(BOB), 601), Error::<Test>::BondLocked);
		assert_noop!(Compute::unbond(signed(BOB), 550), Error::<Test>::BondTooLow);
		assert_noop!(Compute::unbond(signed(BOB), 0), Error::<Test>::ZeroAmount);
		assert_noop!(Compute::withdraw_unbonded(signed(BOB)), Error::<Test>::NothingUnbonding);
		assert_ok!(Compute::unbond(signed(BOB), 500));
		assert!(events().contains(&Event::Unbonding {
			provider: BOB,
			amount: 500,
			at: 1 + UNBONDING
		}));
		// Still held during the period.
		assert_eq!(held(HoldReason::ProviderBond, BOB), 600);
		jump_to_block(UNBONDING);
		assert_noop!(Compute::withdraw_unbonded(signed(BOB)), Error::<Test>::UnbondingNotDue);
		jump_to_block(1 + UNBONDING);
		let before = free(BOB);
		assert_ok!(Compute::withdraw_unbonded(signed(BOB)));
		assert_eq!(free(BOB), before + 500);
		assert_eq!(held(HoldReason::ProviderBond, BOB), 100);
	});
}

#[test]
fn deregister_waits_for_running_jobs_and_the_period() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu");
		let signed = RuntimeOrigin::signed;
		let job = submit(PRICED, 200);
		assert_ok!(Compute::accept_job(signed(BOB), job));
		assert_noop!(Compute::deregister(signed(BOB)), Error::<Test>::HasActiveJobs);
		assert_ok!(Compute::submit_result(signed(BOB), job, content(2)));
		run_to_block(2 + CHALLENGE_PERIOD);
		assert_eq!(state(job), JobState::Ended(Outcome::Settled));

		assert_ok!(Compute::deregister(signed(BOB)));
		assert_noop!(Compute::deregister(signed(BOB)), Error::<Test>::ProviderLeaving);
		assert_noop!(Compute::bond_extra(signed(BOB), 5), Error::<Test>::ProviderLeaving);
		let next = submit(PRICED, 200);
		assert_noop!(Compute::accept_job(signed(BOB), next), Error::<Test>::ProviderLeaving);
		jump_to_block(System::block_number() + UNBONDING);
		let before = free(BOB);
		assert_ok!(Compute::withdraw_unbonded(signed(BOB)));
		assert_eq!(free(BOB), before + 1_000);
		assert!(Providers::<Test>::get(BOB).is_none());
		assert_eq!(crate::ProviderCount::<Test>::get(), 0);
	});
}

#[test]
fn submit_job_holds_escrow_and_record_deposit() {
	build_and_execute(|| {
		let job = submit(PRICED, 200);
		assert_eq!(held(HoldReason::Escrow, ALICE), 300);
		assert_eq!(held(HoldReason::RecordDeposit, ALICE), RECORD_DEPOSIT);
		let record = Jobs::<Test>::get(job).unwrap();
		assert_eq!(
			(record.fee, record.price, record.escrow, record.terms.params_version),
			(200, 100, 300, 1)
		);
		assert_eq!(record.attribution.len(), 2);
		assert_eq!(QueueLen::<Test>::get(), 1);
		assert_eq!(record.queued, Some((22, 0)));
		assert!(Due::<Test>::get(22, 0).contains(&job));
	});
}

#[test]
fn submit_job_is_charged_for_the_datasets_and_ancestors_its_version_has() {
	use crate::WeightInfo;
	build_and_execute(|| {
		let call = crate::Call::<Test>::submit_job {
			kind: JobKind::Inference,
			model_version: PRICED,
			input: content(1),
			fee: 200,
			max_price: Balance::MAX,
			deadline: System::block_number() + 20,
		};
		// Each job also pays, never refunded, three times the queue work its table can cause.
		let queue = |datasets| crate::Pallet::<Test>::due_work(datasets);
		// And the version's withdrawal-grace marker, read and perhaps written.
		let grace = crate::Pallet::<Test>::grace_weight();
		let charged = <() as WeightInfo>::submit_job(
			lineage_primitives::MAX_ATTRIBUTION_ENTRIES,
			lineage_primitives::MAX_LINEAGE_DEPTH,
		) + queue(MAX_ATTRIBUTION_ENTRIES)
			+ grace;
		assert_eq!(call.get_dispatch_info().call_weight, charged);
		let submit = || call.clone().dispatch_bypass_filter(RuntimeOrigin::signed(ALICE)).unwrap();
		// The priced version's table holds two datasets; it has no ancestors: refunded to the
		// benchmark's formula at those components, nothing subtracted by hand.
		let post = submit();
		let actual = <() as WeightInfo>::submit_job(2, 0) + queue(2) + grace;
		assert_eq!(post.actual_weight, Some(actual));
		assert!(actual.all_lt(charged));
		// The same table three generations down: each ancestor's revocation check is paid for.
		change_version(PRICED, |view| view.ancestors = 3);
		let post = submit();
		let deeper = <() as WeightInfo>::submit_job(2, 3) + queue(2) + grace;
		assert_eq!(post.actual_weight, Some(deeper));
		assert!(actual.all_lt(deeper) && deeper.all_lt(charged));
		// Whether the job joins a page of its due block or opens one, it pays the same.
		let post = submit();
		assert_eq!(post.actual_weight, Some(deeper));
		assert_eq!(crate::DuePages::<Test>::get(System::block_number() + 21), 2);
	});
}

#[test]
fn open_jobs_per_version_count_until_each_job_ends() {
	use lineage_primitives::JobInspect;
	build_and_execute(|| {
		let (first, second) = (submit(PRICED, 200), submit(PRICED, 200));
		assert_eq!(Compute::open_jobs(PRICED), 2);
		assert_ok!(Compute::cancel_job(RuntimeOrigin::signed(ALICE), first));
		assert_eq!(Compute::open_jobs(PRICED), 1);
		let settled = job_with_result();
		assert_eq!(Compute::open_jobs(PRICED), 2);
		jump_to_block(1 + CHALLENGE_PERIOD + 1);
		assert_ok!(Compute::finalize(RuntimeOrigin::signed(CHARLIE), settled));
		assert_ok!(Compute::cancel_job(RuntimeOrigin::signed(ALICE), second));
		assert_eq!(Compute::open_jobs(PRICED), 0);
		assert!(!crate::OpenJobs::<Test>::contains_key(PRICED));
	});
}

#[test]
fn submit_job_refuses_unusable_models_and_bad_terms() {
	build_and_execute(|| {
		let submit_with = |who, version, fee, deadline| {
			Compute::submit_job(
				RuntimeOrigin::signed(who),
				JobKind::Training,
				version,
				content(1),
				fee,
				100,
				deadline,
			)
		};
		assert_noop!(submit_with(ALICE, 9, 10, 10), Error::<Test>::UnknownModelVersion);
		assert_noop!(submit_with(ALICE, PRICED, 0, 10), Error::<Test>::ZeroAmount);
		assert_noop!(submit_with(ALICE, PRICED, 10, 1), Error::<Test>::BadDeadline);
		assert_noop!(submit_with(ALICE, PRICED, 10, 102), Error::<Test>::BadDeadline);
		assert_noop!(submit_with(PAUPER, PRICED, 10, 10), TokenError::FundsUnavailable);
		// The owner raised the price above the 100 the requester accepts before the call got in.
		change_version(PRICED, |v| v.price = 101);
		assert_noop!(submit_with(ALICE, PRICED, 10, 10), Error::<Test>::PriceAboveMax);
		change_version(PRICED, |v| v.price = 100);
		assert_ok!(submit_with(ALICE, PRICED, 10, 10));
		change_version(PRICED, |v| v.deprecated = true);
		assert_noop!(submit_with(ALICE, PRICED, 10, 10), Error::<Test>::ModelDeprecated);
		taint(FREE);
		assert_noop!(submit_with(ALICE, FREE, 10, 10), Error::<Test>::ModelTainted);
	});
}

#[test]
fn a_job_on_a_version_in_its_withdrawal_grace_starts_the_grace_once() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu-west");
		// The models pallet reports the version usable, its grace not started yet.
		change_version(PRICED, |v| v.grace_starts = true);
		let job = submit(PRICED, 200);
		assert_eq!(graces_started(), vec![PRICED]);
		let again = submit(PRICED, 200);
		assert_eq!(graces_started(), vec![PRICED], "started once");
		// Jobs on it are accepted and settle normally.
		for j in [job, again] {
			assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), j));
			assert_ok!(Compute::submit_result(RuntimeOrigin::signed(BOB), j, content(2)));
		}
		run_to_block(System::block_number() + CHALLENGE_PERIOD + 2);
		assert_eq!(state(job), JobState::Ended(Outcome::Settled));
		assert_eq!(state(again), JobState::Ended(Outcome::Settled));
	});
}

#[test]
fn an_unchallenged_job_settles_with_exact_payouts() {
	build_and_execute(|| {
		let job = job_with_result();
		let (alice, bob, dave, pot, treasury) =
			(free(ALICE), free(BOB), free(DAVE), free(DATA_POT), free(TREASURY));
		assert_noop!(
			Compute::finalize(RuntimeOrigin::signed(CHARLIE), job),
			Error::<Test>::ChallengeWindowOpen
		);
		jump_to_block(1 + CHALLENGE_PERIOD + 1);
		assert_ok!(Compute::finalize(RuntimeOrigin::signed(CHARLIE), job));

		// Escrow 300: protocol fee 30; of 270, provider 180, price part 90: owner 36 (40%),
		// data 54: dataset 1 40 (75%, floor), dataset 2 13 (25%, floor), dust 1 to the treasury.
		assert_eq!(
			payouts(job),
			vec![
				(Payee::Provider, BOB, 180),
				(Payee::ModelOwner, DAVE, 36),
				(ds(1), DATA_POT, 40),
				(ds(2), DATA_POT, 13),
				(Payee::Treasury, TREASURY, 31),
			]
		);
		assert_eq!(free(ALICE), alice);
		assert_eq!(held(HoldReason::Escrow, ALICE), 0);
		assert_eq!(free(BOB), bob + 180);
		assert_eq!(free(DAVE), dave + 36);
		assert_eq!(free(DATA_POT), pot + 53);
		assert_eq!(free(TREASURY), treasury + 31);
		// The collateral is back in the free bond.
		assert_eq!(held(HoldReason::Collateral, BOB), 0);
		assert_eq!(Providers::<Test>::get(BOB).unwrap().bond, 1_000);
		assert!(events().contains(&Event::JobSettled {
			job,
			requester: ALICE,
			model_version: PRICED,
			provider: BOB,
			provider_paid: 180,
			owner: Some(DAVE),
			owner_paid: 36,
			data_paid: 53,
			datasets: vec![(1, 40), (2, 13)].try_into().unwrap(),
			treasury_paid: 31
		}));
		// One event per settlement: no refund event beside it.
		assert!(!events().iter().any(|e| matches!(e, Event::JobRefunded { .. })));
		let report = reports().pop().unwrap();
		assert_eq!(report.paid, 300);
		assert_eq!(report.provider, (BOB, 180));
		assert_eq!(report.model, (PRICED, DAVE, 36));
		assert_eq!(report.datasets, vec![(snap(1), 40), (snap(2), 13)]);
		let record = Jobs::<Test>::get(job).unwrap();
		assert_eq!(record.state, JobState::Ended(Outcome::Settled));
		assert_eq!(record.steps.ended, Some(7));
		assert_eq!(record.operator, Some(OPERATOR));
		assert_noop!(
			Compute::finalize(RuntimeOrigin::signed(CHARLIE), job),
			Error::<Test>::NothingToFinalize
		);
	});
}

#[test]
fn the_queue_settles_and_expires_jobs_without_anyone_calling() {
	build_and_execute(|| {
		let settled = job_with_result();
		let unclaimed = submit(FREE, 10);
		let silent = submit(PRICED, 100);
		assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), silent));
		run_to_block(1 + CHALLENGE_PERIOD + 1);
		assert_eq!(state(settled), JobState::Ended(Outcome::Settled));
		assert_eq!(state(unclaimed), JobState::Open);
		// Both fall due at block 22 (pages hold two; the settled job's entry was freed).
		run_to_block(21);
		assert_eq!(state(silent), JobState::Accepted);
		run_to_block(22);
		assert_eq!(state(unclaimed), JobState::Ended(Outcome::Unclaimed));
		assert_eq!(state(silent), JobState::Ended(Outcome::TimedOut));
		assert_eq!(QueueLen::<Test>::get(), 0);
		assert_eq!(held(HoldReason::Escrow, ALICE), 0);
	});
}

#[test]
fn the_queue_stops_when_the_idle_weight_runs_out() {
	build_and_execute(|| {
		let a = submit(FREE, 10);
		let b = submit(FREE, 10);
		run_to_block(21);
		jump_to_block(22);
		let empty = <() as crate::WeightInfo>::on_idle_empty();
		// Room is kept for the heaviest job; what each took (one dataset here) is charged.
		let room = <() as crate::WeightInfo>::on_idle_item(MAX_ATTRIBUTION_ENTRIES);
		let item = <() as crate::WeightInfo>::on_idle_item(1);
		let db: frame_support::weights::RuntimeDbWeight =
			<<Test as frame_system::Config>::DbWeight as Get<_>>::get();
		let (block, page) = (db.reads_writes(1, 1), db.reads_writes(1, 1));
		// Room for one item only.
		let used = Compute::on_idle(22, empty + block + page + room + Weight::from_parts(1, 0));
		assert_eq!(used, empty + block + page + item);
		let ended = [a, b].iter().filter(|j| matches!(state(**j), JobState::Ended(_))).count();
		assert_eq!(ended, 1);
		assert_eq!(QueueLen::<Test>::get(), 1);
		Compute::on_idle(22, Weight::MAX);
		assert!(matches!(state(a), JobState::Ended(Outcome::Unclaimed)));
		assert!(matches!(state(b), JobState::Ended(Outcome::Unclaimed)));
		assert_eq!(Compute::on_idle(22, Weight::zero()), Weight::zero());
	});
}

#[test]
fn a_queue_filled_by_an_attacker_never_makes_an_honest_call_fail() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu");
		// Charlie fills the blocks an honest job falls due at (its deadline, block 22, and its
		// challenge window, block 7) with cheap jobs: 40 and 20 of them, 30 pages of two.
		let spam = |deadline: u64| {
			let id = crate::NextJobId::<Test>::get();
			assert_ok!(Compute::submit_job(
				RuntimeOrigin::signed(CHARLIE),
				JobKind::Inference,
				FREE,
				content(9),
				1,
				0,
				deadline
			));
			id
		};
		let mut spam_jobs: Vec<JobId> = (0..40).map(|_| spam(21)).collect();
		spam_jobs.extend((0..20).map(|_| spam(6)));
		assert_eq!(crate::DuePages::<Test>::get(22), 20);
		assert_eq!(crate::DuePages::<Test>::get(7), 10);
		// Each entry is backed by its job's record deposit, held until the record goes.
		assert_eq!(held(HoldReason::RecordDeposit, CHARLIE), 60 * RECORD_DEPOSIT);

		// Alice's job still goes in, is accepted, gets its result in and settles on time.
		let job = submit(PRICED, 200);
		assert_eq!(Jobs::<Test>::get(job).unwrap().queued, Some((22, 20)));
		assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), job));
		assert_ok!(Compute::submit_result(RuntimeOrigin::signed(BOB), job, content(2)));
		// Its entry moved from the deadline to the window's block, a new page there.
		assert_eq!(Jobs::<Test>::get(job).unwrap().queued, Some((7, 10)));
		assert_eq!(Due::<Test>::get(22, 20).len(), 0);

		// Cancelling frees the entries: the queue holds what is still running.
		for id in spam_jobs.drain(..30) {
			assert_ok!(Compute::cancel_job(RuntimeOrigin::signed(CHARLIE), id));
		}
		assert_eq!(QueueLen::<Test>::get(), 31);

		// Nobody waits for the queue to end their own job: finalize works whatever the backlog.
		run_to_block(6);
		jump_to_block(7);
		assert_ok!(Compute::finalize(RuntimeOrigin::signed(BOB), job));
		assert_eq!(state(job), JobState::Ended(Outcome::Settled));
		assert_eq!(QueueLen::<Test>::get(), 30);
		// A block's idle weight ends what it can (room for two of the largest jobs, each charged
		// what it took); the rest carries over to the next blocks.
		let empty = <() as crate::WeightInfo>::on_idle_empty();
		let item = <() as crate::WeightInfo>::on_idle_item(MAX_ATTRIBUTION_ENTRIES);
		let db: frame_support::weights::RuntimeDbWeight =
			<<Test as frame_system::Config>::DbWeight as Get<_>>::get();
		Compute::on_idle(7, empty + db.reads_writes(1, 1) * 2 + item * 2);
		let left = QueueLen::<Test>::get();
		assert!((1..30).contains(&left), "{left} entries left");
		assert_eq!(QueueHead::<Test>::get(), 7);
		run_to_block(22);
		assert_eq!(QueueLen::<Test>::get(), 0);
		assert!(spam_jobs.iter().all(|id| state(*id) == JobState::Ended(Outcome::Unclaimed)));
	});
}

#[test]
fn slashes_follow_the_shares_the_job_was_submitted_under() {
	build_and_execute(|| {
		let job = job_with_result();
		assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)));
		// Governance raises the challenger's share after the job was submitted.
		SlashShare::set(Perbill::from_percent(90));
		assert_ok!(Compute::resolve(RuntimeOrigin::root(), job, Verdict::ProviderWrong));
		// Collateral 400, split at the job's 50%.
		assert_eq!(
			payouts(job)[..2],
			[(Payee::Challenger, CHARLIE, 200), (Payee::Treasury, TREASURY, 200)]
		);
		SlashShare::set(Perbill::from_percent(50));
	});
}

#[test]
fn a_challenge_upheld_slashes_the_provider_and_refunds_the_requester() {
	build_and_execute(|| {
		let job = job_with_result();
		let (alice, charlie, treasury) = (free(ALICE), free(CHARLIE), free(TREASURY));
		assert_noop!(
			Compute::resolve(RuntimeOrigin::root(), job, Verdict::ProviderWrong),
			Error::<Test>::NotChallenged
		);
		assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)));
		// The bond is the job's escrow (300), above the least bond.
		assert_eq!(held(HoldReason::ChallengeBond, CHARLIE), 300);
		assert_noop!(
			Compute::challenge(RuntimeOrigin::signed(DAVE), job, content(9)),
			Error::<Test>::NoResultToChallenge
		);
		jump_to_block(30);
		assert_noop!(
			Compute::finalize(RuntimeOrigin::signed(DAVE), job),
			Error::<Test>::UnderChallenge
		);
		assert_noop!(
			Compute::resolve(RuntimeOrigin::signed(DAVE), job, Verdict::ProviderWrong),
			DispatchError::BadOrigin
		);
		assert_ok!(Compute::resolve(RuntimeOrigin::root(), job, Verdict::ProviderWrong));

		// Collateral 400: 200 to Charlie, 200 to the treasury; Alice gets her 300 back.
		assert_eq!(
			payouts(job),
			vec![
				(Payee::Challenger, CHARLIE, 200),
				(Payee::Treasury, TREASURY, 200),
				(Payee::Requester, ALICE, 300),
			]
		);
		assert_eq!(free(ALICE), alice + 300);
		assert_eq!(free(CHARLIE), charlie + 200);
		assert_eq!(free(TREASURY), treasury + 200);
		let provider = Providers::<Test>::get(BOB).unwrap();
		assert_eq!((provider.bond, provider.locked, provider.active_jobs), (600, 0, 0));
		assert_eq!(held(HoldReason::ProviderBond, BOB) + held(HoldReason::Collateral, BOB), 600);
		let record = Jobs::<Test>::get(job).unwrap();
		assert_eq!(record.state, JobState::Ended(Outcome::ChallengeUpheld));
		assert_eq!(
			record.ruling,
			Some(crate::Ruling { verdict: Verdict::ProviderWrong, by: Arbiter::Root })
		);
		assert_eq!(record.challenge.unwrap().challenger, CHARLIE);
		assert_eq!(record.steps.resolved, Some(30));
		assert!(reports().is_empty(), "nothing settled");
		assert!(events().contains(&Event::ProviderSlashed { job, provider: BOB, amount: 400 }));
		assert!(events().contains(&Event::Resolved {
			job,
			verdict: Verdict::ProviderWrong,
			by: Arbiter::Root,
			provider: BOB,
			challenger: CHARLIE,
		}));
		assert!(events().contains(&Event::JobRefunded {
			job,
			outcome: Outcome::ChallengeUpheld,
			refunded: 300
		}));
	});
}

#[test]
fn a_challenge_rejected_slashes_the_challenger_and_the_job_settles() {
	build_and_execute(|| {
		let job = job_with_result();
		let (bob, charlie, treasury) = (free(BOB), free(CHARLIE), free(TREASURY));
		assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)));
		assert_ok!(Compute::resolve(RuntimeOrigin::root(), job, Verdict::ChallengerWrong));
		assert_eq!(
			payouts(job),
			vec![
				(Payee::Provider, BOB, 150),
				(Payee::Treasury, TREASURY, 150),
				(Payee::Provider, BOB, 180),
				(Payee::ModelOwner, DAVE, 36),
				(ds(1), DATA_POT, 40),
				(ds(2), DATA_POT, 13),
				(Payee::Treasury, TREASURY, 31),
			]
		);
		assert_eq!(free(BOB), bob + 330);
		assert_eq!(free(CHARLIE), charlie - 300);
		assert_eq!(free(TREASURY), treasury + 181);
		assert_eq!(state(job), JobState::Ended(Outcome::Settled));
		assert_eq!(reports().len(), 1);
		assert!(events().contains(&Event::Resolved {
			job,
			verdict: Verdict::ChallengerWrong,
			by: Arbiter::Root,
			provider: BOB,
			challenger: CHARLIE,
		}));
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::JobSettled { job: j, .. } if *j == job)));
	});
}

#[test]
fn challenges_only_in_the_window() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu");
		let job = submit(PRICED, 200);
		assert_noop!(
			Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)),
			Error::<Test>::NoResultToChallenge
		);
		assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), job));
		assert_ok!(Compute::submit_result(RuntimeOrigin::signed(BOB), job, content(2)));
		jump_to_block(1 + CHALLENGE_PERIOD + 1);
		assert_noop!(
			Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)),
			Error::<Test>::ChallengeWindowClosed
		);
		assert_noop!(
			Compute::challenge(RuntimeOrigin::signed(CHARLIE), 77, content(9)),
			Error::<Test>::UnknownJob
		);
	});
}

#[test]
fn accepting_needs_an_open_job_a_fitting_provider_and_a_usable_model() {
	build_and_execute(|| {
		let signed = RuntimeOrigin::signed;
		let job = submit(PRICED, 200);
		assert_noop!(Compute::accept_job(signed(BOB), job), Error::<Test>::UnknownProvider);
		assert_noop!(Compute::accept_job(signed(BOB), 42), Error::<Test>::UnknownJob);
		// Collateral 2 × 200 = 400 > 300 free.
		register(BOB, 300, OPERATOR, "eu");
		assert_noop!(Compute::accept_job(signed(BOB), job), Error::<Test>::InsufficientFreeBond);
		let training_only = JobKinds { training: true, ..Default::default() };
		assert_ok!(Compute::register_provider(
			signed(EVE),
			1_000,
			endpoint(),
			training_only,
			OPERATOR,
			region("eu")
		));
		assert_noop!(Compute::accept_job(signed(EVE), job), Error::<Test>::KindNotOffered);
		assert_ok!(Compute::bond_extra(signed(BOB), 100));
		assert_ok!(Compute::accept_job(signed(BOB), job));
		assert_noop!(Compute::accept_job(signed(BOB), job), Error::<Test>::JobNotOpen);

		// Tainted after submission: refused at acceptance; the requester gets a refund at the
		// deadline (or by cancelling).
		let later = submit(FREE, 10);
		taint(FREE);
		register(CHARLIE, 1_000, OPERATOR, "eu");
		assert_noop!(Compute::accept_job(signed(CHARLIE), later), Error::<Test>::ModelTainted);
		// Past the deadline: refused.
		let late = submit(PRICED, 10);
		jump_to_block(22);
		assert_noop!(Compute::accept_job(signed(CHARLIE), late), Error::<Test>::DeadlinePassed);
		run_to_block(23);
		assert_eq!(state(later), JobState::Ended(Outcome::Unclaimed));
		assert_eq!(payouts(later), vec![(Payee::Requester, ALICE, 10)]);
		assert_eq!(state(late), JobState::Ended(Outcome::Unclaimed));
	});
}

#[test]
fn results_come_from_the_provider_by_the_deadline() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu");
		register(EVE, 1_000, OPERATOR, "eu");
		let signed = RuntimeOrigin::signed;
		let job = submit(PRICED, 200);
		assert_noop!(
			Compute::submit_result(signed(BOB), job, content(2)),
			Error::<Test>::JobNotAccepted
		);
		assert_ok!(Compute::accept_job(signed(BOB), job));
		assert_noop!(
			Compute::submit_result(signed(EVE), job, content(2)),
			Error::<Test>::NotProvider
		);
		jump_to_block(22);
		assert_noop!(
			Compute::submit_result(signed(BOB), job, content(2)),
			Error::<Test>::DeadlinePassed
		);
	});
}

#[test]
fn a_silent_provider_is_slashed_and_the_requester_refunded() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu");
		let job = submit(PRICED, 200);
		assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), job));
		assert_noop!(
			Compute::expire(RuntimeOrigin::signed(CHARLIE), job),
			Error::<Test>::NotExpired
		);
		jump_to_block(22);
		let (alice, treasury) = (free(ALICE), free(TREASURY));
		assert_ok!(Compute::expire(RuntimeOrigin::signed(CHARLIE), job));
		assert_eq!(free(ALICE), alice + 300);
		assert_eq!(free(TREASURY), treasury + 400);
		assert_eq!(
			payouts(job),
			vec![(Payee::Treasury, TREASURY, 400), (Payee::Requester, ALICE, 300)]
		);
		assert_eq!(state(job), JobState::Ended(Outcome::TimedOut));
		assert_noop!(
			Compute::expire(RuntimeOrigin::signed(CHARLIE), job),
			Error::<Test>::NotExpired
		);
	});
}

#[test]
fn the_requester_cancels_an_open_job_for_a_full_refund() {
	build_and_execute(|| {
		let before = free(ALICE);
		let job = submit(PRICED, 200);
		assert_noop!(
			Compute::cancel_job(RuntimeOrigin::signed(BOB), job),
			Error::<Test>::NotRequester
		);
		assert_ok!(Compute::cancel_job(RuntimeOrigin::signed(ALICE), job));
		assert_eq!(free(ALICE), before - RECORD_DEPOSIT);
		assert_eq!(state(job), JobState::Ended(Outcome::Cancelled));
		// One event says it all: the escrow (fee 200 + price 100) went back.
		assert!(events().contains(&Event::JobCancelled { job, requester: ALICE, refunded: 300 }));
		assert!(!events().iter().any(|e| matches!(e, Event::JobRefunded { .. })));
		assert_noop!(
			Compute::cancel_job(RuntimeOrigin::signed(ALICE), job),
			Error::<Test>::JobNotOpen
		);
		// A stale queue entry is skipped when its block comes.
		run_to_block(23);
		assert_eq!(state(job), JobState::Ended(Outcome::Cancelled));
	});
}

#[test]
fn records_are_kept_for_the_retention_period_then_removable() {
	build_and_execute(|| {
		let job = submit(PRICED, 200);
		assert_noop!(
			Compute::remove_record(RuntimeOrigin::signed(ALICE), job),
			Error::<Test>::JobNotEnded
		);
		assert_ok!(Compute::cancel_job(RuntimeOrigin::signed(ALICE), job));
		assert_noop!(
			Compute::remove_record(RuntimeOrigin::signed(ALICE), job),
			Error::<Test>::RecordRetained
		);
		jump_to_block(1 + RETENTION);
		assert_noop!(
			Compute::remove_record(RuntimeOrigin::signed(BOB), job),
			Error::<Test>::NotRequester
		);
		let before = free(ALICE);
		assert_ok!(Compute::remove_record(RuntimeOrigin::signed(ALICE), job));
		assert_eq!(free(ALICE), before + RECORD_DEPOSIT);
		assert!(Jobs::<Test>::get(job).is_none());
		assert_noop!(
			Compute::remove_record(RuntimeOrigin::signed(ALICE), job),
			Error::<Test>::UnknownJob
		);
	});
}

#[test]
fn self_dealing_loses_the_protocol_fee() {
	build_and_execute(|| {
		// Dave owns the model and also requests and provides.
		assert_ok!(Compute::register_provider(
			RuntimeOrigin::signed(DAVE),
			1_000,
			endpoint(),
			JobKinds::ALL,
			DAVE,
			region("eu")
		));
		let before = free(DAVE);
		let job = crate::NextJobId::<Test>::get();
		assert_ok!(Compute::submit_job(
			RuntimeOrigin::signed(DAVE),
			JobKind::Inference,
			PRICED,
			content(1),
			200,
			100,
			21
		));
		assert_ok!(Compute::accept_job(RuntimeOrigin::signed(DAVE), job));
		assert_ok!(Compute::submit_result(RuntimeOrigin::signed(DAVE), job, content(2)));
		run_to_block(1 + CHALLENGE_PERIOD + 1);
		assert_eq!(state(job), JobState::Ended(Outcome::Settled));
		// Paid 300 and the record deposit; got back 180 + 36: the data's 53 and the treasury's 31
		// are lost.
		assert_eq!(free(DAVE), before - 300 - RECORD_DEPOSIT + 180 + 36);
	});
}

#[test]
fn concentration_by_operator_and_region() {
	build_and_execute(|| {
		register(BOB, 600, OPERATOR, "eu");
		register(EVE, 200, OPERATOR, "us");
		register(CHARLIE, 200, OTHER_OPERATOR, "us");
		let c = Compute::concentration();
		assert_eq!(c.bond_by_operator.total, 1_000);
		assert_eq!(
			c.bond_by_operator.largest,
			vec![
				(OPERATOR, Perbill::from_percent(80)),
				(OTHER_OPERATOR, Perbill::from_percent(20))
			]
		);
		// 0.8² + 0.2² = 0.68.
		assert_eq!(c.bond_by_operator.herfindahl, Perbill::from_percent(68));
		assert_eq!(c.bond_by_operator.nakamoto, 1);
		// Regions: eu 600, us 400: one region holds more than half.
		assert_eq!(c.bond_by_region.nakamoto, 1);
		assert_eq!(c.bond_by_region.herfindahl, Perbill::from_percent(52));
		assert_eq!(c.fees_by_operator.total, 0);
		assert_eq!(c.fees_by_operator.nakamoto, 0);

		// Bob earns fees: his operator holds all of them.
		let job = submit(FREE, 50);
		assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), job));
		assert_ok!(Compute::submit_result(RuntimeOrigin::signed(BOB), job, content(2)));
		run_to_block(1 + CHALLENGE_PERIOD + 1);
		let c = Compute::concentration();
		assert_eq!(c.fees_by_operator.total, 45);
		assert_eq!(c.fees_by_operator.herfindahl, Perbill::one());
		assert_eq!(c.fees_by_region.largest, vec![(region("eu"), Perbill::one())]);
		// Bob leaves: his stake no longer counts.
		assert_ok!(Compute::deregister(RuntimeOrigin::signed(BOB)));
		let c = Compute::concentration();
		assert_eq!(c.bond_by_operator.total, 400);
		assert_eq!(c.bond_by_operator.nakamoto, 2);
	});
}

#[test]
fn jobs_are_listed_newest_first_by_party_kind_version_and_dataset() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu");
		register(EVE, 1_000, OTHER_OPERATOR, "us");
		let on_priced = submit(PRICED, 200);
		let on_free = submit(FREE, 50);
		let training = crate::NextJobId::<Test>::get();
		assert_ok!(Compute::submit_job(
			RuntimeOrigin::signed(CHARLIE),
			JobKind::Training,
			FREE,
			content(1),
			30,
			Balance::MAX,
			System::block_number() + 30
		));
		assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), on_free));
		let cancelled = submit(PRICED, 10);
		assert_ok!(Compute::cancel_job(RuntimeOrigin::signed(ALICE), cancelled));
		let list = |filter| {
			let page = Compute::jobs_page(&filter, None, 10);
			assert_eq!(page.next, None);
			page.items.into_iter().map(|(id, _)| id).collect::<Vec<_>>()
		};

		assert_eq!(list(JobFilter::All), vec![cancelled, training, on_free, on_priced]);
		assert_eq!(list(JobFilter::Open(None)), vec![training, on_priced]);
		assert_eq!(list(JobFilter::Open(Some(JobKind::Training))), vec![training]);
		assert_eq!(list(JobFilter::Open(Some(JobKind::Evaluation))), Vec::<JobId>::new());
		assert_eq!(list(JobFilter::Requester(CHARLIE)), vec![training]);
		assert_eq!(list(JobFilter::Requester(ALICE)), vec![cancelled, on_free, on_priced]);
		assert_eq!(list(JobFilter::Provider(BOB)), vec![on_free]);
		assert_eq!(list(JobFilter::Provider(EVE)), Vec::<JobId>::new());
		assert_eq!(list(JobFilter::ModelVersion(FREE)), vec![training, on_free]);
		assert_eq!(list(JobFilter::Dataset(1)), vec![cancelled, on_priced]);
		assert_eq!(list(JobFilter::Dataset(3)), vec![training, on_free]);

		// Pages: the cursor is the last id examined; MaxPageSize (4 here) caps any limit.
		let first = Compute::jobs_page(&JobFilter::All, None, 2);
		assert_eq!(first.next, Some(training));
		let second = Compute::jobs_page(&JobFilter::All, first.next, 2);
		let ids: Vec<JobId> = second.items.iter().map(|(id, _)| *id).collect();
		assert_eq!((ids, second.next), (vec![on_free, on_priced], None));
		submit(FREE, 5);
		assert_eq!(Compute::jobs_page(&JobFilter::All, None, u32::MAX).items.len(), 4);

		// A job past its deadline is no longer offered to providers, though it waits in the
		// queue to be ended.
		jump_to_block(System::block_number() + 25);
		assert_eq!(list(JobFilter::Open(None)), vec![training]);

		let first = Compute::providers_page(None, 1);
		assert!(first.next.is_some());
		let second = Compute::providers_page(first.next, 1);
		assert_eq!(second.next, None);
		let mut providers: Vec<AccountId> =
			first.items.iter().chain(&second.items).map(|(who, _)| *who).collect();
		providers.sort();
		assert_eq!(providers, vec![BOB, EVE]);
		let (who, record) = &second.items[0];
		assert_eq!(Providers::<Test>::get(who).as_ref(), Some(record));
	});
}

#[test]
fn quotes_tell_escrow_deposit_and_collateral() {
	build_and_execute(|| {
		assert_eq!(Compute::quote(PRICED, 200), Some((300, RECORD_DEPOSIT, 400)));
		assert_eq!(Compute::quote(FREE, 10), Some((10, RECORD_DEPOSIT, MIN_COLLATERAL)));
		assert_eq!(Compute::quote(9, 10), None);
	});
}

#[test]
fn a_challenge_nobody_rules_on_lapses_the_job_settles_and_the_bond_pays_the_provider() {
	build_and_execute(|| {
		// The free-work coalition: Alice submits, Charlie (her second account) challenges the
		// result she received, and the arbiter stays silent. Bob publishes the output.
		let job = job_with_result();
		let (alice, bob, charlie, treasury) =
			(free(ALICE), free(BOB), free(CHARLIE), free(TREASURY));
		assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)));
		publish(job);
		let ruling_due = 1 + RESOLUTION_PERIOD;
		assert!(events().contains(&Event::Challenged {
			job,
			challenger: CHARLIE,
			bond: 300,
			ruling_due
		}));
		// Until the period is over nobody can end it; the arbiter can still rule.
		jump_to_block(ruling_due);
		assert_noop!(Compute::expire(RuntimeOrigin::signed(DAVE), job), Error::<Test>::NotExpired);
		// The arbiter stays silent: the queue ends the job the block after.
		run_to_block(ruling_due + 1);
		let record = Jobs::<Test>::get(job).unwrap();
		assert_eq!(record.state, JobState::Ended(Outcome::Lapsed));
		assert_eq!(record.ruling, None);
		assert_eq!(record.queued, None);
		assert_eq!(
			payouts(job),
			vec![
				(Payee::Provider, BOB, 150),
				(Payee::Treasury, TREASURY, 150),
				(Payee::Provider, BOB, 180),
				(Payee::ModelOwner, DAVE, 36),
				(ds(1), DATA_POT, 40),
				(ds(2), DATA_POT, 13),
				(Payee::Treasury, TREASURY, 31),
			]
		);
		// Alice paid for the result she holds; Charlie lost the bond; Bob got his fee as if
		// unchallenged (180) and half the bond on top.
		assert_eq!(free(ALICE), alice);
		assert_eq!(held(HoldReason::Escrow, ALICE), 0);
		assert_eq!(free(CHARLIE), charlie - 300);
		assert_eq!(held(HoldReason::ChallengeBond, CHARLIE), 0);
		assert_eq!(free(BOB), bob + 330);
		assert_eq!(free(TREASURY), treasury + 181);
		assert_eq!(reports().len(), 1);
		assert!(events().contains(&Event::ChallengerSlashed {
			job,
			challenger: CHARLIE,
			amount: 300
		}));
		assert_noop!(
			Compute::resolve(RuntimeOrigin::root(), job, Verdict::ProviderWrong),
			Error::<Test>::NotChallenged
		);
		// Bob's collateral is back in his free bond and he can leave.
		let provider = Providers::<Test>::get(BOB).unwrap();
		assert_eq!((provider.bond, provider.locked, provider.active_jobs), (1_000, 0, 0));
		assert_ok!(Compute::deregister(RuntimeOrigin::signed(BOB)));
	});
}

#[test]
fn the_free_work_coalition_loses_the_bond_and_the_provider_gains_on_being_unchallenged() {
	// The same job twice, unchallenged and challenged by the requester's second account with
	// no ruling: what each side ends with.
	let outcome = |challenged: bool| {
		let mut balances = (0, 0);
		build_and_execute(|| {
			let job = job_with_result();
			let (coalition, bob) = (free(ALICE) + free(CHARLIE), free(BOB));
			if challenged {
				assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)));
				publish(job);
			}
			run_to_block(2 + RESOLUTION_PERIOD);
			assert!(matches!(state(job), JobState::Ended(Outcome::Settled | Outcome::Lapsed)));
			let escrow_paid = 300;
			balances = (
				(free(ALICE) + free(CHARLIE)) as i128 - coalition as i128 - escrow_paid,
				free(BOB) as i128 - bob as i128,
			);
		});
		balances
	};
	let (coalition_plain, bob_plain) = outcome(false);
	let (coalition_challenged, bob_challenged) = outcome(true);
	// Unchallenged, Alice pays the escrow (300) and Bob earns 180.
	assert_eq!((coalition_plain, bob_plain), (-300, 180));
	// Challenged with no ruling, the coalition loses the bond on top, Bob earns more.
	assert_eq!((coalition_challenged, bob_challenged), (-600, 330));
}

#[test]
fn a_challenged_output_nobody_publishes_was_not_delivered_and_the_challenge_is_upheld() {
	build_and_execute(|| {
		// Bob records a result but serves nobody its bytes; Charlie challenges; the arbiter
		// stays silent and Bob never publishes the output.
		let job = job_with_result();
		let (alice, bob, charlie, treasury) =
			(total(ALICE), total(BOB), total(CHARLIE), total(TREASURY));
		assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)));
		assert!(UnpublishedOutputs::<Test>::contains_key(job));
		run_to_block(2 + RESOLUTION_PERIOD);
		let record = Jobs::<Test>::get(job).unwrap();
		assert_eq!(record.state, JobState::Ended(Outcome::ChallengeUpheld));
		assert_eq!(
			record.ruling,
			Some(crate::Ruling { verdict: Verdict::ProviderWrong, by: Arbiter::OutputWithheld })
		);
		// As a ruling against Bob: his collateral (400) half to Charlie, half to the treasury;
		// Alice refunded; Charlie's bond back.
		assert_eq!(
			payouts(job),
			vec![
				(Payee::Challenger, CHARLIE, 200),
				(Payee::Treasury, TREASURY, 200),
				(Payee::Requester, ALICE, 300),
			]
		);
		assert_eq!(total(ALICE), alice);
		assert_eq!(total(BOB), bob - 400);
		assert_eq!(total(CHARLIE), charlie + 200);
		assert_eq!(total(TREASURY), treasury + 200);
		assert_eq!(held(HoldReason::ChallengeBond, CHARLIE), 0);
		assert!(!UnpublishedOutputs::<Test>::contains_key(job));
		assert!(reports().is_empty(), "nothing settled");
		assert!(events().contains(&Event::Resolved {
			job,
			verdict: Verdict::ProviderWrong,
			by: Arbiter::OutputWithheld,
			provider: BOB,
			challenger: CHARLIE,
		}));
	});
}

#[test]
fn a_withheld_output_costs_the_provider_its_collateral_and_publishing_keeps_it_paid() {
	// The same challenged job with a silent arbiter, Bob publishing or not: what he ends with.
	let bob_gains = |publishes: bool| {
		let mut gain = 0;
		build_and_execute(|| {
			let job = job_with_result();
			let bob = total(BOB);
			assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)));
			if publishes {
				publish(job);
			}
			run_to_block(2 + RESOLUTION_PERIOD);
			gain = total(BOB) as i128 - bob as i128;
		});
		gain
	};
	// Published: his fee (180) and half the bond (150). Withheld: the collateral lost.
	assert_eq!((bob_gains(true), bob_gains(false)), (330, -400));
}

#[test]
fn publish_output_takes_only_the_jobs_output_once_while_the_challenge_is_open() {
	build_and_execute(|| {
		let job = job_with_result();
		let publish_by = |who, bytes: &[u8]| {
			Compute::publish_output(RuntimeOrigin::signed(who), job, bounded(bytes))
		};
		assert_noop!(
			Compute::publish_output(RuntimeOrigin::signed(BOB), 99, bounded(OUTPUT)),
			Error::<Test>::UnknownJob
		);
		// Not challenged: nothing awaited.
		assert_noop!(publish_by(BOB, OUTPUT), Error::<Test>::NotChallenged);
		assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)));
		assert_noop!(publish_by(BOB, b"the cat sat on the hat"), Error::<Test>::NotTheJobsContent);
		assert_noop!(publish_by(BOB, &OUTPUT[1..]), Error::<Test>::NotTheJobsContent);
		// Anyone holding the bytes may publish them, for free.
		let info = publish_by(DAVE, OUTPUT).unwrap();
		assert_eq!(info.pays_fee, frame_support::dispatch::Pays::No);
		assert!(events().contains(&Event::OutputPublished { job, by: DAVE }));
		assert_noop!(publish_by(BOB, OUTPUT), Error::<Test>::OutputNotAwaited);
		jump_to_block(2 + RESOLUTION_PERIOD);
		assert_noop!(publish_by(BOB, OUTPUT), Error::<Test>::ResolutionPeriodOver);
		// Published: the challenge lapses.
		assert_ok!(Compute::expire(RuntimeOrigin::signed(DAVE), job));
		assert_eq!(state(job), JobState::Ended(Outcome::Lapsed));
	});
}

#[test]
fn a_result_too_long_to_publish_is_not_awaited_and_its_challenge_lapses() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu-west");
		let job = submit(PRICED, 200);
		assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), job));
		let long = ContentRef::new(H256::repeat_byte(2), b"ipfs://big", MAX_CHECK_BYTES as u64 + 1)
			.unwrap();
		assert_ok!(Compute::submit_result(RuntimeOrigin::signed(BOB), job, long));
		assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)));
		assert!(!UnpublishedOutputs::<Test>::contains_key(job));
		assert_noop!(
			Compute::publish_output(RuntimeOrigin::signed(BOB), job, bounded(OUTPUT)),
			Error::<Test>::OutputNotAwaited
		);
		run_to_block(2 + RESOLUTION_PERIOD);
		assert_eq!(state(job), JobState::Ended(Outcome::Lapsed));
	});
}

#[test]
fn a_late_ruling_is_refused_and_anyone_ends_the_job() {
	build_and_execute(|| {
		let job = job_with_result();
		assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)));
		publish(job);
		jump_to_block(2 + RESOLUTION_PERIOD);
		assert_noop!(
			Compute::resolve(RuntimeOrigin::root(), job, Verdict::ChallengerWrong),
			Error::<Test>::ResolutionPeriodOver
		);
		assert_ok!(Compute::expire(RuntimeOrigin::signed(DAVE), job));
		assert_eq!(state(job), JobState::Ended(Outcome::Lapsed));
		assert_eq!(held(HoldReason::ChallengeBond, CHARLIE), 0);
		assert_eq!(held(HoldReason::Escrow, ALICE), 0);
		assert_eq!(QueueLen::<Test>::get(), 0);
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::JobSettled { job: j, .. } if *j == job)));
		assert!(!events().iter().any(|e| matches!(e, Event::JobRefunded { .. })));
	});
}

#[test]
fn the_challenge_bond_is_the_escrow_and_at_least_the_least_bond() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu");
		// A 10 fee on the free version: escrow 10, below the least bond of 40.
		let cheap = submit(FREE, 10);
		// A 2,000 fee on the priced version: escrow 2,100.
		let dear = submit(PRICED, 2_000);
		register(EVE, 10_000, OPERATOR, "eu");
		for (job, who) in [(cheap, BOB), (dear, EVE)] {
			assert_ok!(Compute::accept_job(RuntimeOrigin::signed(who), job));
			assert_ok!(Compute::submit_result(RuntimeOrigin::signed(who), job, content(2)));
		}
		assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), cheap, content(9)));
		assert_eq!(held(HoldReason::ChallengeBond, CHARLIE), CHALLENGE_BOND);
		assert_ok!(Compute::challenge(RuntimeOrigin::signed(DAVE), dear, content(9)));
		assert_eq!(held(HoldReason::ChallengeBond, DAVE), 2_100);
		assert_eq!(Jobs::<Test>::get(dear).unwrap().challenge.unwrap().bond, 2_100);
		// Who cannot hold the bond cannot challenge.
		let other = submit(PRICED, 200);
		assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), other));
		assert_ok!(Compute::submit_result(RuntimeOrigin::signed(BOB), other, content(2)));
		assert_noop!(
			Compute::challenge(RuntimeOrigin::signed(PAUPER), other, content(9)),
			TokenError::FundsUnavailable
		);
	});
}

/// Locks all of `who`'s balance, free and held, as a conviction vote or a delegation does.
fn freeze_everything(who: AccountId) {
	use frame_support::traits::{LockableCurrency, WithdrawReasons};
	Balances::set_lock(*b"vote/del", &who, Balance::MAX, WithdrawReasons::all());
	assert_eq!(
		Balances::reducible_balance(
			&who,
			frame_support::traits::tokens::Preservation::Expendable,
			frame_support::traits::tokens::Fortitude::Polite
		),
		0
	);
}

#[test]
fn a_provider_that_freezes_its_balance_still_times_out_and_is_slashed() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu");
		let job = submit(PRICED, 200);
		assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), job));
		let (alice, treasury) = (free(ALICE), free(TREASURY));
		freeze_everything(BOB);
		// The deadline passes with no result: the queue ends the job the block after.
		run_to_block(22);
		assert_eq!(state(job), JobState::Ended(Outcome::TimedOut));
		assert_eq!(free(ALICE), alice + 300);
		assert_eq!(free(TREASURY), treasury + 400);
		assert_eq!(held(HoldReason::Collateral, BOB), 0);
		assert_eq!(QueueLen::<Test>::get(), 0);
	});
}

#[test]
fn a_requester_that_freezes_its_balance_still_pays_a_delivered_job() {
	build_and_execute(|| {
		let job = job_with_result();
		let bob = free(BOB);
		freeze_everything(ALICE);
		jump_to_block(1 + CHALLENGE_PERIOD + 1);
		assert_ok!(Compute::finalize(RuntimeOrigin::signed(BOB), job));
		assert_eq!(state(job), JobState::Ended(Outcome::Settled));
		assert_eq!(free(BOB), bob + 180);
		assert_eq!(held(HoldReason::Escrow, ALICE), 0);
		// Bob's collateral is back and he can leave.
		assert_ok!(Compute::deregister(RuntimeOrigin::signed(BOB)));
	});
}

#[test]
fn many_jobs_of_a_frozen_requester_settle_in_their_block_and_never_return_to_the_queue() {
	build_and_execute(|| {
		register(BOB, 50_000, OPERATOR, "eu");
		let jobs: Vec<JobId> = (0..20).map(|_| submit(FREE, 10)).collect();
		for &job in &jobs {
			assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), job));
			assert_ok!(Compute::submit_result(RuntimeOrigin::signed(BOB), job, content(2)));
		}
		freeze_everything(ALICE);
		let honest = {
			let id = crate::NextJobId::<Test>::get();
			assert_ok!(Compute::submit_job(
				RuntimeOrigin::signed(EVE),
				JobKind::Inference,
				FREE,
				content(1),
				10,
				0,
				30
			));
			assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), id));
			assert_ok!(Compute::submit_result(RuntimeOrigin::signed(BOB), id, content(2)));
			id
		};
		run_to_block(1 + CHALLENGE_PERIOD + 1);
		for job in jobs.iter().chain([&honest]) {
			assert_eq!(state(*job), JobState::Ended(Outcome::Settled));
		}
		assert_eq!(QueueLen::<Test>::get(), 0);
		assert_eq!(held(HoldReason::Escrow, ALICE), 0);
	});
}

#[test]
fn a_challenger_that_freezes_its_balance_is_still_ruled_against() {
	build_and_execute(|| {
		let job = job_with_result();
		let bob = free(BOB);
		assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)));
		freeze_everything(CHARLIE);
		assert_ok!(Compute::resolve(RuntimeOrigin::root(), job, Verdict::ChallengerWrong));
		assert_eq!(state(job), JobState::Ended(Outcome::Settled));
		assert_eq!(held(HoldReason::ChallengeBond, CHARLIE), 0);
		assert_eq!(free(BOB), bob + 330);
	});
}

#[test]
fn an_amount_a_payee_cannot_receive_goes_to_the_treasury() {
	build_and_execute(|| {
		// The model's owner is an account that does not exist, and its 36 would leave it below
		// a 50 existential deposit.
		const GONE: AccountId = 50;
		change_version(PRICED, |v| v.owner = GONE);
		let job = job_with_result();
		use frame_support::traits::fungible::Mutate;
		for pot in [TREASURY, DATA_POT] {
			assert_ok!(Balances::mint_into(&pot, 1_000));
		}
		ExistentialDeposit::set(50);
		let treasury = free(TREASURY);
		jump_to_block(1 + CHALLENGE_PERIOD + 1);
		assert_ok!(Compute::finalize(RuntimeOrigin::signed(BOB), job));
		ExistentialDeposit::set(1);
		assert_eq!(state(job), JobState::Ended(Outcome::Settled));
		assert_eq!(free(GONE), 0);
		assert!(payouts(job).contains(&(Payee::Treasury, TREASURY, 36)));
		assert!(!payouts(job).iter().any(|(payee, _, _)| *payee == Payee::ModelOwner));
		assert_eq!(free(TREASURY), treasury + 36 + 31);
	});
}

#[test]
fn a_due_job_that_cannot_end_is_aborted_once_with_every_stake_returned() {
	// Invariants are broken on purpose here, so no try_state.
	new_test_ext().execute_with(|| {
		let job = job_with_result();
		assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), job, content(9)));
		let (alice, bob, charlie) = (free(ALICE), free(BOB), free(CHARLIE));
		// The provider's record disappears: the lapse cannot settle.
		Providers::<Test>::remove(BOB);
		let idle_to = |n: u64| {
			while System::block_number() < n {
				let next = System::block_number() + 1;
				System::set_block_number(next);
				Compute::on_idle(next, Weight::MAX);
			}
		};
		idle_to(2 + RESOLUTION_PERIOD);
		assert_eq!(state(job), JobState::Ended(Outcome::Aborted));
		assert!(events().contains(&Event::JobAborted {
			job,
			error: Error::<Test>::UnknownProvider.into(),
			refunded: 300
		}));
		assert_eq!(
			payouts(job),
			vec![
				(Payee::Requester, ALICE, 300),
				(Payee::Provider, BOB, 400),
				(Payee::Challenger, CHARLIE, 300),
			]
		);
		assert_eq!(free(ALICE), alice + 300);
		assert_eq!(free(BOB), bob + 400);
		assert_eq!(free(CHARLIE), charlie + 300);
		// Processed once: nothing is left in the queue, nothing is retried.
		assert_eq!(QueueLen::<Test>::get(), 0);
		assert_eq!(Jobs::<Test>::get(job).unwrap().queued, None);
		let aborted = events().iter().filter(|e| matches!(e, Event::JobAborted { .. })).count();
		idle_to(10 + RESOLUTION_PERIOD);
		assert_eq!(
			events().iter().filter(|e| matches!(e, Event::JobAborted { .. })).count(),
			aborted
		);
	});
}

#[test]
fn submitting_a_job_pays_a_multiple_of_the_queue_work_it_causes() {
	build_and_execute(|| {
		// The priced version has two datasets.
		let item = <() as crate::WeightInfo>::on_idle_item(2);
		let db = <Test as frame_system::Config>::DbWeight::get();
		let due = crate::Pallet::<Test>::due_work(2);
		assert_eq!(due, (item + db.reads_writes(2, 2)) * 3);
		let call = crate::Call::<Test>::submit_job {
			kind: JobKind::Inference,
			model_version: PRICED,
			input: content(1),
			fee: 10,
			max_price: 1_000,
			deadline: 20,
		};
		assert!(call.get_dispatch_info().call_weight.all_gte(due));
		let post = call.dispatch_bypass_filter(RuntimeOrigin::signed(ALICE)).unwrap();
		assert!(post.actual_weight.unwrap().all_gte(due), "never refunded");
		// Normal calls filling 75% of a block add at most a quarter of a block of queue work.
		let per_job = post.actual_weight.unwrap();
		let block = Weight::from_parts(4_000_000_000_000, u64::MAX);
		let jobs = (block.ref_time() * 3 / 4) / per_job.ref_time();
		assert!(jobs * (item + db.reads_writes(2, 2)).ref_time() <= block.ref_time() / 4);
	});
}

#[test]
fn a_job_keeps_the_terms_it_was_submitted_under() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu");
		let job = submit(PRICED, 200);
		// Governance lengthens the window, shortens the resolution period and lowers the fee.
		InferenceWindow::set(50);
		RulingPeriod::set(2);
		ProtocolFee::set(Perbill::from_percent(5));
		ParamsVersion::set(2);
		assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), job));
		assert_ok!(Compute::submit_result(RuntimeOrigin::signed(BOB), job, content(2)));
		let record = Jobs::<Test>::get(job).unwrap();
		assert_eq!(record.terms.params_version, 1);
		// The window is the 5 blocks in force at submission, not 50.
		assert_eq!(record.queued, Some((1 + CHALLENGE_PERIOD + 1, 0)));
		run_to_block(1 + CHALLENGE_PERIOD + 1);
		// It settled with the 10% fee it was submitted under (30 of 300), not 5%.
		assert_eq!(state(job), JobState::Ended(Outcome::Settled));
		assert_eq!(reports().pop().unwrap().provider, (BOB, 180));

		// A job submitted under 5% settles with 10% if the fee went back up meanwhile: the fee
		// paid is never below the one emission is matched at.
		let cheap = submit(PRICED, 200);
		assert_eq!(Jobs::<Test>::get(cheap).unwrap().terms.resolution_period, 2);
		ProtocolFee::set(Perbill::from_percent(10));
		assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), cheap));
		assert_ok!(Compute::submit_result(RuntimeOrigin::signed(BOB), cheap, content(2)));
		jump_to_block(System::block_number() + 51);
		assert_ok!(Compute::finalize(RuntimeOrigin::signed(BOB), cheap));
		assert_eq!(payouts(cheap).last(), Some(&(Payee::Treasury, TREASURY, 31)));
	});
}

#[test]
fn training_results_get_a_longer_challenge_window_than_inference() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu");
		let training = crate::NextJobId::<Test>::get();
		assert_ok!(Compute::submit_job(
			RuntimeOrigin::signed(ALICE),
			JobKind::Training,
			FREE,
			content(1),
			100,
			0,
			50
		));
		let inference = submit(FREE, 100);
		for job in [training, inference] {
			assert_ok!(Compute::accept_job(RuntimeOrigin::signed(BOB), job));
			assert_ok!(Compute::submit_result(RuntimeOrigin::signed(BOB), job, content(2)));
		}
		assert!(events().contains(&Event::ResultSubmitted {
			job: training,
			result: content(2),
			window_ends: 1 + 4 * CHALLENGE_PERIOD
		}));
		run_to_block(1 + CHALLENGE_PERIOD + 1);
		assert_eq!(state(inference), JobState::Ended(Outcome::Settled));
		assert_eq!(state(training), JobState::ResultSubmitted);
		assert_ok!(Compute::challenge(RuntimeOrigin::signed(CHARLIE), training, content(9)));
	});
}

#[test]
fn a_provider_updates_what_it_declares_without_leaving() {
	build_and_execute(|| {
		register(BOB, 1_000, OPERATOR, "eu");
		register(EVE, 500, OPERATOR, "eu");
		let update = |who, endpoint, kinds, region| {
			Compute::update_provider(RuntimeOrigin::signed(who), endpoint, kinds, region)
		};
		let inference_only = JobKinds { inference: true, ..Default::default() };
		assert_ok!(update(BOB, Some(endpoint()), Some(inference_only), Some(region("us"))));
		let bob = Providers::<Test>::get(BOB).unwrap();
		assert_eq!((bob.kinds, bob.region.clone()), (inference_only, region("us")));
		// Bob's stake moved to the new region; Eve's stays.
		let eu = crate::RegionShares::<Test>::get(region("eu")).unwrap();
		let us = crate::RegionShares::<Test>::get(region("us")).unwrap();
		assert_eq!((eu.bond, eu.providers, us.bond, us.providers), (500, 1, 1_000, 1));
		assert!(events().contains(&Event::ProviderUpdated { provider: BOB, region: region("us") }));
		// Training jobs are no longer his.
		let job = crate::NextJobId::<Test>::get();
		assert_ok!(Compute::submit_job(
			RuntimeOrigin::signed(ALICE),
			JobKind::Training,
			FREE,
			content(1),
			10,
			0,
			20
		));
		assert_noop!(
			Compute::accept_job(RuntimeOrigin::signed(BOB), job),
			Error::<Test>::KindNotOffered
		);
		// Nothing changed is fine; bad input is refused.
		assert_ok!(update(BOB, None, None, None));
		assert_noop!(update(BOB, None, Some(JobKinds::default()), None), Error::<Test>::NoKinds);
		let long = lineage_primitives::Uri::try_from(vec![b'u'; MAX_URI as usize + 1]).unwrap();
		assert_noop!(update(BOB, Some(long), None, None), Error::<Test>::UriTooLong);
		assert_noop!(update(CHARLIE, None, None, None), Error::<Test>::UnknownProvider);
		assert_ok!(Compute::deregister(RuntimeOrigin::signed(EVE)));
		assert_noop!(update(EVE, None, None, Some(region("us"))), Error::<Test>::ProviderLeaving);
	});
}

#[test]
fn a_withdrawal_after_acceptance_confiscates_nothing_from_the_other_contributors() {
	build_and_execute(|| {
		let job = job_with_result();
		// A contributor of dataset 1 withdraws consent after the job was accepted: the version
		// is tainted, the job still settles, and dataset 1 is paid its share as usual (the
		// withdrawer's points are gone, so the others share it).
		withdraw(1);
		run_to_block(1 + CHALLENGE_PERIOD + 1);
		assert_eq!(state(job), JobState::Ended(Outcome::Settled));
		assert_eq!(
			payouts(job),
			vec![
				(Payee::Provider, BOB, 180),
				(Payee::ModelOwner, DAVE, 36),
				(ds(1), DATA_POT, 40),
				(ds(2), DATA_POT, 13),
				(Payee::Treasury, TREASURY, 30 + 1),
			]
		);
		assert_eq!(reports().pop().unwrap().datasets, vec![(snap(1), 40), (snap(2), 13)]);
	});
}

#[test]
fn taken_down_data_earns_nothing_from_a_job_accepted_before_the_takedown() {
	build_and_execute(|| {
		let job = job_with_result();
		// Governance takes dataset 1 down after the job was accepted: its share goes to the
		// treasury.
		take_down(1);
		run_to_block(1 + CHALLENGE_PERIOD + 1);
		assert_eq!(state(job), JobState::Ended(Outcome::Settled));
		assert_eq!(
			payouts(job),
			vec![
				(Payee::Provider, BOB, 180),
				(Payee::ModelOwner, DAVE, 36),
				(ds(2), DATA_POT, 13),
				(Payee::Treasury, TREASURY, 30 + 40 + 1),
			]
		);
		assert_eq!(reports().pop().unwrap().datasets, vec![(snap(2), 13)]);
	});
}

/// The bytes of a reference-workload case (`pallets/reference/fixtures/`): model, input, output.
fn reference_case(name: &str) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
	let read = |part: &str| {
		// The crate's directory when the test runs, not where it was built.
		let here = std::env::var("CARGO_MANIFEST_DIR").unwrap_or(env!("CARGO_MANIFEST_DIR").into());
		let dir = format!("{here}/../reference/fixtures");
		std::fs::read(format!("{dir}/{name}.{part}")).unwrap()
	};
	(read("model"), read("input"), read("output"))
}

fn bounded(
	bytes: &[u8],
) -> frame_support::BoundedVec<u8, frame_support::traits::ConstU32<MAX_CHECK_BYTES>> {
	bytes.to_vec().try_into().unwrap()
}

/// Alice submits a `kind` job (fee 200) on the priced version, whose artifact is `model`, with
/// `input`; Bob accepts it and delivers `output`; Charlie challenges. Returns the job.
fn challenged_reference_job(kind: JobKind, model: &[u8], input: &[u8], output: &[u8]) -> JobId {
	if !Providers::<Test>::contains_key(BOB) {
		register(BOB, 1_000, OPERATOR, "eu-west");
	}
	set_artifact(PRICED, content_of(model).hash);
	let job = crate::NextJobId::<Test>::get();
	let deadline = System::block_number() + 20;
	let signed = RuntimeOrigin::signed;
	assert_ok!(Compute::submit_job(
		signed(ALICE),
		kind,
		PRICED,
		content_of(input),
		200,
		Balance::MAX,
		deadline
	));
	assert_ok!(Compute::accept_job(signed(BOB), job));
	assert_ok!(Compute::submit_result(signed(BOB), job, content_of(output)));
	assert_ok!(Compute::challenge(signed(CHARLIE), job, content(9)));
	job
}

/// Dave, a bystander, hands the chain `job`'s model, input and output.
fn check(job: JobId, model: &[u8], input: &[u8], output: &[u8]) -> DispatchResult {
	Compute::check_result(
		RuntimeOrigin::signed(DAVE),
		job,
		bounded(model),
		bounded(input),
		bounded(output),
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

/// Total of `who`: free and held.
fn total(who: AccountId) -> Balance {
	Balances::total_balance(&who)
}

#[test]
fn a_wrong_result_loses_under_a_silent_arbiter_once_the_chain_re_executes_it() {
	build_and_execute(|| {
		let (model, input, right) = reference_case("order3-sat");
		let wrong = String::from_utf8(right).unwrap().replace("the mat", "the hat").into_bytes();
		let (alice, bob, charlie, treasury) =
			(total(ALICE), total(BOB), total(CHARLIE), total(TREASURY));
		let job = challenged_reference_job(JobKind::Inference, &model, &input, &wrong);
		// Nobody votes. Dave, a bystander, hands the chain the job's bytes.
		assert_ok!(check(job, &model, &input, &wrong));
		let record = Jobs::<Test>::get(job).unwrap();
		assert_eq!(record.state, JobState::Ended(Outcome::ChallengeUpheld));
		assert_eq!(
			record.ruling,
			Some(crate::Ruling { verdict: Verdict::ProviderWrong, by: Arbiter::Reexecution })
		);
		assert!(events().contains(&Event::ResultChecked {
			job,
			by: DAVE,
			verdict: Verdict::ProviderWrong
		}));
		// The collateral (2 × 200) is slashed: half to the challenger, half to the treasury; the
		// requester gets its escrow back and keeps only the record deposit on hold.
		assert_eq!(total(BOB), bob - 400);
		assert_eq!(total(CHARLIE), charlie + 200);
		assert_eq!(total(TREASURY), treasury + 200);
		assert_eq!(total(ALICE), alice);
		assert_eq!(held(HoldReason::ChallengeBond, CHARLIE), 0);
	});
}

#[test]
fn a_right_result_re_executed_stands_and_the_challenge_pays_the_provider() {
	build_and_execute(|| {
		// The free-work coalition: Alice's second account (Charlie) challenges a right result.
		let (model, input, output) = reference_case("order4-ties");
		let (alice, charlie) = (total(ALICE), total(CHARLIE));
		let job = challenged_reference_job(JobKind::Inference, &model, &input, &output);
		let bob = total(BOB);
		assert_ok!(Compute::check_result(
			RuntimeOrigin::signed(BOB),
			job,
			bounded(&model),
			bounded(&input),
			bounded(&output)
		));
		let record = Jobs::<Test>::get(job).unwrap();
		assert_eq!(record.state, JobState::Ended(Outcome::Settled));
		assert_eq!(
			record.ruling,
			Some(crate::Ruling { verdict: Verdict::ChallengerWrong, by: Arbiter::Reexecution })
		);
		the_free_work_coalition_paid_the_provider(alice, bob, charlie);
	});
}

/// Bob is paid the fee (less its part of the protocol fee: 180) and half the challenge bond
/// (300); the coalition (Alice, Charlie) paid the escrow and the bond for a result it could have
/// had for the escrow. The totals before the challenge are given.
fn the_free_work_coalition_paid_the_provider(alice: Balance, bob: Balance, charlie: Balance) {
	assert_eq!(total(BOB), bob + 180 + 150);
	assert_eq!(total(CHARLIE), charlie - 300);
	assert_eq!(total(ALICE), alice - 300);
}

#[test]
fn check_result_refuses_what_it_cannot_check_and_changes_nothing() {
	build_and_execute(|| {
		let (model, input, output) = reference_case("order3-sat");
		let job = challenged_reference_job(JobKind::Inference, &model, &input, &output);
		assert_noop!(check(job + 1, &model, &input, &output), Error::<Test>::UnknownJob);
		// Bytes that are not the job's.
		let other = b"the dog".to_vec();
		assert_noop!(check(job, &other, &input, &output), Error::<Test>::NotTheJobsContent);
		assert_noop!(check(job, &model, &other, &output), Error::<Test>::NotTheJobsContent);
		assert_noop!(check(job, &model, &input, &other), Error::<Test>::NotTheJobsContent);
		// More than `MaxCheckBytes` together.
		let half = vec![b'a'; MAX_CHECK_BYTES as usize / 2 + 1];
		assert_noop!(check(job, &half, &half, &[]), Error::<Test>::CheckTooLarge);
		// Not challenged: a job with a result and no challenge, and the same job once ruled.
		let unchallenged = submit(PRICED, 200);
		assert_noop!(check(unchallenged, &model, &input, &output), Error::<Test>::NotChallenged);
		// After the resolution period the challenge lapses instead.
		jump_to_block(2 + RESOLUTION_PERIOD);
		assert_noop!(check(job, &model, &input, &output), Error::<Test>::ResolutionPeriodOver);
	});
	build_and_execute(|| {
		// What the chain cannot re-execute goes to the arbiter: a prompt with characters it
		// does not read, a model that is not a reference artifact, a training job.
		let (model, _, output) = reference_case("order3-sat");
		let input = "the 猫".as_bytes();
		let job = challenged_reference_job(JobKind::Inference, &model, input, &output);
		assert_noop!(check(job, &model, input, &output), Error::<Test>::NotCheckable);
		assert_ok!(Compute::resolve(RuntimeOrigin::root(), job, Verdict::ChallengerWrong));
		assert_noop!(check(job, &model, input, &output), Error::<Test>::NotChallenged);
		let gguf = b"GGUF weights".to_vec();
		let job = challenged_reference_job(JobKind::Inference, &gguf, b"the cat", &output);
		assert_noop!(check(job, &gguf, b"the cat", &output), Error::<Test>::NotCheckable);
		let (model, input, _) = reference_case("order2-unknown");
		let job = challenged_reference_job(JobKind::Training, &model, &input, b"{}");
		assert_noop!(check(job, &model, &input, b"{}"), Error::<Test>::NotCheckable);
	});
}

#[test]
fn an_evaluation_is_re_executed_a_wrong_score_loses_and_a_right_one_stands() {
	build_and_execute(|| {
		let (model, input, right) = reference_case("eval-order3");
		// A provider that reports a better perplexity than its model has, under a silent arbiter.
		let text = String::from_utf8(right.clone()).unwrap();
		let wrong = text.replace("\"perplexity\":\"4.187751\"", "\"perplexity\":\"3.187751\"");
		assert_ne!(wrong, text);
		let (bob, charlie) = (total(BOB), total(CHARLIE));
		let job = challenged_reference_job(JobKind::Evaluation, &model, &input, wrong.as_bytes());
		assert_ok!(check(job, &model, &input, wrong.as_bytes()));
		let record = Jobs::<Test>::get(job).unwrap();
		assert_eq!(record.state, JobState::Ended(Outcome::ChallengeUpheld));
		assert_eq!(
			record.ruling,
			Some(crate::Ruling { verdict: Verdict::ProviderWrong, by: Arbiter::Reexecution })
		);
		assert_eq!(total(BOB), bob - 400);
		assert_eq!(total(CHARLIE), charlie + 200);
		// The right score stands, and its challenger pays the provider half its bond.
		let (bob, charlie) = (total(BOB), total(CHARLIE));
		let job = challenged_reference_job(JobKind::Evaluation, &model, &input, &right);
		assert_ok!(check(job, &model, &input, &right));
		assert_eq!(state(job), JobState::Ended(Outcome::Settled));
		assert_eq!(total(BOB), bob + 180 + 150);
		assert_eq!(total(CHARLIE), charlie - 300);
		// An evaluation whose counts JavaScript cannot add exactly is left to the arbiter.
		let huge = String::from_utf8(model).unwrap().replacen(
			"[\"the\",\"cat\",3]",
			"[\"the\",\"cat\",9007199254740992]",
			1,
		);
		let job =
			challenged_reference_job(JobKind::Evaluation, huge.as_bytes(), b"the cat", &right);
		assert_noop!(check(job, huge.as_bytes(), b"the cat", &right), Error::<Test>::NotCheckable);
	});
}

#[test]
fn a_prompt_in_greek_cyrillic_or_accented_latin_is_re_executed_too() {
	build_and_execute(|| {
		let (model, input, right) = reference_case("order3-unicode");
		assert!(std::str::from_utf8(&input).unwrap().contains("ΟΔΥΣΣΕΥΣ, Москва"));
		let wrong = String::from_utf8(right.clone()).unwrap().replace("οδυσσευς", "οδυσσευσ");
		let job = challenged_reference_job(JobKind::Inference, &model, &input, wrong.as_bytes());
		assert_ok!(check(job, &model, &input, wrong.as_bytes()));
		assert_eq!(state(job), JobState::Ended(Outcome::ChallengeUpheld));
		let job = challenged_reference_job(JobKind::Inference, &model, &input, &right);
		assert_ok!(check(job, &model, &input, &right));
		assert_eq!(state(job), JobState::Ended(Outcome::Settled));
	});
}

#[test]
fn check_result_weighs_what_it_is_handed() {
	let call = |bytes: usize| crate::Call::<Test>::check_result {
		job: 0,
		model: bounded(&vec![b'a'; bytes]),
		input: bounded(&[]),
		output: bounded(&[]),
	};
	assert!(
		call(MAX_CHECK_BYTES as usize).get_dispatch_info().call_weight.ref_time()
			> call(0).get_dispatch_info().call_weight.ref_time()
	);
}

#[test]
fn check_result_is_charged_for_the_kind_and_ruling_it_gave() {
	build_and_execute(|| {
		let (model, input, output) = reference_case("order3-sat");
		let job = challenged_reference_job(JobKind::Inference, &model, &input, &output);
		let call = crate::Call::<Test>::check_result {
			job,
			model: bounded(&model),
			input: bounded(&input),
			output: bounded(&output),
		};
		let declared = call.get_dispatch_info().call_weight;
		let post = Compute::check_result(
			RuntimeOrigin::signed(DAVE),
			job,
			bounded(&model),
			bounded(&input),
			bounded(&output),
		)
		.unwrap();
		let bytes = (model.len() + input.len() + output.len()) as u32;
		let used = Compute::check_weight(JobKind::Inference, bytes, Verdict::ChallengerWrong);
		assert_eq!(post.actual_weight, Some(used));
		assert!(used.all_lte(declared));
		// The declared weight covers the costliest kind and ruling of those bytes.
		assert_eq!(
			declared,
			Compute::check_weight(JobKind::Evaluation, bytes, Verdict::ChallengerWrong)
				.max(Compute::check_weight(JobKind::Evaluation, bytes, Verdict::ProviderWrong))
				.max(Compute::check_weight(JobKind::Inference, bytes, Verdict::ProviderWrong))
				.max(used)
		);
	});
}

type Fault = TrainingFault<frame_support::traits::ConstU32<MAX_CHECK_BYTES>>;

/// The snapshot the training tests train on: dataset 4's snapshot 2.
const TRAINING_SNAPSHOT: SnapshotRef = SnapshotRef { dataset: 4, version: 2 };

/// The item of contribution 40 (one file), the batch of 41 (two files), and 42, which the
/// snapshot does not hold (accepted after it was taken).
fn training_items() -> [Vec<(&'static str, &'static str)>; 3] {
	[
		vec![("", "The cat sat on the mat.")],
		vec![("b.txt", "On the LOG!"), ("a.txt", "The dog sat")],
		vec![("", "Late words")],
	]
}

/// `files` as `check_training` takes them, in path order, and the hash a record holds for them.
fn item(files: &[(&str, &str)]) -> (H256, Fault) {
	let mut files = files.to_vec();
	files.sort();
	let raw: Vec<(&[u8], &[u8])> =
		files.iter().map(|(p, b)| (p.as_bytes(), b.as_bytes())).collect();
	let hash = H256(lineage_reference::content_hash(&raw).unwrap());
	let files = files
		.iter()
		.map(|(p, b)| crate::ItemFile { path: bounded(p.as_bytes()), bytes: bounded(b.as_bytes()) })
		.collect::<Vec<_>>();
	(hash, Fault::Item { contribution: 0, files: files.try_into().unwrap() })
}

/// Records the snapshot's contributions and returns the training job's input (order 3).
fn training_setup() -> Vec<u8> {
	for (n, files) in training_items().iter().enumerate() {
		let id = 40 + n as u64;
		add_member(TRAINING_SNAPSHOT, id, id != 42, item(files).0);
	}
	lineage_reference::training_input_bytes(lineage_reference::TrainingInput {
		dataset: TRAINING_SNAPSHOT.dataset,
		snapshot: TRAINING_SNAPSHOT.version,
		order: 3,
	})
}

/// The model of order 3 on `documents`.
fn trained(documents: &[(u64, &str)]) -> Vec<u8> {
	lineage_reference::training_artifact(documents, 3).unwrap()
}

/// The right model: contributions 40 and 41, read as training reads them.
fn right_model() -> Vec<u8> {
	trained(&[(40, "the cat sat on the mat"), (41, "the dog sat on the log")])
}

/// The item fault of contribution `id` (40 to 42), with its content.
fn item_fault(id: u64) -> Fault {
	match item(&training_items()[(id - 40) as usize]).1 {
		Fault::Item { files, .. } => Fault::Item { contribution: id, files },
		other => other,
	}
}

/// Bob bonds the collateral of one more job (400), once registered.
fn bond_more() {
	if Providers::<Test>::contains_key(BOB) {
		assert_ok!(Compute::bond_extra(RuntimeOrigin::signed(BOB), 400));
	}
}

/// A challenged training job with `input` whose result is `model`, Bob bonded for it.
fn training_job(input: &[u8], model: &[u8]) -> JobId {
	bond_more();
	challenged_reference_job(JobKind::Training, &[], input, model)
}

/// Dave, a bystander, shows the chain `fault` in challenged training job `job`.
fn check_training(job: JobId, input: &[u8], output: &[u8], fault: Fault) -> DispatchResult {
	Compute::check_training(
		RuntimeOrigin::signed(DAVE),
		job,
		bounded(input),
		bounded(output),
		fault,
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

#[test]
fn a_wrongly_trained_model_loses_to_one_fault_shown_with_no_ruling() {
	build_and_execute(|| {
		let input = training_setup();
		let right = String::from_utf8(right_model()).unwrap();
		let miscounted = right.replacen("[\"cat\",\"sat\",1]", "[\"cat\",\"sat\",2]", 1);
		assert_ne!(miscounted, right);
		let nameless = "{\"corpus\":[{\"id\":\"x\",\"text\":\"a\"}],\"format\":\"lineage-ngram/1\",\"ngrams\":[[\"\",\"a\",1]],\"order\":3}\n";
		let cases: [(&str, Vec<u8>, Fault); 7] = [
			("a count training does not give", miscounted.into_bytes(), Fault::Artifact),
			(
				"a contribution the snapshot holds left out",
				trained(&[(40, "the cat sat on the mat")]),
				Fault::Membership(41),
			),
			(
				"a contribution the snapshot does not hold taken in",
				trained(&[
					(40, "the cat sat on the mat"),
					(41, "the dog sat on the log"),
					(42, "late words"),
				]),
				Fault::Membership(42),
			),
			(
				"a contribution that is not on record taken in",
				trained(&[
					(40, "the cat sat on the mat"),
					(41, "the dog sat on the log"),
					(99, "free words"),
				]),
				Fault::Membership(99),
			),
			("a document that names no contribution", nameless.into(), Fault::Artifact),
			(
				"a batch misread",
				trained(&[(40, "the cat sat on the mat"), (41, "the dog sat on the mat")]),
				item_fault(41),
			),
			(
				"an item read without its words in lower case",
				trained(&[(40, "The cat sat on the mat"), (41, "the dog sat on the log")]),
				item_fault(40),
			),
		];
		for (what, model, fault) in cases {
			let job = training_job(&input, &model);
			let (alice, bob, charlie) = (total(ALICE), total(BOB), total(CHARLIE));
			assert_eq!(check_training(job, &input, &model, fault), Ok(()), "{what}");
			let record = Jobs::<Test>::get(job).unwrap();
			assert_eq!(record.state, JobState::Ended(Outcome::ChallengeUpheld), "{what}");
			assert_eq!(
				record.ruling,
				Some(crate::Ruling { verdict: Verdict::ProviderWrong, by: Arbiter::Reexecution })
			);
			assert!(events().contains(&Event::ResultChecked {
				job,
				by: DAVE,
				verdict: Verdict::ProviderWrong
			}));
			// The collateral (2 × 200) is slashed, half to the challenger; the requester gets
			// its escrow back.
			assert_eq!(total(BOB), bob - 400, "{what}");
			assert_eq!(total(CHARLIE), charlie + 200, "{what}");
			assert_eq!(total(ALICE), alice, "{what}");
		}
		// A model with a fault of its own loses whichever fault is named.
		let job = training_job(&input, b"{}");
		assert_ok!(check_training(job, &input, b"{}", Fault::Membership(40)));
	});
}

#[test]
fn a_rightly_trained_model_shows_no_fault_and_its_challenge_lapses_to_the_provider() {
	build_and_execute(|| {
		// The free-work coalition challenges a model trained right; the arbiter stays silent.
		let input = training_setup();
		let model = right_model();
		let (alice, charlie) = (total(ALICE), total(CHARLIE));
		let job = training_job(&input, &model);
		let bob = total(BOB);
		for fault in [
			Fault::Artifact,
			Fault::Membership(40),
			Fault::Membership(41),
			Fault::Membership(42),
			item_fault(40),
			item_fault(41),
			// Contribution 42 is not in the model: nothing of it to misread.
			item_fault(42),
		] {
			assert_noop!(check_training(job, &input, &model, fault), Error::<Test>::NoFaultShown);
		}
		assert_ok!(Compute::publish_output(RuntimeOrigin::signed(BOB), job, bounded(&model)));
		run_to_block(System::block_number() + RESOLUTION_PERIOD + 1);
		assert_eq!(Jobs::<Test>::get(job).unwrap().state, JobState::Ended(Outcome::Lapsed));
		the_free_work_coalition_paid_the_provider(alice, bob, charlie);
	});
}

#[test]
fn check_training_refuses_what_it_cannot_check_and_changes_nothing() {
	build_and_execute(|| {
		let input = training_setup();
		let model = trained(&[(40, "the cat sat on the mat")]);
		let job = training_job(&input, &model);
		let fault = || Fault::Membership(41);
		assert_noop!(check_training(job + 1, &input, &model, fault()), Error::<Test>::UnknownJob);
		// Bytes that are not the job's: input, output, or an item of another hash.
		let other = b"the dog".to_vec();
		assert_noop!(
			check_training(job, &other, &model, fault()),
			Error::<Test>::NotTheJobsContent
		);
		assert_noop!(
			check_training(job, &input, &other, fault()),
			Error::<Test>::NotTheJobsContent
		);
		let Fault::Item { files, .. } = item_fault(41) else { unreachable!() };
		assert_noop!(
			check_training(job, &input, &model, Fault::Item { contribution: 40, files }),
			Error::<Test>::NotTheJobsContent
		);
		// More than `MaxCheckBytes` together.
		let half = vec![b'a'; MAX_CHECK_BYTES as usize / 2 + 1];
		assert_noop!(check_training(job, &half, &half, fault()), Error::<Test>::CheckTooLarge);
		// A contribution that is not on record is in no snapshot, nor in this model.
		assert_noop!(
			check_training(job, &input, &model, Fault::Membership(99)),
			Error::<Test>::NoFaultShown
		);
		// Not challenged.
		let unchallenged = submit(PRICED, 200);
		assert_noop!(
			check_training(unchallenged, &input, &model, fault()),
			Error::<Test>::NotChallenged
		);
		jump_to_block(2 + RESOLUTION_PERIOD);
		assert_noop!(
			check_training(job, &input, &model, fault()),
			Error::<Test>::ResolutionPeriodOver
		);
	});
	build_and_execute(|| {
		// What the chain does not check goes to the arbiter: another kind of job, an input
		// that is not a training input, an item with characters the chain does not read.
		let input = training_setup();
		let model = right_model();
		let job = {
			bond_more();
			challenged_reference_job(JobKind::Inference, &[], &input, &model)
		};
		assert_noop!(
			check_training(job, &input, &model, Fault::Artifact),
			Error::<Test>::NotCheckable
		);
		let job = training_job(b"train well", &model);
		assert_noop!(
			check_training(job, b"train well", &model, Fault::Artifact),
			Error::<Test>::NotCheckable
		);
		// A snapshot that is not on record.
		let elsewhere = lineage_reference::training_input_bytes(lineage_reference::TrainingInput {
			dataset: 5,
			snapshot: 1,
			order: 3,
		});
		let job = training_job(&elsewhere, &model);
		assert_noop!(
			check_training(job, &elsewhere, &model, Fault::Membership(40)),
			Error::<Test>::NotCheckable
		);
		let (hash, Fault::Item { files, .. }) = item(&[("", "猫 sat")]) else { unreachable!() };
		add_member(TRAINING_SNAPSHOT, 43, true, hash);
		let model =
			trained(&[(40, "the cat sat on the mat"), (41, "the dog sat on the log"), (43, "sat")]);
		let job = training_job(&input, &model);
		assert_noop!(
			check_training(job, &input, &model, Fault::Item { contribution: 43, files }),
			Error::<Test>::NotCheckable
		);
	});
}
