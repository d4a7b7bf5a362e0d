//! A test runtime: System, Balances and Compute, with model versions played by an in-memory
//! table and a revenue sink that records what it hears.

use core::cell::RefCell;
use std::collections::BTreeMap;

use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, Hooks, MapSuccess},
	weights::Weight,
};
use frame_system::EnsureRoot;
use lineage_primitives::{
	Attribution, AttributionEntry, ContentRef, ContributionId, DatasetInspect, ModelInspect,
	ModelVersionId, ModelVersionView, RevenueSink, SettlementReport, SnapshotMember, SnapshotRef,
	SnapshotStatus, SnapshotView, Taint, Uri,
};
use sp_core::H256;
use sp_runtime::{
	traits::{Convert, Replace},
	BuildStorage, FixedU128, Perbill,
};

use crate::{self as pallet_compute, Arbiter, JobKind, JobKinds, JobTerms, Region};

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
	pub type Compute = pallet_compute;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	// Priced as the weights of `()` price them, so that refunds of reads and writes show.
	type DbWeight = frame_support::weights::constants::ParityDbWeight;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ExistentialDeposit;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// Submits jobs.
pub const ALICE: AccountId = 1;
/// A provider.
pub const BOB: AccountId = 2;
/// Challenges results.
pub const CHARLIE: AccountId = 3;
/// Owns the model.
pub const DAVE: AccountId = 4;
/// A second provider.
pub const EVE: AccountId = 5;
/// Has only the existential deposit.
pub const PAUPER: AccountId = 6;
/// Operates the providers.
pub const OPERATOR: AccountId = 7;
pub const OTHER_OPERATOR: AccountId = 8;
pub const DATA_POT: AccountId = 98;
pub const TREASURY: AccountId = 99;

pub const ENDOWMENT: Balance = 100_000;
pub const MIN_BOND: Balance = 100;
pub const MIN_COLLATERAL: Balance = 50;
pub const CHALLENGE_BOND: Balance = 40;
pub const RECORD_DEPOSIT: Balance = 5;
pub const UNBONDING: u64 = 10;
pub const CHALLENGE_PERIOD: u64 = 5;
pub const RESOLUTION_PERIOD: u64 = 30;
pub const RETENTION: u64 = 20;
pub const MAX_URI: u32 = 64;
/// The most bytes `check_result` takes.
pub const MAX_CHECK_BYTES: u32 = 16 * 1024;

/// A priced version with two datasets: price 100, builder share 40%, datasets 1 (75%) and 2 (25%).
pub const PRICED: ModelVersionId = 1;
/// A free version with one dataset.
pub const FREE: ModelVersionId = 2;

parameter_types! {
	pub static ExistentialDeposit: Balance = 1;
	pub const Treasury: AccountId = TREASURY;
	pub const DataPot: AccountId = DATA_POT;
	pub const CollateralRatio: FixedU128 = FixedU128::from_u32(2);
	/// The challenger's and the provider's share of what is slashed from the other side.
	pub static SlashShare: Perbill = Perbill::from_percent(50);
	pub const UnbondingPeriod: u64 = UNBONDING;
	pub const RecordRetention: u64 = RETENTION;
	pub const MaxDeadline: u64 = 100;
	pub const RootArbiter: Arbiter = Arbiter::Root;
	/// The governed values a test may change: protocol fee, inference challenge period (training
	/// and fine-tuning take four times as long), resolution period, parameter version.
	pub static ProtocolFee: Perbill = Perbill::from_percent(10);
	pub static InferenceWindow: u64 = CHALLENGE_PERIOD;
	pub static RulingPeriod: u64 = RESOLUTION_PERIOD;
	pub static ParamsVersion: u32 = 1;
}

/// The terms of a job of each kind, from the values above.
pub struct Terms;
impl Convert<JobKind, JobTerms<u64>> for Terms {
	fn convert(kind: JobKind) -> JobTerms<u64> {
		let inference = InferenceWindow::get();
		JobTerms {
			params_version: ParamsVersion::get(),
			protocol_fee: ProtocolFee::get(),
			challenge_period: match kind {
				JobKind::Training | JobKind::FineTune => 4 * inference,
				JobKind::Inference | JobKind::Evaluation => inference,
			},
			resolution_period: RulingPeriod::get(),
			challenger_reward: SlashShare::get(),
			provider_reward: SlashShare::get(),
		}
	}
}

type View = ModelVersionView<AccountId, Balance>;

