//! A test runtime: System, Balances and Datasets, with a points sink that records what it hears.

use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU8},
};
use frame_system::EnsureRoot;
use lineage_primitives::{Consent, ContentRef, DatasetId, Points, PointsSink, SnapshotVersion};
use sp_core::H256;
use sp_runtime::{BuildStorage, Perbill};

use crate::{self as pallet_datasets, Admission, Policy};

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
	pub type Datasets = pallet_datasets;
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
	type RuntimeHoldReason = RuntimeHoldReason;
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
/// Has only the existential deposit.
pub const PAUPER: AccountId = 5;
pub const TREASURY: AccountId = 99;

pub const DATASET_DEPOSIT: Balance = 100;
pub const RECORD_DEPOSIT: Balance = 2;
pub const CONTRIBUTION_DEPOSIT: Balance = 10;
pub const ENDOWMENT: Balance = 10_000;
pub const MAX_URI: u32 = 64;

parameter_types! {
	pub const Treasury: AccountId = TREASURY;
}

thread_local! {
	/// Every points change the sink heard: (dataset, who, first snapshot, +/- points).
	pub static POINTS_HEARD: RefCell<Vec<(DatasetId, AccountId, SnapshotVersion, i128)>> = const { RefCell::new(Vec::new()) };
	/// Every snapshot the sink heard of.
	pub static SNAPSHOTS_HEARD: RefCell<Vec<(DatasetId, SnapshotVersion)>> = const { RefCell::new(Vec::new()) };
}

/// Records points changes for the tests to inspect.
pub struct RecordingSink;
impl PointsSink<AccountId> for RecordingSink {
	fn points_added(dataset: DatasetId, who: &AccountId, first: SnapshotVersion, points: Points) {
		POINTS_HEARD.with(|h| h.borrow_mut().push((dataset, *who, first, points as i128)));
	}
	fn points_removed(dataset: DatasetId, who: &AccountId, first: SnapshotVersion, points: Points) {
		POINTS_HEARD.with(|h| h.borrow_mut().push((dataset, *who, first, -(points as i128))));
	}
	fn snapshot_taken(dataset: DatasetId, version: SnapshotVersion) {
		SNAPSHOTS_HEARD.with(|h| h.borrow_mut().push((dataset, version)));
	}
}

/// The snapshots the sink heard of so far.
pub fn snapshots_heard() -> Vec<(DatasetId, SnapshotVersion)> {
	SNAPSHOTS_HEARD.with(|h| h.borrow().clone())
}

/// The points changes heard so far.
pub fn points_heard() -> Vec<(DatasetId, AccountId, SnapshotVersion, i128)> {
	POINTS_HEARD.with(|h| h.borrow().clone())
}

impl pallet_datasets::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AdminOrigin = EnsureRoot<AccountId>;
	type Points = RecordingSink;
	type SlashDestination = Treasury;
	type DatasetDeposit = ConstU128<DATASET_DEPOSIT>;
	type ContributionRecordDeposit = ConstU128<RECORD_DEPOSIT>;
	type MaxUriLen = ConstU32<MAX_URI>;
	type MaxCurators = ConstU32<3>;
	type DefaultQuality = ConstU8<50>;
	type MaxWithdrawalGrace = ConstU32<100>;
	type MaxPageSize = ConstU32<10>;
	type WeightInfo = ();
}

/// Externalities with funded accounts, at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(ALICE, ENDOWMENT),
			(BOB, ENDOWMENT),
			(CHARLIE, ENDOWMENT),
			(DAVE, ENDOWMENT),
			(PAUPER, 1),
			(TREASURY, 1),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		POINTS_HEARD.with(|h| h.borrow_mut().clear());
		SNAPSHOTS_HEARD.with(|h| h.borrow_mut().clear());
	});
	ext
}

/// Runs `test` and then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Datasets::do_try_state().expect("invariants hold");
	});
}

/// A content reference with hash `n` repeated.
pub fn content(n: u8) -> ContentRef {
	ContentRef::new(H256::repeat_byte(n), b"ipfs://bafy", 1024).unwrap()
}

/// A curated policy: contribution deposit 10, 30% slashed on rejection, training consent needed.
pub fn curated() -> Policy<Balance> {
	Policy {
		admission: Admission::Curated,
		contribution_deposit: CONTRIBUTION_DEPOSIT,
		reject_slash: Perbill::from_percent(30),
		min_consent: Consent { training: true, commercial: false },
		withdrawal_grace: 0,
	}
}

/// An open policy.
pub fn open() -> Policy<Balance> {
	Policy { admission: Admission::Open, ..curated() }
}
