//! A test runtime: System, Balances and Models, with datasets played by an in-memory table of
//! snapshots that the tests fill and mark.

use core::cell::RefCell;
use std::collections::BTreeMap;

use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32},
};
use frame_system::EnsureRoot;
use lineage_primitives::{
	Consent, ContentRef, ContributionId, DatasetId, DatasetInspect, JobInspect, Licence,
	ModelVersionId, SnapshotMember, SnapshotRef, SnapshotStatus, SnapshotView,
};
use sp_core::H256;
use sp_runtime::{BuildStorage, Perbill};

use crate::{self as pallet_models, InputsOf, TrainingInput};

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
	pub type Models = pallet_models;
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
/// Has only the existential deposit.
pub const PAUPER: AccountId = 5;

pub const MODEL_DEPOSIT: Balance = 100;
pub const VERSION_DEPOSIT: Balance = 20;
pub const ENDOWMENT: Balance = 10_000;
pub const MAX_URI: u32 = 64;
pub const MAX_INPUTS: u32 = 4;
pub const MAX_ENTRIES: u32 = 6;
pub const MAX_DEPTH: u32 = 3;

parameter_types! {
	pub static ParentShare: Perbill = Perbill::from_percent(30);
	pub const MaxBuilderShare: Perbill = Perbill::from_percent(90);
}

thread_local! {
	/// The snapshots the mock datasets hold.
	static SNAPSHOTS: RefCell<BTreeMap<SnapshotRef, SnapshotView>> =
		const { RefCell::new(BTreeMap::new()) };
}

/// Datasets as a table of snapshots; marking a snapshot withdrawn marks the dataset's later
/// snapshots too, as a withdrawal does in the datasets pallet (from the item's first snapshot to
/// the latest).
pub struct MockDatasets;
impl DatasetInspect for MockDatasets {
	fn snapshot_info(snapshot: SnapshotRef) -> Option<SnapshotView> {
		SNAPSHOTS.with(|s| s.borrow().get(&snapshot).cloned())
	}

	fn snapshot_member(_: SnapshotRef, _: ContributionId) -> Option<SnapshotMember> {
		None
	}
}

thread_local! {
	/// The jobs still running on each version, as the mock compute pallet reports them.
	static OPEN_JOBS: RefCell<BTreeMap<ModelVersionId, u32>> = const { RefCell::new(BTreeMap::new()) };
}

/// Compute as a table of running jobs per version.
pub struct MockJobs;
impl JobInspect for MockJobs {
	fn open_jobs(version: ModelVersionId) -> u32 {
		OPEN_JOBS.with(|j| j.borrow().get(&version).copied().unwrap_or_default())
	}
}

/// Sets how many jobs run on `version`.
pub fn set_open_jobs(version: ModelVersionId, jobs: u32) {
	OPEN_JOBS.with(|j| j.borrow_mut().insert(version, jobs));
}

/// Adds snapshot `version` of `dataset` under `licence` with `consent`.
pub fn add_snapshot(
	dataset: DatasetId,
	version: u32,
	licence: Licence,
	consent: Consent,
) -> SnapshotRef {
	let snapshot = SnapshotRef { dataset, version };
	let view =
		SnapshotView { licence, consent, status: SnapshotStatus::Active, withdrawal_grace: 0 };
	SNAPSHOTS.with(|s| s.borrow_mut().insert(snapshot, view));
	snapshot
}

/// Sets the withdrawal grace `snapshot` was taken with.
pub fn set_grace(snapshot: SnapshotRef, grace: u32) {
	SNAPSHOTS.with(|s| {
		s.borrow_mut().get_mut(&snapshot).expect("snapshot exists").withdrawal_grace = grace
	});
}

/// Marks `snapshot` and the dataset's later snapshots with `status`.
pub fn mark(snapshot: SnapshotRef, status: SnapshotStatus) {
	SNAPSHOTS.with(|s| {
		for (r, view) in s.borrow_mut().iter_mut() {
			if r.dataset == snapshot.dataset && r.version >= snapshot.version {
				view.status = status;
			}
		}
	});
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for MockDatasets {
	fn snapshot(index: u32) -> SnapshotRef {
		add_snapshot(index, 1, Licence::Cc0, Consent::FULL)
	}
}

impl pallet_models::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Datasets = MockDatasets;
	type Jobs = MockJobs;
	type AdminOrigin = EnsureRoot<AccountId>;
	type ParentShare = ParentShare;
	type MaxBuilderShare = MaxBuilderShare;
	type ModelDeposit = ConstU128<MODEL_DEPOSIT>;
	type VersionDeposit = ConstU128<VERSION_DEPOSIT>;
	type MaxUriLen = ConstU32<MAX_URI>;
	type MaxInputs = ConstU32<MAX_INPUTS>;
	type MaxAttributionEntries = ConstU32<MAX_ENTRIES>;
	type MaxLineageDepth = ConstU32<MAX_DEPTH>;
	type MaxPageSize = ConstU32<10>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockDatasets;
}

/// Externalities with funded accounts, at block 1, and no snapshots.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, ENDOWMENT), (BOB, ENDOWMENT), (CHARLIE, ENDOWMENT), (PAUPER, 1)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		SNAPSHOTS.with(|s| s.borrow_mut().clear());
		ParentShare::set(Perbill::from_percent(30));
	});
	ext
}

/// Runs `test` and then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Models::do_try_state().expect("invariants hold");
	});
}

/// A content reference with hash `n` repeated.
pub fn content(n: u8) -> ContentRef {
	ContentRef::new(H256::repeat_byte(n), b"ipfs://bafy", 1024).unwrap()
}

/// Training inputs from (snapshot, percent) pairs.
pub fn inputs(list: &[(SnapshotRef, u32)]) -> InputsOf<Test> {
	let list: Vec<TrainingInput> = list
		.iter()
		.map(|&(snapshot, pct)| TrainingInput { snapshot, weight: Perbill::from_percent(pct) })
		.collect();
	InputsOf::<Test>::try_from(list).expect("within MaxInputs")
}
