//! A test runtime: System and the parameters pallet, with a genesis set of plausible values.

use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::{BuildStorage, FixedU128, Perbill};

use crate::{
	self as pallet_lineage_params, ChallengePeriods, ComputeParams, DatasetParams, EmissionParams,
	ModelParams, Parameters, Split,
};

pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Params = pallet_lineage_params;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The longest period allowed.
pub const MAX_PERIOD: u64 = 1_000;
/// The largest deposit allowed.
pub const MAX_DEPOSIT: Balance = 10_000;
/// The largest era emission allowed.
pub const MAX_ERA_EMISSION: Balance = 1_000_000;
/// Versions kept.
pub const HISTORY: u32 = 3;

/// A consistent set.
pub fn params() -> Parameters<Balance, u64> {
	Parameters {
		emission: EmissionParams {
			alpha: Perbill::from_percent(5),
			bootstrap: Perbill::from_percent(3),
			bootstrap_eras: 10,
			split: Split {
				data: Perbill::from_percent(40),
				models: Perbill::from_percent(30),
				compute: Perbill::from_percent(20),
				treasury: Perbill::from_percent(10),
			},
			era_emission: 1_000,
			halving_eras: 100,
			era_length: 10,
		},
		datasets: DatasetParams { dataset_deposit: 100, record_deposit: 2, default_quality: 50 },
		models: ModelParams {
			model_deposit: 100,
			version_deposit: 20,
			max_builder_share: Perbill::from_percent(90),
			parent_share: Perbill::from_percent(30),
		},
		compute: ComputeParams {
			protocol_fee: Perbill::from_percent(10),
			min_bond: 1_000,
			collateral_ratio: FixedU128::from_rational(3, 2),
			min_collateral: 10,
			challenge_bond: 100,
			challenger_reward: Perbill::from_percent(50),
			provider_reward: Perbill::from_percent(50),
			record_deposit: 5,
			challenge_periods: ChallengePeriods {
				training: 50,
				fine_tune: 20,
				inference: 5,
				evaluation: 5,
			},
			resolution_period: 30,
			unbonding_period: 40,
		},
	}
}

parameter_types! {
	pub Defaults: Parameters<Balance, u64> = params();
	pub const MaxPeriod: u64 = MAX_PERIOD;
	pub const MaxDeposit: Balance = MAX_DEPOSIT;
	pub const MaxEraEmission: Balance = MAX_ERA_EMISSION;
}

impl pallet_lineage_params::Config for Test {
	type Balance = Balance;
	type AdminOrigin = EnsureRoot<u64>;
	type Defaults = Defaults;
	type MaxHistory = ConstU32<HISTORY>;
	type MaxPeriod = MaxPeriod;
	type MaxDeposit = MaxDeposit;
	type MaxEraEmission = MaxEraEmission;
	type WeightInfo = ();
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_lineage_params::GenesisConfig::<Test> { params: Some(params()) }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` and checks the invariants after it.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Params::do_try_state().expect("invariants hold");
	});
}
