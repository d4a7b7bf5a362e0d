//! Behaviour of pallet-rewards: emission against a hand-computed table (demand-bound,
//! bootstrap, schedule-bound, cap), exact claims, points changes, self-dealing, parameters and
//! every error path.

use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::Preservation,
	},
};
use lineage_primitives::PointsSink;
use sp_runtime::{DispatchError, Perbill};

use crate::{
	mock::*, Bound, CurrentEra, Eras, Error, Event, Params, ParamsHistory, Split, TotalMinted,
};

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
		// Era 0: 20,000 paid. Era 1 mints α × 20,000 = 1,000 (demand) + bootstrap 1,000 × 3/4.
		settle(20_000, 1, 2_000, 1_000, 15_000);
		next_era();
		// Era 1: nothing paid. Era 2 mints only the bootstrap, 1,000 × 2/4.
		next_era();
		// Era 2: 400,000 paid: α × fees = 20,000 > schedule(3) = 10,000 / 2: schedule-bound, no
		// room left for bootstrap.
		settle(400_000, 1, 40_000, 20_000, 300_000);
		next_era();
		// Era 3: the same; schedule(4) = 2,500 but only 750 remain under the 8,000 cap.
		settle(400_000, 1, 40_000, 20_000, 300_000);
		next_era();
		// Era 4: the same; the cap is reached, nothing is minted.
		settle(400_000, 1, 40_000, 20_000, 300_000);
		next_era();

		let table: Vec<_> = (0..5)
			.map(|e| {
				let s = Eras::<Test>::get(e).unwrap();
				(e, s.schedule, s.bootstrap, s.usage, s.bootstrap_minted, s.minted, s.bound)
			})
			.collect();
		assert_eq!(
			table,
			vec![
				(0, 10_000, 750, 1_000, 750, 1_750, Some(Bound::Demand)),
				(1, 5_000, 500, 0, 500, 500, Some(Bound::Demand)),
				(2, 5_000, 250, 5_000, 0, 5_000, Some(Bound::Schedule)),
				(3, 2_500, 0, 750, 0, 750, Some(Bound::Cap)),
				(4, 2_500, 0, 0, 0, 0, Some(Bound::Cap)),
			]
		);
		assert_eq!(TotalMinted::<Test>::get(), CAP);
		// Issuance grew by exactly what was minted (the data shares moved, they were not minted).
		assert_eq!(Balances::total_issuance(), issuance + CAP);
		assert_eq!(Rewards::supply(), (CAP, CAP));
		// The treasury got its 10% of the usage part: 100 + 500 + 75.
		assert_eq!(free(TREASURY), 1 + 675);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Rewards(Event::NewEra {
				era: 3,
				fees_paid: 400_000,
				minted: 5_000,
				bound: Some(Bound::Schedule)
			})));
	});
}

#[test]
fn claims_pay_exactly_by_usage_and_points() {
	build_and_execute(|| {
		Rewards::points_added(1, &ALICE, 100);
		Rewards::points_added(1, &BOB, 300);
		settle(20_000, 1, 2_000, 1_000, 15_000);
		// Direct revenue is shared at once, by points: 2,000 / 400 = 5 per point.
		assert_eq!(Rewards::pending_in(&ALICE, 1), 500);
		assert_noop!(
			Rewards::claim_account(RuntimeOrigin::signed(OWNER)),
			Error::<Test>::NothingToClaim
		);
		next_era();
		// Data pool 400 (all of dataset 1's era): +1 per point; bootstrap 750 / 400 = 1.875.
		let pending = Rewards::pending(&ALICE, None, 10);
		assert_eq!(pending.datasets, vec![(1, 500 + 100 + 187)]);
		assert_eq!(claim(ALICE, 1), 787);
		assert_eq!(claim(BOB, 1), 1_500 + 300 + 562);
		// Model pool 200 and compute pool 300, each to its only earner.
		assert_eq!(Rewards::pending(&OWNER, None, 10).account, 200);
		assert_eq!(claim_account(OWNER), 200);
		assert_eq!(claim_account(PROVIDER), 300);
		assert_noop!(
			Rewards::claim(RuntimeOrigin::signed(ALICE), 1),
			Error::<Test>::NothingToClaim
		);
		// What stays in the pot is its existential deposit and rounding dust.
		assert_eq!(free(Rewards::pot()), 1 + 1);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Rewards(Event::Claimed { who: ALICE, dataset: 1, amount: 787 })));
	});
}

#[test]
fn a_points_change_settles_what_was_earned_before_it() {
	build_and_execute(|| {
		Rewards::points_added(1, &ALICE, 100);
		Rewards::points_added(1, &BOB, 100);
		settle(10_000, 1, 1_000, 0, 0);
		// Bob withdraws consent: he keeps his half of the revenue so far.
		Rewards::points_removed(1, &BOB, 100);
		settle(10_000, 1, 1_000, 0, 0);
		assert_eq!(Rewards::pending_in(&ALICE, 1), 500 + 1_000);
		assert_eq!(Rewards::pending_in(&BOB, 1), 500);
		next_era();
		// The era's data pool (α × 20,000 × 40% = 400) and bootstrap (750) go to Alice alone.
		assert_eq!(claim(ALICE, 1), 1_500 + 400 + 750);
		assert_eq!(claim(BOB, 1), 500);
		assert!(crate::Positions::<Test>::get(BOB, 1).is_none(), "an empty position is dropped");
	});
}

