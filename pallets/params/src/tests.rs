//! Behaviour of pallet-lineage-params: versioning, the kept history, and a refusal for every rule.

use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_runtime::{DispatchError, FixedU128, Perbill};

use crate::{mock::*, Current, Error, Event, History, Parameters, Split, MAX_COLLATERAL_RATIO};

type E = Error<Test>;

fn set(params: Parameters<Balance, u64>) -> frame_support::dispatch::DispatchResult {
	Params::set_parameters(RuntimeOrigin::root(), params)
}

#[test]
fn genesis_is_version_zero() {
	build_and_execute(|| {
		let current = Params::current();
		assert_eq!((current.version, current.params, current.since), (0, params(), 0));
		assert_eq!(Params::at_version(0), Some(current));
	});
}

#[test]
fn each_change_is_a_new_version_with_its_block_and_the_history_is_bounded() {
	build_and_execute(|| {
		assert_noop!(
			Params::set_parameters(RuntimeOrigin::signed(1), params()),
			DispatchError::BadOrigin
		);
		let mut changed = params();
		for (version, block) in [(1u32, 5u64), (2, 6), (3, 7), (4, 8)] {
			System::set_block_number(block);
			changed.compute.min_bond += 1;
			assert_ok!(set(changed));
			System::assert_last_event(Event::ParametersSet { version, params: changed }.into());
			let current = Current::<Test>::get().unwrap();
			assert_eq!((current.version, current.since), (version, block));
			assert_eq!(current.params.compute.min_bond, 1_000 + u128::from(version));
			Params::do_try_state().unwrap();
		}
		// The last three versions are kept.
		assert_eq!(History::<Test>::iter_keys().count() as u32, HISTORY);
		assert_eq!(Params::at_version(1), None);
		assert_eq!(Params::at_version(2).map(|v| v.params.compute.min_bond), Some(1_002));
	});
}

#[test]
fn every_rule_refuses_a_set_that_breaks_it() {
	build_and_execute(|| {
		let p = params;
		let refused = |params, error: E| {
			assert_noop!(set(params), error);
		};
		let mut bad = p();
		bad.emission.split = Split { data: Perbill::from_percent(50), ..p().emission.split };
		refused(bad, E::SplitNotWhole);

		// α + bootstrap = 5% + 6% > the 10% protocol fee.
		let mut bad = p();
		bad.emission.bootstrap = Perbill::from_percent(6);
		refused(bad, E::AlphaAboveProtocolFee);
		let mut bad = p();
		bad.compute.protocol_fee = Perbill::from_percent(51);
		refused(bad, E::ProtocolFeeTooHigh);

		let mut bad = p();
		bad.emission.era_emission = MAX_ERA_EMISSION + 1;
		refused(bad, E::AmountTooHigh);
		let mut bad = p();
		bad.emission.halving_eras = 0;
		refused(bad, E::ZeroHalving);

		let mut bad = p();
		bad.emission.era_length = 0;
		refused(bad, E::ZeroPeriod);
		let mut bad = p();
		bad.compute.challenge_periods.fine_tune = 0;
		refused(bad, E::ZeroPeriod);
		let mut bad = p();
		bad.compute.challenge_periods.training = MAX_PERIOD + 1;
		refused(bad, E::PeriodTooLong);
		let mut bad = p();
		bad.compute.resolution_period = MAX_PERIOD + 1;
		refused(bad, E::PeriodTooLong);
		let mut bad = p();
		bad.compute.unbonding_period = 0;
		refused(bad, E::ZeroPeriod);

		let mut bad = p();
		bad.datasets.record_deposit = 0;
		refused(bad, E::ZeroAmount);
		let mut bad = p();
		bad.models.version_deposit = MAX_DEPOSIT + 1;
		refused(bad, E::AmountTooHigh);
		let mut bad = p();
		bad.compute.challenge_bond = 0;
		refused(bad, E::ZeroAmount);
		let mut bad = p();
		bad.compute.min_collateral = 0;
		refused(bad, E::ZeroAmount);
		let mut bad = p();
		bad.compute.min_collateral = bad.compute.min_bond + 1;
		refused(bad, E::CollateralAboveBond);
		let mut bad = p();
		bad.compute.collateral_ratio = FixedU128::from_rational(1, 2);
		refused(bad, E::CollateralRatioOutOfRange);
		let mut bad = p();
		bad.compute.collateral_ratio = MAX_COLLATERAL_RATIO + FixedU128::from_rational(1, 10);
		refused(bad, E::CollateralRatioOutOfRange);

		let mut bad = p();
		bad.datasets.default_quality = 0;
		refused(bad, E::QualityOutOfRange);
		let mut bad = p();
		bad.datasets.default_quality = 101;
		refused(bad, E::QualityOutOfRange);
		let mut bad = p();
		bad.models.max_builder_share = Perbill::from_percent(96);
		refused(bad, E::ShareTooHigh);
		let mut bad = p();
		bad.models.parent_share = Perbill::from_percent(91);
		refused(bad, E::ShareTooHigh);

		// At the bounds, everything passes.
		let mut edge = p();
		edge.emission.bootstrap = Perbill::from_percent(5);
		edge.compute.protocol_fee = Perbill::from_percent(50);
		edge.compute.challenge_periods.training = MAX_PERIOD;
		edge.compute.collateral_ratio = MAX_COLLATERAL_RATIO;
		edge.compute.min_collateral = edge.compute.min_bond;
		edge.models.max_builder_share = Perbill::from_percent(95);
		edge.datasets.dataset_deposit = MAX_DEPOSIT;
		assert_ok!(set(edge));
		assert_eq!(Params::current().version, 1);
	});
}

#[test]
fn the_defaults_pass_the_integrity_test() {
	new_test_ext().execute_with(Params::integrity_test);
}
