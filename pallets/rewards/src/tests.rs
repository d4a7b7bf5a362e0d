//! Behaviour of pallet-rewards: emission against a hand-computed table (demand-bound with the
//! bootstrap rate and the pool rate cap, schedule-bound, cap), exact claims, points changes,
//! datasets without points, self-dealing with a thin pool, parameters and every error path.

use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use lineage_primitives::{PointsSink, SnapshotRef};
use sp_runtime::{traits::Zero, FixedPointNumber, Perbill};

use crate::{
	mock::*, Bound, CurrentEra, Eras, Error, Event, OpenCohort, PointsTree, PoolAmounts,
	TotalMinted, Unshared, UnsharedRevenue,
};

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

/// `who` gains `points` in `dataset`, held from snapshot 1 on (taken at once).
fn add(dataset: u32, who: AccountId, points: u64) {
	Rewards::points_added(dataset, &who, 1, points);
	Rewards::snapshot_taken(dataset, 1);
}

/// `who` withdraws `points` of `dataset`'s snapshot-1 cohort.
fn remove(dataset: u32, who: AccountId, points: u64) {
	Rewards::points_removed(dataset, &who, 1, points);
}

/// What `who`'s claim of its snapshot-1 cohort in `dataset` pays.
fn claim(who: AccountId, dataset: u32) -> Balance {
	claim_from(who, dataset, 1)
}

fn claim_from(who: AccountId, dataset: u32, first_snapshot: u32) -> Balance {
	let before = free(who);
	assert_ok!(Rewards::claim(RuntimeOrigin::signed(who), dataset, first_snapshot));
	free(who) - before
}

fn snapshot(dataset: u32, version: u32) -> SnapshotRef {
	SnapshotRef { dataset, version }
}

fn claim_account(who: AccountId) -> Balance {
	let before = free(who);
	assert_ok!(Rewards::claim_account(RuntimeOrigin::signed(who)));
	free(who) - before
}

#[test]
fn emission_follows_the_hand_computed_table() {
	build_and_execute(|| {
		let issuance = Balances::total_issuance();
		add(1, ALICE, 100);
		// Era 0: 20,000 paid. Era 1 matches at α 5% + bootstrap 4% × 3/4 = 8%: a budget of
		// 1,600, of which the data pool may take 8% × 2,000 and the model pool 8% × 1,000; the
		// compute pool's share (480) is under 8% × 15,000.
		settle(20_000, 1, 2_000, 1_000, 15_000);
		next_era();
		// Era 1: nothing paid, nothing minted.
		next_era();
		// Era 2: 400,000 paid: 6% of it is over schedule(3) = 10,000 / 2: schedule-bound.
		settle(400_000, 1, 40_000, 20_000, 300_000);
		next_era();
		// Era 3: the same at 5%; schedule(4) = 2,500 but only 2,120 remain under the 8,000 cap.
		settle(400_000, 1, 40_000, 20_000, 300_000);
		next_era();
		// Era 4: the same; the cap is reached, nothing is minted.
		settle(400_000, 1, 40_000, 20_000, 300_000);
		next_era();

		let pct = Perbill::from_percent;
		let table: Vec<_> = (0..5)
			.map(|e| {
				let s = Eras::<Test>::get(e).unwrap();
				(e, s.schedule, s.alpha, s.demand, s.minted, s.held_back, s.bound)
			})
			.collect();
		let held = |data, models, compute| PoolAmounts { data, models, compute };
		assert_eq!(
			table,
			vec![
				(0, 10_000, pct(8), 1_600, 880, held(480, 240, 0), Some(Bound::Demand)),
				(1, 5_000, pct(7), 0, 0, held(0, 0, 0), None),
				(2, 5_000, pct(6), 24_000, 5_000, held(0, 0, 0), Some(Bound::Schedule)),
				(3, 2_500, pct(5), 20_000, 2_120, held(0, 0, 0), Some(Bound::Cap)),
				(4, 2_500, pct(5), 20_000, 0, held(0, 0, 0), Some(Bound::Cap)),
			]
		);
		assert_eq!(TotalMinted::<Test>::get(), CAP);
		// Issuance grew by exactly what was minted (the data shares moved, they were not minted).
		assert_eq!(Balances::total_issuance(), issuance + CAP);
		assert_eq!(Rewards::supply(), (CAP, CAP));
		// The treasury got its 10% of each budget: 160 + 500 + 212.
		assert_eq!(free(TREASURY), 1 + 872);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Rewards(Event::NewEra {
				era: 1,
				fees_paid: 20_000,
				alpha: pct(8),
				demand: 1_600,
				schedule: 10_000,
				minted: 880,
				treasury: 160,
				held_back: 720,
				bound: Some(Bound::Demand)
			})));
	});
}

