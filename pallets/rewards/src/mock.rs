//! A test runtime: System, Balances and Rewards, with eras of ten blocks.

use frame_support::{
	derive_impl, parameter_types,
	traits::{fungible::Mutate, ConstU128, ConstU32, GetStorageVersion, Hooks},
	PalletId,
};
use lineage_primitives::{DatasetId, RevenueSink, SettlementReport, SnapshotRef};
use sp_runtime::{BuildStorage, Perbill};

use crate::{self as pallet_rewards, EmissionParams, Split};

pub type AccountId = u64;
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
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Rewards = pallet_rewards;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ConstU128<1>;
}

/// A contributor.
pub const ALICE: AccountId = 1;
/// Another contributor.
pub const BOB: AccountId = 2;
/// Owns a model.
pub const OWNER: AccountId = 3;
/// A provider.
pub const PROVIDER: AccountId = 4;
/// Requests jobs.
pub const REQUESTER: AccountId = 5;
pub const TREASURY: AccountId = 99;

pub const ENDOWMENT: Balance = 10_000_000;
pub const ERA: u64 = 10;
pub const INITIAL_EMISSION: Balance = 10_000;
pub const CAP: Balance = 8_000;

/// The protocol fee the jobs of these tests pay (α + bootstrap stays below it).
pub const PROTOCOL_FEE: Perbill = Perbill::from_percent(10);

parameter_types! {
	pub const RewardsPalletId: PalletId = PalletId(*b"py/rwrds");
	pub const Treasury: AccountId = TREASURY;
	pub static MaxSupply: Balance = 8_000;
	pub static EraHistory: u32 = 1_000;
	pub static Emission: EmissionParams<Balance, u64> = emission();
}

impl pallet_rewards::Config for Test {
	type Currency = Balances;
	type PalletId = RewardsPalletId;
	type Treasury = Treasury;
	type MaxSupply = MaxSupply;
	type Emission = Emission;
	type MaxPageSize = ConstU32<10>;
	type EraHistory = EraHistory;
	type WeightInfo = ();
}

/// α 5%, a bootstrap rate of 4% decaying over 4 eras, split 40/20/30/10, `INITIAL_EMISSION`
/// halving every 2 eras, eras of `ERA` blocks.
pub fn emission() -> EmissionParams<Balance, u64> {
	EmissionParams {
		alpha: Perbill::from_percent(5),
		bootstrap: Perbill::from_percent(4),
		bootstrap_eras: 4,
		split: Split {
			data: Perbill::from_percent(40),
			models: Perbill::from_percent(20),
			compute: Perbill::from_percent(30),
			treasury: Perbill::from_percent(10),
		},
		era_emission: INITIAL_EMISSION,
		halving_eras: 2,
		era_length: ERA,
	}
}

/// Externalities with funded accounts and the pot and treasury alive, at block 1 of era 0.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let pot = Rewards::pot();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(ALICE, ENDOWMENT),
			(BOB, ENDOWMENT),
			(OWNER, ENDOWMENT),
			(PROVIDER, ENDOWMENT),
			(REQUESTER, ENDOWMENT),
			(TREASURY, 1),
			(pot, 1),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		MaxSupply::set(CAP);
		// As a chain's genesis does for every pallet.
		Rewards::in_code_storage_version().put::<Rewards>();
	});
	ext
}

/// Runs `test` and then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Rewards::do_try_state().expect("invariants hold");
	});
}

/// Runs `on_initialize` for every block up to `n`, checking the invariants after each.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Rewards::on_initialize(next);
		Rewards::do_try_state().expect("invariants hold");
	}
}

/// Runs to the first block of the next era.
pub fn next_era() {
	let start = crate::EraStart::<Test>::get();
	run_to_block(start + ERA);
}

/// A job settled as compute reports it: `paid` in all, `data` to snapshot 1 of `dataset` (moved
/// into the pot as compute does), `owner_part` to `OWNER`, `provider_part` to `PROVIDER`.
pub fn settle(
	paid: Balance,
	dataset: DatasetId,
	data: Balance,
	owner_part: Balance,
	provider_part: Balance,
) {
	let snapshot = SnapshotRef { dataset, version: 1 };
	settle_as(REQUESTER, OWNER, PROVIDER, paid, snapshot, data, owner_part, provider_part);
}

/// A job on `snapshot` that paid its dataset `data` and nobody else.
pub fn pay_snapshot(snapshot: SnapshotRef, data: Balance) {
	settle_as(REQUESTER, OWNER, PROVIDER, data, snapshot, data, 0, 0);
}

/// As [`settle`], with the parties named.
#[allow(clippy::too_many_arguments)]
pub fn settle_as(
	requester: AccountId,
	owner: AccountId,
	provider: AccountId,
	paid: Balance,
	snapshot: SnapshotRef,
	data: Balance,
	owner_part: Balance,
	provider_part: Balance,
) {
	if data > 0 {
		Balances::transfer(
			&requester,
			&Rewards::pot(),
			data,
			frame_support::traits::tokens::Preservation::Preserve,
		)
		.expect("requester pays the data share");
	}
	Rewards::job_settled(&SettlementReport {
		paid,
		provider: (provider, provider_part),
		model: (0, owner, owner_part),
		datasets: if data > 0 { vec![(snapshot, data)] } else { vec![] },
	});
}

/// A job of `escrow` (`fee` for the provider, the rest the model's price) paid by `requester`,
/// split and moved as compute does: the protocol fee (10%) to the treasury, the provider's part,
/// `builder_share` of the price part to `owner`, and the rest to `dataset` through the pot.
pub fn pay_job(
	requester: AccountId,
	owner: AccountId,
	provider: AccountId,
	escrow: Balance,
	fee: Balance,
	dataset: DatasetId,
	builder_share: Perbill,
) {
	use frame_support::traits::tokens::Preservation::Preserve;
	let protocol = PROTOCOL_FEE.mul_floor(escrow);
	let rest = escrow - protocol;
	let provider_part = rest * fee / escrow;
	let price_part = rest - provider_part;
	let owner_part = builder_share.mul_floor(price_part);
	let data = price_part - owner_part;
	Balances::transfer(&requester, &TREASURY, protocol, Preserve).unwrap();
	Balances::transfer(&requester, &provider, provider_part, Preserve).unwrap();
	Balances::transfer(&requester, &owner, owner_part, Preserve).unwrap();
	let snapshot = SnapshotRef { dataset, version: 1 };
	settle_as(requester, owner, provider, escrow, snapshot, data, owner_part, provider_part);
}
