//! Behaviour of pallet-rewards: emission against a hand-computed table (demand-bound with the
//! bootstrap rate and the pool rate cap, schedule-bound, cap), exact claims, points changes,
//! datasets without points, self-dealing with a thin pool, parameters and every error path.

use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use lineage_primitives::PointsSink;
use sp_runtime::{traits::Zero, Perbill};

use crate::{mock::*, Bound, CurrentEra, Eras, Error, Event, PoolAmounts, TotalMinted, Unshared};

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

fn claim(who: AccountId, dataset: u32) -> Balance {
	let before = free(who);
	assert_ok!(Rewards::claim(RuntimeOrigin::signed(who), dataset));
	free(who) - before
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
		Rewards::points_added(1, &ALICE, 100);
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
		Rewards::points_added(1, &ALICE, 100);
		Rewards::points_added(1, &BOB, 300);
		settle(20_000, 1, 2_000, 1_000, 15_000);
		// Revenue waits for the era's end, to be shared with its emission by the same points.
		assert_eq!(Rewards::pending_in(&ALICE, 1), (0, 0));
		assert_noop!(
			Rewards::claim(RuntimeOrigin::signed(ALICE), 1),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(
			Rewards::claim_account(RuntimeOrigin::signed(OWNER)),
			Error::<Test>::NothingToClaim
		);
		next_era();
		// 2,000 / 400 = 5 revenue per point; the data pool, 8% × 2,000 = 160: 0.4 per point.
		let pending = Rewards::pending(&ALICE, None, 10);
		assert_eq!(pending.datasets, vec![(1, 500 + 40, 40)]);
		assert_eq!(claim(ALICE, 1), 540);
		assert_eq!(claim(BOB, 1), 1_500 + 120);
		// Each earns exactly 8% of its revenue: the model pool 8% × 1,000; the compute pool's
		// share of the budget, 480, is under 8% × 15,000.
		assert_eq!(Rewards::pending(&OWNER, None, 10).account, 80);
		assert_eq!(claim_account(OWNER), 80);
		assert_eq!(claim_account(PROVIDER), 480);
		assert_noop!(
			Rewards::claim(RuntimeOrigin::signed(ALICE), 1),
			Error::<Test>::NothingToClaim
		);
		// What stays in the pot is its existential deposit.
		assert_eq!(free(Rewards::pot()), 1);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Rewards(Event::Claimed {
				who: ALICE,
				dataset: 1,
				amount: 540,
				emission: 40
			})));
	});
}

#[test]
fn an_eras_revenue_and_emission_go_to_the_points_held_at_its_end() {
	build_and_execute(|| {
		Rewards::points_added(1, &ALICE, 100);
		Rewards::points_added(1, &BOB, 100);
		settle(10_000, 1, 1_000, 0, 0);
		// Bob withdraws consent before the era ends: its revenue goes to those still in.
		Rewards::points_removed(1, &BOB, 100);
		assert!(crate::Positions::<Test>::get(BOB, 1).is_none(), "an empty position is dropped");
		next_era();
		// 8% of 10,000 = 800 budget; the data pool's 320 share is capped at 8% × 1,000.
		assert_eq!(claim(ALICE, 1), 1_000 + 80);
		assert_noop!(Rewards::claim(RuntimeOrigin::signed(BOB), 1), Error::<Test>::NothingToClaim);

		// Era 1: Bob is back; the era's revenue is shared half and half.
		Rewards::points_added(1, &BOB, 100);
		settle(10_000, 1, 1_000, 0, 0);
		next_era();
		// A points change after the era's end settles the era first: Bob keeps his half.
		Rewards::points_removed(1, &BOB, 100);
		// α(2) = 7%: 70 of emission for 1,000 of revenue.
		assert_eq!(Rewards::pending_in(&BOB, 1), (535, 35));
		assert_eq!(claim(BOB, 1), 535);
		assert_eq!(claim(ALICE, 1), 535);
		assert!(crate::Positions::<Test>::get(BOB, 1).is_none());
	});
}

#[test]
fn a_dataset_without_points_sends_its_era_to_the_treasury() {
	build_and_execute(|| {
		settle(10_000, 7, 1_000, 0, 0);
		next_era();
		// Nobody held points at the era's end. A newcomer does not inherit the era: the revenue
		// and its emission (8% × 1,000) are kept for the treasury.
		Rewards::points_added(7, &ALICE, 10);
		assert_eq!(Unshared::<Test>::get(), 1_080);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Rewards(Event::UnsharedToTreasury {
				dataset: 7,
				era: 0,
				revenue: 1_000,
				emission: 80
			})));
		assert_noop!(
			Rewards::claim(RuntimeOrigin::signed(ALICE), 7),
			Error::<Test>::NothingToClaim
		);
		// The next era transition pays it to the treasury.
		let before = free(TREASURY);
		next_era();
		assert_eq!(free(TREASURY), before + 1_080);
		assert_eq!(Unshared::<Test>::get(), 0);
	});
}

#[test]
fn a_contributor_earns_emission_only_on_revenue_it_received() {
	build_and_execute(|| {
		// Bob holds a billion points in a dataset nobody pays for; Alice one point where a
		// requester paid. Points never draw emission across datasets.
		Rewards::points_added(2, &BOB, 1_000_000_000);
		Rewards::points_added(1, &ALICE, 1);
		settle(20_000, 1, 2_000, 1_000, 15_000);
		next_era();
		assert_noop!(Rewards::claim(RuntimeOrigin::signed(BOB), 2), Error::<Test>::NothingToClaim);
		assert_eq!(claim(ALICE, 1), 2_000 + 160);
	});
}

#[test]
fn each_pool_is_capped_at_alpha_per_unit_of_its_fees() {
	build_and_execute(|| {
		Rewards::points_added(1, &ALICE, 100);
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
		Rewards::points_added(1, &ALICE, 100);
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
			let emission = Rewards::pending_in(&ALICE, 1).1
				+ Rewards::pending(&ALICE, None, 10).account
				+ Rewards::pending(&BOB, None, 10).account;
			// Its revenue came back (909 of 1,010); its emission is at most α of it.
			assert!(emission <= summary.alpha.mul_floor(909u128), "era {era}: {emission}");
			let _ = Rewards::claim(RuntimeOrigin::signed(ALICE), 1);
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
			Rewards::claim(RuntimeOrigin::signed(ALICE), 42),
			Error::<Test>::UnknownDataset
		);
		Rewards::points_added(1, &ALICE, 100);
		assert_noop!(
			Rewards::claim(RuntimeOrigin::signed(ALICE), 1),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(Rewards::claim(RuntimeOrigin::signed(BOB), 1), Error::<Test>::NothingToClaim);
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
		Rewards::points_added(1, &ALICE, 3);
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
		assert!(free(pot) >= Rewards::pending_in(&ALICE, 1).0);
		// 3 points × (700 + 40) / 3 per point, each part rounded down.
		assert_eq!(claim(ALICE, 1), 699 + 39);
	});
}

#[test]
fn a_failed_mint_is_recorded_and_promises_nothing() {
	build_and_execute(|| {
		Rewards::points_added(1, &ALICE, 1);
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