#[test]
fn claims_pay_exactly_by_usage_and_points() {
	build_and_execute(|| {
		add(1, ALICE, 100);
		add(1, BOB, 300);
		settle(20_000, 1, 2_000, 1_000, 15_000);
		// Revenue waits for the era's end, to be shared with its emission by the same points.
		assert_eq!(Rewards::pending_in(&ALICE, 1, 1), (0, 0));
		assert_noop!(
			Rewards::claim(RuntimeOrigin::signed(ALICE), 1, 1),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(
			Rewards::claim_account(RuntimeOrigin::signed(OWNER)),
			Error::<Test>::NothingToClaim
		);
		next_era();
		// 2,000 / 400 = 5 revenue per point; the data pool, 8% × 2,000 = 160: 0.4 per point.
		let pending = Rewards::pending(&ALICE, None, 10);
		assert_eq!(pending.datasets, vec![(1, 1, 500 + 40, 40)]);
		assert_eq!(claim(ALICE, 1), 540);
		assert_eq!(claim(BOB, 1), 1_500 + 120);
		// Each earns exactly 8% of its revenue: the model pool 8% × 1,000; the compute pool's
		// share of the budget, 480, is under 8% × 15,000.
		assert_eq!(Rewards::pending(&OWNER, None, 10).account, 80);
		assert_eq!(claim_account(OWNER), 80);
		assert_eq!(claim_account(PROVIDER), 480);
		assert_noop!(
			Rewards::claim(RuntimeOrigin::signed(ALICE), 1, 1),
			Error::<Test>::NothingToClaim
		);
		// What stays in the pot is its existential deposit.
		assert_eq!(free(Rewards::pot()), 1);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Rewards(Event::Claimed {
				who: ALICE,
				dataset: 1,
				first_snapshot: 1,
				amount: 540,
				emission: 40
			})));
	});
}

#[test]
fn a_withdrawal_forfeits_the_withdrawers_share_and_nobody_elses() {
	build_and_execute(|| {
		add(1, ALICE, 100);
		add(1, BOB, 100);
		settle(10_000, 1, 1_000, 0, 0);
		// Bob withdraws consent before the era ends: his half of the job's revenue, which waits
		// for the era's end, goes to the treasury with its emission; Alice's half stays hers.
		remove(1, BOB, 100);
		assert!(
			crate::Positions::<Test>::get(BOB, (1, 1)).is_none(),
			"an empty position is dropped"
		);
		assert_eq!(UnsharedRevenue::<Test>::get(), 500);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Rewards(Event::Forfeited {
				who: BOB,
				dataset: 1,
				first_snapshot: 1,
				amount: 500
			})));
		let treasury = free(TREASURY);
		next_era();
		// 8% of 10,000 = 800 budget; the data pool's 320 share is capped at 8% × 1,000: 80, 40
		// of it backing Bob's forfeited half. The treasury also gets its 10% of the budget.
		assert_eq!(free(TREASURY), treasury + 500 + 40 + 80);
		assert_eq!(claim(ALICE, 1), 500 + 40);
		assert_noop!(Rewards::claim(RuntimeOrigin::signed(BOB), 1, 1), Error::<Test>::NoPosition);

		// Era 1: Bob is back with an item first held by snapshot 2; a job on snapshot 2 pays
		// the dataset, half and half.
		Rewards::points_added(1, &BOB, 2, 100);
		Rewards::snapshot_taken(1, 2);
		settle_as(REQUESTER, OWNER, PROVIDER, 10_000, snapshot(1, 2), 1_000, 0, 0);
		next_era();
		// A withdrawal after the era's end settles it first, then forfeits the unclaimed
		// rewards of the withdrawn points: Bob's 535 go to the treasury.
		assert_eq!(Rewards::pending_in(&BOB, 1, 2), (535, 35));
		Rewards::points_removed(1, &BOB, 2, 100);
		assert_eq!(Unshared::<Test>::get(), 535);
		assert_eq!(claim(ALICE, 1), 535);
		assert!(crate::Positions::<Test>::get(BOB, (1, 2)).is_none());
		let treasury = free(TREASURY);
		next_era();
		assert_eq!(free(TREASURY), treasury + 535);
	});
}

