//! The Lineage pallets: datasets and models (and, as they land, compute and rewards).

use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32, ConstU8},
	PalletId,
};
use frame_system::EnsureRoot;
use sp_runtime::traits::AccountIdConversion;

use sp_runtime::Perbill;

use crate::{AccountId, Balances, Datasets, Runtime, RuntimeHoldReason, LIN, MILLI_LIN};

parameter_types! {
	/// The treasury's pallet id; its account receives slashes and protocol fees.
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	/// The treasury account.
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
	/// A fine-tune's parent keeps 30% of its attribution (a governance parameter once the
	/// parameters pallet lands).
	pub const ParentShare: Perbill = Perbill::from_percent(30);
	/// At most 90% of a version's price goes to its builder; the data always gets 10% or more.
	pub const MaxBuilderShare: Perbill = Perbill::from_percent(90);
}

impl pallet_datasets::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Takedowns: root until the governance tracks land.
	type AdminOrigin = EnsureRoot<AccountId>;
	/// Contributor points: nothing listens until the rewards pallet lands.
	type Points = ();
	type SlashDestination = TreasuryAccount;
	/// 10 LIN per dataset.
	type DatasetDeposit = ConstU128<{ 10 * LIN }>;
	/// 10 mLIN per contribution record (about 700 bytes of storage).
	type ContributionRecordDeposit = ConstU128<{ 10 * MILLI_LIN }>;
	type MaxUriLen = ConstU32<256>;
	type MaxCurators = ConstU32<16>;
	type DefaultQuality = ConstU8<50>;
	type MaxPageSize = ConstU32<100>;
	type WeightInfo = pallet_datasets::weights::SubstrateWeight<Runtime>;
}

impl pallet_models::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Snapshots, licences, consent and taint come from the datasets pallet, through
	/// `DatasetInspect` only.
	type Datasets = Datasets;
	/// Revocations: root until the governance tracks land.
	type AdminOrigin = EnsureRoot<AccountId>;
	type ParentShare = ParentShare;
	type MaxBuilderShare = MaxBuilderShare;
	/// 10 LIN per model.
	type ModelDeposit = ConstU128<{ 10 * LIN }>;
	/// 1 LIN per version (a record of up to about 1.4 kB).
	type VersionDeposit = ConstU128<{ LIN }>;
	type MaxUriLen = ConstU32<256>;
	type MaxInputs = ConstU32<16>;
	type MaxAttributionEntries = ConstU32<64>;
	type MaxLineageDepth = ConstU32<8>;
	type MaxPageSize = ConstU32<100>;
	type WeightInfo = pallet_models::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = DatasetSnapshots;
}

/// Creates the snapshots the models benchmarks train on, through the datasets pallet's calls.
#[cfg(feature = "runtime-benchmarks")]
pub struct DatasetSnapshots;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_models::BenchmarkHelper for DatasetSnapshots {
	fn snapshot(index: u32) -> lineage_primitives::SnapshotRef {
		use frame_support::traits::fungible::Mutate;
		use lineage_primitives::{Consent, ContentRef, Licence};

		let owner: AccountId = frame_benchmarking::account("dataset-owner", index, 0);
		Balances::set_balance(&owner, 1_000 * LIN);
		let signed = || crate::RuntimeOrigin::signed(owner.clone());
		let mut hash = [0u8; 32];
		hash[..4].copy_from_slice(&index.to_le_bytes());
		let item = ContentRef::new(hash.into(), b"ipfs://item", 1).expect("short URI");
		let dataset = pallet_datasets::NextDatasetId::<Runtime>::get();
		let policy = pallet_datasets::Policy {
			admission: pallet_datasets::Admission::Open,
			contribution_deposit: 0,
			reject_slash: Perbill::zero(),
			min_consent: Consent::default(),
		};
		Datasets::create_dataset(signed(), item.clone(), Licence::Cc0, policy)
			.expect("dataset created");
		Datasets::contribute(signed(), dataset, item, Licence::Cc0, Consent::FULL)
			.expect("item contributed");
		Datasets::snapshot(signed(), dataset).expect("snapshot taken");
		lineage_primitives::SnapshotRef { dataset, version: 1 }
	}
}