#[test]
fn revenue_without_points_waits_for_contributors() {
	build_and_execute(|| {
		settle(10_000, 7, 1_000, 0, 0);
		next_era();
		// No points yet: the revenue and the era's data pool are carried, no bootstrap is minted.
		assert_eq!(Eras::<Test>::get(0).unwrap().bootstrap_minted, 0);
		Rewards::points_added(7, &ALICE, 10);
		assert_eq!(claim(ALICE, 7), 1_000 + 200);
	});
}

#[test]
fn self_dealing_never_pays() {
	build_and_execute(|| {
		// No bootstrap: what is left is usage-backed emission only.
		assert_ok!(Rewards::set_parameters(
			RuntimeOrigin::root(),
			crate::Parameters { bootstrap: 0, ..params() }
		));
		// Alice is the sole contributor, the requester, the provider and the model owner.
		Rewards::points_added(1, &ALICE, 100);
		for era in 0..3 {
			let start = free(ALICE);
			// A job with escrow 10,000 (fee 8,000 + price 2,000), split as compute does: 1,000
			// protocol fee to the treasury; provider 7,200; owner 720; data 1,080 to the pot.
			Balances::transfer(&ALICE, &TREASURY, 1_000, Preservation::Preserve).unwrap();
			settle_as(ALICE, ALICE, ALICE, 10_000, 1, 1_080, 720, 7_200);
			next_era();
			let claimed = claim(ALICE, 1) + claim_account(ALICE);
			// Back: her own data share 1,080 and at most 90% of α × 10,000 = 450 (the data, model
			// and compute pools 200, 100 and 150, each rounded down by its per-unit rate).
			assert_eq!(claimed, 1_080 + 199 + 99 + 149, "era {era}");
			assert!(free(ALICE) < start, "era {era}: self-dealing paid");
			assert_eq!(start - free(ALICE), 553, "the protocol fee less her emission");
		}
	});
}

#[test]
fn parameters_are_checked_versioned_and_kept() {
	build_and_execute(|| {
		let set = |p| Rewards::set_parameters(RuntimeOrigin::root(), p);
		let whole = params().split;
		assert_noop!(
			Rewards::set_parameters(RuntimeOrigin::signed(ALICE), params()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			set(crate::Parameters {
				split: Split { data: Perbill::from_percent(50), ..whole },
				..params()
			}),
			Error::<Test>::SplitNotWhole
		);
		assert_noop!(
			set(crate::Parameters { alpha: Perbill::from_percent(11), ..params() }),
			Error::<Test>::AlphaAboveProtocolFee
		);
		assert_noop!(
			set(crate::Parameters { challenge_period: 0, ..params() }),
			Error::<Test>::ZeroPeriod
		);
		for version in 1..=4 {
			let alpha = Perbill::from_percent(version);
			assert_ok!(set(crate::Parameters { alpha, ..params() }));
			assert_eq!(Params::<Test>::get().unwrap().version, version);
			assert_eq!(Rewards::parameters().params.alpha, alpha);
		}
		// The last three are kept.
		let kept: Vec<u32> = (0..=4).filter(|v| ParamsHistory::<Test>::contains_key(v)).collect();
		assert_eq!(kept, vec![2, 3, 4]);
		assert!(System::events()
			.iter()
			.any(|r| r.event == RuntimeEvent::Rewards(Event::ParametersSet { version: 4 })));
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
		// No points: only the usage part (1,000) was minted.
		assert_eq!(Rewards::supply(), (1_000, CAP));
		assert_eq!(
			Rewards::projection(4),
			vec![(2, 5_000, 500), (3, 5_000, 250), (4, 2_500, 0), (5, 2_500, 0)]
		);
		assert_eq!(Rewards::projection(1_000).len(), 10, "bounded by MaxPageSize");
		assert_eq!(CurrentEra::<Test>::get(), 1);
	});
}

#[test]
fn the_pot_keeps_what_is_claimable_even_after_a_cap() {
	build_and_execute(|| {
		MaxSupply::set(100);
		Rewards::points_added(1, &ALICE, 3);
		settle(1_000_000, 1, 7, 0, 0);
		next_era();
		// Capped at 100: 40 for the data pool and 10 for the treasury; the model and compute
		// pools saw no usage and were not minted.
		let summary = Eras::<Test>::get(0).unwrap();
		assert_eq!((summary.usage, summary.bound), (50, Some(Bound::Cap)));
		assert_eq!(TotalMinted::<Test>::get(), 50);
		let pot = Rewards::pot();
		// Claimable never exceeds the pot (also checked by the invariants after every block).
		assert!(free(pot) >= Rewards::pending_in(&ALICE, 1));
		// 3 points × (7 + 40) / 3 per point, each part rounded down.
		assert_eq!(claim(ALICE, 1), 45);
	});
}