#[test]
fn a_dataset_without_points_sends_its_revenue_to_the_treasury() {
	build_and_execute(|| {
		settle(10_000, 7, 1_000, 0, 0);
		// Nobody holds points in the snapshot the job used: the revenue and its emission (8% ×
		// 1,000) go to the treasury, never to a later contributor.
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Rewards(Event::RevenueUnshared {
				dataset: 7,
				snapshot: 1,
				revenue: 1_000
			})));
		add(7, ALICE, 10);
		let before = free(TREASURY);
		next_era();
		// Its 10% of the 800 budget, and the unshared revenue with its emission.
		assert_eq!(free(TREASURY), before + 80 + 1_080);
		assert_eq!(UnsharedRevenue::<Test>::get(), 0);
		assert!(System::events().iter().any(
			|r| r.event == RuntimeEvent::Rewards(Event::UnsharedPaid { era: 0, amount: 1_080 })
		));
		assert_noop!(
			Rewards::claim(RuntimeOrigin::signed(ALICE), 7, 1),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn a_contributor_earns_emission_only_on_revenue_it_received() {
	build_and_execute(|| {
		// Bob holds a billion points in a dataset nobody pays for; Alice one point where a
		// requester paid. Points never draw emission across datasets.
		add(2, BOB, 1_000_000_000);
		add(1, ALICE, 1);
		settle(20_000, 1, 2_000, 1_000, 15_000);
		next_era();
		assert_noop!(
			Rewards::claim(RuntimeOrigin::signed(BOB), 2, 1),
			Error::<Test>::NothingToClaim
		);
		assert_eq!(claim(ALICE, 1), 2_000 + 160);
	});
}

#[test]
fn each_pool_is_capped_at_alpha_per_unit_of_its_fees() {
	build_and_execute(|| {
		add(1, ALICE, 100);
		// Honest users pay mostly for compute: 10,000 on an unpriced model.
		pay_job(REQUESTER, OWNER, PROVIDER, 10_000, 10_000, 0, Perbill::zero());
		// A small priced job: 1,010 escrow, 10 fee, 1,000 price; 60% to the builder.
		pay_job(REQUESTER, OWNER, PROVIDER, 1_010, 10, 1, Perbill::from_percent(60));
		next_era();
		let summary = Eras::<Test>::get(0).unwrap();
		let alpha = sp_runtime::FixedU128::from_perbill(summary.alpha);
		assert_eq!(summary.alpha, Perbill::from_percent(8));
		for rate in [summary.data_rate, summary.model_rate, summary.compute_rate] {
			assert!(rate <= alpha, "a pool's rate {rate:?} exceeds α {alpha:?}");
		}
		// Fees: data 360, models 540, compute 9,009 of 11,010 paid; budget 8% = 880. The data
		// and model shares (352, 176) are capped at 8% of their fees (28, 43).
		assert_eq!(
			(summary.demand, summary.held_back),
			(880, PoolAmounts { data: 352 - 28, models: 176 - 43, compute: 0 })
		);
		assert_eq!(Rewards::last_era().unwrap().1.held_back, summary.held_back);
	});
}

#[test]
fn self_dealing_never_pays_with_a_thin_pool() {
	build_and_execute(|| {
		// Alice owns the model and is the dataset's only contributor; Bob is her provider.
		add(1, ALICE, 100);
		let coalition = || free(ALICE) + free(BOB);
		for era in 0..4 {
			let start = coalition();
			// Honest users pay 10,000 of compute into the era (the thin-pool case): the model
			// and data pools have a large share of the budget and few fees.
			pay_job(REQUESTER, OWNER, PROVIDER, 10_000, 10_000, 0, Perbill::zero());
			// The coalition buys a priced job from itself: 1,010 escrow, 101 protocol fee.
			pay_job(ALICE, ALICE, BOB, 1_010, 10, 1, Perbill::from_percent(60));
			next_era();
			let summary = Eras::<Test>::get(era).unwrap();
			let emission = Rewards::pending_in(&ALICE, 1, 1).1
				+ Rewards::pending(&ALICE, None, 10).account
				+ Rewards::pending(&BOB, None, 10).account;
			// Its revenue came back (909 of 1,010); its emission is at most α of it.
			assert!(emission <= summary.alpha.mul_floor(909u128), "era {era}: {emission}");
			let _ = Rewards::claim(RuntimeOrigin::signed(ALICE), 1, 1);
			let _ = Rewards::claim_account(RuntimeOrigin::signed(ALICE));
			let _ = Rewards::claim_account(RuntimeOrigin::signed(BOB));
			assert!(coalition() < start, "era {era}: self-dealing paid");
			assert!(start - coalition() >= 101 - emission, "era {era}: lost the fee less emission");
		}
	});
}

#[test]
fn claims_of_unknown_datasets_and_empty_accounts_fail() {
	build_and_execute(|| {
		assert_noop!(
			Rewards::claim(RuntimeOrigin::signed(ALICE), 42, 1),
			Error::<Test>::NoPosition
		);
		add(1, ALICE, 100);
		assert_noop!(
			Rewards::claim(RuntimeOrigin::signed(ALICE), 1, 1),
			Error::<Test>::NothingToClaim
		);
		// Alice's points are first held by snapshot 1, not 2.
		assert_noop!(Rewards::claim(RuntimeOrigin::signed(ALICE), 1, 2), Error::<Test>::NoPosition);
		assert_noop!(Rewards::claim(RuntimeOrigin::signed(BOB), 1, 1), Error::<Test>::NoPosition);
		assert_noop!(
			Rewards::claim_account(RuntimeOrigin::signed(BOB)),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn the_runtime_api_reports_eras_supply_and_a_projection() {
	build_and_execute(|| {
		assert_eq!(Rewards::era().index, 0);
		assert!(Rewards::last_era().is_none());
		settle(20_000, 1, 2_000, 1_000, 15_000);
		assert_eq!(Rewards::era().fees.paid, 20_000);
		next_era();
		let era = Rewards::era();
		assert_eq!((era.index, era.start, era.length, era.fees.paid), (1, ERA, ERA, 0));
		let (index, last) = Rewards::last_era().unwrap();
		assert_eq!((index, last.fees.paid, last.bound), (0, 20_000, Some(Bound::Demand)));
		assert_eq!(Rewards::supply(), (880, CAP));
		let pct = Perbill::from_percent;
		assert_eq!(
			Rewards::projection(4),
			vec![(2, 5_000, pct(7)), (3, 5_000, pct(6)), (4, 2_500, pct(5)), (5, 2_500, pct(5))]
		);
		assert_eq!(Rewards::projection(1_000).len(), 10, "bounded by MaxPageSize");
		assert_eq!(CurrentEra::<Test>::get(), 1);
	});
}

#[test]
fn ended_eras_are_listed_oldest_first_with_their_summaries() {
	build_and_execute(|| {
		assert_eq!(
			Rewards::eras_page(None, 5),
			lineage_primitives::Page { items: vec![], next: None }
		);
		for paid in [20_000, 0, 4_000] {
			if paid > 0 {
				settle(paid, 1, paid / 10, paid / 20, paid - paid / 10 - paid / 20);
			}
			next_era();
		}
		let first = Rewards::eras_page(None, 2);
		let eras: Vec<_> = first.items.iter().map(|(e, s)| (*e, s.fees.paid)).collect();
		assert_eq!((eras, first.next), (vec![(0, 20_000), (1, 0)], Some(1)));
		let rest = Rewards::eras_page(first.next, 2);
		assert_eq!(rest.items.len(), 1);
		assert_eq!((rest.items[0].0, rest.next), (2, None));
		assert_eq!(rest.items[0].1, Eras::<Test>::get(2).unwrap());
		// The current era has not ended: it is not listed.
		assert_eq!(Rewards::eras_page(Some(2), 5).items, vec![]);
	});
}

#[test]
fn the_pot_keeps_what_is_claimable_even_after_a_cap() {
	build_and_execute(|| {
		MaxSupply::set(100);
		add(1, ALICE, 3);
		settle(1_000_000, 1, 700, 0, 0);
		next_era();
		// Capped at 100: 40 for the data pool (under 8% × 700) and 10 for the treasury; the
		// model and compute pools saw no fees and hold their shares back.
		let summary = Eras::<Test>::get(0).unwrap();
		assert_eq!((summary.minted, summary.bound), (50, Some(Bound::Cap)));
		assert_eq!(summary.held_back, PoolAmounts { data: 0, models: 20, compute: 30 });
		assert_eq!(TotalMinted::<Test>::get(), 50);
		let pot = Rewards::pot();
		// Claimable never exceeds the pot (also checked by the invariants after every block).
		assert!(free(pot) >= Rewards::pending_in(&ALICE, 1, 1).0);
		// 3 points × (700 + 40) / 3 per point, each part rounded down.
		assert_eq!(claim(ALICE, 1), 699 + 39);
	});
}

#[test]
fn a_failed_mint_is_recorded_and_promises_nothing() {
	build_and_execute(|| {
		add(1, ALICE, 1);
		settle(20_000, 1, 2_000, 1_000, 15_000);
		// Issuance at its limit: any mint overflows.
		let issuance = Balances::total_issuance();
		pallet_balances::TotalIssuance::<Test>::put(Balance::MAX);
		next_era();
		pallet_balances::TotalIssuance::<Test>::put(issuance);

		let era = Eras::<Test>::get(0).unwrap();
		assert_eq!((era.minted, era.treasury), (0, 0));
		assert!(era.data_rate.is_zero() && era.model_rate.is_zero() && era.compute_rate.is_zero());
		assert_eq!(TotalMinted::<Test>::get(), 0);
		assert_eq!(Balances::total_issuance(), issuance);
		let failed = System::events()
			.iter()
			.filter(|r| matches!(r.event, RuntimeEvent::Rewards(Event::MintFailed { era: 0, .. })))
			.count();
		assert_eq!(failed, 2, "the pot's and the treasury's");
		// The revenue users paid is still shared; no emission was promised.
		assert_eq!(claim(ALICE, 1), 2_000);
		assert_noop!(
			Rewards::claim_account(RuntimeOrigin::signed(PROVIDER)),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn late_contributions_never_earn_from_jobs_on_earlier_snapshots() {
	build_and_execute(|| {
		// Alice's item is in snapshot 1. After it was taken, Mallory adds ten items: they are
		// first held by snapshot 2.
		Rewards::points_added(1, &ALICE, 1, 50);
		Rewards::snapshot_taken(1, 1);
		Rewards::points_added(1, &BOB, 2, 500);
		// Until snapshot 2 is taken, Mallory's points are in nobody's snapshot.
		assert_eq!(Rewards::live_points(1, 1), 50);
		pay_snapshot(snapshot(1, 1), 4_000);
		Rewards::snapshot_taken(1, 2);
		// Another job on snapshot 1 pays the dataset 500: all of it is Alice's too.
		pay_snapshot(snapshot(1, 1), 500);
		// A job on snapshot 2 pays 1,100: shared by both cohorts, 50 : 500.
		pay_snapshot(snapshot(1, 2), 1_100);
		next_era();
		let (alice, alice_emission) = Rewards::pending_in(&ALICE, 1, 1);
		let (bob, bob_emission) = Rewards::pending_in(&BOB, 1, 2);
		assert_eq!((alice - alice_emission, bob - bob_emission), (4_500 + 100, 1_000));
		// The emission follows the revenue, per position.
		let rate = Eras::<Test>::get(0).unwrap().data_rate;
		assert_eq!(alice_emission, rate.saturating_mul_int(4_600u128));
		assert_eq!(bob_emission, rate.saturating_mul_int(1_000u128));
		assert_eq!(claim_from(BOB, 1, 2), bob);
		assert_eq!(claim(ALICE, 1), alice);
		let listed = Rewards::pending(&BOB, None, 10);
		assert!(listed.datasets.is_empty() || listed.datasets[0].2 == 0);
	});
}

#[test]
fn a_rival_who_contributes_once_and_withdraws_loses_only_its_own_share() {
	build_and_execute(|| {
		add(1, ALICE, 100);
		add(1, BOB, 1);
		// Two eras of jobs on snapshot 1; Bob claims nothing.
		pay_snapshot(snapshot(1, 1), 10_100);
		next_era();
		pay_snapshot(snapshot(1, 1), 10_100);
		let alice_before = Rewards::pending_in(&ALICE, 1, 1);
		// Bob withdraws: its unclaimed 100 (and its emission) and its 100 of the current era are
		// forfeited; Alice's share of both eras is untouched.
		remove(1, BOB, 1);
		assert_eq!(Rewards::pending_in(&ALICE, 1, 1), alice_before);
		next_era();
		let (alice, emission) = Rewards::pending_in(&ALICE, 1, 1);
		assert_eq!(alice - emission, 20_000);
		// Later jobs on the snapshot are Alice's alone.
		pay_snapshot(snapshot(1, 1), 1_000);
		next_era();
		let (later, later_emission) = Rewards::pending_in(&ALICE, 1, 1);
		assert_eq!(later - later_emission - (alice - emission), 1_000);
	});
}

#[test]
fn the_open_cohort_stays_out_of_the_points_tree_until_its_snapshot() {
	build_and_execute(|| {
		add(1, ALICE, 100);
		let nodes = || PointsTree::<Test>::iter_prefix(1).count();
		let tree = nodes();
		// Contributions after snapshot 1 change one entry, not the tree's nodes.
		Rewards::points_added(1, &BOB, 2, 30);
		Rewards::points_added(1, &OWNER, 2, 20);
		assert_eq!(OpenCohort::<Test>::get(1), Some((2, 50)));
		assert_eq!(nodes(), tree);
		assert_eq!(Rewards::cohort_points(1, 2), 50);
		assert_eq!(Rewards::live_points(1, 1), 100);
		assert_eq!(Rewards::dataset_points(1), 150);
		// A withdrawal from the open cohort takes from that entry; the last one removes it.
		Rewards::points_removed(1, &OWNER, 2, 20);
		assert_eq!(OpenCohort::<Test>::get(1), Some((2, 30)));
		assert_eq!(nodes(), tree);
		// Snapshot 2 folds it in: it holds both cohorts.
		Rewards::snapshot_taken(1, 2);
		assert_eq!(OpenCohort::<Test>::get(1), None);
		assert_eq!(Rewards::live_points(1, 2), 130);
		assert_eq!(Rewards::cohort_points(1, 2), 30);
		// A snapshot with nothing added since the last one changes nothing.
		Rewards::snapshot_taken(1, 3);
		assert_eq!(Rewards::live_points(1, 3), 130);
		Rewards::points_removed(1, &BOB, 2, 30);
		assert_eq!(Rewards::dataset_points(1), 100);
		assert_eq!(OpenCohort::<Test>::get(1), None);
	});
}

#[test]
fn an_open_cohort_of_an_untold_snapshot_is_folded_in_before_the_next_one() {
	build_and_execute(|| {
		// Points first held by snapshot 1, then by 2 with no word of snapshot 1 in between:
		// cohort 1 goes into the tree as the new open cohort starts.
		Rewards::points_added(1, &ALICE, 1, 40);
		Rewards::points_added(1, &BOB, 2, 60);
		assert_eq!(OpenCohort::<Test>::get(1), Some((2, 60)));
		assert_eq!(Rewards::live_points(1, 1), 40);
		assert_eq!(Rewards::cohort_points(1, 1), 40);
		assert_eq!(Rewards::dataset_points(1), 100);
	});
}

/// A deterministic stream of numbers for the property test.
struct Lcg(u64);

impl Lcg {
	fn below(&mut self, n: u64) -> u64 {
		self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
		(self.0 >> 33) % n.max(1)
	}
}

#[test]
fn revenue_goes_exactly_to_the_points_of_the_snapshot_a_job_used() {
	// Random contributions, snapshots, jobs on random snapshots, withdrawals and era ends,
	// against a model that shares each job's revenue by the points live in its snapshot. No
	// contribution made after a snapshot ever earns from a job on it.
	for seed in 0..25u64 {
		build_and_execute(|| {
			let mut rng = Lcg(seed);
			let accounts = [ALICE, BOB, OWNER, PROVIDER];
			let mut latest: u32 = 0;
			// (who, first snapshot, points, withdrawn)
			let mut contributions: Vec<(AccountId, u32, u64, bool)> = Vec::new();
			// Revenue each position should have received, and what was paid in all.
			let mut expected: std::collections::BTreeMap<(AccountId, u32), f64> =
				Default::default();
			let mut paid: Balance = 0;
			let mut ops = 0u64;
			for _ in 0..120 {
				ops += 1;
				match rng.below(10) {
					0..=2 => {
						let who = accounts[rng.below(4) as usize];
						let points = 1 + rng.below(300);
						let first = latest + 1;
						Rewards::points_added(1, &who, first, points);
						contributions.push((who, first, points, false));
					},
					3 => {
						latest += 1;
						Rewards::snapshot_taken(1, latest);
					},
					4..=6 if latest > 0 => {
						let version = 1 + rng.below(latest as u64) as u32;
						let amount = 1 + rng.below(100_000) as Balance;
						let live: u64 = contributions
							.iter()
							.filter(|c| c.1 <= version && !c.3)
							.map(|c| c.2)
							.sum();
						pay_snapshot(snapshot(1, version), amount);
						paid += amount;
						if live > 0 {
							for c in contributions.iter().filter(|c| c.1 <= version && !c.3) {
								*expected.entry((c.0, c.1)).or_default() +=
									amount as f64 * c.2 as f64 / live as f64;
							}
						}
					},
					7 => {
						let live: Vec<usize> =
							(0..contributions.len()).filter(|&i| !contributions[i].3).collect();
						if live.is_empty() {
							continue;
						}
						let i = live[rng.below(live.len() as u64) as usize];
						let (who, first, points, _) = contributions[i];
						let held: u64 = contributions
							.iter()
							.filter(|c| c.0 == who && c.1 == first && !c.3)
							.map(|c| c.2)
							.sum();
						Rewards::points_removed(1, &who, first, points);
						contributions[i].3 = true;
						// The withdrawn points' part of the position's rewards is forfeited.
						if let Some(e) = expected.get_mut(&(who, first)) {
							*e *= (held - points) as f64 / held as f64;
						}
					},
					_ => next_era(),
				}
			}
			next_era();
			let mut received: Balance = 0;
			for ((who, first), want) in &expected {
				let (amount, emission) = Rewards::pending_in(who, 1, *first);
				let got = amount - emission;
				received += got;
				assert!(
					(got as f64 - want).abs() <= ops as f64 + 1.0,
					"seed {seed}: {who} from {first} got {got}, expected {want}"
				);
			}
			// Cohorts that earned nothing in the model earn nothing on chain.
			for (who, first, ..) in &contributions {
				if !expected.contains_key(&(*who, *first)) {
					assert_eq!(Rewards::pending_in(who, 1, *first), (0, 0), "seed {seed}");
				}
			}
			assert!(received <= paid, "seed {seed}: more received than paid");
		});
	}
}

#[test]
fn era_summaries_past_the_history_are_pruned_and_late_claims_forfeit_only_their_emission() {
	build_and_execute(|| {
		EraHistory::set(2);
		add(1, ALICE, 1);
		add(1, BOB, 1);
		// Era 0: the dataset earns 2,000 (1,000 a point) backing 160 of emission (α 8%).
		settle(20_000, 1, 2_000, 1_000, 15_000);
		next_era();
		// Bob claims within the history: revenue and emission.
		assert_eq!(claim(BOB, 1), 1_000 + 80);
		next_era();
		next_era();
		// Eras 1 and 2 are kept; era 0's summary, and its rate, are gone.
		assert_eq!(crate::OldestEra::<Test>::get(), 1);
		assert!(Eras::<Test>::get(0).is_none());
		assert_eq!(Eras::<Test>::iter().count(), 2);
		let listed: Vec<_> =
			Rewards::eras_page(None, 10).items.into_iter().map(|(era, _)| era).collect();
		assert_eq!(listed, vec![1, 2]);
		// Alice comes back after the history: her revenue is whole, era 0's emission forfeited
		// (it stays in the pot, above what is claimable).
		assert_eq!(claim(ALICE, 1), 1_000);
		// One summary a transition from then on.
		next_era();
		assert_eq!((crate::OldestEra::<Test>::get(), Eras::<Test>::iter().count()), (2, 2));
	});
}

#[test]
fn a_lower_history_is_caught_up_with_a_bounded_number_of_eras_at_a_time() {
	build_and_execute(|| {
		for _ in 0..6 {
			next_era();
		}
		assert_eq!(Eras::<Test>::iter().count(), 6);
		EraHistory::set(1);
		// Six summaries, one more each era and at most `MAX_ERAS_PRUNED` pruned: five eras to
		// catch up.
		let mut transitions = 0;
		while Eras::<Test>::iter().count() > 1 {
			let before = crate::OldestEra::<Test>::get();
			next_era();
			transitions += 1;
			assert!(crate::OldestEra::<Test>::get() - before <= crate::MAX_ERAS_PRUNED);
		}
		assert_eq!(transitions, 5);
		assert_eq!(Eras::<Test>::iter().count(), 1);
	});
}