thread_local! {
	static VERSIONS: RefCell<BTreeMap<ModelVersionId, (View, Vec<AttributionEntry>)>> =
		const { RefCell::new(BTreeMap::new()) };
	static REPORTS: RefCell<Vec<SettlementReport<AccountId, Balance>>> =
		const { RefCell::new(Vec::new()) };
	static WITHDRAWN: RefCell<Vec<SnapshotRef>> = const { RefCell::new(Vec::new()) };
	static ARTIFACTS: RefCell<BTreeMap<ModelVersionId, H256>> = const { RefCell::new(BTreeMap::new()) };
	static TAKEN_DOWN: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// Model versions as a table the tests fill and change.
pub struct MockModels;
impl ModelInspect<AccountId, Balance> for MockModels {
	fn version(version: ModelVersionId) -> Option<View> {
		VERSIONS.with(|v| v.borrow().get(&version).map(|(view, _)| view.clone()))
	}
	fn attribution(version: ModelVersionId) -> Attribution {
		let table =
			VERSIONS.with(|v| v.borrow().get(&version).map(|(_, a)| a.clone()).unwrap_or_default());
		Attribution::truncate_from(table)
	}
	fn artifact(version: ModelVersionId) -> Option<H256> {
		Self::version(version)?;
		Some(ARTIFACTS.with(|a| a.borrow().get(&version).copied().unwrap_or(H256::repeat_byte(7))))
	}
	fn start_grace(version: ModelVersionId, _grace: u32) {
		// The version's grace runs: no later job starts it again.
		change_version(version, |view| view.grace_starts = false);
		GRACES_STARTED.with(|g| g.borrow_mut().push(version));
	}
	fn snapshot_status(snapshot: SnapshotRef) -> Option<SnapshotStatus> {
		let withdrawn = WITHDRAWN.with(|w| w.borrow().contains(&snapshot));
		let taken_down = TAKEN_DOWN.with(|t| t.borrow().contains(&snapshot.dataset));
		Some(if taken_down {
			SnapshotStatus::TakenDown
		} else if withdrawn {
			SnapshotStatus::Withdrawn
		} else {
			SnapshotStatus::Active
		})
	}
}

thread_local! {
	/// The versions whose withdrawal grace a job started.
	static GRACES_STARTED: RefCell<Vec<ModelVersionId>> = const { RefCell::new(Vec::new()) };
}

/// The versions whose withdrawal grace a job started, in order.
pub fn graces_started() -> Vec<ModelVersionId> {
	GRACES_STARTED.with(|g| g.borrow().clone())
}

/// Makes `artifact` the hash of `version`'s artifact.
pub fn set_artifact(version: ModelVersionId, artifact: H256) {
	ARTIFACTS.with(|a| a.borrow_mut().insert(version, artifact));
}

/// Adds version `id` owned by `DAVE` with `price` and the datasets `(dataset, percent)`.
pub fn add_version(id: ModelVersionId, price: Balance, datasets: &[(u32, u32)]) {
	let view = View {
		owner: DAVE,
		price,
		builder_share: Perbill::from_percent(40),
		deprecated: false,
		taint: None,
		grace_starts: false,
		grace: 0,
		ancestors: 0,
	};
	let table = datasets
		.iter()
		.map(|&(dataset, pct)| AttributionEntry {
			snapshot: SnapshotRef { dataset, version: 1 },
			share: Perbill::from_percent(pct),
		})
		.collect();
	VERSIONS.with(|v| v.borrow_mut().insert(id, (view, table)));
}

/// Changes version `id`.
pub fn change_version(id: ModelVersionId, change: impl FnOnce(&mut View)) {
	VERSIONS.with(|v| change(&mut v.borrow_mut().get_mut(&id).expect("version exists").0));
}

/// Taints version `id`.
pub fn taint(id: ModelVersionId) {
	change_version(id, |v| v.taint = Some(Taint::Revoked(id)));
}

/// Withdraws snapshot v1 of `dataset`, tainting every version it is in.
pub fn withdraw(dataset: u32) {
	let snapshot = SnapshotRef { dataset, version: 1 };
	WITHDRAWN.with(|w| w.borrow_mut().push(snapshot));
	VERSIONS.with(|versions| {
		for (view, table) in versions.borrow_mut().values_mut() {
			if table.iter().any(|e| e.snapshot == snapshot) {
				view.taint = Some(Taint::SnapshotWithdrawn(snapshot));
			}
		}
	});
}

/// Records every settlement report.
/// Governance takes `dataset` down: its snapshots' status, and the versions trained on it.
pub fn take_down(dataset: u32) {
	withdraw(dataset);
	TAKEN_DOWN.with(|t| t.borrow_mut().push(dataset));
}

thread_local! {
	/// Each snapshot's contributions: whether it holds them, and their content hashes.
	static MEMBERS: RefCell<BTreeMap<(SnapshotRef, ContributionId), SnapshotMember>> =
		const { RefCell::new(BTreeMap::new()) };
}

/// Datasets as a table of snapshot members.
pub struct MockDatasets;
impl DatasetInspect for MockDatasets {
	fn snapshot_info(_: SnapshotRef) -> Option<SnapshotView> {
		None
	}

	/// A snapshot exists when it has a member; any other contribution is not on record.
	fn snapshot_member(snapshot: SnapshotRef, id: ContributionId) -> Option<SnapshotMember> {
		MEMBERS.with(|m| {
			let members = m.borrow();
			members.keys().any(|(s, _)| *s == snapshot).then(|| {
				members
					.get(&(snapshot, id))
					.copied()
					.unwrap_or(SnapshotMember { held: false, content: None })
			})
		})
	}
}

/// Records contribution `id`, with content `content`, as `snapshot` reads it (`held` or not).
pub fn add_member(snapshot: SnapshotRef, id: ContributionId, held: bool, content: H256) {
	MEMBERS.with(|m| {
		m.borrow_mut()
			.insert((snapshot, id), SnapshotMember { held, content: Some(content) })
	});
}

pub struct RecordingRevenue;
impl RevenueSink<AccountId, Balance> for RecordingRevenue {
	fn job_settled(report: &SettlementReport<AccountId, Balance>) {
		REPORTS.with(|r| r.borrow_mut().push(report.clone()));
	}
}

/// The settlement reports heard so far.
pub fn reports() -> Vec<SettlementReport<AccountId, Balance>> {
	REPORTS.with(|r| r.borrow().clone())
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for MockModels {
	fn model_version(datasets: u32, ancestors: u32) -> ModelVersionId {
		let datasets: Vec<(u32, u32)> = (0..datasets).map(|d| (d, 1)).collect();
		add_version(PRICED, 100, &datasets);
		change_version(PRICED, |view| view.ancestors = ancestors);
		PRICED
	}
	fn set_artifact(version: ModelVersionId, artifact: H256) {
		set_artifact(version, artifact);
	}
	fn snapshot_holding(content: H256) -> (SnapshotRef, ContributionId) {
		let snapshot = SnapshotRef { dataset: 7, version: 1 };
		add_member(snapshot, 70, true, content);
		(snapshot, 70)
	}
}

impl pallet_compute::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = MockModels;
	type Datasets = MockDatasets;
	type Revenue = RecordingRevenue;
	type ArbiterOrigin = MapSuccess<EnsureRoot<AccountId>, Replace<RootArbiter>>;
	type Treasury = Treasury;
	type DataRevenueAccount = DataPot;
	type ProtocolFee = ProtocolFee;
	type CollateralRatio = CollateralRatio;
	type MinCollateral = ConstU128<MIN_COLLATERAL>;
	type MinBond = ConstU128<MIN_BOND>;
	type ChallengeBond = ConstU128<CHALLENGE_BOND>;
	type RecordDeposit = ConstU128<RECORD_DEPOSIT>;
	type UnbondingPeriod = UnbondingPeriod;
	type Terms = Terms;
	type RecordRetention = RecordRetention;
	type MaxDeadline = MaxDeadline;
	type MaxUriLen = ConstU32<MAX_URI>;
	type DuePageSize = ConstU32<2>;
	type MaxPageSize = ConstU32<4>;
	type DueWorkFactor = ConstU32<3>;
	type ResultCheck = crate::ReferenceWorkload;
	type MaxCheckBytes = ConstU32<MAX_CHECK_BYTES>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockModels;
}

/// Externalities with funded accounts and the two model versions, at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(ALICE, ENDOWMENT),
			(BOB, ENDOWMENT),
			(CHARLIE, ENDOWMENT),
			(DAVE, ENDOWMENT),
			(EVE, ENDOWMENT),
			(PAUPER, 1),
			(DATA_POT, 1),
			(TREASURY, 1),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		ExistentialDeposit::set(1);
		ProtocolFee::set(Perbill::from_percent(10));
		InferenceWindow::set(CHALLENGE_PERIOD);
		RulingPeriod::set(RESOLUTION_PERIOD);
		ParamsVersion::set(1);
		VERSIONS.with(|v| v.borrow_mut().clear());
		REPORTS.with(|r| r.borrow_mut().clear());
		WITHDRAWN.with(|w| w.borrow_mut().clear());
		TAKEN_DOWN.with(|t| t.borrow_mut().clear());
		add_version(PRICED, 100, &[(1, 75), (2, 25)]);
		add_version(FREE, 0, &[(3, 100)]);
	});
	ext
}

/// Runs `test` and then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Compute::do_try_state().expect("invariants hold");
	});
}

/// Moves to block `n`, running `on_idle` with unlimited weight at each block on the way and
/// checking the invariants after each.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Compute::on_idle(next, Weight::MAX);
		Compute::do_try_state().expect("invariants hold");
	}
}

/// Moves to block `n` without running any hook.
pub fn jump_to_block(n: u64) {
	System::set_block_number(n);
}

/// A content reference with hash `n` repeated.
pub fn content(n: u8) -> ContentRef {
	ContentRef::new(H256::repeat_byte(n), b"ipfs://bafy", 1024).unwrap()
}

pub fn endpoint() -> Uri {
	Uri::try_from(b"https://gpu.example".to_vec()).unwrap()
}

pub fn region(name: &str) -> Region {
	Region::try_from(name.as_bytes().to_vec()).unwrap()
}

/// Registers `who` with `bond`, offering every kind, operated by `operator` in `region`.
pub fn register(who: AccountId, bond: Balance, operator: AccountId, in_region: &str) {
	frame_support::assert_ok!(Compute::register_provider(
		RuntimeOrigin::signed(who),
		bond,
		endpoint(),
		JobKinds::ALL,
		operator,
		region(in_region),
	));
}
